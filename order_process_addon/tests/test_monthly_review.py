# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The monthly review of the achievement rate (R31) and continuous
improvement (R32, R33): quarterly evaluations, improvement plans with an
owner and a deadline, staff suggestions, process trainings.

The facts of the month are derived data: they are made here as the process
(superuser) for crafted orders, so the expected rates can be computed by
hand. Dates (Asia/Shanghai, Monday-Friday): October 2026 closes on Saturday
the 31st; the first working day after it is Monday 2026-11-02."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.vocabulary import ROLES
from .test_kpi import KpiCase

OCTOBER = date(2026, 10, 1)
SATURDAY = "2026-10-31 02:00:00"
SUNDAY = "2026-11-01 02:00:00"
FIRST_WORKING_DAY = "2026-11-02 02:00:00"  # Monday 10:00 local
REVIEW_ACTIVITY = "order_process_addon.mail_activity_type_performance_review"
PLAN_ACTIVITY = "order_process_addon.mail_activity_type_improvement_plan"


class MonthlyReviewCase(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.op_kpi_target = 95.0

    def _crafted(
        self,
        due_date,
        achieved=True,
        strict=True,
        department=False,
        cause=False,
        outside=False,
    ):
        """One crafted achievement fact (as the process writes it)."""
        order = (
            self.env["sale.order"]
            .sudo()
            .create({"partner_id": self.customer.id, "company_id": self.company.id})
        )
        counted = 0 if outside else 1
        ok_final = int(counted and achieved)
        return (
            self.env["order.kpi.fact"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "company_id": self.company.id,
                    "due_date": due_date,
                    "first_due_date": due_date,
                    "current_due_date": due_date,
                    "status": "outside"
                    if outside
                    else ("achieved" if achieved else "failed"),
                    "due": counted,
                    "ok_final": ok_final,
                    "ok_strict": int(ok_final and strict),
                    "failure_cause": False if achieved or outside else cause,
                    "responsible_department": department,
                }
            )
        )

    def _october(self):
        """20 orders due in October: 16 achieved (14 of them strict), 4
        failed: 2 through Production (late, open), 1 through PMC (cancelled
        by the company), 1 charged to nobody yet; 1 order outside the rate
        (cancelled by the customer); orders of September and November do not
        count."""
        day = date(2026, 10, 15)
        for index in range(16):
            self._crafted(day, strict=index < 14)
        self._crafted(day, achieved=False, department="production", cause="late")
        self._crafted(day, achieved=False, department="production", cause="open")
        self._crafted(
            date(2026, 10, 31), achieved=False, department="pmc", cause="cancelled"
        )
        self._crafted(date(2026, 10, 1), achieved=False, cause="late")
        self._crafted(day, outside=True)
        self._crafted(
            date(2026, 9, 30), achieved=False, department="quality", cause="late"
        )
        self._crafted(
            date(2026, 11, 2), achieved=False, department="quality", cause="late"
        )

    def _review(self, month=OCTOBER):
        return self.env["order.monthly.review"].search(
            [("company_id", "=", self.company.id), ("month_start", "=", month)]
        )

    def _freeze_by_hand(self, month=OCTOBER):
        manager = self.users["pmc_manager"]
        with freeze_time(FIRST_WORKING_DAY):
            review = (
                self.env["order.monthly.review"]
                .with_user(manager)
                .with_context(allowed_company_ids=self.company.ids)
                .create({"company_id": self.company.id, "month_start": month})
            )
            review.action_freeze()
        return review

    def _cron(self, when=FIRST_WORKING_DAY):
        """The reviews the scheduled action froze for the test company."""
        with freeze_time(when):
            reviews = self.env["order.monthly.review"]._cron_freeze_closed_month()
        return reviews.filtered(lambda r: r.company_id == self.company)

    def _line(self, review, department):
        return review.line_ids.filtered(lambda line: line.department == department)


@tagged("post_install", "-at_install")
class TestMonthlyReview(MonthlyReviewCase):
    # ------------------------------------------------------------ R31
    def test_r31_rates_frozen_per_department_against_hand_computed_values(self):
        self._october()
        review = self._freeze_by_hand()
        self.assertEqual(review.state, "frozen")
        self.assertEqual(review.name, "2026-10")
        self.assertEqual(review.display_name, "Monthly Achievement Review 2026-10")
        # Company total: 16 of 20 final, 14 of 20 strict.
        self.assertEqual(review.orders_due, 20)
        self.assertEqual(review.achieved_final, 16)
        self.assertEqual(review.achieved_strict, 14)
        self.assertEqual(review.failed_count, 4)
        self.assertEqual(review.uncharged_count, 1)
        self.assertAlmostEqual(review.rate_final, 80.0)
        self.assertAlmostEqual(review.rate_strict, 70.0)
        self.assertEqual(review.target_rate, 95.0)
        # Every internal department has its line; the customer has none
        # (nothing charged to it).
        self.assertEqual(len(review.line_ids), 10)
        self.assertFalse(self._line(review, "customer"))
        production = self._line(review, "production")
        self.assertEqual(production.orders_due, 20)
        self.assertEqual(production.failed_count, 2)
        self.assertEqual((production.failed_late, production.failed_open), (1, 1))
        self.assertAlmostEqual(production.rate, 90.0)  # (20 - 2) / 20
        # PMC: its cancellation, and the failure nobody is charged with yet
        # (PMC's until the PMC manager charges it, as its D13 is).
        pmc = self._line(review, "pmc")
        self.assertEqual((pmc.failed_count, pmc.failed_cancelled), (2, 1))
        self.assertAlmostEqual(pmc.rate, 90.0)  # (20 - 2) / 20: below target
        self.assertAlmostEqual(self._line(review, "quality").rate, 100.0)

    def test_r31_department_below_target_flagged_and_general_manager_told(self):
        self._october()
        review = self._freeze_by_hand()
        flagged = review.line_ids.filtered("below_target")
        self.assertEqual(flagged.mapped("department"), ["pmc", "production"])
        self.assertEqual(review.flagged_count, 2)
        kind = self.env.ref(REVIEW_ACTIVITY)
        todo = review.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertEqual(todo.user_id, self.users["general_manager"])
        self.assertIn("below the target rate", todo.summary)
        # A month without orders due has no rate and flags nobody.
        august = self._freeze_by_hand(date(2026, 8, 1))
        self.assertEqual(august.orders_due, 0)
        self.assertFalse(august.line_ids.filtered("below_target"))
        self.assertFalse(august.activity_ids)

    def test_r31_cron_freezes_once_on_the_first_working_day_after_the_month(self):
        self._october()
        Review = self.env["order.monthly.review"]
        # Before: September is caught up (once), October waits.
        september = self._cron(SATURDAY)
        self.assertEqual(september.month_start, date(2026, 9, 1))
        self.assertFalse(self._cron(SUNDAY), "October: not a working day yet")
        self.assertFalse(self._review(), "October is not reviewed yet")
        first = self._cron()
        review = self._review()
        self.assertEqual(first, review)
        self.assertEqual(review.state, "frozen")
        self.assertEqual(len(review.line_ids), 10)
        frozen_on = review.frozen_on
        # Run again, that day and the next: nothing more.
        self.assertFalse(self._cron())
        self.assertFalse(self._cron("2026-11-03 02:00:00"))
        self.assertEqual(Review.search_count([("company_id", "=", self.company.id)]), 2)
        self.assertEqual(len(review.line_ids), 10)
        self.assertEqual(review.frozen_on, frozen_on)

    def test_r31_cron_works_in_batches_of_companies_each_frozen_once(self):
        other = self.env["res.company"].create(
            {"name": "Second Plant", "op_enabled": True}
        )
        other.resource_calendar_id = self.calendar
        Review = self.env["order.monthly.review"]
        frozen = Review.browse()
        with freeze_time(FIRST_WORKING_DAY):
            for _run in range(20):
                batch = Review._cron_freeze_closed_month(batch_size=1)
                if not batch:
                    break
                self.assertEqual(len(batch), 1)
                frozen |= batch
        ours = frozen.filtered(lambda r: r.company_id in (self.company | other))
        self.assertEqual(len(ours), 2)
        self.assertEqual(ours.mapped("month_start"), [OCTOBER, OCTOBER])
        self.assertEqual(
            Review.search_count([("company_id", "in", (self.company | other).ids)]),
            2,
        )

    def test_r31_cron_freezes_the_draft_the_pmc_manager_opened(self):
        self._october()
        with freeze_time(FIRST_WORKING_DAY):
            draft = (
                self.env["order.monthly.review"]
                .with_user(self.users["pmc_manager"])
                .create({"company_id": self.company.id, "month_start": "2026-10-20"})
            )
            draft.analysis = "Die shortage in week 43."
        self.assertEqual(draft.month_start, OCTOBER)
        self.assertEqual(self._cron(), draft)
        self.assertEqual(draft.state, "frozen")
        self.assertEqual(len(self._review()), 1)

    def test_r31_frozen_review_and_lines_are_read_only_for_every_role(self):
        self._october()
        review = self._freeze_by_hand()
        line = self._line(review, "production")
        admin = self.env.ref("base.user_admin")
        admin.groups_id = [
            Command.link(self.env.ref("order_process_addon.group_general_manager").id),
            Command.link(self.env.ref("order_process_addon.group_pmc_manager").id),
        ]
        admin.company_ids = [Command.link(self.company.id)]
        users = [self.users[role] for role in ROLES] + [admin]
        before = (review.analysis, review.rate_final, line.rate, line.below_target)
        for user in users:
            with self.subTest(user=user.login):
                with self.assertRaises(UserError) as caught:
                    review.with_user(user).write({"analysis": "Rewritten"})
                if user.has_group("order_process_addon.group_pmc_manager"):
                    # Past the access rights, the guard says why.
                    self.assertIn("can no longer change", str(caught.exception))
                with self.assertRaises(UserError):
                    review.with_user(user).write({"rate_final": 100.0})
                with self.assertRaises(UserError):
                    line.with_user(user).write({"rate": 100.0, "below_target": False})
                with self.assertRaises(UserError):
                    review.with_user(user).unlink()
        review.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(
            (review.analysis, review.rate_final, line.rate, line.below_target), before
        )
        # The refusal speaks the user's language (the guard's own message).
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["order_process_addon"], ["zh_CN"], overwrite=True
        )
        with self.assertRaises(UserError) as caught:
            review.with_user(self.users["general_manager"]).with_context(
                lang="zh_CN"
            ).write({"analysis": "Rewritten"})
        self.assertIn("不能再更改", str(caught.exception))

    def test_r31_freeze_by_hand_refused_twice_for_a_month_and_before_it_ends(self):
        self._october()
        review = self._freeze_by_hand()
        manager = self.users["pmc_manager"]
        lines = review.line_ids
        with freeze_time(FIRST_WORKING_DAY):
            with self.assertRaises(UserError) as caught:
                review.with_user(manager).action_freeze()
            self.assertIn("is already frozen", str(caught.exception))
            with self.assertRaises(UserError) as caught:
                self.env["order.monthly.review"].with_user(manager).create(
                    {"company_id": self.company.id, "month_start": "2026-10-05"}
                )
            self.assertIn("already exists", str(caught.exception))
            with self.assertRaises(UserError) as caught:
                self.env["order.monthly.review"].with_user(manager).create(
                    {"company_id": self.company.id, "month_start": "2026-11-01"}
                )
            self.assertIn("is not over yet", str(caught.exception))
            # Only the PMC manager freezes by hand.
            with self.assertRaises(AccessError):
                self.env["order.monthly.review"].with_user(
                    self.users["general_manager"]
                ).create({"company_id": self.company.id, "month_start": "2026-08-01"})
        self.assertEqual(review.line_ids, lines)
        self.assertEqual(
            self.env["order.monthly.review"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            1,
        )

    def test_r31_freeze_costs_the_same_queries_for_1_or_20_orders(self):
        """One _read_group per review: the freeze does not read the orders
        one by one."""
        self._october()
        self._crafted(
            date(2026, 7, 1), achieved=False, department="sales", cause="late"
        )
        Review = self.env["order.monthly.review"].sudo()
        with freeze_time(FIRST_WORKING_DAY):
            july, september, october = Review.create(
                [
                    {"company_id": self.company.id, "month_start": date(2026, 7, 1)},
                    {"company_id": self.company.id, "month_start": date(2026, 9, 1)},
                    {"company_id": self.company.id, "month_start": OCTOBER},
                ]
            )
            july._op_freeze()  # warms the caches (groups, activity types)

            def cost(review):
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                review._op_freeze()
                self.env.flush_all()
                return self.env.cr.sql_log_count - before

            few = cost(september)
            many = cost(october)
        self.assertEqual(september.orders_due, 1)
        self.assertEqual(october.orders_due, 20)
        self.assertEqual(few, many)
        self.assertLessEqual(many, 45)  # measured 38 (warm caches)

    def test_r31_order_left_open_past_due_counts_as_failed_when_frozen(self):
        """A real order signed on 2026-10-05, due 2026-10-30, never shipped:
        the review scores it before freezing, even if the nightly job has
        not run since it passed its due date."""
        order = self._signed()
        fact = self._fact(order)
        self.assertEqual((fact.status, fact.due), ("open", 0))
        review = self._freeze_by_hand()
        self.assertEqual(review.orders_due, 1)
        self.assertEqual(review.achieved_final, 0)
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.failure_cause, "open")
        # No stage of its own overran: charged to nobody yet (the PMC manager
        # charges it, R30), so PMC's for now, as its D13 is, and shown as
        # not charged.
        self.assertFalse(fact.responsible_department)
        self.assertEqual((review.failed_count, review.uncharged_count), (1, 1))
        self.assertEqual(review.line_ids.filtered("failed_count").department, "pmc")

    def test_r31_report_lists_departments_flagged_and_late_orders_with_d13(self):
        self._october()
        failed = self.env["order.kpi.fact"].search(
            [
                ("responsible_department", "=", "production"),
                ("failure_cause", "=", "late"),
            ],
            limit=1,
        )
        self.env["order.late.analysis"].sudo().create(
            {
                "order_id": failed.order_id.id,
                "fact_id": failed.id,
                "department": "production",
                "cause_category": "equipment",
                "root_cause": "The die cracked on the second shift.",
                "measures": "Keep a spare die for repeat orders.",
            }
        )
        review = self._freeze_by_hand()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "order_process_addon.report_order_monthly_review", review.ids
            )[0]
            .decode()
        )
        self.assertIn("Monthly Achievement Review", html)
        self.assertIn("Flagged for Performance Review", html)
        self.assertIn("Production", html)
        self.assertIn("90.0 %", html)
        self.assertIn(failed.order_id.name, html)
        self.assertIn("The die cracked on the second shift.", html)
        self.assertIn("Keep a spare die for repeat orders.", html)


@tagged("post_install", "-at_install")
class TestContinuousImprovement(MonthlyReviewCase):
    # ------------------------------------------------------------ R32
    def test_r32_quarterly_evaluation_from_the_data_then_kept(self):
        self._october()
        self._freeze_by_hand()
        manager = self.users["general_manager"]
        evaluation = (
            self.env["order.process.evaluation"]
            .with_user(manager)
            .create({"company_id": self.company.id, "year": 2026, "quarter": "4"})
        )
        self.assertEqual(evaluation.name, "2026 Q4")
        self.assertEqual(evaluation.display_name, "Process Evaluation 2026 Q4")
        self.assertEqual(evaluation.orders_due, 20)
        self.assertAlmostEqual(evaluation.rate_final, 80.0)
        self.assertIn("2026-10: 80.0 %", evaluation.data_summary)
        # Not done without the problems found.
        with self.assertRaises(UserError):
            evaluation.with_user(manager).action_done()
        self.assertEqual(evaluation.state, "draft")
        evaluation.with_user(manager).write(
            {
                "problems": "Dies wear out before repeat orders.",
                "customer_feedback": "Two complaints about split deliveries.",
            }
        )
        with self.assertRaises(AccessError):
            evaluation.with_user(self.users["sales"]).action_done()
        evaluation.with_user(manager).action_done()
        self.assertEqual(evaluation.state, "done")
        with self.assertRaises(UserError) as caught:
            evaluation.with_user(manager).write({"problems": "Nothing"})
        self.assertIn("can no longer change", str(caught.exception))
        self.assertEqual(evaluation.problems, "Dies wear out before repeat orders.")

    # ------------------------------------------------------------ R33
    def _plan(self, **vals):
        return (
            self.env["order.improvement.plan"]
            .with_user(self.users["pmc_manager"])
            .create(
                {
                    "description": "Keep a spare die for repeat orders.",
                    "owner_id": self.users["production"].id,
                    "deadline": date(2026, 11, 20),
                    **vals,
                }
            )
        )

    def test_r33_plan_needs_an_owner_and_a_deadline_on_create_and_write(self):
        Plan = self.env["order.improvement.plan"]
        count = Plan.search_count([])
        manager = self.users["pmc_manager"]
        for vals, context in (
            ({"owner_id": manager.id}, {}),
            ({"deadline": date(2026, 11, 20)}, {}),
            ({}, {"default_owner_id": False, "default_deadline": False}),
            ({"owner_id": False, "deadline": False}, {"default_owner_id": manager.id}),
        ):
            with self.subTest(vals=vals, context=context):
                with self.assertRaises(UserError) as caught:
                    Plan.with_user(manager).with_context(**context).create(
                        {"description": "Faster reviews", **vals}
                    )
                self.assertIn("needs an owner and a deadline", str(caught.exception))
        # Not as the process either.
        with self.assertRaises(UserError):
            Plan.sudo().create({"description": "Faster reviews"})
        self.assertEqual(Plan.search_count([]), count)
        plan = self._plan()
        for vals in ({"owner_id": False}, {"deadline": False}):
            with self.subTest(vals=vals):
                with self.assertRaises(UserError):
                    plan.with_user(manager).write(vals)
        self.assertEqual(plan.owner_id, self.users["production"])
        self.assertEqual(plan.deadline, date(2026, 11, 20))
        # A default from the context fills it legitimately.
        other = (
            Plan.with_user(manager)
            .with_context(default_owner_id=manager.id, default_deadline="2026-12-01")
            .create({"description": "Faster reviews"})
        )
        self.assertEqual(other.owner_id, manager)

    def test_r33_owner_reports_and_closes_the_plan(self):
        plan = self._plan()
        self.assertTrue(plan.name.startswith("IP/"))
        owner = self.users["production"]
        plan.with_user(owner).action_start()
        with self.assertRaises(AccessError):
            plan.with_user(owner).write({"deadline": date(2026, 12, 31)})
        with self.assertRaises(AccessError):
            plan.with_user(self.users["quality"]).write({"result": "Mine"})
        with self.assertRaises(UserError):
            plan.with_user(owner).action_done()
        plan.with_user(owner).result = "Spare dies for the 5 repeat products."
        plan.with_user(owner).action_done()
        self.assertEqual(plan.state, "done")
        with self.assertRaises(UserError):
            plan.with_user(self.users["pmc_manager"]).write({"result": "Changed"})

    def test_r33_overdue_plan_escalated_exactly_once(self):
        plan = self._plan()
        done = self._plan(deadline=date(2026, 11, 10))
        done.sudo().write({"state": "cancelled"})
        Plan = self.env["order.improvement.plan"]
        with freeze_time("2026-11-20 02:00:00"):
            Plan._cron_escalate_overdue()
        self.assertFalse(plan.escalated, "due today, not overdue")
        with freeze_time("2026-11-23 02:00:00"):
            Plan._cron_escalate_overdue()
            Plan._cron_escalate_overdue()
        with freeze_time("2026-11-24 02:00:00"):
            Plan._cron_escalate_overdue()
        self.assertTrue(plan.escalated)
        self.assertFalse(done.escalated)
        kind = self.env.ref(PLAN_ACTIVITY)
        todos = plan.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertEqual(
            sorted(todos.user_id.ids),
            sorted((self.users["general_manager"] | self.users["audit"]).ids),
        )
        self.assertEqual(len(todos), 2)

    def test_r33_overdue_plans_escalated_in_batches_once_each(self):
        plans = self._plan() | self._plan() | self._plan()
        Plan = self.env["order.improvement.plan"]
        with freeze_time("2026-11-23 02:00:00"):
            calls = [len(Plan._cron_escalate_overdue(batch_size=2)) for _i in range(3)]
        self.assertEqual(calls, [2, 1, 0])
        self.assertTrue(all(plans.mapped("escalated")))
        kind = self.env.ref(PLAN_ACTIVITY)
        for plan in plans:
            todos = plan.activity_ids.filtered(lambda a: a.activity_type_id == kind)
            self.assertEqual(len(todos), 2)

    def test_r33_suggestion_evaluated_by_someone_else_with_a_reward(self):
        author = self.users["pmc_manager"]
        suggestion = (
            self.env["order.improvement.suggestion"]
            .with_user(author)
            .create(
                {
                    "name": "Shared die calendar",
                    "content": "Book the dies on a shared calendar.",
                }
            )
        )
        self.assertEqual(suggestion.submitted_by_id, author)
        # The author does not evaluate their own suggestion.
        with self.assertRaises(UserError) as caught:
            suggestion.with_user(author).write(
                {"evaluation": "Great idea", "reward": True}
            )
        self.assertIn("submitted by you", str(caught.exception))
        self.assertFalse(suggestion.evaluation)
        self.assertFalse(suggestion.reward)
        # The Audit Center only reads.
        with self.assertRaises(AccessError):
            self.env["order.improvement.suggestion"].with_user(
                self.users["audit"]
            ).create({"name": "x", "content": "y"})
        evaluator = self.users["general_manager"]
        suggestion.with_user(evaluator).write(
            {"evaluation": "Saves a day per repeat order.", "reward": True}
        )
        suggestion.with_user(evaluator).action_accept()
        self.assertEqual(suggestion.state, "accepted")
        self.assertTrue(suggestion.reward)
        self.assertEqual(suggestion.evaluated_by_id, evaluator)
        with self.assertRaises(UserError):
            suggestion.with_user(evaluator).write({"reward": False})

    def test_r33_training_recorded_by_administration(self):
        admin = self.users["administration"]
        training = (
            self.env["order.process.training"]
            .with_user(admin)
            .create(
                {
                    "name": "The D13 cause analysis",
                    "date": date(2026, 11, 5),
                    "trainer_id": self.users["pmc_manager"].id,
                }
            )
        )
        with self.assertRaises(UserError):
            training.with_user(admin).action_done()
        training.with_user(admin).attendee_ids = [
            Command.set((self.users["production"] | self.users["quality"]).ids)
        ]
        training.with_user(admin).action_done()
        self.assertEqual(training.state, "done")
        self.assertEqual(training.attendee_count, 2)
        with self.assertRaises(AccessError):
            self.env["order.process.training"].with_user(
                self.users["production"]
            ).create({"name": "x"})
        with self.assertRaises(UserError):
            training.with_user(admin).write({"name": "Renamed"})
