# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        """R8, R37: nothing ships for an order the customer has not signed."""
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
        return super().button_validate()
