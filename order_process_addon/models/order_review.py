# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import LazyTranslate, formatLang
from odoo.tools.sql import create_index, drop_index

from .order_process_guard import Guard

_lt = LazyTranslate(__name__)

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
            order._op_check_committed_date(
                self._op_date(committed_date, self.env._("Committed Date"))
            )
        self.sudo().write(
            {
                "state": decision,
                "reviewer_id": self.env.user.id,
                "date_decision": fields.Datetime.now(),
                "reason": reason,
                "comments": comments,
                "committed_date": committed_date
                if decision != "rejected" and self.records_delivery_date
                else False,
            }
        )
        self.sudo()._op_close_activities()
        self.sudo()._op_advance_round()
        return True

    # ------------------------------------------------------------ the round
    # The review round is this model's (issue 20, item 2): the order opens
    # a round (``_op_open_round``) and voids what is left of one
    # (``_op_void_open``); the round opens its steps one after the other,
    # collects the decisions, and tells the order each decision and the
    # round's outcome through one call, ``sale.order._op_review_outcome``.
    @api.model
    def _op_open_round(self, order, now):
        """R4, R5: the round ``order.op_review_round`` of ``order``: what
        the last round left open is voided, one review per applicable step
        is created and the first steps are opened. With no step to review,
        the round is over at once. Returns the reviews."""
        self._op_void_open(order, self.env._("Superseded by a new review round."))
        reviews = self.create(self._op_prepare_round_vals(order))
        if not reviews:
            order.sudo()._op_review_outcome(reviews, "reviewed")
            return reviews
        first = min(reviews.mapped("sequence"))
        reviews.filtered(lambda r, s=first: r.sequence == s)._op_start(now)
        return reviews

    @api.model
    def _op_prepare_round_vals(self, order):
        """One review per applicable step, in one batch (hook)."""
        order.ensure_one()
        steps = self.env["order.review.step"].search(
            [("company_id", "in", (False, order.company_id.id))]
        )
        return [
            {
                "order_id": order.id,
                "step_id": step.id,
                "sequence": step.sequence,
                "group_id": step.group_id.id,
                "round": order.op_review_round,
                "state": "waiting",
            }
            for step in steps
            if step._applies_to(order)
        ]

    @api.model
    def _op_void_open(self, orders, reason):
        """Void the reviews of ``orders`` still waiting or pending (R35: a
        new round, a rejection or a cancellation ends them; never deleted)."""
        orders.sudo().op_review_ids.filtered(
            lambda r: r.state in ("waiting", "pending")
        )._op_void(reason)

    def _op_advance_round(self):
        """After the decision of this review (R7, R10): a rejection voids
        the rest of the round; else the next step opens when the current
        one is done. The order hears the decision and the round's outcome:
        "rejected", "reviewed" (every review done), or None (the round goes
        on)."""
        self.ensure_one()
        order = self.order_id
        current = order.op_review_ids.filtered(
            lambda r: r.round == self.round and r.state != "voided"
        )
        open_reviews = current.filtered(lambda r: r.state in ("waiting", "pending"))
        if self.state == "rejected":
            open_reviews._op_void(
                self.env._(
                    "The order was rejected by %(step)s.", step=self.step_id.name
                )
            )
            outcome = "rejected"
        elif not open_reviews:
            outcome = "reviewed"
        else:
            outcome = None
            if not open_reviews.filtered(lambda r: r.state == "pending"):
                following = min(open_reviews.mapped("sequence"))
                open_reviews.filtered(lambda r: r.sequence == following)._op_start(
                    fields.Datetime.now()
                )
        order.sudo()._op_review_outcome(self, outcome)

    # ------------------------------------------------------------ helpers
    def _op_start(self, now):
        """Open the reviews for decision: deadline and an activity each."""
        calendar = self.env["res.company"]._op_calendar(self.order_id.company_id[:1])
        for review in self:
            order = review.order_id
            deadline = order.op_review_deadline
            if review.step_id.deadline_hours:
                deadline = min(
                    deadline or fields.Datetime.to_datetime("9999-12-31"),
                    calendar.op_plan_working_time(
                        now, hours=review.step_id.deadline_hours
                    ),
                )
            review.write({"state": "pending", "date_start": now, "deadline": deadline})
        self._op_schedule_activities()

    def _op_schedule_activities(self):
        activity_type = self.env.ref("order_process_addon.mail_activity_type_review")
        vals_list = []
        for review in self:
            users = self._op_role_users(review.group_id, review.company_id)
            for user in users:
                vals_list.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                        "res_id": review.order_id.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        # In the reviewer's language (issue 12, item 9).
                        "summary": lambda env, step=review.step_id: env._(
                            "Review: %(step)s", step=step.with_env(env).name
                        ),
                        "date_deadline": fields.Date.to_date(review.deadline)
                        if review.deadline
                        else fields.Date.context_today(review),
                        "op_review_id": review.id,
                    }
                )
        # Subscribe the reviewers first: a user reviewing for two roles gets
        # two activities on one order, which mail.activity.create would
        # subscribe twice in one batch.
        users = self.env["res.users"].browse({v["user_id"] for v in vals_list})
        self.order_id.sudo().message_subscribe(partner_ids=users.partner_id.ids)
        activities = self.env["mail.activity"]._op_create_notify_once(vals_list)
        for review in self:
            # Issue 21: the department's group robots hear of it too.
            self.env["order.robot.outbox"]._op_queue_event(
                "review_assigned",
                review,
                review.group_id,
                users=activities.filtered(
                    lambda a, r=review: a.op_review_id == r
                ).user_id,
            )

    def _op_close_activities(self, feedback=None):
        """The to-dos of the reviews (and their escalations, R34): done when
        the review is decided, removed when it is voided (issue 18)."""
        activities = self.env["mail.activity"].search(
            [("op_review_id", "in", self.ids)]
        )
        if feedback is None:
            review = self[:1]
            activities.action_feedback(
                feedback=self.env._(
                    "%(step)s decided: %(decision)s",
                    step=review.step_id.name,
                    decision=dict(
                        review._fields["state"]._description_selection(self.env)
                    ).get(review.state),
                )
            )
        else:
            activities.unlink()

    def _op_void(self, reason):
        self.write({"state": "voided", "void_reason": reason})
        self._op_close_activities(feedback=False)

    @api.model
    def _op_escalation_domain(self):
        return [
            ("state", "=", "pending"),
            ("deadline", "<", fields.Datetime.now()),
            ("escalated", "=", False),
        ]

    @api.model
    def _cron_escalate_overdue(self, batch_size=None):
        """R4, R34: overdue reviews are escalated to the PMC manager once.

        Issue 11, item 2: one call escalates at most one batch, the oldest
        deadlines first, and reports its progress, so that the cron runner
        commits it and calls again until the backlog is gone; an escalated
        review is marked in the same transaction as its to-dos, so nothing
        is escalated twice or skipped. Returns how many were escalated."""
        batch = batch_size or self._op_cron_batch_size()
        domain = self._op_escalation_domain()
        overdue = self.search(domain, order="deadline, id", limit=batch)
        # Prefetch what the loop reads, for the whole batch at once.
        overdue.fetch(["order_id", "step_id", "deadline", "company_id"])
        overdue.order_id.fetch(["name", "company_id"])
        overdue.step_id.fetch(["name"])
        self._op_escalate(
            "pmc_manager",
            [
                (
                    review.order_id,
                    lambda env, step=review.step_id: env._(
                        "Overdue review: %(step)s", step=step.with_env(env).name
                    ),
                    self.env._(
                        "Review overdue since %(deadline)s: %(review)s. Escalated to "
                        "the PMC manager.",
                        deadline=review._op_format_datetime(review.deadline),
                        review=review.display_name,
                    ),
                    # Ended with the review: decided, or voided (issue 18).
                    {"op_review_id": review.id},
                )
                for review in overdue
            ],
            "order_process_addon.mail_activity_type_escalation",
            _lt("Overdue reviews escalated to you"),
        )
        managers = {}
        for review in overdue:
            # Issue 21: the PMC manager's group robots hear of it too.
            company = review.company_id
            if company not in managers:
                managers[company] = self._op_role_users("pmc_manager", company)
            self.env["order.robot.outbox"]._op_queue_event(
                "review_overdue", review, ("pmc_manager",), users=managers[company]
            )
        overdue.write({"escalated": True})
        self.env.flush_all()
        self._op_cron_progress(len(overdue), domain, batch)
        return len(overdue)
