# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import process_write
from .order_process_guard import ALL, Guard

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]


class OrderProcessEvaluation(models.Model):
    """The quarterly evaluation of the order process (R32): the problems
    and bottlenecks found, from customer feedback, internal audit and the
    data (the quarter's rate from its frozen monthly reviews), and the
    improvement plans decided from it (R33). Run by the PMC manager or the
    General Manager; done, it is kept as it is."""

    _name = "order.process.evaluation"
    _description = "Quarterly Process Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.guard"]
    _order = "year desc, quarter desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): written while a draft, kept once done
    # (R32, R35).
    _op_guard = Guard(
        process=frozenset({"name", "state", "done_by_id", "done_on"}),
        fixed=frozenset({"company_id", "year", "quarter"}),
        editable={"draft": ALL},
        deletable=frozenset(),
    )

    # The period, the same in every language ("2026 Q4"); the evaluation's
    # name is read in the reader's language (display_name).
    name = fields.Char(string="Period", compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    quarter = fields.Selection(QUARTERS, required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    problems = fields.Text(help="Problems of the process found this quarter.")
    bottlenecks = fields.Text(help="Where the process waits or overruns.")
    customer_feedback = fields.Text()
    internal_audit = fields.Text(string="Internal Audit Findings")
    review_ids = fields.Many2many(
        "order.monthly.review",
        compute="_compute_data",
        string="Monthly Achievement Reviews",
        help="The quarter's frozen monthly reviews.",
    )
    orders_due = fields.Integer(compute="_compute_data")
    achieved_final = fields.Integer(compute="_compute_data", string="Achieved")
    rate_final = fields.Float(
        compute="_compute_data", string="Quarter's Achievement Rate (%)"
    )
    data_summary = fields.Text(
        compute="_compute_data",
        string="From the Data",
        help="The quarter's rate, month by month, from the frozen monthly "
        "reviews (R31, R32).",
    )
    plan_ids = fields.One2many(
        "order.improvement.plan", "evaluation_id", string="Improvement Plans"
    )
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_on = fields.Datetime(readonly=True)

    _sql_constraints = [
        (
            "company_quarter_uniq",
            "UNIQUE(company_id, year, quarter)",
            "One process evaluation per company and quarter.",
        )
    ]

    @api.depends("year", "quarter")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = f"{evaluation.year} Q{evaluation.quarter or '?'}"

    @api.depends_context("lang")
    @api.depends("year", "quarter")
    def _compute_display_name(self):
        # Read in the reader's language (display_name depends on it).
        for evaluation in self:
            evaluation.display_name = self.env._(
                "Process Evaluation %(year)s Q%(quarter)s",
                year=evaluation.year,
                quarter=evaluation.quarter or "?",
            )

    def _op_quarter_range(self):
        self.ensure_one()
        first = date(self.year, 3 * int(self.quarter) - 2, 1)
        return first, first + relativedelta(months=2)

    @api.depends("year", "quarter", "company_id")
    def _compute_data(self):
        reviews = self.env["order.monthly.review"]
        for evaluation in self:
            if not (evaluation.year and evaluation.quarter and evaluation.company_id):
                evaluation.update(
                    {
                        "review_ids": False,
                        "orders_due": 0,
                        "achieved_final": 0,
                        "rate_final": 0.0,
                        "data_summary": False,
                    }
                )
                continue
            first, last = evaluation._op_quarter_range()
            found = reviews.search(
                [
                    ("company_id", "=", evaluation.company_id.id),
                    ("state", "=", "frozen"),
                    ("month_start", ">=", first),
                    ("month_start", "<=", last),
                ],
                order="month_start",
            )
            due = sum(found.mapped("orders_due"))
            achieved = sum(found.mapped("achieved_final"))
            lines = [
                self.env._(
                    "%(month)s: %(rate).1f %% (%(achieved)s of %(due)s orders), "
                    "%(flagged)s department(s) below target",
                    month=review.month_start.strftime("%Y-%m"),
                    rate=review.rate_final,
                    achieved=review.achieved_final,
                    due=review.orders_due,
                    flagged=review.flagged_count,
                )
                for review in found
            ]
            if due:
                lines.append(
                    self.env._(
                        "Quarter: %(rate).1f %% (%(achieved)s of %(due)s orders)",
                        rate=100.0 * achieved / due,
                        achieved=achieved,
                        due=due,
                    )
                )
            evaluation.update(
                {
                    "review_ids": found,
                    "orders_due": due,
                    "achieved_final": achieved,
                    "rate_final": 100.0 * achieved / due if due else 0.0,
                    "data_summary": "\n".join(lines)
                    or self.env._("No frozen monthly review in this quarter yet."),
                }
            )

    # ------------------------------------------------------------ steps
    def _check_can_done(self):
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(
                    self.env._(
                        "%(document)s is already done.",
                        document=evaluation.display_name,
                    )
                )
            if (
                not (evaluation.problems or "").strip()
                and not (evaluation.bottlenecks or "").strip()
            ):
                raise UserError(
                    self.env._(
                        "%(document)s needs the problems or bottlenecks found "
                        "before it is done (R32).",
                        document=evaluation.display_name,
                    )
                )

    def action_done(self):
        """The PMC manager or the General Manager closes the evaluation."""
        self._op_check_role("pmc_manager", "general_manager")
        self._check_can_done()
        process_write(
            self,
            {
                "state": "done",
                "done_by_id": self.env.user.id,
                "done_on": fields.Datetime.now(),
            },
        )
        return True
