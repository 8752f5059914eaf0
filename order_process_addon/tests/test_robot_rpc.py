# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, item 1, R36: the group robots' secrets and messages attacked
as the role users would, logged in over JSON-RPC (the demo users), with the
context keys a client may add: nothing of the webhook address or the
secret comes back, nothing changes."""

from odoo.tests import HttpCase, tagged

from .common import call_kw, demo_company

CONTEXT = {
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
    "sudo": True,
    "bin_size": False,
}
SECRETS = ("webhook_url", "secret", "webhook_url_input", "secret_input")


@tagged("post_install", "-at_install")
class TestRobotSecretsOverRpc(HttpCase):
    def setUp(self):
        super().setUp()
        demo_company(self)
        self.robot = self.env.ref("order_process_addon.robot_pmc_demo")
        self.stored = (self.robot.webhook_url, self.robot.secret)
        self.key = self.robot._op_client().key()

    def _rpc(self, login, model, method, *args, **kwargs):
        """(error class name or None, result)."""
        response = call_kw(
            self, login, model, method, args, {"context": CONTEXT, **kwargs}
        )
        body = response.json()
        self.assertNotIn(self.key, response.text, f"{login} {method}: the key leaked")
        self.assertNotIn(self.robot.secret, response.text)
        error = body.get("error")
        return (error and error["data"]["name"]), body.get("result")

    def test_r36_audit_and_process_roles_read_no_secret(self):
        for login in ("audit", "pmc_manager", "finance", "customer_mgmt"):
            with self.subTest(login=login):
                for name in SECRETS:
                    error, _result = self._rpc(
                        login, "order.robot", "read", self.robot.ids, fields=[name]
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError")
                    error, _result = self._rpc(
                        login,
                        "order.robot",
                        "web_read",
                        self.robot.ids,
                        specification={name: {}},
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError")
                for name in ("webhook_url", "secret"):
                    # No oracle: searching by the secret is refused.
                    error, _result = self._rpc(
                        login,
                        "order.robot",
                        "search_count",
                        [(name, "=like", "https://oapi.dingtalk.com/%")],
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError")
                    error, _result = self._rpc(
                        login,
                        "order.robot",
                        "read_group",
                        [],
                        fields=[name],
                        groupby=[name],
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError")
                error, _result = self._rpc(
                    login, "order.robot", "export_data", self.robot.ids, ["secret"]
                )
                self.assertIn(
                    error, ("odoo.exceptions.AccessError", "odoo.exceptions.UserError")
                )
                # What the screens show: the address with its key masked.
                error, result = self._rpc(
                    login,
                    "order.robot",
                    "read",
                    self.robot.ids,
                    fields=["name", "webhook_url_masked", "has_secret"],
                )
                self.assertIsNone(error)
                self.assertTrue(result[0]["webhook_url_masked"].endswith("••••••0000"))
                fields = self._rpc(login, "order.robot", "fields_get")[1]
                self.assertFalse(set(SECRETS) & set(fields))

    def test_r36_role_users_change_no_robot_and_no_message(self):
        count = self.env["order.robot"].with_context(active_test=False).search_count([])
        for login in ("audit", "pmc_manager", "general_manager"):
            with self.subTest(login=login):
                for vals in (
                    {
                        "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=x"
                    },
                    {
                        "webhook_url_input": "https://oapi.dingtalk.com/robot/send?access_token=x"
                    },
                    {"secret": "SECmine"},
                    {"active": True},
                    {"group_ids": [[6, 0, []]]},
                ):
                    error, _result = self._rpc(
                        login, "order.robot", "write", self.robot.ids, vals
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError", vals)
                error, _result = self._rpc(
                    login,
                    "order.robot",
                    "create",
                    [
                        {
                            "name": "Mine",
                            "platform": "wecom",
                            "webhook_url_input": "https://qyapi.weixin.qq.com/cgi-bin/"
                            "webhook/send?key=mine",
                        }
                    ],
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
                for method in ("action_send_test", "action_open_replace", "unlink"):
                    error, _result = self._rpc(
                        login, "order.robot", method, self.robot.ids
                    )
                    self.assertEqual(error, "odoo.exceptions.AccessError", method)
                error, _result = self._rpc(
                    login,
                    "order.robot.secret.wizard",
                    "create",
                    [{"robot_id": self.robot.id, "secret": "SECmine"}],
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
                # The outbox's private doors are closed to RPC.
                error, _result = self._rpc(
                    login,
                    "order.robot.outbox",
                    "_op_queue_event",
                    "review_assigned",
                    [],
                    [],
                )
                self.assertEqual(error, "odoo.exceptions.AccessError")
        self.env.invalidate_all()
        self.assertEqual((self.robot.webhook_url, self.robot.secret), self.stored)
        self.assertFalse(self.robot.active)
        self.assertEqual(
            self.env["order.robot"].with_context(active_test=False).search_count([]),
            count,
        )
