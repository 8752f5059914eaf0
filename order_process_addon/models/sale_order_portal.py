# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's view of an order of the process (R8, R23, R26): where the
order is, in plain words, on the customer portal. Only what the customer
may know: never review comments or reasons, internal notes, costs or
margins."""

from odoo import api, fields, models
from odoo.tools import format_date

from .elevation import as_messenger, portal_read

PORTAL_STAGES = [
    ("review", "Under Review"),
    ("sign", "Awaiting Your Signature"),
    ("production", "In Production"),
    ("ready", "Ready to Ship"),
    ("shipped", "Shipped"),
    ("cancel", "Cancelled"),
]
# The steps the customer sees, in their order (a cancelled order has none).
PORTAL_STEPS = ("review", "sign", "production", "ready", "shipped")
# The process stages the customer sees as "under review": a returned order
# is corrected by the company, a reviewed one waits for its answer.
UNDER_REVIEW = ("draft", "review", "returned", "reviewed")
# Shipping steps after an approved shipping order (D10): the ship date holds.
SHIP_DATE_SET = ("to_prepare", "loading", "at_gate", "ready")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    op_portal_stage = fields.Selection(
        PORTAL_STAGES,
        string="Where Is My Order",
        compute="_compute_op_portal_stage",
        help="The stage of an order of the process as its customer sees it "
        "on the portal.",
    )
    op_portal_stage_label = fields.Char(
        string="Order Status for the Customer",
        compute="_compute_op_portal_stage",
    )
    op_portal_ship_date = fields.Date(
        string="Planned Ship Date",
        compute="_compute_op_portal_stage",
        help="The ship date of the approved shipping order (D10) of the next delivery.",
    )

    @api.depends(
        "op_active",
        "op_state",
        "picking_ids.state",
        "picking_ids.op_shipping_step",
        "picking_ids.op_ship_date",
    )
    def _compute_op_portal_stage(self):
        stage_names = dict(
            self._fields["op_portal_stage"]._description_selection(self.env)
        )
        for order in self:
            stage, ship_date = order._op_portal_stage()
            order.op_portal_stage = stage
            order.op_portal_ship_date = ship_date
            if not stage:
                order.op_portal_stage_label = False
            elif stage == "ready" and ship_date:
                order.op_portal_stage_label = self.env._(
                    "Ready to ship on %(date)s",
                    date=format_date(self.env, ship_date),
                )
            else:
                order.op_portal_stage_label = stage_names[stage]

    def action_op_register(self):
        """The customer follows the order from its registration (R3): the
        portal shows it under review and then to sign, as Odoo shows the
        orders its customer follows (issue 18, item 4)."""
        res = super().action_op_register()
        for order in as_messenger(self):
            order.message_subscribe(partner_ids=order.partner_id.ids)
        return res

    def _op_portal_stage(self):
        """(stage, ship date) of the order for its customer; no stage for an
        order outside the process."""
        self.ensure_one()
        if not self.op_active:
            return False, False
        if self.op_state == "cancel" or self.state == "cancel":
            return "cancel", False
        if self.op_state in UNDER_REVIEW:
            return "review", False
        if self.op_state == "answered":
            return "sign", False
        deliveries = portal_read(self)._op_portal_deliveries()
        open_deliveries = deliveries.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        dated = open_deliveries.filtered(
            lambda p: p.op_shipping_step in SHIP_DATE_SET and p.op_ship_date
        )
        if dated:
            return "ready", min(dated.mapped("op_ship_date"))
        if open_deliveries or not deliveries.filtered(lambda p: p.state == "done"):
            return "production", False
        return "shipped", False

    def _op_portal_deliveries(self):
        """The order's outgoing deliveries of the process (returns apart)."""
        self.ensure_one()
        return self.picking_ids.filtered(
            lambda p: p.op_process_delivery and p.picking_type_code == "outgoing"
        )

    def _op_portal_steps(self):
        """The steps of the "Where is my order" block: dicts with the label
        and whether the step is done, current or to come."""
        self.ensure_one()
        stage = self.op_portal_stage
        if not stage or stage == "cancel":
            return []
        labels = {
            "review": self.env._("Under review"),
            "sign": self.env._("Awaiting your signature"),
            "production": self.env._("In production"),
            "ready": self.env._("Ready to ship"),
            "shipped": self.env._("Shipped"),
        }
        if self.op_portal_ship_date:
            labels["ready"] = self.op_portal_stage_label
        current = PORTAL_STEPS.index(stage)
        return [
            {
                "key": key,
                "label": labels[key],
                "status": "done"
                if index < current
                else ("current" if index == current else "todo"),
            }
            for index, key in enumerate(PORTAL_STEPS)
        ]

    def _op_portal_details(self):
        """One sentence about the current stage, for the customer."""
        self.ensure_one()
        stage = self.op_portal_stage
        if stage == "review":
            return self.env._(
                "Our departments are reviewing your order; we will send you "
                "our confirmation to sign."
            )
        if stage == "sign":
            return self.env._(
                "We confirmed your order with the delivery date and conditions "
                "below: please sign it to start production."
            )
        if stage == "production":
            received = portal_read(self.env["order.fg.receipt"]).search_count(
                [("sale_order_id", "=", self.id), ("state", "=", "signed")],
                limit=1,
            )
            if received:
                return self.env._(
                    "Your goods are made and stored in our warehouse; the "
                    "shipment is being scheduled."
                )
            return self.env._("Your goods are being made.")
        if stage == "ready":
            return self.env._(
                "Your goods are planned to leave our factory on %(date)s.",
                date=format_date(self.env, self.op_portal_ship_date),
            )
        if stage == "shipped":
            return self.env._("Your goods have left our factory.")
        if stage == "cancel":
            return self.env._("This order is cancelled.")
        return False

    def _op_portal_shipments(self):
        """The deliveries that left, with what the customer needs to receive
        them: date, carrier, tracking reference, vehicle plate and the
        delivery note (D11)."""
        self.ensure_one()
        shipped = (
            portal_read(self)
            ._op_portal_deliveries()
            .filtered(lambda p: p.state == "done")
            .sorted("date_done")
        )
        return [
            {
                "picking": picking,
                "name": picking.name,
                "date": format_date(
                    self.env,
                    fields.Datetime.context_timestamp(picking, picking.date_done),
                )
                if picking.date_done
                else False,
                "carrier": picking.carrier_id.name or False,
                "tracking_ref": picking.carrier_tracking_ref or False,
                "plate": picking._op_portal_vehicle_plate(),
            }
            for picking in shipped
        ]
