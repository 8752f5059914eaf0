# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .vocabulary import AMOUNTS_GROUPS


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    # R36: prices only for the roles that handle money.
    price_unit = fields.Float(groups=AMOUNTS_GROUPS)
    discount = fields.Float(groups=AMOUNTS_GROUPS)
    price_unit_discounted = fields.Float(groups=AMOUNTS_GROUPS)
    price_subtotal = fields.Monetary(groups=AMOUNTS_GROUPS)
    price_tax = fields.Float(groups=AMOUNTS_GROUPS)
    price_total = fields.Monetary(groups=AMOUNTS_GROUPS)
    # Issue 11: a procurement group's purchase lines (read when a D3's RFQ
    # is made from its order's group) are found by this column; Odoo does
    # not index it, so every purchase line ever made was scanned.
    group_id = fields.Many2one(index="btree_not_null")
