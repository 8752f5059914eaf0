# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    op_material_plan_id = fields.Many2one(
        "order.material.plan",
        string="Material Requirements Plan (D3)",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="order_process_addon.group_user",
    )

    def _op_check_released_by_d3(self):
        """R11, R13: an RFQ for an order of the process goes to the vendor
        only once the order's material requirements plan (D3) is approved."""
        for purchase in self.sudo().filtered(lambda po: po.company_id.op_enabled):
            if purchase.op_material_plan_id.state == "approved":
                continue
            orders = purchase._get_sale_orders().filtered("op_active")
            if orders:
                raise UserError(
                    self.env._(
                        "%(rfq)s is for %(orders)s: it goes to the vendor only "
                        "once the PMC manager approves the material requirements "
                        "plan (D3) of the order (R11, R13).",
                        rfq=purchase.name,
                        orders=", ".join(orders.mapped("name")),
                    )
                )

    def button_confirm(self):
        self._op_check_released_by_d3()
        return super().button_confirm()

    def action_rfq_send(self):
        self._op_check_released_by_d3()
        return super().action_rfq_send()
