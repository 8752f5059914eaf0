# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, float_compare

from .order_process_guard import Editable, Guard
from .vocabulary import DEPARTMENTS

_lt = LazyTranslate(__name__)

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

    # ------------------------------------------------------------ steps
    def _check_can_issue(self):
        self.ensure_one()
        if self.state not in ("draft", "returned"):
            raise UserError(
                self.env._(
                    "%(d10)s is %(state)s: only a draft or returned shipping order "
                    "is issued.",
                    d10=self.display_name,
                    state=self._op_state_label(),
                )
            )
        order = self.sale_order_id.sudo()
        if order.op_state != "effective":
            raise UserError(
                self.env._(
                    "%(order)s is not signed by the customer: no shipping order is "
                    "issued for it (R8).",
                    order=order.name,
                )
            )
        signed = (
            self.env["order.fg.receipt"]
            .sudo()
            .search_count(
                [("sale_order_id", "=", order.id), ("state", "=", "signed")], limit=1
            )
        )
        if not signed:
            raise UserError(
                self.env._(
                    "No finished-goods receipt (D8) of %(order)s is signed yet: the "
                    "goods must be in the warehouse before a shipping order is "
                    "issued (R17, R23).",
                    order=order.name,
                )
            )
        # R21: the same condition as the delivery's validation.
        if order._op_needs_payment() and not order.op_payment_override_ids._op_covers(
            self.picking_id
        ):
            raise UserError(
                self.env._(
                    "%(order)s is paid before shipment and not paid yet: no "
                    "shipping order is issued until Finance has the payment, "
                    "unless a Finance manager or the General Manager releases the "
                    "shipment with a reason (R21).",
                    order=order.name,
                )
            )
        self._check_ship_date(self.ship_date)
        customer = order.partner_id.commercial_partner_id
        if self.partner_shipping_id.commercial_partner_id != customer:
            raise UserError(
                self.env._(
                    "%(address)s is not an address of %(customer)s: the goods of "
                    "the order go to its customer (R23).",
                    address=self.partner_shipping_id.display_name,
                    customer=customer.display_name,
                )
            )
        if self.previous_id and self.ship_date != self.previous_id.agreed_date:
            raise UserError(
                self.env._(
                    "The new version ships on the date agreed with PMC, %(date)s "
                    "(R24).",
                    date=self.previous_id.agreed_date,
                )
            )
        if not self.line_ids or any(
            float_compare(line.quantity, 0, precision_rounding=line.uom_id.rounding)
            <= 0
            for line in self.line_ids
        ):
            raise UserError(
                self.env._("Every line of the shipping order ships a quantity > 0.")
            )
        for line in self.line_ids:
            if line.move_id and (
                float_compare(
                    line.quantity,
                    line.move_id.product_uom_qty,
                    precision_rounding=line.uom_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s: %(qty)s is more than the delivery's %(demand)s.",
                        product=line.product_id.display_name,
                        qty=line.quantity,
                        demand=line.move_id.product_uom_qty,
                    )
                )

    def _check_ship_date(self, ship_date):
        """R23: issued at least one working day before the ship date, i.e.
        at the latest on the working day before it (company calendar)."""
        self.ensure_one()
        if not ship_date:
            raise UserError(self.env._("Give the ship date."))
        today = fields.Date.context_today(self)
        if ship_date <= today:
            raise UserError(
                self.env._(
                    "The ship date %(date)s is not after today: a shipping order "
                    "is issued at least 1 working day before shipping (R23).",
                    date=ship_date,
                )
            )
        calendar = self.env["res.company"]._op_calendar(self.company_id)
        last_day = calendar.op_previous_working_date(ship_date)
        if today > last_day:
            raise UserError(
                self.env._(
                    "Shipping on %(date)s needs the shipping order issued by "
                    "%(last_day)s, 1 working day before (R23).",
                    date=ship_date,
                    last_day=last_day,
                )
            )

    def action_issue(self):
        """R23: the merchandiser issues D10 to the PMC clerk."""
        self._op_check_role("customer_mgmt")
        for record in self:
            record._check_can_issue()
        now = fields.Datetime.now()
        for record in self:
            record.sudo().write(
                {
                    "state": "issued",
                    "submitted_by_id": self.env.user.id,
                    "issued_on": now,
                    "return_reason": False,
                }
            )
            # The merchandiser's to-do is done, with its escalation (R34); a
            # later version (after a recall) has a deadline of its own. A
            # returned D10 issued again ends its return; a new version ends
            # the recall's notices and the "issue the new version" to-do.
            issued = self.env._("%(d10)s issued", d10=record.name)
            record.picking_id._op_done_activities(
                [ISSUE_D10, D10_ESCALATION, D10_RECALLED], feedback=issued
            )
            (record | record.previous_id)._op_done_activities(
                [D10_RETURNED, D10_RECALLED, SHIPPING], feedback=issued
            )
            record.picking_id.sudo().op_d10_escalated = False
            calendar = self.env["res.company"]._op_calendar(record.company_id)
            record._op_notify_group(
                "pmc_clerk",
                _lt(
                    "Review shipping order %(d10)s (ships %(date)s)",
                    d10=record.name,
                    date=record.ship_date,
                ),
                deadline=calendar.op_previous_working_date(record.ship_date),
                activity_xmlid=SHIPPING,
            )
        return True

    def _check_can_review(self):
        for record in self:
            if record.state != "issued":
                raise UserError(
                    self.env._(
                        "%(d10)s is %(state)s: only an issued shipping order is "
                        "reviewed.",
                        d10=record.display_name,
                        state=record._op_state_label(),
                    )
                )
        self._op_check_not_submitter()

    def action_approve(self):
        """R23: the PMC clerk approves; the warehouse is told to prepare the
        shipment by the working day before it; the clerk keeps a copy."""
        self._op_check_role("pmc_clerk")
        self._check_can_review()
        now = fields.Datetime.now()
        self.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_on": now,
            }
        )
        for record in self:
            # R23: after the approval, the goods go where the D10 says.
            if record.picking_id.partner_id != record.partner_shipping_id:
                record.picking_id.sudo().partner_id = record.partner_shipping_id
            record._op_done_activities(
                SHIPPING, feedback=self.env._("%(d10)s approved", d10=record.name)
            )
            calendar = self.env["res.company"]._op_calendar(record.company_id)
            record.picking_id._op_notify_group(
                "fg_warehouse",
                _lt(
                    "Prepare the shipment of %(delivery)s for %(date)s (%(d10)s)",
                    delivery=record.picking_id.name,
                    date=record.ship_date,
                    d10=record.name,
                ),
                deadline=calendar.op_previous_working_date(record.ship_date),
                activity_xmlid=PREPARE,
            )
        self._op_attach_copy()
        return True

    def _op_attach_copy(self):
        """The clerk's copy: the approved D10 printed and kept on the
        delivery (R23)."""
        report = self.env.ref("order_process_addon.action_report_order_d10").sudo()
        for record in self:
            content, _type = report._render_qweb_pdf(report.report_name, record.ids)
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"{record.name.replace('/', '-')}.pdf",
                        "raw": content,
                        "mimetype": "application/pdf",
                        "res_model": "stock.picking",
                        "res_id": record.picking_id.id,
                    }
                )
            )
            record.sudo().copy_attachment_id = attachment

    def action_return(self, reason=None):
        """R23: the clerk returns the D10 to the merchandiser with a reason."""
        self._op_check_role("pmc_clerk")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for returning it."))
        self._check_can_review()
        self.sudo().write({"state": "returned", "return_reason": reason})
        self._op_done_activities(
            SHIPPING, feedback=self.env._("Returned: %(reason)s", reason=reason)
        )
        for record in self:
            record._op_notify_user(
                record.submitted_by_id,
                _lt(
                    "Shipping order %(d10)s returned: %(reason)s",
                    d10=record.name,
                    reason=reason,
                ),
                activity_xmlid=D10_RETURNED,
            )
        return True

    def action_recall(self, reason=None, department=None, proposed_date=None):
        """R24: the shipment moves or is cancelled: the issued D10 is
        recalled (voided, kept), every department that received it is told,
        and PMC is asked to agree the new date."""
        self._op_check_role("customer_mgmt")
        if not self._op_text(reason) or not department:
            raise UserError(
                self.env._(
                    "A recall needs a reason and a responsible department (R24)."
                )
            )
        if not isinstance(department, str) or department not in dict(DEPARTMENTS):
            raise UserError(self.env._("Choose a responsible department."))
        proposed_date = self._op_date(proposed_date, self.env._("Proposed New Date"))
        today = fields.Date.context_today(self)
        if proposed_date and proposed_date <= today:
            raise UserError(
                self.env._(
                    "The new ship date %(date)s is not after today.",
                    date=proposed_date,
                )
            )
        for record in self:
            if record.state not in ("issued", "approved"):
                raise UserError(
                    self.env._(
                        "%(d10)s is %(state)s: only an issued or approved shipping "
                        "order is recalled.",
                        d10=record.display_name,
                        state=record._op_state_label(),
                    )
                )
            if record.picking_id.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(delivery)s has already left: its shipping order stays.",
                        delivery=record.picking_id.name,
                    )
                )
        for record in self:
            was_approved = record.state == "approved"
            record.sudo().write(
                {
                    "state": "void",
                    "void_reason": reason,
                    "void_department": department,
                    "voided_by_id": self.env.user.id,
                    "voided_on": fields.Datetime.now(),
                    "proposed_date": proposed_date,
                }
            )
            # The voided version's work goes: its review, the preparation of
            # its shipment, the loading's gate check (the recall is in the
            # chatter of both).
            record._op_drop_activities(SHIPPING)
            record.picking_id._op_drop_activities([PREPARE, GATE, GATE_HOLD])
            summary = _lt(
                "Shipping order %(d10)s recalled (%(reason)s): do not ship on %(date)s",
                d10=record.name,
                reason=reason,
                date=record.ship_date,
            )
            # Until the new version is issued (or the delivery cancelled).
            record._op_notify_group("pmc_clerk", summary, activity_xmlid=D10_RECALLED)
            if was_approved:
                record.picking_id._op_notify_group(
                    "fg_warehouse", summary, activity_xmlid=D10_RECALLED
                )
            record._op_notify_group(
                "pmc_planner",
                _lt(
                    "Agree the new ship date of %(delivery)s (recalled %(d10)s)",
                    delivery=record.picking_id.name,
                    d10=record.name,
                ),
                activity_xmlid=SHIPPING,
            )
            record.message_post(
                body=self.env._(
                    "Recalled by %(user)s: %(reason)s (responsible: %(department)s).",
                    user=self.env.user.name,
                    reason=reason,
                    department=dict(
                        self._fields["void_department"]._description_selection(self.env)
                    )[department],
                )
            )
        return True

    def action_agree_new_date(self, new_date=None):
        """R24: PMC agrees the new ship date of a recalled D10. When it
        moves the order's delivery promise, the committed date changes with
        the recall's reason and department (kept for the achievement rate)."""
        self._op_check_role("pmc_planner", "pmc_manager")
        self.ensure_one()
        new_date = self._op_date(new_date, self.env._("Agreed New Date")) or (
            self.proposed_date
        )
        if self.state != "void":
            raise UserError(
                self.env._("Only a recalled shipping order gets a new date.")
            )
        if self.agreed_date:
            raise UserError(
                self.env._(
                    "The new date of %(d10)s is already agreed: %(date)s.",
                    d10=self.name,
                    date=self.agreed_date,
                )
            )
        if not new_date or new_date <= fields.Date.context_today(self):
            raise UserError(
                self.env._("The new ship date must be after today (R24, R37).")
            )
        self.sudo().write(
            {
                "agreed_date": new_date,
                "agreed_by_id": self.env.user.id,
                "agreed_on": fields.Datetime.now(),
            }
        )
        self._op_done_activities(
            SHIPPING,
            feedback=self.env._("New ship date %(date)s agreed", date=new_date),
        )
        order = self.sale_order_id.sudo()
        if order.op_committed_date and new_date > order.op_committed_date:
            order._op_change_committed_date(
                new_date, self.void_reason, self.void_department
            )
        self._op_notify_user(
            self.voided_by_id,
            _lt(
                "New ship date %(date)s agreed for %(delivery)s: issue the new "
                "shipping order",
                date=new_date,
                delivery=self.picking_id.name,
            ),
            activity_xmlid=SHIPPING,
        )
        return True

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
        versions = picking.sudo().op_shipping_order_ids
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
            base = self.env["ir.sequence"].sudo().next_by_code(self._name) or "D10"
            vals.update({"base_name": base, "version": 1, "name": f"{base}/1"})
        return self.sudo().create(vals)

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
