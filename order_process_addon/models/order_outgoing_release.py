# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .order_process_guard import Guard


class OrderOutgoingRelease(models.Model):
    """R27, R36: a transfer that takes goods to a customer without any
    customer order (a sample, a replacement part, goods of a migrated order),
    in a company that runs the process, let out by the PMC manager or the
    General Manager with the reason. Kept, never edited nor deleted."""

    _name = "order.outgoing.release"
    _description = "Shipment Outside the Process"
    _inherit = ["order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): written by "Release" on the transfer only,
    # and kept (R27, R35).
    _op_guard = Guard(process="__all__", state=None, deletable=frozenset())

    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="picking_id.partner_id", string="Goes To", store=True
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
