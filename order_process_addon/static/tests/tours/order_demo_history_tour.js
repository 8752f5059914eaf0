/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// Issue 20, item 4: while make run makes the demo year, a user working in
// Chinese reads its progress in the top bar (tests/test_first_run.py sets it).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";

addTour("order_demo_history_progress_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "The top bar tells how far the demo year is, in Chinese",
            trigger: '.o_main_navbar .o_op_demo_history_progress:contains("演示历史 27%：已生成 320 单中的 120 单")',
        },
        {
            content: "Its tooltip says which simulated day it is at",
            trigger: '.o_op_demo_history_progress[title*="2026-03-14"]',
        },
    ],
});
