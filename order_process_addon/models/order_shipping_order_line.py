# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .order_process_guard import Editable, Guard

QUANTITY_ONLY = Editable(only={"quantity"})


class OrderShippingOrderLine(models.Model):
    """What a D10 ships: one line per product of the delivery (R23)."""

    _name = "order.shipping.order.line"
    _inherit = ["order.process.guard"]
    _description = "Shipping Order Line (D10)"
    _order = "shipping_order_id, id"

    # Guard (order.process.guard): the lines come from the delivery; the
    # merchandiser changes the quantity (or drops a line) while the D10 is a
    # draft or returned.
    _op_guard = Guard(
        process=frozenset({"shipping_order_id", "move_id", "product_id", "uom_id"}),
        state="shipping_order_id.state",
        editable={"draft": QUANTITY_ONLY, "returned": QUANTITY_ONLY},
        deletable=frozenset({"draft", "returned"}),
    )

    shipping_order_id = fields.Many2one(
        "order.shipping.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="shipping_order_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", string="Delivery Line", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", required=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, readonly=True)
