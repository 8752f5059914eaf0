# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

from .elevation import process_write, read_across
from .order_process_guard import ALL, NOTHING, Editable, Guard, door, doorway

# What a move ships, from where, to where, for whom: set when it is created
# (by the order's procurement, or typed on a draft transfer), the process's
# once the transfer is confirmed.
MOVE_ROUTE = frozenset(
    {
        "picking_id",
        "picking_type_id",
        "location_id",
        "location_dest_id",
        "location_final_id",
        "partner_id",
        "company_id",
        "product_id",
        "product_uom_qty",
        "product_uom",
        "warehouse_id",
    }
)
UNDER_WAY = Editable(but=MOVE_ROUTE)


class StockMove(models.Model):
    _name = "stock.move"
    _inherit = ["stock.move", "order.process.guard"]

    # Guard (order.process.guard), for the moves that take goods to a
    # customer in a company that runs the process (see _op_guarded): the
    # links to the order and the chain of moves are the process's, the route
    # is fixed once confirmed, nothing changes after the goods left; no
    # product is added to a delivery of the process. Odoo's own machinery
    # (reservation, validation, cancellation) runs inside doors; the last
    # door is _action_done.
    _op_guard = Guard(
        process=frozenset(
            {
                "state",
                "sale_line_id",
                "group_id",
                "origin_returned_move_id",
                "move_dest_ids",
                "move_orig_ids",
                "procure_method",
                "rule_id",
                "scrapped",
                "restrict_partner_id",
                "created_production_id",
                "production_id",
                "raw_material_production_id",
                "purchase_line_id",
                "created_purchase_line_ids",
            }
        ),
        create="_op_check_can_add_move",
        editable={
            "draft": ALL,
            "waiting": UNDER_WAY,
            "confirmed": UNDER_WAY,
            "partially_available": UNDER_WAY,
            "assigned": UNDER_WAY,
            "done": NOTHING,
            "cancel": NOTHING,
        },
        deletable=frozenset({"draft"}),
        doors=True,
    )

    # ------------------------------------------------------------ the guard's scope
    def _op_guarded(self):
        """The moves that take goods to a customer and that the process
        answers for (see stock.picking._op_ships_to_customer), and the moves
        of the orders of the process."""
        return self.filtered(lambda m: read_across(m)._op_ships_to_customer())

    def _op_ships_to_customer(self):
        self.ensure_one()
        if self.sale_line_id.order_id.op_active:
            return True
        if self.picking_id:
            return bool(self.picking_id._op_guarded()) and (
                self.picking_id._op_ships_to_customer()
            )
        return bool(
            self.company_id.op_enabled
            and self.location_dest_id.usage == "customer"
            and not self.sale_line_id
        )

    def _op_guarded_vals(self, vals):
        picking = self.env["stock.picking"].browse(vals.get("picking_id"))
        if picking:
            return bool(picking._op_guarded()) and picking._op_ships_to_customer()
        sale_line = read_across(self.env["sale.order.line"]).browse(
            vals.get("sale_line_id")
        )
        destination = read_across(self.env["stock.location"]).browse(
            vals.get("location_dest_id")
        )
        company = (
            self.env["res.company"].browse(vals.get("company_id")) or self.env.company
        )
        return bool(sale_line.order_id.op_active) or bool(
            read_across(company).op_enabled and destination.usage == "customer"
        )

    def _op_check_can_add_move(self, vals):
        """R23, R26: what a delivery of the process ships is its order's and
        its shipping order's; no product is added to it by hand."""
        picking = read_across(self.env["stock.picking"]).browse(vals.get("picking_id"))
        if picking.op_process_delivery:
            raise UserError(
                self.env._(
                    "%(delivery)s ships an order of the Order Process: its "
                    "products and quantities are the order's (a change of the "
                    "order is a new order; a shipment that changes is a new "
                    "shipping order).",
                    delivery=picking.name,
                )
            )

    # ------------------------------------------------------------ helpers
    def _op_sale_order(self):
        """The customer order a move ships: its sale line's, else its
        picking's (a picking may group several orders)."""
        self.ensure_one()
        return self.sale_line_id.order_id or self.picking_id.sale_id

    def _op_to_customer(self):
        """Of these moves, those whose goods go to a customer location (the
        move's destination or one of its lines')."""
        return self.filtered(
            lambda m: (
                m.location_dest_id.usage == "customer"
                or "customer" in m.move_line_ids.location_dest_id.mapped("usage")
            )
        )

    # ------------------------------------------------------------ R21
    def _op_check_payment_before_shipment(self):
        """R21: goods of an order paid before shipment leave for the customer
        only once it is paid, or released by a manager with a reason.
        Returns and internal steps (pick, pack) do not go to a customer and
        are not held."""
        blocked = {}
        for move in read_across(self):
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

    # ------------------------------------------------------------ the last door
    def _op_check_leaving(self):
        """R21, R23-R27, R36: the last door. Goods reach a customer, in a
        company that runs the process, only (a) for an order of the process,
        through its delivery's shipping steps, or (b) without any customer
        order, through a recorded release. Whatever calls it (Odoo's
        validation, POS, an OCA module), and whoever: the superuser too."""
        moves = read_across(self).filtered(lambda m: m.state != "cancel")
        leaving = moves._op_to_customer() | moves.filtered(
            "picking_id.op_process_delivery"
        )
        for move in leaving:
            order = move.sale_line_id.order_id
            if order.op_active and not move.picking_id.op_process_delivery:
                raise UserError(
                    self.env._(
                        "%(product)s of %(order)s leaves for the customer only "
                        "through the order's delivery and its shipping steps "
                        "(R23-R27).",
                        product=move.product_id.display_name,
                        order=order.name,
                    )
                )
        pickings = leaving.picking_id
        pickings.filtered("op_process_delivery").with_env(
            self.env
        )._op_check_ready_to_ship()
        pickings.with_env(self.env)._op_check_released()
        orphans = leaving.filtered(
            lambda m: (
                not m.picking_id and m.company_id.op_enabled and not m.sale_line_id
            )
        )
        if orphans:
            raise UserError(
                self.env._(
                    "%(products)s would reach a customer without a transfer: "
                    "nothing leaves outside the process's documents (R27).",
                    products=", ".join(orphans.product_id.mapped("display_name")),
                )
            )
        return leaving

    def _action_done(self, cancel_backorder=False):
        # The side door too: POS and OCA modules call this without
        # button_validate.
        self._op_check_payment_before_shipment()
        leaving = self._op_check_leaving()
        with door():
            moves = super()._action_done(cancel_backorder=cancel_backorder)
        # Issue 18: every to-do of a delivery that left is done.
        self.picking_id._op_end_todos()
        # How they left: the steps were checked above (R29 counts only these).
        left = leaving.picking_id.filtered(lambda p: p.state == "done")
        process_write(
            left.filtered("op_process_delivery"), {"op_left_through": "steps"}
        )
        process_write(
            left.filtered(
                lambda p: not p.op_process_delivery and p.op_outgoing_release_ids
            ),
            {"op_left_through": "release"},
        )
        return moves

    # ------------------------------------------------------------ doors
    # Odoo's own machinery, which writes what the guard keeps from clients.
    @doorway
    def _action_confirm(self, merge=True, merge_into=False):
        return super()._action_confirm(merge=merge, merge_into=merge_into)

    @doorway
    def _action_assign(self, force_qty=False):
        return super()._action_assign(force_qty=force_qty)

    @doorway
    def _action_cancel(self):
        res = super()._action_cancel()
        # Issue 18: the to-dos of a cancelled delivery go.
        self.picking_id._op_end_todos()
        return res

    @doorway
    def _do_unreserve(self):
        return super()._do_unreserve()

    @doorway
    def _recompute_state(self):
        return super()._recompute_state()

    @doorway
    def _split(self, qty, restrict_partner_id=False):
        return super()._split(qty, restrict_partner_id=restrict_partner_id)

    @doorway
    def _merge_moves(self, merge_into=False):
        return super()._merge_moves(merge_into=merge_into)
