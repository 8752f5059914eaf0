# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools.sql import create_index

from .elevation import as_messenger, read_across


class AccountMove(models.Model):
    _inherit = "account.move"

    op_active = fields.Boolean(
        string="Order Process Invoice",
        compute="_compute_op_orders",
        store=True,
        index=True,
        help="An invoice of an order that follows the Order Process.",
    )
    op_merchandiser_id = fields.Many2one(
        "res.users",
        string="Merchandiser",
        compute="_compute_op_orders",
        store=True,
        index="btree_not_null",
        help="The merchandiser of the invoiced orders, who follows the "
        "collection with the sales person (R22).",
    )
    op_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        compute="_compute_op_amount_overdue",
        currency_field="company_currency_id",
        help="What is still owed after the due date, in the company's currency.",
    )

    def init(self):
        res = super().init()
        # Finance's "Invoiced, Not Paid" list reads the open invoices of the
        # process, a few among every invoice of the history (issue 11).
        create_index(
            self.env.cr,
            "account_move_op_unpaid_index",
            self._table,
            ["partner_id", "id"],
            where="op_active AND move_type = 'out_invoice' AND state = 'posted' "
            "AND payment_state IN ('not_paid', 'partial')",
        )
        return res

    @api.depends(
        "invoice_line_ids.sale_line_ids.order_id.op_active",
        "invoice_line_ids.sale_line_ids.order_id.op_merchandiser_id",
    )
    def _compute_op_orders(self):
        for move in self:
            orders = read_across(move).invoice_line_ids.sale_line_ids.order_id.filtered(
                "op_active"
            )
            move.op_active = bool(orders)
            move.op_merchandiser_id = orders.op_merchandiser_id[:1]

    @api.depends("amount_residual_signed", "invoice_date_due", "payment_state")
    def _compute_op_amount_overdue(self):
        today = fields.Date.context_today(self)
        for move in self:
            late = (
                move.is_invoice(include_receipts=True)
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due
                and move.invoice_date_due < today
            )
            move.op_amount_overdue = move.amount_residual_signed if late else 0.0

    def _post(self, soft=True):
        """R22: the payment follow-ups of the invoiced orders fall due with
        their invoices."""
        posted = super()._post(soft=soft)
        invoices = posted.filtered(
            lambda m: m.move_type == "out_invoice" and m.op_active
        )
        if invoices:
            orders = read_across(invoices).invoice_line_ids.sale_line_ids.order_id
            orders._op_follow_up_when_due()
        return posted

    def _invoice_paid_hook(self):
        """R20: an invoice of an order of the process is paid: Customer
        Management and PMC hear of it at once."""
        res = super()._invoice_paid_hook()
        invoices = as_messenger(self.filtered(lambda m: m.move_type == "out_invoice"))
        for order in invoices.invoice_line_ids.sale_line_ids.order_id:
            order._op_notify_invoice_paid(
                invoices & order.order_line.invoice_lines.move_id
            )
        return res
