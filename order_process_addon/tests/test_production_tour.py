# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .driver import Driver
from .tour_timing import TOUR_TIMEOUT

MO_NAME = "MO-TOUR-D4"  # the name the tours search for


@tagged("post_install", "-at_install")
class TestProductionTour(HttpCase):
    """R12-R18 in the browser, one demo user per step: the PMC planner drafts
    and submits the production plan D4 of a future day, the PMC manager
    approves it, the planner releases it before its 07:50 deadline;
    Production records the key-process inspection D5 from the MO, Quality
    signs a passed final test and the production daily report D7,
    Production delivers the goods and the
    keeper counts them with the deliverer and signs the receipt D8; the
    planner passes the daily inbound statistics D9 to the PMC manager, who
    signs them. D6 (patrol) is not part of this flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("order_process_addon.company_demo", False)

    def _user(self, role):
        return self.env.ref(f"order_process_addon.user_{role}_demo")

    def _tour(self, name, login):
        self.start_tour("/odoo", name, login=login, timeout=TOUR_TIMEOUT)
        self.env.invalidate_all()

    def _effective_order(self):
        """A customer order registered, reviewed by every department,
        answered by PMC and signed by the customer (scan), made by the demo
        role users of the demo company (through the driver)."""
        driver = Driver.demo(self.env, self.company)
        today = fields.Date.context_today(
            driver.as_("customer_mgmt", self.env["sale.order"])
        )
        order = driver.new_order(
            self.env.ref("order_process_addon.partner_huaxing_demo"),
            [],  # the line, with its price, in ``order_line`` below
            today + timedelta(days=40),
            team_id=self.env.ref("order_process_addon.crm_team_demo").id,
            user_id=self._user("sales").id,
            op_merchandiser_id=self._user("customer_mgmt").id,
            client_order_ref="HX-PO-TOUR",
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
        driver.register(order)
        driver.answer(order, today + timedelta(days=45))
        driver.sign(order, "陈小姐")
        self.assertEqual(order.op_state, "effective")
        return order

    def _production(self, order):
        """A confirmed MO made for ``order`` (its procurement group) by the
        planner, through the driver."""
        driver = Driver.demo(self.env, self.company)
        production = driver.production(
            order,
            self.env.ref("order_process_addon.product_foam_gasket_demo"),
            1000,
            name=MO_NAME,
            bom_id=self.env.ref("order_process_addon.mrp_bom_foam_gasket_demo").id,
        )
        env = self.env(
            context=dict(self.env.context, allowed_company_ids=self.company.ids)
        )
        production = env["mrp.production"].browse(production.id)
        self.assertEqual(production.name, MO_NAME)
        self.assertEqual(production.state, "confirmed")
        self.assertEqual(production.op_sale_order_id, order)
        return production

    def test_plan_to_signed_inbound_statistics(self):
        if not self.company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        planner = self._user("pmc_planner")
        manager = self._user("pmc_manager")
        order = self._effective_order()
        production = self._production(order)

        # D4, R12, R13: drafted and submitted by the planner ...
        self._tour("order_production_plan_tour", "pmc_planner")
        plan = production.op_plan_id
        self.assertTrue(plan, "the tour put the MO in a plan")
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.submitted_by_id, planner)
        self.assertGreater(plan.plan_date, fields.Date.today())
        self.assertGreater(plan.release_deadline, fields.Datetime.now())
        # ... approved by the manager ...
        self._tour("order_production_plan_approve_tour", "pmc_manager")
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, manager)
        # ... and released by the planner before the deadline (R14).
        self._tour("order_production_plan_release_tour", "pmc_planner")
        self.assertEqual(plan.state, "released")
        self.assertEqual(plan.released_by_id, planner)
        self.assertFalse(plan.released_late)

        # D5, R15: the key-process inspection recorded by Production.
        self._tour("order_production_inspection_tour", "production")
        inspection = production.op_inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.kind, "key_process")
        self.assertEqual(inspection.inspector_id, self._user("production"))
        self.assertEqual(inspection.qty_checked, 1000)
        self.assertEqual(inspection.qty_defective, 2)
        self.assertEqual(inspection.result, "pass")
        self.assertEqual(inspection.state, "valid")

        # R16: the passed final test signed by Quality (D7 follows).
        self._tour("order_production_final_test_tour", "quality")
        test = production.op_final_test_ids
        self.assertEqual(len(test), 1)
        self.assertEqual(test.state, "signed")
        self.assertEqual(test.signed_by_id, self._user("quality"))
        self.assertEqual(production.op_test_result, "pass")
        # D7, R16: Quality signs the day's production daily report.
        self._tour("order_production_daily_report_tour", "quality")
        daily = production.op_plan_id.daily_report_ids
        self.assertEqual(daily.state, "signed")
        self.assertEqual(daily.signed_by_id, self._user("quality"))
        self.assertEqual(daily.line_ids.production_id, production)
        self.assertEqual(daily.line_ids.final_test_id, test)

        # D8, R16, R17: delivered by Production, counted and signed by the
        # keeper together with the deliverer.
        self._tour("order_production_deliver_tour", "production")
        receipt = production.op_receipt_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.state, "draft")
        self.assertEqual(receipt.qty_delivered, 1000)
        self.assertEqual(receipt.sale_order_id, order)
        self._tour("order_production_fg_receipt_tour", "fg_warehouse")
        self.assertEqual(receipt.state, "signed")
        self.assertEqual(receipt.qty_counted, 1000)
        self.assertFalse(receipt.mismatch)
        self.assertEqual(receipt.keeper_id, self._user("fg_warehouse"))
        self.assertEqual(receipt.deliverer_id, self._user("production"))

        # D9, R18: built for today (the nightly cron builds yesterday's),
        # passed on by the planner, signed by the PMC manager.
        statistics_model = self.env["order.inbound.statistics"]
        calendar = self.env["res.company"]._op_calendar(self.company)
        today = fields.Datetime.context_timestamp(
            statistics_model.with_context(tz=calendar.tz), fields.Datetime.now()
        ).date()
        statistics = statistics_model._op_build(self.company, today)
        self.assertEqual(statistics.sale_order_ids, order)
        self.assertEqual(statistics.line_ids.qty_counted, 1000)
        self._tour("order_inbound_statistics_submit_tour", "pmc_planner")
        self.assertEqual(statistics.state, "submitted")
        self.assertEqual(statistics.submitted_by_id, planner)
        self._tour("order_inbound_statistics_sign_tour", "pmc_manager")
        self.assertEqual(statistics.state, "signed")
        self.assertEqual(statistics.signed_by_id, manager)

    def test_material_plan_from_the_order_to_the_rfq(self):
        """R11, R13 in the browser: the PMC material controller opens an
        effective order, drafts its material requirements plan D3 from the
        BoMs and the forecast and submits it; the PMC manager approves it and
        the RFQ appears for Purchasing."""
        if not self.company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        order = self._effective_order()
        self.assertFalse(order.op_material_plan_ids)
        action = self.env.ref("order_process_addon.sale_order_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "order_material_plan_submit_tour",
            login="pmc_material",
            timeout=TOUR_TIMEOUT,
        )
        plan = order.op_material_plan_ids
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.submitted_by_id, self._user("pmc_material"))
        self.assertTrue(plan.line_ids)
        self.assertFalse(plan.purchase_order_ids, "nothing bought before approval")
        plan_action = self.env.ref("order_process_addon.order_material_plan_action")
        self.start_tour(
            f"/odoo/action-{plan_action.id}/{plan.id}",
            "order_material_plan_approve_tour",
            login="pmc_manager",
            timeout=TOUR_TIMEOUT,
        )
        plan.invalidate_recordset()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self._user("pmc_manager"))
        rfq = plan.purchase_order_ids
        self.assertEqual(len(rfq), 1)
        self.assertEqual(
            set(rfq.order_line.product_id.ids),
            set(plan.line_ids.filtered("qty_to_order").product_id.ids),
        )
