# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

from .elevation import process_write
from .order_process_guard import Editable, Guard

EVALUATION_FIELDS = frozenset({"evaluation", "reward"})


class OrderImprovementSuggestion(models.Model):
    """A staff suggestion to improve the process (R33). Anybody with a
    process role submits one (the Audit Center only reads); the PMC manager
    or the General Manager writes the evaluation and accepts or rejects it,
    never the author (R37). An accepted suggestion that improves the process
    gets the reward flag. Kept, never deleted."""

    _name = "order.improvement.suggestion"
    _description = "Improvement Suggestion"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the author is who submits; the
    # evaluation is written while submitted, by an evaluator who is not the
    # author; decided, it is kept as it is (R33, R35, R37).
    _op_guard = Guard(
        process=frozenset(
            {"state", "submitted_by_id", "evaluated_by_id", "evaluated_on"}
        ),
        fixed=frozenset({"company_id", "name", "content"}),
        editable={
            "submitted": Editable(only=EVALUATION_FIELDS, check="_op_check_evaluator")
        },
        deletable=frozenset(),
    )

    name = fields.Char(string="Title", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    submitted_by_id = fields.Many2one(
        "res.users",
        string="Author",
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
    )
    content = fields.Text(required=True, string="Suggestion")
    state = fields.Selection(
        [
            ("submitted", "Submitted"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        string="Decision",
        default="submitted",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    evaluation = fields.Text(help="The evaluator's assessment of the suggestion.")
    reward = fields.Boolean(
        tracking=True,
        help="The suggestion improves the process: its author is rewarded (R33).",
    )
    evaluated_by_id = fields.Many2one("res.users", readonly=True)
    evaluated_on = fields.Datetime(readonly=True)

    def _op_complete_vals(self, vals):
        if not (self.env.su and vals.get("submitted_by_id")):
            vals["submitted_by_id"] = self.env.user.id

    def _op_check_evaluator(self):
        """The PMC manager or the General Manager evaluates; not the
        author (segregation of duties, R37)."""
        self._op_check_role("pmc_manager", "general_manager")
        self._op_check_not_submitter()

    # ------------------------------------------------------------ steps
    def _check_can_decide(self):
        for suggestion in self:
            if suggestion.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(document)s was already decided.",
                        document=suggestion.name,
                    )
                )
            if not (suggestion.evaluation or "").strip():
                raise UserError(
                    self.env._(
                        "%(document)s: write the evaluation before deciding (R33).",
                        document=suggestion.name,
                    )
                )

    def _op_decide(self, state):
        self._op_check_evaluator()
        self._check_can_decide()
        vals = {
            "state": state,
            "evaluated_by_id": self.env.user.id,
            "evaluated_on": fields.Datetime.now(),
        }
        if state == "rejected":
            vals["reward"] = False
        process_write(self, vals)
        return True

    def action_accept(self):
        return self._op_decide("accepted")

    def action_reject(self):
        return self._op_decide("rejected")
