# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError


class StockMove(models.Model):
    _inherit = "stock.move"

    def _op_sale_order(self):
        """The customer order a move ships: its sale line's, else its
        picking's (a picking may group several orders)."""
        self.ensure_one()
        return self.sale_line_id.order_id or self.picking_id.sale_id

    def _op_check_payment_before_shipment(self):
        """R21: goods of an order paid before shipment leave for the customer
        only once it is paid, or released by a manager with a reason.
        Returns and internal steps (pick, pack) do not go to a customer and
        are not held."""
        blocked = {}
        for move in self.sudo():
            if move.location_dest_id.usage != "customer" or move.state == "cancel":
                continue
            order = move._op_sale_order()
            if not order._op_needs_payment():
                continue
            if order.op_payment_override_ids._op_covers(move.picking_id):
                continue
            blocked.setdefault(order, move.picking_id)
        if blocked:
            raise UserError(
                self.env._(
                    "%(orders)s is paid before shipment and not paid yet: nothing "
                    "may be shipped for it until Finance has the payment, unless a "
                    "Finance manager or the General Manager releases the shipment "
                    "with a reason (R21).",
                    orders=", ".join(order.name for order in blocked),
                )
            )

    def _action_done(self, cancel_backorder=False):
        # The side door: POS and OCA modules call this without button_validate.
        self._op_check_payment_before_shipment()
        self.sudo().picking_id.filtered("op_process_delivery").with_env(
            self.env
        )._op_check_ready_to_ship()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        self.picking_id._op_end_todos()
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self.picking_id._op_end_todos()
        return res
