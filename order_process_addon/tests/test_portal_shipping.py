# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's view on the portal (R8, R23, R26): a portal user of the
customer follows the order from the review to the shipment in plain words
and downloads the delivery note (D11) of what left; nobody else sees it,
and nothing internal (review comments and reasons) reaches the customer."""

import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date

from .test_shipping import WEDNESDAY, ShippingCase

COMMENT = "INTERNAL-COMMENT-7731 the margin is thin"
REASON = "INTERNAL-REASON-5150 tooling cost too high"


class PortalCase(ShippingCase, HttpCase):
    """A portal user of the customer and one of another customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A contact of the customer company with a portal login, and a portal
        # user of another customer.
        cls.portal_user = new_test_user(
            cls.env,
            login="op_portal_customer",
            name="Ms. Chen (customer)",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer Co."}
        )
        cls.other_user = new_test_user(
            cls.env,
            login="op_portal_other",
            name="Mr. Wu (other customer)",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_user.partner_id.parent_id = cls.other_customer
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Shunfeng Freight",
                "delivery_type": "fixed",
                "product_id": cls.env["product.product"]
                .create({"name": "Freight", "type": "service"})
                .id,
            }
        )

    # ------------------------------------------------------------ helpers
    def _follow(self, order):
        """The customer follows the order, as the quotation e-mail makes it."""
        order.sudo().message_subscribe(self.customer.ids)

    def _page(self, order, user=None):
        self.authenticate(user or "op_portal_customer", user or "op_portal_customer")
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        return response

    def _stage_text(self, order):
        response = self._page(order)
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertIn("Where Is My Order", response.text)
        return response.text

    def _label(self, html):
        """The stage the customer reads on the order's page."""
        found = re.search(r'o_op_portal_stage_label"[^>]*>([^<]*)<', html)
        return found and found.group(1).strip()

    def _chatter(self, order):
        """The messages the portal's chatter shows the customer."""
        result = self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {
                "thread_model": "sale.order",
                "thread_id": order.id,
                "token": order._portal_ensure_token(),
                "limit": 100,
            },
        )
        return str(result)

    def _shipped(self, picking):
        self._set_quantities(picking)
        self._approved_d10(picking, requirements="Pallets wrapped")
        self._signed_check(picking)
        self._gate(picking)
        picking.sudo().write(
            {"carrier_id": self.carrier.id, "carrier_tracking_ref": "SF-2026-0042"}
        )
        self._vehicle_arrived(picking)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")


@tagged("post_install", "-at_install")
class TestPortalShipping(PortalCase):
    def test_r08_customer_sees_review_then_signature(self):
        order = self._new_order()
        self._follow(order)
        order.action_op_register()
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "Under Review")
        self.assertIn('data-step="review"', html)
        self._answer(order)
        self.assertEqual(order.op_state, "answered")
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "Awaiting Your Signature")
        self.assertIn("please sign it", html)

    def test_r08_review_comments_and_reasons_never_reach_the_customer(self):
        order = self._new_order()
        self._follow(order)
        order.action_op_register()
        first = order.op_review_ids.filtered(lambda r: r.state == "pending")[:1]
        role = first.group_id.get_external_id()[first.group_id.id].split("group_")[1]
        first.with_user(self.users[role]).action_approve(
            comments=COMMENT,
            committed_date=order.op_requested_date
            if first.records_delivery_date
            else None,
        )
        self.assertEqual(order.op_state, "review")
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "Under Review")
        self.assertIn(COMMENT, first.comments)
        self.assertNotIn("INTERNAL-COMMENT-7731", html)
        # A rejection with its reason: the order goes back to the company,
        # the customer still reads "under review".
        second = order.op_review_ids.filtered(lambda r: r.state == "pending")[:1]
        role = second.group_id.get_external_id()[second.group_id.id].split("group_")[1]
        second.with_user(self.users[role]).action_reject(REASON, comments=COMMENT)
        self.assertEqual(order.op_state, "returned")
        self.assertIn(REASON, order.op_return_reason)
        # The reason is on the order's chatter, as an internal note.
        self.assertTrue(
            order.message_ids.filtered(lambda m: "INTERNAL-REASON-5150" in m.body)
        )
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "Under Review")
        for secret in ("INTERNAL-COMMENT-7731", "INTERNAL-REASON-5150"):
            self.assertNotIn(secret, html)
            self.assertNotIn(secret, self._chatter(order))
        self.assertNotIn(second.reviewer_id.name, html)

    def test_r23_r26_customer_follows_the_order_to_its_shipment(self):
        picking = self._received_delivery()
        order = picking.sale_id
        self._follow(order)
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "In Production")
        self.assertIn("stored in our warehouse", html)
        self.assertNotIn("o_op_portal_d11", html)
        # The approved D10 gives the customer the ship date.
        self._set_quantities(picking)
        self._approved_d10(picking, requirements="Pallets wrapped")
        ship_date = format_date(self.env, WEDNESDAY)
        html = self._stage_text(order)
        self.assertEqual(self._label(html), f"Ready to ship on {ship_date}")
        self.assertNotIn(f"/my/picking/pdf/{picking.id}", html)
        # The delivery note is not the customer's before the goods left.
        self.authenticate("op_portal_customer", "op_portal_customer")
        response = self.url_open(f"/my/picking/pdf/{picking.id}")
        self.assertEqual(response.status_code, 404)
        self._signed_check(picking)
        self._gate(picking)
        self.assertEqual(
            self._label(self._stage_text(order)), f"Ready to ship on {ship_date}"
        )
        picking.sudo().write(
            {"carrier_id": self.carrier.id, "carrier_tracking_ref": "SF-2026-0042"}
        )
        self._vehicle_arrived(picking)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        html = self._stage_text(order)
        self.assertEqual(self._label(html), "Shipped")
        self.assertIn('o_op_portal_carrier">Shunfeng Freight<', html)
        # The plate that passed the gate (until a carrier booking gives it).
        self.assertIn('o_op_portal_plate">沪A 12345<', html)
        self.assertIn("SF-2026-0042", html)
        self.assertIn(f"/my/picking/pdf/{picking.id}", html)
        # The D11 to download: Odoo's delivery slip with the loading check.
        self.authenticate("op_portal_customer", "op_portal_customer")
        response = self.url_open(f"/my/picking/pdf/{picking.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # (Under tests, Odoo's _render_qweb_pdf returns the report's HTML
        # unless force_report_rendering is set: the body is the D11 itself.)
        self.assertIn(b"o_op_d11", response.content)
        response = self.url_open(f"/my/picking/pdf/{picking.id}?report_type=html")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_op_d11", response.text)
        self.assertIn("Pallets wrapped", response.text)
        self.assertIn(picking.name, response.text)
        # The list of orders shows the stage too.
        response = self.url_open("/my/orders")
        self.assertIn(order.name, response.text)
        self.assertIn("o_op_portal_stage_label", response.text)

    def test_r08_r26_another_customer_sees_neither_order_nor_delivery_note(self):
        picking = self._received_delivery()
        order = picking.sale_id
        self._follow(order)
        self._shipped(picking)
        self.assertEqual(order.op_portal_stage, "shipped")
        response = self._page(order, "op_portal_other")
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"))
        for url in (
            f"/my/picking/pdf/{picking.id}",
            f"/my/picking/pdf/{picking.id}?report_type=html",
            f"/my/picking/pdf/{picking.id}?access_token=wrong",
        ):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(b"o_op_d11", response.content)
            self.assertNotIn(picking.name, response.text)
        response = self.url_open("/my/orders")
        self.assertNotIn(order.name, response.text)
        # The customer's own user reads it; so does the order's access link.
        self.assertEqual(self._page(order).status_code, 200)
        self.authenticate(None, None)
        token = order._portal_ensure_token()
        response = self.url_open(f"/my/picking/pdf/{picking.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn(b"o_op_d11", response.content)

    def test_odoo_orders_outside_the_process_show_no_stage(self):
        self.company.op_enabled = False
        order = self._create_order()
        self.assertFalse(order.op_active)
        order.action_confirm()
        self._follow(order)
        self.assertFalse(order.op_portal_stage)
        response = self._page(order)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Where Is My Order", response.text)
        self.assertNotIn("o_op_portal_stage", response.text)

    def test_r08_stages_of_the_orders_list_do_not_grow_with_the_orders(self):
        orders = self.env["sale.order"]
        for _i in range(20):
            orders |= self._effective_order()
        self.assertEqual(len(orders.picking_ids), 20)

        def queries(records):
            self.env.invalidate_all()
            records = records.with_user(self.portal_user).sudo()
            before = self.cr.sql_log_count
            records.mapped("op_portal_stage_label")
            return self.cr.sql_log_count - before

        one, twenty = queries(orders[:1]), queries(orders)
        self.assertEqual(set(orders.mapped("op_portal_stage")), {"production"})
        self.assertEqual(one, twenty)
