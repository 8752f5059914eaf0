# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class Editable:
    """What a user may still change on a document in one state (R35, R36):
    ``Editable(only={...})`` those fields and nothing else,
    ``Editable(but={...})`` every field but those."""

    __slots__ = ("only", "but")

    def __init__(self, only=None, but=()):
        self.only = None if only is None else frozenset(only)
        self.but = frozenset(but)

    def refused(self, names):
        names = set(names)
        if self.only is not None:
            return names - self.only
        return names & self.but


ALL = Editable()
NOTHING = Editable(only=())

# Written by Odoo's chatter and activities on any document, whatever its state.
ALWAYS_WRITABLE = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "message_ids",
        "activity_ids",
        "website_message_ids",
        "message_partner_ids",
    }
)


class OrderProcessMixin(models.AbstractModel):
    """What every document of the process shares.

    **The one guard (R35-R37).** Each process model declares, as data:

    - ``_op_process_fields``: what only the process's own steps write (state,
      signatures, approvers, dates, links to other process records), or
      ``"__all__"``. No user gives them, on create (beyond their default) or
      on write;
    - ``_op_fixed_fields``: given at creation, never changed afterwards (the
      order of a D3, the MO of an inspection...);
    - ``_op_state_field`` and ``_op_editable``: what a user may still change
      in which state (``Editable``); a state that is not listed is frozen;
      ``_op_editable = None`` freezes nothing;
    - ``_op_deletable_states``: the states in which a record may be deleted
      (``None``: not the process's concern, Odoo decides).

    ``create``, ``write`` and ``unlink`` check them here, and nowhere else.
    The process's steps check the role and the rules of their step
    (``_check_can_<step>``), then write what they decided as the superuser
    (``sudo()``), which a client cannot become: no context key opens the
    guard. Models narrow what the guard applies to with ``_op_guarded``
    (records) and ``_op_guarded_vals`` (values of a record to create)."""

    _name = "order.process.mixin"
    _description = "Order Process Step"

    _op_process_fields = frozenset()
    _op_fixed_fields = frozenset()
    _op_state_field = "state"
    _op_editable = None
    _op_deletable_states = None

    # ------------------------------------------------------------ the guard
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if self._op_guarded_vals(vals):
                    self._op_check_create(vals)
        for vals in vals_list:
            self._op_complete_vals(vals)
        records = super().create(vals_list)
        if not self.env.su:
            records._op_check_created()
        return records

    def write(self, vals):
        if not self.env.su:
            self._op_guarded()._op_check_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_process_record(self):
        if self._op_deletable_states is None:
            return
        kept = self._op_guarded().filtered(
            lambda r: r._op_state() not in self._op_deletable_states
        )
        if kept:
            raise UserError(
                self.env._(
                    "%(records)s: documents of the Order Process are voided or "
                    "cancelled, never deleted (R35).",
                    records=", ".join(kept.mapped("display_name")),
                )
            )

    def _op_guarded(self):
        """The records the guard applies to (hook): all of them."""
        return self

    def _op_guarded_vals(self, vals):
        """Whether a record created with ``vals`` is guarded (hook)."""
        return True

    def _op_state(self):
        """The state that decides what may change (``_op_state_field``, a
        field or a path such as ``order_id.op_state``)."""
        self.ensure_one()
        if not self._op_state_field:
            return False
        values = self.sudo().mapped(self._op_state_field)
        return values[0] if values else False

    def _op_field_names(self, names):
        return ", ".join(
            self._fields[name].get_description(self.env)["string"]
            for name in sorted(names)
            if name in self._fields
        )

    def _op_process_field_names(self):
        """``_op_process_fields``, or every field but the chatter's when it
        is ``"__all__"``: a record only the process writes."""
        if self._op_process_fields == "__all__":
            return frozenset(self._fields) - ALWAYS_WRITABLE
        return frozenset(self._op_process_fields)

    def _op_refuse_process_fields(self, names):
        raise AccessError(
            self.env._(
                "%(document)s: %(fields)s only change through the steps of "
                "the Order Process (its buttons), never by direct writing.",
                fields=self._op_field_names(names),
                document=self._description,
            )
        )

    def _op_check_create(self, vals):
        """Nothing the process decides comes from the client: a process
        field is given at most with its default (an empty value, the first
        state)."""
        given = {
            name
            for name in self._op_process_field_names().intersection(vals)
            if not self._op_is_default(name, vals[name])
        }
        if given:
            self._op_refuse_process_fields(given)

    def _op_is_default(self, name, value):
        field = self._fields[name]
        if not value:
            return True
        if field.type in ("one2many", "many2many"):
            return False
        if field.default is None:
            return False
        default = field.default(self)
        if isinstance(default, models.BaseModel):
            default = default.id
        return value == default

    def _op_complete_vals(self, vals):
        """What the process itself gives a new record (hook), after the
        client's values were checked: its number, its author, its company."""

    def _op_check_created(self):
        """After creation (hook): e.g. an order that entered the process."""

    def _op_check_write(self, vals):
        names = set(vals) - ALWAYS_WRITABLE
        if not self or not names:
            return
        process = names & self._op_process_field_names()
        if process:
            self._op_refuse_process_fields(process)
        fixed = names & self._op_fixed_fields
        if fixed:
            raise UserError(
                self.env._(
                    "%(fields)s of %(document)s are given when it is created and "
                    "do not change afterwards.",
                    fields=self._op_field_names(fixed),
                    document=self._description,
                )
            )
        if self._op_editable is None:
            return
        for record in self:
            state = record._op_state()
            refused = self._op_editable.get(state, NOTHING).refused(names)
            if refused:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s: %(fields)s can no longer change.",
                        record=record.display_name,
                        state=record._op_state_label(),
                        fields=self._op_field_names(refused),
                    )
                )

    def _op_state_label(self):
        self.ensure_one()
        if not self._op_state_field:
            return ""
        model = self
        *path, last = self._op_state_field.split(".")
        for name in path:
            model = self.env[model._fields[name].comodel_name]
        field = model._fields[last]
        value = self._op_state()
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        return str(value)

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
    def _op_check_role(self, *roles):
        if self.env.su:
            return
        user = self.env.user
        if not any(user.has_group(f"order_process_addon.group_{r}") for r in roles):
            names = ", ".join(
                self.env.ref(f"order_process_addon.group_{r}").name for r in roles
            )
            raise AccessError(self.env._("Only %(roles)s may do this.", roles=names))

    def _op_role_users(self, role, company):
        """The internal users of ``role`` (a role name or its group) in
        ``company``."""
        group = (
            self.env.ref(f"order_process_addon.group_{role}")
            if isinstance(role, str)
            else role
        )
        return group.users.filtered(lambda u: company in u.company_ids and not u.share)

    def _op_assign_name(self, vals):
        """The document number from the sequence of the model's name (D3/,
        D4/, D7/...), whatever the client sent."""
        vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
            self._name
        ) or self.env._("New")

    def _op_check_not_submitter(self):
        """R13, R37: who approves or signs is not who submitted, even when
        one user holds both roles (segregation of duties)."""
        for record in self:
            if record.submitted_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "%(document)s was submitted by you: someone else approves "
                        "it (R13, R37).",
                        document=record.display_name,
                    )
                )

    # ------------------------------------------------------------ to-dos
    def _op_notify_group(
        self, role, summary, deadline=None, activity_xmlid=None, exclude=None
    ):
        """A to-do for every internal user of ``role`` in the record's
        company (but ``exclude``), created in one batch."""
        self._op_schedule(
            [
                (record, user)
                for record in self
                for user in self._op_role_users(role, record.company_id)
                - (exclude or self.env["res.users"])
            ],
            summary,
            deadline,
            activity_xmlid,
        )

    def _op_notify_user(self, user, summary, deadline=None, activity_xmlid=None):
        if user:
            self._op_schedule(
                [(record, user) for record in self], summary, deadline, activity_xmlid
            )

    def _op_schedule(self, pairs, summary, deadline=None, activity_xmlid=None):
        """One ``mail.activity.create`` for (record, user) pairs (records of
        any model with activities), each summary in its assignee's
        language when given lazily."""
        if not pairs:
            return self.env["mail.activity"]
        activity_type = self.env.ref(activity_xmlid or "mail.mail_activity_data_todo")
        date_deadline = (
            fields.Date.to_date(deadline)
            if deadline
            else fields.Date.context_today(self)
        )
        return self.env["mail.activity"]._op_create_notify_once(
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
        Activity = self.env["mail.activity"].sudo()
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
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("order_process_addon.cron_batch_size", "300")
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

    def _op_escalate(self, role, items, activity_xmlid, subject):
        """Escalate to the users of ``role`` (issue 11, item 2): ``items``
        is a list of (record of self, summary, note[, values]); each gets a
        chatter note on its record (one batch of notes per model), and a
        to-do for each user of the role in the record's company (one batch
        of to-dos, without one e-mail per to-do), with ``values`` (e.g. the
        review it escalates, which ends it); each user is then told once,
        with the list of what was escalated to them. A summary given lazily
        reads in each assignee's language."""
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
            self.env[model].browse([r.id for r in records]).sudo()._message_log_batch(
                bodies={
                    record.id: Markup("<br/>").join(escape(n) for n in notes[record])
                    for record in records
                },
            )
        Activity = self.env["mail.activity"]
        activities = (
            Activity.sudo()
            .with_context(mail_activity_quick_update=True)
            .create(Activity._op_translate_summaries(vals_list))
        )
        self._op_notify_digest(per_user, subject)
        return activities

    @api.model
    def _op_notify_digest(self, per_user, subject):
        """One message to each user of ``per_user`` ({user: [(record,
        summary)]}) listing the records, queued rather than sent at once,
        in the user's language when the summaries are given lazily."""
        thread = (
            self.env["mail.thread"].sudo().with_context(mail_notify_force_send=False)
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
