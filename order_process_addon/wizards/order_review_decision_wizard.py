# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class OrderReviewDecisionWizard(models.TransientModel):
    """The decision dialog of a review (R10): what is reviewed (the order's
    products, special requirements, attachments and the other departments'
    decisions so far), then the decision with one text whose meaning follows
    the decision (issue 18, item 3). The review checks everything again."""

    _name = "order.review.decision.wizard"
    _description = "Decide an Order Review"

    review_id = fields.Many2one("order.review", required=True, readonly=True)
    records_delivery_date = fields.Boolean(related="review_id.records_delivery_date")
    # What is reviewed, from the review.
    order_id = fields.Many2one(related="review_id.order_id")
    partner_id = fields.Many2one(related="review_id.partner_id")
    client_order_ref = fields.Char(related="review_id.client_order_ref")
    step_id = fields.Many2one(related="review_id.step_id")
    deadline = fields.Datetime(related="review_id.deadline")
    requested_date = fields.Date(related="review_id.requested_date")
    special_requirements = fields.Text(related="review_id.special_requirements")
    attachment_ids = fields.Many2many(related="review_id.attachment_ids")
    order_line_ids = fields.Many2many(related="review_id.order_line_ids")
    other_review_ids = fields.Many2many(related="review_id.other_review_ids")
    # The decision.
    decision = fields.Selection(
        [
            ("approved", "Approve"),
            ("conditional", "Approve with Conditions"),
            ("rejected", "Reject"),
        ],
        required=True,
        default="approved",
    )
    text = fields.Text(
        string="Comment / Conditions / Reason",
        help="Approve: an optional comment. Approve with conditions: the "
        "conditions, which the customer signs with the order. Reject: the "
        "reason, which goes back to Customer Management.",
    )
    committed_date = fields.Date(string="Delivery Date We Can Commit To")

    def action_confirm(self):
        self.ensure_one()
        review = self.review_id
        # The text is kept where the review keeps it (R10): a plain
        # approval's comment in ``comments``, the conditions or the reason in
        # ``reason`` (which the review requires for these decisions).
        if self.decision == "approved":
            review.action_approve(
                comments=self.text, committed_date=self.committed_date
            )
        elif self.decision == "conditional":
            review.action_approve_with_conditions(
                self.text, committed_date=self.committed_date
            )
        else:
            review.action_reject(self.text)
        return {"type": "ir.actions.act_window_close"}
