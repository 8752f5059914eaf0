# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    op_kpi_qty_tolerance = fields.Float(
        related="company_id.op_kpi_qty_tolerance", readonly=False
    )
    op_kpi_day_tolerance = fields.Integer(
        related="company_id.op_kpi_day_tolerance", readonly=False
    )
    op_kpi_due_basis = fields.Selection(
        related="company_id.op_kpi_due_basis", readonly=False
    )
    op_kpi_target = fields.Float(related="company_id.op_kpi_target", readonly=False)
