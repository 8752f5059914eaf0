# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class OrderFgReceiptCountWizard(models.TransientModel):
    """The keeper's count of a D8 receipt with the deliverer (R17): the form
    that lets the keeper call ``action_count_and_sign``, which keeps the
    rules."""

    _name = "order.fg.receipt.count.wizard"
    _description = "Count and Sign a Finished-Goods Receipt"

    receipt_id = fields.Many2one("order.fg.receipt", required=True, readonly=True)
    qty_delivered = fields.Float(related="receipt_id.qty_delivered")
    qty_counted = fields.Float(string="Counted Quantity", required=True)
    deliverer_id = fields.Many2one(
        "res.users",
        string="Counted With (Deliverer)",
        required=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("order_process_addon.group_production").ids,
            )
        ],
    )
    mismatch_reason = fields.Text(string="Reason of a Difference")

    def action_confirm(self):
        self.ensure_one()
        self.receipt_id.action_count_and_sign(
            self.qty_counted, self.deliverer_id, self.mismatch_reason
        )
        return {"type": "ir.actions.act_window_close"}
