# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    op_payment_before_shipment = fields.Boolean(
        string="Payment Before Shipment",
        company_dependent=True,
        help="This customer's terms require payment before goods are "
        "shipped: a shipment waits for Finance's confirmation (R21).",
    )
