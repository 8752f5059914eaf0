/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The late order the Python test prepares (its customer's reference).
const ORDER = "HX-PO-LATE";

function openReportingMenu(menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Order Process app",
            trigger: '.o_app[data-menu-xmlid="order_process_addon.menu_root"]',
            run: "click",
        },
        {
            content: "Open Reporting",
            trigger: '.o_menu_sections [data-menu-xmlid="order_process_addon.menu_reporting"]',
            run: "click",
        },
        {
            content: `Open ${menuXmlid}`,
            trigger: `.o-dropdown--menu [data-menu-xmlid="order_process_addon.${menuXmlid}"]`,
            run: "click",
        },
    ];
}

// R29, R30: the PMC manager opens the achievement rate, drills from the
// month's cell to its orders, opens the late one and charges it to
// Production with a reason.
addTour("order_kpi_drilldown_tour", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenu("order_kpi_fact_menu"),
        {
            content: "The dashboard opens on the monthly rate (graph)",
            trigger: ".o_action_manager .o_graph_view",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_control_panel .o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Click the month's number of orders due",
            trigger: ".o_pivot table tbody tr:last-child td.o_pivot_cell_value:not(:empty)",
            run: "click",
        },
        {
            content: "Its orders are listed; open the late one",
            trigger: `.o_list_view .o_data_row:contains(${ORDER}) td.o_data_cell`,
            run: "click",
        },
        {
            content: "It failed: charge it to a department",
            trigger: '.o_form_view button[name="action_open_responsibility_wizard"]',
            run: "click",
        },
        {
            content: "The reason",
            trigger: '.modal .o_field_widget[name="reason"] textarea',
            run: "edit 模切刀模断裂，等待新刀模",
        },
        {
            content: "Production is responsible",
            trigger: '.modal .o_field_widget[name="department"] select',
            run: 'select "production"',
        },
        {
            content: "Confirm",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The fact is charged to Production by the manager",
            trigger:
                'body:not(:has(.modal)) .o_form_view .o_field_widget[name="responsibility_reason"]:contains(模切刀模断裂)',
        },
    ],
});

// R30, D13: Production writes the cause analysis it was given and submits it.
addTour("order_kpi_d13_submit_tour", {
    url: "/odoo",
    steps: () => [
        ...openReportingMenu("order_late_analysis_menu"),
        {
            content: "Open the late order's cause analysis",
            trigger: `.o_list_view .o_data_row:contains(${ORDER}) td.o_data_cell`,
            run: "click",
        },
        {
            content: "Cause category",
            trigger: '.o_form_view .o_field_widget[name="cause_category"] select',
            run: 'select "equipment"',
        },
        {
            content: "Root cause",
            trigger: '.o_form_view .o_field_widget[name="root_cause"] textarea',
            run: "edit 刀模使用超过寿命未及时更换",
        },
        {
            content: "Improvement measures",
            trigger: '.o_form_view .o_field_widget[name="measures"] textarea',
            run: "edit 建立刀模寿命台账，每周点检",
        },
        {
            content: "Their owner",
            trigger: '.o_form_view .o_field_widget[name="measure_owner_id"] input',
            run: "edit 吴刚",
        },
        {
            content: "Pick the owner",
            trigger: ".o-autocomplete--dropdown-item a:contains(吴刚)",
            run: "click",
        },
        {
            content: "Their due date",
            trigger: '.o_form_view .o_field_widget[name="measure_date"] input',
            // The user's language is Chinese: an ISO date is understood.
            run: "edit 2030-12-31",
        },
        {
            content: "Submit",
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            content: "Submitted",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="submitted"]',
        },
    ],
});
