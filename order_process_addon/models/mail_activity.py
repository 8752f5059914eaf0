# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    op_review_id = fields.Many2one(
        "order.review",
        string="Order Review",
        index="btree_not_null",
        ondelete="set null",
    )

    @api.model
    def _op_create_notify_once(self, vals_list):
        """The process's to-dos, created in one batch (as the process), and
        their assignees told once per document in this transaction rather
        than once per to-do (issue 11, item 3): a user who reviews for two
        roles, or who gets a review and a rush alert on one order, receives
        one notification of Odoo's own (the first to-do), and sees them all
        in the activities."""
        activities = (
            self.sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )
        notified = self.env.cr.precommit.data.setdefault(
            "order_process_addon.activity_notified", set()
        )
        to_notify = activities.browse()
        for activity in activities:
            key = (activity.res_model, activity.res_id, activity.user_id.id)
            if activity.user_id == self.env.user or key in notified:
                continue
            notified.add(key)
            to_notify |= activity
        to_notify.with_context(mail_notify_force_send=False).action_notify()
        return activities
