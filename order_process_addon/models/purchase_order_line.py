# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .res_users import AMOUNTS_GROUPS


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    # R36: prices only for the roles that handle money.
    price_unit = fields.Float(groups=AMOUNTS_GROUPS)
    discount = fields.Float(groups=AMOUNTS_GROUPS)
    price_unit_discounted = fields.Float(groups=AMOUNTS_GROUPS)
    price_subtotal = fields.Monetary(groups=AMOUNTS_GROUPS)
    price_tax = fields.Float(groups=AMOUNTS_GROUPS)
    price_total = fields.Monetary(groups=AMOUNTS_GROUPS)
