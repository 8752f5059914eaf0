# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_production_plan import BEFORE_DEADLINE
from .test_production_quality import DURING_DAY, QualityCase


@tagged("post_install", "-at_install")
class TestDailyReport(QualityCase):
    """D7: the production daily report of a released plan, read from the
    MOs and signed by Quality after the final tests (R16)."""

    def test_r16_d7_reads_the_mos_and_is_signed_after_the_tests(self):
        production = self._released_production()
        report = production.op_plan_id.daily_report_ids
        self.assertEqual(len(report), 1, "the released plan has its D7")
        self.assertTrue(report.name.startswith("D7/"))
        with freeze_time(DURING_DAY):  # recorded on the plan's day
            production.with_user(self.users["production"]).qty_producing = 5
        quality = report.with_user(self.users["quality"])
        with self.assertRaisesRegex(UserError, production.name):
            quality.action_sign()
        self.assertEqual(report.state, "draft")
        test = self._test(production, "pass")
        quality.action_sign()
        self.assertEqual(report.state, "signed")
        self.assertEqual(report.signed_by_id, self.users["quality"])
        self.assertEqual(report.line_ids.production_id, production)
        self.assertEqual(report.line_ids.qty_produced, 5, "from the MO")
        self.assertEqual(report.line_ids.qty_planned, 5)
        self.assertEqual(report.line_ids.final_test_id, test)
        self.assertEqual(report.qty_produced, 5)

    def test_r16_d7_refusals_change_nothing(self):
        production = self._released_production()
        report = production.op_plan_id.daily_report_ids
        quality = report.with_user(self.users["quality"])
        with self.assertRaises(AccessError):
            report.with_user(self.users["production"]).action_sign()
        with freeze_time(DURING_DAY):  # recorded on the plan's day
            production.with_user(self.users["production"]).qty_producing = 5
        self._test(production, "fail")
        # R16: Quality signs after a pass; the failed MO is reworked first.
        with self.assertRaisesRegex(UserError, "failed the final test"):
            quality.action_sign()
        # Nor is the state written past the button.
        with self.assertRaisesRegex(UserError, "never by direct writing"):
            quality.write({"state": "signed"})
        self.assertEqual(report.state, "draft")
        retest = self._test(production, "pass")
        quality.action_sign()
        self.assertEqual(report.line_ids.final_test_id, retest, "the re-test counts")
        with self.assertRaisesRegex(UserError, "already signed"):
            quality.action_sign()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            quality.notes = "changed"
        with self.assertRaisesRegex(UserError, "not edited"):
            quality.action_refresh()
        with self.assertRaises(AccessError):
            quality.unlink()
        # Not even the superuser deletes it (R35).
        with self.assertRaisesRegex(UserError, "never deleted"):
            report.sudo().unlink()
        self.assertFalse(report.notes)
        self.assertEqual(report.signed_by_id, self.users["quality"])


@tagged("post_install", "-at_install")
class TestPlanDeadlines(QualityCase):
    """R12, R13, R34: the plan of an effective order is due 1 working day
    after D2, the release before the day's deadline; late ones are
    escalated to the PMC manager once."""

    def _escalations(self, record):
        return record.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref(
                    "order_process_addon.mail_activity_type_plan_escalation"
                )
            )
        )

    def test_r12_r34_order_without_plan_is_escalated_once(self):
        with freeze_time("2026-10-12 02:00:00"):  # Monday 10:00 in Shanghai
            order = self._effective_order()
        # 1 working day later: Tuesday 10:00 Shanghai.
        self.assertEqual(order.op_plan_deadline, datetime(2026, 10, 13, 2, 0))
        planner_todo = order.activity_ids.filtered(
            lambda a: a.user_id == self.users["pmc_planner"]
        )
        self.assertEqual(str(planner_todo.date_deadline), "2026-10-13")
        material_todo = order.activity_ids.filtered(
            lambda a: a.user_id == self.users["pmc_material"]
        )
        self.assertIn("D3", material_todo.summary)
        cron = self.env["order.production.plan"]
        with freeze_time("2026-10-13 01:00:00"):
            self.assertEqual(cron._cron_escalate_late_plans(), 0, "not yet due")
        with freeze_time("2026-10-13 03:00:00"):
            self.assertEqual(cron._cron_escalate_late_plans(), 1)
            self.assertEqual(cron._cron_escalate_late_plans(), 0, "only once")
        self.assertEqual(self._escalations(order).user_id, self.users["pmc_manager"])
        self.assertTrue(order.op_plan_escalated)

    def test_r12_submitted_plan_is_on_time(self):
        with freeze_time("2026-10-12 02:00:00"):
            order = self._effective_order()
            production = self._production(order)
            plan = self._plan(production)
            plan.action_submit()
        self.assertTrue(order.op_planned_on)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.user_id == self.users["pmc_planner"]
            ),
            "the planner's to-dos of the order are done",
        )
        with freeze_time("2026-10-13 03:00:00"):
            # Only the plan, not released by its day's 07:50, is late.
            self.assertEqual(
                self.env["order.production.plan"]._cron_escalate_late_plans(), 1
            )
        self.assertFalse(order.op_plan_escalated)
        self.assertFalse(self._escalations(order))
        self.assertTrue(self._escalations(plan))

    def test_r13_r34_unreleased_plan_is_escalated_and_released_one_is_not(self):
        with freeze_time("2026-10-11 02:00:00"):
            order = self._effective_order()
            late = self._plan(self._production(order))
            late.action_submit()
            late.with_user(self.users["pmc_manager"]).action_approve()
        release_todo = late.activity_ids.filtered(
            lambda a: a.user_id == self.users["pmc_planner"]
        )
        self.assertIn("Release", release_todo.summary)
        on_time = self._released_production().op_plan_id
        self.assertNotEqual(late, on_time)
        with freeze_time(BEFORE_DEADLINE):
            self.assertEqual(
                self.env["order.production.plan"]._cron_escalate_late_plans(), 0
            )
        with freeze_time("2026-10-12 01:00:00"):
            self.assertEqual(
                self.env["order.production.plan"]._cron_escalate_late_plans(), 1
            )
        self.assertTrue(late.escalated)
        self.assertEqual(self._escalations(late).user_id, self.users["pmc_manager"])
        self.assertFalse(on_time.escalated)

    def test_r13_plan_steps_are_not_written_directly(self):
        production = self._production(self._effective_order())
        plan = self._plan(production)
        planner = plan.with_user(self.users["pmc_planner"])
        for vals in (
            {"state": "released"},
            {"approved_by_id": self.users["pmc_manager"].id},
            {"escalated": True},
        ):
            with self.assertRaisesRegex(
                UserError, "never by direct writing|can no longer change"
            ):
                planner.write(vals)
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.escalated)
        self.assertFalse(plan.daily_report_ids)

    def test_r13_late_release_through_the_reason_dialog(self):
        production = self._production(self._effective_order())
        plan = self._plan(production)
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time("2026-10-12 01:00:00"):
            plan.invalidate_recordset(["release_overdue"])
            self.assertTrue(plan.release_overdue)
            action = plan.with_user(
                self.users["pmc_planner"]
            ).action_open_late_release()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.users["pmc_planner"])
                .with_context(**action["context"])
                .create({"reason": "Die-cut press 2 down until 09:00"})
            )
            wizard.action_confirm()
        self.assertEqual(plan.state, "released")
        self.assertTrue(plan.released_late)
        self.assertEqual(plan.late_reason, "Die-cut press 2 down until 09:00")
        bogus = self.env["order.reason.wizard"].create(
            {
                "res_model": "order.production.plan",
                "res_id": plan.id,
                "method": "unlink",
                "reason": "x",
            }
        )
        with self.assertRaises(AccessError):
            bogus.action_confirm()
        self.assertTrue(plan.exists())

    def test_r12_nothing_to_plan_is_not_escalated_and_rush_insertion_plans(self):
        oem = self.env["product.product"].create(
            {"name": "Bought-in cover", "is_storable": True, "op_is_oem": True}
        )
        with freeze_time("2026-10-12 02:00:00"):
            bought = self._answered_order(
                order_line=[
                    Command.create({"product_id": oem.id, "product_uom_qty": 3})
                ]
            )
            self._sign_with_scan(bought)
        self.assertFalse(bought.op_plan_deadline, "nothing is made here")
        self.assertTrue(
            bought.activity_ids.filtered(
                lambda a: a.user_id == self.users["pmc_material"]
            ),
            "the OEM product still goes to the material controller (R11)",
        )
        on_time = self._released_production().op_plan_id
        with freeze_time("2026-10-12 02:00:00"):
            rush = self._effective_order()
        on_time.with_user(self.users["pmc_manager"]).action_insert_rush(
            self._production(rush), "Customer line down"
        )
        self.assertTrue(rush.op_planned_on)
        with freeze_time("2026-10-14 03:00:00"):
            self.env["order.production.plan"]._cron_escalate_late_plans()
        self.assertFalse(bought.op_plan_escalated)
        self.assertFalse(rush.op_plan_escalated)


@tagged("post_install", "-at_install")
class TestDailyProduction(QualityCase):
    """Issue 12, item 8: D7 is the day's production. An MO planned on Monday
    produces 2 on Monday, 1 more on Tuesday and finishes its 5 on Wednesday;
    each day's D7 (the plans of the same line) gives that day's quantity and
    the total to date, not the MO's running total."""

    def _day_plan(self, day, production):
        """The released plan of ``day`` with another MO of the line."""
        other = self._production(self._effective_order())
        plan = self._plan(other, day=day)
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time(f"{day - timedelta(days=1)} 22:00:00"):
            plan.action_release()
        return plan.daily_report_ids

    def _line(self, report, production):
        report.with_user(self.users["quality"]).action_refresh()
        return report.line_ids.filtered(lambda line: line.production_id == production)

    def test_r16_mo_over_three_days_reports_each_days_quantity(self):
        production = self._released_production()
        monday = production.op_plan_id.plan_date
        tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
        reports = {monday: production.op_plan_id.daily_report_ids}
        reports[tuesday] = self._day_plan(tuesday, production)
        reports[wednesday] = self._day_plan(wednesday, production)
        worker = production.with_user(self.users["production"])
        with freeze_time(f"{monday} 03:00:00"):
            worker.qty_producing = 2
        with freeze_time(f"{tuesday} 03:00:00"):
            worker.qty_producing = 3
        self._test(production, "pass")
        with freeze_time(f"{wednesday} 03:00:00"):
            worker.qty_producing = 5
            self._signed_receipt_of(production)
            worker.with_context(
                skip_backorder=True, skip_consumption=True
            ).button_mark_done()
        self.assertEqual(production.state, "done")
        expected = {monday: (2, 2), tuesday: (1, 3), wednesday: (2, 5)}
        for day, (on_day, to_date) in expected.items():
            line = self._line(reports[day], production)
            self.assertEqual(
                (line.qty_produced, line.qty_to_date), (on_day, to_date), day
            )
        # Each D7 is signed by Quality for its own day.
        for day in expected:
            reports[day].with_user(self.users["quality"]).action_sign()
        self.assertEqual(set(reports[monday].mapped("state")), {"signed"})
        self.assertEqual(
            sum(self._line_signed(reports[d], production) for d in expected), 5
        )

    def _line_signed(self, report, production):
        return report.line_ids.filtered(
            lambda line: line.production_id == production
        ).qty_produced

    def _signed_receipt_of(self, production):
        """Mark done needs the goods counted into the warehouse (R17)."""
        receipt = production.with_user(
            self.users["production"]
        )._op_deliver_to_warehouse()
        receipt.with_user(self.users["fg_warehouse"]).action_count_and_sign(
            5, self.users["production"]
        )
