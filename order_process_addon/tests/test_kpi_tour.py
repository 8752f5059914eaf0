# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged

from . import test_production_tour

ORDER = "HX-PO-LATE"  # the order's number the tours look for


@tagged("post_install", "-at_install")
class TestKpiTour(HttpCase):
    """R29, R30 and D13 in the browser: an order signed ten weeks ago and
    still open past its committed date is a failure as of today; the
    scheduled action opens its cause analysis D13 for PMC (nobody charged
    yet). The PMC manager opens the achievement rate, drills from the
    month's cell into its orders, opens the late one and charges it to
    Production with a reason; the D13 follows it, and Production writes
    and submits it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("order_process_addon.company_demo", False)

    _user = test_production_tour.TestProductionTour._user
    _tour = test_production_tour.TestProductionTour._tour
    _effective_order = test_production_tour.TestProductionTour._effective_order

    def _late_order(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=70)):
            order = self._effective_order()
        order.sudo().name = ORDER
        today = fields.Date.context_today(order)
        self.assertLess(order.op_first_committed_date, today)
        self.env["order.kpi.fact"]._cron_turn_late()
        fact = order.op_kpi_fact_ids
        self.assertEqual((fact.status, fact.failure_cause), ("failed", "open"))
        analysis = self.env["order.late.analysis"]._cron_open_and_escalate()
        self.assertEqual(analysis.order_id, order)
        return fact, analysis

    def test_kpi_drill_down_to_a_late_order_and_its_d13(self):
        if not self.company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        fact, analysis = self._late_order()
        production = self._user("production")
        self.assertNotEqual(analysis.department, "production")

        self._tour("order_kpi_drilldown_tour", "pmc_manager")
        self.assertEqual(fact.responsible_department, "production")
        self.assertEqual(fact.responsibility_source, "manager")
        self.assertEqual(fact.responsibility_corrected_by_id, self._user("pmc_manager"))
        self.assertEqual(fact.responsibility_reason, "模切刀模断裂，等待新刀模")
        self.assertEqual(analysis.department, "production")
        self.assertTrue(
            analysis.activity_ids.filtered(lambda a: a.user_id == production)
        )

        self._tour("order_kpi_d13_submit_tour", "production")
        self.assertEqual(analysis.state, "submitted")
        self.assertEqual(analysis.submitted_by_id, production)
        self.assertEqual(analysis.cause_category, "equipment")
        self.assertEqual(analysis.measure_owner_id, production)
        self.assertEqual(analysis.measure_date, fields.Date.to_date("2030-12-31"))
        self.assertFalse(
            analysis.activity_ids.filtered(lambda a: a.user_id == production),
            "the department's to-do is done",
        )
