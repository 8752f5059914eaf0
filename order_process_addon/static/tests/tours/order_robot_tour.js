/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// Issue 21: an administrator adds the PMC group's DingTalk robot and sends
// it a test message (tests/test_robot_tour.py serves the platform locally
// and gives its webhook address in a system parameter).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";
import { rpc } from "@web/core/network/rpc";

async function tourParam(name) {
    return rpc("/web/dataset/call_kw/ir.config_parameter/get_param", {
        model: "ir.config_parameter",
        method: "get_param",
        args: [`order_process_addon.robot_tour_${name}`],
        kwargs: {},
    });
}

addTour("order_robot_tour", {
    // Configuration > Group Robots > Robots (the navbar folds Configuration
    // away on a narrow screen).
    url: "/odoo/action-order_process_addon.order_robot_action",
    steps: () => [
        {
            content: "Add a robot",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: '.o_form_view .o_field_widget[name="name"] input',
            run: "edit PMC group",
        },
        {
            content: "On DingTalk",
            trigger: '.o_form_view .o_field_widget[name="platform"] select',
            run: 'select "dingtalk"',
        },
        {
            content: "Paste the webhook the group gave",
            trigger: '.o_form_view .o_field_widget[name="webhook_url_input"] input',
            run: async function (helpers) {
                await helpers.edit(await tourParam("webhook"));
            },
        },
        {
            content: "Paste its signing secret",
            trigger: '.o_form_view .o_field_widget[name="secret_input"] input',
            run: async function (helpers) {
                await helpers.edit(await tourParam("secret"));
            },
        },
        {
            content: "For the PMC planners",
            trigger: '.o_form_view .o_field_widget[name="group_ids"] input',
            run: "edit PMC Planner",
        },
        {
            content: "Pick the role",
            trigger: '.o-autocomplete--dropdown-menu li a:contains("PMC Planner")',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The address is shown masked, never again in full",
            trigger: '.o_form_view .o_field_widget[name="webhook_url_masked"]:contains("••••••")',
        },
        {
            content: "Send a test message",
            trigger: '.o_form_view button[name="action_send_test"]',
            run: "click",
        },
        {
            content: "DingTalk's answer shows",
            trigger: '.o_notification:contains("DingTalk answered: HTTP 200 code 0: ok")',
        },
    ],
});
