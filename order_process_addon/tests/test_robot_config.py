# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, item 1: group robots as configuration. The webhook address (it
carries the robot's key) and the signing secret are given once on the
form, read back by nobody through the screens, by administrators only
through the API, never exported, copied or written to the chatter; the
process's role users and the Audit Center never read them. Robots and
their messages are written by administrators only. Send Test Message shows
the platform's answer."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from ..models.vocabulary import ROLES
from .common import OrderProcessCase
from .robot_common import RobotFixture

SECRET_FIELDS = ("webhook_url", "secret", "webhook_url_input", "secret_input")


@tagged("post_install", "-at_install")
class TestRobotConfiguration(RobotFixture, OrderProcessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="op_robot_admin",
            name="Robot Admin",
            groups="base.group_user,base.group_system",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.url = cls.platforms.add("dingtalk", "token-form-0001", "SECformsecret0001")

    def _create_from_the_form(self):
        form = Form(self.env["order.robot"].with_user(self.admin))
        form.name = "PMC group"
        form.platform = "dingtalk"
        form.webhook_url_input = self.url
        form.secret_input = "SECformsecret0001"
        form.group_ids.add(self.env.ref("order_process_addon.group_pmc_planner"))
        form.working_time_only = False
        return form.save()

    def test_webhook_and_secret_given_once_never_shown_back(self):
        robot = self._create_from_the_form()
        stored = robot.sudo()
        self.assertEqual(
            (stored.webhook_url, stored.secret), (self.url, "SECformsecret0001")
        )
        # The form shows the address masked; what it reads back is empty.
        arch = robot.with_user(self.admin).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        for name in ("webhook_url", "secret"):
            self.assertNotIn(f'name="{name}"', arch)
        form = Form(robot.with_user(self.admin))
        self.assertFalse(form.webhook_url_input)
        self.assertFalse(form.secret_input)
        self.assertEqual(
            robot.webhook_url_masked,
            f"http://127.0.0.1:{self.platforms.port}/robot/send?access_token=••••••0001",
        )
        self.assertTrue(robot.has_secret)
        # Not exportable, not in the chatter, not copied.
        described = robot.fields_get(list(SECRET_FIELDS), ["exportable"])
        self.assertEqual({d["exportable"] for d in described.values()}, {False})
        with self.assertRaises(UserError):
            robot.with_user(self.admin).export_data(["name", "webhook_url"])
        self._registered_review_row(robot)
        rows = self.env["order.robot.outbox"].with_user(self.admin).search([])
        self.assertTrue(rows)
        with self.assertRaises(UserError):
            rows.export_data(["robot_id/secret"])
        for message in robot.message_ids:
            self.assertNotIn("token-form-0001", message.body)
            self.assertNotIn("SECformsecret", message.body)
            for value in message.sudo().tracking_value_ids:
                self.assertNotIn(
                    "token-form",
                    str(value.old_value_char or "") + str(value.new_value_char or ""),
                )
        copy = robot.copy()
        self.assertFalse(copy.sudo().webhook_url)
        self.assertFalse(copy.sudo().secret)
        self.assertFalse(copy.active, "archived until a webhook is pasted")
        # It works: the test message is signed and the platform says so.
        action = robot.with_user(self.admin).action_send_test()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            action["params"]["message"], "DingTalk answered: HTTP 200 code 0: ok"
        )
        (sent,) = self._received(robot)
        self.assertEqual(sent["markdown"]["title"], "Test message")
        self.assertEqual(
            robot.last_test_answer, "DingTalk answered: HTTP 200 code 0: ok"
        )

    def test_send_test_message_shows_a_refusal(self):
        robot = self._create_from_the_form()
        self.platforms.robots["dingtalk", "token-form-0001"] = "SECchanged"
        action = robot.with_user(self.admin).action_send_test()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(
            action["params"]["message"],
            "DingTalk refused the test message: HTTP 200 code 310000: sign not match, "
            "more: [local]",
        )
        self.assertTrue(robot.active, "a test refused does not stop the robot")
        self.platforms.down()
        action = robot.with_user(self.admin).action_send_test()
        self.assertIn("no connection: connection refused", action["params"]["message"])

    def test_a_webhook_that_is_not_the_platforms_is_refused_in_the_users_language(self):
        robot = self._create_from_the_form()
        feishu = self.platforms.url("feishu", "hook-0001")
        for lang, expected in (
            ("en_US", "this is not a DingTalk group robot's webhook address"),
            ("zh_CN", "这不是钉钉群机器人的 Webhook 地址"),
        ):
            with self.assertRaises(ValidationError) as refused:
                robot.with_user(self.admin).with_context(lang=lang).write(
                    {"webhook_url": feishu}
                )
            self.assertIn(expected, str(refused.exception))
        self.assertEqual(robot.sudo().webhook_url, self.url, "nothing changed")
        robots = self.env["order.robot"].with_context(active_test=False)
        count = robots.search_count([])
        for vals, expected in (
            (
                {"platform": "wecom", "webhook_url_input": "https://example.com/x"},
                "not a WeCom",
            ),
            (
                {
                    "platform": "dingtalk",
                    "webhook_url_input": "http://example.com/robot/send?access_token=x",
                },
                "not a DingTalk",
            ),
            (
                {
                    "platform": "wecom",
                    "webhook_url_input": self.platforms.url("wecom", "k"),
                    "secret_input": "x",
                },
                "no signing secret",
            ),
            ({"platform": "feishu"}, "paste the webhook address"),
        ):
            with self.assertRaises(ValidationError) as refused:
                robots.with_user(self.admin).create({"name": "Bad", **vals})
            self.assertIn(expected, str(refused.exception))
        self.assertEqual(robots.search_count([]), count)

    def test_replace_webhook_or_secret(self):
        robot = self._create_from_the_form()
        new_url = self.platforms.add("dingtalk", "token-form-0002", "SECnewsecret02")
        action = robot.with_user(self.admin).action_open_replace()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.admin)
            .with_context(**action["context"])
        )
        wizard.webhook_url = new_url
        wizard.secret = "SECnewsecret02"
        record = wizard.save()
        record.action_confirm()
        self.assertEqual(
            (robot.sudo().webhook_url, robot.sudo().secret), (new_url, "SECnewsecret02")
        )
        self.assertFalse(
            record.webhook_url or record.secret, "the wizard keeps no copy"
        )
        self.assertIn(
            "Robot Admin changed the webhook address and the signing secret.",
            robot.message_ids[0].body,
        )
        self.assertNotIn("token-form-0002", robot.message_ids[0].body)
        self.assertEqual(
            robot.with_user(self.admin).action_send_test()["params"]["type"], "success"
        )
        with self.assertRaises(UserError):
            self.env["order.robot.secret.wizard"].with_user(self.admin).create(
                {"robot_id": robot.id}
            ).action_confirm()

    def test_r36_role_users_and_audit_never_read_the_secrets(self):
        robot = self._create_from_the_form()
        for role in ROLES:
            user = self.users[role]
            as_user = robot.with_user(user)
            with self.subTest(role=role):
                self.env.invalidate_all()
                self.assertEqual(as_user.name, "PMC group", "the robot is readable")
                self.assertIn("••••••0001", as_user.webhook_url_masked)
                self.assertNotIn("webhook_url", as_user.fields_get())
                for name in SECRET_FIELDS:
                    with self.assertRaises(AccessError):
                        as_user.read([name])
                for name in ("webhook_url", "secret"):
                    with self.assertRaises(AccessError):
                        as_user.search([(name, "like", "token%")])
                with self.assertRaises(AccessError):
                    as_user.read_group([], ["webhook_url"], ["webhook_url"])
                # No right to export, or not this field.
                refused = False
                try:
                    as_user.export_data(["webhook_url"])
                except (AccessError, UserError):
                    refused = True
                self.assertTrue(refused, f"{role} exported the webhook")

    def test_r36_only_administrators_change_robots_and_messages(self):
        robot = self._create_from_the_form()
        self._registered_review_row(robot)
        row = self.env["order.robot.outbox"].search([("robot_id", "=", robot.id)])
        self.assertTrue(row)
        for role in ROLES:
            user = self.users[role]
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    robot.with_user(user).write({"active": False})
                with self.assertRaises(AccessError):
                    robot.with_user(user).write({"webhook_url_input": self.url + "x"})
                with self.assertRaises(AccessError):
                    self.env["order.robot"].with_user(user).create(
                        {"name": "Mine", "platform": "wecom", "active": False}
                    )
                with self.assertRaises(AccessError):
                    robot.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    robot.with_user(user).action_send_test()
                with self.assertRaises(AccessError):
                    robot.with_user(user).action_open_replace()
                with self.assertRaises(AccessError):
                    row.with_user(user).write({"state": "sent"})
                with self.assertRaises(AccessError):
                    row.with_user(user).action_send_again()
                if role == "audit":
                    self.assertEqual(row.with_user(user).state, "pending")
                else:
                    with self.assertRaises(AccessError):
                        row.with_user(user).read(["state"])
        self.assertTrue(robot.active)
        self.assertEqual(row.state, "pending")
        self.assertEqual(robot.sudo().webhook_url, self.url)

    def _registered_review_row(self, robot):
        order = self._new_order()
        order.action_op_register()
        self._commit()
        return order
