# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The sale order of the process: its fields, indexes and guard (R1-R3, R8,
R36), its entry into the process and the helpers its steps share. The steps
are in files of their own: the review round (sale_order_review.py), answer,
signature and hand-off to planning (sale_order_signature.py), cancellation
(sale_order_cancel.py), payment (sale_order_payment.py)."""

from odoo import api, fields, models
from odoo.tools.sql import create_index, drop_index

from .order_process_guard import ALL, Editable, Guard
from .vocabulary import AMOUNTS_GROUPS, DEPARTMENTS

# The order's to-dos (activity types): raised by the review round
# (sale_order_review.py) and the answer and signature (sale_order_signature.py).
RUSH = "order_process_addon.mail_activity_type_rush"
RETURNED = "order_process_addon.mail_activity_type_returned"
ANSWER = "order_process_addon.mail_activity_type_answer"
SIGNATURE = "order_process_addon.mail_activity_type_signature"
PLAN = "order_process_addon.mail_activity_type_plan"
MATERIAL = "order_process_addon.mail_activity_type_material"

OP_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("returned", "Returned"),
    ("reviewed", "Reviewed"),
    ("answered", "Awaiting Customer Signature"),
    ("effective", "Effective"),
    ("cancel", "Cancelled"),
]

# Fields only the process itself writes (R36): a user with write access on
# sale orders cannot set them directly on an order of the process.
OP_PROTECTED_FIELDS = frozenset(
    {
        "op_active",
        "op_state",
        "op_in_progress",
        "op_is_rush",
        "op_has_untried_product",
        "op_registered_on",
        "op_registered_by_id",
        "op_review_round",
        "op_review_deadline",
        "op_review_ids",
        "op_last_decision_on",
        "op_return_reason",
        "op_gm_approved_by_id",
        "op_gm_approved_on",
        "op_answer_conditions",
        "op_answered_by_id",
        "op_answered_on",
        "op_signature_source",
        "op_signed_scan_id",
        "op_signature_recorded_by_id",
        "op_effective_on",
        "op_first_committed_date",
        "op_committed_date",
        "op_commitment_change_ids",
        "op_plan_deadline",
        "op_planned_on",
        "op_plan_escalated",
        "op_material_plan_ids",
        "op_cancel_reason",
        "op_cancel_department",
        "op_cancelled_by_id",
        "op_cancelled_on",
        "signature",
        "signed_by",
        "signed_on",
        # What accounting and Finance decide (R20, R21): sale_order_payment.py.
        "op_payment_condition",
        "op_payment_state",
        "op_amount_due",
        "op_payment_due_date",
        "op_payment_override_ids",
    }
)

# What the departments review: frozen while the review runs and the customer
# is asked to sign (R8, R10).
OP_REVIEWED_FIELDS = frozenset(
    {
        "partner_id",
        "order_line",
        "pricelist_id",
        "payment_term_id",
        "currency_id",
        "op_urgency",
        "op_special_requirements",
        "op_requested_date",
        "company_id",
        "team_id",
    }
)

CHANNELS = [
    ("sales_person", "Sales Person"),
    ("visit", "Visit"),
    ("fax", "Fax"),
    ("trade_fair", "Trade Fair"),
    ("web", "Web"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("written", "Written Order"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "order.process.mixin"]

    # ------------------------------------------------------------ guard
    # One guard for every process document: see order.process.mixin.
    _op_guard = Guard(
        process=OP_PROTECTED_FIELDS,
        state="op_state",
        editable={
            "draft": ALL,
            "returned": ALL,
            "cancel": ALL,
            "review": Editable(but=OP_REVIEWED_FIELDS),
            "reviewed": Editable(but=OP_REVIEWED_FIELDS),
            "answered": Editable(but=OP_REVIEWED_FIELDS | {"commitment_date"}),
            # R8: what the customer signed does not change afterwards. A change
            # of content is a new order (or the cancelled one registered again);
            # a change of date is "Change Committed Date" (R24).
            "effective": Editable(but=OP_REVIEWED_FIELDS | {"commitment_date"}),
        },
        # Odoo's "mark as sent" of a quotation is the only state a user writes.
        values={"state": frozenset({"draft", "sent"})},
        # R8, R36: an order enters the process as an unsigned quotation.
        after_create="_op_check_enters_clean",
        deletable=None,
    )

    # R36: the money of the order only for the roles that handle it.
    amount_untaxed = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_tax = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_total = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_undiscounted = fields.Float(groups=AMOUNTS_GROUPS)
    amount_to_invoice = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_invoiced = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_paid = fields.Float(groups=AMOUNTS_GROUPS)
    tax_totals = fields.Binary(groups=AMOUNTS_GROUPS)

    op_active = fields.Boolean(
        string="Follows Order Process",
        compute="_compute_op_active",
        store=True,
        readonly=True,
        copy=False,
        help="Decided when the order is created (and when its company or "
        "sales team changes while it is a quotation) from the company's "
        "Order Process settings. Orders created before the process was "
        "switched on keep Odoo's own flow, and the other way round.",
    )
    op_state = fields.Selection(
        OP_STATES,
        string="Process Stage",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_op_state",
    )
    op_in_progress = fields.Boolean(
        string="In Progress",
        compute="_compute_op_in_progress",
        store=True,
        readonly=True,
        copy=False,
        help="An order of the process not yet delivered in full nor "
        "cancelled: what the orders board shows by default.",
    )
    # Intake (R1-R3)
    op_merchandiser_id = fields.Many2one(
        "res.users",
        string="Merchandiser",
        tracking=True,
        check_company=True,
        index="btree_not_null",
        default=lambda self: (
            self.env.user
            if self.env.user.has_group("order_process_addon.group_customer_mgmt")
            else False
        ),
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("order_process_addon.group_customer_mgmt").ids,
            )
        ],
        help="Customer Management's merchandiser who follows the order (R1).",
    )
    op_channel = fields.Selection(CHANNELS, string="Order Channel", tracking=True)
    op_source_attachment_ids = fields.Many2many(
        "ir.attachment",
        "sale_order_op_source_attachment_rel",
        "order_id",
        "attachment_id",
        string="Customer's Original Order",
        help="The customer's written order, fax or e-mail (R2).",
    )
    op_requested_date = fields.Date(string="Requested Date", tracking=True)
    op_special_requirements = fields.Text(
        string="Special Requirements",
        help="Orders with special requirements get a technical feasibility "
        "review (R5).",
    )
    op_urgency = fields.Selection(
        [("normal", "Normal"), ("rush", "Rush Order"), ("inserted", "Inserted Order")],
        string="Urgency",
        default="normal",
        required=True,
        tracking=True,
    )
    op_is_rush = fields.Boolean(
        string="Rush", compute="_compute_op_is_rush", store=True, index=True
    )
    op_has_untried_product = fields.Boolean(
        string="New Product without Trial Run",
        compute="_compute_op_has_untried_product",
        store=True,
    )
    # Review (R4-R10)
    op_registered_on = fields.Datetime(
        string="Registered On", readonly=True, copy=False
    )
    op_registered_by_id = fields.Many2one(
        "res.users", string="Registered By", readonly=True, copy=False
    )
    op_review_round = fields.Integer(string="Review Round", readonly=True, copy=False)
    op_review_deadline = fields.Datetime(
        string="Review Deadline", readonly=True, copy=False, tracking=True
    )
    # Only the process's users may read reviews and commitment changes (ACL):
    # without groups, a plain sales user's read() of all the order's fields
    # (Odoo's sale TestAccessRights, exports) fails on these One2many.
    op_review_ids = fields.One2many(
        "order.review",
        "order_id",
        string="Reviews",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_review_overdue = fields.Boolean(
        string="Review Overdue",
        compute="_compute_op_review_overdue",
        search="_search_op_review_overdue",
    )
    op_last_decision_on = fields.Datetime(
        string="Last Review Decision", readonly=True, copy=False
    )
    op_return_reason = fields.Text(string="Return Reason", readonly=True, copy=False)
    op_gm_approved_by_id = fields.Many2one(
        "res.users", string="GM Approval By", readonly=True, copy=False
    )
    op_gm_approved_on = fields.Datetime(
        string="GM Approval On", readonly=True, copy=False
    )
    # Answer and signature (R7, R8)
    op_answer_conditions = fields.Text(
        string="Conditions", readonly=True, copy=False, tracking=True
    )
    op_answered_by_id = fields.Many2one(
        "res.users", string="Answered By", readonly=True, copy=False
    )
    op_answered_on = fields.Datetime(string="Answered On", readonly=True, copy=False)
    op_signature_source = fields.Selection(
        [("portal", "Customer Portal"), ("scan", "Signed Scan")],
        string="Signed Through",
        readonly=True,
        copy=False,
    )
    op_signed_scan_id = fields.Many2one(
        "ir.attachment", string="Signed Scan", readonly=True, copy=False
    )
    op_signature_recorded_by_id = fields.Many2one(
        "res.users", string="Signature Recorded By", readonly=True, copy=False
    )
    op_effective_on = fields.Datetime(string="Effective On", readonly=True, copy=False)
    # The promise (R29)
    op_first_committed_date = fields.Date(
        string="First Committed Date", readonly=True, copy=False
    )
    op_committed_date = fields.Date(
        string="Committed Date", readonly=True, copy=False, tracking=True
    )
    op_commitment_change_ids = fields.One2many(
        "order.commitment.change",
        "order_id",
        string="Committed Date Changes",
        groups="order_process_addon.group_user",
    )
    # Planning (R11, R12)
    op_plan_deadline = fields.Datetime(
        string="Plan Due",
        readonly=True,
        copy=False,
        help="1 working day after D2 reached PMC: the production plan (D4) "
        "of the order is due (R12).",
    )
    op_planned_on = fields.Datetime(
        string="Planned On",
        readonly=True,
        copy=False,
        help="When a production plan (D4) with this order was submitted.",
    )
    op_plan_escalated = fields.Boolean(
        string="Plan Escalated", readonly=True, copy=False
    )
    op_material_plan_ids = fields.One2many(
        "order.material.plan",
        "sale_order_id",
        string="Material Requirements Plans (D3)",
        groups="order_process_addon.group_user",
    )
    # Cancelled after the customer signed (R24, R29)
    op_cancel_reason = fields.Text(
        string="Cancellation Reason", readonly=True, copy=False, tracking=True
    )
    op_cancel_department = fields.Selection(
        DEPARTMENTS,
        string="Cancellation Requested By",
        readonly=True,
        copy=False,
        help="The customer, or the company department responsible: a "
        "cancellation by the company after signature counts as a failed order.",
    )
    op_cancelled_by_id = fields.Many2one(
        "res.users", string="Cancelled By", readonly=True, copy=False
    )
    op_cancelled_on = fields.Datetime(string="Cancelled On", readonly=True, copy=False)
    op_material_plan_count = fields.Integer(
        string="Material Plan Count",
        compute="_compute_op_material_plan_count",
        groups="order_process_addon.group_user",
    )

    # ------------------------------------------------------------ computes
    @api.depends("op_material_plan_ids")
    def _compute_op_material_plan_count(self):
        for order in self:
            order.op_material_plan_count = len(order.op_material_plan_ids)

    @api.depends("company_id", "team_id")
    def _compute_op_active(self):
        for order in self:
            if order.state not in (False, "draft", "sent") or order.op_state not in (
                False,
                "draft",
            ):
                # Registered, confirmed or cancelled: the order keeps its flow.
                order.op_active = order._origin.op_active
                continue
            company = order.company_id or self.env.company
            order.op_active = company._op_applies(order.team_id)

    @api.depends("op_urgency")
    def _compute_op_is_rush(self):
        for order in self:
            order.op_is_rush = order.op_urgency in ("rush", "inserted")

    # Only the order's own products: a product's trial run done later does not
    # rewrite the orders of the past (see product.template.write).
    @api.depends("order_line.product_template_id")
    def _compute_op_has_untried_product(self):
        for order in self:
            order.op_has_untried_product = any(
                line.product_template_id
                and not line.product_template_id.op_trial_run_done
                for line in order.order_line
            )

    @api.model
    @api.depends("op_active", "op_state", "delivery_status")
    def _compute_op_in_progress(self):
        for order in self:
            order.op_in_progress = (
                order.op_active
                and order.op_state != "cancel"
                and not (
                    order.op_state == "effective" and order.delivery_status == "full"
                )
            )

    def _group_expand_op_state(self, states, domain):
        return [key for key, _label in OP_STATES if key != "cancel"]

    def init(self):
        res = super().init()
        # What the main menu lists and the crons look for, on the orders of
        # the process only (a small part of a large company's orders).
        # (With the company last, the pager's count reads the index only.)
        drop_index(self.env.cr, "sale_order_op_active_date_index", self._table)
        create_index(
            self.env.cr,
            "sale_order_op_active_list_index",
            self._table,
            ["date_order DESC", "id DESC", "company_id"],
            where="op_active",
        )
        create_index(
            self.env.cr,
            "sale_order_op_unplanned_index",
            self._table,
            ["op_plan_deadline"],
            where="op_active AND op_state = 'effective' AND op_planned_on IS NULL",
        )
        # Issue 11, item 4: the stage filters (Under Review, Awaiting
        # Signature) and the kanban's columns, newest first.
        create_index(
            self.env.cr,
            "sale_order_op_state_list_index",
            self._table,
            ["op_state", "date_order DESC", "id DESC", "company_id"],
            where="op_active",
        )
        # The kanban counts its columns over every process order: a slim
        # index it reads alone.
        create_index(
            self.env.cr,
            "sale_order_op_state_count_index",
            self._table,
            ["op_state", "company_id"],
            where="op_active",
        )
        # The board's default filter (In Progress): the orders under way are
        # a few hundred whatever the history, its columns count these only.
        create_index(
            self.env.cr,
            "sale_order_op_in_progress_index",
            self._table,
            ["op_state", "date_order DESC", "id DESC", "company_id"],
            where="op_in_progress",
        )
        # Rush orders are few: a partial index for the Rush filter.
        create_index(
            self.env.cr,
            "sale_order_op_rush_index",
            self._table,
            ["date_order DESC", "id DESC"],
            where="op_active AND op_is_rush",
        )
        return res
