/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The delivery the Python test prepares (its origin is the order).
const ORDER = "HX-PO-SHIP";

function statusIs(value) {
    return `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="${value}"]`;
}

function openShippingMenu(menuXmlid) {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Order Process app",
            trigger: '.o_app[data-menu-xmlid="order_process_addon.menu_root"]',
            run: "click",
        },
        {
            content: "Open Warehouse and Shipping",
            trigger: '.o_menu_sections [data-menu-xmlid="order_process_addon.menu_shipping"]',
            run: "click",
        },
        {
            content: `Open ${menuXmlid}`,
            trigger: `.o-dropdown--menu [data-menu-xmlid="order_process_addon.${menuXmlid}"]`,
            run: "click",
        },
    ];
}

// Shipments kanban › the tour's delivery › its Shipping tab.
function openDelivery() {
    return [
        ...openShippingMenu("stock_picking_shipping_menu"),
        {
            content: "Open it",
            trigger: `.o_kanban_record:contains(${ORDER})`,
            run: "click",
        },
        {
            content: "Open its Shipping tab",
            trigger: '.o_notebook a.nav-link[name="op_shipping"]',
            run: "click",
        },
    ];
}

// D10 (R23): the merchandiser issues the shipping order.
addTour("order_shipping_d10_issue_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Issue the shipping order",
            trigger: '.o_form_view button[name="action_op_new_shipping_order"]',
            run: "click",
        },
        {
            content: "The D10 is drafted from the delivery",
            trigger: '.o_form_view .o_field_widget[name="line_ids"] .o_data_row',
        },
        {
            content: "A special requirement",
            trigger: '.o_form_view .o_field_widget[name="special_requirements"] textarea',
            run: "edit 托盘缠膜",
        },
        {
            content: "The contact",
            trigger: '.o_form_view .o_field_widget[name="contact_name"] input',
            run: "edit 陈小姐",
        },
        {
            content: "Issue it",
            trigger: '.o_form_view button[name="action_issue"]',
            run: "click",
        },
        {
            content: "Issued to the PMC clerk",
            trigger: statusIs("issued"),
        },
    ],
});

// D10 (R23): the PMC clerk approves it.
addTour("order_shipping_d10_approve_tour", {
    url: "/odoo",
    steps: () => [
        ...openShippingMenu("order_shipping_order_menu"),
        {
            content: "Open the shipping order to review",
            trigger: ".o_data_row td[name=\"name\"]",
            run: "click",
        },
        {
            content: "Approve it",
            trigger: '.o_form_view button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Approved",
            trigger: statusIs("approved"),
        },
    ],
});

// R25: the shipping group books the carrier and confirms the vehicle's arrival.
addTour("order_shipping_carrier_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Book the carrier",
            trigger: '.o_form_view button[name="action_op_book_carrier"]',
            run: "click",
        },
        {
            content: "Under the carrier contract",
            trigger: '.modal .o_field_widget[name="contract_id"] input',
            run: "edit CT-珠江",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(CT-珠江)",
            run: "click",
        },
        {
            content: "Vehicle plate",
            trigger: '.modal .o_field_widget[name="vehicle_plate"] input',
            run: "edit 粤S 12345",
        },
        {
            content: "Driver",
            trigger: '.modal .o_field_widget[name="driver_name"] input',
            run: "edit 李师傅",
        },
        {
            content: "Book",
            trigger: '.modal button[name="action_book"]',
            run: "click",
        },
        {
            content: "The vehicle arrived: confirm it",
            trigger: 'body:not(:has(.modal)) .o_form_view button[name="action_op_confirm_vehicle_arrival"]',
            run: "click",
        },
        {
            content: "Arrival confirmed",
            trigger: '.o_form_view:not(:has(button[name="action_op_confirm_vehicle_arrival"])) .o_field_widget[name="op_carrier_booking_ids"] .o_data_row',
        },
    ],
});

// D11 (R26): the warehouse starts the loading check and ticks it off.
addTour("order_shipping_d11_load_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Start the loading check",
            trigger: '.o_form_view button[name="action_op_start_loading"]',
            run: "click",
        },
        {
            content: "Check the line against the goods: edit the row",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row td[name="checked"]',
            run: "click",
        },
        {
            content: "Check the line against the goods",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row td[name="checked"] input:enabled',
            run: "click",
        },
        {
            content: "Check the line against the goods: ticked",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row td[name="checked"] input:checked',
        },
        {
            content: "Tick off the special requirement: edit the row",
            trigger: '.o_field_widget[name="requirement_ids"] .o_data_row td[name="checked"]',
            run: "click",
        },
        {
            content: "Tick off the special requirement",
            trigger: '.o_field_widget[name="requirement_ids"] .o_data_row td[name="checked"] input:enabled',
            run: "click",
        },
        {
            content: "Tick off the special requirement: ticked",
            trigger: '.o_field_widget[name="requirement_ids"] .o_data_row td[name="checked"] input:checked',
        },
        {
            content: "Sign as the keeper",
            trigger: '.o_form_view button[name="action_sign_keeper"]',
            run: "click",
        },
        {
            content: "Signed by one",
            trigger: statusIs("signing"),
        },
    ],
});

// D11 (R26): the loader, another person, signs too.
addTour("order_shipping_d11_loader_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Open the loading check",
            trigger: '.o_field_widget[name="op_loading_check_ids"] .o_data_row td[name="name"]',
            run: "click",
        },
        {
            content: "Sign as the loader",
            trigger: '.o_form_view button[name="action_sign_loader"]',
            run: "click",
        },
        {
            content: "Signed by both",
            trigger: statusIs("signed"),
        },
    ],
});

// R27: Administration passes the gate.
addTour("order_shipping_gate_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Record the gate check",
            trigger: '.o_form_view button[name="action_op_gate_check"]',
            run: "click",
        },
        {
            content: "Vehicle plate",
            trigger: '.modal .o_field_widget[name="vehicle_plate"] input',
            run: "edit 粤B 88888",
        },
        {
            content: "Seal number",
            trigger: '.modal .o_field_widget[name="seal_number"] input',
            run: "edit SEAL-0427",
        },
        {
            content: "Pass",
            trigger: '.modal .o_field_widget[name="result"] input[data-value="pass"]',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The gate check is on the delivery",
            trigger: 'body:not(:has(.modal)) .o_field_widget[name="op_gate_check_ids"] .o_data_row',
        },
    ],
});

// The warehouse validates the delivery: it leaves.
addTour("order_shipping_validate_tour", {
    url: "/odoo",
    steps: () => [
        ...openDelivery(),
        {
            content: "Validate the delivery",
            trigger: '.o_form_view .o_statusbar_buttons button[name="button_validate"]',
            run: "click",
        },
        {
            content: "Done",
            trigger: '.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value="done"]',
        },
    ],
});

// D12 (R28): the keeper prepares the day's shipment statistics ...
addTour("order_shipment_statistics_prepare_tour", {
    url: "/odoo",
    steps: () => [
        ...openShippingMenu("order_shipment_statistics_menu"),
        {
            content: "Open the day's statistics",
            trigger: ".o_data_row td[name=\"name\"]",
            run: "click",
        },
        {
            content: "The shipped delivery is counted",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row',
        },
        {
            content: "Prepare them",
            trigger: '.o_form_view button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "Prepared by the keeper",
            trigger: '.o_form_view .o_field_widget[name="prepared_by_id"]:contains(赵磊)',
        },
    ],
});

// ... and the PMC manager signs them (then they go to Finance).
addTour("order_shipment_statistics_sign_tour", {
    url: "/odoo",
    steps: () => [
        ...openShippingMenu("order_shipment_statistics_menu"),
        {
            content: "Open the prepared statistics",
            trigger: ".o_data_row td[name=\"name\"]",
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
    ],
});
