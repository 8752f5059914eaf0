# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    op_enabled = fields.Boolean(related="company_id.op_enabled", readonly=False)
    op_scope = fields.Selection(related="company_id.op_scope", readonly=False)
    op_review_days = fields.Float(related="company_id.op_review_days", readonly=False)
    op_rush_review_hours = fields.Float(
        related="company_id.op_rush_review_hours", readonly=False
    )
    op_plan_release_time = fields.Float(
        related="company_id.op_plan_release_time", readonly=False
    )
    op_shipment_stats_time = fields.Float(
        related="company_id.op_shipment_stats_time", readonly=False
    )
    op_ship_qty_tolerance = fields.Float(
        related="company_id.op_ship_qty_tolerance", readonly=False
    )
    op_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id",
        string="Working Calendar",
        readonly=False,
    )
