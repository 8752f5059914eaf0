# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class OrderReviewDecisionWizard(models.TransientModel):
    _name = "order.review.decision.wizard"
    _description = "Decide an Order Review"

    review_id = fields.Many2one("order.review", required=True, readonly=True)
    records_delivery_date = fields.Boolean(related="review_id.records_delivery_date")
    decision = fields.Selection(
        [
            ("approved", "Approve"),
            ("conditional", "Approve with Conditions"),
            ("rejected", "Reject"),
        ],
        required=True,
        default="approved",
    )
    reason = fields.Text(string="Reason / Conditions")
    comments = fields.Text()
    committed_date = fields.Date(string="Delivery Date We Can Commit To")

    def action_confirm(self):
        self.ensure_one()
        review = self.review_id
        if self.decision == "approved":
            review.action_approve(
                comments=self.comments, committed_date=self.committed_date
            )
        elif self.decision == "conditional":
            review.action_approve_with_conditions(
                self.reason, comments=self.comments, committed_date=self.committed_date
            )
        else:
            review.action_reject(self.reason, comments=self.comments)
        return {"type": "ir.actions.act_window_close"}
