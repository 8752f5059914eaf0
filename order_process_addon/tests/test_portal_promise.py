# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 18, item 4: the customer signs what was promised (R7, R8).

The portal page the customer signs shows PMC's committed date and the
conditions of the review, in the page and in the signing dialog; the
customer finds the order from its registration; another customer sees none
of it; the portal shows the customer's words (stage, committed date, ship
date, delivery note), never the company's internal references, and in the
customer's language."""

import re

from odoo.tests import tagged
from odoo.tools import format_date

from .test_portal_shipping import PortalCase

CONDITIONS = "Salt-spray test paid by the customer"
ANSWER = "Deliver in two lots"
# The English of the portal templates of the process: none of it reaches a
# customer who reads Chinese.
OUR_ENGLISH = (
    "Where Is My Order",
    "Committed delivery date",
    "Conditions:",
    "first committed",
    "By signing, you also accept",
    "Awaiting Your Signature",
    "please sign it",
    "Under review",
    "In production",
    "Ready to ship",
)
# A 1x1 PNG, as the portal's signature pad sends it.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalPromise(PortalCase):
    # ------------------------------------------------------------ helpers
    def _promised_order(self):
        """An order answered with Quality's conditions and PMC's own."""
        order = self._new_order()
        order.action_op_register()
        self._review(order, "quality").with_user(
            self.users["quality"]
        ).action_approve_with_conditions(CONDITIONS)
        self._approve_all(order)
        order.with_user(self.users["pmc_planner"]).action_op_answer(conditions=ANSWER)
        self.assertEqual(order.op_state, "answered")
        return order

    def _html(self, url, login="op_portal_customer", follow=False):
        self.authenticate(login, login)
        return self.url_open(url, allow_redirects=follow)

    def _date(self, value, lang="en_US"):
        return format_date(self.env(context={"lang": lang}), value)

    # ------------------------------------------------------------ tests
    def test_r08_page_to_sign_shows_committed_date_and_conditions(self):
        order = self._promised_order()
        response = self._html(f"/my/orders/{order.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        committed = self._date(order.op_committed_date)
        # The signing dialog comes first in the page, then the order itself.
        _before, _sep, rest = html.partition('id="modalaccept"')
        dialog, _sep, page = rest.partition('id="modaldecline"')
        for part in (page, dialog):
            self.assertIn(f'o_op_portal_committed_date">{committed}<', part)
            self.assertIn(CONDITIONS, part)
            self.assertIn(ANSWER, part)
        self.assertIn("o_op_portal_sign_promise", dialog)
        # The quotations list: the order to sign, its stage and its date.
        quotes = self._html("/my/quotes").text
        self.assertIn(order.name, quotes)
        self.assertIn("Awaiting Your Signature", quotes)
        self.assertIn(committed, quotes)
        # A change of the committed date after the signature shows both (R24).
        self._sign_with_scan(order)
        later = order.op_committed_date.replace(year=order.op_committed_date.year + 1)
        order.with_user(self.users["pmc_planner"])._op_change_committed_date(
            later, "Tooling late", "production"
        )
        html = self._html(f"/my/orders/{order.id}").text
        self.assertIn(f'o_op_portal_committed_date">{self._date(later)}<', html)
        self.assertIn("first committed", html)

    def test_r08_customer_signs_on_the_portal_what_was_promised(self):
        order = self._promised_order()
        self.authenticate("op_portal_customer", "op_portal_customer")
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Ms. Chen", "signature": SIGNATURE},
        )
        self.assertFalse(result.get("error"), result)
        order.invalidate_recordset()
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.signed_by, "Ms. Chen")
        html = self._html(f"/my/orders/{order.id}").text
        self.assertIn(self._date(order.op_committed_date), html)
        self.assertIn(CONDITIONS, html)

    def test_r08_another_customer_never_sees_the_order_or_its_promise(self):
        order = self._promised_order()
        committed = self._date(order.op_committed_date)
        response = self._html(f"/my/orders/{order.id}", "op_portal_other")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"))
        for url in ("/my/quotes", "/my/orders", "/my/home"):
            html = self._html(url, "op_portal_other").text
            for secret in (order.name, CONDITIONS, ANSWER, committed):
                self.assertNotIn(secret, html, url)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["quotation_count", "order_count"]}
        )
        self.assertEqual(counters, {"quotation_count": 0, "order_count": 0})
        # Nor signs it: without the order's link the portal refuses.
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Mr. Wu", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("error"))
        order.invalidate_recordset()
        self.assertFalse(order.signed_by)
        self.assertEqual(order.op_state, "answered")
        # The customer's own user reads it.
        self.assertEqual(self._html(f"/my/orders/{order.id}").status_code, 200)

    def test_r03_customer_finds_the_order_from_its_registration(self):
        order = self._new_order()
        self.assertNotIn(order.name, self._html("/my/quotes").text)
        order.action_op_register()
        self.assertIn(self.customer, order.message_partner_ids)
        html = self._html("/my/quotes").text
        self.assertIn(order.name, html)
        self.assertIn("Under Review", html)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["quotation_count"]}
        )
        self.assertEqual(counters, {"quotation_count": 1})

    def test_portal_shows_the_customers_words_not_internal_references(self):
        picking = self._received_delivery()
        order = picking.sale_id
        productions = order.mrp_production_ids
        self.assertTrue(productions)
        self._shipped(picking)
        html = self._html(f"/my/orders/{order.id}").text
        for production in productions:
            self.assertNotIn(production.name, html)
        for internal in (
            "Manufacturing Orders",
            "Last Delivery Orders",
            "/my/picking/return/pdf",
            "RETURN",
        ):
            self.assertNotIn(internal, html)
        # The stage, the promise, the ship date and the delivery note.
        self.assertEqual(self._label(html), "Shipped")
        self.assertIn(self._date(order.op_committed_date), html)
        self.assertRegex(html, r"Shipped on\s*<span>[^<]+</span>")
        self.assertRegex(
            html, rf"Delivery note\s*<span>{re.escape(picking.name)}</span>\s*\(PDF\)"
        )
        # Odoo's orders keep Odoo's blocks.
        self.company.op_enabled = False
        plain = self._create_order()
        plain.action_confirm()
        self._follow(plain)
        self.assertFalse(plain.op_active)
        html = self._html(f"/my/orders/{plain.id}").text
        self.assertIn("Last Delivery Orders", html)
        self.assertIn(plain.picking_ids[:1].name, html)

    def test_portal_speaks_the_customers_language(self):
        self.portal_user.lang = "zh_CN"
        self.customer.lang = "zh_CN"
        order = self._promised_order()
        # (Odoo's portal moves a customer who reads another language than
        # the database's first one to the page's URL in that language.)
        html = self._html(f"/my/orders/{order.id}", follow=True).text
        # Odoo's portal strings and the process's, in Chinese.
        # (The conditions name Quality's step in the customer's language.)
        chinese_terms = (
            "销售信息",
            "沟通历程",
            "订单进度",
            "待您签回",
            "品质与检测能力",
        )
        for chinese in chinese_terms:
            self.assertIn(chinese, html)
        self.assertIn(self._date(order.op_committed_date, "zh_CN"), html)
        for english in OUR_ENGLISH:
            self.assertNotIn(english, html)
        # The portal's scripts (its chatter is mail's) get their Chinese too.
        response = self.url_open("/website/translations/x?lang=zh_CN")
        terms = {
            message["id"]: message["string"]
            for module in response.json()["modules"].values()
            for message in module["messages"]
        }
        self.assertEqual(terms.get("The conversation is empty."), "对话内容为空")
