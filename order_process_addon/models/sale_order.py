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
        help="Decided when the order is created (and when its company or "
        "sales team changes while it is a quotation) from the company's "
        "Order Process settings. Orders created before the process was "
        "switched on keep Odoo's own flow, and the other way round.",
    )

    @api.depends("company_id", "team_id")
    def _compute_op_active(self):
        for order in self:
            if order.state not in (False, "draft", "sent"):
                # Confirmed or cancelled: the order keeps the flow it had.
                order.op_active = order._origin.op_active
                continue
            company = order.company_id or self.env.company
            order.op_active = company._op_applies(order.team_id)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Decide now, with the settings in force at creation, rather than
        # lazily at the next flush.
        orders.flush_recordset(["op_active"])
        return orders

    def write(self, vals):
        res = super().write(vals)
        if "company_id" in vals or "team_id" in vals:
            self.flush_recordset(["op_active"])
        return res
