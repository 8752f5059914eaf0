# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .order_process_guard import Guard
from .vocabulary import AMOUNTS_GROUPS


class OrderShipmentStatisticsLine(models.Model):
    _name = "order.shipment.statistics.line"
    _inherit = ["order.process.guard"]
    _description = "Daily Shipment Statistics Line (D12)"
    # Guard (order.process.guard): lines are written by the document's steps.
    _op_guard = Guard(
        process="__all__",
        deletable=None,
    )
    _order = "partner_id, sale_order_id, product_id, id"

    statistics_id = fields.Many2one(
        "order.shipment.statistics", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="statistics_id.company_id", store=True)
    currency_id = fields.Many2one(related="statistics_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer")
    sale_order_id = fields.Many2one("sale.order", string="Customer Order")
    client_order_ref = fields.Char(
        related="sale_order_id.client_order_ref", string="Customer Reference"
    )
    sale_line_id = fields.Many2one("sale.order.line", string="Order Line")
    product_id = fields.Many2one("product.product", required=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit")
    picking_count = fields.Integer(string="Deliveries")
    qty_done = fields.Float(string="Shipped Quantity", digits="Product Unit of Measure")
    price_unit = fields.Float(
        string="Unit Price", digits="Product Price", groups=AMOUNTS_GROUPS
    )
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        currency_field="currency_id",
        groups=AMOUNTS_GROUPS,
    )

    @api.depends("qty_done", "price_unit")
    def _compute_amount(self):
        for line in self:
            line.amount = line.currency_id.round(line.qty_done * line.price_unit)
