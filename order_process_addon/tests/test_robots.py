# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, items 2 and 3: the outbox of the group robots.

A step writes its messages in its own transaction and sends nothing; the
job sends them in batches, each row claimed and answered in transactions of
its own. Tested against the local platforms: a failing step sends nothing,
a job killed after sending sends nothing twice, a platform down for ten
minutes loses nothing (simulated clock), rate limits are queued for,
failures back off and end undelivered, a refused robot stops, a message
whose work was done before it went out is dropped, working time (R34)."""

import logging
from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from ..models.order_robot_outbox import BACKOFF_MINUTES, MAX_ATTEMPTS
from ..robot.base import Platform
from .common import OrderProcessCase
from .robot_common import RobotFixture

# Saturday 2026-12-05 10:00 in Shanghai; the next working period starts on
# Monday 2026-12-07 at 08:00 local, 00:00 UTC.
SATURDAY = "2026-12-05 02:00:00"
MONDAY_OPENING = datetime(2026, 12, 7, 0, 0)


class _Crash(Exception):
    """The process dies here (a worker killed, the server restarted)."""


@tagged("post_install", "-at_install")
class TestRobotOutbox(RobotFixture, OrderProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls._robot("wecom", ["quality"])
        cls.pmc = cls._robot("dingtalk", ["pmc_planner", "pmc_manager"])
        cls.finance = cls._robot("feishu", ["finance"])

    def _registered(self, **vals):
        order = self._new_order(**vals)
        order.action_op_register()
        return order

    def _crashed(self, func, *args):
        """``func`` dies with ``_Crash`` (and what it committed stays, as
        after a real crash: no savepoint here, unlike assertRaises's)."""
        try:
            func(*args)
        except _Crash:
            return
        self.fail("no crash")

    def _quality_row(self, order):
        review = self._review(order, "quality")
        return self.Outbox.search(
            [
                ("res_model", "=", "order.review"),
                ("res_id", "=", review.id),
                ("robot_id", "=", self.quality.id),
            ]
        )

    # ------------------------------------------------------------ routing
    def test_r04_each_department_robot_gets_its_own_review(self):
        order = self._registered()
        self.assertFalse(self.Outbox.search([]), "nothing before the commit")
        self._commit()
        reviews = order.op_review_ids
        self.assertEqual(len(reviews), 3)
        for robot, role in (
            (self.quality, "quality"),
            (self.pmc, "pmc_planner"),
            (self.finance, "finance"),
        ):
            row = self._rows(robot)
            self.assertEqual(len(row), 1, role)
            self.assertEqual(
                (row.res_model, row.res_id),
                ("order.review", self._review(order, role).id),
            )
            self.assertEqual(
                (row.state, row.event_id.code), ("pending", "review_assigned")
            )
        self.assertFalse(self.platforms.requests, "the step sends nothing")
        self.assertEqual(self._send(), 3)
        for robot in (self.quality, self.pmc, self.finance):
            self.assertEqual(len(self._received(robot)), 1)
            self.assertEqual(self._rows(robot).state, "sent")

    def test_r04_no_robot_of_another_company_event_or_inactive(self):
        other = self.env["res.company"].create(
            {"name": "Other Co.", "op_enabled": True}
        )
        self._robot("wecom", ["quality"], company=other)
        self._robot("wecom", ["quality"], active=False)
        self._robot(
            "wecom",
            ["quality"],
            event_ids=[
                Command.set(
                    self.env.ref("order_process_addon.robot_event_rush_order").ids
                )
            ],
        )
        self._registered()
        self._commit()
        self.assertEqual(
            self.Outbox.search([]).robot_id, self.quality | self.pmc | self.finance
        )

    def test_robot_without_department_hears_every_department(self):
        everyone = self._robot("wecom", [])
        self._registered()
        self._commit()
        self.assertEqual(len(self._rows(everyone)), 3)

    # ------------------------------------------------------------ transactions
    def test_a_failing_step_sends_nothing(self):
        """The rows are written in the step's transaction: a step rolled
        back (here by an error after it, as Odoo rolls back a request that
        fails) leaves none, and nothing is sent."""
        with self.assertRaises(_Crash), self.env.cr.savepoint():
            self._registered()
            self._commit()
            self.assertTrue(self.Outbox.search([]))
            raise _Crash  # a later part of the request fails
        self._commit()
        self.assertFalse(self.Outbox.search([]))
        self.assertEqual(self._send(), 0)
        self.assertFalse(self.platforms.requests)

    def test_a_card_that_cannot_be_written_does_not_fail_the_step(self):
        """A fault in the robots' code shows as an undelivered message (and
        in the log); the step it came from is done all the same."""
        event = type(self.env["order.robot.event"])
        with (
            patch.object(event, "_op_values_review_assigned", side_effect=KeyError),
            self.assertLogs("odoo.addons.order_process_addon", "ERROR") as logs,
        ):
            order = self._registered()
            self._commit()
        self.assertEqual(order.op_state, "review")
        self.assertIn("could not be written", logs.output[0])
        rows = self._rows()
        self.assertEqual(set(rows.mapped("state")), {"dead"})
        self.assertEqual(
            rows[0].last_error, "The message could not be written: KeyError()"
        )
        self._send()
        self.assertFalse(self.platforms.requests)

    def test_the_same_event_raised_twice_is_written_once(self):
        """A step run again (a retried request, an escalation job run twice)
        raises the same event: its idempotency key is written once."""
        order = self._registered()
        self._commit()
        review = self._review(order, "quality")
        for _again in range(2):
            self.Outbox._op_queue_event("review_assigned", review, review.group_id)
            self._commit()
        self.assertEqual(len(self._rows(self.quality)), 1)
        self._send()
        self.assertEqual(len(self._received(self.quality)), 1)

    def test_a_job_killed_after_sending_sends_nothing_twice(self):
        """The job dies after the platform posted the message, before
        writing its answer: the row stays "sending"; the next runs never
        send it again; it becomes "unknown" for an administrator, who may
        send it again."""
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        start = fields.Datetime.now()
        with patch.object(type(self.Outbox), "_op_record", side_effect=_Crash):
            self._crashed(self._send, start)
        self.env.invalidate_all()
        self.assertEqual(row.state, "sending")
        self.assertEqual(len(self._received(self.quality)), 1, "it was posted")
        self._send(start + timedelta(minutes=1))
        self.assertEqual(row.state, "sending")
        self._send(start + timedelta(minutes=5))
        self.assertEqual(row.state, "unknown")
        self.assertIn("Interrupted while sending", row.last_error)
        self._send(start + timedelta(hours=5))
        self.assertEqual(len(self._received(self.quality)), 1, "never sent twice")
        undelivered = self.env.ref(
            "order_process_addon.order_robot_outbox_action_undelivered"
        )
        self.assertIn(row, self.Outbox.search(eval(undelivered.domain)))
        # An administrator who checked the group sends it again, knowingly.
        row.action_send_again()
        self._send()
        self.assertEqual(row.state, "sent")
        self.assertEqual(len(self._received(self.quality)), 2)

    def test_killed_between_claim_and_request_shows_unknown(self):
        """The one moment a message can fail to arrive: after the claim is
        committed, before the request is written. It is shown (unknown),
        never lost silently."""
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        start = fields.Datetime.now()
        with patch.object(Platform, "send", side_effect=_Crash):
            self._crashed(self._send, start)
        self._send(start + timedelta(minutes=3))
        self.assertEqual(row.state, "unknown")
        self.assertFalse(self._received(self.quality))

    def test_no_answer_is_unknown_and_not_sent_again(self):
        """Sent, no answer in time (the platform posted it, slowly): the
        outbox cannot know, so it never sends it again by itself."""
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        self.env["ir.config_parameter"].set_param(
            "order_process_addon.robot_timeout", "0.5"
        )
        self.platforms.hang(1, 2)
        self._send()
        self.assertEqual(row.state, "unknown")
        self.assertIn("sent, no answer: timed out", row.last_error)
        self.assertEqual(len(self._received(self.quality)), 1)
        self._send(fields.Datetime.now() + timedelta(hours=6))
        self.assertEqual(len(self.platforms.requests), 1, "not sent again")

    # ------------------------------------------------------------ faults
    def test_platform_down_ten_minutes_loses_nothing(self):
        """Simulated clock: the platform refuses connections for 10 minutes;
        the message is retried after 1, 2, 5 and 10 minutes and arrives
        once."""
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        start = row.next_try
        self.platforms.down()
        self._send(start)
        self.assertEqual((row.state, row.attempts), ("pending", 1))
        self.assertEqual(row.last_error, "no connection: connection refused")
        self.assertEqual(row.next_try, start + timedelta(minutes=1))
        self._send(start + timedelta(seconds=30))
        self.assertEqual(row.attempts, 1, "not due yet")
        self._send(start + timedelta(minutes=1))
        self.assertEqual(row.next_try, start + timedelta(minutes=3))
        self._send(start + timedelta(minutes=3))
        self.assertEqual(row.next_try, start + timedelta(minutes=8))
        self._send(start + timedelta(minutes=8))
        self.assertEqual(row.attempts, 4)
        self.assertEqual(row.next_try, start + timedelta(minutes=18))
        self.platforms.up()  # back after 10 minutes
        self._send(start + timedelta(minutes=10))
        self.assertEqual(row.state, "pending", "waits for its back-off")
        self._send(start + timedelta(minutes=18))
        self.assertEqual((row.state, row.attempts), ("sent", 5))
        self.assertEqual(len(self._received(self.quality)), 1)

    def test_failures_back_off_then_the_message_is_undelivered(self):
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        self.platforms.script(
            *[(500, {"errcode": -1, "errmsg": "system busy"})] * MAX_ATTEMPTS
        )
        moment = row.next_try
        waits = []
        for _attempt in range(MAX_ATTEMPTS):
            self._send(moment)
            if row.state != "pending":
                break
            waits.append(round((row.next_try - moment).total_seconds() / 60))
            moment = row.next_try
        self.assertEqual(waits, list(BACKOFF_MINUTES))
        self.assertEqual((row.state, row.attempts), ("dead", MAX_ATTEMPTS))
        self.assertEqual(row.last_error, "HTTP 500 code -1: system busy")
        self.assertEqual(len(self.platforms.requests), MAX_ATTEMPTS)
        self._send(moment + timedelta(days=1))
        self.assertEqual(len(self.platforms.requests), MAX_ATTEMPTS, "dead: no more")
        self.assertEqual(self.quality.undelivered_count, 1)

    def test_a_rejected_message_is_undelivered_at_once(self):
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        (self.pmc | self.finance).write({"active": False})
        self.platforms.script(
            (200, {"errcode": 40008, "errmsg": "invalid message type"})
        )
        self._send()
        self.assertEqual(row.state, "dead")
        self.assertEqual(row.last_error, "HTTP 200 code 40008: invalid message type")

    def test_refused_robot_is_deactivated_and_its_administrator_told(self):
        order = self._registered()
        self._commit()
        row = self._rows(self.pmc)
        key = self._key(self.pmc)
        self.platforms.robots["dingtalk", key] = "SECanothersecret"  # secret reset
        self._send()
        self.assertFalse(self.pmc.active)
        self.assertEqual((row.state, row.attempts), ("pending", 0), "it waits")
        self.assertIn("310000", row.last_error)
        activity = self.pmc.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("order_process_addon.mail_activity_type_robot_refused"),
        )
        self.assertEqual(activity.user_id, self.pmc.user_id)
        self.assertIn("sign not match", activity.note)
        for text in (activity.note, *self.pmc.message_ids.mapped("body")):
            self.assertNotIn(key, text)
            self.assertNotIn("SECanothersecret", text)
        # Fixed (the new secret pasted) and active again: it goes out.
        self.pmc.write({"secret": "SECanothersecret", "active": True})
        self._send()
        self.assertEqual(row.state, "sent")
        self.assertEqual(len(self._received(self.pmc)), 1)
        self.assertTrue(order)

    def test_platform_rate_limit_answer_pauses_the_robot(self):
        order = self._registered()
        self._commit()
        row = self._rows(self.pmc)
        self.platforms.script(
            (
                200,
                {
                    "errcode": 130101,
                    "errmsg": "send too fast, exceed 20 times per minute",
                },
            )
        )
        start = fields.Datetime.now()
        (self.quality | self.finance).write({"active": False})
        self._send(start)
        self.assertEqual((row.state, row.attempts), ("pending", 0))
        self.assertEqual(self.pmc.paused_until, row.next_try)
        self.assertEqual((row.next_try - start).total_seconds() // 60, 10)
        self._send(start + timedelta(minutes=9))
        self.assertEqual(row.state, "pending", "paused for 10 minutes")
        self._send(start + timedelta(minutes=11))
        self.assertEqual(row.state, "sent")
        self.assertTrue(order)

    def test_rate_limits_are_queued_for_not_dropped(self):
        """25 messages for one DingTalk robot at once: 20 go in the first
        minute, 5 wait for the next (the simulated clock's: the local
        platform's own limit counts real time, so it is off here; it is
        tested on the client)."""
        self.platforms.limits = False
        orders = self.env["sale.order"]
        for _i in range(25):
            orders |= self._registered()
        self._commit()
        (self.quality | self.finance).write({"active": False})
        rows = self._rows(self.pmc)
        self.assertEqual(len(rows), 25)
        start = max(rows.mapped("next_try"))
        cron = self.env.ref("order_process_addon.ir_cron_robot_outbox")
        cron.nextcall = start + timedelta(hours=1)
        self._send(start)
        self.assertEqual(len(self._received(self.pmc)), 20)
        self.assertEqual(rows.mapped("state").count("pending"), 5)
        trigger = self.env["ir.cron.trigger"].search(
            [("cron_id", "=", cron.id)], order="call_at desc", limit=1
        )
        self.assertGreaterEqual(trigger.call_at, start + timedelta(seconds=59))
        self._send(start + timedelta(seconds=30))
        self.assertEqual(len(self._received(self.pmc)), 20)
        self._send(start + timedelta(seconds=61))
        self.assertEqual(len(self._received(self.pmc)), 25)
        self.assertEqual(set(rows.mapped("state")), {"sent"})

    def test_feishu_five_a_second(self):
        for _i in range(7):
            self._registered()
        self._commit()
        (self.quality | self.pmc).write({"active": False})
        self._send()
        times = sorted(r.at for r in self.platforms.requests)
        self.assertEqual(len(self._received(self.finance)), 7)
        for index in range(len(times) - 5):
            self.assertGreaterEqual(times[index + 5] - times[index], 0.9)

    # ------------------------------------------------------------ what is due
    def test_done_before_sent_is_dropped(self):
        order = self._registered()
        self._commit()
        row = self._quality_row(order)
        self._review(order, "quality").with_user(self.users["quality"]).action_approve()
        self._send()
        self.assertEqual(row.state, "dropped")
        self.assertFalse(self._received(self.quality))
        self.assertEqual(len(self._received(self.pmc)), 1, "still to do: sent")

    def test_r34_outside_working_time_waits_for_the_next_working_period(self):
        self.quality.working_time_only = True
        with freeze_time(SATURDAY):
            order = self._registered()
            self._commit()
        row = self._quality_row(order)
        self.assertEqual(row.not_before, MONDAY_OPENING)
        self.assertEqual(
            self._rows(self.pmc).next_try, fields.Datetime.to_datetime(SATURDAY)
        )
        self._send(fields.Datetime.to_datetime(SATURDAY))
        self.assertEqual(row.state, "pending")
        self.assertFalse(self._received(self.quality))
        self._send(MONDAY_OPENING)
        self.assertEqual(row.state, "sent")

    def test_r34_r06_a_rush_order_goes_at_once(self):
        self.quality.working_time_only = True
        with freeze_time(SATURDAY):
            order = self._registered(op_urgency="rush")
            self._commit()
        row = self._quality_row(order)
        self.assertTrue(row.rush)
        self.assertEqual(row.next_try, fields.Datetime.to_datetime(SATURDAY))

    # ------------------------------------------------------------ the job
    def test_batches_report_their_progress(self):
        for _i in range(2):
            self._registered()
        self._commit()
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.env.ref("order_process_addon.ir_cron_robot_outbox").id}
        )
        outbox = self.Outbox.with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(outbox._op_send_due(batch=4), 4)
        self.assertEqual((progress.done, progress.remaining), (4, 2))
        self.assertEqual(outbox._op_send_due(batch=4), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 0))
        self.assertEqual(self.Outbox.search_count([("state", "=", "sent")]), 6)

    def test_secrets_never_logged_nor_kept_in_errors(self):
        self._registered()
        self._commit()
        robots = self.quality | self.pmc | self.finance
        secrets = [self._key(robot) for robot in robots]
        secrets += [robot.sudo().webhook_url for robot in robots]
        secrets += [self.pmc.sudo().secret, self.finance.sudo().secret]
        start = fields.Datetime.now()
        with self.assertLogs("odoo", level=logging.DEBUG) as logs:
            self.platforms.down()
            self._send(start)
            self.platforms.up()
            # The WeCom robot was removed from its group: refused.
            del self.platforms.robots["wecom", self._key(self.quality)]
            self._send(start + timedelta(minutes=2))
        self.assertTrue(any("connection refused" in line for line in logs.output))
        self.assertFalse(self.quality.active)
        texts = [*logs.output, *self.Outbox.search([]).mapped("last_error")]
        texts += self.Outbox.search([]).mapped("answer")
        texts += self.quality.message_ids.mapped("body")
        texts += self.quality.activity_ids.mapped("note")
        for text in texts:
            for secret in secrets:
                self.assertNotIn(secret, str(text))


@tagged("post_install", "-at_install")
class TestRobotOutboxQueries(RobotFixture, OrderProcessCase):
    """Raising an event costs the step no query; writing a transaction's
    events costs the same whatever their number (one insert, reads by
    batch)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._robot("wecom", ["quality"], lang="zh_CN")
        cls._robot("dingtalk", ["pmc_planner"])
        cls._robot("feishu", ["finance"], working_time_only=True)

    def _commit_queries(self, count):
        orders = self.env["sale.order"]
        for _i in range(count):
            orders |= self._new_order()
        orders.action_op_register()
        reviews = orders.op_review_ids
        self._commit()
        self.assertEqual(
            self.Outbox.search_count([("res_id", "in", reviews.ids)]), 3 * count
        )
        # The same events again, on records read afresh: what their commit
        # costs (the rows exist: ON CONFLICT DO NOTHING does the same work).
        pairs = [(review, review.group_id) for review in reviews]
        raised = self._queries(
            lambda: [
                self.Outbox._op_queue_event("review_assigned", review, group)
                for review, group in pairs
            ]
        )
        self.assertEqual(raised, 0, "raising reads and writes nothing")
        return self._queries(self._commit)

    def test_writing_the_events_does_not_grow_with_their_number(self):
        few = self._commit_queries(2)
        many = self._commit_queries(12)
        self.assertLessEqual(many, few, f"{few} queries for 6 events, {many} for 36")
