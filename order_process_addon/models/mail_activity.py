# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date
from odoo.tools.translate import LazyGettext


class MailActivity(models.Model):
    _inherit = "mail.activity"

    op_review_id = fields.Many2one(
        "order.review",
        string="Order Review",
        index="btree_not_null",
        ondelete="set null",
        groups="order_process_addon.group_user",
    )

    @api.model
    def _op_create_notify_once(self, vals_list):
        """The process's to-dos, created in one batch (as the process), and
        their assignees told once per document in this transaction rather
        than once per to-do (issue 11, item 3): a document with one new
        to-do gets Odoo's own assignment notice; one with several (the
        reviews of a registration, a user reviewing for two roles, a rush
        alert) gets one notice to all their assignees listing them. Every
        to-do stays in its assignee's activities."""
        users = self.env["res.users"].sudo().browse({v["user_id"] for v in vals_list})
        langs = {user.id: user.lang for user in users}
        for vals in vals_list:
            # A summary given as a function of the environment is written in
            # the language of the assignee, who reads it (issue 12, item 9).
            summary = vals.get("summary")
            lang = langs.get(vals["user_id"]) or self.env.lang or "en_US"
            if isinstance(summary, LazyGettext):
                vals["summary"] = summary._translate(lang)
            elif callable(summary):
                vals["summary"] = summary(self.with_context(lang=lang).env)
        activities = (
            self.sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )
        notified = self.env.cr.precommit.data.setdefault(
            "order_process_addon.activity_notified", set()
        )
        per_record = defaultdict(lambda: activities.browse())
        for activity in activities:
            key = (activity.res_model, activity.res_id, activity.user_id.id)
            if activity.user_id == self.env.user or key in notified:
                continue
            notified.add(key)
            per_record[activity.res_model, activity.res_id] |= activity
        quiet = activities.with_context(mail_notify_force_send=False)
        for (model, res_id), todo in per_record.items():
            if len(todo) == 1:
                todo.with_context(mail_notify_force_send=False).action_notify()
                continue
            record = quiet.env[model].browse(res_id)
            body = Markup("<ul>%s</ul>") % Markup("").join(
                Markup("<li>%s: %s (%s)</li>")
                % (
                    activity.summary or activity.activity_type_id.name,
                    activity.user_id.name,
                    format_date(quiet.env, activity.date_deadline),
                )
                for activity in todo
            )
            record.message_notify(
                partner_ids=todo.user_id.partner_id.ids,
                subject=self.env._(
                    "%(document)s: to-dos assigned to you",
                    document=record.display_name,
                ),
                body=body,
                record_name=record.display_name,
                email_layout_xmlid="mail.mail_notification_layout",
            )
        return activities
