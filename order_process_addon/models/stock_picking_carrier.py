# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import read_across


class StockPicking(models.Model):
    """R25 on the delivery: the carrier bookings of a process delivery, its
    current vehicle, and whether that vehicle is late."""

    _inherit = "stock.picking"

    op_carrier_booking_ids = fields.One2many(
        "order.carrier.booking",
        "picking_id",
        string="Carrier Bookings",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_carrier_booking_id = fields.Many2one(
        "order.carrier.booking",
        string="Carrier Booking",
        compute="_compute_op_carrier_booking",
        groups="order_process_addon.group_user",
        help="The booking that is not voided, if any (R25).",
    )
    op_vehicle_plate = fields.Char(
        string="Vehicle", compute="_compute_op_carrier_booking"
    )
    op_planned_arrival = fields.Datetime(
        string="Planned Vehicle Arrival", compute="_compute_op_carrier_booking"
    )
    op_vehicle_arrived = fields.Boolean(
        string="Vehicle Arrived", compute="_compute_op_carrier_booking"
    )
    op_vehicle_late = fields.Boolean(
        string="Vehicle Late",
        compute="_compute_op_carrier_booking",
        search="_search_op_vehicle_late",
        help="The booked vehicle's planned arrival has passed and nobody "
        "confirmed its arrival (R25).",
    )

    @api.depends(
        "op_carrier_booking_ids.state",
        "op_carrier_booking_ids.vehicle_plate",
        "op_carrier_booking_ids.planned_arrival",
        "state",
    )
    def _compute_op_carrier_booking(self):
        # Read as the process: Odoo's stock users outside the process read
        # no booking, and see nothing here.
        for picking in self:
            booking = read_across(picking).op_carrier_booking_ids.filtered(
                lambda b: b.state != "voided"
            )[:1]
            picking.op_carrier_booking_id = booking
            picking.op_vehicle_plate = booking.vehicle_plate
            picking.op_planned_arrival = booking.planned_arrival
            picking.op_vehicle_arrived = booking.state == "arrived"
            picking.op_vehicle_late = booking.is_late

    def _search_op_vehicle_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late vehicles with = or != only."))
        late = (
            read_across(self.env["order.carrier.booking"])
            ._search([("is_late", "=", True)])
            .subselect("picking_id")
        )
        return [("id", "in" if (operator == "=") == value else "not in", late)]

    def _op_check_no_carrier_booking(self):
        """R25: one vehicle at a time; another one after voiding it."""
        for picking in self:
            booking = read_across(picking).op_carrier_booking_ids.filtered(
                lambda b: b.state != "voided"
            )[:1]
            if booking:
                raise UserError(
                    self.env._(
                        "%(delivery)s already has the booking %(booking)s: void it "
                        "first to book another vehicle.",
                        delivery=picking.name,
                        booking=booking.display_name,
                    )
                )

    def _op_check_ready_to_ship(self):
        """R25: the goods leave with the booked vehicle, whose arrival the
        shipping group confirmed."""
        super()._op_check_ready_to_ship()
        for picking in read_across(self):
            if not picking.op_vehicle_arrived:
                raise UserError(
                    self.env._(
                        "%(delivery)s: no booked vehicle has arrived (R25); book "
                        "the carrier and confirm the vehicle's arrival first.",
                        delivery=picking.name,
                    )
                )
        return True

    def _op_delivery_documents(self):
        return super()._op_delivery_documents() + [self.op_carrier_booking_ids]

    def _op_vehicle_plate(self):
        """The plate of the booked vehicle (R25), for the gate (R27)."""
        return self.op_vehicle_plate or super()._op_vehicle_plate()

    # ------------------------------------------------------------ buttons
    def action_op_book_carrier(self):
        """Open the booking dialog; the booking checks the rules."""
        self._op_check_role("fg_warehouse")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Book Carrier"),
            "res_model": "order.carrier.booking.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }

    def action_op_confirm_vehicle_arrival(self):
        self._op_check_role("fg_warehouse")
        self.ensure_one()
        booking = self.op_carrier_booking_id
        if not booking:
            raise UserError(self.env._("No carrier is booked for this delivery."))
        return booking.action_confirm_arrival()

    def action_op_void_carrier_booking(self):
        self._op_check_role("fg_warehouse")
        self.ensure_one()
        booking = self.op_carrier_booking_id
        if not booking:
            raise UserError(self.env._("No carrier is booked for this delivery."))
        return self.env["order.reason.wizard"]._op_action(
            booking, "action_void", self.env._("Void Carrier Booking")
        )
