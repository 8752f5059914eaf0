# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestFoundationTour(HttpCase):
    def test_order_desk_meets_the_process_at_once(self):
        """A newcomer logging in as a demo role user meets the process."""
        if not self.env.ref("order_process_addon.user_customer_mgmt_demo", False):
            self.skipTest("demo data not loaded")  # make test fails on skips
        self.start_tour("/odoo", "order_process_foundation_tour", login="customer_mgmt")
        order = self.env["sale.order"].search(
            [("create_uid.login", "=", "customer_mgmt")], order="id desc", limit=1
        )
        self.assertTrue(order.op_active)
        self.assertEqual(
            order.partner_id, self.env.ref("order_process_addon.partner_huaxing_demo")
        )
