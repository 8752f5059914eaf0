# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Carriers (R25): carrier contracts, the vehicle booked for a process
delivery, its arrival confirmed by the shipping group, and the late vehicle
flagged on the delivery list and escalated once to the PMC manager."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import OrderProcessCase

LATE = "order_process_addon.mail_activity_type_carrier_late"


@tagged("post_install", "-at_install")
class TestCarrier(OrderProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        service = cls.env["product.product"].create(
            {"name": "Freight", "type": "service"}
        )
        cls.delivery_method = cls.env["delivery.carrier"].create(
            {"name": "Pearl River Freight", "product_id": service.id}
        )
        cls.carrier_partner = cls.env["res.partner"].create(
            {"name": "Pearl River Logistics Co.", "is_company": True}
        )
        today = date.today()
        cls.contract = cls._contract(
            "CT-2026-01", today - timedelta(days=30), today + timedelta(days=60)
        )
        cls.keeper = cls.users["fg_warehouse"]

    @classmethod
    def _contract(cls, name, start, end, **vals):
        return (
            cls.env["order.carrier.contract"]
            .with_user(cls.users["pmc_manager"])
            .create(
                {
                    "name": name,
                    "carrier_id": cls.delivery_method.id,
                    "partner_id": cls.carrier_partner.id,
                    "company_id": cls.company.id,
                    "date_start": start,
                    "date_end": end,
                    "terms": "Pick-up within 2 hours of the call",
                    "liability": "Up to CNY 50,000 per trip",
                    "rate_notes": "CNY 800 per trip in the Pearl River Delta",
                    **vals,
                }
            )
        )

    # ------------------------------------------------------------ helpers
    def _delivery(self):
        """The outgoing delivery of an effective (signed) process order."""
        order = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(order)
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertEqual(len(picking), 1)
        self.assertTrue(picking.op_process_delivery)
        return picking

    def _book(self, picking, user=None, **vals):
        """Book through the dialog of the Shipping tab, as ``user``."""
        user = user or self.keeper
        action = picking.with_user(user).action_op_book_carrier()
        values = {
            "contract_id": self.contract,
            "vehicle_plate": "yue b 12345",
            "driver_name": "Li Wei",
            "driver_phone": "+86 138 0000 0000",
            "planned_arrival": fields.Datetime.now() + timedelta(hours=2),
            **vals,
        }
        dialog = Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )
        self.assertEqual(dialog.picking_id, picking)
        for name, value in values.items():
            setattr(dialog, name, value)
        dialog.save().action_book()
        return picking.op_carrier_booking_id

    def _void(self, picking, reason, user=None):
        user = user or self.keeper
        action = picking.with_user(user).action_op_void_carrier_booking()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create({"reason": reason})
        )
        wizard.action_confirm()

    def _late_activities(self, bookings):
        kind = self.env.ref(LATE)
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "order.carrier.booking"),
                    ("res_id", "in", bookings.ids),
                    ("activity_type_id", "=", kind.id),
                ]
            )
        )

    def _assert_refused(self, picking, message, **vals):
        """Booking refused with ``message``, and nothing changed."""
        before = (picking.sudo().op_carrier_booking_ids, picking.carrier_id)
        with self.assertRaises(UserError) as caught:
            self._book(picking, **vals)
        self.assertIn(message, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(
            (picking.sudo().op_carrier_booking_ids, picking.carrier_id), before
        )

    # ------------------------------------------------------------ contracts
    def test_r25_contract_needs_a_carrier_and_is_valid_between_its_dates(self):
        with self.assertRaises(ValidationError):
            self._contract(
                "CT-none",
                date.today(),
                date.today(),
                carrier_id=False,
                partner_id=False,
            )
        # A new contract in its form, before its dates are given.
        self.assertFalse(self.env["order.carrier.contract"].new({}).is_valid)
        # The carrier's company alone is enough.
        only_partner = self._contract(
            "CT-partner", date.today(), date.today(), carrier_id=False
        )
        old = self._contract(
            "CT-2025", date.today() - timedelta(days=400), date.today() - timedelta(1)
        )
        self.assertTrue(self.contract.is_valid)
        self.assertTrue(only_partner.is_valid)
        self.assertFalse(old.is_valid)
        contracts = self.env["order.carrier.contract"]
        valid = contracts.search([("is_valid", "=", True)])
        self.assertIn(self.contract, valid)
        self.assertNotIn(old, valid)
        self.assertIn(old, contracts.search([("is_valid", "=", False)]))
        # On a given day (the planned arrival's).
        last_year = contracts.with_context(op_valid_on=date.today() - timedelta(100))
        self.assertIn(old, last_year.search([("is_valid", "=", True)]))
        self.assertTrue(last_year.browse(old.id).is_valid)

    def test_r25_contracts_are_managed_by_the_fg_warehouse_and_pmc_manager(self):
        for role in ("fg_warehouse", "pmc_manager"):
            contract = self._contract("CT-" + role, date.today(), date.today())
            contract.with_user(self.users[role]).write({"rate_notes": "New rates"})
        for role in ("sales", "customer_mgmt", "pmc_clerk", "audit", "finance"):
            with self.assertRaises(AccessError):
                self.contract.with_user(self.users[role]).write({"terms": "x"})
            with self.assertRaises(AccessError):
                self.env["order.carrier.contract"].with_user(self.users[role]).create(
                    {
                        "name": "CT-forged",
                        "partner_id": self.carrier_partner.id,
                        "date_start": date.today(),
                        "date_end": date.today(),
                    }
                )
            # ... and every role reads them.
            self.contract.with_user(self.users[role]).read(["name", "is_valid"])

    def test_r25_a_used_contract_is_archived_not_deleted(self):
        self._book(self._delivery())
        with self.assertRaisesRegex(UserError, "archive it"):
            self.contract.with_user(self.users["pmc_manager"]).unlink()
        other = self.env["delivery.carrier"].create(
            {"name": "Other", "product_id": self.delivery_method.product_id.id}
        )
        with self.assertRaisesRegex(UserError, "do not change"):
            self.contract.with_user(self.users["pmc_manager"]).carrier_id = other
        self.assertEqual(self.contract.carrier_id, self.delivery_method)
        self.contract.with_user(self.users["pmc_manager"]).action_archive()
        self.assertFalse(self.contract.active)
        # An unused one may be deleted.
        unused = self._contract("CT-unused", date.today(), date.today())
        unused.with_user(self.keeper).unlink()
        self.assertFalse(unused.exists())

    # ------------------------------------------------------------ book
    def test_r25_shipping_group_books_a_vehicle_and_confirms_its_arrival(self):
        picking = self._delivery()
        arrival = fields.Datetime.now().replace(microsecond=0) + timedelta(hours=3)
        booking = self._book(picking, planned_arrival=arrival)
        self.assertEqual(booking.state, "booked")
        self.assertEqual(booking.contract_id, self.contract)
        self.assertEqual(booking.carrier_id, self.delivery_method)
        self.assertEqual(booking.carrier_partner_id, self.carrier_partner)
        self.assertEqual(booking.vehicle_plate, "YUE B 12345")
        self.assertEqual(booking.driver_name, "Li Wei")
        self.assertEqual(booking.planned_arrival, arrival)
        self.assertEqual(booking.booked_by_id, self.keeper)
        self.assertEqual(booking.company_id, self.company)
        # On the delivery: the vehicle, and Odoo's own carrier for the slip.
        self.assertEqual(picking.op_vehicle_plate, "YUE B 12345")
        self.assertEqual(picking.op_planned_arrival, arrival)
        self.assertFalse(picking.op_vehicle_arrived)
        self.assertFalse(picking.op_vehicle_late)
        self.assertEqual(picking.carrier_id, self.delivery_method)
        # Administration's gate check (R27) starts from the booked plate.
        gate = picking.with_user(self.users["administration"]).action_op_gate_check()
        self.assertEqual(gate["context"]["default_vehicle_plate"], "YUE B 12345")
        # The driver changes: name and phone may be corrected, not the plate.
        booking.with_user(self.keeper).driver_name = "Wang Fang"
        with self.assertRaises(UserError):
            booking.with_user(self.keeper).vehicle_plate = "YUE B 99999"
        with self.assertRaises(AccessError):
            booking.with_user(self.keeper).write({"state": "arrived"})
        # The vehicle arrives.
        picking.with_user(self.keeper).action_op_confirm_vehicle_arrival()
        self.assertEqual(booking.state, "arrived")
        self.assertTrue(booking.arrived_on)
        self.assertEqual(booking.arrival_confirmed_by_id, self.keeper)
        self.assertTrue(picking.op_vehicle_arrived)
        with self.assertRaisesRegex(UserError, "only a booked vehicle"):
            booking.with_user(self.keeper).action_confirm_arrival()
        with self.assertRaises(UserError):
            booking.with_user(self.keeper).driver_name = "Zhao Lei"

    def test_r25_every_role_reads_the_carrier_on_the_shipping_tab(self):
        picking = self._delivery()
        self._book(picking)
        for role in ("fg_warehouse", "audit", "customer_mgmt", "pmc_clerk", "quality"):
            with self.subTest(role=role):
                as_user = picking.with_user(self.users[role])
                arch = as_user.get_views([(False, "form")])["views"]["form"]["arch"]
                self.assertIn("op_carrier_booking_ids", arch)
                self.assertEqual(
                    "action_op_book_carrier" in arch, role == "fg_warehouse"
                )
                self.env.invalidate_all()
                [values] = as_user.web_read(
                    {
                        "op_vehicle_plate": {},
                        "op_vehicle_late": {},
                        "op_carrier_booking_id": {"fields": {"display_name": {}}},
                        "op_carrier_booking_ids": {
                            "fields": {
                                "vehicle_plate": {},
                                "state": {},
                                "contract_id": {"fields": {"display_name": {}}},
                            }
                        },
                    }
                )
                self.assertEqual(values["op_vehicle_plate"], "YUE B 12345")
                self.assertEqual(len(values["op_carrier_booking_ids"]), 1)

    def test_r25_an_expired_contract_cannot_be_booked(self):
        picking = self._delivery()
        today = date.today()
        expired = self._contract(
            "CT-old", today - timedelta(days=100), today - timedelta(days=1)
        )
        self._assert_refused(picking, "expired on", contract_id=expired)
        # Valid today but expired on the planned arrival date.
        ending = self._contract("CT-ending", today - timedelta(days=10), today)
        self._assert_refused(
            picking,
            "expired on",
            contract_id=ending,
            planned_arrival=fields.Datetime.now() + timedelta(days=3),
        )
        future = self._contract(
            "CT-next", today + timedelta(days=10), today + timedelta(days=100)
        )
        self._assert_refused(picking, "is valid from", contract_id=future)
        archived = self._contract("CT-archived", today, today + timedelta(days=30))
        archived.action_archive()
        self._assert_refused(picking, "is archived", contract_id=archived)

    def test_r25_a_contract_of_another_company_cannot_be_booked(self):
        picking = self._delivery()
        other = self.env["res.company"].create({"name": "Other Co."})
        foreign = (
            self.env["order.carrier.contract"]
            .sudo()
            .create(
                {
                    "name": "CT-foreign",
                    "partner_id": self.carrier_partner.id,
                    "company_id": other.id,
                    "date_start": date.today(),
                    "date_end": date.today() + timedelta(days=30),
                }
            )
        )
        # The keeper does not even read it...
        with self.assertRaises(AccessError):
            foreign.with_user(self.keeper).check_access("read")
        # ... and as the process, the contract's company is checked.
        with self.assertRaises(UserError) as caught:
            self.env["order.carrier.booking"].create(
                {
                    "picking_id": picking.id,
                    "contract_id": foreign.id,
                    "vehicle_plate": "YUE B 1",
                    "planned_arrival": fields.Datetime.now() + timedelta(hours=1),
                }
            )
        self.assertIn("belongs to another company", str(caught.exception))
        self.env.invalidate_all()
        self.assertFalse(picking.sudo().op_carrier_booking_ids)

    def test_r25_booking_refused_without_plate_or_in_the_past(self):
        picking = self._delivery()
        self._assert_refused(picking, "plate", vehicle_plate="   ")
        self._assert_refused(
            picking,
            "in the past",
            planned_arrival=fields.Datetime.now() - timedelta(minutes=5),
        )

    def test_r25_only_the_shipping_group_books_and_confirms(self):
        picking = self._delivery()
        for role in ("sales", "customer_mgmt", "pmc_clerk", "administration", "audit"):
            user = self.users[role]
            with self.assertRaises(AccessError):
                self._book(picking, user=user)
            with self.assertRaises(AccessError):
                self.env["order.carrier.booking"].with_user(user).create(
                    {
                        "picking_id": picking.id,
                        "contract_id": self.contract.id,
                        "vehicle_plate": "YUE B 2",
                        "planned_arrival": fields.Datetime.now() + timedelta(hours=1),
                    }
                )
        self.assertFalse(picking.sudo().op_carrier_booking_ids)
        booking = self._book(picking)
        for role in ("sales", "pmc_clerk", "administration", "audit"):
            user = self.users[role]
            with self.assertRaises(AccessError):
                picking.with_user(user).action_op_confirm_vehicle_arrival()
            with self.assertRaises(AccessError):
                booking.with_user(user).action_void("Not mine")
        self.assertEqual(booking.state, "booked")
        # The PMC manager holds the FG warehouse role.
        picking.with_user(self.users["pmc_manager"]).action_op_confirm_vehicle_arrival()
        self.assertEqual(booking.arrival_confirmed_by_id, self.users["pmc_manager"])

    def test_r25_one_booking_at_a_time(self):
        picking = self._delivery()
        booking = self._book(picking)
        self._assert_refused(picking, "already has the booking", vehicle_plate="B 2")
        self.assertEqual(picking.sudo().op_carrier_booking_ids, booking)
        # Arrived, it is still the delivery's vehicle.
        booking.with_user(self.keeper).action_confirm_arrival()
        self._assert_refused(picking, "already has the booking", vehicle_plate="B 3")

    def test_r25_void_then_rebook_keeps_both(self):
        picking = self._delivery()
        first = self._book(picking)
        with self.assertRaisesRegex(UserError, "reason"):
            first.with_user(self.keeper).action_void("  ")
        self.assertEqual(first.state, "booked")
        self._void(picking, "Truck broke down on the way")
        self.assertEqual(first.state, "voided")
        self.assertEqual(first.void_reason, "Truck broke down on the way")
        self.assertEqual(first.voided_by_id, self.keeper)
        self.assertFalse(picking.op_carrier_booking_id)
        self.assertFalse(picking.carrier_id)
        with self.assertRaisesRegex(UserError, "already voided"):
            first.with_user(self.keeper).action_void("Again")
        second = self._book(picking, vehicle_plate="YUE B 67890")
        self.assertNotEqual(first, second)
        self.assertEqual(picking.op_carrier_booking_id, second)
        self.assertEqual(picking.op_vehicle_plate, "YUE B 67890")
        self.assertEqual(picking.sudo().op_carrier_booking_ids, first | second)
        self.assertEqual(picking.carrier_id, self.delivery_method)
        # Kept: never deleted, not even by the PMC manager (R35).
        with self.assertRaises(UserError):
            first.unlink()
        with self.assertRaises(AccessError):
            first.with_user(self.users["pmc_manager"]).unlink()

    # ------------------------------------------------------------ late
    def test_r25_late_vehicle_is_flagged_and_filtered(self):
        picking = self._delivery()
        on_time = self._delivery()
        arrival = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        self._book(picking, planned_arrival=arrival)
        self._book(on_time, planned_arrival=arrival + timedelta(hours=4))
        pickings = self.env["stock.picking"].with_user(self.keeper)
        late_filter = [("op_vehicle_late", "=", True)]
        self.assertFalse(picking.op_vehicle_late)
        self.assertFalse(pickings.search(late_filter + [("id", "=", picking.id)]))
        with freeze_time(arrival + timedelta(minutes=1)):
            self.env.invalidate_all()
            self.assertTrue(picking.op_vehicle_late)
            self.assertFalse(on_time.op_vehicle_late)
            found = pickings.search(late_filter)
            self.assertIn(picking, found)
            self.assertNotIn(on_time, found)
            self.assertIn(on_time, pickings.search([("op_vehicle_late", "=", False)]))
            self.assertNotIn(
                picking, pickings.search([("op_vehicle_late", "!=", True)])
            )
            # Confirmed (late), it is no longer waited for.
            picking.with_user(self.keeper).action_op_confirm_vehicle_arrival()
            self.assertFalse(picking.op_vehicle_late)
            self.assertNotIn(picking, pickings.search(late_filter))
        # The list shows the flag; the filter is in the search view.
        search = (
            self.env["stock.picking"]
            .with_user(self.keeper)
            .get_views([(False, "list"), (False, "search")])
        )
        self.assertIn("op_vehicle_late", search["views"]["list"]["arch"])
        self.assertIn('name="op_vehicle_late"', search["views"]["search"]["arch"])

    def test_r25_r34_late_vehicle_escalated_once_to_the_pmc_manager(self):
        picking = self._delivery()
        arrival = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        booking = self._book(picking, planned_arrival=arrival)
        bookings = self.env["order.carrier.booking"]
        # Not late yet: nothing.
        bookings._cron_escalate_late_vehicles()
        self.assertFalse(self._late_activities(booking))
        with freeze_time(arrival + timedelta(minutes=20)):
            bookings._cron_escalate_late_vehicles()
            bookings._cron_escalate_late_vehicles()
        activities = self._late_activities(booking)
        self.assertEqual(activities.user_id, self.users["pmc_manager"])
        self.assertEqual(len(activities), 1)
        self.assertEqual(booking.late_escalated_on, arrival + timedelta(minutes=20))
        # Confirming the arrival closes the escalation.
        with freeze_time(arrival + timedelta(minutes=30)):
            booking.with_user(self.keeper).action_confirm_arrival()
        self.assertFalse(self._late_activities(booking))

    def test_r25_late_backlog_escalated_in_batches_exactly_once(self):
        picking = self._delivery()
        arrival = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        bookings = self._book(picking, planned_arrival=arrival)
        # More process deliveries of the same order (backorders, splits, made
        # by Odoo's machinery: a user may not duplicate one, issue 19).
        for _i in range(6):
            other = picking.sudo().copy()
            other.action_confirm()
            self.assertTrue(other.op_process_delivery)
            bookings |= self._book(other, planned_arrival=arrival)
        cron = self.env.ref("order_process_addon.ir_cron_escalate_late_vehicles")
        model = self.env["order.carrier.booking"]
        calls = []
        with freeze_time(arrival + timedelta(minutes=20)):
            # As the scheduler does: call again while some remain.
            while True:
                cron, progress = cron._add_progress()
                done = model.with_context(
                    ir_cron_progress_id=progress.id
                )._cron_escalate_late_vehicles(batch_size=3)
                calls.append((progress.done, progress.remaining))
                self.assertLessEqual(len(done), 3)
                if not progress.remaining:
                    break
            model._cron_escalate_late_vehicles(batch_size=3)
        self.assertEqual(calls, [(3, 4), (3, 1), (1, 0)])
        activities = self._late_activities(bookings)
        self.assertEqual(len(activities), 7)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(bookings.ids))
        self.assertTrue(all(bookings.mapped("late_escalated_on")))

    # ------------------------------------------------------------ Odoo's own
    def test_r25_odoo_deliveries_outside_the_process_are_unaffected(self):
        main = self.env.ref("base.main_company")
        order = self._create_order(company=main)
        self.assertFalse(order.op_active)
        order.action_confirm()
        picking = order.picking_ids
        self.assertFalse(picking.op_process_delivery)
        # No booking of the process on it...
        contract = (
            self.env["order.carrier.contract"]
            .sudo()
            .create(
                {
                    "name": "CT-main",
                    "carrier_id": self.delivery_method.id,
                    "company_id": main.id,
                    "date_start": date.today(),
                    "date_end": date.today() + timedelta(days=30),
                }
            )
        )
        with self.assertRaises(UserError) as caught:
            self.env["order.carrier.booking"].create(
                {
                    "picking_id": picking.id,
                    "contract_id": contract.id,
                    "vehicle_plate": "B 1",
                    "planned_arrival": fields.Datetime.now() + timedelta(hours=1),
                }
            )
        self.assertIn("not a delivery of the Order Process", str(caught.exception))
        self.env.invalidate_all()
        # ... Odoo's carrier field as usual...
        picking.carrier_id = self.delivery_method
        self.assertFalse(picking.op_vehicle_late)
        self.assertFalse(picking.op_vehicle_plate)
        # ... read and listed by a stock user outside the process...
        stock_user = new_test_user(
            self.env,
            login="plain_stock_user",
            groups="base.group_user,stock.group_stock_user",
            company_id=main.id,
            company_ids=[Command.set(main.ids)],
        )
        as_user = picking.with_user(stock_user)
        as_user.read(["op_vehicle_plate", "op_vehicle_late", "carrier_id"])
        views = (
            self.env["stock.picking"]
            .with_user(stock_user)
            .get_views([(False, "list"), (False, "form"), (False, "search")])
        )
        self.assertNotIn("op_vehicle_plate", views["views"]["list"]["arch"])
        self.assertNotIn("op_carrier_booking_ids", views["views"]["form"]["arch"])
        self.assertNotIn("op_vehicle_late", views["views"]["search"]["arch"])
        # ... and shipped as usual.
        picking.move_ids.quantity = 10
        picking.move_ids.picked = True
        as_user.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.carrier_id, self.delivery_method)
