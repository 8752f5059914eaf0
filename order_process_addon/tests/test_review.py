# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestReview(OrderProcessCase):
    """Configurable multi-department review (R4-R7, R9, R10)."""

    def test_r05_technical_review_only_with_special_requirements(self):
        plain = self._new_order()
        plain.action_op_register()
        self.assertFalse(self._review(plain, "technical"))
        special = self._new_order(op_special_requirements="Halogen-free adhesive")
        special.action_op_register()
        self.assertEqual(self._review(special, "technical").state, "pending")

    def test_r05_steps_are_data_with_conditions(self):
        self.env["order.review.step"].create(
            {
                "name": "Large order (General Manager)",
                "sequence": 30,
                "group_id": self.env.ref(
                    "order_process_addon.group_general_manager"
                ).id,
                "domain": "[('amount_untaxed', '>', 1000)]",
                "company_id": self.company.id,
            }
        )
        small = self._new_order()
        small.action_op_register()
        self.assertFalse(self._review(small, "general_manager"))
        large = self._new_order(lines=60)
        large.action_op_register()
        self.assertEqual(self._review(large, "general_manager").state, "waiting")

    def test_r05_invalid_step_condition_refused(self):
        with self.assertRaises(UserError):
            self.env["order.review.step"].create(
                {
                    "name": "Broken",
                    "group_id": self.env.ref("order_process_addon.group_quality").id,
                    "domain": "[('no_such_field', '=', 1)]",
                }
            )

    def test_r05_parallel_departments_then_later_steps(self):
        self.product.op_trial_run_done = False
        order = self._new_order()
        order.action_op_register()
        gm = self._review(order, "general_manager")
        self.assertEqual(gm.state, "waiting")
        self._review(order, "quality").with_user(self.users["quality"]).action_approve()
        self._review(order, "finance").with_user(self.users["finance"]).action_approve()
        self.assertEqual(gm.state, "waiting")
        self._review(order, "pmc_planner").with_user(
            self.users["pmc_planner"]
        ).action_approve(committed_date=date.today() + timedelta(days=10))
        self.assertEqual(gm.state, "pending")
        self.assertEqual(order.op_state, "review")

    def test_r10_decision_records_who_when_what(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "quality")
        with freeze_time("2030-01-02 03:04:05"):
            review.with_user(self.users["quality"]).action_approve_with_conditions(
                "Salt-spray test at customer's cost", comments="Lab free next week"
            )
        self.assertEqual(review.state, "conditional")
        self.assertEqual(review.reviewer_id, self.users["quality"])
        self.assertEqual(review.date_decision, datetime(2030, 1, 2, 3, 4, 5))
        self.assertEqual(review.reason, "Salt-spray test at customer's cost")
        self.assertEqual(review.comments, "Lab free next week")
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.op_review_id == review)
        )

    def test_r10_reject_without_reason_refused(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "finance")
        for reason in ("", "   "):
            with self.assertRaisesRegex(UserError, "reason"):
                review.with_user(self.users["finance"]).action_reject(reason)
        with self.assertRaisesRegex(UserError, "conditions of the approval"):
            review.with_user(self.users["finance"]).action_approve_with_conditions("")
        self.assertEqual(review.state, "pending")
        self.assertFalse(review.reviewer_id)
        self.assertEqual(order.op_state, "review")

    def test_r36_reviewing_for_a_role_you_do_not_hold_refused(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "finance")
        for role in ("quality", "customer_mgmt", "audit", "sales"):
            with self.assertRaises(AccessError):
                review.with_user(self.users[role]).action_approve()
        self.assertEqual(review.state, "pending")

    def test_r37_deciding_the_same_review_twice_refused(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "quality")
        review.with_user(self.users["quality"]).action_approve()
        with self.assertRaisesRegex(UserError, "already decided"):
            review.with_user(self.users["quality"]).action_reject("changed my mind")
        self.assertEqual(review.state, "approved")

    def test_r10_rejection_returns_the_order_and_a_new_round_keeps_history(self):
        order = self._new_order()
        order.action_op_register()
        self._review(order, "quality").with_user(self.users["quality"]).action_approve()
        self._review(order, "finance").with_user(self.users["finance"]).action_reject(
            "Price below cost"
        )
        self.assertEqual(order.op_state, "returned")
        self.assertEqual(order.op_return_reason, "Price below cost")
        self.assertEqual(
            sorted(order.op_review_ids.mapped("state")),
            ["approved", "rejected", "voided"],
        )
        merchandiser_todo = order.activity_ids.filtered(
            lambda a: a.user_id == self.users["customer_mgmt"]
        )
        self.assertTrue(merchandiser_todo)
        # Resubmission: a new round, the old one stays as history.
        order.order_line.price_unit = 3.0
        order.action_op_register()
        self.assertEqual(order.op_review_round, 2)
        self.assertEqual(len(order.op_review_ids), 6)
        self.assertEqual(
            sorted(
                order.op_review_ids.filtered(lambda r: r.round == 1).mapped("state")
            ),
            ["approved", "rejected", "voided"],
        )
        self.assertTrue(
            all(
                r.state == "pending"
                for r in order.op_review_ids.filtered(lambda r: r.round == 2)
            )
        )

    def test_r07_all_approved_then_pmc_answers(self):
        order = self._new_order()
        order.action_op_register()
        committed = self._approve_all(order)
        self.assertEqual(order.op_state, "reviewed")
        with self.assertRaises(AccessError):
            order.with_user(self.users["customer_mgmt"]).action_op_answer()
        order.with_user(self.users["pmc_planner"]).action_op_answer(
            conditions="Deliver in two lots"
        )
        self.assertEqual(order.op_state, "answered")
        self.assertEqual(order.op_committed_date, committed)
        self.assertEqual(order.op_first_committed_date, committed)
        self.assertEqual(order.commitment_date.date(), committed)
        self.assertIn("two lots", order.op_answer_conditions)
        self.assertTrue(order.require_signature)

    def test_r37_answer_before_every_review_is_done_refused(self):
        order = self._new_order()
        order.action_op_register()
        with self.assertRaises(UserError):
            order.with_user(self.users["pmc_planner"]).action_op_answer()
        self.assertEqual(order.op_state, "review")

    def test_r37_committed_date_in_the_past_or_before_the_order_refused(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "pmc_planner").with_user(self.users["pmc_planner"])
        with self.assertRaisesRegex(UserError, "past"):
            review.action_approve(committed_date=date.today() - timedelta(days=1))
        with self.assertRaisesRegex(UserError, "delivery date"):
            review.action_approve()
        self.assertEqual(review.state, "pending")
        order.date_order = datetime.now() + timedelta(days=5)
        with self.assertRaisesRegex(UserError, "before the order date"):
            review.action_approve(committed_date=date.today() + timedelta(days=2))
        self.assertEqual(review.state, "pending")

    def test_r04_review_deadline_is_one_working_day(self):
        # Friday 2026-09-25 10:00 in Shanghai = 02:00 UTC -> Monday 10:00.
        with freeze_time("2026-09-25 02:00:00"):
            order = self._new_order(op_requested_date=date(2026, 10, 20))
            order.action_op_register()
        self.assertEqual(order.op_review_deadline, datetime(2026, 9, 28, 2, 0))
        self.assertEqual(
            set(order.op_review_ids.mapped("deadline")), {datetime(2026, 9, 28, 2, 0)}
        )

    def test_r06_rush_order_short_deadline_and_pmc_alerted_at_once(self):
        with freeze_time("2026-09-28 02:00:00"):  # Monday 10:00 Shanghai
            order = self._new_order(
                op_urgency="rush", op_requested_date=date(2026, 10, 20)
            )
            order.action_op_register()
        # 2 working hours: 10-12 -> Monday 12:00 = 04:00 UTC.
        self.assertEqual(order.op_review_deadline, datetime(2026, 9, 28, 4, 0))
        alerts = order.activity_ids.filtered(
            lambda a: not a.op_review_id and a.user_id == self.users["pmc_planner"]
        )
        self.assertTrue(alerts)
        self.assertIn("Rush", alerts[0].summary)
        # Rush reviews come first in every department's list.
        normal = self._new_order()
        normal.action_op_register()
        reviews = self.env["order.review"].search(
            [("order_id", "in", (order | normal).ids), ("state", "=", "pending")]
        )
        self.assertEqual(reviews[0].order_id, order)

    def test_r04_r34_overdue_reviews_escalated_once_to_the_pmc_manager(self):
        with freeze_time("2026-09-28 02:00:00"):
            order = self._new_order(op_requested_date=date(2026, 10, 20))
            order.action_op_register()
        overdue = self.env["order.review"].search(
            [("is_overdue", "=", True), ("order_id", "=", order.id)]
        )
        self.assertEqual(len(overdue), 3)
        self.assertIn(
            order, self.env["sale.order"].search([("op_review_overdue", "=", True)])
        )
        self.assertEqual(self.env["order.review"]._cron_escalate_overdue(), 3)
        escalation = self.env.ref("order_process_addon.mail_activity_type_escalation")
        to_manager = order.activity_ids.filtered(
            lambda a: a.activity_type_id == escalation
        )
        self.assertEqual(to_manager.user_id, self.users["pmc_manager"])
        self.assertEqual(self.env["order.review"]._cron_escalate_overdue(), 0)

    def test_r35_reviews_are_never_deleted(self):
        order = self._new_order()
        order.action_op_register()
        with self.assertRaises(UserError):
            order.op_review_ids.unlink()
        with self.assertRaises(AccessError):
            order.op_review_ids.with_user(self.users["pmc_manager"]).write(
                {"state": "approved"}
            )
        self.assertEqual(len(order.op_review_ids.exists()), 3)

    def test_r09_new_product_needs_the_general_manager(self):
        self.product.op_trial_run_done = False
        order = self._new_order()
        order.action_op_register()
        self._approve_all(order)
        gm = self._review(order, "general_manager")
        self.assertEqual(gm.state, "pending")
        for role in ("pmc_manager", "customer_mgmt", "sales"):
            with self.assertRaises(AccessError):
                gm.with_user(self.users[role]).action_approve()
        self.assertEqual(order.op_state, "review")
        with freeze_time("2030-05-06 07:08:09"):
            gm.with_user(self.users["general_manager"]).action_approve()
        self.assertEqual(order.op_gm_approved_by_id, self.users["general_manager"])
        self.assertEqual(order.op_gm_approved_on, datetime(2030, 5, 6, 7, 8, 9))
        self.assertEqual(order.op_state, "reviewed")

    def test_r09_without_gm_step_an_untried_product_is_still_refused(self):
        self.env.ref("order_process_addon.review_step_general_manager").active = False
        self.product.op_trial_run_done = False
        order = self._new_order()
        order.action_op_register()
        self._approve_all(order)
        self.assertEqual(order.op_state, "reviewed")
        with self.assertRaisesRegex(UserError, "General Manager"):
            order.with_user(self.users["pmc_planner"]).action_op_answer()
        self.assertEqual(order.op_state, "reviewed")

    def test_my_reviews_lists_what_waits_for_my_department(self):
        order = self._new_order()
        order.action_op_register()
        action = self.env.ref("order_process_addon.order_review_action_my")
        self.assertEqual(action.context, "{'search_default_waiting_for_me': 1}")
        mine = (
            self.env["order.review"]
            .with_user(self.users["quality"])
            .search(
                [
                    ("state", "=", "pending"),
                    ("group_id.users", "in", [self.users["quality"].id]),
                ]
            )
        )
        self.assertEqual(mine, self._review(order, "quality"))
