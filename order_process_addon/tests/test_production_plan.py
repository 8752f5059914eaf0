# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import OrderProcessCase

PLAN_DAY = date(2026, 10, 12)  # a Monday; 07:50 Shanghai = 23:50 UTC the day before
BEFORE_DEADLINE = "2026-10-11 22:00:00"
AFTER_DEADLINE = "2026-10-12 01:00:00"


class ProductionCase(OrderProcessCase):
    """A product with a bill of materials, and helpers for MOs and plans."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.component = cls.env["product.product"].create(
            {"name": "EVA foam", "is_storable": True}
        )
        cls.bom = cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.product.product_tmpl_id.id,
                "product_qty": 1,
                "company_id": cls.company.id,
                "bom_line_ids": [
                    Command.create({"product_id": cls.component.id, "product_qty": 1})
                ],
            }
        )

    def _effective_order(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        return order

    def _production(self, order=None, user=None):
        env = self.env(user=user or self.users["pmc_planner"])
        env = env(context=dict(env.context, allowed_company_ids=self.company.ids))
        vals = {"product_id": self.product.id, "product_qty": 5, "bom_id": self.bom.id}
        if order:
            group = self.env["procurement.group"].create(
                {"name": order.name, "sale_id": order.id}
            )
            vals["procurement_group_id"] = group.id
        production = env["mrp.production"].create(vals)
        production.action_confirm()
        return production

    def _plan(self, productions, day=PLAN_DAY):
        env = self.env(user=self.users["pmc_planner"])
        env = env(context=dict(env.context, allowed_company_ids=self.company.ids))
        return env["order.production.plan"].create(
            {
                "plan_date": day,
                "company_id": self.company.id,
                "production_ids": [Command.set(productions.ids)],
            }
        )

    def _approver(self):
        return self.env["res.users"].create(
            {
                "name": "Second PMC manager",
                "login": "op_pmc_manager_2",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("order_process_addon.group_pmc_manager").id,
                        ]
                    )
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestProductionPlan(ProductionCase):
    """D4: production plans approved and released on time (R12-R14)."""

    def test_r13_plan_is_submitted_approved_and_released_on_time(self):
        production = self._production(self._effective_order())
        plan = self._plan(production)
        self.assertEqual(plan.release_deadline, datetime(2026, 10, 11, 23, 50))
        plan.action_submit()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.users["pmc_manager"]).action_approve()
        self.assertEqual(plan.approved_by_id, self.users["pmc_manager"])
        with freeze_time(BEFORE_DEADLINE):
            plan.action_release()
        self.assertEqual(plan.state, "released")
        self.assertFalse(plan.released_late)
        self.assertTrue(plan.name.startswith("D4/"))

    def test_r13_approving_ones_own_plan_refused(self):
        manager = self.users["pmc_manager"]
        plan = self._plan(self._production())
        plan.with_user(manager).action_submit()
        with self.assertRaisesRegex(UserError, "submitted by you"):
            plan.with_user(manager).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.users["pmc_planner"]).action_approve()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self._approver()).action_approve()
        self.assertEqual(plan.state, "approved")

    def test_r13_release_before_approval_refused(self):
        plan = self._plan(self._production())
        plan.action_submit()
        with self.assertRaisesRegex(UserError, "approved"):
            plan.action_release()
        self.assertEqual(plan.state, "submitted")

    def test_r13_late_release_needs_a_reason_and_is_flagged(self):
        plan = self._plan(self._production())
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time(AFTER_DEADLINE):
            with self.assertRaisesRegex(UserError, "after its deadline"):
                plan.action_release()
            self.assertEqual(plan.state, "approved")
            plan.action_release(late_reason="Material arrived at 08:30")
        self.assertTrue(plan.released_late)
        self.assertEqual(plan.late_reason, "Material arrived at 08:30")

    def test_r14_production_waits_for_the_released_plan(self):
        production = self._production(self._effective_order())
        self.assertTrue(production.op_sale_order_id)
        with self.assertRaisesRegex(UserError, "no released production plan"):
            production.action_start()
        plan = self._plan(production)
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with self.assertRaisesRegex(UserError, "no released production plan"):
            production.write({"qty_producing": 1})
        self.assertEqual(production.state, "confirmed")
        with freeze_time(BEFORE_DEADLINE):
            plan.action_release()
        production.action_start()
        self.assertEqual(production.state, "progress")

    def test_r08_production_for_an_unsigned_order_refused(self):
        order = self._answered_order()
        production = self._production(order)
        with self.assertRaisesRegex(UserError, "not signed"):
            production.action_start()
        self.assertEqual(production.state, "confirmed")

    def test_r06_rush_insertion_into_a_released_plan_needs_the_manager(self):
        plan = self._plan(self._production())
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time(BEFORE_DEADLINE):
            plan.action_release()
        rush = self._production(self._effective_order())
        with self.assertRaisesRegex(UserError, "never by direct writing"):
            rush.with_user(self.users["pmc_planner"]).write({"op_plan_id": plan.id})
        with self.assertRaises(AccessError):
            plan.with_user(self.users["pmc_planner"]).action_insert_rush(rush, "Urgent")
        self.assertFalse(rush.op_plan_id)
        plan.with_user(self.users["pmc_manager"]).action_insert_rush(
            rush, "Customer line stop"
        )
        self.assertEqual(rush.op_plan_id, plan)
        self.assertEqual(rush.op_inserted_by_id, self.users["pmc_manager"])
        rush.action_start()
        self.assertEqual(rush.state, "progress")

    def test_manufacturing_outside_the_process_is_unchanged(self):
        production = self._production()
        self.assertFalse(production.op_sale_order_id)
        production.action_start()
        self.assertEqual(production.state, "progress")

    def test_r35_submitted_plan_is_never_deleted(self):
        plan = self._plan(self._production())
        plan.action_submit()
        with self.assertRaises(UserError):
            plan.unlink()
        with self.assertRaises(UserError):
            plan.write({"plan_date": date(2026, 10, 13)})
        self.assertTrue(plan.exists())

    def test_approval_and_release_cost_does_not_grow_with_orders(self):
        def cost(count, day):
            plan = self._plan(
                self.env["mrp.production"].concat(
                    *[self._production() for _i in range(count)]
                ),
                day,
            )
            plan.action_submit()
            manager = plan.with_user(self.users["pmc_manager"])
            self.env.flush_all()
            before = self.cr.sql_log_count
            manager.action_approve()
            with freeze_time(BEFORE_DEADLINE):
                plan.action_release()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        cost(1, date(2026, 10, 13))
        one, ten = cost(1, date(2026, 10, 14)), cost(10, date(2026, 10, 15))
        self.assertEqual(one, ten)
        self.assertLessEqual(one, 70)  # 64 measured: activities, D7, tracking
