# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .order_process_guard import Editable, Guard


class OrderLoadingCheckLine(models.Model):
    """A line of D11 checked against the goods at loading (R26)."""

    _name = "order.loading.check.line"
    _inherit = ["order.process.guard"]
    _description = "Loading Check Line (D11)"
    _order = "check_id, id"

    # Guard (order.process.guard): while loading, the loader and the keeper
    # record the loaded quantity, tick the line and explain a difference;
    # whether it matches is computed, never typed.
    _op_guard = Guard(
        process=frozenset(
            {"check_id", "move_id", "product_id", "uom_id", "qty_expected", "matches"}
        ),
        state="check_id.state",
        editable={"draft": Editable(only={"qty_loaded", "checked", "mismatch_reason"})},
        deletable=frozenset(),
    )

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

    @api.constrains("qty_loaded")
    def _check_qty_loaded(self):
        """R37: a loaded quantity is counted goods: never negative."""
        for line in self:
            if line.qty_loaded < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the loaded quantity cannot be negative.",
                        product=line.product_id.display_name,
                    )
                )

    def _op_max_quantity(self):
        """The most this line may load: its D10 quantity and the company's
        tolerance (R23, R26)."""
        self.ensure_one()
        tolerance = self.check_id.company_id.op_ship_qty_tolerance or 0.0
        return self.qty_expected * (1 + tolerance / 100.0)

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
