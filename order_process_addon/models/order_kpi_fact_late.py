# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Late orders (R29, R30): the nightly job that scores the open orders past
their due date (a failure), and the department a failed order is charged
to, from the process's own timestamps or by the PMC manager's correction.
The cause analysis (D13) that follows is ``order.late.analysis``."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import as_job, as_process, process_write
from .vocabulary import DEPARTMENTS, ROLE_DEPARTMENT

# Working-time budgets of the stages that have no deadline of their own
# (working days): a final test is signed, a receipt counted, a received
# order shipped within one working day.
STAGE_BUDGET_DAYS = 1.0


class OrderKpiFact(models.Model):
    _inherit = "order.kpi.fact"

    # ------------------------------------------------------------ R30
    def _op_responsibility(self, order, calendar, chosen_due, full_date):
        """(department, source, stage) a failed order is charged to (R30):
        a cancellation's department; else the first stage that overran its
        working-time budget, read from the process's own timestamps; else
        the department of the latest committed-date change."""
        if order.op_cancel_department and order.op_cancel_department != "customer":
            return order.op_cancel_department, "cancellation", False
        now = fields.Datetime.now()
        # Review: a decision after its deadline.
        for review in order.op_review_ids.sorted("date_start"):
            if review.deadline and (review.date_decision or now) > review.deadline:
                group_xmlid = review.group_id.get_external_id().get(
                    review.group_id.id, ""
                )
                role = group_xmlid.rpartition("group_")[2]
                return ROLE_DEPARTMENT.get(role, "pmc"), "stage", "review"
        # Planning: D4 after its 1-working-day deadline (R12).
        if order.op_plan_deadline and (order.op_planned_on or now) > (
            order.op_plan_deadline
        ):
            return "pmc", "stage", "planning"
        productions = self.env["mrp.production"].search(
            [("op_sale_order_id", "=", order.id)]
        )
        # Release: the plan released after its deadline (R13).
        for plan in productions.op_plan_id:
            if plan.release_deadline and (plan.released_on or now) > (
                plan.release_deadline
            ):
                return "pmc", "stage", "release"
        # Production: an MO whose goods reached Quality's final test (or,
        # without a test, that finished) after its deadline. The MO is
        # finished only after the test and the count (R16, R17): their
        # delays are Quality's and the warehouse's, read below.
        tests = self.env["order.final.test"].search(
            [("production_id", "in", productions.ids)]
        )
        for production in productions:
            tested = tests.filtered(lambda t, p=production: t.production_id == p)
            made = min(tested.mapped("tested_on"), default=False)
            if production.date_deadline and (
                made or production.date_finished or now
            ) > (production.date_deadline):
                return "production", "stage", "production"
        # Quality: final tests signed more than the budget after the test.
        for test in tests:
            budget = calendar.op_plan_working_time(
                test.tested_on, days=STAGE_BUDGET_DAYS
            )
            if (test.signed_on or now) > budget:
                return "quality", "stage", "quality"
        # Receipt and shipping: counted within the budget of the delivery
        # to the warehouse; shipped within the budget of the receipt.
        receipts = self.env["order.fg.receipt"].search(
            [("sale_order_id", "=", order.id)]
        )
        for receipt in receipts:
            budget = calendar.op_plan_working_time(
                receipt.delivered_on or receipt.create_date, days=STAGE_BUDGET_DAYS
            )
            if (receipt.signed_on or now) > budget:
                return "warehouse", "stage", "receipt"
        signed = [r.signed_on for r in receipts if r.signed_on]
        if signed:
            ready = calendar.op_plan_working_time(max(signed), days=STAGE_BUDGET_DAYS)
            if self._op_local_date(calendar, ready) <= chosen_due and (
                not full_date or full_date > chosen_due
            ):
                return "warehouse", "stage", "shipping"
        change = order.op_commitment_change_ids.sorted("id")[-1:]
        if change:
            return change.department, "reschedule", False
        return False, False, False

    def action_set_responsibility(self, reason=None, department=None):
        """R30: the PMC manager charges a failed order to another
        department, with a reason (kept in the fact and its history)."""
        self._op_check_role("pmc_manager")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason of the correction."))
        if not isinstance(department, str) or department not in dict(DEPARTMENTS):
            raise UserError(self.env._("Choose the responsible department."))
        for fact in self:
            if fact.status != "failed":
                raise UserError(
                    self.env._(
                        "%(order)s has not failed: nobody is responsible for it.",
                        order=fact.order_id.name,
                    )
                )
        process_write(
            self,
            {
                "responsible_department": department,
                "responsibility_source": "manager",
                "responsibility_reason": reason,
                "responsibility_corrected_by_id": self.env.user.id,
            },
        )
        # A D13 still to write follows the order to its department.
        as_process(self).late_analysis_ids._op_follow_responsibility(department)
        return True

    def action_open_responsibility_wizard(self):
        self.ensure_one()
        self._op_check_role("pmc_manager")
        return self.env["order.reason.wizard"]._op_action(
            self, "action_set_responsibility", self.env._("Charge to a Department")
        )

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_turn_late(self, batch=500):
        """Nightly: the open orders whose due date passed (and the facts of
        a company whose settings changed) are scored as of today: open past
        due counts as a failure. Only those rows are read, one batch a run
        (the scheduler runs it again while some remain). Signed orders that
        have no fact yet (signed before this version) get one."""
        today = fields.Date.context_today(self)
        # The monthly totals, compacted to one row a month (see
        # order.kpi.month).
        as_job(self.env["order.kpi.month"])._op_compact()
        domain = [
            "|",
            "&",
            ("open_check_date", "<", today),
            "|",
            ("checked_on", "=", False),
            ("checked_on", "<", today),
            ("stale", "=", True),
        ]
        facts = as_job(self).search(domain, order="id", limit=batch)
        # Signed orders without a fact (signed before this version): added.
        missing_domain = [
            ("op_active", "=", True),
            ("op_effective_on", "!=", False),
            ("op_first_committed_date", "!=", False),
            ("op_kpi_fact_ids", "=", False),
        ]
        missing = as_job(self.env["sale.order"]).search(
            missing_domain, order="id", limit=batch
        )
        self._op_refresh(facts.order_id | missing, today=today)
        remaining = 0
        if len(facts) == batch:
            remaining += as_job(self).search_count(domain)
        if len(missing) == batch:
            remaining += as_job(self.env["sale.order"]).search_count(missing_domain)
        self.env["ir.cron"]._notify_progress(
            done=len(facts) + len(missing), remaining=remaining
        )
        return True
