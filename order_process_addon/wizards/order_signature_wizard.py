# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class OrderSignatureWizard(models.TransientModel):
    _name = "order.signature.wizard"
    _description = "Record a Customer's Signed Order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    scan = fields.Binary(string="Signed Order", required=True)
    scan_name = fields.Char()
    signed_by = fields.Char(required=True)
    signed_on = fields.Datetime(required=True, default=fields.Datetime.now)

    def action_confirm(self):
        self.ensure_one()
        if not self.scan:
            raise UserError(self.env._("Attach the signed order."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.scan_name or f"{self.order_id.name}-signed",
                "datas": self.scan,
                "res_model": "sale.order",
                "res_id": self.order_id.id,
            }
        )
        self.order_id._op_record_signed_scan(attachment, self.signed_by, self.signed_on)
        return {"type": "ir.actions.act_window_close"}
