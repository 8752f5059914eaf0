# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "order.process.mixin"]

    # Guard (order.process.mixin): what the process computes is not typed.
    _op_process_fields = frozenset(
        {
            "op_process_delivery",
            "op_shipping_step",
            "op_ship_date",
            "op_d10_deadline",
            "op_d10_escalated",
        }
    )
    _op_state_field = None

    op_process_delivery = fields.Boolean(
        string="Process Delivery",
        compute="_compute_op_process_delivery",
        store=True,
        index=True,
        help="An outgoing delivery of an order that follows the Order Process: "
        "it ships through the process's steps (R23-R28).",
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
            orders = picking.sudo()._op_sale_orders()
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
                and picking.sudo()._op_sale_orders().filtered("op_active")
            )

    def _op_sale_orders(self):
        """The customer orders of these pickings, through their moves (a
        picking may group several orders) and their own order."""
        return self.move_ids.sale_line_id.order_id | self.sale_id

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
        unsigned = self.sudo().sale_id.filtered(
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
        self.sudo().move_ids.move_dest_ids.raw_material_production_id._op_check_released()
        # R21: the same check as stock.move._action_done, before any wizard.
        self.move_ids._op_check_payment_before_shipment()
        # R23-R27: the steps of the shipment, at both doors too.
        self.filtered("op_process_delivery")._op_check_ready_to_ship()
        return super().button_validate()

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
        pickings = self.sudo().filtered(
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
