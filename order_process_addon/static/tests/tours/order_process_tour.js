/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A demo order-desk user opens the Order Process app and registers an order:
// the form says at once that the order follows the process.
addTour("order_process_foundation_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Order Process app",
            trigger: '.o_app[data-menu-xmlid="order_process_addon.menu_root"]',
            run: "click",
        },
        {
            content: "The orders of the process are listed",
            trigger: ".o_action_manager .o_kanban_view",
        },
        {
            content: "Register a new order",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The form says the order follows the process",
            trigger: ".o_form_view .o_op_banner",
        },
        {
            content: "Pick the customer",
            trigger: '.o_field_widget[name="partner_id"] input',
            run: "edit 华星",
        },
        {
            trigger: '.o-autocomplete--dropdown-item a:contains("华星")',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the order has its number",
            trigger: ".o_form_view:not(:has(.o_form_status_indicator_new_record)) .o_form_status_indicator_buttons.invisible:not(:visible)",
        },
    ],
});
