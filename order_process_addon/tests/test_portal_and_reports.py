# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo.tests import HttpCase, tagged

from .common import OrderProcessCase

# A 1x1 PNG, as the portal's signature pad sends it.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPortalAndReports(OrderProcessCase, HttpCase):
    def test_r08_portal_signature_makes_the_order_effective(self):
        order = self._answered_order()
        token = order._portal_ensure_token()
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": token, "name": "陈小姐", "signature": SIGNATURE},
        )
        self.assertFalse(result.get("error"), result)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.op_signature_source, "portal")
        self.assertEqual(order.signed_by, "陈小姐")

    def test_r08_portal_refuses_to_sign_an_order_under_review(self):
        order = self._new_order()
        order.action_op_register()
        result = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Chen",
                "signature": SIGNATURE,
            },
        )
        self.assertIn("error", result)
        order.invalidate_recordset()
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "draft")

    def _render(self, xmlid, order, lang="zh_CN"):
        report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=lang
        )
        pdf, kind = report._render_qweb_pdf(xmlid, order.ids)
        html = report._render_qweb_html(xmlid, order.ids)[0].decode()
        return pdf, kind, html

    def test_d1_d2_render_as_pdf_with_chinese_text(self):
        self.customer.name = "深圳市华星电子科技有限公司"
        self.customer.lang = "zh_CN"
        self.users["customer_mgmt"].lang = "zh_CN"
        order = self._answered_order(op_special_requirements="无卤素胶 halogen-free")
        self._sign_with_scan(order, signer="陈小姐")
        for xmlid, title, signer in (
            ("order_process_addon.action_report_order_d1", "订单信息与交货确认表", ""),
            ("order_process_addon.action_report_order_d2", "产品订货单", "陈小姐"),
        ):
            pdf, kind, html = self._render(xmlid, order)
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"), xmlid)
            self.assertGreater(len(pdf), 5000)
            # The CJK font is embedded: Chinese text is drawn, not boxes.
            self.assertRegex(pdf, rb"CJK|Noto|WenQuanYi|Droid", xmlid)
            self.assertIn(title, html)
            self.assertIn("深圳市华星电子科技有限公司", html)
            self.assertIn(signer, html)
        d1_html = self._render("order_process_addon.action_report_order_d1", order)[2]
        for review in order.op_review_ids:
            self.assertIn(review.reviewer_id.name, d1_html)
        self.assertTrue(re.search(r"无卤素胶", d1_html))

    def test_d2_shows_the_portal_signature_image(self):
        order = self._answered_order()
        self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Chen",
                "signature": SIGNATURE,
            },
        )
        order.invalidate_recordset()
        html = self._render(
            "order_process_addon.action_report_order_d2", order, "en_US"
        )[2]
        self.assertIn("data:image/png;base64,", html)
        self.assertIn("Chen", html)
