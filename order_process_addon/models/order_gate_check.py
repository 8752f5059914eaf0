# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import process_write, read_across
from .order_process_guard import Guard, Roles

_lt = LazyTranslate(__name__)

GATE = "order_process_addon.mail_activity_type_gate_check"
GATE_HOLD = "order_process_addon.mail_activity_type_gate_hold"


class OrderGateCheck(models.Model):
    """The check of the goods at the factory gate by Administration (R27):
    time, vehicle plate, seal number or note, pass or hold with a reason.
    A delivery of the process is validated only after a passed check of its
    signed loading check; a hold tells the merchandiser and the warehouse.
    Recorded once by its author and kept."""

    _name = "order.gate.check"
    _description = "Gate Check"
    _inherit = ["mail.thread", "order.process.guard"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): Administration gives what it saw when it
    # records the check; nothing changes afterwards.
    _op_guard = Guard(
        process=frozenset(
            {"loading_check_id", "checked_by_id", "checked_on", "state", "void_reason"}
        ),
        fixed=frozenset(
            {
                "picking_id",
                "vehicle_plate",
                "seal_number",
                "note",
                "result",
                "hold_reason",
            }
        ),
        state=None,
        # Administration records what it saw at the gate (R27), for a
        # delivery loaded and signed.
        create=Roles("administration"),
        after_create="_check_can_record",
        deletable=frozenset(),
    )

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    loading_check_id = fields.Many2one("order.loading.check", readonly=True)
    checked_by_id = fields.Many2one("res.users", readonly=True, default=None)
    checked_on = fields.Datetime(readonly=True)
    vehicle_plate = fields.Char(required=True)
    seal_number = fields.Char()
    note = fields.Text()
    result = fields.Selection(
        [("pass", "Pass"), ("hold", "Hold")], required=True, tracking=True
    )
    hold_reason = fields.Text()
    state = fields.Selection(
        [("valid", "Valid"), ("void", "Voided")],
        default="valid",
        required=True,
        readonly=True,
        tracking=True,
    )
    void_reason = fields.Text(readonly=True)

    @api.depends_context("lang")
    @api.depends("picking_id", "result", "checked_on")
    def _compute_display_name(self):
        for check in self:
            check.display_name = self.env._(
                "Gate check %(delivery)s: %(result)s",
                delivery=check.picking_id.name or "",
                result=dict(
                    self._fields["result"]._description_selection(self.env)
                ).get(check.result, ""),
            )

    def _op_complete_vals(self, vals):
        vals["checked_by_id"] = self.env.user.id
        vals["checked_on"] = fields.Datetime.now()
        picking = read_across(self.env["stock.picking"]).browse(vals.get("picking_id"))
        check = picking.op_loading_check_ids.filtered(lambda c: c.state != "void")[:1]
        vals["loading_check_id"] = check.id

    def _check_can_record(self):
        self.ensure_one()
        picking = read_across(self.picking_id)
        if not picking.op_process_delivery or picking.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "%(delivery)s is not a delivery of the Order Process waiting "
                    "at the gate.",
                    delivery=picking.name,
                )
            )
        if self.loading_check_id.state != "signed":
            raise UserError(
                self.env._(
                    "%(delivery)s is not loaded yet: the gate check follows the "
                    "signed loading check (D11, R26, R27).",
                    delivery=picking.name,
                )
            )
        if not (self.vehicle_plate or "").strip():
            raise UserError(self.env._("Give the vehicle plate."))
        if self.result == "hold" and not (self.hold_reason or "").strip():
            raise UserError(self.env._("A hold needs its reason (R27)."))

    @api.model_create_multi
    def create(self, vals_list):
        gates = super().create(vals_list)
        for gate in gates:
            picking = gate.picking_id
            if gate.result == "pass":
                # R27: the gate's to-do and any hold's are done.
                picking._op_done_activities(
                    [GATE, GATE_HOLD],
                    feedback=self.env._(
                        "Passed the gate (vehicle %(plate)s)",
                        plate=gate.vehicle_plate,
                    ),
                )
                continue
            summary = _lt(
                "%(delivery)s held at the gate: %(reason)s",
                delivery=picking.name,
                reason=gate.hold_reason,
            )
            # Until the gate passes, or the hold is voided.
            orders = read_across(picking)._op_sale_orders()
            todos = picking._op_notify_user(
                orders.op_merchandiser_id[:1], summary, activity_xmlid=GATE_HOLD
            )
            todos |= picking._op_notify_group(
                "fg_warehouse", summary, activity_xmlid=GATE_HOLD
            )
            # Issue 21: the groups of both hear of it too.
            self.env["order.robot.outbox"]._op_queue_event(
                "gate_hold",
                gate,
                ("customer_mgmt", "fg_warehouse"),
                users=todos.user_id,
            )
        return gates

    def action_void(self, reason=None):
        """A check recorded by mistake is voided with a reason and kept."""
        self._op_check_role("administration")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for voiding it."))
        for gate in self:
            if gate.state == "void" or gate.picking_id.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(check)s can no longer be voided.", check=gate.display_name
                    )
                )
        process_write(self, {"state": "void", "void_reason": reason})
        # A hold recorded by mistake: its notices go. A pass recorded by
        # mistake: the gate check is to do again.
        self.filtered(lambda g: g.result == "hold").picking_id._op_drop_activities(
            GATE_HOLD
        )
        for picking in read_across(
            self.filtered(lambda g: g.result == "pass").picking_id
        ):
            check = picking._op_current_loading_check()
            if (
                check.state == "signed"
                and not picking._op_gate_passed()
                and not picking._op_activities(GATE)
            ):
                picking._op_notify_group(
                    "administration",
                    _lt(
                        "Check %(delivery)s at the gate (vehicle %(plate)s)",
                        delivery=picking.name,
                        plate=picking._op_vehicle_plate() or "-",
                    ),
                    activity_xmlid=GATE,
                )
        return True
