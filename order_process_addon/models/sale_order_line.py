# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.constrains("product_uom_qty", "display_type")
    def _check_op_positive_quantity(self):
        """R37: an order of the process orders positive quantities."""
        for line in self:
            if (
                line.order_id.op_active
                and not line.display_type
                and not line.is_downpayment
                and line.product_uom_qty <= 0
                and line.order_id.state in ("draft", "sent")
            ):
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s must be positive.",
                        product=line.product_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders._op_check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.order_id._op_check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.order_id._op_check_lines_editable()
        return super().unlink()
