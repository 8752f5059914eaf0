# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .elevation import read_across


class ProductTemplate(models.Model):
    _inherit = "product.template"

    op_trial_run_done = fields.Boolean(
        string="Trial Run Done",
        default=True,
        tracking=True,
        help="A new product whose trial run is not done may only be ordered "
        "with the General Manager's approval (R9).",
    )
    op_trial_run_date = fields.Date(string="Trial Run Date", tracking=True)
    op_is_oem = fields.Boolean(
        string="OEM (Bought In)",
        compute="_compute_op_is_oem",
        store=True,
        readonly=False,
        help="Bought in rather than made: its material requirements plan "
        "goes to Purchasing (R11). Proposed from the product's routes.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "op_trial_run_done" in vals:
            # R9: the flag of the orders still open to review follows; an
            # order already answered, signed or cancelled keeps its history.
            orders = read_across(self.env["sale.order"]).search(
                [
                    ("op_state", "in", ("draft", "returned", "review")),
                    ("order_line.product_template_id", "in", self.ids),
                ]
            )
            self.env.add_to_compute(orders._fields["op_has_untried_product"], orders)
        return res

    @api.depends("route_ids", "bom_ids")
    def _compute_op_is_oem(self):
        buy = self.env.ref("purchase_stock.route_warehouse0_buy", False)
        manufacture = self.env.ref("mrp.route_warehouse0_manufacture", False)
        for template in self:
            routes = template.route_ids
            # Odoo puts new products on the Buy route by default: a product
            # with a bill of materials is made here all the same.
            template.op_is_oem = (
                bool(buy and buy in routes)
                and not (manufacture and manufacture in routes)
                and not template.bom_ids
            )
