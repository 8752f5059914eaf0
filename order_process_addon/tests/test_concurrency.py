# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import threading
import time
from datetime import date, timedelta

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestConcurrentDecisions(BaseCase):
    """R10: two reviewers deciding the same order at once, each in its own
    transaction as two web requests would, leave a consistent order."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if not env.ref("order_process_addon.company_demo", False):
                self.skipTest("demo data not loaded")  # make test fails on skips
            desk = env.ref("order_process_addon.user_customer_mgmt_demo")
            order = (
                env["sale.order"]
                .with_user(desk)
                .create(
                    {
                        "partner_id": env.ref(
                            "order_process_addon.partner_lianchuang_demo"
                        ).id,
                        "order_line": [
                            (
                                0,
                                0,
                                {
                                    "product_id": env.ref(
                                        "order_process_addon.product_foam_gasket_demo"
                                    ).id,
                                    "product_uom_qty": 100,
                                },
                            )
                        ],
                    }
                )
            )
            order.action_op_register()
            pmc = order.op_review_ids.filtered("records_delivery_date")
            pmc.with_user(
                env.ref("order_process_addon.user_pmc_planner_demo")
            ).action_approve(committed_date=date.today() + timedelta(days=30))
            self.order_id = order.id
            self.reviews = {
                r.group_id.get_external_id()[r.group_id.id]: r.id
                for r in order.op_review_ids
                if r.state == "pending"
            }
        self.addCleanup(self._delete_order)

    def _delete_order(self):
        with self.registry.cursor() as cr:
            for table, column in (
                ("mail_activity", "res_id"),
                ("order_review", "order_id"),
                ("sale_order_line", "order_id"),
                ("sale_order", "id"),
            ):
                where = SQL("%s = %s", SQL.identifier(column), self.order_id)
                if table == "mail_activity":
                    where = SQL("%s AND res_model = 'sale.order'", where)
                cr.execute(SQL("DELETE FROM %s WHERE %s", SQL.identifier(table), where))

    def _decide(self, login, review_id, barrier, hold, errors):
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                user = env["res.users"].search([("login", "=", login)])
                barrier.wait(timeout=10)

                def decide():
                    review = env["order.review"].with_user(user).browse(review_id)
                    review.action_approve()
                    env.flush_all()
                    if hold:  # keep the transaction open while the other decides
                        time.sleep(1.5)

                retrying(decide, env)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    def test_r10_two_reviewers_deciding_at_once(self):
        self.assertEqual(
            set(self.reviews),
            {"order_process_addon.group_quality", "order_process_addon.group_finance"},
        )
        barrier = threading.Barrier(2)
        errors = []
        threads = [
            threading.Thread(
                target=self._decide,
                args=(
                    login,
                    self.reviews[f"order_process_addon.group_{login}"],
                    barrier,
                    hold,
                    errors,
                ),
            )
            for login, hold in (("quality", True), ("finance", False))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertFalse(errors)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(self.order_id)
            self.assertEqual(
                sorted(order.op_review_ids.mapped("state")), ["approved"] * 3
            )
            # Both saw each other: the round is complete.
            self.assertEqual(order.op_state, "reviewed")


@tagged("post_install", "-at_install")
class TestConcurrentMonthlyTotals(BaseCase):
    """Issue 11: two steps that score orders due in the same month at the
    same time, each in its own transaction as two web requests would, both
    commit (they add rows to the month's totals, they do not update a shared
    one), and the totals are right."""

    MONTH = "2030-03-01"

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            company = env.ref("order_process_addon.company_demo", False)
            if not company:
                self.skipTest("demo data not loaded")  # make test fails on skips
            self.company_id = company.id
            partner = env.ref("order_process_addon.partner_lianchuang_demo")
            orders = env["sale.order"].create(
                [{"partner_id": partner.id, "company_id": company.id}] * 2
            )
            facts = env["order.kpi.fact"].create(
                [
                    {
                        "order_id": order.id,
                        "company_id": company.id,
                        "due_date": f"2030-03-1{index}",
                        "due": 1,
                    }
                    for index, order in enumerate(orders)
                ]
            )
            self.order_ids, self.fact_ids = orders.ids, facts.ids
        self.addCleanup(self._delete)

    def _delete(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "DELETE FROM order_kpi_fact WHERE id IN %s", [tuple(self.fact_ids)]
            )
            cr.execute(
                "DELETE FROM order_kpi_month WHERE company_id = %s AND month = %s",
                [self.company_id, self.MONTH],
            )
            cr.execute("DELETE FROM sale_order WHERE id IN %s", [tuple(self.order_ids)])

    def test_issue11_same_month_scored_at_once_both_commit(self):
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            for cr, fact_id in zip((cr1, cr2), self.fact_ids, strict=True):
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["order.kpi.fact"].browse(fact_id).write({"ok_final": 1})
                env.flush_all()
            # Both transactions have their snapshot; the first commits, then
            # the second (an update of a row the first changed would fail
            # with a serialization error here).
            cr1.commit()
            cr2.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            facts = env["order.kpi.fact"]
            landing = [
                ("company_id", "=", self.company_id),
                ("due_date", ">=", self.MONTH),
                ("due_date", "<", "2030-04-01"),
            ]
            aggregates = ["__count", "due:sum", "ok_final:sum", "rate_final:sum"]
            monthly = facts._read_group(landing, [], aggregates)
            direct = facts.with_context(op_kpi_from_facts=True)._read_group(
                landing, [], aggregates
            )
            self.assertEqual(monthly, direct)
            self.assertEqual(monthly, [(2, 2, 2, 100.0)])
