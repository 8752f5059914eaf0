# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class OrderCarrierBookingWizard(models.TransientModel):
    """The shipping group's booking of a vehicle for a delivery (R25): the
    form that creates the booking as the user; the booking keeps the rules
    (``order.carrier.booking._check_can_book``)."""

    _name = "order.carrier.booking.wizard"
    _description = "Book a Carrier"

    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", required=True, readonly=True
    )
    company_id = fields.Many2one(related="picking_id.company_id")
    contract_id = fields.Many2one(
        "order.carrier.contract",
        string="Carrier Contract",
        required=True,
        domain="[('company_id', '=', company_id), ('is_valid', '=', True)]",
        help="A contract valid on the planned arrival date.",
    )
    vehicle_plate = fields.Char(required=True)
    driver_name = fields.Char()
    driver_phone = fields.Char()
    planned_arrival = fields.Datetime(required=True)

    def action_book(self):
        self.ensure_one()
        self.env["order.carrier.booking"].create(
            {
                "picking_id": self.picking_id.id,
                "contract_id": self.contract_id.id,
                "vehicle_plate": self.vehicle_plate,
                "driver_name": self.driver_name,
                "driver_phone": self.driver_phone,
                "planned_arrival": self.planned_arrival,
            }
        )
        return {"type": "ir.actions.act_window_close"}
