# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Shipping (R23-R27): the shipping order D10 with its review, recall and
versions, the loading check D11 signed by two people, the gate check, and a
delivery that leaves only through them; each refusal changes nothing."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .test_production_quality import QualityCase

TUESDAY = "2026-12-01 02:00:00"  # 10:00 in Shanghai
WEDNESDAY = date(2026, 12, 2)
FRIDAY = date(2026, 12, 4)
SATURDAY = "2026-12-05 02:00:00"
MONDAY = date(2026, 12, 7)


@tagged("post_install", "-at_install")
class ShippingCase(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keeper = cls.users["fg_warehouse"]
        cls.loader = new_test_user(
            cls.env,
            login="op_loader",
            name="Loader Li",
            groups="base.group_user,order_process_addon.group_fg_warehouse",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    # ------------------------------------------------------------ helpers
    def _received_delivery(self):
        """The open delivery of an effective order whose D8 is signed."""
        receipt = self._signed_receipt()
        order = receipt.sale_order_id
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "done"
        )
        self.assertEqual(len(picking), 1)
        self.assertTrue(picking.op_process_delivery)
        return picking

    def _d10(self, picking, ship_date=WEDNESDAY, requirements=None):
        action = picking.with_user(
            self.users["customer_mgmt"]
        ).action_op_new_shipping_order()
        d10 = (
            self.env["order.shipping.order"]
            .with_user(self.users["customer_mgmt"])
            .browse(action["res_id"])
        )
        d10.write(
            {
                "ship_date": ship_date,
                "contact_name": "Ms. Wang",
                "special_requirements": requirements,
            }
        )
        return d10

    def _approved_d10(self, picking, requirements=None):
        driver = self._driver()
        with driver.at(TUESDAY):
            return driver.d10(picking, WEDNESDAY, special_requirements=requirements)

    def _loading_check(self, picking):
        action = picking.with_user(self.keeper).action_op_start_loading()
        return (
            self.env["order.loading.check"]
            .with_user(self.keeper)
            .browse(action["res_id"])
        )

    def _signed_check(self, picking):
        return self._driver().loading_check(picking, self.loader)

    def _gate(self, picking, result="pass", **vals):
        return (
            self.env["order.gate.check"]
            .with_user(self.users["administration"])
            .create(
                {
                    "picking_id": picking.id,
                    "vehicle_plate": "沪A 12345",
                    "seal_number": "S-889",
                    "result": result,
                    **vals,
                }
            )
        )

    def _activities(self, record, xmlid, user=None):
        kind = self.env.ref(f"order_process_addon.{xmlid}")
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and (not user or a.user_id == user)
        )

    def _vehicle_arrived(self, picking):
        """R25: the shipping group books a carrier and confirms arrival."""
        env = self.env(su=True)
        domain = [("company_id", "=", self.company.id)]
        if not env["order.carrier.contract"].search_count(domain):
            carrier = env["res.partner"].create({"name": "Pearl River Logistics"})
            env["order.carrier.contract"].create(
                {
                    "name": "CT-SHIP",
                    "partner_id": carrier.id,
                    "company_id": self.company.id,
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2027, 12, 31),
                }
            )
        contract = env["order.carrier.contract"].search(domain, limit=1)
        self._driver().carrier(picking, contract, plate="沪A 12345")
        self.assertTrue(picking.op_vehicle_arrived)

    def _set_quantities(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True


@tagged("post_install", "-at_install")
class TestShippingOrder(ShippingCase):
    """D10 (R23, R24)."""

    def test_r23_issued_and_approved_d10_tells_the_warehouse_to_prepare(self):
        picking = self._received_delivery()
        self.assertEqual(picking.op_shipping_step, "to_issue")
        with freeze_time(TUESDAY):
            d10 = self._d10(picking, requirements="Pallets wrapped\nLabels in Chinese")
            self.assertEqual(d10.name[-2:], "/1")
            self.assertEqual(d10.line_ids.quantity, 10)
            d10.action_issue()
            self.assertEqual(d10.state, "issued")
            self.assertEqual(picking.op_shipping_step, "d10_review")
            clerk_todo = self._activities(
                d10, "mail_activity_type_shipping", self.users["pmc_clerk"]
            )
            self.assertEqual(len(clerk_todo), 1)
            # Due the working day before shipping.
            self.assertEqual(clerk_todo.date_deadline, date(2026, 12, 1))
            self.assertFalse(
                self._activities(picking, "mail_activity_type_prepare_shipment")
            )
            # The clerk finds it in My To-dos, the oldest deadline first.
            action = self.env.ref("order_process_addon.mail_activity_action_my_process")
            clerk = self.users["pmc_clerk"]
            domain = safe_eval(action.domain, {"uid": clerk.id})
            todos = self.env["mail.activity"].with_user(clerk).search(domain)
            self.assertIn(clerk_todo, todos)
            self.assertEqual(todos.user_id, clerk)
            self.assertEqual(
                todos.mapped("date_deadline"), sorted(todos.mapped("date_deadline"))
            )
            d10.with_user(self.users["pmc_clerk"]).action_approve()
        self.assertEqual(d10.state, "approved")
        self.assertEqual(d10.approved_by_id, self.users["pmc_clerk"])
        self.assertEqual(picking.op_shipping_step, "to_prepare")
        prepare = self._activities(
            picking, "mail_activity_type_prepare_shipment", self.keeper
        )
        self.assertEqual(len(prepare), 1)
        self.assertEqual(prepare.date_deadline, date(2026, 12, 1))
        # The clerk's copy is kept on the delivery.
        self.assertEqual(d10.copy_attachment_id.res_model, "stock.picking")
        self.assertEqual(d10.copy_attachment_id.res_id, picking.id)
        self.assertTrue(d10.copy_attachment_id.raw)

    def test_r23_d10_less_than_one_working_day_ahead_is_refused(self):
        picking = self._received_delivery()
        for today, ship_date in (
            (TUESDAY, date(2026, 12, 1)),  # today
            (TUESDAY, date(2026, 11, 30)),  # past
            (SATURDAY, MONDAY),  # Friday was the last working day to issue it
        ):
            with freeze_time(today):
                d10 = picking.op_shipping_order_ids.filtered(
                    lambda d: d.state == "draft"
                ) or self._d10(picking)
                d10.with_user(self.users["customer_mgmt"]).ship_date = ship_date
                with self.assertRaisesRegex(UserError, "working day"):
                    d10.with_user(self.users["customer_mgmt"]).action_issue()
                self.assertEqual(d10.state, "draft")
                self.assertFalse(d10.submitted_by_id)
        # Friday for Monday is one working day ahead.
        with freeze_time("2026-12-04 02:00:00"):
            d10.with_user(self.users["customer_mgmt"]).ship_date = MONDAY
            d10.with_user(self.users["customer_mgmt"]).action_issue()
        self.assertEqual(d10.state, "issued")

    def test_r23_d10_needs_the_signed_d8(self):
        production = self._released_production()
        picking = production.op_sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            with self.assertRaisesRegex(UserError, "D8"):
                d10.action_issue()
        self.assertEqual(d10.state, "draft")

    def test_r23_d10_cannot_be_forged_over_rpc(self):
        picking = self._received_delivery()
        ShippingOrder = self.env["order.shipping.order"].with_user(
            self.users["customer_mgmt"]
        )
        with self.assertRaises(AccessError):
            ShippingOrder.create(
                {
                    "picking_id": picking.id,
                    "ship_date": WEDNESDAY,
                    "partner_shipping_id": picking.partner_id.id,
                    "state": "approved",
                }
            )
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            for vals in (
                {"state": "approved"},
                {"approved_by_id": self.users["pmc_clerk"].id},
                {"version": 5},
            ):
                with self.assertRaises(AccessError):
                    d10.write(vals)
            d10.action_issue()
            with self.assertRaises(UserError):
                d10.write({"ship_date": date(2026, 12, 20)})
            self.assertEqual(d10.ship_date, WEDNESDAY)
            # Only the clerk reviews, and not the one who issued it.
            with self.assertRaises(AccessError):
                d10.action_approve()
            self.assertEqual(d10.state, "issued")
        with self.assertRaises(UserError):
            d10.sudo().unlink()

    def test_r37_clerk_does_not_approve_the_d10_they_issued(self):
        picking = self._received_delivery()
        both = self.users["customer_mgmt"]
        both.groups_id = [
            Command.link(self.env.ref("order_process_addon.group_pmc_clerk").id)
        ]
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            d10.action_issue()
            with self.assertRaisesRegex(UserError, "someone else"):
                d10.action_approve()
        self.assertEqual(d10.state, "issued")

    def test_r23_returned_d10_is_corrected_and_issued_again(self):
        picking = self._received_delivery()
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            d10.action_issue()
            clerk_d10 = d10.with_user(self.users["pmc_clerk"])
            with self.assertRaises(UserError):
                clerk_d10.action_return("  ")
            self.assertEqual(d10.state, "issued")
            clerk_d10.action_return("Wrong contact")
            self.assertEqual(d10.state, "returned")
            self.assertEqual(picking.op_shipping_step, "to_issue")
            d10.contact_name = "Mr. Zhao"
            d10.action_issue()
            clerk_d10.action_approve()
        self.assertEqual(d10.state, "approved")

    def test_r21_d10_of_an_unpaid_prepaid_order_needs_an_override(self):
        picking = self._received_delivery()
        order = picking.sale_id
        order.sudo().op_payment_condition = "prepay"
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            with self.assertRaisesRegex(UserError, "R21"):
                d10.action_issue()
            self.assertEqual(d10.state, "draft")
            order.with_user(self.users["general_manager"]).action_op_override_payment(
                "Long-standing customer, pays on delivery this time"
            )
            d10.action_issue()
        self.assertEqual(d10.state, "issued")
        self.assertTrue(d10.payment_override_ids)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("order_process_addon.action_report_order_d10", d10.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("Long-standing customer", html)


@tagged("post_install", "-at_install")
class TestShipmentRecall(ShippingCase):
    """R24: a moved or cancelled shipment recalls its D10."""

    def test_r24_recall_voids_keeps_and_a_new_version_follows_the_agreed_date(self):
        picking = self._received_delivery()
        order = picking.sale_id
        d10 = self._approved_d10(picking)
        new_date = date(2027, 1, 12)
        with freeze_time(TUESDAY):
            d10.action_recall("Customer's warehouse closed", "customer", new_date)
            self.assertEqual(d10.state, "void")
            self.assertEqual(d10.void_department, "customer")
            # Every department that received it is told.
            for user in (
                self.users["pmc_clerk"],
                self.keeper,
            ):
                self.assertTrue(
                    d10.activity_ids.filtered(lambda a, u=user: a.user_id == u)
                    or picking.activity_ids.filtered(
                        lambda a, u=user: a.user_id == u and "recalled" in a.summary
                    ),
                    user.login,
                )
            self.assertFalse(
                self._activities(picking, "mail_activity_type_prepare_shipment")
            )
            # No new version before PMC agreed the date.
            with self.assertRaisesRegex(UserError, "agreed with PMC"):
                picking.with_user(
                    self.users["customer_mgmt"]
                ).action_op_new_shipping_order()
            self.assertEqual(len(picking.op_shipping_order_ids), 1)
            with self.assertRaises(AccessError):
                d10.action_agree_new_date()
            d10.with_user(self.users["pmc_planner"]).action_agree_new_date()
        self.assertEqual(d10.agreed_date, new_date)
        # The delivery promise moved: the order's committed date history says
        # who is responsible.
        change = order.op_commitment_change_ids[:1]
        self.assertEqual(change.new_date, new_date)
        self.assertEqual(change.department, "customer")
        self.assertEqual(order.op_committed_date, new_date)
        with freeze_time(TUESDAY):
            second = self._d10(picking, ship_date=date(2027, 1, 13))
            self.assertEqual(second.version, 2)
            self.assertEqual(second.name, f"{d10.base_name}/2")
            self.assertEqual(second.previous_id, d10)
            with self.assertRaisesRegex(UserError, "agreed with PMC"):
                second.action_issue()
            second.ship_date = new_date
            second.action_issue()
        # All versions stay on the delivery.
        self.assertEqual(picking.op_shipping_order_ids, d10 | second)
        # The recalled version prints VOID, the new one does not.
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "order_process_addon.action_report_order_d10", d10.ids
        )[0].decode()
        self.assertIn("o_op_void_mark", html)
        self.assertIn("Customer&#39;s warehouse closed", html)
        html = report._render_qweb_html(
            "order_process_addon.action_report_order_d10", second.ids
        )[0].decode()
        self.assertNotIn("o_op_void_mark", html)

    def test_r24_recall_needs_a_reason_a_department_and_a_future_date(self):
        picking = self._received_delivery()
        d10 = self._approved_d10(picking)
        with freeze_time(TUESDAY):
            for args in (
                ("", "customer", None),
                ("Customer asked", None, None),
                ("Customer asked", "customer", date(2026, 11, 30)),
            ):
                with self.assertRaises(UserError):
                    d10.action_recall(*args)
                self.assertEqual(d10.state, "approved")
            with self.assertRaises(AccessError):
                d10.with_user(self.keeper).action_recall("x", "customer")
            # A cancelled shipment (no date yet): PMC sets one later.
            d10.action_recall("Customer cancelled the call-off", "customer")
            with self.assertRaisesRegex(UserError, "after today"):
                d10.with_user(self.users["pmc_planner"]).action_agree_new_date(
                    date(2026, 12, 1)
                )
            self.assertFalse(d10.agreed_date)
            d10.with_user(self.users["pmc_planner"]).action_agree_new_date(FRIDAY)
        self.assertEqual(d10.agreed_date, FRIDAY)


@tagged("post_install", "-at_install")
class TestLoadingAndGate(ShippingCase):
    """D11 (R26) and the gate check (R27), then the delivery leaves."""

    def test_r26_r27_the_delivery_leaves_through_every_step(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        # Nothing leaves before the steps: at both doors.
        with self.assertRaisesRegex(UserError, "D10"):
            picking.with_user(self.keeper).button_validate()
        with self.assertRaisesRegex(UserError, "D10"):
            picking.move_ids.with_user(self.keeper)._action_done()
        self.assertEqual(picking.state, "assigned")
        d10 = self._approved_d10(picking, requirements="Pallets wrapped")
        with self.assertRaisesRegex(UserError, "D11"):
            picking.with_user(self.keeper).button_validate()
        # Loading needs the approved D10, then both signatures.
        check = self._loading_check(picking)
        self.assertEqual(check.shipping_order_id, d10)
        self.assertEqual(picking.op_shipping_step, "loading")
        self.assertEqual(check.requirement_ids.name, "Pallets wrapped")
        check.line_ids.write({"checked": True})
        with self.assertRaisesRegex(UserError, "special requirement"):
            check.with_user(self.loader).action_sign_loader()
        check.requirement_ids.write({"checked": True})
        check.with_user(self.loader).action_sign_loader()
        self.assertEqual(check.state, "signing")
        # Nothing changes after the first signature.
        with self.assertRaises(UserError):
            check.line_ids.write({"qty_loaded": 3})
        with self.assertRaisesRegex(UserError, "two different people"):
            check.with_user(self.loader).action_sign_keeper()
        self.assertFalse(check.keeper_id)
        # A gate check before the loading is signed is refused.
        with self.assertRaises(UserError) as refused:
            self._gate(picking)
        self.assertIn("not loaded yet", str(refused.exception))
        self.assertFalse(picking.op_gate_check_ids)
        check.action_sign_keeper()
        self.assertEqual(check.state, "signed")
        self.assertEqual(picking.op_shipping_step, "at_gate")
        with self.assertRaisesRegex(UserError, "gate"):
            picking.with_user(self.keeper).button_validate()
        # A hold needs a reason and tells the merchandiser and the warehouse.
        with self.assertRaises(UserError) as refused:
            self._gate(picking, result="hold")
        self.assertIn("reason", str(refused.exception))
        self.assertFalse(picking.op_gate_check_ids)
        with self.assertRaises(AccessError):
            self.env["order.gate.check"].with_user(self.keeper).create(
                {"picking_id": picking.id, "vehicle_plate": "X", "result": "pass"}
            )
        self._gate(picking, result="hold", hold_reason="Seal broken")
        self.assertEqual(picking.op_shipping_step, "at_gate")
        held = picking.activity_ids.filtered(lambda a: "Seal broken" in a.summary)
        # (The PMC manager holds the warehouse's role too.)
        self.assertEqual(
            held.user_id,
            self.users["customer_mgmt"]
            | self.keeper
            | self.loader
            | self.users["pmc_manager"],
        )
        gate = self._gate(picking)
        self.assertEqual(gate.checked_by_id, self.users["administration"])
        self.assertEqual(picking.op_shipping_step, "ready")
        with self.assertRaises(UserError):
            gate.with_user(self.users["administration"]).write({"result": "hold"})
        # R25: not without the booked vehicle.
        with self.assertRaisesRegex(UserError, "vehicle"):
            picking.with_user(self.keeper).button_validate()
        self._vehicle_arrived(picking)
        # The gate saw the booked vehicle's plate.
        self.assertEqual(picking._op_vehicle_plate(), "沪A 12345")
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.op_shipping_step, "left")
        # D11 is Odoo's delivery slip with the loading check on it.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("o_op_d11", html)
        self.assertIn(self.loader.name, html)
        self.assertIn("Pallets wrapped", html)

    def test_r26_a_difference_keeps_its_reason_and_is_never_a_match(self):
        picking = self._received_delivery()
        self._approved_d10(picking)
        check = self._loading_check(picking)
        line = check.line_ids
        line.write({"checked": True, "qty_loaded": 8})
        self.assertFalse(line.matches)
        with self.assertRaises(AccessError):
            line.write({"matches": True})
        with self.assertRaisesRegex(UserError, "reason of the difference"):
            check.with_user(self.loader).action_sign_loader()
        self.assertFalse(check.loader_id)
        line.mismatch_reason = "Two cartons damaged"
        check.with_user(self.loader).action_sign_loader()
        check.action_sign_keeper()
        self.assertTrue(check.mismatch)
        self.assertFalse(line.matches)
        # The delivery ships what was loaded, not what was planned.
        self._gate(picking)
        self._set_quantities(picking)
        with self.assertRaisesRegex(UserError, "loaded and signed"):
            picking.with_user(self.keeper).button_validate()
        picking.move_ids.quantity = 8
        self._vehicle_arrived(picking)
        picking.with_user(self.keeper).with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids
        ).button_validate()
        self.assertEqual(picking.state, "done")

    def test_r26_loading_starts_after_the_approved_d10_only(self):
        picking = self._received_delivery()
        with self.assertRaisesRegex(UserError, "approved shipping order"):
            self._loading_check(picking)
        with self.assertRaises(AccessError):
            self.env["order.loading.check"].with_user(self.keeper).create(
                {"picking_id": picking.id}
            )
        self.assertFalse(picking.op_loading_check_ids)

    def test_odoo_deliveries_outside_the_process_ship_as_usual(self):
        self.company.op_enabled = False
        order = self._create_order()
        order.action_confirm()
        picking = order.picking_ids
        self.assertFalse(picking.op_process_delivery)
        self.assertFalse(picking.op_shipping_step)
        self._set_quantities(picking)
        picking.button_validate()
        self.assertEqual(picking.state, "done")


@tagged("post_install", "-at_install")
class TestShippingCost(ShippingCase):
    """The shipping steps cost the same with 1 or 20 deliveries under way:
    nothing searches across the company's deliveries."""

    def _more_deliveries(self, picking, count):
        copies = self.env["stock.picking"]
        for _i in range(count):
            copy = picking.copy({"group_id": picking.group_id.id})
            copy.action_confirm()
            copies |= copy
        self.assertTrue(all(copies.mapped("op_process_delivery")))
        return copies

    def _cost(self, picking):
        """Queries of approving picking's D10, and of its D11 check."""
        with freeze_time(TUESDAY):
            d10 = self._d10(picking, requirements="Labels")
            d10.action_issue()
            approve = self._queries(
                d10.with_user(self.users["pmc_clerk"]).action_approve
            )
        check = self._loading_check(picking)
        check.line_ids.write({"checked": True})
        check.requirement_ids.write({"checked": True})
        check.with_user(self.loader).action_sign_loader()
        sign = self._queries(check.action_sign_keeper)
        return approve, sign

    def test_r23_r26_d10_approval_and_d11_signature_do_not_grow(self):
        picking = self._received_delivery()
        warm_up, second, later = self._more_deliveries(picking, 3)
        self._cost(warm_up)
        few = self._cost(second)
        self._more_deliveries(picking, 17)
        self.assertGreaterEqual(
            self.env["stock.picking"].search_count(
                [("op_process_delivery", "=", True), ("state", "!=", "done")]
            ),
            20,
        )
        many = self._cost(later)
        self.assertEqual(few, many, "(approve D10, sign D11) with 1 and 20 deliveries")
        approve, sign = many
        # Measured on 2026-11-28: 136 and 80 queries, the same with 1 and 20
        # deliveries (the approval renders the clerk's copy of D10; the
        # second signature closes the warehouse's to-do and tells the gate).
        self.assertLessEqual(approve, 140)
        self.assertLessEqual(sign, 85)
