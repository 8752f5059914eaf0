# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import time
from collections import Counter
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .test_kpi import ON_TIME, KpiCase
from .test_production_plan import BEFORE_DEADLINE, PLAN_DAY
from .test_production_quality import DURING_DAY, QualityCase

ESCALATION = "order_process_addon.mail_activity_type_escalation"
PLAN_ESCALATION = "order_process_addon.mail_activity_type_plan_escalation"
REQUESTED = date.today() + timedelta(days=30)
# Upper bounds of each step's queries (TestStepCostIsFlat).
STEP_QUERY_BOUNDS = {
    "register": 70,
    "decide": 40,
    "answer": 72,
    "sign": 240,
    "D3 approve": 132,
    "D4 release": 30,
    "D8 sign": 60,
}


@tagged("post_install", "-at_install")
class TestCronBacklog(QualityCase):
    """Issue 11, item 2: every scheduled job of the process works in bounded
    batches and reports its progress, so that a backlog larger than one
    batch is worked off over several calls of the cron runner, each item
    once."""

    def _set_batch(self, size):
        self.env["ir.config_parameter"].sudo().set_param(
            "order_process_addon.cron_batch_size", str(size)
        )

    def _run_like_the_runner(self, xmlid, now):
        """Call the job as ``ir.cron._run_job`` does (a progress record in
        the context, ``_callback``, again while some are done and some
        remain), without its commits; returns the (done, remaining) of each
        call."""
        cron = self.env.ref(xmlid)
        cron = cron.with_user(cron.user_id)
        calls = []
        with freeze_time(now):
            for _i in range(50):
                job, progress = cron._add_progress()
                job._callback(cron.cron_name, cron.ir_actions_server_id.id)
                calls.append((progress.done, progress.remaining))
                if not (progress.done and progress.remaining):
                    break
        return calls

    def _escalations(self, orders, xmlid=ESCALATION):
        kind = self.env.ref(xmlid)
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", orders._name),
                    ("res_id", "in", orders.ids),
                    ("activity_type_id", "=", kind.id),
                ]
            )
        )

    def test_issue11_item2_review_backlog_escalated_once_in_batches(self):
        with freeze_time("2026-09-28 02:00:00"):
            orders = self.env["sale.order"]
            for _i in range(7):
                order = self._new_order(op_requested_date=date(2026, 10, 20))
                order.action_op_register()
                orders |= order
        overdue = orders.op_review_ids.filtered(lambda r: r.state == "pending")
        self.assertEqual(len(overdue), 21, "3 pending reviews per order")
        self._set_batch(5)
        calls = self._run_like_the_runner(
            "order_process_addon.ir_cron_escalate_overdue_reviews",
            "2026-10-20 02:00:00",
        )
        # 5 calls of 5, 4 and 1 remaining... then 1: the runner stops when
        # nothing remains.
        self.assertEqual(
            calls, [(5, 16), (5, 11), (5, 6), (5, 1), (1, 0)], "bounded batches"
        )
        self.assertTrue(all(overdue.mapped("escalated")))
        activities = self._escalations(orders)
        per_review = Counter((a.res_id, a.summary) for a in activities)
        self.assertEqual(len(per_review), 21, "every review escalated")
        self.assertEqual(set(per_review.values()), {1}, "and only once")
        self.assertEqual(activities.user_id, self.users["pmc_manager"])
        # One note per order and batch, naming each of its overdue reviews.
        for order in orders:
            notes = order.message_ids.filtered(lambda m: "Escalated" in str(m.body))
            self.assertLessEqual(len(notes), 2, "a batch may end within an order")
            bodies = "".join(str(body) for body in notes.mapped("body"))
            self.assertEqual(bodies.count("Review overdue since"), 3)
        # The manager is told once per batch, not once per review.
        digests = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.users["pmc_manager"].partner_id.ids),
                ("subject", "=", "Overdue reviews escalated to you"),
            ]
        )
        self.assertEqual(len(digests), 5)
        # A second run finds nothing more to do.
        calls = self._run_like_the_runner(
            "order_process_addon.ir_cron_escalate_overdue_reviews",
            "2026-10-21 02:00:00",
        )
        self.assertEqual(calls, [(0, 0)])
        self.assertEqual(len(self._escalations(orders)), 21)

    def test_issue11_item2_review_escalation_cost_is_flat_per_batch(self):
        """A batch's queries do not grow with its size: what the loop reads
        is prefetched, notes and to-dos are created in one batch each."""
        with freeze_time("2026-09-28 02:00:00"):
            for _i in range(12):
                self._new_order(
                    op_requested_date=date(2026, 10, 20)
                ).action_op_register()
        Review = self.env["order.review"]
        costs = {}
        with freeze_time("2026-10-20 02:00:00"):
            for size in (3, 30):
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                start = time.perf_counter()
                done = Review._cron_escalate_overdue(batch_size=size)
                self.env.flush_all()
                costs[size] = (
                    done,
                    self.cr.sql_log_count - before,
                    time.perf_counter() - start,
                )
        self.assertEqual(costs[3][0], 3)
        self.assertEqual(costs[30][0], 30)
        # 10 times the reviews, far less than 10 times the queries.
        self.assertLessEqual(costs[30][1], costs[3][1] * 2, costs)

    def test_issue11_item2_late_plans_escalated_once_in_batches(self):
        with freeze_time("2026-10-12 02:00:00"):  # Monday 10:00 in Shanghai
            orders = self._effective_order() | self._effective_order()
            orders |= self._effective_order()
        self._set_batch(2)
        calls = self._run_like_the_runner(
            "order_process_addon.ir_cron_escalate_late_plans",
            "2026-10-13 03:00:00",
        )
        self.assertEqual(calls, [(2, 1), (1, 0)])
        self.assertTrue(all(orders.mapped("op_plan_escalated")))
        activities = self._escalations(orders, PLAN_ESCALATION)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(orders.ids))
        self.assertEqual(
            self._run_like_the_runner(
                "order_process_addon.ir_cron_escalate_late_plans",
                "2026-10-14 03:00:00",
            ),
            [(0, 0)],
        )

    def test_issue11_item2_daily_jobs_report_progress_and_do_not_repeat(self):
        calls = self._run_like_the_runner(
            "order_process_addon.ir_cron_build_inbound_statistics",
            "2026-10-13 03:00:00",
        )
        self.assertEqual(calls[-1][1], 0, "nothing left")
        self.assertGreaterEqual(sum(done for done, _rest in calls), 1)
        record = self.env["order.inbound.statistics"].search(
            [("company_id", "=", self.company.id), ("date", "=", "2026-10-12")]
        )
        self.assertEqual(len(record), 1)
        again = self._run_like_the_runner(
            "order_process_addon.ir_cron_build_inbound_statistics",
            "2026-10-13 05:00:00",
        )
        self.assertEqual(again, [(0, 0)], "built after the day ended: done")
        calls = self._run_like_the_runner(
            "order_process_addon.ir_cron_check_public_holidays",
            "2026-10-13 03:00:00",
        )
        self.assertEqual(calls[-1][1], 0)
        self.assertEqual(self.company.op_holidays_checked_on, date(2026, 10, 13))
        again = self._run_like_the_runner(
            "order_process_addon.ir_cron_check_public_holidays",
            "2026-10-13 05:00:00",
        )
        self.assertEqual(again, [(0, 0)], "each company once a day")


@tagged("post_install", "-at_install")
class TestRegisterCost(QualityCase):
    """Issue 11, item 3: registering an order costs no more than 1.5 times
    Odoo's own confirmation of the same order, and tells each assignee once."""

    def _pair(self):
        order = self._new_order(op_requested_date=REQUESTED)
        plain = order.copy({"op_requested_date": REQUESTED})
        # The same order on Odoo's own flow.
        self.env.cr.execute(
            "UPDATE sale_order SET op_active = FALSE WHERE id = %s", [plain.id]
        )
        self.env.invalidate_all()
        return order, plain

    def test_issue11_item3_register_within_1_5_confirm(self):
        for _i in range(2):  # warm the caches, then measure
            order, plain = self._pair()
            register = self._queries(order.action_op_register)
            confirm = self._queries(plain.action_confirm)
        self.assertEqual(plain.state, "sale")
        self.assertEqual(order.op_state, "review")
        self.assertLessEqual(register, confirm * 1.5, f"{register} vs {confirm}")

    def test_issue11_item3_each_assignee_told_once_per_order(self):
        order = self._new_order(op_requested_date=REQUESTED)
        order.action_op_register()
        todos = order.activity_ids.filtered("op_review_id")
        # Finance, Quality, PMC (its planner and its manager, who plans too).
        self.assertEqual(len(todos.user_id), 4)
        notices = self.env["mail.message"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(len(notices), 1, "one notice for the order's to-dos")
        self.assertEqual(notices.partner_ids, todos.user_id.partner_id)
        for todo in todos:
            self.assertIn(todo.summary, str(notices.body))


@tagged("post_install", "-at_install")
class TestIndexes(QualityCase):
    """Issue 11, item 4: what the crons, menus, default filters and record
    rules filter on is indexed, and a product's trial run does not rewrite
    the orders of the past."""

    def test_issue11_item4_filtered_columns_are_indexed(self):
        self.env.cr.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN "
            "('sale_order', 'order_review', 'order_production_plan', "
            "'order_inbound_statistics_line', 'stock_picking', 'account_move', "
            "'purchase_order_line')"
        )
        names = {row[0] for row in self.env.cr.fetchall()}
        for name in (
            "order_review_pending_index",
            "order_review_my_reviews_index",
            "order_review_list_order_index",
            "order_review__company_id_index",
            "sale_order_op_active_list_index",
            "sale_order_op_unplanned_index",
            "sale_order_op_state_list_index",
            "sale_order_op_state_count_index",
            "sale_order_op_rush_index",
            "sale_order_op_in_progress_index",
            "sale_order__op_merchandiser_id_index",
            "order_production_plan_unreleased_index",
            "order_inbound_statistics_line__company_id_index",
            "stock_picking_op_to_ship_index",
            "account_move_op_unpaid_index",
            # A D3's RFQ reads its order's procurement group's purchase lines.
            "purchase_order_line__group_id_index",
        ):
            self.assertIn(name, names)

    def test_issue11_item4_escalation_reads_its_partial_index(self):
        self.env.flush_all()
        query = self.env["order.review"]._search(
            self.env["order.review"]._op_escalation_domain(),
            order="deadline, id",
            limit=300,
        )
        # A test database is small: tell the planner scans and sorts are
        # dear, as they are at a hundred thousand orders (on a few rows it
        # may as well read the state index and sort, a coin toss that made
        # this test flaky).
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute("SET LOCAL enable_sort = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        # The partial index of pending reviews by deadline: never a scan of
        # the table.
        self.assertNotIn("Seq Scan", plan)
        self.assertRegex(plan, r"Index (Only )?Scan using order_review_pending_index")

    def test_issue11_item4_trial_run_does_not_rewrite_history(self):
        self.product.op_trial_run_done = False
        done = self._effective_order_with_gm()
        draft = self._new_order()
        self.assertTrue(done.op_has_untried_product)
        self.assertTrue(draft.op_has_untried_product)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT write_date FROM sale_order WHERE id = %s", [done.id]
        )
        before = self.env.cr.fetchone()[0]
        self.product.op_trial_run_done = True
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(draft.op_has_untried_product, "an open order follows")
        self.assertTrue(done.op_has_untried_product, "history is kept")
        self.env.cr.execute(
            "SELECT write_date FROM sale_order WHERE id = %s", [done.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], before, "not rewritten")

    def _effective_order_with_gm(self):
        order = self._new_order()
        driver = self._driver()
        driver.register(order)
        driver.answer(order, date.today() + timedelta(days=25))
        self._sign_with_scan(order)
        return order


@tagged("post_install", "-at_install")
class TestOrdersBoard(KpiCase):
    """Issue 11: the orders board opens on the orders in progress, so its
    columns count the orders under way (a few hundred), not every order ever
    shipped."""

    def test_issue11_orders_board_opens_on_the_orders_in_progress(self):
        action = self.env.ref("order_process_addon.sale_order_action")
        self.assertIn("'search_default_op_in_progress': 1", action.context)
        draft = self._new_order()
        shipped, cancelled, open_order = self._signed(), self._signed(), self._signed()
        self.assertTrue(draft.op_in_progress)
        self.assertTrue(open_order.op_in_progress, "signed, not yet shipped")
        self._ship(shipped, ON_TIME)
        self.assertEqual(shipped.delivery_status, "full")
        self.assertFalse(shipped.op_in_progress, "delivered in full")
        cancelled.with_user(self.users["customer_mgmt"]).action_op_cancel(
            "Withdrawn", "customer"
        )
        self.assertFalse(cancelled.op_in_progress)
        outside = self._create_order(company=self.env.ref("base.main_company"))
        self.assertFalse(outside.op_in_progress, "not an order of the process")
        # Written by the process only.
        with self.assertRaises(UserError), self.cr.savepoint():
            shipped.with_user(self.users["customer_mgmt"]).write(
                {"op_in_progress": True}
            )
        self.assertFalse(shipped.op_in_progress)
        # The board's domain (the action's and its default filter) finds
        # the orders in progress only.
        domain = [("op_active", "=", True), ("op_in_progress", "=", True)]
        found = self.env["sale.order"].search(domain)
        self.assertIn(draft, found)
        self.assertIn(open_order, found)
        self.assertNotIn(shipped, found)
        self.assertNotIn(cancelled, found)


@tagged("post_install", "-at_install")
class TestStepCostIsFlat(QualityCase):
    """Issue 11, item 5: the process steps `make scale` measures cost the
    same number of queries with 1 or 20 orders through the same steps
    (nothing searches across the company's orders, reviews, plans or
    receipts); D10 approval and D11 signature are in test_shipping's
    TestShippingCost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        vendor = cls.env["res.partner"].create({"name": "Foam Supplier Co."})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": vendor.id,
                "product_tmpl_id": cls.component.product_tmpl_id.id,
                "price": 1.5,
                "company_id": cls.company.id,
            }
        )

    def _costs(self, day):
        """Queries of each step of one order from its registration to its
        signed D8, the D4 on ``day``."""
        costs = {}
        driver = self._driver()
        order = self._new_order(op_requested_date=REQUESTED)
        costs["register"] = self._queries(lambda: driver.register(order))
        review = order.op_review_ids.filtered(lambda r: r.state == "pending")[:1]
        costs["decide"] = self._queries(
            lambda: driver.decide(review, committed=REQUESTED)
        )
        while order.op_state == "review":
            driver.approve_pending(order, REQUESTED)
        costs["answer"] = self._queries(lambda: driver.run("answer", order))
        costs["sign"] = self._queries(
            lambda: driver.sign(order, "Chen Xiaojie", datetime.now())
        )
        d3 = driver.material_plan(order, approve=False)
        costs["D3 approve"] = self._queries(
            lambda: driver.run("approve_material_plan", d3)
        )
        production = self._production(order)
        plan = self._plan(production, day)
        driver.run("submit_plan", plan)
        driver.run("approve_plan", plan)
        with driver.at(BEFORE_DEADLINE):
            costs["D4 release"] = self._queries(lambda: driver.release(plan))
        driver.start(production)
        driver.final_test(production)
        receipt = driver.deliver(production)
        with driver.at(DURING_DAY):
            costs["D8 sign"] = self._queries(lambda: driver.count(receipt))
        self.assertEqual(receipt.state, "signed")
        return costs

    def test_issue11_item5_step_costs_do_not_grow_with_orders(self):
        days = [PLAN_DAY + timedelta(days=i) for i in range(40)]
        days = iter(day for day in days if day.weekday() < 5)
        self._costs(next(days))  # warm the caches
        one = self._costs(next(days))
        for _i in range(18):
            self._costs(next(days))
        twenty = self._costs(next(days))
        for step, queries in one.items():
            # Flat: the same (signing once one query fewer, a cache warmed
            # by the first orders), never more with 20 orders than with 1.
            self.assertLessEqual(twenty[step], queries, (step, one, twenty))
            self.assertGreaterEqual(twenty[step], queries - 1, (step, one, twenty))
        # Measured on 2026-11-28: register 65, decide 36, answer 67, sign 206,
        # D3 approve 126, D4 release 26, D8 sign 55 (with R23's to-do asking
        # the merchandiser for the D10; 21 before) (bounds: some margin).
        # 2026-12-07 (issue 18, item 1): sign 230, D3 approve 122: the
        # signature asks once whether the order has anything to buy (R11:
        # the D3's own BoM explosion, forecast and prepared RFQs, ~24
        # queries, the same for 1 or 20 orders) before giving the material
        # controller a to-do.
        for step, bound in STEP_QUERY_BOUNDS.items():
            self.assertLessEqual(twenty[step], bound, (step, twenty))
