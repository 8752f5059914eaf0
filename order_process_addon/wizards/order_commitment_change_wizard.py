# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.vocabulary import DEPARTMENTS


class OrderCommitmentChangeWizard(models.TransientModel):
    _name = "order.commitment.change.wizard"
    _description = "Change an Order's Committed Date"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    current_date = fields.Date(related="order_id.op_committed_date")
    new_date = fields.Date(required=True)
    reason = fields.Text(required=True)
    department = fields.Selection(
        DEPARTMENTS, string="Responsible Department", required=True
    )

    def action_confirm(self):
        self.ensure_one()
        self.order_id._op_change_committed_date(
            self.new_date, self.reason, self.department
        )
        return {"type": "ir.actions.act_window_close"}
