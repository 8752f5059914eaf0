# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, item 6: the administrator's flow in the browser: Configuration
→ Group Robots → Robots, a DingTalk robot created from the form with its
webhook and secret, shown masked once saved, and a test message whose
answer from the platform (played locally) shows at once."""

from odoo.tests import HttpCase, tagged

from .common import demo_company
from .robot_platforms import FakePlatforms
from .tour_timing import TOUR_TIMEOUT


@tagged("post_install", "-at_install")
class TestRobotTour(HttpCase):
    def test_administrator_adds_a_robot_and_tests_it(self):
        demo_company(self)
        platforms = FakePlatforms()
        self.addCleanup(platforms.close)
        url = platforms.add("dingtalk", "tour-token-0001", "SECtoursecret0001")
        params = self.env["ir.config_parameter"]
        params.set_param("order_process_addon.robot_tour_webhook", url)
        params.set_param("order_process_addon.robot_tour_secret", "SECtoursecret0001")
        self.start_tour(
            "/odoo/action-order_process_addon.order_robot_action",
            "order_robot_tour",
            login="admin",
            timeout=TOUR_TIMEOUT,
        )
        robot = self.env["order.robot"].search([("name", "=", "PMC group")])
        self.assertEqual(robot.platform, "dingtalk")
        self.assertEqual((robot.webhook_url, robot.secret), (url, "SECtoursecret0001"))
        self.assertEqual(
            robot.group_ids, self.env.ref("order_process_addon.group_pmc_planner")
        )
        (message,) = platforms.accepted("dingtalk", "tour-token-0001")
        self.assertEqual(message["msgtype"], "markdown")
