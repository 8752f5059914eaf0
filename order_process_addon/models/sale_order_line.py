# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .order_process_guard import ALL, NOTHING, Editable, Guard
from .vocabulary import AMOUNTS_GROUPS

# What the departments reviewed and the customer signed on a line (R8, R10).
OP_LINE_CONTENT = frozenset(
    {
        "product_id",
        "product_template_id",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "tax_id",
        "product_packaging_id",
        "product_packaging_qty",
    }
)
OP_LINES_FROZEN = ("review", "reviewed", "answered", "effective")


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "order.process.guard"]

    _op_guard = Guard(
        state="order_id.op_state",
        editable={
            "draft": ALL,
            "returned": ALL,
            "cancel": ALL,
            "review": NOTHING,
            "reviewed": NOTHING,
            "answered": NOTHING,
            "effective": Editable(but=OP_LINE_CONTENT),
        },
        deletable=frozenset({"draft", "returned", "cancel"}),
    )

    # The lines follow their order's stage (see order.process.mixin): free
    # while drafted or returned, frozen under review and signature, and after
    # signature only what the customer did not sign may change (down
    # payments, deliveries, invoicing).
    # R36: prices only for the roles that handle money.
    price_unit = fields.Float(groups=AMOUNTS_GROUPS)
    technical_price_unit = fields.Float(groups=AMOUNTS_GROUPS)
    discount = fields.Float(groups=AMOUNTS_GROUPS)
    price_subtotal = fields.Monetary(groups=AMOUNTS_GROUPS)
    price_tax = fields.Float(groups=AMOUNTS_GROUPS)
    price_total = fields.Monetary(groups=AMOUNTS_GROUPS)
    price_reduce_taxexcl = fields.Monetary(groups=AMOUNTS_GROUPS)
    price_reduce_taxinc = fields.Monetary(groups=AMOUNTS_GROUPS)
    untaxed_amount_invoiced = fields.Monetary(groups=AMOUNTS_GROUPS)
    untaxed_amount_to_invoice = fields.Monetary(groups=AMOUNTS_GROUPS)

    def _op_guarded(self):
        # Down payments are Finance's invoicing, not the signed content.
        return self.filtered(
            lambda line: line.order_id.op_active and not line.is_downpayment
        )

    def _op_guarded_vals(self, vals):
        return bool(vals.get("order_id")) and not vals.get("is_downpayment")

    def _op_check_create(self, vals):
        res = super()._op_check_create(vals)
        order = self.env["sale.order"].browse(vals["order_id"])
        if order.op_active and order.op_state in OP_LINES_FROZEN:
            raise UserError(
                self.env._(
                    "%(order)s is %(state)s: its lines no longer change. Register "
                    "a new order for more products.",
                    order=order.name,
                    state=order._op_state_label(),
                )
            )
        return res

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
