# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The deadlines of production plans (D6, R14, R34): the plans not released
in time and the effective orders not planned in time, escalated by a
scheduled job."""

from odoo import api, fields, models
from odoo.tools import LazyTranslate

from .elevation import process_write
from .order_production_plan import ESCALATION

_lt = LazyTranslate(__name__)


class OrderProductionPlan(models.Model):
    _inherit = "order.production.plan"

    # ------------------------------------------------------------ deadlines
    @api.model
    def _op_late_domains(self):
        now = fields.Datetime.now()
        orders = [
            ("op_active", "=", True),
            ("op_state", "=", "effective"),
            ("op_planned_on", "=", False),
            ("op_plan_deadline", "<", now),
            ("op_plan_escalated", "=", False),
        ]
        plans = [
            ("state", "in", ("draft", "submitted", "approved")),
            ("release_deadline", "<", now),
            ("escalated", "=", False),
        ]
        return orders, plans

    @api.model
    def _cron_escalate_late_plans(self, batch_size=None):
        """R12, R13, R34: an effective order with no submitted plan 1 working
        day after D2, and a plan not released by its deadline, are escalated
        to the PMC manager once.

        Issue 11, item 2: one call escalates at most one batch (orders
        first, then plans), marks them in the same transaction and reports
        its progress; the cron runner calls again until nothing is left.
        Returns how many were escalated."""
        batch = batch_size or self._op_cron_batch_size()
        order_domain, plan_domain = self._op_late_domains()
        Order = self.env["sale.order"]
        orders = Order.search(order_domain, order="op_plan_deadline, id", limit=batch)
        plans = self.browse()
        if len(orders) < batch:
            plans = self.search(
                plan_domain, order="release_deadline, id", limit=batch - len(orders)
            )
        orders.fetch(["name", "company_id", "op_plan_deadline"])
        plans.fetch(["name", "company_id", "release_deadline"])
        items = [
            (
                order,
                _lt("No production plan for %(order)s", order=order.name),
                self.env._(
                    "No production plan (D4) was submitted for this order by "
                    "%(deadline)s, 1 working day after D2 (R12). Escalated to "
                    "the PMC manager.",
                    deadline=order._op_format_datetime(order.op_plan_deadline),
                ),
            )
            for order in orders
        ] + [
            (
                plan,
                _lt("Production plan %(plan)s not released", plan=plan.name),
                self.env._(
                    "Not released by %(deadline)s (R13). Escalated to the PMC manager.",
                    deadline=plan._op_format_datetime(plan.release_deadline),
                ),
            )
            for plan in plans
        ]
        self._op_escalate(
            "pmc_manager",
            items,
            ESCALATION,
            _lt("Late production plans escalated to you"),
            robot_event="plan_late",
        )
        process_write(orders, {"op_plan_escalated": True})
        process_write(plans, {"escalated": True})
        self.env.flush_all()
        done = len(orders) + len(plans)
        remaining = 0
        if done >= batch:
            remaining = Order.search_count(order_domain) + self.search_count(
                plan_domain
            )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done
