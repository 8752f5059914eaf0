# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    op_active = fields.Boolean(
        string="Follows Order Process",
        compute="_compute_op_active",
        store=True,
        readonly=True,
        copy=False,
        help="Set when the order is created (and when its company or sales "
        "team changes) from the company's Order Process settings. Orders "
        "created before the process was switched on keep Odoo's own flow.",
    )

    @api.depends("company_id", "team_id")
    def _compute_op_active(self):
        for order in self:
            company = order.company_id or self.env.company
            order.op_active = company._op_applies(order.team_id)
