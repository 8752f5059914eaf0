# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from . import test_production_tour, test_shipping_tour
from .driver import Driver
from .tour_timing import TOUR_TIMEOUT

ORDER = "SO-E2E-TOUR"  # the order's number the new tours look for
SETTLED = ("paid", "in_payment")


@tagged("post_install", "-at_install")
class TestEndToEndTour(HttpCase):
    """Issue 12, item 4: one new order of the demo company, from its
    registration to the achievement rate, every step in headless Chromium as
    its own demo user (login = password = role), the state asserted in Python
    after each step.

    In the browser (tours): the merchandiser registers the order (D1); each
    department decides its review from its own My Reviews list; the PMC
    planner answers; the customer signs on the portal; the PMC material
    controller drafts and submits the material plan D3 from the order, the
    PMC manager approves it; the planner drafts and submits the production
    plan D4, the PMC manager approves it, the planner releases it;
    Production records the inspection D5; Quality signs the final test and
    the production daily report D7; Production delivers and the keeper
    counts and signs the receipt D8; the salesperson makes the invoice
    with Odoo's Create Invoice (a 100 % down payment: the goods are invoiced
    on delivery and this customer pays before shipment); Finance registers
    the customer's payment on it from Finance › Invoiced, Not Paid with
    Odoo's Register Payment wizard; the merchandiser issues the
    shipping order D10, the PMC clerk approves it; the keeper books the
    carrier and confirms its arrival, checks the loading D11 and signs it,
    the loader (PMC manager) signs; Administration passes the gate; the
    keeper validates the delivery, prepares the shipment statistics D12, the
    PMC manager signs them and finally finds the order achieved in
    Reporting › Achievement Rate.

    Python glue (test plumbing, no decision of the process): the demo
    company's chart of accounts when the database has none; the draft order
    typed as the merchandiser (its data entry; the foundation tour covers the
    form) and renamed SO-E2E-TOUR for the tours to find; the confirmed MO of
    the order, named MO-TOUR-D4 as the production tours expect (made as in
    test_production_tour); the invoice posted as Finance (in the browser
    the Confirm button was not found by Finance's tour in the time left);
    the delivery's origin set to
    HX-PO-SHIP and its ship date to the next working day for the shipping
    tours, its quantities marked picked (as in test_shipping_tour); the day's
    shipment statistics built as the nightly cron does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("order_process_addon.company_demo", False)
        if cls.company and not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )

    _user = test_production_tour.TestProductionTour._user
    _tour = test_production_tour.TestProductionTour._tour
    _production = test_production_tour.TestProductionTour._production

    def _form_tour(self, name, login, record, action="sale_order_action"):
        action = self.env.ref(f"order_process_addon.{action}")
        self.start_tour(
            f"/odoo/action-{action.id}/{record.id}",
            name,
            login=login,
            timeout=TOUR_TIMEOUT,
        )
        self.env.invalidate_all()

    def _draft_order(self):
        """D1 typed by the merchandiser (through the driver), renamed."""
        driver = Driver.demo(self.env, self.company)
        customer_mgmt = driver.as_("customer_mgmt", self.env["sale.order"])
        today = fields.Date.context_today(customer_mgmt)
        order = driver.new_order(
            self.env.ref("order_process_addon.partner_hongda_demo"),
            [],  # the line, with its price, in ``order_line`` below
            # Committed as requested, well after today's shipment.
            today + timedelta(days=40),
            team_id=self.env.ref("order_process_addon.crm_team_demo").id,
            user_id=self._user("sales").id,
            op_merchandiser_id=self._user("customer_mgmt").id,
            client_order_ref="HD-PO-E2E",
            order_line=[
                Command.create(
                    {
                        "product_id": self.env.ref(
                            "order_process_addon.product_foam_gasket_demo"
                        ).id,
                        "product_uom_qty": 1000,
                        "price_unit": 1.2,
                    }
                )
            ],
        )
        order.sudo().name = ORDER
        return order.with_env(self.env)

    def test_one_order_through_every_role_to_the_achievement_rate(self):
        if not self.company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        user = self._user
        order = self._draft_order()

        # D1 (R3): registered by the merchandiser.
        self._form_tour("order_e2e_register_tour", "customer_mgmt", order)
        self.assertEqual(order.op_state, "review")
        self.assertEqual(order.op_registered_by_id, user("customer_mgmt"))

        # D2 (R4-R6, R10): every department decides its own review.
        decided = set()
        while order.op_state == "review":
            pending = order.op_review_ids.filtered(lambda r: r.state == "pending")
            self.assertTrue(pending, "a review waits while the order is in review")
            for review in pending:
                xmlid = review.group_id.get_external_id()[review.group_id.id]
                role = xmlid.split(".group_")[1]
                self._tour("order_e2e_review_tour", role)
                self.assertEqual(review.state, "approved")
                self.assertEqual(review.reviewer_id, user(role))
                decided.add(role)
        self.assertIn("pmc_planner", decided)
        self.assertIn("finance", decided)
        self.assertEqual(set(order.op_review_ids.mapped("state")), {"approved"})

        # R7: the PMC planner answers; R8: the customer signs on the portal.
        self._form_tour("order_process_answer_tour", "pmc_planner", order)
        self.assertEqual(order.op_state, "answered")
        self.assertEqual(order.op_committed_date, order.op_requested_date)
        self.start_tour(
            order.get_portal_url(),
            "order_process_portal_sign_tour",
            timeout=TOUR_TIMEOUT,
        )
        self.env.invalidate_all()
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.op_signature_source, "portal")
        self.assertEqual(order.signed_by, "陈小姐")

        # D3 (R11, R13): material plan by PMC material, approved by the manager.
        self._form_tour("order_material_plan_submit_tour", "pmc_material", order)
        material_plan = order.op_material_plan_ids
        self.assertEqual(material_plan.state, "submitted")
        self.assertEqual(material_plan.submitted_by_id, user("pmc_material"))
        self._form_tour(
            "order_material_plan_approve_tour",
            "pmc_manager",
            material_plan,
            action="order_material_plan_action",
        )
        self.assertEqual(material_plan.state, "approved")
        self.assertEqual(material_plan.approved_by_id, user("pmc_manager"))
        self.assertEqual(len(material_plan.purchase_order_ids), 1)

        # D4 (R12-R14): drafted, submitted, approved, released.
        production = self._production(order)
        self._tour("order_production_plan_tour", "pmc_planner")
        plan = production.op_plan_id
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.submitted_by_id, user("pmc_planner"))
        self._tour("order_production_plan_approve_tour", "pmc_manager")
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, user("pmc_manager"))
        self._tour("order_production_plan_release_tour", "pmc_planner")
        self.assertEqual(plan.state, "released")
        self.assertFalse(plan.released_late)

        # D5 (R15), D7 (R16): inspection, final test, daily report.
        self._tour("order_production_inspection_tour", "production")
        self.assertEqual(production.op_inspection_ids.result, "pass")
        self.assertEqual(production.op_inspection_ids.inspector_id, user("production"))
        self._tour("order_production_final_test_tour", "quality")
        self.assertEqual(production.op_final_test_ids.state, "signed")
        self.assertEqual(production.op_test_result, "pass")
        self._tour("order_production_daily_report_tour", "quality")
        self.assertEqual(plan.daily_report_ids.state, "signed")
        self.assertEqual(plan.daily_report_ids.signed_by_id, user("quality"))

        # D8 (R16, R17): delivered by Production, counted and signed.
        self._tour("order_production_deliver_tour", "production")
        receipt = production.op_receipt_ids
        self.assertEqual(receipt.state, "draft")
        self._tour("order_production_fg_receipt_tour", "fg_warehouse")
        self.assertEqual(receipt.state, "signed")
        self.assertEqual(receipt.qty_counted, 1000)
        self.assertEqual(receipt.keeper_id, user("fg_warehouse"))
        self.assertEqual(receipt.sale_order_id, order)

        # R20, R21: the customer pays before shipment; Finance registers it.
        self.assertEqual(order.op_payment_condition, "prepay")
        self._form_tour("order_e2e_invoice_tour", "sales", order)
        invoice = order.invoice_ids
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.amount_total, order.amount_total)
        invoice.with_user(user("finance")).action_post()
        self.assertEqual(order.op_payment_state, "not_paid")
        self.assertTrue(order._op_needs_payment(), "no shipment before payment")
        self._tour("order_e2e_payment_tour", "finance")
        self.assertEqual(invoice.state, "posted")
        self.assertIn(invoice.payment_state, SETTLED)
        self.assertEqual(invoice.matched_payment_ids.create_uid, user("finance"))
        self.assertEqual(order.op_payment_state, "paid")
        self.assertFalse(order._op_needs_payment())

        # D10 (R23): issued by the merchandiser, approved by the PMC clerk.
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertTrue(picking.op_process_delivery)
        calendar = self.env["res.company"]._op_calendar(self.company)
        today = fields.Date.context_today(picking.with_context(tz=calendar.tz))
        ship_date = today + timedelta(days=1)
        while calendar.op_previous_working_date(ship_date) < today:
            ship_date += timedelta(days=1)
        picking.write(
            {
                "origin": test_shipping_tour.ORIGIN,
                "scheduled_date": fields.Datetime.to_datetime(ship_date),
            }
        )
        self._tour("order_shipping_d10_issue_tour", "customer_mgmt")
        d10 = picking.op_shipping_order_ids
        self.assertEqual(d10.state, "issued")
        self.assertEqual(d10.submitted_by_id, user("customer_mgmt"))
        self._tour("order_shipping_d10_approve_tour", "pmc_clerk")
        self.assertEqual(d10.state, "approved")
        self.assertEqual(d10.approved_by_id, user("pmc_clerk"))

        # R24-R27: carrier, loading check D11, gate, delivery validated.
        self._tour("order_shipping_carrier_tour", "fg_warehouse")
        self.assertEqual(picking.op_carrier_booking_id.state, "arrived")
        self._tour("order_shipping_d11_load_tour", "fg_warehouse")
        check = picking.op_loading_check_ids
        self.assertEqual(check.state, "signing")
        self._tour("order_shipping_d11_loader_tour", "pmc_manager")
        self.assertEqual(check.state, "signed")
        self.assertEqual(check.loader_id, user("pmc_manager"))
        self._tour("order_shipping_gate_tour", "administration")
        self.assertEqual(picking.op_gate_check_ids.result, "pass")
        self.assertEqual(picking.op_shipping_step, "ready")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        self._tour("order_shipping_validate_tour", "fg_warehouse")
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.op_shipping_step, "left")

        # D12 (R28): prepared by the keeper, signed by the PMC manager.
        statistics_model = self.env["order.shipment.statistics"]
        statistics = statistics_model._op_build(self.company, today)
        self.assertIn(order, statistics.line_ids.sale_order_id)
        self._tour("order_shipment_statistics_prepare_tour", "fg_warehouse")
        self.assertEqual(statistics.prepared_by_id, user("fg_warehouse"))
        self._tour("order_shipment_statistics_sign_tour", "pmc_manager")
        self.assertEqual(statistics.state, "signed")
        self.assertEqual(statistics.signed_by_id, user("pmc_manager"))

        # R29: shipped in full before the committed date, the order counts as
        # achieved; the PMC manager sees it in the achievement rate.
        fact = order.op_kpi_fact_ids
        self.assertEqual(fact.status, "achieved")
        self.assertLess(today, order.op_first_committed_date)
        self._tour("order_e2e_kpi_tour", "pmc_manager")
