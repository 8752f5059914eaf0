# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, float_compare

from .elevation import process_create, process_write, read_across
from .order_process_guard import Editable, Guard

_lt = LazyTranslate(__name__)

PREPARE = "order_process_addon.mail_activity_type_prepare_shipment"
GATE = "order_process_addon.mail_activity_type_gate_check"
GATE_HOLD = "order_process_addon.mail_activity_type_gate_hold"


class OrderLoadingCheck(models.Model):
    """D11, the delivery note checked at loading (R26): the loader and the
    finished-goods keeper check every line against the goods and tick off
    each special requirement of the D10, then both sign, as two different
    people. A difference keeps its loaded quantity and a reason: it is
    never a match. Printed on Odoo's own delivery slip."""

    _name = "order.loading.check"
    _description = "Loading Check (D11)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the lines and the requirements are ticked
    # while loading; the rest is written by the steps, and the check is kept.
    _op_guard = Guard(
        process=frozenset(
            {
                "name",
                "picking_id",
                "shipping_order_id",
                "state",
                "mismatch",
                "loader_id",
                "loader_signed_on",
                "keeper_id",
                "keeper_signed_on",
                "void_reason",
            }
        ),
        editable={"draft": Editable(only={"line_ids", "requirement_ids"})},
        deletable=frozenset(),
    )

    name = fields.Char(readonly=True)
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    shipping_order_id = fields.Many2one("order.shipping.order", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Loading"),
            ("signing", "Signed by One"),
            ("signed", "Signed"),
            ("void", "Voided"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("order.loading.check.line", "check_id", string="Lines")
    requirement_ids = fields.One2many(
        "order.loading.check.requirement", "check_id", string="Special Requirements"
    )
    mismatch = fields.Boolean(
        compute="_compute_mismatch", store=True, string="Difference Recorded"
    )
    loader_id = fields.Many2one("res.users", readonly=True)
    loader_signed_on = fields.Datetime(readonly=True)
    keeper_id = fields.Many2one("res.users", readonly=True)
    keeper_signed_on = fields.Datetime(readonly=True)
    void_reason = fields.Text(readonly=True)

    @api.depends("line_ids.matches")
    def _compute_mismatch(self):
        for check in self:
            check.mismatch = any(not line.matches for line in check.line_ids)

    # ------------------------------------------------------------ steps
    def _check_can_sign(self):
        self.ensure_one()
        if self.state not in ("draft", "signing"):
            raise UserError(
                self.env._(
                    "%(check)s is %(state)s: it is not signed again.",
                    check=self.display_name,
                    state=self._op_state_label(),
                )
            )
        if self.env.user in (self.loader_id | self.keeper_id):
            raise UserError(
                self.env._(
                    "You already signed %(check)s: the loader and the keeper are "
                    "two different people (R26).",
                    check=self.display_name,
                )
            )
        unchecked = self.line_ids.filtered(lambda line: not line.checked)
        if unchecked:
            raise UserError(
                self.env._(
                    "Check every line against the goods first: %(products)s.",
                    products=", ".join(unchecked.product_id.mapped("display_name")),
                )
            )
        unexplained = self.line_ids.filtered(
            lambda line: not line.matches and not (line.mismatch_reason or "").strip()
        )
        if unexplained:
            raise UserError(
                self.env._(
                    "%(products)s: the loaded quantity differs from the shipping "
                    "order; record the reason of the difference (R26, R37).",
                    products=", ".join(unexplained.product_id.mapped("display_name")),
                )
            )
        over = self.line_ids.filtered(
            lambda line: (
                float_compare(
                    line.qty_loaded,
                    line._op_max_quantity(),
                    precision_rounding=line.uom_id.rounding or 0.001,
                )
                > 0
            )
        )
        if over:
            raise UserError(
                self.env._(
                    "%(products)s: more is loaded than the approved shipping order "
                    "(D10) ships, beyond the company's tolerance of %(tolerance)s %%. "
                    "To ship more, recall the shipping order and issue a new "
                    "version (R23, R24, R26).",
                    products=", ".join(over.product_id.mapped("display_name")),
                    tolerance=self.company_id.op_ship_qty_tolerance or 0,
                )
            )
        open_requirements = self.requirement_ids.filtered(lambda r: not r.checked)
        if open_requirements:
            raise UserError(
                self.env._(
                    "Tick off every special requirement before loading: "
                    "%(requirements)s (R26).",
                    requirements="; ".join(open_requirements.mapped("name")),
                )
            )

    def action_sign_loader(self):
        """R26: the loader signs."""
        return self._op_sign("loader")

    def action_sign_keeper(self):
        """R26: the finished-goods keeper signs."""
        return self._op_sign("keeper")

    def _op_sign(self, who):
        self._op_check_role("fg_warehouse")
        self.ensure_one()
        self._check_can_sign()
        signer = self[f"{who}_id"]
        if signer:
            raise UserError(
                self.env._(
                    "%(check)s is already signed by %(user)s in that role.",
                    check=self.display_name,
                    user=signer.name,
                )
            )
        other = "keeper" if who == "loader" else "loader"
        vals = {
            f"{who}_id": self.env.user.id,
            f"{who}_signed_on": fields.Datetime.now(),
        }
        vals["state"] = "signed" if self[f"{other}_id"] else "signing"
        process_write(self, vals)
        if vals["state"] == "signed":
            self.picking_id._op_done_activities(
                PREPARE,
                feedback=self.env._("%(check)s signed", check=self.display_name),
            )
            # Ends when the gate passes or the delivery leaves (R27).
            self.picking_id._op_notify_group(
                "administration",
                _lt(
                    "Check %(delivery)s at the gate (vehicle %(plate)s)",
                    delivery=self.picking_id.name,
                    plate=self.picking_id._op_vehicle_plate() or "-",
                ),
                activity_xmlid=GATE,
            )
        return True

    def action_void(self, reason=None):
        """A check made wrongly is voided with a reason and kept; a new
        check starts. Not once the delivery has left."""
        self._op_check_role("fg_warehouse")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for voiding it."))
        for check in self:
            if check.state == "void" or check.picking_id.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(check)s can no longer be voided.", check=check.display_name
                    )
                )
        signed = self.filtered(lambda c: c.state == "signed")
        process_write(self, {"state": "void", "void_reason": reason})
        # The gate waits for a new signed check, which asks it again.
        signed.picking_id._op_drop_activities([GATE, GATE_HOLD])
        return True

    # ------------------------------------------------------------ helpers
    @api.model
    def _op_new_for_picking(self, picking):
        """The check of ``picking``'s approved D10: its lines and its special
        requirements (server values only)."""
        picking.check_access("read")
        d10 = read_across(picking)._op_current_shipping_order()
        if not d10 or d10.state != "approved":
            raise UserError(
                self.env._(
                    "%(delivery)s has no approved shipping order (D10): loading "
                    "starts after the PMC clerk's approval (R23).",
                    delivery=picking.name,
                )
            )
        if picking.state in ("done", "cancel"):
            raise UserError(
                self.env._("%(delivery)s has already left.", delivery=picking.name)
            )
        if read_across(picking).op_loading_check_ids.filtered(
            lambda c: c.state != "void"
        ):
            raise UserError(
                self.env._(
                    "%(delivery)s is already being checked.", delivery=picking.name
                )
            )
        return process_create(
            self,
            {
                # The form and its delivery, the same in every language.
                "name": f"D11 {picking.name}",
                "picking_id": picking.id,
                "shipping_order_id": d10.id,
                "line_ids": [
                    fields.Command.create(
                        {
                            "move_id": line.move_id.id,
                            "product_id": line.product_id.id,
                            "uom_id": line.uom_id.id,
                            "qty_expected": line.quantity,
                            "qty_loaded": line.quantity,
                        }
                    )
                    for line in d10.line_ids
                ],
                "requirement_ids": [
                    fields.Command.create({"name": requirement})
                    for requirement in d10._op_requirements()
                ],
            },
        )
