# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_job, process_create, process_write, read_across
from .order_process_guard import Editable, Guard, Roles
from .vocabulary import DEPARTMENT_ROLES, DEPARTMENTS

_lt = LazyTranslate(__name__)

# The departments a monthly review rates (R31): every department of the
# company. The customer is listed only when failures are charged to it,
# and is never flagged: it is not under the company's performance review.
INTERNAL_DEPARTMENTS = [code for code, _label in DEPARTMENTS if code != "customer"]


class OrderMonthlyReview(models.Model):
    """The monthly review of the achievement rate (R31).

    On the first working day after a month closes, a scheduled action
    freezes, for each company running the process, the month's rates: the
    company total (orders due, achieved final and strict, rates) and one
    line per department. A department's rate is the share of the month's
    orders due that did not fail through it: (orders due - failed orders
    charged to the department) / orders due. A department below the
    company's target rate (Settings) is flagged for performance review, and
    the General Manager gets a to-do.

    The PMC manager may also create the review of a closed month by hand,
    write its analysis while it is a draft and freeze it. Frozen, nothing
    changes any more (the chatter stays open); reviews are never deleted."""

    _name = "order.monthly.review"
    _description = "Monthly Achievement Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "month_start desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the analysis is written while a draft;
    # frozen, nothing changes (R31, R35); never deleted.
    _op_guard = Guard(
        # The PMC manager reviews a month that is over, once (R31).
        create=(Roles("pmc_manager"), "_op_check_month_vals"),
        process=frozenset(
            {
                "name",
                "state",
                "line_ids",
                "target_rate",
                "orders_due",
                "achieved_final",
                "achieved_strict",
                "failed_count",
                "uncharged_count",
                "rate_final",
                "rate_strict",
                "flagged_count",
                "frozen_on",
                "frozen_by_id",
            }
        ),
        fixed=frozenset({"company_id", "month_start"}),
        editable={"draft": Editable(only={"analysis"})},
        deletable=frozenset(),
    )

    # The period, the same in every language ("2026-11"): what the search
    # matches. The review's name is read in the reader's language
    # (display_name), never stored in the language of whoever froze it.
    name = fields.Char(string="Period", compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    month_start = fields.Date(
        string="Month",
        required=True,
        index=True,
        help="Any day of the month; the review keeps the first day.",
    )
    month_end = fields.Date(compute="_compute_month_end")
    state = fields.Selection(
        [("draft", "Draft"), ("frozen", "Frozen")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    analysis = fields.Text(help="The month's analysis: what went wrong and why (R31).")
    line_ids = fields.One2many(
        "order.monthly.review.line", "review_id", string="Departments", readonly=True
    )
    target_rate = fields.Float(string="Target Rate (%)", readonly=True)
    orders_due = fields.Integer(readonly=True)
    achieved_final = fields.Integer(string="Achieved (Final)", readonly=True)
    achieved_strict = fields.Integer(string="Achieved (Strict)", readonly=True)
    failed_count = fields.Integer(string="Failed", readonly=True)
    uncharged_count = fields.Integer(
        string="Failed, Not Charged",
        readonly=True,
        help="Failed orders charged to no department yet: counted in PMC's line "
        "until the PMC manager charges them (as their D13 goes to PMC).",
    )
    rate_final = fields.Float(string="Achievement Rate (%)", readonly=True)
    rate_strict = fields.Float(string="Strict Rate (%)", readonly=True)
    flagged_count = fields.Integer(
        string="Departments Flagged", readonly=True, tracking=True
    )
    frozen_on = fields.Datetime(readonly=True)
    frozen_by_id = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        (
            "company_month_uniq",
            "UNIQUE(company_id, month_start)",
            "One monthly review per company and month.",
        )
    ]

    @api.depends("month_start")
    def _compute_name(self):
        for review in self:
            review.name = review.month_start and review.month_start.strftime("%Y-%m")

    @api.depends_context("lang")
    @api.depends("name")
    def _compute_display_name(self):
        # Read in the reader's language (display_name depends on it).
        for review in self:
            review.display_name = review.name and self.env._(
                "Monthly Achievement Review %(month)s", month=review.name
            )

    @api.depends("month_start")
    def _compute_month_end(self):
        for review in self:
            review.month_end = review.month_start and (
                review.month_start + relativedelta(day=31)
            )

    # ------------------------------------------------------------ guard
    def _op_complete_vals(self, vals):
        if vals.get("month_start"):
            vals["month_start"] = fields.Date.to_date(vals["month_start"]).replace(
                day=1
            )

    def _op_check_month_vals(self, vals):
        company = self.env["res.company"].browse(
            vals.get("company_id") or self.env.company.id
        )
        if vals.get("month_start"):
            month = fields.Date.to_date(vals["month_start"]).replace(day=1)
            self._op_check_month(company, month)

    def _op_check_month(self, company, month):
        """A month has one review, for a month that is over."""
        existing = read_across(self).search(
            [("company_id", "=", company.id), ("month_start", "=", month)], limit=1
        )
        if existing:
            raise UserError(
                self.env._(
                    "%(review)s already exists (%(state)s): a month is reviewed "
                    "once (R31).",
                    review=existing.display_name,
                    state=existing._op_state_label(),
                )
            )
        today = self._op_today(company)
        if month + relativedelta(months=1) > today:
            raise UserError(
                self.env._(
                    "The month %(month)s is not over yet: it is reviewed once it "
                    "has closed (R31).",
                    month=month.strftime("%Y-%m"),
                )
            )

    @api.model
    def _op_today(self, company):
        calendar = self.env["res.company"]._op_calendar(company)
        return fields.Date.context_today(self.with_context(tz=calendar.tz or "UTC"))

    # ------------------------------------------------------------ steps
    def _check_can_freeze(self):
        for review in self:
            if review.state == "frozen":
                raise UserError(
                    self.env._(
                        "%(review)s is already frozen: a month is reviewed once (R31).",
                        review=review.display_name,
                    )
                )
            if review.month_start + relativedelta(months=1) > self._op_today(
                review.company_id
            ):
                raise UserError(
                    self.env._(
                        "The month %(month)s is not over yet: it is reviewed once "
                        "it has closed (R31).",
                        month=review.month_start.strftime("%Y-%m"),
                    )
                )

    def action_freeze(self):
        """The PMC manager freezes the month's rates by hand (R31); the
        scheduled action does the same on the first working day after the
        month."""
        self._op_check_role("pmc_manager")
        self._check_can_freeze()
        self._op_freeze()
        return True

    # ------------------------------------------------------------ freezing
    def _op_freeze(self):
        """Read the month's facts with one ``_read_group`` per review (by
        department and failure cause), write the totals and the department
        lines, flag the departments below target and tell the General
        Manager."""
        fact_model = read_across(self.env["order.kpi.fact"])
        line_vals = []
        for review in self:
            review._op_score_unscored_facts()
            groups = fact_model._read_group(
                [
                    ("company_id", "=", review.company_id.id),
                    ("due_date", ">=", review.month_start),
                    ("due_date", "<=", review.month_end),
                ],
                ["responsible_department", "failure_cause"],
                ["due:sum", "ok_final:sum", "ok_strict:sum"],
            )
            due = final = strict = 0
            failed = defaultdict(lambda: defaultdict(int))
            for department, cause, g_due, g_final, g_strict in groups:
                due += g_due
                final += g_final
                strict += g_strict
                failed[department or False][cause or "other"] += g_due - g_final
            # A failure nobody is charged with yet is PMC's, as its D13 is
            # (PMC owns the order's schedule until the PMC manager charges it
            # to a department, R30); the review shows how many there are.
            for cause, count in failed[False].items():
                failed["pmc"][cause] += count
            target = review.company_id.op_kpi_target
            departments = list(INTERNAL_DEPARTMENTS)
            if sum(failed["customer"].values()):
                departments.insert(0, "customer")
            flagged = 0
            for department in departments:
                charged = failed[department]
                count = sum(charged.values())
                rate = 100.0 * (due - count) / due if due else 0.0
                flag = bool(due and department != "customer" and rate < target)
                flagged += flag
                line_vals.append(
                    {
                        "review_id": review.id,
                        "department": department,
                        "orders_due": due,
                        "failed_count": count,
                        "failed_late": charged["late"],
                        "failed_open": charged["open"],
                        "failed_cancelled": charged["cancelled"],
                        "rate": rate,
                        "below_target": flag,
                    }
                )
            process_write(
                review,
                {
                    "state": "frozen",
                    "target_rate": target,
                    "orders_due": due,
                    "achieved_final": final,
                    "achieved_strict": strict,
                    "failed_count": due - final,
                    "uncharged_count": sum(failed[False].values()),
                    "rate_final": 100.0 * final / due if due else 0.0,
                    "rate_strict": 100.0 * strict / due if due else 0.0,
                    "flagged_count": flagged,
                    "frozen_on": fields.Datetime.now(),
                    "frozen_by_id": self.env.user.id,
                },
            )
        process_create(self.env["order.monthly.review.line"], line_vals)
        for review in self.filtered("flagged_count"):
            todos = review._op_notify_group(
                "general_manager",
                _lt(
                    "Monthly review %(month)s: %(count)s department(s) below the "
                    "target rate %(target)s %%, for performance review (R31)",
                    month=review.name,
                    count=review.flagged_count,
                    target=review.target_rate,
                ),
                activity_xmlid="order_process_addon.mail_activity_type_performance_review",
            )
            # Issue 21: the General Manager's group robots and those of each
            # department below target hear of it too.
            for line in review.line_ids.filtered("below_target"):
                self.env["order.robot.outbox"]._op_queue_event(
                    "below_target",
                    line,
                    ("general_manager", *DEPARTMENT_ROLES.get(line.department, ())),
                    users=todos.user_id,
                )
        return True

    def _op_score_unscored_facts(self):
        """Orders of the month still open past their due date that the
        nightly job has not scored yet count as failed before the month is
        frozen (R29): scored now, for this month only."""
        self.ensure_one()
        today = self._op_today(self.company_id)
        facts = read_across(self.env["order.kpi.fact"]).search(
            [
                ("company_id", "=", self.company_id.id),
                ("due_date", ">=", self.month_start),
                ("due_date", "<=", self.month_end),
                ("open_check_date", "<", today),
                "|",
                ("checked_on", "=", False),
                ("checked_on", "<", today),
            ]
        )
        if facts:
            facts._op_refresh(facts.order_id, today=today)

    def _op_late_facts(self):
        """The month's failed orders, with their D13 (for the report)."""
        self.ensure_one()
        return read_across(self.env["order.kpi.fact"]).search(
            [
                ("company_id", "=", self.company_id.id),
                ("due_date", ">=", self.month_start),
                ("due_date", "<=", self.month_end),
                ("status", "=", "failed"),
            ],
            order="responsible_department, due_date, id",
        )

    # ------------------------------------------------------------ cron
    @api.model
    def _op_month_to_review(self, company):
        """The month just closed, when today is on or after the first
        working day after it (else ``False``)."""
        today = self._op_today(company)
        month = today.replace(day=1) - relativedelta(months=1)
        calendar = self.env["res.company"]._op_calendar(company)
        first_day = month + relativedelta(months=1)
        working = calendar.op_working_dates(first_day, first_day + timedelta(days=31))
        if not working or today < min(working):
            return False
        return month

    @api.model
    def _cron_freeze_closed_month(self, batch_size=None):
        """Daily: on the first working day after a month closes (or the
        next run after it), freeze the review of that month for each company
        running the process, creating it when the PMC manager has not. A
        company whose review of the month is frozen is skipped: one review
        per company and month, never twice. One batch of companies per call
        (issue 11)."""
        batch = batch_size or max(self._op_cron_batch_size() // 10, 1)
        companies = self.env["res.company"].search(
            [("op_enabled", "=", True)], order="id"
        )
        todo = []
        for company in companies:
            month = self._op_month_to_review(company)
            if not month:
                continue
            review = as_job(self).search(
                [("company_id", "=", company.id), ("month_start", "=", month)],
                limit=1,
            )
            if review.state == "frozen":
                continue
            todo.append((company, month, review))
        reviews = as_job(self).browse()
        for company, month, review in todo[:batch]:
            if not review:
                review = process_create(
                    self, {"company_id": company.id, "month_start": month}
                )
            reviews |= review
        reviews._op_freeze()
        done = len(reviews)
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)
        return reviews
