# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Sending the outbox of the group robots (issue 21, item 3): the scheduled
job claims each due row, sends it outside any transaction, records the
answer, and retries with a back-off; see order_robot_outbox.py for the whole
design."""

import logging
import time
from datetime import UTC, datetime, timedelta

import psycopg2

from odoo import api, models
from odoo.tools import SQL

from ..robot import (
    INVALID_ROBOT,
    OK,
    RATE_LIMITED,
    REJECTED,
    UNKNOWN,
    Answer,
    RobotUrlError,
)
from .elevation import as_job, read_across
from .order_robot_outbox import (
    BACKOFF_MINUTES,
    MAX_ATTEMPTS,
    SENDING_TIMEOUT,
    SHORT_WAIT,
    TIME_BUDGET,
)

_logger = logging.getLogger(__name__)


class OrderRobotOutbox(models.Model):
    _inherit = "order.robot.outbox"

    # ------------------------------------------------------------ sending
    @api.model
    def _cron_send(self):
        """The scheduled job: send what is due, in batches."""
        return self._op_send_due()

    @api.model
    def _op_send_due(self, now=None, batch=None):
        """Send the due messages, at most ``batch``, for at most
        ``TIME_BUDGET`` seconds; report the progress to the cron runner and
        wake the job for the next due message. ``now`` (naive UTC) sets the
        clock, which then runs at real speed. Returns how many rows were
        handled."""
        # The real clock to the microsecond (fields.Datetime.now() drops
        # them: a clock up to a second behind would date a dropped message
        # before the decision that ended its work).
        start = now or datetime.now(UTC).replace(tzinfo=None)
        began = time.monotonic()

        def clock():
            return start + timedelta(seconds=time.monotonic() - began)

        self.env.flush_all()
        batch = batch or self._op_batch_size()
        self._op_reclaim_interrupted(start)
        domain = self._op_due_domain(start)
        rows = self.search(domain, order="rush desc, next_try, id", limit=batch)
        due = self.search_count(domain) if len(rows) == batch else len(rows)
        rows.fetch(["robot_id", "key"])
        recent, blocked, later = {}, {}, []
        handled = 0
        for row in rows:
            if time.monotonic() - began > TIME_BUDGET:
                break
            robot = row.robot_id
            if robot in blocked:
                continue
            free = self._op_free_at(robot, recent, clock())
            wait = (free - clock()).total_seconds()
            if wait > SHORT_WAIT:
                blocked[robot] = free
                continue
            if wait > 0:
                time.sleep(wait)
            moment = clock()
            outcome, next_try = row._op_send(moment)
            handled += 1
            if outcome is None:
                continue
            # When the request ended: the platform counted it by then.
            recent[robot].append(clock())
            if next_try:
                later.append(next_try)
            if outcome in (RATE_LIMITED, INVALID_ROBOT):
                blocked[robot] = next_try or moment
        self._op_wake_later(start, [*blocked.values(), *later])
        if handled:
            _logger.info("Group robot messages: %s handled, %s were due", handled, due)
        self.env["ir.cron"]._notify_progress(
            done=handled, remaining=max(due - handled, 0) if handled else 0
        )
        self.env.invalidate_all()
        return handled

    @api.model
    def _op_batch_size(self):
        value = read_across(self.env["ir.config_parameter"]).get_param(
            "order_process_addon.robot_batch_size", "50"
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 50

    @api.model
    def _op_due_domain(self, now):
        return [
            ("state", "=", "pending"),
            ("next_try", "<=", now),
            ("robot_id.active", "=", True),
            "|",
            ("robot_id.paused_until", "=", False),
            ("robot_id.paused_until", "<=", now),
        ]

    @api.model
    def _op_reclaim_interrupted(self, now):
        """A row still "sending" long after its claim: its sender died,
        before or after the request went out. It may be in the group, so it
        is never sent again by itself: unknown, for an administrator."""
        interrupted = self.search(
            [
                ("state", "=", "sending"),
                ("last_attempt_on", "<", now - SENDING_TIMEOUT),
            ]
        )
        if interrupted:
            interrupted.write(
                {
                    "state": "unknown",
                    "done_on": now,
                    "last_error": self.env._(
                        "Interrupted while sending: it may be in the group. It "
                        "is not sent again by itself; check the group, then "
                        "send it again if it is not there."
                    ),
                }
            )
        return interrupted

    @api.model
    def _op_free_at(self, robot, recent, now):
        """When ``robot`` may send again under its platform's rate limits,
        from its attempts in the longest window (read once per run, then
        kept in ``recent``)."""
        limits = robot._op_rate_limits()
        if robot not in recent:
            longest = max(seconds for _count, seconds in limits)
            most = max(count for count, _seconds in limits)
            rows = self.env.execute_query(
                SQL(
                    "SELECT last_attempt_on FROM order_robot_outbox "
                    "WHERE robot_id = %s AND last_attempt_on > %s "
                    "ORDER BY last_attempt_on DESC LIMIT %s",
                    robot.id,
                    now - timedelta(seconds=longest),
                    most,
                )
            )
            # Stored to the second: counted as late in it as can be.
            recent[robot] = sorted(moment + timedelta(seconds=1) for (moment,) in rows)
        free = now
        for count, seconds in limits:
            window = [t for t in recent[robot] if t > now - timedelta(seconds=seconds)]
            if len(window) >= count:
                free = max(free, window[-count] + timedelta(seconds=seconds))
        return free

    def _op_wake_later(self, now, moments):
        """Trigger the job for the first moment something becomes due
        (a retry, a robot's free slot, a message waiting for working time)
        before its next regular run."""
        row = self.env.execute_query(
            SQL(
                "SELECT min(o.next_try) FROM order_robot_outbox o "
                "JOIN order_robot r ON r.id = o.robot_id "
                "WHERE o.state = 'pending' AND r.active AND o.next_try > %s",
                now,
            )
        )
        moments = [m for m in [*moments, row[0][0]] if m]
        if not moments:
            return
        first = max(min(moments), now)
        cron = as_job(self.env.ref("order_process_addon.ir_cron_robot_outbox"))
        if first < cron.nextcall:
            cron._trigger(first)

    def _op_send(self, now):
        """Claim, send and record this row. Returns (outcome, next_try):
        outcome None when it was not sent (taken by another run, dropped,
        its robot stopped)."""
        self.ensure_one()
        now = now.replace(microsecond=0)
        claimed = self._op_claim(now)
        if not claimed:
            return None, None
        client, payload = claimed
        answer = client.send(payload, time.time(), idempotency_key=self.key)
        if not answer.ok:
            # The answer is scrubbed of the key and the secret.
            _logger.info(
                "Group robot message %s of robot %s: %s",
                self.id,
                self.robot_id.id,
                answer.describe(),
            )
        return answer.outcome, self._op_record(answer, now)

    def _op_claim(self, now):
        """Transaction 1: lock the row, drop it when its work is done, else
        mark it sending (committed before the request). Returns (client,
        payload) or None."""
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            cr.execute(
                SQL(
                    "SELECT id FROM order_robot_outbox "
                    "WHERE id = %s AND state = 'pending' FOR UPDATE SKIP LOCKED",
                    self.id,
                )
            )
            if not cr.fetchone():
                return None
            row = env[self._name].browse(self.id)
            robot = row.robot_id
            if not robot.active:
                return None
            if not row._op_still_due():
                row.write(
                    {
                        "state": "dropped",
                        "done_on": now,
                        "last_error": env._(
                            "Its work was done, cancelled or voided before it "
                            "was sent: dropped."
                        ),
                    }
                )
                return None
            card = dict(row.card)
            if not robot.mention:
                card["mentions"] = []
            try:
                client = robot._op_client()
            except RobotUrlError:
                robot._op_deactivate(
                    Answer(INVALID_ROBOT, message=env._("its address is not valid"))
                )
                return None
            row.write(
                {
                    "state": "sending",
                    "attempts": row.attempts + 1,
                    "last_attempt_on": now,
                }
            )
            return client, client.payload(card)

    def _op_still_due(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id)
        try:
            return self.event_id._op_still_due(record)
        except psycopg2.Error:
            raise
        except Exception:
            # Rather sent late than lost: the error is logged.
            _logger.exception("Could not tell whether %s is still due", self.key)
            return True

    def _op_record(self, answer, now):
        """Transaction 3: the platform's answer on the row (and on its robot
        when it paused or refused it). Returns the row's next attempt, if
        any."""
        with self.env.registry.cursor() as cr:
            env = self.env(cr=cr, su=True)
            row = env[self._name].browse(self.id)
            robot = row.robot_id
            described = answer.describe()[:500]
            vals = {"answer": described}
            next_try = False
            if answer.outcome == OK:
                vals.update(state="sent", sent_on=now, last_error=False)
            elif answer.outcome == UNKNOWN:
                vals.update(
                    state="unknown",
                    done_on=now,
                    last_error=env._(
                        "Sent without an answer (%(answer)s): it may be in the "
                        "group. It is not sent again by itself; check the "
                        "group, then send it again if it is not there.",
                        answer=described,
                    ),
                )
            elif answer.outcome == RATE_LIMITED:
                next_try = now + timedelta(seconds=answer.pause)
                robot.write({"paused_until": next_try})
                vals.update(
                    state="pending",
                    attempts=row.attempts - 1,
                    next_try=next_try,
                    last_error=described,
                )
            elif answer.outcome == INVALID_ROBOT:
                robot._op_deactivate(answer)
                next_try = now
                vals.update(
                    state="pending",
                    attempts=row.attempts - 1,
                    next_try=now,
                    last_error=described,
                )
            elif answer.outcome == REJECTED or row.attempts >= MAX_ATTEMPTS:
                vals.update(state="dead", done_on=now, last_error=described)
            else:
                next_try = now + timedelta(minutes=BACKOFF_MINUTES[row.attempts - 1])
                vals.update(state="pending", next_try=next_try, last_error=described)
            row.write(vals)
            return next_try if vals["state"] == "pending" and robot.active else False
