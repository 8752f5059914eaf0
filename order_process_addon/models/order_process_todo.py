# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Deadlines, to-dos, escalation and scheduled jobs of the process (issue 20,
item 2): what a document that gives people work inherits, apart from its
guard (``order.process.guard``)."""

from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models

from .elevation import as_messenger, read_across


class OrderProcessTodo(models.AbstractModel):
    """What a document that gives people work shares: the company's time,
    the users of a role, to-dos (``mail.activity``) and how they end, the
    scheduled jobs' batches and escalation to a role."""

    _name = "order.process.todo"
    _description = "Order Process To-dos and Deadlines"

    # ------------------------------------------------------------ time
    def _op_format_datetime(self, value):
        """``value`` (naive UTC) as the company's people read it in notes and
        to-dos: in the time zone of its working calendar (R34), with the
        zone's name, never in UTC (issue 12, item 9)."""
        if not value:
            return ""
        company = (
            self.company_id[:1]
            if "company_id" in self._fields and self
            else self.env.company
        )
        tz = self.env["res.company"]._op_calendar(company).tz or "UTC"
        local = fields.Datetime.context_timestamp(self.with_context(tz=tz), value)
        return local.strftime("%Y-%m-%d %H:%M ") + local.tzname()

    # ------------------------------------------------------------ roles
    def _op_role_users(self, role, company):
        """The internal users of ``role`` (a role name or its group) in
        ``company``."""
        group = (
            self.env.ref(f"order_process_addon.group_{role}")
            if isinstance(role, str)
            else role
        )
        return group.users.filtered(lambda u: company in u.company_ids and not u.share)

    # ------------------------------------------------------------ to-dos
    def _op_notify_group(
        self,
        role,
        summary,
        deadline=None,
        activity_xmlid=None,
        exclude=None,
        robot_event=None,
    ):
        """A to-do for every internal user of ``role`` in the record's
        company (but ``exclude``), created in one batch; ``robot_event``:
        see ``_op_robot_event``."""
        return self._op_schedule(
            [
                (record, user)
                for record in self
                for user in self._op_role_users(role, record.company_id)
                - (exclude or self.env["res.users"])
            ],
            summary,
            deadline,
            activity_xmlid,
            robot_event=robot_event,
            robot_roles=(role,),
        )

    def _op_notify_user(
        self, user, summary, deadline=None, activity_xmlid=None, **robot
    ):
        if user:
            return self._op_schedule(
                [(record, user) for record in self],
                summary,
                deadline,
                activity_xmlid,
                **robot,
            )
        return self.env["mail.activity"]

    def _op_schedule(self, pairs, summary, deadline=None, activity_xmlid=None, **robot):
        """One ``mail.activity.create`` for (record, user) pairs (records of
        any model with activities), each summary in its assignee's
        language when given lazily; ``robot_event`` and ``robot_roles``:
        see ``_op_robot_event``."""
        if not pairs:
            return self._op_robot_event(self.env["mail.activity"], **robot)
        activity_type = self.env.ref(activity_xmlid or "mail.mail_activity_data_todo")
        date_deadline = (
            fields.Date.to_date(deadline)
            if deadline
            else fields.Date.context_today(self)
        )
        activities = self.env["mail.activity"]._op_create_notify_once(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id(record._name),
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                    "date_deadline": date_deadline,
                }
                for record, user in pairs
            ]
        )
        return self._op_robot_event(activities, **robot)

    def _op_robot_event(self, activities, robot_event=None, robot_roles=()):
        """The moment of these to-dos goes to the group robots too (issue
        21): ``robot_event`` (an ``order.robot.event`` code) is raised on
        each record for the robots of the departments of ``robot_roles``,
        naming the assignees of ``activities``; written to the outbox when
        the transaction commits. Returns ``activities``."""
        if robot_event:
            self.env["order.robot.outbox"]._op_queue_event(
                robot_event, self, robot_roles, activities
            )
        return activities

    # How a to-do ends (issue 18, item 1). Its work done by a step: marked
    # done, with a feedback naming the step (Odoo's ``activity_feedback``).
    # Its work cancelled, voided, superseded or moved elsewhere: removed,
    # as Odoo's own ``activity_unlink`` does when a leave or an expense
    # report is refused; what ended it is in the document's chatter (its
    # state change, void or cancellation note), so nothing is lost, and no
    # "done" message claims work nobody did. One search for all the
    # records, whatever their number.
    def _op_activities(self, activity_xmlids=None):
        """The open to-dos of the process on these records, of the kinds
        ``activity_xmlids`` (one or several xml ids; default: every kind of
        the process, ``mail_activity.TODO_KINDS``)."""
        Activity = as_messenger(self.env["mail.activity"])
        if not self.ids:
            return Activity
        if activity_xmlids is None:
            type_ids = Activity._op_todo_type_ids()
        else:
            if isinstance(activity_xmlids, str):
                activity_xmlids = [activity_xmlids]
            type_ids = [self.env.ref(xmlid).id for xmlid in activity_xmlids]
        return Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "in", type_ids),
            ]
        )

    def _op_done_activities(self, activity_xmlids, feedback=None):
        """Mark the process's to-dos of these kinds on the records done:
        their work was done, by the step ``feedback`` names."""
        activities = self._op_activities(activity_xmlids)
        if activities:
            activities.action_feedback(feedback=feedback)
        return activities

    def _op_drop_activities(self, activity_xmlids=None):
        """Remove the process's to-dos of these kinds (default: every kind)
        on the records: their work was cancelled or voided."""
        activities = self._op_activities(activity_xmlids)
        activities.unlink()
        return True

    # ------------------------------------------------------------ crons
    @api.model
    def _op_cron_batch_size(self):
        """How many items one call of a scheduled job handles (issue 11,
        item 2): small enough that a call stays far under a worker's time
        limit whatever the backlog; the cron runner calls again while
        ``_notify_progress`` reports some done and some remaining."""
        value = read_across(self.env["ir.config_parameter"]).get_param(
            "order_process_addon.cron_batch_size", "300"
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 300

    @api.model
    def _op_cron_progress(self, done, domain, batch):
        """Report a batch of ``done`` items to the cron runner; what is left
        is counted only when the batch was full."""
        remaining = self.search_count(domain) if done >= batch else 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    def _op_escalate(self, role, items, activity_xmlid, subject, robot_event=None):
        """Escalate to the users of ``role`` (issue 11, item 2): ``items``
        is a list of (record of self, summary, note[, values]); each gets a
        chatter note on its record (one batch of notes per model), and a
        to-do for each user of the role in the record's company (one batch
        of to-dos, without one e-mail per to-do), with ``values`` (e.g. the
        review it escalates, which ends it); each user is then told once,
        with the list of what was escalated to them. A summary given lazily
        reads in each assignee's language. ``robot_event``: see
        ``_op_robot_event``, for each record."""
        if not items:
            return self.env["mail.activity"]
        users_of = {}
        notes = defaultdict(list)
        vals_list = []
        activity_type = self.env.ref(activity_xmlid)
        today = fields.Date.context_today(self)
        per_user = defaultdict(list)
        for record, summary, note, *values in items:
            company = record.company_id
            if company not in users_of:
                users_of[company] = self._op_role_users(role, company)
            notes[record].append(note)
            for user in users_of[company]:
                vals_list.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(record._name),
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "date_deadline": today,
                        **(values[0] if values else {}),
                    }
                )
                per_user[user].append((record, summary))
        for model in {record._name for record in notes}:
            records = [record for record in notes if record._name == model]
            as_messenger(
                self.env[model].browse([r.id for r in records])
            )._message_log_batch(
                bodies={
                    record.id: Markup("<br/>").join(escape(n) for n in notes[record])
                    for record in records
                },
            )
        Activity = self.env["mail.activity"]
        activities = (
            as_messenger(Activity)
            .with_context(mail_activity_quick_update=True)
            .create(Activity._op_translate_summaries(vals_list))
        )
        self._op_notify_digest(per_user, subject)
        for model in {record._name for record in notes}:
            self.env[model].browse(
                [r.id for r in notes if r._name == model]
            )._op_robot_event(activities, robot_event, (role,))
        return activities

    @api.model
    def _op_notify_digest(self, per_user, subject):
        """One message to each user of ``per_user`` ({user: [(record,
        summary)]}) listing the records, queued rather than sent at once,
        in the user's language when the summaries are given lazily."""
        thread = as_messenger(self.env["mail.thread"]).with_context(
            mail_notify_force_send=False
        )
        Activity = self.env["mail.activity"]
        for user, lines in per_user.items():
            lang = user.lang or self.env.lang or "en_US"
            body = Markup("<ul>%s</ul>") % Markup("").join(
                Markup('<li><a href="/odoo/%s/%s">%s</a>: %s</li>')
                % (
                    record._name,
                    record.id,
                    record.display_name,
                    Activity._op_summary_in(summary, lang),
                )
                for record, summary in lines
            )
            thread.message_notify(
                partner_ids=user.partner_id.ids,
                subject=Activity._op_summary_in(subject, lang),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
