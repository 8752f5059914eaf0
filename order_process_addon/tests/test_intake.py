# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestIntake(OrderProcessCase):
    """Intake (R1-R3) and the registration that starts the review."""

    def test_r01_order_has_sales_person_and_merchandiser(self):
        order = self._new_order()
        self.assertEqual(order.op_merchandiser_id, self.users["customer_mgmt"])
        self.assertEqual(order.user_id, self.users["customer_mgmt"])
        order.op_merchandiser_id = False
        with self.assertRaisesRegex(UserError, "merchandiser"):
            order.action_op_register()
        self.assertEqual(order.op_state, "draft")
        self.assertFalse(order.op_review_ids)

    def test_r02_channel_po_and_source_document_recorded(self):
        source = self.env["ir.attachment"].create(
            {"name": "customer-po.pdf", "raw": b"%PDF-1.4 PO"}
        )
        order = self._new_order(op_source_attachment_ids=[Command.set(source.ids)])
        self.assertEqual(order.op_channel, "email")
        self.assertEqual(order.client_order_ref, "PO-4711")
        self.assertEqual(order.op_source_attachment_ids, source)

    def test_r03_registration_starts_the_review_on_d1(self):
        order = self._new_order()
        order.action_op_register()
        self.assertEqual(order.op_state, "review")
        self.assertEqual(order.op_review_round, 1)
        self.assertEqual(order.op_registered_by_id, self.users["customer_mgmt"])
        steps = order.op_review_ids.mapped("step_id")
        ref = self.env.ref
        self.assertEqual(
            set(steps.ids),
            {
                ref("order_process_addon.review_step_pmc").id,
                ref("order_process_addon.review_step_quality").id,
                ref("order_process_addon.review_step_finance").id,
            },
        )
        self.assertTrue(all(r.state == "pending" for r in order.op_review_ids))
        # One activity per reviewer of each step (R34).
        activities = order.activity_ids.filtered("op_review_id")
        self.assertEqual(
            set(activities.mapped("user_id").ids),
            {self.users[r].id for r in ("pmc_planner", "quality", "finance")}
            | {self.users["pmc_manager"].id},  # holds the PMC planner role
        )

    def test_r36_only_customer_management_registers(self):
        order = self._new_order()
        with self.assertRaises(AccessError):
            order.with_user(self.users["quality"]).action_op_register()
        self.assertEqual(order.op_state, "draft")

    def test_r37_zero_or_negative_quantity_refused(self):
        order = self._new_order()
        for qty in (0, -5):
            with self.assertRaises(ValidationError):
                order.order_line.write({"product_uom_qty": qty})
        self.assertEqual(order.order_line.product_uom_qty, 10)

    def test_r37_requested_date_in_the_past_refused(self):
        order = self._new_order(op_requested_date=date.today() - timedelta(days=1))
        with self.assertRaisesRegex(UserError, "past"):
            order.action_op_register()
        self.assertEqual(order.op_state, "draft")

    def test_r37_order_without_lines_refused(self):
        order = self._new_order(lines=0)
        with self.assertRaises(UserError):
            order.action_op_register()
        self.assertEqual(order.op_state, "draft")

    def test_r03_registering_twice_refused(self):
        order = self._new_order()
        order.action_op_register()
        with self.assertRaises(UserError):
            order.action_op_register()
        self.assertEqual(order.op_review_round, 1)

    def test_order_outside_the_process_cannot_be_registered(self):
        plain = self.env["res.company"].create({"name": "Plain Co."})
        order = self._create_order(company=plain)
        self.users["customer_mgmt"].company_ids |= plain
        with self.assertRaises(UserError):
            order.with_user(self.users["customer_mgmt"]).with_company(
                plain
            ).action_op_register()

    def test_form_registers_an_order_as_the_client_does(self):
        env = self.env(user=self.users["customer_mgmt"])
        with Form(env["sale.order"].with_company(self.company)) as form:
            form.partner_id = self.customer
            form.op_channel = "phone"
            form.op_urgency = "rush"
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 3
        order = form.record
        self.assertTrue(order.op_active)
        self.assertTrue(order.op_is_rush)
        order.action_op_register()
        self.assertEqual(order.op_state, "review")
