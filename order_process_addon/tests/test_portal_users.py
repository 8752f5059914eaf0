# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 18, item 4: the customers' portal users. The demo has one per demo
customer, in the demo company, in Chinese; Odoo's "Grant portal access" puts
a customer's new portal user in the company that runs the process for it, so
that it sees its orders there at once."""

from odoo.tests import HttpCase, tagged

from .common import demo_company

DEMO_CUSTOMERS = {
    "partner_huaxing_demo": "huaxing",
    "partner_hongda_demo": "hongda",
    "partner_lianchuang_demo": "lianchuang",
}


@tagged("post_install", "-at_install")
class TestPortalUsers(HttpCase):
    def setUp(self):
        super().setUp()
        self.company = demo_company(self)

    def _quotes(self, login, password=None):
        self.authenticate(login, password or login)
        response = self.url_open("/my/quotes")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_demo_has_a_portal_user_per_demo_customer(self):
        portal = self.env.ref("base.group_portal")
        orders = {
            "partner_hongda_demo": self.env.ref(
                "order_process_addon.sale_order_rush_demo"
            ),
            "partner_lianchuang_demo": self.env.ref(
                "order_process_addon.sale_order_review_demo"
            ),
        }
        registered = self.env["sale.order"].browse(
            [order.id for order in orders.values()]
        )
        for xmlid, login in DEMO_CUSTOMERS.items():
            customer = self.env.ref(f"order_process_addon.{xmlid}")
            user = customer.child_ids.user_ids
            self.assertEqual(user.login, login)
            self.assertIn(portal, user.groups_id)
            self.assertTrue(user._is_portal())
            self.assertEqual(user.company_id, self.company)
            self.assertEqual(user.company_ids, self.company)
            self.assertEqual(user.lang, "zh_CN")
            html = self._quotes(login)
            own = orders.get(xmlid, self.env["sale.order"])
            for order in registered:
                if order == own:
                    self.assertIn(order.name, html, login)
                else:
                    self.assertNotIn(order.name, html, login)

    def test_grant_portal_access_lands_in_the_process_company(self):
        main = self.env.ref("base.main_company")
        self.assertEqual(self.env.company, main)
        customer = self.env.ref("order_process_addon.partner_lianchuang_demo")
        contact = self.env["res.partner"].create(
            {
                "name": "吴工",
                "parent_id": customer.id,
                "email": "wu@lianchuang.example.com",
            }
        )
        # A contact of the customer has no company of its own: Odoo would
        # have put the user in the administrator's company.
        self.assertFalse(contact.company_id)
        wizard = self.env["portal.wizard"].create({"partner_ids": [contact.id]})
        wizard.user_ids.action_grant_access()
        user = contact.with_context(active_test=False).user_ids
        self.assertEqual(user.company_id, self.company)
        self.assertEqual(user.company_ids, self.company)
        self.assertTrue(user._is_portal())
        user.password = "wu-portal"
        html = self._quotes(user.login, "wu-portal")
        self.assertIn(
            self.env.ref("order_process_addon.sale_order_review_demo").name, html
        )
        # A customer of no company of the process: Odoo's own choice.
        other = self.env["res.partner"].create(
            {"name": "Walk-in Customer", "email": "walk-in@example.com"}
        )
        wizard = self.env["portal.wizard"].create({"partner_ids": [other.id]})
        wizard.user_ids.action_grant_access()
        self.assertEqual(other.user_ids.company_id, main)
