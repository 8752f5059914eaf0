# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class SaleOrder(models.Model):
    """Keeps the order's achievement fact current (R29): the steps that
    change it refresh the facts of their own orders, nothing else."""

    _inherit = "sale.order"

    op_kpi_fact_ids = fields.One2many(
        "order.kpi.fact",
        "order_id",
        string="Achievement Fact",
        groups="order_process_addon.group_user",
    )

    def action_op_view_kpi(self):
        """The order's achievement fact (and its D13): how it scores."""
        self.ensure_one()
        fact = self.op_kpi_fact_ids[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Achievement"),
            "res_model": "order.kpi.fact",
            "res_id": fact.id,
            "views": [(False, "form")],
        }

    def _op_kpi_refresh(self):
        self.env["order.kpi.fact"]._op_refresh(self)

    def _op_after_effective(self):
        res = super()._op_after_effective()
        self._op_kpi_refresh()
        return res

    def write(self, vals):
        res = super().write(vals)
        # A committed date moved, by "Change Committed Date" (R24) or by a
        # shipping reschedule: both write it on the order.
        if "op_committed_date" in vals:
            self.filtered("op_active")._op_kpi_refresh()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self.filtered("op_active")._op_kpi_refresh()
        return res
