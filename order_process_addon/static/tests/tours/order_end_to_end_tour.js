/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// The steps of the end-to-end tour (tests/test_end_to_end_tour.py) that no
// tour of one area covers; the others are reused from the area tours.
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The number the Python test gives the order the tour follows.
const ORDER = "SO-E2E-TOUR";

// Apps menu › Order Process › a department's menu › one of its entries.
function openProcessMenu(parentXmlid, menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Order Process app",
            trigger: '.o_app[data-menu-xmlid="order_process_addon.menu_root"]',
            run: "click",
        },
        {
            content: `Open the department menu ${parentXmlid}`,
            trigger: `.o_menu_sections [data-menu-xmlid="order_process_addon.${parentXmlid}"]`,
            run: "click",
        },
        {
            content: `Open ${menuXmlid}`,
            trigger: `.o-dropdown--menu [data-menu-xmlid="order_process_addon.${menuXmlid}"]`,
            run: "click",
        },
    ];
}

// D1 (R3): the merchandiser registers the order (the test opens its form).
addTour("order_e2e_register_tour", {
    steps: () => [
        {
            content: "Register the order for review",
            trigger: `.o_form_view:has(.o_field_widget[name="name"]:contains(${ORDER})) button[name="action_op_register"]`,
            run: "click",
        },
        {
            content: "The order is under review",
            trigger: '.o_op_statusbar button.o_arrow_button_current[data-value="review"]',
        },
    ],
});

// D2 (R4-R6, R10): a reviewer decides its department's review of the order
// from its own list, My Reviews, as itself (the delivery date the wizard
// proposes is the customer's requested date).
addTour("order_e2e_review_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_orders", "order_review_menu_my"),
        {
            content: "Decide the review of the order",
            trigger: `.o_list_view .o_data_row:contains(${ORDER}) button[name="action_open_decision_wizard"]`,
            run: "click",
        },
        {
            content: "Approve (the default decision)",
            trigger: '.modal .o_field_widget[name="decision"]',
        },
        {
            content: "Confirm the decision",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "Decided: the review left the list",
            trigger: `.o_action_manager:not(:has(.modal)):has(.o_list_view):not(:has(.o_data_row:contains(${ORDER})))`,
        },
    ],
});

// R20, R21: the salesperson makes the order's invoice with Odoo's own Create
// Invoice (a down payment of the whole order: the goods are invoiced on
// delivery, this customer pays before shipment). The test opens the order.
addTour("order_e2e_invoice_tour", {
    steps: () => [
        {
            content: "Create the invoice of the order",
            trigger: `.o_form_view:has(.o_field_widget[name="name"]:contains(${ORDER})) button#create_invoice_percentage`,
            run: "click",
        },
        {
            content: "The whole order as a down payment",
            trigger: '.modal .o_field_widget[name="amount"] input',
            run: "edit 100",
        },
        {
            content: "Create the draft",
            trigger: '.modal button[name="create_invoices"]',
            run: "click",
        },
        {
            content: "The draft invoice is shown",
            trigger: `body:not(:has(.modal)) .o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="draft"]`,
        },
    ],
});

// R20: Finance registers the customer's payment on the order's invoice with
// Odoo's own Register Payment wizard.
addTour("order_e2e_payment_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_finance", "account_move_menu_invoiced_not_paid"),
        {
            content: "Show every open invoice, not grouped",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        {
            content: "Open the order's invoice",
            trigger: `.o_list_view .o_data_row td[name="invoice_origin"]:contains(${ORDER})`,
            run: "click",
        },
        {
            content: "Register the payment",
            trigger: '.o_form_view button[name="action_register_payment"]',
            run: "click",
        },
        {
            content: "The wizard proposes the amount due",
            trigger: '.modal .o_field_widget[name="amount"] input',
        },
        {
            content: "Create the payment",
            trigger: '.modal button[name="action_create_payments"]',
            run: "click",
        },
        {
            content: "The invoice is paid",
            trigger: "body:not(:has(.modal)) .o_form_view .ribbon",
        },
    ],
});

// R29: the PMC manager opens the achievement rate and finds the order
// counted as achieved (a green row of the list).
addTour("order_e2e_kpi_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_reporting", "order_kpi_fact_menu"),
        {
            content: "Switch to the list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is shown",
            trigger: ".o_list_view .o_list_renderer",
        },
        {
            content: "Not grouped by month",
            trigger: ".o_searchview_facet:has(.oi-group) .o_facet_remove",
            run: "click",
        },
        {
            // Last 12 Months ends with the current month; the order is due
            // next month or later, the month it counts in (R29).
            content: "Not only the last 12 months: the order is due after this month",
            trigger: ".o_searchview_facet:has(.fa-filter) .o_facet_remove",
            run: "click",
        },
        {
            content: "Search the order",
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${ORDER} && press Enter`,
        },
        {
            content: "The order is counted as achieved",
            trigger: `.o_list_view .o_data_row.text-success:contains(${ORDER})`,
        },
    ],
});
