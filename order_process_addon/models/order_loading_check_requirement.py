# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .order_process_guard import Editable, Guard


class OrderLoadingCheckRequirement(models.Model):
    """A special requirement of the D10, ticked off at loading (R26)."""

    _name = "order.loading.check.requirement"
    _inherit = ["order.process.guard"]
    _description = "Loading Check Requirement (D11)"
    _order = "check_id, id"

    _op_guard = Guard(
        process=frozenset({"check_id", "name"}),
        state="check_id.state",
        editable={"draft": Editable(only={"checked"})},
        deletable=frozenset(),
    )

    check_id = fields.Many2one(
        "order.loading.check", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    name = fields.Char(string="Requirement", required=True, readonly=True)
    checked = fields.Boolean(string="Done")
