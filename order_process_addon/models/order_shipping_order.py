# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import next_number, process_create, read_across
from .order_process_guard import Editable, Guard
from .vocabulary import DEPARTMENTS

SHIPPING = "order_process_addon.mail_activity_type_shipping"
ISSUE_D10 = "order_process_addon.mail_activity_type_issue_d10"
D10_ESCALATION = "order_process_addon.mail_activity_type_d10_escalation"
D10_RETURNED = "order_process_addon.mail_activity_type_d10_returned"
D10_RECALLED = "order_process_addon.mail_activity_type_d10_recalled"
PREPARE = "order_process_addon.mail_activity_type_prepare_shipment"
GATE = "order_process_addon.mail_activity_type_gate_check"
GATE_HOLD = "order_process_addon.mail_activity_type_gate_hold"

# What the merchandiser writes on a D10 before it is issued (and again when
# the clerk returns it).
D10_EDITABLE = Editable(
    only={
        "ship_date",
        "partner_shipping_id",
        "contact_name",
        "contact_phone",
        "special_requirements",
        "line_ids",
    }
)


class OrderShippingOrder(models.Model):
    """D10, the shipping order (R23, R24): the merchandiser issues it at
    least one working day before the ship date, the PMC clerk reviews it,
    and only an approved D10 tells the finished-goods warehouse to prepare
    the shipment. A moved or cancelled shipment recalls it: the version is
    voided and kept, and a new version is issued once PMC has agreed the new
    date."""

    _name = "order.shipping.order"
    _description = "Shipping Order (D10)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "picking_id, version desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the merchandiser writes the content while
    # the D10 is a draft or returned to them; everything else is the steps'.
    _op_guard = Guard(
        process=frozenset(
            {
                "name",
                "base_name",
                "version",
                "picking_id",
                "sale_order_id",
                "previous_id",
                "state",
                "submitted_by_id",
                "issued_on",
                "approved_by_id",
                "approved_on",
                "return_reason",
                "copy_attachment_id",
                "void_reason",
                "void_department",
                "voided_by_id",
                "voided_on",
                "proposed_date",
                "agreed_date",
                "agreed_by_id",
                "agreed_on",
            }
        ),
        editable={"draft": D10_EDITABLE, "returned": D10_EDITABLE},
        deletable=frozenset({"draft"}),
    )

    name = fields.Char(string="Number", readonly=True, copy=False)
    base_name = fields.Char(readonly=True, copy=False, index=True)
    version = fields.Integer(default=1, readonly=True)
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
    sale_order_id = fields.Many2one(
        "sale.order", string="Customer Order", readonly=True, index=True
    )
    partner_id = fields.Many2one(
        related="sale_order_id.partner_id", string="Customer", store=True
    )
    merchandiser_id = fields.Many2one(
        related="sale_order_id.op_merchandiser_id", string="Merchandiser"
    )
    previous_id = fields.Many2one(
        "order.shipping.order",
        string="Replaces",
        readonly=True,
        help="The recalled version this one replaces (R24).",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("issued", "Issued"),
            ("returned", "Returned"),
            ("approved", "Approved"),
            ("void", "Recalled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    ship_date = fields.Date(required=True, tracking=True)
    partner_shipping_id = fields.Many2one(
        "res.partner", string="Delivery Address", required=True, tracking=True
    )
    contact_name = fields.Char(string="Contact", tracking=True)
    contact_phone = fields.Char()
    special_requirements = fields.Text(
        help="One requirement per line: each is ticked off at loading (D11, R26)."
    )
    line_ids = fields.One2many(
        "order.shipping.order.line", "shipping_order_id", string="Quantities"
    )
    submitted_by_id = fields.Many2one("res.users", string="Issued By", readonly=True)
    issued_on = fields.Datetime(readonly=True)
    approved_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    approved_on = fields.Datetime(string="Reviewed On", readonly=True)
    return_reason = fields.Text(readonly=True, tracking=True)
    copy_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Clerk's Copy",
        readonly=True,
        help="The approved D10 as printed for the PMC clerk (R23).",
    )
    # R24: the recall.
    void_reason = fields.Text(string="Recall Reason", readonly=True)
    void_department = fields.Selection(
        DEPARTMENTS, string="Responsible Department", readonly=True
    )
    voided_by_id = fields.Many2one("res.users", string="Recalled By", readonly=True)
    voided_on = fields.Datetime(string="Recalled On", readonly=True)
    proposed_date = fields.Date(
        string="Proposed New Date",
        readonly=True,
        help="The new ship date the merchandiser proposes when recalling; "
        "empty when the shipment is cancelled.",
    )
    agreed_date = fields.Date(
        string="Agreed New Date",
        readonly=True,
        tracking=True,
        help="The new ship date agreed with PMC: a new version is issued for it.",
    )
    agreed_by_id = fields.Many2one("res.users", readonly=True)
    agreed_on = fields.Datetime(readonly=True)
    payment_override_ids = fields.Many2many(
        related="picking_id.op_payment_override_ids",
        string="Shipments Before Payment",
    )

    _sql_constraints = [
        (
            "base_version_uniq",
            "UNIQUE(base_name, version)",
            "This version of the shipping order already exists.",
        )
    ]

    @api.depends_context("lang")
    @api.depends("name", "state")
    def _compute_display_name(self):
        for record in self:
            name = record.name or self.env._("New Shipping Order")
            if record.state == "void":
                name = self.env._("%(name)s (recalled)", name=name)
            record.display_name = name

    # ------------------------------------------------------------ helpers
    @api.model
    def _op_new_for_picking(self, picking):
        """A draft D10 for ``picking`` with the delivery's values, or the
        next version of its recalled one (R23, R24). The caller checked the
        role; every value comes from the delivery, none from the client."""
        picking.check_access("read")
        if not picking.op_process_delivery or picking.state in ("done", "cancel"):
            raise UserError(
                self.env._(
                    "%(delivery)s is not an open delivery of the Order Process.",
                    delivery=picking.name,
                )
            )
        versions = read_across(picking).op_shipping_order_ids
        if versions.filtered(lambda d: d.state != "void"):
            raise UserError(
                self.env._(
                    "%(delivery)s already has a shipping order in progress.",
                    delivery=picking.name,
                )
            )
        latest = versions.sorted("version")[-1:] if versions else versions
        if latest and not latest.agreed_date:
            raise UserError(
                self.env._(
                    "%(d10)s was recalled: a new version is issued once the new "
                    "ship date is agreed with PMC (R24).",
                    d10=latest.name,
                )
            )
        order = picking._op_sale_orders()[:1]
        vals = {
            "picking_id": picking.id,
            "sale_order_id": order.id,
            "ship_date": latest.agreed_date
            if latest
            else fields.Date.to_date(picking.scheduled_date),
            "partner_shipping_id": picking.partner_id.id,
            "contact_name": latest.contact_name if latest else False,
            "contact_phone": latest.contact_phone if latest else False,
            "special_requirements": latest.special_requirements if latest else False,
            "line_ids": [
                fields.Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "quantity": move.product_uom_qty,
                        "uom_id": move.product_uom.id,
                    }
                )
                for move in picking.move_ids
                if move.state != "cancel"
            ],
        }
        if latest:
            vals.update(
                {
                    "previous_id": latest.id,
                    "base_name": latest.base_name,
                    "version": latest.version + 1,
                    "name": f"{latest.base_name}/{latest.version + 1}",
                }
            )
        else:
            base = next_number(self.env, self._name) or "D10"
            vals.update({"base_name": base, "version": 1, "name": f"{base}/1"})
        return process_create(self, vals)

    def _op_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _op_requirements(self):
        """The special requirements, one per non-empty line (R26)."""
        self.ensure_one()
        return [
            line.strip()
            for line in (self.special_requirements or "").splitlines()
            if line.strip()
        ]
