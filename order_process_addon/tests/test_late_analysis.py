# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""D13, the late-order cause analysis (R30): the scheduled action opens one
per order that became late, for its responsible department, due in 24
working hours; the department writes and submits it, the PMC manager
accepts it; a missing one escalates once to the department's manager role
and to the Audit Center."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_kpi import ON_TIME, ONE_DAY_LATE, KpiCase

LATE_ACTIVITY = "order_process_addon.mail_activity_type_late_analysis"
# 24 working hours (3 days of 8 hours) after Monday 2026-11-02 10:00 local:
# Thursday 10:00 local.
CRON_TIME = "2026-11-02 02:00:00"
AFTER_DEADLINE = "2026-11-05 03:00:00"


@tagged("post_install", "-at_install")
class TestLateAnalysis(KpiCase):
    def _late_order(self, department="production"):
        """Signed, its date moved for ``department``'s reason, shipped late
        on the first committed date."""
        order = self._signed()
        with freeze_time("2026-10-20 02:00:00"):
            order.with_user(self.users["pmc_planner"])._op_change_committed_date(
                fields.Date.to_date("2026-11-03"), "Die repair", department
            )
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order)
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.responsible_department, department)
        return order

    def _open(self, when=CRON_TIME):
        with freeze_time(when):
            return self.env["order.late.analysis"]._cron_open_and_escalate()

    def _activities(self, analysis, users):
        kind = self.env.ref(LATE_ACTIVITY)
        return analysis.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and a.user_id in users
        )

    def test_d13_r30_opened_once_for_the_responsible_department(self):
        order = self._late_order()
        on_time = self._signed()
        self._ship(on_time, ON_TIME)
        analysis = self._open()
        self.assertEqual(analysis.order_id, order)
        self.assertEqual(analysis.department, "production")
        self.assertTrue(analysis.name.startswith("D13/"))
        self.assertEqual(
            analysis.deadline, fields.Datetime.to_datetime("2026-11-05 02:00:00")
        )
        production = self.users["production"]
        self.assertEqual(len(self._activities(analysis, production)), 1)
        # Run again: no second D13, no second to-do.
        self.assertFalse(self._open())
        self.assertEqual(
            self.env["order.late.analysis"].search_count([("order_id", "=", order.id)]),
            1,
        )
        self.assertEqual(len(self._activities(analysis, production)), 1)

    def test_d13_r30_open_past_due_order_gets_one_too(self):
        order = self._signed()
        with freeze_time(ONE_DAY_LATE):
            self.env["order.kpi.fact"]._cron_turn_late()
        analysis = self._open()
        self.assertEqual(analysis.order_id, order)
        self.assertEqual(analysis.department, "pmc", "nobody charged yet: PMC")

    def test_d13_r30_r34_missing_escalates_once_to_manager_and_audit(self):
        self._late_order()
        analysis = self._open()
        manager = self.users["general_manager"]
        audit = self.users["audit"]
        with freeze_time("2026-11-04 02:00:00"):
            self.env["order.late.analysis"]._cron_open_and_escalate()
        self.assertFalse(analysis.escalated, "before its deadline")
        self._open(AFTER_DEADLINE)
        self.assertTrue(analysis.escalated)
        self.assertEqual(len(self._activities(analysis, manager)), 1)
        self.assertEqual(len(self._activities(analysis, audit)), 1)
        self._open("2026-11-06 03:00:00")
        self.assertEqual(len(self._activities(analysis, manager)), 1)
        self.assertEqual(len(self._activities(analysis, audit)), 1)

    def test_d13_r30_warehouse_escalates_to_the_pmc_manager(self):
        self._late_order("warehouse")
        analysis = self._open()
        keeper = self.users["fg_warehouse"]
        manager = self.users["pmc_manager"]
        self.assertEqual(len(self._activities(analysis, keeper)), 1)
        # The PMC manager holds the warehouse's role too: one to-do to write.
        before = len(self._activities(analysis, manager))
        self._open(AFTER_DEADLINE)
        self.assertEqual(len(self._activities(analysis, manager)), before + 1)
        self._open("2026-11-06 03:00:00")
        self.assertEqual(len(self._activities(analysis, manager)), before + 1)

    def test_d13_r30_written_submitted_accepted(self):
        self._late_order()
        analysis = self._open()
        production = self.users["production"]
        # Not without cause and measures.
        with self.assertRaises(UserError):
            analysis.with_user(production).action_submit()
        self.assertEqual(analysis.state, "draft")
        # Not written by another department.
        with self.assertRaises(AccessError):
            analysis.with_user(self.users["quality"]).write({"root_cause": "Not ours"})
        self.assertFalse(analysis.root_cause)
        # Nor its process fields by the department.
        with self.assertRaises(AccessError):
            analysis.with_user(production).write({"department": "quality"})
        self.assertEqual(analysis.department, "production")
        analysis.with_user(production).write(
            {
                "cause_category": "equipment",
                "root_cause": "The die cracked on the second shift",
                "measures": "Spare die kept in stock; weekly die inspection",
                "measure_owner_id": production.id,
                "measure_date": "2026-11-30",
            }
        )
        with freeze_time("2026-11-03 02:00:00"):
            analysis.with_user(production).action_submit()
        self.assertEqual(analysis.state, "submitted")
        self.assertFalse(analysis.submitted_late)
        with self.assertRaises(UserError):
            analysis.with_user(production).write({"root_cause": "Changed"})
        self.assertEqual(analysis.root_cause, "The die cracked on the second shift")
        with self.assertRaises(AccessError):
            analysis.with_user(production).action_accept()
        analysis.with_user(self.users["pmc_manager"]).action_accept()
        self.assertEqual(analysis.state, "accepted")
        self.assertEqual(analysis.accepted_by_id, self.users["pmc_manager"])
        # Kept (R35).
        with self.assertRaises(UserError):
            analysis.unlink()

    def test_d13_r30_follows_the_pmc_managers_correction(self):
        """Charged to another department while still to write: the D13 and
        its to-dos move there, same deadline; the former department's to-dos
        are closed and it can no longer write it."""
        order = self._late_order("production")
        analysis = self._open()
        deadline = analysis.deadline
        production, quality = self.users["production"], self.users["quality"]
        self.assertEqual(len(self._activities(analysis, production)), 1)
        fact = self._fact(order).with_user(self.users["pmc_manager"])
        fact.action_set_responsibility("The resin failed our test", "quality")
        self.assertEqual(analysis.department, "quality")
        self.assertEqual(analysis.deadline, deadline)
        self.assertFalse(self._activities(analysis, production))
        self.assertEqual(len(self._activities(analysis, quality)), 1)
        with self.assertRaises(AccessError):
            analysis.with_user(production).write({"root_cause": "Not ours any more"})
        analysis.with_user(quality).write({"root_cause": "Resin batch out of spec"})
        self.assertEqual(analysis.root_cause, "Resin batch out of spec")
        # Once submitted, a later correction leaves the D13 where it was.
        analysis.with_user(quality).write(
            {
                "cause_category": "quality",
                "measures": "Incoming inspection of each resin batch",
                "measure_owner_id": quality.id,
                "measure_date": "2026-11-30",
            }
        )
        with freeze_time("2026-11-03 02:00:00"):
            analysis.with_user(quality).action_submit()
        fact.action_set_responsibility("Production misread the drawing", "production")
        self.assertEqual(analysis.department, "quality")
        self.assertEqual(fact.responsible_department, "production")

    def test_d13_r30_blank_root_cause_is_refused(self):
        self._late_order()
        analysis = self._open()
        production = self.users["production"]
        analysis.with_user(production).write(
            {
                "cause_category": "other",
                "root_cause": "   ",
                "measures": "Train the team",
                "measure_owner_id": production.id,
                "measure_date": "2026-11-30",
            }
        )
        with self.assertRaises(UserError):
            analysis.with_user(production).action_submit()
        self.assertEqual(analysis.state, "draft")

    def test_d13_pdf(self):
        self._late_order()
        analysis = self._open()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "order_process_addon.report_order_d13", analysis.ids
        )[0]
        self.assertIn(analysis.name.encode(), html)
        self.assertIn(b"Late-Order Cause Analysis (D13)", html)
