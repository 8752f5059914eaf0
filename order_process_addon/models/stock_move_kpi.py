# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .elevation import read_across
from .order_process_guard import in_door


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._op_refresh_kpi()
        return moves

    def write(self, vals):
        res = super().write(vals)
        # R29: however a delivery became done (a migration as the superuser,
        # a module calling write), its order is scored again at once; the
        # validation scores once it is complete (above).
        if vals.get("state") == "done" and not in_door():
            self._op_refresh_kpi()
        return res

    def _op_refresh_kpi(self):
        """R29: a shipment to (or return from) the customer of an order of
        the process updates that order's achievement fact."""
        orders = (
            read_across(self)
            .filtered(
                lambda m: (
                    m.state == "done"
                    and m.sale_line_id
                    and "customer" in (m.location_dest_id.usage, m.location_id.usage)
                )
            )
            .sale_line_id.order_id.filtered("op_active")
        )
        if orders:
            self.env["order.kpi.fact"]._op_refresh(orders)
