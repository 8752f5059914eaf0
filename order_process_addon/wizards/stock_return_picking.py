# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..models.order_process_guard import doorway


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    # After the goods left, Odoo's own Return is the way back (R35): it links
    # the return's moves to those that left, inside a door of the guard.
    @doorway
    def _create_return(self):
        return super()._create_return()
