# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .elevation import as_messenger


class AccountPayment(models.Model):
    _inherit = "account.payment"

    def action_post(self):
        res = super().action_post()
        # R20, issue 18: the payment follow-up of an order paid in full is
        # done, also when the payment pays its invoice without a journal
        # entry (no outstanding account: no reconciliation, no paid hook).
        as_messenger(self).invoice_ids.invoice_line_ids.sale_line_ids.order_id.filtered(
            "op_active"
        )._op_end_payment_follow_up()
        return res
