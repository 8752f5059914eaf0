# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .order_process_guard import Guard
from .vocabulary import DEPARTMENTS


class OrderCommitmentChange(models.Model):
    """A change of an effective order's committed date (R24, R29): kept for
    the achievement rate, never deleted."""

    _name = "order.commitment.change"
    _description = "Committed Date Change"
    _inherit = ["order.process.guard"]
    _order = "id desc"

    # Guard (order.process.guard): written by "Change Committed Date" only,
    # and kept for the achievement rate (R24, R29, R35).
    _op_guard = Guard(
        process="__all__",
        state=None,
        deletable=frozenset(),
    )

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    old_date = fields.Date(string="Previous Date", readonly=True)
    new_date = fields.Date(required=True, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    department = fields.Selection(
        DEPARTMENTS, string="Responsible Department", required=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(
        string="Changed On", default=fields.Datetime.now, readonly=True
    )

    @api.depends("order_id.name", "old_date", "new_date")
    def _compute_display_name(self):
        # The order and its dates, the same in every language.
        for change in self:
            change.display_name = (
                f"{change.order_id.name or ''}: {change.old_date or ''}"
                f" → {change.new_date or ''}"
            )
