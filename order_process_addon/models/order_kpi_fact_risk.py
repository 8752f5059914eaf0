# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""At risk (issue 10, item 4): the open orders whose delivery, projected
from the company's own history, passes their due date, with the stage that
will overrun and its owner."""

import statistics

from odoo import api, fields, models

from .elevation import as_job, read_across
from .order_kpi_fact import RISK_STAGES

# Who owns each remaining stage.
RISK_STAGE_DEPARTMENT = {
    "planning": "pmc",
    "production": "production",
    "shipping": "warehouse",
}
HISTORY_SIZE = 200


class OrderKpiFact(models.Model):
    _inherit = "order.kpi.fact"

    # ------------------------------------------------------------ at risk
    def _op_stage_times(self, order, calendar):
        """{stage: (start, end)} of an order from its own timestamps:
        planning (signature to D4), production to receipt (D4 to the last
        signed D8), shipping (ready to delivered in full)."""
        effective = order.op_effective_on
        planned = order.op_planned_on
        receipts = self.env["order.fg.receipt"].search(
            [("sale_order_id", "=", order.id), ("state", "=", "signed")]
        )
        received = max(receipts.mapped("signed_on"), default=False)
        times = {}
        if effective and planned:
            times["planning"] = (effective, planned)
        if planned and received:
            times["production"] = (planned, received)
        return times, received or planned or effective

    def _op_history(self, company, calendar):
        """Median working days of each stage over the company's latest
        orders delivered in full (working calendar)."""
        done = read_across(self).search(
            [
                ("company_id", "=", company.id),
                ("delivered_full_date", "!=", False),
                ("cancel_kind", "=", False),
            ],
            order="delivered_full_date desc, id desc",
            limit=HISTORY_SIZE,
        )
        hours = calendar.hours_per_day or 8.0
        samples = {stage: [] for stage, _label in RISK_STAGES}
        for fact in done:
            times, ready = self._op_stage_times(fact.order_id, calendar)
            shipped = max(
                (
                    p.date_done
                    for p in fact.order_id.picking_ids
                    if p.state == "done" and p.picking_type_code == "outgoing"
                ),
                default=False,
            )
            if ready and shipped:
                # Goods waiting for the customer's date (the D10's ship date)
                # are not shipping work: the stage starts the working day
                # before that date at the latest (R23: D10 one day ahead).
                start = ready
                shipped_on = self._op_local_date(calendar, shipped)
                ship_dates = [
                    day
                    for day in fact.order_id.picking_ids.op_shipping_order_ids.filtered(
                        lambda d: d.state == "approved"
                    ).mapped("ship_date")
                    if day <= shipped_on
                ]
                if ship_dates:
                    start = max(
                        ready,
                        calendar.op_local_datetime(
                            calendar.op_previous_working_date(max(ship_dates)), 0.0
                        ),
                    )
                times["shipping"] = (min(start, shipped), shipped)
            for stage, (start, end) in times.items():
                samples[stage].append(
                    max(0.0, calendar.op_working_hours_between(start, end)) / hours
                )
        return {
            stage: statistics.median(values)
            for stage, values in samples.items()
            if values
        }

    @api.model
    def _cron_flag_at_risk(self, batch_size=None):
        """Daily: each open order not yet due gets a projected delivery date
        (now plus the median duration of its remaining stages); those that
        would pass their due date are at risk, with the stage that will
        overrun and its owner (issue 10, item 4).

        Issue 11, item 2: one batch a call, each order once a day
        (``risk_checked_on``); the cron runner calls again while some
        remain."""
        batch = batch_size or self._op_cron_batch_size()
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        domain = [
            ("status", "=", "open"),
            ("delivered_full_date", "=", False),
            ("due_date", ">=", today),
            "|",
            ("risk_checked_on", "=", False),
            ("risk_checked_on", "<", today),
        ]
        facts = as_job(self)
        open_facts = facts.search(domain, order="id", limit=batch)
        for company in open_facts.company_id:
            calendar = self.env["res.company"]._op_calendar(company)
            medians = self._op_history(company, calendar)
            for fact in open_facts.filtered(lambda f, c=company: f.company_id == c):
                vals = self._op_risk_vals(fact, calendar, medians, now)
                fact.write({**vals, "risk_checked_on": today})
        self.env.flush_all()
        facts._op_cron_progress(len(open_facts), domain, batch)
        return True

    def _op_risk_vals(self, fact, calendar, medians, now):
        order = fact.order_id
        made = bool(order.op_plan_deadline)
        received = self.env["order.fg.receipt"].search_count(
            [("sale_order_id", "=", order.id), ("state", "=", "signed")]
        )
        if made and not order.op_planned_on:
            remaining = ["planning", "production", "shipping"]
        elif made and not received:
            remaining = ["production", "shipping"]
        else:
            remaining = ["shipping"]
        if remaining == ["shipping"]:
            # The goods are ready and a D10 says when they leave: that date
            # is the projection, not a median.
            planned = (
                order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
                .op_shipping_order_ids.filtered(
                    lambda d: d.state in ("issued", "approved")
                )
                .mapped("ship_date")
            )
            if planned:
                projected = max(planned)
                late = projected > fact.due_date
                return {
                    "at_risk": late,
                    "projected_date": projected,
                    "risk_stage": late and "shipping",
                    "risk_department": late and RISK_STAGE_DEPARTMENT["shipping"],
                }
        if any(stage not in medians for stage in remaining):
            return {
                "at_risk": False,
                "projected_date": False,
                "risk_stage": False,
                "risk_department": False,
            }
        days = 0.0
        overrun = False
        projected = fact.due_date
        for stage in remaining:
            days += medians[stage]
            end = calendar.op_plan_working_time(now, days=days)
            projected = self._op_local_date(calendar, end)
            if not overrun and projected > fact.due_date:
                overrun = stage
        return {
            "at_risk": bool(overrun),
            "projected_date": projected,
            "risk_stage": overrun,
            "risk_department": overrun and RISK_STAGE_DEPARTMENT[overrun],
        }
