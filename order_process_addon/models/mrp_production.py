# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class MrpProduction(models.Model):
    _inherit = "mrp.production"

    op_plan_id = fields.Many2one(
        "order.production.plan",
        string="Production Plan (D4)",
        check_company=True,
        index="btree_not_null",
        tracking=True,
    )
    op_sale_order_id = fields.Many2one(
        "sale.order",
        string="Order of the Process",
        compute="_compute_op_sale_order_id",
        help="The customer order of the Order Process this manufacturing "
        "order was made for.",
    )
    op_inserted_by_id = fields.Many2one(
        "res.users", string="Inserted By", readonly=True, copy=False
    )
    op_inserted_on = fields.Datetime(string="Inserted On", readonly=True, copy=False)

    @api.depends("procurement_group_id.sale_id", "sale_line_id")
    def _compute_op_sale_order_id(self):
        for production in self:
            order = (
                production.sale_line_id.order_id
                or production.procurement_group_id.sale_id
            )
            production.op_sale_order_id = order if order.op_active else False

    def write(self, vals):
        target = self.env["order.production.plan"].browse(vals.get("op_plan_id"))
        if (
            not self.env.su
            and "op_plan_id" in vals
            and (
                target.state == "released"
                or any(p.op_plan_id.state == "released" for p in self)
            )
        ):
            raise UserError(
                self.env._(
                    "The plan is released: only the PMC manager inserts or moves "
                    "orders, with a reason."
                )
            )
        if vals.get("qty_producing"):
            self._op_check_released()
        return super().write(vals)

    def _op_check_released(self):
        """R8, R14: production and material issue follow the released plan."""
        for production in self:
            order = production.op_sale_order_id
            if not order:
                continue
            if order.op_state != "effective":
                raise UserError(
                    self.env._(
                        "%(order)s is not signed by the customer: %(mo)s cannot start.",
                        order=order.name,
                        mo=production.name,
                    )
                )
            if production.op_plan_id.state != "released":
                raise UserError(
                    self.env._(
                        "%(mo)s is in no released production plan: it cannot "
                        "start, nor can its materials be issued (R14).",
                        mo=production.name,
                    )
                )

    def action_start(self):
        self._op_check_released()
        return super().action_start()

    def button_mark_done(self):
        self._op_check_released()
        return super().button_mark_done()
