# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import float_compare

from .order_process_mixin import Editable


class OrderLoadingCheckLine(models.Model):
    """A line of D11 checked against the goods at loading (R26)."""

    _name = "order.loading.check.line"
    _inherit = ["order.process.mixin"]
    _description = "Loading Check Line (D11)"
    _order = "check_id, id"

    check_id = fields.Many2one(
        "order.loading.check", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    move_id = fields.Many2one("stock.move", string="Delivery Line", readonly=True)
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    uom_id = fields.Many2one("uom.uom", string="Unit", required=True, readonly=True)
    qty_expected = fields.Float(
        string="To Ship", digits="Product Unit of Measure", readonly=True
    )
    qty_loaded = fields.Float(string="Loaded", digits="Product Unit of Measure")
    checked = fields.Boolean(help="Checked against the goods on the vehicle.")
    matches = fields.Boolean(compute="_compute_matches", store=True)
    mismatch_reason = fields.Char(string="Reason of the Difference")

    # Guard (order.process.mixin): while loading, the loader and the keeper
    # record the loaded quantity, tick the line and explain a difference;
    # whether it matches is computed, never typed.
    _op_process_fields = frozenset(
        {"check_id", "move_id", "product_id", "uom_id", "qty_expected", "matches"}
    )
    _op_state_field = "check_id.state"
    _op_editable = {
        "draft": Editable(only={"qty_loaded", "checked", "mismatch_reason"})
    }
    _op_deletable_states = frozenset()

    @api.depends("qty_loaded", "qty_expected", "uom_id")
    def _compute_matches(self):
        for line in self:
            line.matches = (
                float_compare(
                    line.qty_loaded,
                    line.qty_expected,
                    precision_rounding=line.uom_id.rounding or 0.001,
                )
                == 0
            )
