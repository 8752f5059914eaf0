# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

KPI_SETTINGS = (
    "op_kpi_qty_tolerance",
    "op_kpi_day_tolerance",
    "op_kpi_due_basis",
)


class ResCompany(models.Model):
    """The definition of the achievement rate, per company (R29, R31)."""

    _inherit = "res.company"

    op_kpi_qty_tolerance = fields.Float(
        string="Quantity Tolerance (%)",
        default=0.0,
        help="A line counts as delivered in full when its delivered quantity "
        "reaches the ordered quantity less this percentage (R29).",
    )
    op_kpi_day_tolerance = fields.Integer(
        string="Delivery Tolerance (working days)",
        default=0,
        help="A delivery this many working days after the due date still "
        "counts as on time (R29).",
    )
    op_kpi_due_basis = fields.Selection(
        [("first", "First committed date"), ("current", "Current committed date")],
        string="Due Date Basis",
        default="first",
        required=True,
        help="The committed date an order is due on in the achievement rate: "
        "the first one (frozen at the customer's signature) or the current "
        "one after changes. The dashboard shows both side by side.",
    )
    op_kpi_target = fields.Float(
        string="Target Achievement Rate (%)",
        default=95.0,
        help="Departments below this rate are flagged for performance review (R31).",
    )

    @api.constrains("op_kpi_qty_tolerance", "op_kpi_day_tolerance", "op_kpi_target")
    def _check_op_kpi_settings(self):
        for company in self:
            if not 0 <= company.op_kpi_qty_tolerance < 100:
                raise ValidationError(
                    self.env._("The quantity tolerance must be between 0 % and 100 %.")
                )
            if company.op_kpi_day_tolerance < 0:
                raise ValidationError(
                    self.env._("The delivery tolerance cannot be negative.")
                )
            if not 0 <= company.op_kpi_target <= 100:
                raise ValidationError(
                    self.env._(
                        "The target achievement rate must be between 0 % and 100 %."
                    )
                )

    def write(self, vals):
        changed = self.browse()
        if any(name in vals for name in KPI_SETTINGS):
            changed = self.filtered(
                lambda c: any(
                    c[name] != vals[name] for name in KPI_SETTINGS if name in vals
                )
            )
        res = super().write(vals)
        if changed:
            # The definition changed: the facts are scored again (in batches).
            self.env["order.kpi.fact"]._op_mark_stale(changed)
        if "op_kpi_target" in vals and self.ids:
            # Only the target: one update, nothing to score again.
            for table in ("order_kpi_fact", "order_kpi_month"):
                self.env.cr.execute(
                    SQL(
                        "UPDATE %s SET target_rate = %s WHERE company_id IN %s",
                        SQL.identifier(table),
                        vals["op_kpi_target"],
                        tuple(self.ids),
                    )
                )
            self.env["order.kpi.fact"].invalidate_model(["target_rate"])
            self.env["order.kpi.month"].invalidate_model(["target_rate"])
        return res
