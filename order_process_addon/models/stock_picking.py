# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import as_messenger, process_create, read_across
from .order_process_guard import ALL, Editable, Guard, doorway

# Where a transfer's goods go, from where, for whom and how (R23-R27):
# chosen while it is a draft, the process's once it is confirmed.
PICKING_ROUTE = frozenset(
    {"picking_type_id", "location_id", "location_dest_id", "partner_id", "company_id"}
)
# What still changes once the goods left (R35): a note, the carrier's
# tracking number, the print and lock flags. Anything else goes through
# Odoo's own Return.
PICKING_AFTER_LEFT = Editable(
    only={"note", "printed", "carrier_tracking_ref", "is_locked"}
)
UNDER_WAY = Editable(but=PICKING_ROUTE)


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "order.process.mixin"]

    # Guard (order.process.guard), in a company that runs the process: what
    # the process computes and links is never typed; a transfer to a customer
    # (a process delivery, or any outgoing transfer) keeps its route once
    # confirmed and nothing but its note after it left; it moves only through
    # its buttons (Odoo's own machinery runs inside doors; the last door is
    # stock.move._action_done).
    _op_guard = Guard(
        process=frozenset(
            {
                "op_process_delivery",
                "op_shipping_step",
                "op_ship_date",
                "op_d10_deadline",
                "op_d10_escalated",
                "op_left_through",
                "state",
                "date_done",
                "sale_id",
                "group_id",
                "backorder_id",
                "return_id",
            }
        ),
        state="_op_guard_state",
        editable={
            "other": ALL,
            "draft": ALL,
            "waiting": UNDER_WAY,
            "confirmed": UNDER_WAY,
            "assigned": UNDER_WAY,
            "done": PICKING_AFTER_LEFT,
            "cancel": PICKING_AFTER_LEFT,
        },
        deletable=frozenset({"other", "draft"}),
        doors=True,
    )

    op_process_delivery = fields.Boolean(
        string="Process Delivery",
        compute="_compute_op_process_delivery",
        store=True,
        index=True,
        help="An outgoing delivery of an order that follows the Order Process: "
        "it ships through the process's steps (R23-R28).",
    )

    op_outgoing_release_ids = fields.One2many(
        "order.outgoing.release",
        "picking_id",
        string="Releases Outside the Process",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_left_through = fields.Selection(
        [
            ("steps", "The Shipping Steps"),
            ("release", "A Recorded Release"),
        ],
        string="Left Through",
        readonly=True,
        copy=False,
        help="How the goods of this transfer reached the customer: through the "
        "shipping steps (approved D10, signed D11, gate check) or a release "
        "recorded by a manager (R27, R29). Empty for a transfer to a customer "
        "that left any other way (e.g. data migrated in): the achievement rate "
        "flags it rather than counting it.",
    )

    op_needs_release = fields.Boolean(
        string="Needs a Release",
        compute="_compute_op_needs_release",
        help="Takes goods to a customer without a customer order of the Order "
        "Process, and no manager has released it yet (R27).",
    )

    op_payment_override_ids = fields.Many2many(
        "order.payment.override",
        string="Shipments Before Payment",
        compute="_compute_op_payment",
        help="The releases of this delivery before payment (R21).",
    )
    op_waits_for_payment = fields.Boolean(
        string="Waits for Payment",
        compute="_compute_op_payment",
        help="An order of this delivery is paid before shipment and not paid "
        "yet (R21).",
    )

    @api.depends(
        "move_ids.sale_line_id.order_id.op_payment_state",
        "move_ids.sale_line_id.order_id.op_payment_condition",
        "move_ids.sale_line_id.order_id.op_payment_override_ids",
        "sale_id.op_payment_state",
        "sale_id.op_payment_condition",
        "sale_id.op_payment_override_ids",
    )
    def _compute_op_payment(self):
        for picking in self:
            orders = read_across(picking)._op_sale_orders()
            overrides = orders.op_payment_override_ids.filtered(
                lambda o, p=picking: not o.picking_ids or p in o.picking_ids
            )
            picking.op_payment_override_ids = overrides
            picking.op_waits_for_payment = bool(
                picking.picking_type_code == "outgoing"
                and orders._op_needs_payment().filtered(
                    lambda o, p=picking: not o.op_payment_override_ids._op_covers(p)
                )
            )

    @api.depends(
        "picking_type_id.code",
        "sale_id.op_active",
        "move_ids.sale_line_id.order_id.op_active",
    )
    def _compute_op_process_delivery(self):
        for picking in self:
            picking.op_process_delivery = bool(
                picking.picking_type_id.code == "outgoing"
                and read_across(picking)._op_sale_orders().filtered("op_active")
            )

    def _compute_op_needs_release(self):
        free = self._op_free_outgoing()
        for picking in self:
            picking.op_needs_release = picking in free and not (
                read_across(picking).op_outgoing_release_ids
            )

    def _op_sale_orders(self):
        """The customer orders of these pickings, through their moves (a
        picking may group several orders) and their own order."""
        return self.move_ids.sale_line_id.order_id | self.sale_id

    # ------------------------------------------------------------ the guard's scope
    def _op_guarded(self):
        """The transfers of a company that runs the process, and the
        process's deliveries wherever they are."""
        return self.filtered(
            lambda p: p.op_process_delivery or read_across(p).company_id.op_enabled
        )

    def _op_guarded_vals(self, vals):
        picking_type = read_across(self.env["stock.picking.type"]).browse(
            vals.get("picking_type_id")
        )
        company = (
            self.env["res.company"].browse(vals.get("company_id"))
            or picking_type.company_id
            or self.env.company
        )
        return read_across(company).op_enabled

    def _op_ships_to_customer(self):
        """Its goods go to a customer, and the process answers for them: a
        delivery of an order of the process, or a transfer to a customer
        that ships no order at all. (A delivery of an order that keeps
        Odoo's own flow, as its company or sales team decided, is Odoo's.)"""
        self.ensure_one()
        picking = read_across(self)
        if picking.op_process_delivery:
            return True
        orders = picking._op_sale_orders()
        if orders.filtered("op_active"):
            return True
        return not orders and (
            picking.picking_type_code == "outgoing"
            or picking.location_dest_id.usage == "customer"
            or "customer" in picking.move_ids.location_dest_id.mapped("usage")
        )

    def _op_guard_state(self):
        """The state the guard reads: the transfer's, when its goods go to a
        customer; otherwise "other" (Odoo's rules only)."""
        self.ensure_one()
        return self.state if self._op_ships_to_customer() else "other"

    # ------------------------------------------------------------ the last door
    def _op_free_outgoing(self):
        """Of these transfers, those that take goods to a customer without
        any customer order, in a company that runs the process: they leave
        only with a recorded release (R27, R36)."""
        return read_across(self).filtered(
            lambda p: (
                p.company_id.op_enabled
                and not p.op_process_delivery
                and not p._op_sale_orders()
                and p._op_ships_to_customer()
            )
        )

    def _op_check_released(self):
        """R27, R36: a transfer to a customer that ships no order of the
        process leaves only with a release recorded by the PMC manager or
        the General Manager, with the reason."""
        unreleased = self._op_free_outgoing().filtered(
            lambda p: not p.op_outgoing_release_ids
        )
        if unreleased:
            raise UserError(
                self.env._(
                    "%(transfers)s takes goods to a customer without a customer "
                    "order of the Order Process: it leaves only through a "
                    "release recorded by the PMC manager or the General "
                    "Manager, with the reason (R27).",
                    transfers=", ".join(unreleased.mapped("name")),
                )
            )

    def action_op_open_release_wizard(self):
        self.ensure_one()
        self._check_can_release_outgoing()
        return self.env["order.reason.wizard"]._op_action(
            self,
            "action_op_release_outgoing",
            self.env._("Release a Shipment Outside the Process"),
        )

    def _check_can_release_outgoing(self):
        self._op_check_role("pmc_manager", "general_manager")
        for picking in self:
            picking.check_access("read")
            if picking not in picking._op_free_outgoing() or picking.state in (
                "done",
                "cancel",
            ):
                raise UserError(
                    self.env._(
                        "%(transfer)s is not an open transfer to a customer outside "
                        "the customer orders: nothing to release (a delivery of an "
                        "order leaves through its shipping steps).",
                        transfer=picking.name,
                    )
                )

    def action_op_release_outgoing(self, reason=None):
        """R27, R36: the PMC manager or the General Manager lets a transfer
        to a customer without customer order leave, with the reason; kept
        as a record on the transfer."""
        self._check_can_release_outgoing()
        if not self._op_text(reason):
            raise UserError(
                self.env._("Give the reason for letting these goods leave.")
            )
        releases = self.env["order.outgoing.release"]
        for picking in self:
            releases |= process_create(
                releases, {"picking_id": picking.id, "reason": reason.strip()}
            )
            as_messenger(picking).message_post(
                body=self.env._(
                    "Released to leave outside the customer orders by %(user)s: "
                    "%(reason)s (R27)",
                    user=self.env.user.name,
                    reason=reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def button_validate(self):
        """R8, R37: nothing ships for an order the customer has not signed.
        R26, R27, R36: a delivery of the process is validated by the
        finished-goods warehouse (the shipping group), whoever else Odoo
        lets write deliveries."""
        process = self.filtered("op_process_delivery")
        if process:
            process.check_access("write")
            process._op_check_role("fg_warehouse")
        # Read as the process: the user validating may not read the order.
        unsigned = read_across(self).sale_id.filtered(
            lambda o: o.op_active and o.op_state != "effective"
        )
        if unsigned:
            raise UserError(
                self.env._(
                    "%(orders)s is not signed by the customer: nothing may be "
                    "shipped for it.",
                    orders=", ".join(unsigned.mapped("name")),
                )
            )
        # R14: materials are issued for a released plan only.
        read_across(
            self
        ).move_ids.move_dest_ids.raw_material_production_id._op_check_released()
        # R21: the same check as stock.move._action_done, before any wizard.
        self.move_ids._op_check_payment_before_shipment()
        # R23-R27: the steps of the shipment, before any wizard; checked
        # again at the last door (stock.move._action_done).
        self.move_ids._op_check_leaving()
        return super().button_validate()

    def action_cancel(self):
        """R24, R36: a delivery of the process is cancelled with its order
        ("Cancel the Signed Order", which runs as the process) or moved by
        recalling its shipping order, not from the warehouse's button."""
        self.check_access("write")
        process = self.filtered("op_process_delivery")
        if process and not self.env.su:
            raise UserError(
                self.env._(
                    "%(deliveries)s ships an order of the Order Process: it is "
                    "cancelled with its order (Cancel the Signed Order), or moved "
                    "by recalling its shipping order (R24).",
                    deliveries=", ".join(process.mapped("name")),
                )
            )
        return super().action_cancel()

    # ------------------------------------------------------------ doors
    # Odoo's own machinery, which writes what the guard keeps from clients;
    # the last door (stock.move._action_done) checks the steps whatever the
    # door.
    @doorway
    def _action_done(self):
        return super()._action_done()

    @doorway
    def _create_backorder(self, backorder_moves=None):
        return super()._create_backorder(backorder_moves=backorder_moves)

    def _op_check_ready_to_ship(self):
        """R23-R27: raise a UserError unless these process deliveries went
        through the shipping steps before they leave (approved D10, D11
        checked and signed, gate passed). Each step adds its check by
        overriding this method (and calling ``super()``); called from
        ``button_validate`` and from ``stock.move._action_done``."""
        return True

    # ------------------------------------------------------------ to-dos
    def _op_delivery_documents(self):
        """The documents of these deliveries whose to-dos end with them
        (hook: each shipping step adds its own, calling ``super()``)."""
        return []

    def _op_end_todos(self):
        """Issue 18, item 1: a delivery of the process that left has no
        shipping work left, one that was cancelled neither: the to-dos of
        the process on it and on its documents (D10s, bookings) are done
        (left) or removed (cancelled). An order delivered in full has no
        production or material to plan any more. Called when moves are
        done or cancelled (every path: button_validate, the side doors,
        the order's cancellation)."""
        pickings = as_messenger(self).filtered(
            lambda p: p.op_process_delivery and p.state in ("done", "cancel")
        )
        if not pickings:
            return
        left = pickings.filtered(lambda p: p.state == "done")
        cancelled = pickings - left
        if left:
            feedback = self.env._(
                "Left: %(deliveries)s validated",
                deliveries=", ".join(left.mapped("name")),
            )
            for records in [left, *left._op_delivery_documents()]:
                records._op_done_activities(None, feedback=feedback)
            delivered = left._op_sale_orders().filtered(
                lambda o: o.op_active and o.delivery_status == "full"
            )
            delivered._op_done_activities(
                [
                    "order_process_addon.mail_activity_type_plan",
                    "order_process_addon.mail_activity_type_plan_escalation",
                    "order_process_addon.mail_activity_type_material",
                ],
                feedback=feedback,
            )
        for records in [cancelled, *cancelled._op_delivery_documents()]:
            records._op_drop_activities()
