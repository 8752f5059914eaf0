# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestSignature(OrderProcessCase):
    """R8: an order takes effect only once the customer has signed it."""

    def test_r08_unsigned_order_cannot_be_confirmed(self):
        order = self._new_order()
        driver = self._driver()
        for stage in ("draft", "review", "answered"):
            if stage == "review":
                driver.register(order)
            if stage == "answered":
                self._answer(order)
            with self.assertRaisesRegex(UserError, "signed"):
                order.with_user(self.users["customer_mgmt"]).action_confirm()
            self.assertEqual(order.state, "draft")
            self.assertEqual(order.op_state, stage)
        # Nothing was started for it: no delivery, no procurement.
        self.assertFalse(order.picking_ids)
        self.assertFalse(
            self.env["stock.move"].search(
                [("sale_line_id", "in", order.order_line.ids)]
            )
        )

    def test_r08_signing_before_every_review_is_done_refused(self):
        order = self._new_order()
        order.action_op_register()
        self.assertFalse(order._has_to_be_signed())  # the portal shows no Sign button
        with self.assertRaisesRegex(UserError, "signed only after"):
            self._sign_with_scan(order)
        self.assertFalse(order.signed_by)
        self.assertEqual(order.state, "draft")

    def test_r08_signed_scan_makes_the_order_effective_and_d2_goes_to_pmc(self):
        order = self._answered_order()
        self.assertTrue(order._has_to_be_signed())
        self._sign_with_scan(order, signer="陈小姐")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.signed_by, "陈小姐")
        self.assertEqual(order.op_signature_source, "scan")
        self.assertEqual(order.op_signature_recorded_by_id, self.users["customer_mgmt"])
        self.assertEqual(order.op_signed_scan_id.res_id, order.id)
        self.assertTrue(order.op_effective_on)
        # D2 goes to PMC: the product is bought in (Odoo's default Buy route,
        # no BoM), so to the material controller (R11); nothing to plan (R12).
        self.assertTrue(order.order_line.product_id.op_is_oem)
        d2_todos = order.activity_ids.filtered(lambda a: "D2" in a.summary)
        self.assertIn(self.users["pmc_material"], d2_todos.user_id)
        self.assertNotIn(self.users["pmc_planner"], d2_todos.user_id)
        self.assertTrue(order.picking_ids)  # procurement starts only now

    def test_r36_only_customer_management_records_a_signature(self):
        order = self._answered_order()
        attachment = self.env["ir.attachment"].create({"name": "s.pdf", "raw": b"x"})
        with self.assertRaises(AccessError):
            order.with_user(self.users["pmc_planner"])._op_record_signed_scan(
                attachment, "Someone", datetime.now()
            )
        self.assertFalse(order.signed_by)
        self.assertEqual(order.op_state, "answered")

    def test_r37_signing_twice_refused(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        with self.assertRaises(UserError):
            self._sign_with_scan(order, signer="Someone else")
        self.assertEqual(order.signed_by, "Chen Xiaojie")

    def test_r37_signature_without_signer_or_in_the_future_refused(self):
        order = self._answered_order()
        attachment = self.env["ir.attachment"].create({"name": "s.pdf", "raw": b"x"})
        as_cm = order.with_user(self.users["customer_mgmt"])
        with self.assertRaisesRegex(UserError, "signer"):
            as_cm._op_record_signed_scan(attachment, " ", datetime.now())
        with self.assertRaisesRegex(UserError, "future"):
            as_cm._op_record_signed_scan(
                attachment, "Chen", datetime.now() + timedelta(days=1)
            )
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.signed_by)

    def test_promise_first_committed_date_is_frozen_after_signature(self):
        order = self._answered_order()
        first = order.op_first_committed_date
        self._sign_with_scan(order)
        with self.assertRaisesRegex(UserError, "first committed date"):
            order.write({"op_first_committed_date": first + timedelta(days=3)})
        with self.assertRaisesRegex(UserError, "never by direct writing"):
            order.write({"op_committed_date": first + timedelta(days=3)})
        self.assertEqual(order.op_first_committed_date, first)

    def test_r24_committed_date_change_needs_reason_and_department(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        first = order.op_first_committed_date
        as_pmc = order.with_user(self.users["pmc_planner"])
        with self.assertRaisesRegex(UserError, "reason"):
            as_pmc._op_change_committed_date(
                first + timedelta(days=5), "", "production"
            )
        with self.assertRaisesRegex(UserError, "past"):
            as_pmc._op_change_committed_date(
                date.today() - timedelta(days=1), "x", "pmc"
            )
        with self.assertRaises(AccessError):
            order.with_user(self.users["quality"])._op_change_committed_date(
                first + timedelta(days=5), "Machine down", "production"
            )
        self.assertEqual(order.op_committed_date, first)
        self.assertFalse(order.op_commitment_change_ids)
        as_pmc._op_change_committed_date(
            first + timedelta(days=5), "Machine down", "production"
        )
        self.assertEqual(order.op_committed_date, first + timedelta(days=5))
        self.assertEqual(order.op_first_committed_date, first)
        change = order.op_commitment_change_ids
        self.assertEqual(
            (change.old_date, change.new_date, change.department, change.user_id),
            (first, first + timedelta(days=5), "production", self.users["pmc_planner"]),
        )
        with self.assertRaises(UserError):
            change.unlink()

    def test_cancel_voids_pending_reviews(self):
        order = self._new_order()
        order.action_op_register()
        order.with_user(self.users["customer_mgmt"])._action_cancel()
        self.assertEqual(order.op_state, "cancel")
        self.assertEqual(set(order.op_review_ids.mapped("state")), {"voided"})

    def test_r35_stage_changes_are_tracked(self):
        order = self._new_order().with_context(tracking_disable=False)
        # Registration comes in a later transaction than the creation (whose
        # own changes Odoo does not track).
        self.env.flush_all()
        self.env.cr.precommit.run()
        order.action_op_register()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = order.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "op_state"
        )
        self.assertEqual(
            (tracked.old_value_char, tracked.new_value_char), ("Draft", "Under Review")
        )

    def test_r37_shipping_for_an_unsigned_order_refused(self):
        order = self._answered_order()
        group = self.env["procurement.group"].create(
            {"name": order.name, "sale_id": order.id}
        )
        # A delivery of the order's procurement group, as a user could create.
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "group_id": group.id,
                            "company_id": self.company.id,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        self.assertEqual(picking.sale_id, order)
        picking.action_confirm()
        with self.assertRaisesRegex(UserError, "not signed"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_stock_users_validate_deliveries_of_orders_they_cannot_read(self):
        """Odoo's own rule: an inventory user validates a delivery of a sale
        order they may not read; the process check does not change that."""
        plain = self.env["res.company"].create({"name": "Plain Co."})
        order = self._create_order(company=plain)
        order.action_confirm()
        stock_user = self.env["res.users"].create(
            {
                "name": "Stock Only",
                "login": "op_stock_only",
                "company_id": plain.id,
                "company_ids": [Command.set(plain.ids)],
                "groups_id": [Command.set([self.env.ref("stock.group_stock_user").id])],
            }
        )
        picking = order.picking_ids.with_user(stock_user).with_company(plain)
        picking.move_ids.quantity = 10
        picking.button_validate()
        self.assertEqual(picking.state, "done")
