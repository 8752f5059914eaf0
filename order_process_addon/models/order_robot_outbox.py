# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The outbox of the group robots (issue 21, item 3): what the process
raised, one row per robot and event, sent by a scheduled job, never by the
step itself.

**Written with the step.** A step raises an event
(``_op_queue_event``: in the process's to-do helpers and a few explicit
places); the rows are written at the end of the step's own transaction (a
pre-commit hook, which merges what one transaction raised about one record:
the departments and the people of every to-do). A step that fails or is
rolled back leaves no row, so nothing is sent. Each row has an idempotency
key (event, record, what distinguishes a second raising, robot) under a
unique constraint; a second insert of the same key does nothing
(``ON CONFLICT DO NOTHING``), so a step done twice, or an escalation run
again, sends one message.

**Sent by the job, one row at a time, in three transactions of its own**
(the job's transaction only reads and reports its progress):

1. *claim*: the row is locked (``SKIP LOCKED``), checked still due (a
   message whose work was done, cancelled or voided is dropped), its
   payload built, and it is marked ``sending`` with its attempt counted;
   committed **before** the request;
2. the request (``robot/``), outside any transaction;
3. *record*: the answer is written (sent; retried later with back-off;
   the robot paused or deactivated; dead; unknown); committed at once.

What each crash point does (the platforms have no idempotency key, so the
outbox chooses per point):

====================================  ==========================================
crash or failure                      what happens
====================================  ==========================================
before the claim is committed         the row is still pending: sent later
no connection, request not sent       retried with back-off (nothing reached
                                      the platform: at least once)
HTTP 5xx, unknown error code          retried with back-off
rate limited ("send too fast")        the robot waits, the row is retried; the
                                      attempt does not count
request sent, no answer (timeout,     ``unknown``: the platform may have posted
connection cut)                       it; never sent again by itself (at most
                                      once), shown under *Undelivered*
killed after the claim (before or     the row stays ``sending``; after
after the request went out)           ``SENDING_TIMEOUT`` the next run marks it
                                      ``unknown``, never sends it again
====================================  ==========================================

So a message is sent twice only by an administrator's *Send Again*, and a
message can fail to arrive without an error shown only if the process dies
in the instant between committing the claim and writing the request to the
socket: it then shows as ``unknown`` under *Undelivered*.

**Rate limits are queued for, not dropped**: before each request the job
counts the robot's recent attempts against the platform's limits (WeCom
and DingTalk 20 a minute, Feishu 100 a minute and 5 a second); a robot at
its limit waits (a few seconds inside the run, else until a later run the
job triggers for the moment a slot frees).
"""

import hashlib
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
import pytz
from psycopg2.extras import Json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..robot.base import text_lines
from .elevation import as_job, as_process, process_write, read_across

_logger = logging.getLogger(__name__)

EVENTS_KEY = "order_process_addon.robot_events"
# Minutes to wait after the 1st, 2nd, ... failed attempt; after the last
# attempt (the 10th, about 4 hours after the first) the message is dead.
BACKOFF_MINUTES = (1, 2, 5, 10, 20, 30, 60, 60, 60)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A message still "sending" this long after its claim was interrupted (a
# request gives up after 15 seconds).
SENDING_TIMEOUT = timedelta(minutes=2)
# Within a run, a robot at its rate limit is waited for this long at most
# (Feishu's 5 a second); beyond, it waits for a later run.
SHORT_WAIT = 1.5
# One call of the job stops starting requests after this many seconds (the
# cron worker's time limit covers every call of the run).
TIME_BUDGET = 10.0
STATES = [
    ("pending", "Pending"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("dropped", "Dropped"),
    ("dead", "Undelivered"),
    ("unknown", "Unknown"),
]


class OrderRobotOutbox(models.Model):
    _name = "order.robot.outbox"
    _description = "Group Robot Message"
    _order = "id desc"
    _rec_name = "title"

    key = fields.Char(string="Idempotency Key", required=True, readonly=True)
    robot_id = fields.Many2one(
        "order.robot",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    platform = fields.Selection(related="robot_id.platform")
    event_id = fields.Many2one("order.robot.event", required=True, readonly=True)
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Record", model_field="res_model", readonly=True
    )
    document = fields.Char(readonly=True)
    title = fields.Char(readonly=True)
    card = fields.Json(readonly=True)
    lang = fields.Char(string="Language", readonly=True)
    rush = fields.Boolean(readonly=True)
    state = fields.Selection(
        STATES, default="pending", required=True, readonly=True, index=True
    )
    not_before = fields.Datetime(
        readonly=True,
        help="Raised outside working time: waits for the next working period (R34).",
    )
    next_try = fields.Datetime(string="Next Attempt", readonly=True)
    attempts = fields.Integer(readonly=True)
    last_attempt_on = fields.Datetime(readonly=True)
    sent_on = fields.Datetime(readonly=True)
    done_on = fields.Datetime(string="Closed On", readonly=True)
    answer = fields.Char(
        string="Platform's Answer", readonly=True, help="To the last attempt."
    )
    last_error = fields.Char(string="Error", readonly=True)
    preview = fields.Text(compute="_compute_preview")

    _sql_constraints = [
        ("key_unique", "unique(key)", "A message is written once per robot."),
    ]

    def init(self):
        # The job reads the pending rows by due time, and each robot's recent
        # attempts (its rate limit).
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS order_robot_outbox_due_index "
                "ON order_robot_outbox (next_try, id) WHERE state = 'pending'"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS order_robot_outbox_attempt_index "
                "ON order_robot_outbox (robot_id, last_attempt_on) "
                "WHERE last_attempt_on IS NOT NULL"
            )
        )

    @api.depends("title", "document")
    def _compute_display_name(self):
        for row in self:
            row.display_name = (
                f"{row.title}: {row.document}" if row.document else row.title
            )

    def _compute_preview(self):
        for row in self:
            card = row.card or {}
            lines = [card.get("title") or "", *text_lines(card)]
            if card.get("link"):
                lines.append(": ".join(card["link"]))
            row.preview = "\n".join(lines)

    # ------------------------------------------------------------ actions
    def action_send_again(self):
        """An administrator sends an undelivered message again (it may be
        in the group already when it is unknown: the administrator
        checked)."""
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only administrators send group robot messages again.")
            )
        wrong = self.filtered(lambda r: r.state not in ("dead", "unknown"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only undelivered or unknown messages are sent again: "
                    "%(messages)s.",
                    messages=", ".join(wrong.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        process_write(
            self, {"state": "pending", "attempts": 0, "next_try": now, "done_on": False}
        )
        as_job(self.env.ref("order_process_addon.ir_cron_robot_outbox"))._trigger()
        return True

    def action_open_record(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("The record is gone."))
        link = self.event_id._op_values(read_across(record))["link"]
        return {
            "type": "ir.actions.act_window",
            "res_model": link._name,
            "res_id": link.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------ queueing
    @api.model
    def _op_queue_event(self, code, records, roles, activities=None, users=None):
        """Raise the event ``code`` on each of ``records``, for the robots
        of the departments of ``roles`` (role names or groups); who must
        act are the assignees of ``activities`` on the record, and
        ``users``. Nothing is read or written now: the rows are written
        when the transaction commits, together (``_op_write_events``)."""
        if not records:
            return
        cr = self.env.cr
        events = cr.precommit.data.get(EVENTS_KEY)
        if events is None:
            events = cr.precommit.data[EVENTS_KEY] = {}
            cr.precommit.add(as_process(self)._op_flush_events)
        # Role names are resolved when the rows are written (no query now).
        groups = set()
        for role in roles or ():
            groups.update([role] if isinstance(role, str) else role.ids)
        people = defaultdict(set)
        for activity in activities or ():
            people[activity.res_model, activity.res_id].add(activity.user_id.id)
        given = set(users.ids) if users else set()
        for record in records:
            entry = events.setdefault(
                (code, record._name, record.id), {"groups": set(), "users": set()}
            )
            entry["groups"] |= groups
            entry["users"] |= people.get((record._name, record.id), set()) | given

    def _op_flush_events(self):
        events = self.env.cr.precommit.data.pop(EVENTS_KEY, None)
        if events:
            self._op_write_events(events)
            self.env.flush_all()

    @api.model
    def _op_write_events(self, events, now=None):
        """The rows of the events raised in this transaction: one per
        robot of the record's company that takes the event and serves one
        of its departments, in the robot's language."""
        now = now or fields.Datetime.now()
        records = {}
        for _code, model, res_id in events:
            records.setdefault(model, set()).add(res_id)
        records = {
            model: self.env[model].browse(sorted(ids)).exists()
            for model, ids in records.items()
        }
        companies = self.env["res.company"].union(
            *(found.company_id for found in records.values())
        )
        # Iterated, the records share their prefetch: one read per model.
        found = {(r._name, r.id): r for recs in records.values() for r in recs}
        robots = self.env["order.robot"].search([("company_id", "in", companies.ids)])
        if not robots:
            return self
        by_code = self.env["order.robot.event"]._op_by_code()
        rows, working = [], {}
        for (code, model, res_id), entry in events.items():
            event = by_code.get(code)
            record = found.get((model, res_id))
            if not event or not event.active or not record:
                continue
            groups = self._op_groups(entry)
            targets = robots.filtered(
                lambda r, e=event, c=record.company_id, g=groups: (
                    r.company_id == c
                    and e in r.event_ids
                    and (not r.group_ids or set(r.group_ids.ids) & g)
                )
            )
            users = self.env["res.users"].browse(sorted(entry["users"]))
            for lang in sorted(set(targets.mapped("lang"))):
                card, values = self._op_card_or_error(event, record, users, lang)
                for robot in targets.filtered(lambda r, lang=lang: r.lang == lang):
                    if values["rush"] or not robot.working_time_only:
                        not_before = now
                    else:
                        company = record.company_id
                        if company not in working:
                            working[company] = self._op_working_time(company, now)
                        not_before = working[company]
                    rows.append(
                        self._op_row(robot, event, record, values, card, not_before)
                    )
        return self._op_insert(rows, now)

    @api.model
    def _op_groups(self, entry):
        """The ids of the groups of an event's roles (names or ids)."""
        data = self.env["ir.model.data"]
        return {
            data._xmlid_to_res_id(f"order_process_addon.group_{role}")
            if isinstance(role, str)
            else role
            for role in entry["groups"]
        }

    def _op_card_or_error(self, event, record, users, lang):
        """The card; or, when it cannot be written (a fault of the robots'
        code must not fail the process's step), an undelivered row with
        the error, for the administrators (and the error logged)."""
        try:
            return self._op_card(event, record, users, lang)
        except psycopg2.Error:
            raise
        except Exception as error:
            _logger.exception(
                "Group robot event %s of %s %s could not be written",
                event.code,
                record._name,
                record.id,
            )
            card = {"title": event.name, "text": "", "fields": [], "mentions": []}
            return card, {
                "rush": False,
                "key": "",
                "error": f"The message could not be written: {error!r}"[:500],
            }

    def _op_row(self, robot, event, record, values, card, not_before):
        key = "|".join(
            (event.code, record._name, str(record.id), values["key"], str(robot.id))
        )
        return {
            "key": hashlib.sha256(key.encode()).hexdigest(),
            "robot_id": robot.id,
            "company_id": robot.company_id.id,
            "event_id": event.id,
            "res_model": record._name,
            "res_id": record.id,
            "document": card["fields"][0][1] if card.get("fields") else "",
            "title": card["title"],
            "card": Json(card),
            "lang": robot.lang,
            "rush": bool(values["rush"]),
            "state": "dead" if values.get("error") else "pending",
            "last_error": values.get("error"),
            "not_before": not_before,
            "next_try": not_before,
            "attempts": 0,
        }

    def _op_insert(self, rows, now):
        """Insert the rows, skipping the keys already written; the job is
        woken for the first due."""
        if not rows:
            return self
        columns = list(rows[0])
        query = SQL(
            "INSERT INTO order_robot_outbox (%s, create_uid, create_date, "
            "write_uid, write_date) VALUES %s ON CONFLICT (key) DO NOTHING "
            "RETURNING id",
            SQL(", ").join(SQL.identifier(column) for column in columns),
            SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s)",
                    SQL(", ").join(SQL("%s", row[column]) for column in columns),
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                )
                for row in rows
            ),
        )
        written = self.browse(id_ for (id_,) in self.env.execute_query(query))
        if written:
            first = min(row["next_try"] for row in rows)
            cron = self.env.ref("order_process_addon.ir_cron_robot_outbox")
            cron._trigger(None if first <= now else first)
        return written

    def _op_card(self, event, record, users, lang):
        """The card of ``event`` on ``record`` in ``lang``, the platform's
        neutral form (``robot/`` turns it into each platform's message)."""
        env = self.with_context(lang=lang).env
        event, record = event.with_env(env), record.with_env(env)
        values = event._op_values(record)
        link = values["link"]
        title = event.name
        if values["rush"] and event.code != "rush_order":
            title = env._("%(event)s (rush order)", event=event.name)
        card_fields = [[env._("Document"), link.display_name]]
        if values["deadline"]:
            card_fields.append(
                [
                    env._("Deadline"),
                    self._op_format_datetime(record.company_id, values["deadline"]),
                ]
            )
        if users:
            card_fields.append([env._("Who must act"), ", ".join(users.mapped("name"))])
        card = {
            "title": title,
            "text": values["text"],
            "fields": card_fields,
            "link": [env._("Open in Odoo"), self._op_url(link)],
            "mentions": [
                {
                    "name": user.name,
                    "mobile": user.mobile or "",
                    "email": user.email or "",
                }
                for user in users
            ],
            "level": event.level,
        }
        return card, values

    @api.model
    def _op_test_card(self, robot):
        env = self.env
        departments = ", ".join(robot.group_ids.mapped("name")) or env._(
            "every department"
        )
        return {
            "title": env._("Test message"),
            "text": env._(
                "The group robot %(robot)s of %(company)s works: the order "
                "process's alerts for %(departments)s come here.",
                robot=robot.name,
                company=robot.company_id.name,
                departments=departments,
            ),
            "fields": [[env._("Sent by"), env.user.name]],
            "link": [env._("Open in Odoo"), self._op_url(robot)],
            "mentions": [],
            "level": "info",
        }

    @api.model
    def _op_url(self, record):
        return f"{record.get_base_url()}/odoo/{record._name}/{record.id}"

    @api.model
    def _op_format_datetime(self, company, value):
        """``value`` (naive UTC) in the company's time zone, with the zone's
        name, as the to-dos and notes show it (R34)."""
        tz = pytz.timezone(self.env["res.company"]._op_calendar(company).tz or "UTC")
        local = pytz.utc.localize(value).astimezone(tz)
        return local.strftime("%Y-%m-%d %H:%M ") + local.tzname()

    @api.model
    def _op_working_time(self, company, now):
        """``now`` when it is working time in the company's calendar, else
        the start of its next working period (R34)."""
        calendar = self.env["res.company"]._op_calendar(company)
        start = pytz.utc.localize(now)
        intervals = calendar._work_intervals_batch(
            start, start + timedelta(days=14), compute_leaves=True
        )[False]
        for begin, end, _meta in intervals:
            if end > start:
                return max(begin, start).astimezone(pytz.utc).replace(tzinfo=None)
        return now
