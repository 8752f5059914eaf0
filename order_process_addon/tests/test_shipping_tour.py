# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from . import test_production_tour

ORIGIN = "HX-PO-SHIP"  # what the tours look for on the shipments kanban


@tagged("post_install", "-at_install")
class TestShippingTour(HttpCase):
    """R23-R27 in the browser, one demo user per step: the merchandiser
    issues the shipping order D10, the PMC clerk approves it, the shipping
    group books the carrier and confirms the vehicle's arrival, the keeper
    checks the loading D11 and signs it, the loader (here the PMC manager,
    who holds the warehouse's role) signs too, Administration passes the
    gate, the keeper validates the delivery, prepares the day's shipment
    statistics D12 and the PMC manager signs them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("order_process_addon.company_demo", False)

    _user = test_production_tour.TestProductionTour._user
    _tour = test_production_tour.TestProductionTour._tour
    _effective_order = test_production_tour.TestProductionTour._effective_order
    _production = test_production_tour.TestProductionTour._production

    def _received_delivery(self):
        """An effective order whose goods were received into the finished
        goods warehouse (a signed D8), and its delivery."""
        order = self._effective_order()
        production = self._production(order)
        self.env["order.fg.receipt"].sudo().create(
            {
                "production_id": production.id,
                "sale_order_id": order.id,
                "qty_delivered": 1000,
                "qty_counted": 1000,
                "state": "signed",
                "keeper_id": self._user("fg_warehouse").id,
                "deliverer_id": self._user("production").id,
                "signed_on": fields.Datetime.now(),
            }
        )
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertTrue(picking.op_process_delivery)
        # A ship date one working day ahead at least (R23).
        calendar = self.env["res.company"]._op_calendar(self.company)
        today = fields.Date.context_today(picking.with_context(tz=calendar.tz))
        ship_date = today + timedelta(days=1)
        while calendar.op_previous_working_date(ship_date) < today:
            ship_date += timedelta(days=1)
        picking.write(
            {"origin": ORIGIN, "scheduled_date": fields.Datetime.to_datetime(ship_date)}
        )
        return picking

    def test_shipping_from_d10_to_the_gate(self):
        if not self.company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        picking = self._received_delivery()
        self._tour("order_shipping_d10_issue_tour", "customer_mgmt")
        d10 = picking.op_shipping_order_ids
        self.assertEqual(d10.state, "issued")
        self.assertEqual(d10.submitted_by_id, self._user("customer_mgmt"))
        self.assertEqual(d10.special_requirements, "托盘缠膜")
        self._tour("order_shipping_d10_approve_tour", "pmc_clerk")
        self.assertEqual(d10.state, "approved")
        self.assertEqual(d10.approved_by_id, self._user("pmc_clerk"))
        self.assertTrue(d10.copy_attachment_id)
        self.assertEqual(picking.op_shipping_step, "to_prepare")

        self._tour("order_shipping_carrier_tour", "fg_warehouse")
        booking = picking.op_carrier_booking_id
        self.assertEqual(booking.state, "arrived")
        self.assertEqual(
            booking.contract_id,
            self.env.ref("order_process_addon.order_carrier_contract_demo"),
        )
        self.assertTrue(picking.op_vehicle_arrived)

        self._tour("order_shipping_d11_load_tour", "fg_warehouse")
        check = picking.op_loading_check_ids
        self.assertEqual(check.state, "signing")
        self.assertEqual(check.keeper_id, self._user("fg_warehouse"))
        self._tour("order_shipping_d11_loader_tour", "pmc_manager")
        self.assertEqual(check.state, "signed")
        self.assertEqual(check.loader_id, self._user("pmc_manager"))
        self.assertTrue(check.requirement_ids.checked)

        self._tour("order_shipping_gate_tour", "administration")
        gate = picking.op_gate_check_ids
        self.assertEqual(gate.result, "pass")
        self.assertEqual(gate.checked_by_id, self._user("administration"))
        self.assertEqual(picking.op_shipping_step, "ready")

        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self._tour("order_shipping_validate_tour", "fg_warehouse")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.op_shipping_step, "left")

        # D12, R28: today's statistics (the cron drafts yesterday's), prepared
        # by the keeper, signed by the PMC manager.
        statistics_model = self.env["order.shipment.statistics"]
        calendar = self.env["res.company"]._op_calendar(self.company)
        today = fields.Datetime.context_timestamp(
            statistics_model.with_context(tz=calendar.tz), fields.Datetime.now()
        ).date()
        statistics = statistics_model._op_build(self.company, today)
        self.assertEqual(statistics.line_ids.sale_order_id, picking.sale_id)
        self._tour("order_shipment_statistics_prepare_tour", "fg_warehouse")
        self.assertEqual(statistics.prepared_by_id, self._user("fg_warehouse"))
        self._tour("order_shipment_statistics_sign_tour", "pmc_manager")
        self.assertEqual(statistics.state, "signed")
        self.assertEqual(statistics.signed_by_id, self._user("pmc_manager"))
