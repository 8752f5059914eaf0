# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The review round of an order (R4-R10, R34): order.review owns it. It
opens the round's steps one after the other (deadline and to-dos each),
collects the decisions, voids what a new round, a rejection or a
cancellation ends, escalates the overdue reviews, and tells the order each
decision and the round's outcome through one call,
``sale.order._op_review_outcome``."""

from odoo import api, fields, models
from odoo.tools import LazyTranslate

from .elevation import as_messenger, as_process

_lt = LazyTranslate(__name__)


class OrderReview(models.Model):
    _inherit = "order.review"

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
            as_process(order)._op_review_outcome(reviews, "reviewed")
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
        as_process(orders).op_review_ids.filtered(
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
        as_process(order)._op_review_outcome(self, outcome)

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
        as_messenger(self.order_id).message_subscribe(partner_ids=users.partner_id.ids)
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
