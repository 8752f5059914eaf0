# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class SaleOrder(models.Model):
    """The order's deliveries and where each one is in the shipping steps
    (R23-R27), on the order form."""

    _inherit = "sale.order"

    op_delivery_ids = fields.Many2many(
        "stock.picking",
        string="Process Deliveries",
        compute="_compute_op_delivery_ids",
        help="The deliveries of this order that ship through the process.",
    )

    @api.depends("picking_ids.op_process_delivery")
    def _compute_op_delivery_ids(self):
        for order in self:
            order.op_delivery_ids = order.picking_ids.filtered("op_process_delivery")
