# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

from .elevation import read_across
from .order_process_guard import NOTHING, Editable, Guard

# What a line moves and where to: its move's.
LINE_ROUTE = frozenset(
    {"move_id", "picking_id", "product_id", "product_uom_id", "location_dest_id"}
)
UNDER_WAY = Editable(but=LINE_ROUTE)


class StockMoveLine(models.Model):
    _name = "stock.move.line"
    _inherit = ["stock.move.line", "order.process.guard"]

    # Guard (order.process.guard), for the lines of the moves the guard of
    # stock.move keeps (goods to a customer in a company that runs the
    # process): the warehouse picks (quantity, lot, package, source shelf);
    # a line moves its move's product to its move's destination; after the
    # goods left, nothing changes.
    _op_guard = Guard(
        process=frozenset({"company_id", "state"}),
        create="_op_check_can_add_line",
        editable={
            "draft": UNDER_WAY,
            "waiting": UNDER_WAY,
            "confirmed": UNDER_WAY,
            "partially_available": UNDER_WAY,
            "assigned": UNDER_WAY,
            "done": NOTHING,
            "cancel": NOTHING,
        },
        deletable=frozenset(
            {"draft", "waiting", "confirmed", "partially_available", "assigned"}
        ),
        doors=True,
    )

    # ------------------------------------------------------------ the guard's scope
    def _op_guarded(self):
        return self.filtered(
            lambda line: (
                line.move_id._op_guarded()
                or (
                    not line.move_id
                    and line.picking_id._op_guarded()
                    and line.picking_id._op_ships_to_customer()
                )
            )
        )

    def _op_guarded_vals(self, vals):
        move = self.env["stock.move"].browse(vals.get("move_id"))
        if move:
            return bool(move._op_guarded())
        picking = self.env["stock.picking"].browse(vals.get("picking_id"))
        return bool(picking._op_guarded()) and picking._op_ships_to_customer()

    def _op_check_can_add_line(self, vals):
        """R23, R26: a line picks its move's product for its move's
        destination; no line without a move on a transfer to a customer (it
        would add a product at validation)."""
        move = read_across(self.env["stock.move"]).browse(vals.get("move_id"))
        if not move:
            raise UserError(
                self.env._(
                    "A transfer to a customer ships the products of its moves: "
                    "add a line to one of them."
                )
            )
        product = vals.get("product_id") or move.product_id.id
        destination = (
            read_across(self.env["stock.location"]).browse(vals.get("location_dest_id"))
            or move.location_dest_id
        )
        picking = vals.get("picking_id") or move.picking_id.id
        if (
            product != move.product_id.id
            or picking != move.picking_id.id
            or not destination._child_of(move.location_dest_id)
        ):
            raise UserError(
                self.env._(
                    "A line of %(product)s moves that product to its move's "
                    "destination, on its move's transfer.",
                    product=move.product_id.display_name,
                )
            )
