# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .elevation import as_process, process_write
from .order_process_guard import Editable, Guard


class OrderProductionDailyReport(models.Model):
    """D7, the production daily report of one day and work center (R16).

    One per released plan (D4). Its lines are the quantities of the plan's
    manufacturing orders, read from the MOs (never typed twice), with the
    latest final test of each. Quality's testing center signs it once every
    order that produced something has a signed final test; then it is
    frozen."""

    _name = "order.production.daily.report"
    _description = "Production Daily Report (D7)"
    _inherit = ["mail.thread", "order.process.guard"]
    _order = "report_date desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): read from the MOs and signed by its
    # steps; only the notes of a draft are written by hand (R16).
    _op_guard = Guard(
        process=frozenset({"state", "signed_by_id", "signed_on", "line_ids"}),
        fixed=frozenset({"name", "plan_id"}),
        editable={"draft": Editable(only={"notes"})},
        deletable=frozenset(),
    )

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    plan_id = fields.Many2one(
        "order.production.plan",
        string="Production Plan (D4)",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    report_date = fields.Date(
        related="plan_id.plan_date", string="Production Day", store=True
    )
    workcenter_id = fields.Many2one(
        related="plan_id.workcenter_id", string="Work Center", store=True
    )
    line_ids = fields.One2many(
        "order.production.daily.report.line",
        "report_id",
        string="Production",
        readonly=True,
    )
    qty_produced = fields.Float(
        string="Total Produced",
        compute="_compute_totals",
        digits="Product Unit of Measure",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed by Quality")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    signed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    signed_on = fields.Datetime(readonly=True, copy=False)
    notes = fields.Text()

    _sql_constraints = [
        (
            "plan_uniq",
            "UNIQUE(plan_id)",
            "A production plan has one daily report.",
        )
    ]

    @api.depends("line_ids.qty_produced")
    def _compute_totals(self):
        for report in self:
            report.qty_produced = sum(report.line_ids.mapped("qty_produced"))

    def _op_complete_vals(self, vals):
        self._op_assign_name(vals)

    def action_refresh(self):
        """Read the day's quantities and tests from the plan's MOs."""
        self._op_check_role("quality", "production")
        if any(report.state == "signed" for report in self):
            raise UserError(self.env._("A signed daily report (D7) is not edited."))
        days = as_process(self.env["order.production.day"])
        for report in as_process(self):
            # The plan's MOs, and the MOs of the same line planned on an
            # earlier day that produced on this one (an MO over several days).
            productions = (
                report.plan_id.production_ids
                | days.search(
                    [
                        ("company_id", "=", report.company_id.id),
                        ("date", "=", report.report_date),
                        (
                            "production_id.op_plan_id.workcenter_id",
                            "=",
                            report.workcenter_id.id,
                        ),
                    ]
                ).production_id
            )
            produced = days._op_produced(productions, report.report_date)
            commands = [Command.clear()]
            for production in productions:
                signed = production.op_final_test_ids.filtered(
                    lambda t: t.state == "signed"
                )
                on_day, to_date = produced[production.id]
                commands.append(
                    Command.create(
                        {
                            "production_id": production.id,
                            "qty_planned": production.product_qty,
                            "qty_produced": on_day,
                            "qty_to_date": to_date,
                            "final_test_id": signed.sorted("id")[-1:].id,
                        }
                    )
                )
            report.line_ids = commands
        return True

    def action_sign(self):
        """R16: Quality signs D7 after testing."""
        self._op_check_role("quality")
        if any(report.state == "signed" for report in self):
            raise UserError(self.env._("The daily report (D7) is already signed."))
        self.action_refresh()
        for report in self:
            untested = report.line_ids.filtered(
                lambda line: line.qty_produced > 0 and not line.final_test_id
            )
            if untested:
                raise UserError(
                    self.env._(
                        "%(mos)s produced without a signed final test: test "
                        "them before signing %(report)s (R16).",
                        mos=", ".join(untested.production_id.mapped("name")),
                        report=report.name,
                    )
                )
            failed = report.line_ids.filtered(
                lambda line: line.qty_produced > 0 and line.test_result != "pass"
            )
            if failed:
                raise UserError(
                    self.env._(
                        "%(mos)s failed the final test: Quality signs %(report)s "
                        "after a pass, once reworked and tested again (R16).",
                        mos=", ".join(failed.production_id.mapped("name")),
                        report=report.name,
                    )
                )
        process_write(
            self,
            {
                "state": "signed",
                "signed_by_id": self.env.user.id,
                "signed_on": fields.Datetime.now(),
            },
        )
        return True
