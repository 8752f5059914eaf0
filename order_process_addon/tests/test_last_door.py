# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 19: nothing leaves the factory around the process (R21, R23-R27,
R29, R36). Each path that let goods reach a customer past the steps is
tried as the role users would over RPC (the ORM as the user, with whatever
values and context a client sends), and each refusal changes nothing: the
delivery's state, the order's delivered quantity, the shipping step."""

import copy
from datetime import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .test_shipping import TUESDAY, ShippingCase

# Keys a client may add, hoping one of them opens a door.
CONTEXT = {
    "tracking_disable": True,
    "install_mode": True,
    "skip_backorder": True,
    "cancel_backorder": True,
    "op_door": True,
    "sudo": True,
}
# AccessError and ValidationError are UserErrors too.
REFUSED = UserError


@tagged("post_install", "-at_install")
class TestLastDoor(ShippingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A non-superuser administrator who holds every right of Odoo's
        # inventory and every role of the process.
        cls.admin = new_test_user(
            cls.env,
            login="op_admin_all",
            groups=",".join(
                ["base.group_user", "base.group_system", "stock.group_stock_manager"]
                + [
                    f"order_process_addon.group_{role}"
                    for role in ("fg_warehouse", "pmc_manager", "general_manager")
                ]
            ),
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.attackers = (cls.keeper, cls.users["pmc_manager"], cls.admin)
        cls.other_customer = cls.env["res.partner"].create({"name": "Customer B"})
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customers = warehouse.out_type_id.default_location_dest_id

    # ------------------------------------------------------------ helpers
    def _as(self, records, user):
        return records.with_user(user).with_context(**CONTEXT)

    def _state(self, picking):
        """What must not change when a path is refused."""
        picking.invalidate_recordset()
        order = picking.sale_id
        return (
            picking.state,
            picking.op_shipping_step,
            picking.partner_id,
            picking.location_dest_id,
            picking.picking_type_id,
            picking.date_done,
            tuple(picking.move_ids.mapped("state")),
            tuple(picking.move_ids.mapped("quantity")),
            tuple(order.order_line.mapped("qty_delivered")),
            order.op_in_progress,
        )

    def _refused(self, picking, attempt, *attackers):
        for user in attackers or self.attackers:
            before = self._state(picking)
            with self.subTest(user=user.login):
                with self.assertRaises(REFUSED):
                    attempt(user)
                self.assertEqual(self._state(picking), before, "nothing changed")

    def _ready(self, picking):
        """Quantities set, D10 approved, D11 signed, gate passed, vehicle
        in: the delivery may leave (through the driver)."""
        driver = self._driver()
        driver.pick(picking)
        d10 = self._approved_d10(picking)
        check = driver.loading_check(picking, self.loader)
        driver.gate_check(picking, plate="沪A 12345")
        self._vehicle_arrived(picking)
        return d10, check

    # ------------------------------------------------------------ state
    def test_r27_moves_written_done_without_d10_are_refused(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        self._refused(
            picking,
            lambda u: self._as(picking.move_ids, u).write({"state": "done"}),
        )
        self._refused(
            picking,
            lambda u: self._as(picking.move_ids, u).write(
                {"state": "done", "date": fields.Datetime.now(), "picked": True}
            ),
        )
        self._refused(
            picking,
            lambda u: self._as(picking.move_line_ids, u).write({"state": "done"}),
        )
        self.assertEqual(picking.op_shipping_step, "to_issue")
        self.assertFalse(picking.sale_id.order_line.qty_delivered)

    def test_r27_picking_written_done_is_refused(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        self._refused(
            picking,
            lambda u: self._as(picking, u).write(
                {"state": "done", "date_done": fields.Datetime.now()}
            ),
        )
        self._refused(
            picking,
            lambda u: self._as(picking, u).write(
                {"move_ids": [Command.update(picking.move_ids.id, {"state": "done"})]}
            ),
        )
        self.assertTrue(picking.sale_id.op_in_progress)

    # ------------------------------------------------------------ route
    def test_r27_delivery_turned_into_an_internal_transfer_is_refused(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        internal = (
            self.env["stock.picking.type"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("code", "=", "internal"),
                    ("sequence_code", "=", "INT"),
                ],
                limit=1,
            )
        )
        self.assertTrue(internal)
        internal.active = False
        self._refused(
            picking,
            lambda u: self._as(picking, u).write(
                {
                    "picking_type_id": internal.id,
                    "location_dest_id": self.customers.id,
                }
            ),
        )
        self._refused(
            picking,
            lambda u: self._as(picking, u).write({"picking_type_id": internal.id}),
        )
        self._refused(
            picking,
            lambda u: self._as(picking.move_ids, u).write(
                {"picking_type_id": internal.id}
            ),
        )

    def test_r27_goods_of_an_order_leave_only_through_its_delivery(self):
        """A transfer of the warehouse, not the order's delivery, carrying
        the order's goods to the customer (typed by the warehouse, or made
        by a migration: as the superuser) is stopped at the last door."""
        picking = self._received_delivery()
        internal = (
            self.env["stock.picking.type"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("code", "=", "internal"),
                    ("sequence_code", "=", "INT"),
                ],
                limit=1,
            )
        )
        self.assertTrue(internal)
        line = picking.move_ids.sale_line_id
        vals = {
            "picking_type_id": internal.id,
            "location_id": picking.location_id.id,
            "location_dest_id": picking.location_dest_id.id,
            "move_ids": [
                Command.create(
                    {
                        "name": "Gasket",
                        "product_id": self.product.id,
                        "product_uom_qty": 10,
                        "location_id": picking.location_id.id,
                        "location_dest_id": picking.location_dest_id.id,
                        "sale_line_id": line.id,
                    }
                )
            ],
        }
        for user in self.attackers:
            with self.subTest(user=user.login), self.assertRaises(REFUSED):
                self.env["stock.picking"].with_user(user).with_context(
                    **CONTEXT
                ).create(copy.deepcopy(vals))
        side = self.env["stock.picking"].sudo().create(copy.deepcopy(vals))
        for user in self.attackers:
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "only through the order"):
                    side.with_user(user).button_validate()
                with self.assertRaisesRegex(UserError, "only through the order"):
                    side.move_ids.with_user(user)._action_done()
        self.assertNotEqual(side.state, "done")
        self.assertFalse(line.qty_delivered)

    def test_r26_goods_leave_only_for_the_d10_customer(self):
        picking = self._received_delivery()
        d10, _check = self._ready(picking)
        self.assertEqual(picking.partner_id, d10.partner_shipping_id)
        self._refused(
            picking,
            lambda u: self._as(picking, u).write(
                {"partner_id": self.other_customer.id}
            ),
        )
        self._refused(
            picking,
            lambda u: self._as(picking.move_ids, u).write(
                {"partner_id": self.other_customer.id}
            ),
        )
        # Changed behind the guard's back (a migration, the superuser): the
        # last door still sees it.
        picking.sudo().partner_id = self.other_customer
        with self.assertRaisesRegex(UserError, "shipping order"):
            picking.with_user(self.keeper).button_validate()
        self.assertNotEqual(picking.state, "done")
        picking.sudo().partner_id = d10.partner_shipping_id
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.op_left_through, "steps")

    def test_r23_approved_d10_sends_the_goods_to_its_address(self):
        picking = self._received_delivery()
        address = self.env["res.partner"].create(
            {
                "name": "Warehouse 2",
                "type": "delivery",
                "parent_id": self.customer.id,
            }
        )
        with freeze_time(TUESDAY):
            d10 = self._d10(picking)
            d10.partner_shipping_id = address
            d10.with_user(self.users["customer_mgmt"]).action_issue()
            d10.with_user(self.users["pmc_clerk"]).action_approve()
        self.assertEqual(picking.partner_id, address)

    # ------------------------------------------------------------ quantities
    def test_r26_loading_more_than_the_approved_d10_needs_a_new_version(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        self._approved_d10(picking)
        check = self._loading_check(picking)
        check.line_ids.write(
            {"checked": True, "qty_loaded": 15, "mismatch_reason": "Spare parts"}
        )
        with self.assertRaisesRegex(UserError, "new version"):
            check.with_user(self.loader).action_sign_loader()
        self.assertFalse(check.loader_id)
        # Within the company's documented tolerance, it is a difference
        # with its reason.
        self.company.op_ship_qty_tolerance = 10.0
        check.line_ids.write({"qty_loaded": 11})
        check.with_user(self.loader).action_sign_loader()
        check.action_sign_keeper()
        self.assertEqual(check.state, "signed")

    def test_r26_shipping_more_than_the_approved_d10_is_refused_at_the_door(self):
        picking = self._received_delivery()
        _d10, check = self._ready(picking)
        # Forged past the steps (as the superuser): 15 loaded and shipped.
        check.line_ids.sudo().write({"qty_loaded": 15})
        picking.move_ids.sudo().write({"quantity": 15})
        with self.assertRaisesRegex(UserError, "approved shipping order"):
            picking.with_user(self.keeper).button_validate()
        with self.assertRaisesRegex(UserError, "approved shipping order"):
            picking.move_ids.with_user(self.keeper)._action_done()
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.sale_id.order_line.qty_delivered)

    def test_r37_a_negative_loaded_quantity_is_refused(self):
        picking = self._received_delivery()
        self._approved_d10(picking)
        check = self._loading_check(picking)
        for value in (-5, -0.01):
            with self.assertRaises(ValidationError):
                check.line_ids.with_user(self.keeper).write({"qty_loaded": value})
            self.assertEqual(check.line_ids.qty_loaded, 10)

    def test_r26_products_of_a_process_delivery_are_the_orders(self):
        picking = self._received_delivery()
        other = self.env["product.product"].create({"name": "Spare", "type": "consu"})
        move = picking.move_ids
        attempts = {
            "add a move": lambda u: self._as(self.env["stock.move"], u).create(
                {
                    "name": "Spare",
                    "product_id": other.id,
                    "product_uom_qty": 5,
                    "picking_id": picking.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            ),
            "add a move from the form": lambda u: self._as(picking, u).write(
                {
                    "move_ids": [
                        Command.create(
                            {
                                "name": "Spare",
                                "product_id": other.id,
                                "product_uom_qty": 5,
                            }
                        )
                    ]
                }
            ),
            "change the product": lambda u: self._as(move, u).write(
                {"product_id": other.id}
            ),
            "change the demand": lambda u: self._as(move, u).write(
                {"product_uom_qty": 50}
            ),
            "unlink the sale line": lambda u: self._as(move, u).write(
                {"sale_line_id": False}
            ),
            "change the group": lambda u: self._as(picking, u).write(
                {"group_id": False}
            ),
            "unlink the order": lambda u: self._as(picking, u).write(
                {"sale_id": False}
            ),
            "delete the move": lambda u: self._as(move, u).unlink(),
            "a line of another product": lambda u: self._as(
                self.env["stock.move.line"], u
            ).create(
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": other.id,
                    "quantity": 3,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            ),
            "a line without a move": lambda u: self._as(
                self.env["stock.move.line"], u
            ).create(
                {
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "quantity": 3,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                }
            ),
            "duplicate the delivery": lambda u: self._as(picking, u).copy(),
        }
        pickings = self.env["stock.picking"].search_count([])
        for name, attempt in attempts.items():
            with self.subTest(path=name):
                self._refused(picking, attempt)
        self.assertEqual(self.env["stock.picking"].search_count([]), pickings)

    def test_r26_the_warehouse_still_prepares_and_ships_the_delivery(self):
        """What the warehouse does on the delivery in the web client stays
        possible: quantities, picked, the detailed lines, a note."""
        picking = self._received_delivery()
        keeper_picking = picking.with_user(self.keeper)
        keeper_picking.write(
            {
                "note": "Fragile",
                "move_ids": [
                    Command.update(move.id, {"quantity": move.product_uom_qty})
                    for move in picking.move_ids
                ],
            }
        )
        line = picking.move_line_ids[:1]
        line.with_user(self.keeper).write({"quantity": line.quantity})
        keeper_picking.move_ids.write({"picked": True})
        self._ready(picking)
        keeper_picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_r24_a_process_delivery_is_not_cancelled_from_the_warehouse(self):
        """Found in the review of the delivery's writable fields and buttons:
        the warehouse's Cancel would have dropped the shipment of a signed
        order behind the merchandiser's back."""
        picking = self._received_delivery()
        self._refused(picking, lambda u: self._as(picking, u).action_cancel())
        # The order's own cancellation (R24) still cancels it.
        order = picking.sale_id
        order.with_user(self.users["customer_mgmt"]).action_op_cancel(
            "Customer withdrew", "customer"
        )
        self.assertEqual(picking.state, "cancel")

    # ------------------------------------------------------------ after it left
    def test_r35_after_the_goods_left_nothing_changes_but_through_a_return(self):
        picking = self._received_delivery()
        self._ready(picking)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        for name, attempt in {
            "a done line's quantity": lambda u: self._as(
                picking.move_line_ids, u
            ).write({"quantity": 3}),
            "a done move's quantity": lambda u: self._as(picking.move_ids, u).write(
                {"quantity": 3}
            ),
            "the partner": lambda u: self._as(picking, u).write(
                {"partner_id": self.other_customer.id}
            ),
            "the date it left": lambda u: self._as(picking, u).write(
                {"date_done": datetime(2020, 1, 1)}
            ),
            "the scheduled date": lambda u: self._as(picking, u).write(
                {"scheduled_date": datetime(2020, 1, 1)}
            ),
            "back to ready": lambda u: self._as(picking.move_ids, u).write(
                {"state": "assigned"}
            ),
        }.items():
            with self.subTest(path=name):
                self._refused(picking, attempt)
        picking.with_user(self.keeper).write({"note": "Delivered to gate 3"})
        # Odoo's own Return is the way back.
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.keeper)
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 2
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(returned.move_ids.origin_returned_move_id, picking.move_ids)

    # ------------------------------------------------------------ outside orders
    def test_r27_a_transfer_to_a_customer_without_order_needs_a_release(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        keeper_env = self.env(user=self.keeper)
        transfer = keeper_env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": self.other_customer.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "Sample",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.customers.id,
                        }
                    )
                ],
            }
        )
        transfer.action_confirm()
        transfer.move_ids.write({"quantity": 2, "picked": True})
        self.assertTrue(transfer.op_needs_release)
        with self.assertRaisesRegex(UserError, "release"):
            transfer.button_validate()
        with self.assertRaisesRegex(UserError, "release"):
            transfer.move_ids._action_done()
        self.assertEqual(transfer.state, "assigned")
        # Only the PMC manager or the General Manager, with a reason.
        with self.assertRaises(AccessError):
            transfer.action_op_release_outgoing("Sample for a trade fair")
        manager = transfer.with_user(self.users["pmc_manager"])
        with self.assertRaisesRegex(UserError, "reason"):
            manager.action_op_release_outgoing("  ")
        self.assertFalse(transfer.sudo().op_outgoing_release_ids)
        action = manager.action_op_open_release_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["pmc_manager"])
            .with_context(**action["context"])
            .create({"reason": "Sample for a trade fair"})
        )
        wizard.action_confirm()
        release = transfer.sudo().op_outgoing_release_ids
        self.assertEqual(release.user_id, self.users["pmc_manager"])
        self.assertEqual(release.reason, "Sample for a trade fair")
        transfer.button_validate()
        self.assertEqual(transfer.state, "done")
        self.assertEqual(transfer.op_left_through, "release")
        # Kept.
        with self.assertRaises(REFUSED):
            release.with_user(self.admin).unlink()
        with self.assertRaises(REFUSED):
            release.with_user(self.admin).write({"reason": "nothing"})
        with self.assertRaises(REFUSED):
            self.env["order.outgoing.release"].with_user(self.admin).create(
                {"picking_id": transfer.id, "reason": "forged"}
            )

    def test_r27_an_order_outside_the_process_ships_as_odoo_ships_it(self):
        """The company's choice: an order of a sales team outside the
        process keeps Odoo's own flow, its delivery included."""
        team = self.env["crm.team"].create(
            {"name": "Retail", "company_id": self.company.id}
        )
        self.company.op_scope = "teams"
        order = self._create_order(team_id=team.id)
        self.assertFalse(order.op_active)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 10, "picked": True})
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.op_left_through)

    # ------------------------------------------------------------ R21
    def test_r21_payment_condition_after_signature_is_a_release(self):
        prepaying = self.env["res.partner"].create({"name": "Prepaying Co."})
        prepaying.with_company(self.company).op_payment_before_shipment = True
        order = self._answered_order(partner_id=prepaying.id)
        # Before the customer signs, Finance sets the condition (R5, R21).
        order.with_user(self.users["finance"]).action_op_set_payment_condition("credit")
        order.with_user(self.users["finance"]).action_op_set_payment_condition("prepay")
        self._sign_with_scan(order)
        self.assertEqual(order.op_payment_condition, "prepay")
        # After: a release, by a Finance manager or the General Manager,
        # with a reason, recorded with the other releases.
        with self.assertRaises(AccessError):
            order.with_user(self.users["finance"]).action_op_set_payment_condition(
                "credit"
            )
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(
                self.users["general_manager"]
            ).action_op_set_payment_condition("credit")
        self.assertEqual(order.op_payment_condition, "prepay")
        self.assertFalse(order.op_payment_override_ids)
        order.with_user(self.users["general_manager"]).action_op_set_payment_condition(
            "credit", reason="Long-standing customer, paid on time for 5 years"
        )
        self.assertEqual(order.op_payment_condition, "credit")
        release = order.op_payment_override_ids
        self.assertEqual(len(release), 1)
        self.assertEqual(release.user_id, self.users["general_manager"])
        self.assertIn("5 years", release.reason)
        # Stricter is Finance's own decision.
        order.with_user(self.users["finance"]).action_op_set_payment_condition("prepay")
        self.assertEqual(order.op_payment_condition, "prepay")

    # ------------------------------------------------------------ R29
    def test_r29_a_delivery_done_outside_the_steps_is_flagged_not_achieved(self):
        """A migration (or a path not yet closed) marks the delivery done
        without its steps: the fact is scored at once, flagged, and not
        counted achieved; its date is none (not the scheduled date)."""
        picking = self._received_delivery()
        order = picking.sale_id
        self._set_quantities(picking)
        picking.move_ids.sudo().write({"state": "done"})
        fact = self.env["order.kpi.fact"].search([("order_id", "=", order.id)])
        self.assertTrue(fact.left_outside_steps)
        self.assertNotEqual(fact.status, "achieved")
        self.assertFalse(fact.delivered_full_date)
        flagged = self.env["order.kpi.fact"].search([("left_outside_steps", "=", True)])
        self.assertIn(fact, flagged)
