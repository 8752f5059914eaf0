# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Payment (R19-R22): the follow-up after the finished-goods receipt, the
payment status read from real invoices and payments, the notification when
an invoice is paid, and no shipment before payment for the customers who
pay first, unless a manager releases it with a reason."""

from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_production_quality import QualityCase

SECOND_PLAN_DAY = date(2026, 10, 13)
BEFORE_SECOND_DEADLINE = "2026-10-12 22:00:00"
DURING_SECOND_DAY = "2026-10-13 03:00:00"


@tagged("post_install", "-at_install")
class TestPayment(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.prepaying = cls.env["res.partner"].create({"name": "Prepaying Customer"})
        cls.prepaying.with_company(cls.company).op_payment_before_shipment = True
        cls.account_manager = cls.env["res.users"].create(
            {
                "name": "Chief Accountant",
                "login": "op_account_manager",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("order_process_addon.group_finance").id,
                            cls.env.ref("account.group_account_manager").id,
                        ]
                    )
                ],
            }
        )

    # ------------------------------------------------------------ helpers
    def _order(self, partner=None):
        order = self._answered_order(
            partner_id=(partner or self.customer).id, user_id=self.users["sales"].id
        )
        self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        return order

    def _invoice(self, order, **vals):
        order = self.env["sale.order"].browse(order.id).with_company(self.company)
        invoice = order._create_invoices(final=True)
        if vals:
            invoice.write(vals)
        invoice.action_post()
        return invoice

    def _down_payment(self, order, percent=50):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_company(self.company)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": percent})
        )
        wizard.create_invoices()
        invoice = (
            self.env["sale.order"]
            .browse(order.id)
            .invoice_ids.filtered(lambda m: m.state == "draft")
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None):
        finance = self.users["finance"]
        wizard = (
            self.env["account.payment.register"]
            .with_user(finance)
            .with_company(self.company)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount} if amount else {})
        )
        return wizard._create_payments()

    def _delivery(self, order):
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "done"
        )
        self.assertEqual(len(picking), 1)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        # Recorded, not walked: D10's issue refuses an unpaid pay-first order (R21).
        self._shipping_steps_done(picking)
        return picking

    def _loaded_as_shipped(self, picking):
        """The D11 of the fixture loaded what the delivery now ships."""
        check = picking.op_loading_check_ids.sudo()
        for line in check.line_ids:
            line.qty_loaded = line.move_id.quantity

    def _shipping_steps_done(self, picking):
        """The shipping steps of R23-R27 (tested in test_shipping.py), as
        records, so that only payment (R21) decides here."""
        env = self.env(su=True)
        if picking.op_shipping_order_ids or not picking.op_process_delivery:
            return
        d10 = env["order.shipping.order"].create(
            {
                "picking_id": picking.id,
                "sale_order_id": picking.sale_id.id,
                "name": f"D10/TEST-{picking.id}/1",
                "base_name": f"D10/TEST-{picking.id}",
                "ship_date": date.today() + timedelta(days=1),
                "partner_shipping_id": picking.partner_id.id,
                "state": "approved",
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "product_id": move.product_id.id,
                            "quantity": move.product_uom_qty,
                            "uom_id": move.product_uom.id,
                        }
                    )
                    for move in picking.move_ids
                ],
            }
        )
        check = env["order.loading.check"].create(
            {
                "picking_id": picking.id,
                "shipping_order_id": d10.id,
                "state": "signed",
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "product_id": move.product_id.id,
                            "uom_id": move.product_uom.id,
                            "qty_expected": move.product_uom_qty,
                            "qty_loaded": move.product_uom_qty,
                            "checked": True,
                        }
                    )
                    for move in picking.move_ids
                ],
            }
        )
        env["order.gate.check"].create(
            {
                "picking_id": picking.id,
                "loading_check_id": check.id,
                "vehicle_plate": "A1",
                "result": "pass",
            }
        )
        carrier = env["res.partner"].create({"name": "Test Carrier"})
        contract = env["order.carrier.contract"].create(
            {
                "name": f"CT-TEST-{picking.id}",
                "partner_id": carrier.id,
                "company_id": picking.company_id.id,
                "date_start": date.today() - timedelta(days=10),
                "date_end": date.today() + timedelta(days=10),
            }
        )
        env["order.carrier.booking"].create(
            {
                "picking_id": picking.id,
                "contract_id": contract.id,
                "vehicle_plate": "A1",
                # The booking's own clock (frozen or not): never in the past.
                "planned_arrival": fields.Datetime.now() + timedelta(hours=1),
                "state": "arrived",
                "arrived_on": fields.Datetime.now(),
            }
        )

    def _payment_activities(self, order):
        kind = self.env.ref("order_process_addon.mail_activity_type_payment")
        return order.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def _second_receipt(self, order):
        production = self._production(order)
        plan = self._plan(production, day=SECOND_PLAN_DAY)
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time(BEFORE_SECOND_DEADLINE):
            plan.action_release()
        production.action_start()
        self._test(production, "pass")
        receipt = production.with_user(
            self.users["production"]
        )._op_deliver_to_warehouse()
        with freeze_time(DURING_SECOND_DAY):
            receipt.with_user(self.users["fg_warehouse"]).action_count_and_sign(
                5, self.users["production"]
            )
        return receipt

    # ------------------------------------------------------------ R19
    def test_r19_signed_receipt_starts_one_payment_follow_up(self):
        receipt = self._signed_receipt()
        order = receipt.sale_order_id
        self.assertTrue(order)
        activities = self._payment_activities(order)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, order.op_merchandiser_id)
        self.assertIn(order.user_id.partner_id, order.message_partner_ids)
        # A second receipt of the same order while the to-do is open: no other.
        self._second_receipt(order)
        self.assertEqual(self._payment_activities(order), activities)

    def test_r19_follow_up_goes_to_customer_management_without_merchandiser(self):
        order = self._order()
        order.sudo().op_merchandiser_id = False
        order._op_start_payment_follow_up()
        self.assertEqual(
            self._payment_activities(order).user_id, self.users["customer_mgmt"]
        )

    # ------------------------------------------------------------ R20
    def test_r20_payment_status_from_real_invoices_and_payments(self):
        order = self._order()
        self.assertEqual(order.op_payment_state, "not_invoiced")
        self.assertFalse(order.op_amount_due)
        down = self._down_payment(order)
        self.assertEqual(order.op_payment_state, "not_paid")
        self.assertEqual(order.op_amount_due, down.amount_residual_signed)
        self._pay(down)
        # The down payment is paid, the rest is not invoiced yet.
        self.assertEqual(order.op_payment_state, "partial")
        self.assertFalse(order.op_amount_due)
        final = self._invoice(order)
        self.assertEqual(order.op_payment_state, "partial")
        self.assertEqual(order.op_amount_due, final.amount_residual_signed)
        half = final.amount_residual / 2
        self._pay(final, half)
        self.assertEqual(final.payment_state, "partial")
        self.assertEqual(order.op_payment_state, "partial")
        self.assertAlmostEqual(order.op_amount_due, final.amount_residual_signed)
        self._pay(final)
        self.assertEqual(order.op_payment_state, "paid")
        self.assertFalse(order.op_amount_due)
        self.assertFalse(order.op_payment_overdue)

    def test_r20_payment_without_journal_entry_still_counts(self):
        """REFERENCE trap: a payment without outstanding account makes no
        entry and no reconciliation (Enterprise's "in payment"), so Odoo's
        paid hook does not fire; the status reads the invoice's stored state."""
        order = self._order()
        invoice = self._invoice(order)
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "in", ("bank", "cash"))]
        )
        journals.inbound_payment_method_line_ids.payment_account_id = False
        with patch.object(
            self.env.registry["account.move"],
            "_get_invoice_in_payment_state",
            lambda move: "in_payment",
        ):
            payment = self._pay(invoice)
            self.assertFalse(payment.move_id)
            self.assertEqual(invoice.payment_state, "in_payment")
            self.assertTrue(invoice.amount_residual)
            self.assertEqual(order.op_payment_state, "paid")
        self.assertFalse(order.op_amount_due)

    def test_r20_payment_status_cannot_be_typed(self):
        order = self._order()
        for role in ("finance", "customer_mgmt", "sales"):
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).write({"op_payment_state": "paid"})
        self.assertEqual(order.op_payment_state, "not_invoiced")

    def test_r20_paid_invoice_notifies_customer_management_and_pmc(self):
        order = self._order()
        self._order_follow_up(order)
        invoice = self._invoice(order)
        self._pay(invoice)
        note = order.message_ids.filtered(
            lambda m: invoice.name in (m.body or "") and "R20" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn(order.op_merchandiser_id.partner_id, note.partner_ids)
        self.assertIn(self.users["pmc_planner"].partner_id, note.partner_ids)
        # The follow-up to-do is done.
        self.assertFalse(self._payment_activities(order))

    def test_r22_follow_up_falls_due_with_the_invoice(self):
        """A payment follow-up is overdue only when the customer is late:
        its deadline moves to the due date of the order's open invoice."""
        order = self._order()
        self._order_follow_up(order)
        today = date.today()
        self.assertEqual(self._payment_activities(order).date_deadline, today)
        invoice = self._invoice(
            order, invoice_date=today, invoice_date_due=today + timedelta(days=30)
        )
        activity = self._payment_activities(order)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, today + timedelta(days=30))
        self.assertEqual(activity.state, "planned")
        self.assertFalse(order.op_payment_overdue)
        # Started after the invoice: due with it from the start.
        other = self._order()
        self._invoice(
            other, invoice_date=today, invoice_date_due=today + timedelta(days=15)
        )
        self._order_follow_up(other)
        self.assertEqual(
            self._payment_activities(other).date_deadline, today + timedelta(days=15)
        )
        # Paid: the to-do is done, whatever its date.
        self._pay(invoice)
        self.assertFalse(self._payment_activities(order))

    def _order_follow_up(self, order):
        order._op_start_payment_follow_up()
        self.assertEqual(len(self._payment_activities(order)), 1)

    # ------------------------------------------------------------ R22
    def test_r22_overdue_collection_is_found_and_shows_both_people(self):
        order = self._order()
        today = date.today()
        invoice = self._invoice(
            order,
            invoice_date=today - timedelta(days=40),
            invoice_date_due=today - timedelta(days=10),
        )
        self.assertEqual(invoice.invoice_date_due, today - timedelta(days=10))
        self.assertEqual(order.op_payment_state, "not_paid")
        self.assertTrue(order.op_payment_overdue)
        self.assertEqual(order.op_amount_overdue, invoice.amount_residual_signed)
        SaleOrder = self.env["sale.order"].with_company(self.company)
        self.assertIn(order, SaleOrder.search([("op_payment_overdue", "=", True)]))
        self.assertNotIn(order, SaleOrder.search([("op_payment_overdue", "=", False)]))
        # "My Collections": the sales person's and the merchandiser's orders.
        for role in ("sales", "customer_mgmt"):
            mine = SaleOrder.with_user(self.users[role]).search(
                [
                    "|",
                    ("user_id", "=", self.users[role].id),
                    ("op_merchandiser_id", "=", self.users[role].id),
                    ("op_payment_overdue", "=", True),
                ]
            )
            self.assertIn(order, mine, role)
        # Paid, it is no longer overdue.
        self._pay(invoice)
        self.assertFalse(order.op_payment_overdue)
        self.assertNotIn(order, SaleOrder.search([("op_payment_overdue", "=", True)]))

    def test_r22_payment_panel_in_the_order_form(self):
        arch = (
            self.env["sale.order"]
            .with_user(self.users["finance"])
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        for name in ("op_payment_state", "op_amount_due", "op_merchandiser_id"):
            self.assertIn(f'name="{name}"', arch)

    # ------------------------------------------------------------ R21
    def test_r21_payment_condition_comes_from_the_customer(self):
        self.assertEqual(self._new_order().op_payment_condition, "credit")
        order = self._new_order(partner_id=self.prepaying.id)
        self.assertEqual(order.op_payment_condition, "prepay")

    def test_r21_only_finance_changes_the_condition(self):
        order = self._order(self.prepaying)
        for role in ("sales", "customer_mgmt", "pmc_manager", "general_manager"):
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).write(
                    {"op_payment_condition": "credit"}
                )
            if role == "general_manager":
                continue  # releases it, with a reason (below)
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).action_op_set_payment_condition(
                    "credit", reason="Good customer"
                )
        self.assertEqual(order.op_payment_condition, "prepay")
        with self.assertRaises(UserError):
            order.with_user(self.users["finance"]).action_op_set_payment_condition(
                "cash"
            )
        # Signed, letting it ship on credit is a release (R21, issue 19): not
        # the plain Finance user, nor a manager without a reason.
        with self.assertRaises(AccessError):
            order.with_user(self.users["finance"]).action_op_set_payment_condition(
                "credit", reason="Good customer"
            )
        with self.assertRaises(UserError):
            order.with_user(self.account_manager).action_op_set_payment_condition(
                "credit"
            )
        self.assertEqual(order.op_payment_condition, "prepay")
        order.with_user(self.account_manager).action_op_set_payment_condition(
            "credit", reason="Good customer"
        )
        self.assertIn("Good customer", order.op_payment_override_ids.reason or "")
        self.assertEqual(order.op_payment_condition, "credit")
        # Shipped on credit now.
        picking = self._delivery(order)
        picking.with_user(self.users["fg_warehouse"]).button_validate()
        self.assertEqual(picking.state, "done")

    def test_r21_unpaid_delivery_refused_at_both_doors(self):
        order = self._order(self.prepaying)
        picking = self._delivery(order)
        self.assertTrue(picking.op_waits_for_payment)
        keeper = self.users["fg_warehouse"]
        with self.assertRaisesRegex(UserError, "paid before shipment"):
            picking.with_user(keeper).button_validate()
        # The side door (POS, OCA shipment_advice) is closed too.
        with self.assertRaisesRegex(UserError, "paid before shipment"):
            picking.move_ids.with_user(keeper)._action_done()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.mapped("state"), ["assigned"])

    def test_r21_paid_delivery_ships(self):
        order = self._order(self.prepaying)
        picking = self._delivery(order)
        invoice = self._invoice(order)
        self._pay(invoice, invoice.amount_residual / 2)
        with self.assertRaisesRegex(UserError, "paid before shipment"):
            picking.with_user(self.users["fg_warehouse"]).button_validate()
        self._pay(invoice)
        self.assertEqual(order.op_payment_state, "paid")
        self.assertFalse(picking.op_waits_for_payment)
        picking.with_user(self.users["fg_warehouse"]).button_validate()
        self.assertEqual(picking.state, "done")

    def test_r21_override_with_a_reason_releases_the_delivery(self):
        order = self._order(self.prepaying)
        picking = self._delivery(order)
        order.with_user(self.users["general_manager"]).action_op_override_payment(
            "Key account, payment promised by Friday"
        )
        override = order.op_payment_override_ids
        self.assertEqual(len(override), 1)
        self.assertEqual(override.user_id, self.users["general_manager"])
        self.assertEqual(override.reason, "Key account, payment promised by Friday")
        self.assertEqual(picking.op_payment_override_ids, override)
        self.assertFalse(picking.op_waits_for_payment)
        picking.with_user(self.users["fg_warehouse"]).button_validate()
        self.assertEqual(picking.state, "done")
        # Kept: neither edited nor deleted.
        with self.assertRaises(AccessError):
            override.with_user(self.users["general_manager"]).write({"reason": "x"})
        with self.assertRaises(UserError):
            override.unlink()

    def test_r21_override_by_a_finance_manager_for_one_delivery(self):
        order = self._order(self.prepaying)
        picking = self._delivery(order)
        order.with_user(self.account_manager).action_op_override_payment(
            "Goods for the customer's trial line", picking.ids
        )
        self.assertEqual(order.op_payment_override_ids.picking_ids, picking)
        picking.with_user(self.users["fg_warehouse"]).button_validate()
        self.assertEqual(picking.state, "done")
        # A return comes in from the customer: it is never held.
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 1
        returned = wizard._create_return()
        returned.move_ids.quantity = 1
        returned.move_ids.picked = True
        returned.with_user(self.users["fg_warehouse"]).button_validate()
        self.assertEqual(returned.state, "done")

    def test_r21_override_refused_without_reason_or_role(self):
        order = self._order(self.prepaying)
        for role in ("sales", "pmc_manager", "finance", "customer_mgmt"):
            with self.assertRaises(AccessError):
                order.with_user(self.users[role]).action_op_override_payment("Because")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.users["general_manager"]).action_op_override_payment(
                "  "
            )
        self.assertFalse(order.sudo().op_payment_override_ids)
        with self.assertRaises(AccessError):
            self.env["order.payment.override"].with_user(
                self.users["general_manager"]
            ).create({"order_id": order.id, "reason": "forged"})
        # An order shipped on credit needs no release.
        credit = self._order()
        with self.assertRaisesRegex(UserError, "nothing to release"):
            credit.with_user(self.users["general_manager"]).action_op_override_payment(
                "Because"
            )

    def test_odoo_orders_outside_the_process_ship_as_usual(self):
        main = self.env.ref("base.main_company")
        partner = self.env["res.partner"].create({"name": "Plain customer"})
        partner.with_company(main).op_payment_before_shipment = True
        order = self._create_order(company=main, partner_id=partner.id)
        self.assertFalse(order.op_active)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
