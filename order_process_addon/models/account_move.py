# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        """R20: an invoice of an order of the process is paid: Customer
        Management and PMC hear of it at once."""
        res = super()._invoice_paid_hook()
        invoices = self.filtered(lambda m: m.move_type == "out_invoice").sudo()
        for order in invoices.invoice_line_ids.sale_line_ids.order_id:
            order._op_notify_invoice_paid(
                invoices & order.order_line.invoice_lines.move_id
            )
        return res
