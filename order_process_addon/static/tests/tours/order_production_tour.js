/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The manufacturing order the Python test prepares for an effective order.
const MO = "MO-TOUR-D4";

function statusIs(value) {
    return `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="${value}"]`;
}

function saved() {
    return ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)";
}

// Apps menu › Order Process › one of its menus.
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
        {
            content: "The list is shown",
            trigger: ".o_action_manager .o_list_view",
        },
    ];
}

// Apps menu › Manufacturing › find the tour's MO and open it.
function openProduction() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Manufacturing app",
            trigger: '.o_app[data-menu-xmlid="mrp.menu_mrp_root"]',
            run: "click",
        },
        {
            content: "Search the manufacturing order",
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${MO} && press Enter`,
        },
        {
            content: "Open it",
            trigger: `.o_list_view .o_data_row td[name="name"]:contains(${MO})`,
            run: "click",
        },
        {
            content: "Its form is shown",
            trigger: `.o_form_view .o_field_widget[name="name"]:contains(${MO})`,
        },
    ];
}

// D4 (R12, R13): the PMC planner drafts the plan of a future production
// day, adds the MO of an effective order and submits it.
addTour("order_production_plan_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_planning", "order_production_plan_menu"),
        {
            content: "Draft a new plan",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Production day: in 30 days, before its 07:50 release deadline",
            trigger: '.o_form_view .o_field_widget[name="plan_date"] input',
            run: `edit ${luxon.DateTime.now().plus({ days: 30 }).toISODate()}`,
        },
        {
            content: "Close the date picker",
            trigger: ".o_form_view .oe_title",
            run: "click",
        },
        {
            content: "The release deadline follows from the day",
            trigger: '.o_form_view .o_field_widget[name="release_deadline"] span:not(:empty)',
        },
        {
            content: "Add a manufacturing order",
            trigger:
                '.o_field_widget[name="production_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "Find the MO of the effective order",
            trigger: ".modal .o_searchview_input",
            run: `edit ${MO} && press Enter`,
        },
        {
            content: "Pick it",
            trigger: `.modal .o_data_row td:contains(${MO})`,
            run: "click",
        },
        {
            content: "The MO is in the plan",
            trigger: `body:not(:has(.modal)) .o_field_widget[name="production_ids"] .o_data_row td:contains(${MO})`,
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the plan has its number",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains(D4/)',
        },
        {
            content: "Submit to the PMC manager",
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            content: "The plan is submitted",
            trigger: statusIs("submitted"),
        },
    ],
});

// R13: the PMC manager approves the submitted plan.
addTour("order_production_plan_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_planning", "order_production_plan_menu"),
        {
            content: "Open the submitted plan",
            trigger: '.o_data_row:has(td[name="state"] .text-bg-info) td[name="name"]',
            run: "click",
        },
        {
            content: "Approve it",
            trigger: '.o_form_view button[name="action_approve"]',
            run: "click",
        },
        {
            content: "The plan is approved",
            trigger: statusIs("approved"),
        },
        {
            content: "The manager is recorded as approver",
            trigger: '.o_form_view .o_field_widget[name="approved_by_id"]:contains(黄勇)',
        },
    ],
});

// R13, R14: the PMC planner releases the approved plan before its deadline.
addTour("order_production_plan_release_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_planning", "order_production_plan_menu"),
        {
            content: "Open the approved plan",
            trigger: '.o_data_row:has(td[name="state"] .text-bg-warning) td[name="name"]',
            run: "click",
        },
        {
            content: "Release it",
            trigger: '.o_form_view button[name="action_release"]',
            run: "click",
        },
        {
            content: "The plan is released",
            trigger: statusIs("released"),
        },
        {
            content: "On time: the late-release reason stays hidden",
            trigger: '.o_form_view:not(:has(.o_field_widget[name="late_reason"]))',
        },
    ],
});

// D5 (R15): Production records a key-process inspection from the MO.
addTour("order_production_inspection_tour", {
    url: "/odoo",
    steps: () => [
        ...openProduction(),
        {
            content: "Open the inspections and receipt",
            trigger: '.o_notebook a.nav-link[name="op_quality"]',
            run: "click",
        },
        {
            content: "Record an inspection",
            trigger:
                '.o_field_widget[name="op_inspection_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "A key-process inspection",
            trigger: '.modal .o_field_widget[name="kind"] select',
            run: 'select "key_process"',
        },
        {
            content: "Quantity checked",
            trigger: '.modal .o_field_widget[name="qty_checked"] input',
            run: "edit 1000",
        },
        {
            content: "Defective quantity",
            trigger: '.modal .o_field_widget[name="qty_defective"] input',
            run: "edit 2",
        },
        {
            content: "Defect types",
            trigger: '.modal .o_field_widget[name="defect_types"] input',
            run: "edit burr",
        },
        {
            content: "Result",
            trigger: '.modal .o_field_widget[name="result"] select',
            run: 'select "pass"',
        },
        {
            content: "Save the inspection",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The inspection is listed",
            trigger:
                'body:not(:has(.modal)) .o_field_widget[name="op_inspection_ids"] .o_data_row',
        },
        {
            content: "Save the MO",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: saved(),
        },
    ],
});

// R16: Quality records a passed final test and signs it (its production
// daily report D7 is signed next).
addTour("order_production_final_test_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_production", "order_final_test_menu"),
        {
            content: "Record a final test",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Of the manufacturing order",
            trigger: '.o_form_view .o_field_widget[name="production_id"] input',
            run: `edit ${MO}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item a:contains(${MO})`,
            run: "click",
        },
        {
            content: "Measurements",
            trigger: '.o_form_view .o_field_widget[name="measurements"] textarea',
            run: "edit Thickness 1.00 mm, peel 12 N",
        },
        {
            content: "Passed",
            trigger: '.o_form_view .o_field_widget[name="result"] select',
            run: 'select "pass"',
        },
        {
            content: "Sign it",
            trigger: '.o_form_view button[name="action_sign"]',
            run: "click",
        },
        {
            content: "The final test is signed",
            trigger: statusIs("signed"),
        },
        {
            content: "By the quality user",
            trigger: '.o_form_view .o_field_widget[name="signed_by_id"]:contains(徐丽)',
        },
    ],
});

// D7 (R16): Quality signs the production daily report of the released plan,
// read from its MOs with their final tests.
addTour("order_production_daily_report_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_production", "order_production_daily_report_menu"),
        {
            content: "Open the daily report of the released plan",
            trigger: ".o_list_view .o_data_row td[name='name']:contains(D7/)",
            run: "click",
        },
        {
            content: "Read the quantities and tests from the MOs",
            trigger: '.o_form_view button[name="action_refresh"]',
            run: "click",
        },
        {
            content: "The MO is listed with its passed test",
            trigger: `.o_form_view .o_field_widget[name="line_ids"] .o_data_row:contains(${MO}) td[name="test_result"] .badge`,
        },
        {
            content: "Sign the daily report",
            trigger: '.o_form_view button[name="action_sign"]',
            run: "click",
        },
        {
            content: "The daily report is signed",
            trigger: statusIs("signed"),
        },
        {
            content: "By the quality user",
            trigger: '.o_form_view .o_field_widget[name="signed_by_id"]:contains(徐丽)',
        },
    ],
});

// D8 (R16, R17): Production delivers the tested goods to the warehouse.
addTour("order_production_deliver_tour", {
    url: "/odoo",
    steps: () => [
        ...openProduction(),
        {
            content: "Deliver to the finished-goods warehouse",
            trigger: '.o_form_view button[name="action_op_deliver_to_warehouse"]',
            run: "click",
        },
        {
            content: "Open the inspections and receipt",
            trigger: '.o_notebook a.nav-link[name="op_quality"]',
            run: "click",
        },
        {
            content: "The receipt waits for the keeper",
            trigger: '.o_field_widget[name="op_receipt_ids"] .o_data_row td[name="state"]',
        },
    ],
});

// D8 (R17): the keeper counts with the deliverer and signs the receipt.
addTour("order_production_fg_receipt_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_shipping", "order_fg_receipt_menu"),
        {
            content: "Open the delivered receipt",
            trigger: `.o_data_row td[name="production_id"]:contains(${MO})`,
            run: "click",
        },
        {
            content: "Count and sign",
            trigger: ".o_form_view .o_statusbar_buttons button.btn-primary",
            run: "click",
        },
        {
            content: "Counted quantity",
            trigger: '.modal .o_field_widget[name="qty_counted"] input',
            run: "edit 1000",
        },
        {
            content: "Counted with the deliverer of Production",
            trigger: '.modal .o_field_widget[name="deliverer_id"] input',
            run: "edit 吴刚",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(吴刚)",
            run: "click",
        },
        {
            content: "Sign the count",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The receipt is signed",
            trigger: `body:not(:has(.modal)) ${statusIs("signed")}`,
        },
        {
            content: "By the keeper",
            trigger: '.o_form_view .o_field_widget[name="keeper_id"]:contains(赵磊)',
        },
    ],
});

// D9 (R18): the PMC planner passes the day's statistics to the manager.
addTour("order_inbound_statistics_submit_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_shipping", "order_inbound_statistics_menu"),
        {
            content: "Open the day's statistics, built but not submitted",
            trigger:
                '.o_data_row:not(:has(td[name="state"] .text-bg-info, td[name="state"] .text-bg-success)) td[name="name"]',
            run: "click",
        },
        {
            content: "The signed receipt is counted",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row td[name="qty_counted"]:contains(1,000)',
        },
        {
            content: "Pass them to the PMC manager",
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            content: "Submitted",
            trigger: statusIs("submitted"),
        },
    ],
});

// D9 (R18, R19): the PMC manager signs the statistics.
addTour("order_inbound_statistics_sign_tour", {
    url: "/odoo",
    steps: () => [
        ...openProcessMenu("menu_shipping", "order_inbound_statistics_menu"),
        {
            content: "Open the submitted statistics",
            trigger: '.o_data_row:has(td[name="state"] .text-bg-info) td[name="name"]',
            run: "click",
        },
        {
            content: "Sign them",
            trigger: '.o_form_view button[name="action_sign"]',
            run: "click",
        },
        {
            content: "Signed",
            trigger: statusIs("signed"),
        },
        {
            content: "By the PMC manager",
            trigger: '.o_form_view .o_field_widget[name="signed_by_id"]:contains(黄勇)',
        },
    ],
});

// D3 (R11, R13): the material controller drafts and submits the order's
// material requirements plan from the order's smart button.
addTour("order_material_plan_submit_tour", {
    steps: () => [
        {
            content: "Open the material requirements plan of the order",
            trigger: '.o_form_view button[name="action_op_material_plan"]',
            run: "click",
        },
        {
            content: "The requirements are drafted from the BoMs and the forecast",
            trigger: '.o_form_view .o_field_widget[name="line_ids"] .o_data_row td[name="qty_to_order"]',
        },
        {
            content: "The foam of the gasket's BoM is listed",
            trigger: '.o_form_view .o_field_widget[name="line_ids"] .o_data_row:contains(EVA)',
        },
        {
            content: "Submit it to the PMC manager",
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            content: "The plan is submitted",
            trigger: statusIs("submitted"),
        },
    ],
});

// D3 (R13): the PMC manager approves; the RFQ goes to Purchasing.
addTour("order_material_plan_approve_tour", {
    steps: () => [
        {
            content: "Approve the material requirements plan",
            trigger: '.o_form_view button[name="action_approve"]',
            run: "click",
        },
        {
            content: "The plan is approved",
            trigger: statusIs("approved"),
        },
        {
            content: "Its RFQ is there for Purchasing",
            trigger: '.o_form_view button[name="action_view_purchases"] .o_stat_value:contains(1)',
        },
    ],
});
