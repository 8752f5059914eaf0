/** @odoo-module **/
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { addTour } from "@order_process_addon/../tests/tours/tour_wait";

// One decision in the review tab: open the wizard of the review in row `row`,
// fill the committed date when the step asks for it, confirm.
function decideRow(row, withDate) {
    const rowSelector = `.o_field_widget[name="op_review_ids"] .o_data_row:nth-child(${row})`;
    const steps = [
        {
            content: `Open review ${row}`,
            trigger: `${rowSelector} button[name="action_open_decision_wizard"]`,
            run: "click",
        },
    ];
    if (withDate) {
        steps.push({
            content: "PMC commits to a delivery date",
            trigger: '.modal .o_field_widget[name="committed_date"] input',
            run: "edit 12/31/2030",
        });
    }
    steps.push(
        {
            content: "Confirm the decision",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: `Review ${row} is decided`,
            trigger: `body:not(:has(.modal)) ${rowSelector}:not(:has(button[name="action_open_decision_wizard"]))`,
        }
    );
    return steps;
}

// Customer Management registers the order, each department decides (R3-R6,
// R10). The test logs in a user holding every role.
addTour("order_process_review_tour", {
    steps: () => [
        {
            content: "Register the order for review (D1)",
            trigger: '.o_form_view button[name="action_op_register"]',
            run: "click",
        },
        {
            content: "The order is under review",
            trigger: '.o_op_statusbar button.o_arrow_button_current[data-value="review"]',
        },
        {
            content: "One status bar: the process's, not Odoo's quotation bar beside it",
            trigger:
                '.o_form_view:not(:has(.o_field_statusbar[name="state"])) .o_form_statusbar .o_field_statusbar[name="op_state"]',
        },
        {
            content: "Open the reviews",
            trigger: '.o_notebook a.nav-link[name="op_reviews"]',
            run: "click",
        },
        ...decideRow(1, true),
        ...decideRow(2, false),
        // Row 3 is Finance's: the user who registered the order may not
        // decide it (R37); the test has the demo Finance user approve it.
        {
            content: "Finance's review waits for someone else",
            trigger: '.o_field_widget[name="op_review_ids"] .o_data_row:nth-child(3)',
        },
    ],
});

// PMC answers the customer once every department approved (R7).
addTour("order_process_answer_tour", {
    steps: () => [
        {
            content: "Every department approved: PMC answers",
            trigger: '.o_form_view button[name="action_op_open_answer_wizard"]',
            run: "click",
        },
        {
            content: "Record the answer with the committed date",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The order waits for the customer's signature",
            trigger: '.o_op_statusbar button.o_arrow_button_current[data-value="answered"]',
        },
    ],
});

// A reviewer decides from My Reviews, seeing what the order asks for
// (issue 18, item 3): the row (or, on a phone, the card) shows the special
// requirements, the dialog shows them with the ordered products and the
// other departments' decisions; the text asked for follows the decision.
// The test's order asks for "卷料内径 76 mm".
function decideFromMyReviews(record, dialog) {
    const row = `${record}:contains("卷料内径 76 mm")`;
    return [
        {
            content: "My Reviews shows the order's special requirements",
            trigger: row,
        },
        {
            content: "Decide it from My Reviews",
            trigger: `${row} button[name="action_open_decision_wizard"]`,
            run: "click",
        },
        {
            content: "The dialog shows the special requirements",
            trigger: `${dialog} .o_op_special_requirements:contains("卷料内径 76 mm")`,
        },
        {
            content: "...the ordered products",
            trigger: `${dialog} .o_op_review_lines:contains("20,000")`,
        },
        {
            content: "...and the other departments' decisions so far",
            trigger: `${dialog} .o_op_other_reviews .badge`,
        },
        {
            content: "Approve with conditions",
            trigger: `${dialog} .o_field_widget[name="decision"] input[data-value="conditional"]`,
            run: "click",
        },
        {
            content: "The conditions are now required",
            trigger: `${dialog} .o_field_widget[name="text"].o_required_modifier textarea`,
            run: "edit 首批送样，确认卷料内径后再批量生产",
        },
        {
            content: "Confirm the decision",
            trigger: `${dialog} button[name="action_confirm"]`,
            run: "click",
        },
        {
            content: "Decided: the review leaves My Reviews",
            trigger: `body:not(:has(.modal)) .o_action_manager:not(:has(${row}))`,
        },
    ];
}

addTour("order_process_my_reviews_tour", {
    steps: () => decideFromMyReviews(".o_list_view .o_data_row", ".modal"),
});

// The same on a phone: cards, and the dialog full screen.
addTour("order_process_my_reviews_phone_tour", {
    steps: () => decideFromMyReviews(".o_kanban_view .o_kanban_record", ".modal.o_modal_full"),
});

// The customer signs the answered order on the portal (R8), seeing what it
// signs: the order's page and the signing dialog show PMC's committed date
// (issue 18, item 4); `committed`, when given, is part of that date.
function signOnThePortal(committed) {
    const date = committed
        ? `.o_op_portal_committed_date:contains("${committed}")`
        : ".o_op_portal_committed_date:not(:empty)";
    return [
        {
            content: "The page shows the committed date",
            trigger: `#op_portal_stage ${date}`,
        },
        {
            content: "Open the signature dialog",
            trigger: 'a[data-bs-target="#modalaccept"]',
            run: "click",
        },
        {
            content: "The dialog shows what the signature accepts: the committed date",
            trigger: `.modal .o_op_portal_sign_promise ${date}`,
        },
        {
            content: "Type the signer's name",
            trigger: ".modal .o_web_sign_name_and_signature input",
            run: "edit 陈小姐",
        },
        {
            content: "Choose a signature style",
            trigger: ".modal .o_web_sign_auto_select_style button",
            run: "click",
        },
        {
            trigger: ".o-dropdown-item:eq(1)",
            run: "click",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "Signed: the page shows the confirmed order",
            trigger: "#quote_content:not(:has(.modal.show))",
        },
        {
            trigger: 'a[href*="message=sign_ok"], .alert-success, #quote_content',
        },
    ];
}

// From the order's page (the link the customer gets by e-mail).
addTour("order_process_portal_sign_tour", {
    steps: () => signOnThePortal(""),
});

// Logged in as the customer's portal user: the order to sign is among its
// quotations; PMC committed to a date in 2030.
addTour("order_process_portal_quotes_sign_tour", {
    steps: () => [
        {
            content: "The order to sign is among the customer's quotations",
            trigger: 'a[href^="/my/orders/"]:contains("S")',
            run: "click",
        },
        ...signOnThePortal("2030"),
    ],
});
