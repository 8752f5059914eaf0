# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .order_process_guard import Guard


class OrderPaymentOverride(models.Model):
    """R21: a shipment released before payment by a Finance manager or the
    General Manager, with the reason. Kept, never edited nor deleted."""

    _name = "order.payment.override"
    _description = "Shipment Before Payment"
    _inherit = ["order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): written by "Ship Before Payment" only, and
    # kept (R21, R35).
    _op_guard = Guard(
        process="__all__",
        state=None,
        deletable=frozenset(),
    )

    order_id = fields.Many2one(
        "sale.order",
        string="Customer Order",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        "order_payment_override_picking_rel",
        "override_id",
        "picking_id",
        string="Deliveries",
        readonly=True,
        help="The deliveries released; none: every delivery of the order.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Released By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    date = fields.Datetime(
        string="Released On", default=fields.Datetime.now, readonly=True
    )
    reason = fields.Text(required=True, readonly=True)

    @api.depends_context("lang")
    @api.depends("order_id.name")
    def _compute_display_name(self):
        for override in self:
            override.display_name = self.env._(
                "Shipment Before Payment %(order)s", order=override.order_id.name or ""
            )

    def _op_covers(self, picking):
        """Whether these overrides release ``picking``."""
        return any(not o.picking_ids or picking in o.picking_ids for o in self)
