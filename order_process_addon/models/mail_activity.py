# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.translate import LazyGettext

from .elevation import as_messenger, read_across

# Every kind of to-do the process gives (R34): one activity type each, so
# that the step that ends a kind of work ends its to-dos and nothing else
# (a user's own to-dos included). See ``order.process.todo``'s to-do
# helpers and tests/test_todos.py, which walks each kind.
TODO_KINDS = (
    "mail_activity_type_review",
    "mail_activity_type_escalation",
    "mail_activity_type_rush",
    "mail_activity_type_returned",
    "mail_activity_type_answer",
    "mail_activity_type_signature",
    "mail_activity_type_plan",
    "mail_activity_type_material",
    "mail_activity_type_material_approve",
    "mail_activity_type_send_rfq",
    "mail_activity_type_plan_approve",
    "mail_activity_type_plan_release",
    "mail_activity_type_plan_escalation",
    "mail_activity_type_payment",
    "mail_activity_type_issue_d10",
    "mail_activity_type_d10_escalation",
    "mail_activity_type_shipping",
    "mail_activity_type_d10_returned",
    "mail_activity_type_d10_recalled",
    "mail_activity_type_prepare_shipment",
    "mail_activity_type_gate_check",
    "mail_activity_type_gate_hold",
    "mail_activity_type_carrier_late",
    "mail_activity_type_d12_prepare",
    "mail_activity_type_d12_sign",
    "mail_activity_type_d12_escalation",
    "mail_activity_type_d12_finance",
    "mail_activity_type_late_analysis",
    "mail_activity_type_performance_review",
    "mail_activity_type_improvement_plan",
)


class MailActivity(models.Model):
    _inherit = "mail.activity"

    op_review_id = fields.Many2one(
        "order.review",
        string="Order Review",
        index="btree_not_null",
        ondelete="set null",
        groups="order_process_addon.group_user",
    )

    op_is_process = fields.Boolean(
        string="Order Process To-do",
        compute="_compute_op_is_process",
        search="_search_op_is_process",
        help="A to-do the Order Process gave, which its step ends.",
    )

    @api.model
    def _op_todo_type_ids(self):
        """The activity types of the process's to-dos (``TODO_KINDS``)."""
        types = (
            self.env.ref(f"order_process_addon.{kind}", raise_if_not_found=False)
            for kind in TODO_KINDS
        )
        return [activity_type.id for activity_type in types if activity_type]

    def _compute_op_is_process(self):
        type_ids = set(self._op_todo_type_ids())
        for activity in self:
            activity.op_is_process = activity.activity_type_id.id in type_ids

    def _search_op_is_process(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Order Process To-do."))
        positive = (operator == "=") == value
        return [
            (
                "activity_type_id",
                "in" if positive else "not in",
                self._op_todo_type_ids(),
            )
        ]

    @api.model
    def _op_create_notify_once(self, vals_list):
        """The process's to-dos, created in one batch (as the process), and
        their assignees told once per document in this transaction rather
        than once per to-do (issue 11, item 3): a document with one new
        to-do gets Odoo's own assignment notice; one with several (the
        reviews of a registration, a user reviewing for two roles, a rush
        alert) gets one notice to all their assignees listing them. Every
        to-do stays in its assignee's activities."""
        self._op_translate_summaries(vals_list)
        activities = (
            as_messenger(self)
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
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

    @api.model
    def _op_translate_summaries(self, vals_list):
        """A summary given lazily (``_lt``) or as a function of the
        environment is written in the language of the assignee, who reads
        it (issue 12, item 9; issue 18, item 1)."""
        users = read_across(self.env["res.users"]).browse(
            {v["user_id"] for v in vals_list}
        )
        langs = {user.id: user.lang for user in users}
        for vals in vals_list:
            lang = langs.get(vals["user_id"]) or self.env.lang or "en_US"
            vals["summary"] = self._op_summary_in(vals.get("summary"), lang)
        return vals_list

    @api.model
    def _op_summary_in(self, summary, lang):
        if isinstance(summary, LazyGettext):
            return summary._translate(lang)
        if callable(summary):
            return summary(self.with_context(lang=lang).env)
        return summary
