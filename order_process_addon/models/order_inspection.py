# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .elevation import process_write
from .order_process_guard import By, Guard, Roles

KINDS = [
    ("key_process", "Key-Process Inspection Record (D5)"),
    ("patrol", "Patrol Inspection Record (D6)"),
]
FORMS = {"key_process": "D5", "patrol": "D6"}
INSPECTOR_ROLE = {"key_process": "production", "patrol": "quality"}


class OrderInspection(models.Model):
    """D5 and D6 (R15): Production's full inspectors record key-process
    inspections; Quality's patrol inspectors patrol production and spot-check
    the D5 records. Records are voided, never deleted."""

    _name = "order.inspection"
    _description = "Inspection Record (D5, D6)"
    _inherit = ["mail.thread", "order.process.guard"]
    _order = "inspected_on desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): recorded once, then only voided (R35).
    _op_guard = Guard(
        process=frozenset({"state", "void_reason", "inspector_id"}),
        fixed=frozenset({"kind", "production_id"}),
        # Production's full inspectors record D5, Quality's patrol D6 (R15).
        create=By(
            "kind",
            {kind: Roles(role) for kind, role in INSPECTOR_ROLE.items()},
            missing=lambda env: env._("Choose the kind of inspection."),
        ),
        editable={},
        deletable=frozenset(),
    )

    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="production_id.company_id", store=True, index=True, precompute=True
    )
    workcenter_id = fields.Many2one(
        "mrp.workcenter", string="Key Operation / Work Center", check_company=True
    )
    inspector_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    inspected_on = fields.Datetime(required=True, default=fields.Datetime.now)
    qty_checked = fields.Float(string="Quantity Checked", required=True)
    qty_defective = fields.Float(string="Defective Quantity")
    defect_types = fields.Char(help="e.g. burr, misalignment, adhesive overflow")
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")], required=True, tracking=True
    )
    notes = fields.Text()
    spot_check_of_id = fields.Many2one(
        "order.inspection",
        string="Spot Check Of (D5)",
        domain="[('kind', '=', 'key_process'), ('production_id', '=', production_id)]",
        help="The key-process inspection a patrol inspector spot-checked.",
    )
    finding = fields.Text(string="Spot-Check Finding")
    state = fields.Selection(
        [("valid", "Valid"), ("voided", "Voided")],
        default="valid",
        required=True,
        readonly=True,
        tracking=True,
    )
    void_reason = fields.Char(readonly=True)

    @api.depends("kind", "production_id.name")
    def _compute_display_name(self):
        # The form's number (D5 or D6) and its MO, the same in every language.
        for inspection in self:
            form = FORMS.get(inspection.kind, "D5/D6")
            inspection.display_name = (
                f"{form} {inspection.production_id.name or ''}".strip()
            )

    @api.constrains("qty_checked", "qty_defective")
    def _check_quantities(self):
        """R37: a positive checked quantity, defects between 0 and it."""
        for record in self:
            if record.qty_checked <= 0 or not (
                0 <= record.qty_defective <= record.qty_checked
            ):
                raise ValidationError(
                    self.env._(
                        "The checked quantity must be positive and the defective "
                        "quantity between zero and the checked quantity."
                    )
                )

    @api.constrains("spot_check_of_id", "kind")
    def _check_spot_check(self):
        for inspection in self:
            if inspection.spot_check_of_id and inspection.kind != "patrol":
                raise ValidationError(
                    self.env._("Only a patrol inspection spot-checks.")
                )

    def _op_complete_vals(self, vals):
        vals["inspector_id"] = self.env.user.id

    def action_void(self, reason):
        for record in self:
            self._op_check_role(INSPECTOR_ROLE[record.kind])
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for voiding the record."))
        if any(record.state == "voided" for record in self):
            raise UserError(self.env._("The record is already voided."))
        process_write(self, {"state": "voided", "void_reason": reason})
        return True
