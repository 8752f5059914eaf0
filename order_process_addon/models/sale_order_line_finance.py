# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finance's view of the process's order lines (issue 9): what is shipped
and not invoiced yet, read from Odoo's own delivered and invoiced
quantities; the invoices themselves follow Odoo's invoicing policy."""

from odoo import api, fields, models
from odoo.tools import float_compare

from .vocabulary import AMOUNTS_GROUPS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    op_merchandiser_id = fields.Many2one(
        related="order_id.op_merchandiser_id", store=True, string="Merchandiser"
    )
    op_qty_shipped_not_invoiced = fields.Float(
        string="Shipped, Not Invoiced",
        compute="_compute_op_shipped_not_invoiced",
        store=True,
        digits="Product Unit of Measure",
        help="Delivered quantity not invoiced yet (credit notes deducted).",
    )
    op_amount_shipped_not_invoiced = fields.Monetary(
        string="Amount to Invoice",
        compute="_compute_op_shipped_not_invoiced",
        store=True,
        currency_field="currency_id",
        groups=AMOUNTS_GROUPS,
        help="The shipped quantity not invoiced yet at the order's unit price "
        "(discount included, without tax).",
    )
    op_shipped_not_invoiced = fields.Boolean(
        string="Shipped, Not Invoiced (Process)",
        compute="_compute_op_shipped_not_invoiced",
        store=True,
        index=True,
        help="A line of a process order with more delivered than invoiced.",
    )

    @api.depends(
        "order_id.op_active",
        "qty_delivered",
        "qty_invoiced",
        "price_reduce_taxexcl",
        "display_type",
        "is_downpayment",
    )
    def _compute_op_shipped_not_invoiced(self):
        for line in self:
            qty = line.qty_delivered - line.qty_invoiced
            rounding = line.product_uom.rounding or 0.001
            open_ = bool(
                line.order_id.op_active
                and not line.display_type
                and not line.is_downpayment
                and float_compare(qty, 0.0, precision_rounding=rounding) > 0
            )
            line.op_shipped_not_invoiced = open_
            line.op_qty_shipped_not_invoiced = qty if open_ else 0.0
            line.op_amount_shipped_not_invoiced = (
                line.currency_id.round(qty * line.price_reduce_taxexcl)
                if open_
                else 0.0
            )
