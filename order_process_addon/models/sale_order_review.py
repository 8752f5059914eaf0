# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Registration of an order for review (R3-R10): the order is registered on
D1 and opens a review round; the round is ``order.review``'s (it opens the
steps one after the other and collects the decisions) and tells the order
each decision and its outcome through ``_op_review_outcome`` (returned, or
reviewed for PMC to answer)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_process, process_write, read_across
from .sale_order import ANSWER, RETURNED, RUSH

_lt = LazyTranslate(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.depends("op_review_ids.state", "op_review_ids.deadline")
    def _compute_op_review_overdue(self):
        for order in self:
            # Read as the process: a flag on the order, whoever looks at it.
            order.op_review_overdue = any(
                r.is_overdue for r in read_across(order).op_review_ids
            )

    def _search_op_review_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Review Overdue."))
        positive = (operator == "=") == value
        return [
            (
                "op_review_ids",
                "any" if positive else "not any",
                [("is_overdue", "=", True)],
            )
        ]

    def _check_can_register(self):
        self._op_check_role("customer_mgmt")
        for order in self:
            if not order.op_active:
                raise UserError(
                    self.env._(
                        "%(order)s does not follow the Order Process.", order=order.name
                    )
                )
            if order.op_state not in ("draft", "returned"):
                raise UserError(
                    self.env._(
                        "%(order)s is already registered for review.", order=order.name
                    )
                )
            lines = order.order_line.filtered(lambda line: not line.display_type)
            if not lines:
                raise UserError(self.env._("Add the ordered products first."))
            if any(line.product_uom_qty <= 0 for line in lines):
                raise UserError(self.env._("Every ordered quantity must be positive."))
            if not order.user_id or not order.op_merchandiser_id:
                raise UserError(
                    self.env._(
                        "Every order has a responsible sales person and a "
                        "merchandiser (R1)."
                    )
                )
            if (
                order.op_requested_date
                and order.op_requested_date < fields.Date.context_today(order)
            ):
                raise UserError(self.env._("The requested date is in the past."))

    def action_op_register(self):
        """R3, R4, R6: register on D1 and start the review round."""
        self._check_can_register()
        now = fields.Datetime.now()
        for order in self:
            order._op_lock()
            returned = order.op_state == "returned"
            calendar = self.env["res.company"]._op_calendar(order.company_id)
            company = order.company_id
            if order.op_is_rush:
                deadline = calendar.op_plan_working_time(
                    now, hours=company.op_rush_review_hours
                )
            else:
                deadline = calendar.op_plan_working_time(
                    now, days=company.op_review_days
                )
            process_write(
                order,
                {
                    "op_state": "review",
                    "op_registered_on": now,
                    "op_registered_by_id": self.env.user.id,
                    "op_review_round": order.op_review_round + 1,
                    "op_review_deadline": deadline,
                    "op_return_reason": False,
                    # R9: an approval holds for the content of its own round.
                    "op_gm_approved_by_id": False,
                    "op_gm_approved_on": False,
                },
            )
            if returned:
                order._op_done_activities(
                    RETURNED,
                    feedback=self.env._(
                        "Registered again for review (round %(round)s)",
                        round=order.op_review_round,
                    ),
                )
            # The round is order.review's (issue 20, item 2): it tells the
            # order its outcome through _op_review_outcome.
            reviews = as_process(self.env["order.review"])._op_open_round(order, now)
            if not reviews:
                continue
            order.message_post(
                body=self.env._(
                    "Registered for review, round %(round)s: %(steps)s. Deadline "
                    "%(deadline)s.",
                    round=order.op_review_round,
                    steps=", ".join(reviews.mapped("step_id.name")),
                    deadline=order._op_format_datetime(deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
            if order.op_is_rush:
                order._op_notify_group(
                    "pmc_planner",
                    _lt(
                        "Rush order %(order)s: evaluate and answer at once (R6).",
                        order=order.name,
                    ),
                    deadline,
                    RUSH,
                    robot_event="rush_order",
                )
        return True

    def _op_review_outcome(self, review, outcome):
        """What the review round (``order.review``, its owner) tells the
        order: ``review`` was decided (empty when the round had no step),
        and the round's ``outcome``: "rejected" (R10: back to Customer
        Management), "reviewed" (R7: PMC answers) or None (it goes on).
        The one call from the round into the order."""
        self.ensure_one()
        if review:
            # Every decision writes the order: two decisions on one order at
            # once conflict, and the later one is retried on the committed
            # state.
            self.op_last_decision_on = review.date_decision
            gm_group = self.env.ref("order_process_addon.group_general_manager")
            if review.group_id == gm_group and review.state != "rejected":
                self.write(
                    {
                        "op_gm_approved_by_id": review.reviewer_id.id,
                        "op_gm_approved_on": review.date_decision,
                    }
                )
        if outcome == "rejected":
            self._op_review_rejected(review)
        elif outcome == "reviewed":
            self._op_all_reviews_done()

    def _op_review_rejected(self, review):
        """R10: the order goes back to Customer Management."""
        self.write({"op_state": "returned", "op_return_reason": review.reason})
        # The round is over: its rush alert with it (a new registration
        # alerts again).
        self._op_drop_activities(RUSH)
        self.message_post(
            body=self.env._(
                "Rejected by %(step)s (%(user)s): %(reason)s. The order goes back "
                "to Customer Management.",
                step=review.step_id.name,
                user=review.reviewer_id.name,
                reason=review.reason,
            ),
            # Internal: the customer does not read the departments'
            # reasons (R8), on the portal or by e-mail.
            subtype_xmlid="mail.mt_note",
        )
        self._op_notify_user(
            self.op_merchandiser_id,
            lambda env, step=review.step_id: env._(
                "%(order)s returned by %(step)s: correct it and register it again",
                order=self.name,
                step=step.with_env(env).name,
            ),
            activity_xmlid=RETURNED,
        )

    def _op_all_reviews_done(self):
        self.op_state = "reviewed"
        self.message_post(
            body=self.env._("Every review is done: PMC answers the result (R7)."),
            subtype_xmlid="mail.mt_note",
        )
        self._op_notify_group(
            "pmc_planner",
            _lt("Answer the review result of %(order)s", order=self.name),
            activity_xmlid=ANSWER,
        )
