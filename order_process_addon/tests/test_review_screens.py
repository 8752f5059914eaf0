# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 18, item 3: reviewers decide seeing what they review (R5, R10).

My Reviews and the decision dialog carry the order's products and
quantities, requested date, special requirements, attachments and the other
departments' decisions so far; the dialog has one text whose meaning follows
the decision, and the review still refuses a decision without the text it
needs; the Decide button is shown to those who may decide only, and the
server refuses the others anyway."""

from datetime import date, timedelta

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import OrderProcessCase, call_kw, demo_company

# My Reviews' rows as the web client reads them (its list and kanban).
MY_REVIEWS_SPEC = {
    "order_id": {"fields": {"display_name": {}}},
    "partner_id": {"fields": {"display_name": {}}},
    "step_id": {"fields": {"display_name": {}}},
    "content_summary": {},
    "requested_date": {},
    "special_requirements": {},
    "attachment_ids": {"fields": {"name": {}, "mimetype": {}}},
    "others_summary": {},
    "deadline": {},
    "state": {},
    "is_rush": {},
    "is_overdue": {},
    "can_decide": {},
}
REQUIREMENTS = "UL 94 V-0 flame rating; halogen-free adhesive"
CONDITIONS = "Salt-spray test at the customer's cost"


@tagged("post_install", "-at_install")
class TestReviewScreens(OrderProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tape = cls.env["product.product"].create(
            {"name": "Conductive Tape", "type": "consu", "list_price": 3.0}
        )

    def _special_order(self):
        """An order with two products, special requirements and the
        customer's written order attached, registered for review."""
        # Uploaded on the new order's form, before its first save: the web
        # client sends the model without an id.
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.users["customer_mgmt"])
            .create(
                {
                    "name": "customer-po-4711.pdf",
                    "raw": b"%PDF-1.4 purchase order",
                    "res_model": "sale.order",
                    "res_id": 0,
                }
            )
        )
        order = self._new_order(
            op_special_requirements=REQUIREMENTS,
            op_source_attachment_ids=[Command.set(attachment.ids)],
        )
        order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.tape.id, "product_uom_qty": 2500}
                    )
                ]
            }
        )
        order.action_op_register()
        return order

    def _my_reviews(self, role, limit=None):
        """My Reviews as ``role`` reads it: its filter, its order, its
        fields."""
        user = self.users[role]
        return (
            self.env["order.review"]
            .with_user(user)
            .web_search_read(
                [("state", "=", "pending"), ("group_id.users", "in", [user.id])],
                MY_REVIEWS_SPEC,
                limit=limit,
            )["records"]
        )

    def test_r05_my_reviews_shows_what_is_reviewed(self):
        order = self._special_order()
        (row,) = [
            r for r in self._my_reviews("technical") if r["order_id"]["id"] == order.id
        ]
        self.assertEqual(
            row["content_summary"],
            "Test Gasket × 10 Units; Conductive Tape × 2,500 Units",
        )
        self.assertEqual(row["requested_date"], order.op_requested_date)
        self.assertEqual(row["special_requirements"], REQUIREMENTS)
        self.assertEqual(
            [a["name"] for a in row["attachment_ids"]], ["customer-po-4711.pdf"]
        )
        self.assertTrue(row["deadline"])
        self.assertTrue(row["can_decide"])

    def test_r05_decision_dialog_shows_what_is_reviewed(self):
        order = self._special_order()
        technical = self.users["technical"]
        review = self._review(order, "technical").with_user(technical)
        action = review.action_open_decision_wizard()
        # The dialog as the web client opens it, with its view.
        dialog = Form(
            self.env[action["res_model"]]
            .with_user(technical)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(dialog.order_id, order)
        self.assertEqual(dialog.partner_id, self.customer)
        self.assertEqual(dialog.client_order_ref, "PO-4711")
        self.assertEqual(dialog.requested_date, order.op_requested_date)
        self.assertEqual(dialog.special_requirements, REQUIREMENTS)
        self.assertEqual(dialog.attachment_ids.mapped("name"), ["customer-po-4711.pdf"])
        self.assertEqual(
            [(line.product_id, line.product_uom_qty) for line in dialog.order_line_ids],
            [(self.product, 10), (self.tape, 2500)],
        )
        # The other departments of the round, still to decide.
        self.assertEqual(
            set(dialog.other_review_ids.mapped("step_id.group_id")),
            {
                self.env.ref(f"order_process_addon.group_{role}")
                for role in ("pmc_planner", "quality", "finance")
            },
        )
        # The dialog's view shows them: the requirements, the lines and the
        # other departments' decisions.
        arch = etree.fromstring(
            self.env[action["res_model"]]
            .with_user(technical)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in (
            "special_requirements",
            "order_line_ids",
            "attachment_ids",
            "other_review_ids",
            "requested_date",
        ):
            self.assertTrue(arch.xpath(f"//field[@name='{name}']"), name)

    def test_r10_other_departments_decisions_so_far(self):
        order = self._special_order()
        self._review(order, "quality").with_user(
            self.users["quality"]
        ).action_approve_with_conditions(CONDITIONS)
        committed = date.today() + timedelta(days=25)
        self._review(order, "pmc_planner").with_user(
            self.users["pmc_planner"]
        ).action_approve(comments="Line 2 is free", committed_date=committed)
        technical = self._review(order, "technical").with_user(self.users["technical"])
        others = technical.other_review_ids
        self.assertEqual(len(others), 3)
        quality = others.filtered(lambda r: r.state == "conditional")
        self.assertEqual(quality.decision_text, CONDITIONS)
        pmc = others.filtered(lambda r: r.state == "approved")
        self.assertEqual(
            (pmc.decision_text, pmc.committed_date), ("Line 2 is free", committed)
        )
        self.assertIn(CONDITIONS, technical.others_summary)
        self.assertIn("Line 2 is free", technical.others_summary)
        # Finance has not decided: it is listed, not summarised as a decision.
        self.assertIn("pending", others.mapped("state"))
        self.assertNotIn("Finance", technical.others_summary)
        # A rejection ends the round: the next round's reviews show only
        # their own round, not the voided or earlier decisions.
        technical.action_reject("Flame rating not reachable with this foam")
        order.action_op_register()
        new_quality = self._review(order, "quality")
        self.assertEqual(new_quality.round, 2)
        self.assertEqual(set(new_quality.other_review_ids.mapped("round")), {2})
        self.assertEqual(set(new_quality.other_review_ids.mapped("state")), {"pending"})
        self.assertFalse(new_quality.others_summary)

    def test_r10_one_text_kept_where_the_decision_keeps_it(self):
        quality = self.users["quality"]
        for decision, text, kept in (
            ("approved", "Lab free next week", "comments"),
            ("conditional", CONDITIONS, "reason"),
            ("rejected", "No salt-spray chamber", "reason"),
        ):
            order = self._new_order()
            order.action_op_register()
            review = self._review(order, "quality").with_user(quality)
            action = review.action_open_decision_wizard()
            with Form(
                self.env[action["res_model"]]
                .with_user(quality)
                .with_context(**action["context"])
            ) as dialog:
                dialog.decision = decision
                dialog.text = text
            dialog.record.action_confirm()
            self.assertEqual(review.state, decision)
            self.assertEqual(review.reviewer_id, quality)
            self.assertEqual(review[kept], text)
            other = "reason" if kept == "comments" else "comments"
            self.assertFalse(review[other], decision)
            self.assertEqual(review.decision_text, text)
        self.assertEqual(order.op_state, "returned")
        self.assertEqual(order.op_return_reason, "No salt-spray chamber")

    def test_r10_r37_dialog_refuses_a_decision_without_its_text(self):
        quality = self.users["quality"]
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "quality").with_user(quality)
        action = review.action_open_decision_wizard()
        wizards = self.env[action["res_model"]].with_user(quality)
        # The form requires the text of these decisions...
        with self.assertRaisesRegex(AssertionError, "text"):
            with Form(wizards.with_context(**action["context"])) as dialog:
                dialog.decision = "conditional"
        # ...and the server refuses it, whatever a client sends.
        for decision, text, message in (
            ("conditional", False, "conditions of the approval"),
            ("conditional", "  ", "conditions of the approval"),
            ("rejected", "", "reason for the rejection"),
            ("rejected", "\n", "reason for the rejection"),
        ):
            wizard = wizards.create(
                {"review_id": review.id, "decision": decision, "text": text}
            )
            with self.assertRaisesRegex(UserError, message):
                wizard.action_confirm()
        self.assertEqual(review.state, "pending")
        self.assertFalse(review.reviewer_id)
        self.assertFalse(review.reason or review.comments)
        self.assertEqual(order.op_state, "review")

    def test_r02_own_uploads_of_a_new_order_are_attached_to_it(self):
        """The original order uploaded before the order's first save belongs
        to the order (its reviewers read it); another user's loose upload
        linked by a client is not moved to the order."""
        attachments = self.env["ir.attachment"]
        own, others = (
            attachments.with_user(self.users[role]).create(
                {
                    "name": f"{role}.pdf",
                    "raw": b"%PDF-1.4",
                    "res_model": "sale.order",
                    "res_id": 0,
                }
            )
            for role in ("customer_mgmt", "finance")
        )
        order = self._new_order(
            op_source_attachment_ids=[Command.set((own | others).ids)]
        )
        self.assertEqual(own.res_id, order.id)
        self.assertFalse(others.res_id)
        own.with_user(self.users["technical"]).check("read")

    def test_r36_decide_button_only_for_who_may_decide(self):
        order = self._special_order()
        review = self._review(order, "quality")
        self.assertTrue(review.with_user(self.users["quality"]).can_decide)
        for role in ("technical", "audit", "sales", "customer_mgmt", "pmc_manager"):
            self.assertFalse(review.with_user(self.users[role]).can_decide, role)
        # R37: the one who registered the order may not decide Finance's
        # step even when holding the role.
        registrar = new_test_user(
            self.env,
            login="op_cm_and_finance",
            groups="base.group_user,order_process_addon.group_customer_mgmt,"
            "order_process_addon.group_finance",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        own = self._new_order()
        own.with_user(registrar).action_op_register()
        finance = self._review(own, "finance")
        self.assertFalse(finance.with_user(registrar).can_decide)
        self.assertTrue(finance.with_user(self.users["finance"]).can_decide)
        # Decided: nobody decides it again.
        review.with_user(self.users["quality"]).action_approve()
        self.assertFalse(review.with_user(self.users["quality"]).can_decide)
        # Every Decide button of the screens follows can_decide.
        button = "//button[@name='action_open_decision_wizard']"
        for model, view_type in (
            ("order.review", "list"),
            ("order.review", "kanban"),
            ("order.review", "form"),
        ):
            arch = self.env[model].get_views([(False, view_type)])["views"][view_type][
                "arch"
            ]
            buttons = etree.fromstring(arch).xpath(button)
            self.assertTrue(buttons, view_type)
            for node in buttons:
                self.assertEqual(node.get("invisible"), "not can_decide", view_type)
        order_form = self.env.ref("order_process_addon.sale_order_view_form")
        buttons = etree.fromstring(order_form.arch).xpath(
            f"//field[@name='op_review_ids']{button}"
        )
        self.assertEqual([b.get("invisible") for b in buttons], ["not can_decide"])

    def test_r36_server_refuses_who_may_not_decide(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "quality")
        audit = self.users["audit"]
        with self.assertRaises(AccessError):
            review.with_user(audit).action_open_decision_wizard()
        with self.assertRaises(AccessError):
            review.with_user(audit).action_approve()
        wizard = (
            self.env["order.review.decision.wizard"]
            .with_user(audit)
            .create({"review_id": review.id, "decision": "rejected", "text": "No"})
        )
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(review.state, "pending")
        self.assertFalse(review.reviewer_id)
        self.assertEqual(order.op_state, "review")

    def test_my_reviews_queries_do_not_grow_with_the_rows(self):
        for _i in range(8):
            self._special_order()
        self.assertEqual(len(self._my_reviews("quality")), 8)
        self._queries(lambda: self._my_reviews("quality"))  # warm caches
        two = self._queries(lambda: self._my_reviews("quality", limit=2))
        eight = self._queries(lambda: self._my_reviews("quality", limit=8))
        self.assertEqual(two, eight)

    def test_my_reviews_opens_as_cards_on_a_phone(self):
        """Odoo opens an action's kanban view first on a small screen
        (``mobile_view_mode``): My Reviews has one, with the content, the
        deadline and the Decide button."""
        action = self.env.ref("order_process_addon.order_review_action_my")
        self.assertEqual(action.view_mode, "list,kanban,form")
        self.assertEqual(action.mobile_view_mode, "kanban")
        arch = etree.fromstring(
            self.env["order.review"].get_views([(False, "kanban")])["views"]["kanban"][
                "arch"
            ]
        )
        for name in (
            "order_id",
            "content_summary",
            "special_requirements",
            "deadline",
            "others_summary",
        ):
            self.assertTrue(arch.xpath(f"//field[@name='{name}']"), name)


@tagged("post_install", "-at_install")
class TestReviewScreensOverRpc(HttpCase):
    """R36: a role user who may not decide a review gets no Decide button
    from the server's data, and the review refuses them over JSON-RPC."""

    def _call(self, login, model, method, *args, **kwargs):
        response = call_kw(self, login, model, method, args, kwargs)
        return response.json()

    def test_r36_quality_cannot_decide_the_technical_review(self):
        demo_company(self)
        order = self.env.ref("order_process_addon.sale_order_review_demo")
        technical = order.op_review_ids.filtered(
            lambda r: (
                r.group_id == self.env.ref("order_process_addon.group_technical")
                and r.state == "pending"
            )
        )
        self.assertTrue(technical)
        rows = self._call(
            "quality",
            "order.review",
            "web_read",
            order.op_review_ids.ids,
            specification={"can_decide": {}, "group_id": {}},
        )["result"]
        quality = self.env.ref("order_process_addon.group_quality").id
        self.assertEqual(
            {row["id"]: row["can_decide"] for row in rows},
            {row["id"]: row["group_id"] == quality for row in rows},
        )
        for method, args, kwargs in (
            ("action_open_decision_wizard", [technical.ids], {}),
            ("action_approve", [technical.ids], {}),
            ("action_reject", [technical.ids, "Not feasible"], {}),
        ):
            error = self._call("quality", "order.review", method, *args, **kwargs)
            self.assertEqual(
                error["error"]["data"]["name"], "odoo.exceptions.AccessError", method
            )
        created = self._call(
            "quality",
            "order.review.decision.wizard",
            "create",
            [{"review_id": technical.id, "decision": "approved", "text": "ok"}],
        )["result"]
        error = self._call(
            "quality", "order.review.decision.wizard", "action_confirm", created
        )
        self.assertEqual(error["error"]["data"]["name"], "odoo.exceptions.AccessError")
        technical.invalidate_recordset()
        self.assertEqual(technical.state, "pending")
        self.assertFalse(technical.reviewer_id)
