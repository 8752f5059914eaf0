# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .order_process_guard import Guard
from .vocabulary import DEPARTMENTS


class OrderMonthlyReviewLine(models.Model):
    """One department's rate of a monthly review (R31), written when the
    review is frozen."""

    _name = "order.monthly.review.line"
    _inherit = ["order.process.guard"]
    _description = "Monthly Achievement Review Line"
    _order = "below_target desc, rate, department"

    # Guard (order.process.guard): written when the review is frozen, by
    # the review only; never changed nor deleted afterwards (R31, R35).
    _op_guard = Guard(
        process="__all__",
        state="review_id.state",
        editable={},
        deletable=frozenset(),
    )

    review_id = fields.Many2one(
        "order.monthly.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    state = fields.Selection(related="review_id.state")
    department = fields.Selection(DEPARTMENTS, required=True)
    orders_due = fields.Integer()
    failed_count = fields.Integer(
        string="Failed (Charged)",
        help="The month's failed orders charged to the department (R30).",
    )
    failed_late = fields.Integer(string="Delivered Late")
    failed_open = fields.Integer(string="Open Past Due")
    failed_cancelled = fields.Integer(string="Cancelled by the Company")
    rate = fields.Float(
        string="Department Rate (%)",
        help="(Orders due - failed orders charged to the department) / orders "
        "due: the rate had the other departments failed no order (R31).",
    )
    below_target = fields.Boolean(
        string="Performance Review",
        help="Below the company's target rate: flagged for performance review (R31).",
    )

    @api.depends_context("lang")
    @api.depends("review_id.display_name", "department")
    def _compute_display_name(self):
        labels = dict(self._fields["department"]._description_selection(self.env))
        for line in self:
            line.display_name = (
                f"{line.review_id.display_name or ''} / "
                f"{labels.get(line.department, '')}"
            )
