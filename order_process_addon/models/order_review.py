# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import formatLang
from odoo.tools.sql import create_index, drop_index

from .elevation import as_messenger, as_process, process_write
from .order_process_guard import Guard

DECISIONS = [
    ("approved", "Approved"),
    ("conditional", "Approved with Conditions"),
    ("rejected", "Rejected"),
]


class OrderReview(models.Model):
    """One department's review of one order in one round (R5, R10).

    Reviews are never deleted: a new round voids the pending reviews of the
    previous one and keeps the decided ones as history."""

    _name = "order.review"
    _description = "Order Review"
    _inherit = ["mail.thread", "order.process.mixin"]
    _order = "is_rush desc, deadline, id"
    _check_company_auto = True

    # Guard (order.process.guard): reviews are written by the review steps
    # only, and voided, never deleted (R10, R35).
    _op_guard = Guard(
        process="__all__",
        deletable=frozenset(),
    )

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    step_id = fields.Many2one(
        "order.review.step",
        required=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    sequence = fields.Integer(readonly=True)
    group_id = fields.Many2one("res.groups", string="Reviewing Role", readonly=True)
    round = fields.Integer(readonly=True, default=1)
    state = fields.Selection(
        [
            ("waiting", "Waiting for Earlier Steps"),
            ("pending", "To Review"),
            ("approved", "Approved"),
            ("conditional", "Approved with Conditions"),
            ("rejected", "Rejected"),
            ("voided", "Voided"),
        ],
        default="waiting",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    records_delivery_date = fields.Boolean(related="step_id.records_delivery_date")
    is_rush = fields.Boolean(related="order_id.op_is_rush", store=True)
    date_start = fields.Datetime(string="Started", readonly=True)
    deadline = fields.Datetime(readonly=True, tracking=True)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    escalated = fields.Boolean(readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", readonly=True, tracking=True)
    date_decision = fields.Datetime(string="Decided On", readonly=True)
    reason = fields.Text(
        readonly=True,
        help="Why the order is rejected, or the conditions of the approval.",
    )
    comments = fields.Text(readonly=True)
    committed_date = fields.Date(
        string="Delivery Date PMC Can Commit To", readonly=True, tracking=True
    )
    void_reason = fields.Char(readonly=True)
    decision_text = fields.Text(
        string="Comment / Conditions / Reason",
        compute="_compute_decision_text",
        help="What the reviewer wrote with the decision: the conditions of an "
        "approval with conditions, the reason of a rejection, else the comment.",
    )
    # What is reviewed (issue 18, item 3): the order's content, read from the
    # order, so that a reviewer decides without opening it (R5, R10).
    requested_date = fields.Date(
        related="order_id.op_requested_date", string="Requested Date"
    )
    special_requirements = fields.Text(
        related="order_id.op_special_requirements", string="Special Requirements"
    )
    client_order_ref = fields.Char(
        related="order_id.client_order_ref", string="Customer Reference"
    )
    attachment_ids = fields.Many2many(
        related="order_id.op_source_attachment_ids",
        string="Customer's Original Order",
    )
    order_line_ids = fields.Many2many(
        "sale.order.line",
        compute="_compute_order_content",
        string="Ordered Products",
    )
    content_summary = fields.Char(
        string="Products and Quantities",
        compute="_compute_order_content",
    )
    other_review_ids = fields.Many2many(
        "order.review",
        compute="_compute_other_reviews",
        string="Other Departments",
        help="The other reviews of the order in this round, with their "
        "decisions so far.",
    )
    others_summary = fields.Char(
        string="Other Departments' Decisions",
        compute="_compute_other_reviews",
    )
    can_decide = fields.Boolean(
        string="You May Decide",
        compute="_compute_can_decide",
        help="The current user may decide this review now (R10, R36, R37). "
        "The server checks it again at the decision.",
    )

    @api.depends_context("lang")
    @api.depends("order_id.name", "step_id.name", "round")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "%(order)s / %(step)s (round %(round)s)",
                order=review.order_id.name,
                step=review.step_id.name,
                round=review.round,
            )

    @api.depends("state", "reason", "comments")
    def _compute_decision_text(self):
        for review in self:
            review.decision_text = (
                review.reason
                if review.state in ("conditional", "rejected")
                else review.comments
            )

    @api.depends(
        "order_id.order_line.product_id",
        "order_id.order_line.product_uom_qty",
        "order_id.order_line.product_uom",
        "order_id.order_line.display_type",
    )
    def _compute_order_content(self):
        for review in self:
            lines = review.order_id.order_line.filtered(
                lambda line: not line.display_type
            )
            review.order_line_ids = lines
            review.content_summary = "; ".join(
                f"{line.product_id.display_name} × "
                f"{self._op_format_quantity(line.product_uom_qty)} "
                f"{line.product_uom.name}"
                for line in lines
            )

    @api.depends(
        "round",
        "order_id.op_review_ids.state",
        "order_id.op_review_ids.reason",
        "order_id.op_review_ids.comments",
    )
    def _compute_other_reviews(self):
        states = dict(self._fields["state"]._description_selection(self.env))
        for review in self:
            others = review.order_id.op_review_ids.filtered(
                lambda r, review=review: (
                    r.round == review.round and r.state != "voided" and r != review
                )
            )
            review.other_review_ids = others
            decided = others.filtered(
                lambda r: r.state in ("approved", "conditional", "rejected")
            )
            review.others_summary = "; ".join(
                f"{r.step_id.name}: {states[r.state]}"
                + (f" ({r.decision_text})" if r.decision_text else "")
                for r in decided
            )

    @api.depends_context("uid")
    @api.depends(
        "state",
        "group_id",
        "step_id.exclude_requester",
        "order_id.op_registered_by_id",
        "order_id.user_id",
    )
    def _compute_can_decide(self):
        user = self.env.user
        for review in self:
            review.can_decide = not review._op_decide_refusal(user)

    def _op_format_quantity(self, quantity):
        """A quantity as the reader writes numbers: no decimals for a whole
        number."""
        if float(quantity).is_integer():
            return formatLang(self.env, quantity, digits=0)
        return formatLang(self.env, quantity, dp="Product Unit of Measure")

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for review in self:
            review.is_overdue = bool(
                review.state == "pending" and review.deadline and review.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("state", "=", "pending"),
            ("deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    def init(self):
        res = super().init()
        # The overdue filter and the escalation cron (issue 11, item 4: the
        # reviews still to escalate, oldest deadline first, a batch at a
        # time) read the pending reviews by deadline: one partial index
        # serves both (pending reviews are few; the escalated ones among them
        # fewer). It replaces the two partial indexes of earlier versions.
        for former in (
            "order_review_pending_deadline_index",
            "order_review_to_escalate_index",
        ):
            drop_index(self.env.cr, former, self._table)
        create_index(
            self.env.cr,
            "order_review_pending_index",
            self._table,
            ["deadline", "id"],
            where="state = 'pending'",
        )
        # My Reviews (pending, of my roles) and the list of every review, in
        # their order: rush first, then by deadline.
        # (With the company last, the pager's count reads the index only.)
        create_index(
            self.env.cr,
            "order_review_my_reviews_index",
            self._table,
            ["group_id", "is_rush DESC", "deadline", "id", "company_id"],
            where="state = 'pending'",
        )
        create_index(
            self.env.cr,
            "order_review_list_order_index",
            self._table,
            ["is_rush DESC", "deadline", "id"],
        )
        return res

    # ------------------------------------------------------------ decisions
    def action_approve(self, comments=None, committed_date=None):
        return self._decide(
            "approved", comments=comments, committed_date=committed_date
        )

    def action_approve_with_conditions(
        self, reason, comments=None, committed_date=None
    ):
        return self._decide(
            "conditional",
            reason=reason,
            comments=comments,
            committed_date=committed_date,
        )

    def action_reject(self, reason, comments=None):
        return self._decide("rejected", reason=reason, comments=comments)

    def action_open_decision_wizard(self):
        self.ensure_one()
        self._check_can_decide(self.env.user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review %(name)s", name=self.display_name),
            "res_model": "order.review.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_review_id": self.id,
                "default_committed_date": self.order_id.op_requested_date,
            },
        }

    def _op_decide_refusal(self, user):
        """Why ``user`` may not decide this review now, as a key of
        ``_check_can_decide`` (R10, R36, R37), or False: what the Decide
        buttons follow and what the server enforces."""
        self.ensure_one()
        if self.state in ("approved", "conditional", "rejected"):
            return "decided"
        if self.state != "pending":
            return "not_open"
        if self.group_id not in user.groups_id:
            return "role"
        order = self.order_id
        if self.step_id.exclude_requester and user in (
            order.op_registered_by_id | order.user_id
        ):
            return "requester"
        return False

    def _check_can_decide(self, user):
        """R10, R36, R37: only a holder of the step's role decides, once."""
        for review in self:
            refusal = review._op_decide_refusal(user)
            if refusal == "decided":
                raise UserError(
                    self.env._(
                        "%(review)s was already decided by %(user)s.",
                        review=review.display_name,
                        user=review.reviewer_id.name,
                    )
                )
            if refusal == "not_open":
                raise UserError(
                    self.env._(
                        "%(review)s is not open for review (%(state)s).",
                        review=review.display_name,
                        state=dict(
                            review._fields["state"]._description_selection(self.env)
                        )[review.state],
                    )
                )
            if refusal == "role":
                raise AccessError(
                    self.env._(
                        "Only the role %(role)s may decide %(review)s.",
                        role=review.group_id.name,
                        review=review.display_name,
                    )
                )
            if refusal == "requester":
                raise UserError(
                    self.env._(
                        "You registered %(order)s or are its sales person: "
                        "someone else decides %(step)s (R37).",
                        order=review.order_id.name,
                        step=review.step_id.name,
                    )
                )

    def _decide(self, decision, reason=None, comments=None, committed_date=None):
        self.ensure_one()
        order = self.order_id
        # Serialise the decisions on one order (R10): a concurrent decision
        # waits here, then sees this one.
        order._op_lock()
        self.invalidate_recordset()
        self._check_can_decide(self.env.user)
        reason, comments = self._op_text(reason), self._op_text(comments)
        if decision == "rejected" and not reason:
            raise UserError(self.env._("Give the reason for the rejection (R10)."))
        if decision == "conditional" and not reason:
            raise UserError(self.env._("Give the conditions of the approval (R10)."))
        if decision != "rejected" and self.records_delivery_date:
            if not committed_date:
                raise UserError(
                    self.env._("Give the delivery date the company can commit to.")
                )
            self._op_check_commitment(
                self._op_date(committed_date, self.env._("Committed Date")),
                order.date_order,
            )
        process_write(
            self,
            {
                "state": decision,
                "reviewer_id": self.env.user.id,
                "date_decision": fields.Datetime.now(),
                "reason": reason,
                "comments": comments,
                "committed_date": committed_date
                if decision != "rejected" and self.records_delivery_date
                else False,
            },
        )
        as_messenger(self)._op_close_activities()
        as_process(self)._op_advance_round()
        return True
