# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .order_process_guard import Guard


class OrderInboundStatisticsLine(models.Model):
    _name = "order.inbound.statistics.line"
    _inherit = ["order.process.guard"]
    _description = "Daily Finished-Goods Inbound Statistics Line (D9)"
    # Guard (order.process.guard): lines are written by the document's steps.
    _op_guard = Guard(
        process="__all__",
        deletable=None,
    )
    _order = "sale_order_id, product_id"

    statistics_id = fields.Many2one(
        "order.inbound.statistics", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="statistics_id.company_id", store=True, index=True
    )
    sale_order_id = fields.Many2one("sale.order", string="Customer Order")
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    product_id = fields.Many2one("product.product", required=True)
    receipt_count = fields.Integer(string="Receipts")
    qty_delivered = fields.Float(string="Delivered Quantity")
    qty_counted = fields.Float(string="Counted Quantity")
    mismatch = fields.Boolean()
