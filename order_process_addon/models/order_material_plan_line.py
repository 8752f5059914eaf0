# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .order_process_guard import Editable, Guard


class OrderMaterialPlanLine(models.Model):
    _name = "order.material.plan.line"
    _description = "Material Requirement (D3 line)"
    _inherit = ["order.process.guard"]
    _order = "plan_id, source desc, id"
    _check_company_auto = True

    # Guard (order.process.guard): computed from the order and the
    # forecast; the material controller sets only the quantity to order and
    # the vendor, while the D3 is a draft.
    _op_guard = Guard(
        process=frozenset(
            {
                "plan_id",
                "product_id",
                "source",
                "qty_required",
                "qty_available",
                "qty_on_rfq",
                "purchase_line_id",
            }
        ),
        state="plan_id.state",
        editable={"draft": Editable(only={"qty_to_order", "vendor_id"})},
        deletable=frozenset({"draft"}),
    )

    plan_id = fields.Many2one(
        "order.material.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, readonly=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    source = fields.Selection(
        [("oem", "OEM Product"), ("component", "Component")],
        required=True,
        readonly=True,
    )
    qty_required = fields.Float(
        string="Required", digits="Product Unit of Measure", readonly=True
    )
    qty_available = fields.Float(
        string="Available (Forecast)",
        digits="Product Unit of Measure",
        readonly=True,
        help="What the warehouse's forecast can give this order, its own "
        "deliveries and manufacturing orders left out.",
    )
    qty_on_rfq = fields.Float(
        string="On Prepared RFQs",
        digits="Product Unit of Measure",
        readonly=True,
        help="Already on RFQs Odoo's procurement prepared for this order; "
        "they are released to Purchasing with the plan.",
    )
    qty_to_order = fields.Float(string="To Order", digits="Product Unit of Measure")
    vendor_id = fields.Many2one("res.partner", check_company=True)
    purchase_line_id = fields.Many2one(
        "purchase.order.line", string="RFQ Line", readonly=True, copy=False
    )
    purchase_order_id = fields.Many2one(
        related="purchase_line_id.order_id", string="RFQ"
    )

    @api.constrains("qty_to_order")
    def _check_qty_to_order(self):
        for line in self:
            if line.qty_to_order < 0:
                raise ValidationError(
                    self.env._(
                        "The quantity to order of %(product)s cannot be negative.",
                        product=line.product_id.display_name,
                    )
                )

    @api.depends("plan_id.name", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.plan_id.name} / {line.product_id.display_name}"

    def _op_seller(self):
        """The vendor's price list entry for the product in the plan's company."""
        self.ensure_one()
        product = self.product_id.with_company(self.company_id)
        return (
            product._select_seller(
                partner_id=self.vendor_id,
                quantity=self.qty_to_order,
                uom_id=product.uom_id,
            )
            or product.seller_ids.filtered(
                lambda s: (
                    s.partner_id == self.vendor_id
                    and s.company_id in (self.company_id, self.env["res.company"])
                )
            )[:1]
        )
