# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the customer portal shows of a delivery of the process."""

from odoo import models

from .elevation import portal_read


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _op_portal_vehicle_plate(self):
        """The booked vehicle's plate, else the plate recorded when the
        delivery passed the gate (R25, R27)."""
        self.ensure_one()
        plate = self._op_vehicle_plate()
        if plate:
            return plate
        passed = portal_read(self).op_gate_check_ids.filtered(
            lambda g: g.state == "valid" and g.result == "pass"
        )
        return passed.sorted("id")[-1:].vehicle_plate or False
