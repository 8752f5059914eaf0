# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .elevation import process_write
from .order_process_guard import Guard


class OrderFgReceipt(models.Model):
    """D8, the finished-goods receipt (R17): Production delivers the goods,
    the keeper counts them together with the deliverer and signs; a mismatch
    is recorded with both quantities and a reason, never corrected."""

    _name = "order.fg.receipt"
    _description = "Finished-Goods Receipt (D8)"
    _inherit = ["mail.thread", "order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): delivered by Production's step, counted
    # and signed by the keeper's step; nobody edits it (R17).
    _op_guard = Guard(
        process="__all__",
        editable={},
        deletable=frozenset(),
    )

    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="production_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(related="production_id.product_id", store=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Customer Order", readonly=True, index="btree_not_null"
    )
    qty_delivered = fields.Float(
        string="Delivered Quantity", readonly=True, help="Production's quantity."
    )
    qty_counted = fields.Float(string="Counted Quantity", readonly=True)
    mismatch = fields.Boolean(readonly=True)
    mismatch_reason = fields.Text(readonly=True)
    deliverer_id = fields.Many2one("res.users", readonly=True)
    keeper_id = fields.Many2one("res.users", readonly=True)
    state = fields.Selection(
        [("draft", "Delivered"), ("signed", "Signed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    delivered_on = fields.Datetime(
        readonly=True,
        help="When Production delivered the goods to the warehouse: the "
        "start of the keeper's count (R30 reads it; receipts made before "
        "this field read their creation).",
    )
    signed_on = fields.Datetime(readonly=True)

    @api.depends("production_id.name")
    def _compute_display_name(self):
        # The form's number and its MO, the same in every language (as the
        # numbered forms D4/..., D10/...).
        for receipt in self:
            receipt.display_name = f"D8 {receipt.production_id.name or ''}".strip()

    def action_count_and_sign(self, qty_counted, deliverer, mismatch_reason=None):
        """The keeper (current user) counts with the deliverer and signs."""
        self.ensure_one()
        self._op_check_role("fg_warehouse")
        keeper = self.env.user
        if self.state != "draft":
            raise UserError(self.env._("The receipt is already signed."))
        if not isinstance(qty_counted, (int, float)) or qty_counted < 0:
            raise UserError(self.env._("The counted quantity must be a number ≥ 0."))
        if isinstance(deliverer, int) and not isinstance(deliverer, bool):
            deliverer = self.env["res.users"].browse(deliverer).exists()
        if (
            not isinstance(deliverer, models.BaseModel)
            or deliverer._name != "res.users"
        ):
            deliverer = self.env["res.users"]
        if not deliverer or deliverer == keeper:
            raise UserError(
                self.env._(
                    "The count is made by the keeper together with the deliverer: "
                    "two different people (R17)."
                )
            )
        if not deliverer.has_group("order_process_addon.group_production"):
            raise UserError(self.env._("The deliverer is someone of Production."))
        rounding = self.production_id.product_uom_id.rounding
        mismatch = (
            float_compare(qty_counted, self.qty_delivered, precision_rounding=rounding)
            != 0
        )
        if mismatch and not self._op_text(mismatch_reason):
            raise UserError(
                self.env._(
                    "Counted %(counted)s, delivered %(delivered)s: record the reason "
                    "of the difference.",
                    counted=qty_counted,
                    delivered=self.qty_delivered,
                )
            )
        process_write(
            self,
            {
                "qty_counted": qty_counted,
                "mismatch": mismatch,
                "mismatch_reason": mismatch_reason if mismatch else False,
                "deliverer_id": deliverer.id,
                "keeper_id": keeper.id,
                "state": "signed",
                "signed_on": fields.Datetime.now(),
            },
        )
        # R19: the goods are in, the payment is followed up; R23: the
        # merchandiser is asked for the shipping order.
        self.sale_order_id._op_start_payment_follow_up()
        self.sale_order_id.picking_ids._op_ask_shipping_order()
        return True
