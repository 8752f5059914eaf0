# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .order_process_guard import Guard


class OrderProductionDailyReportLine(models.Model):
    _name = "order.production.daily.report.line"
    _inherit = ["order.process.guard"]
    _description = "Production Daily Report Line (D7)"
    # Guard (order.process.guard): lines are written by the document's steps.
    _op_guard = Guard(
        process="__all__",
        deletable=None,
    )
    _order = "report_id, id"

    report_id = fields.Many2one(
        "order.production.daily.report",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="report_id.company_id", store=True, index=True, precompute=True
    )
    production_id = fields.Many2one(
        "mrp.production", string="Manufacturing Order", required=True
    )
    product_id = fields.Many2one(related="production_id.product_id", store=True)
    sale_order_id = fields.Many2one(
        related="production_id.op_sale_order_id", string="Customer Order"
    )
    uom_id = fields.Many2one(related="production_id.product_uom_id", string="Unit")
    qty_planned = fields.Float(string="Planned", digits="Product Unit of Measure")
    qty_produced = fields.Float(
        string="Produced",
        digits="Product Unit of Measure",
        help="Produced on the report's day (R16).",
    )
    qty_to_date = fields.Float(
        string="Produced to Date",
        digits="Product Unit of Measure",
        help="The manufacturing order's total up to the report's day.",
    )
    final_test_id = fields.Many2one("order.final.test")
    test_result = fields.Selection(related="final_test_id.result", string="Result")
