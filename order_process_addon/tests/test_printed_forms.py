# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 18, item 2: the forms a customer receives (D1, D2, D11) and the
ones staff print (D10, D12) as PDF, read back as text: the company's
letterhead (name, address) once, the company's currency, the customer's
language for the customer's forms and the reader's for staff's, times in
the company's time zone whoever prints them, the portal's customer
included. Rendered with the HTTP server up, as when a user prints: the PDF
engine fetches the report's CSS from the server (report.url)."""

import base64
import io
import unicodedata
import urllib.request
from unittest.mock import patch

from freezegun import freeze_time
from PIL import Image

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.order_process_addon.models import ir_actions_report

from . import test_portal_shipping, test_role_matrix
from .test_shipping import WEDNESDAY, ShippingCase
from .tour_timing import TOUR_TIMEOUT

COMPANY = "Test Die-Cut Co."
STREET = "Chang'an Industrial Avenue 88"
CUSTOMER_ZH = "深圳市华星电子科技有限公司"
# Wednesday 2 December 2026, 10:00 in Shanghai: when the goods leave.
SHIPPED = "2026-12-02 02:00:00"


def pdf_text(content):
    """The text of a PDF as a reader copies it (Odoo's PDF library), in
    NFKC, with each run of white space as one space.

    wkhtmltopdf (Qt) maps each glyph of the CJK font back to the lowest code
    point that shares it: NFKC undoes the Kangxi radicals (⽇ for 日), not
    the others (⻋ for 车, 㬵 for 胶): the Chinese the tests look for is
    made of characters that read back as themselves."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_fonts(content):
    """The names of the fonts a PDF embeds."""
    reader = PdfReader(io.BytesIO(content))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return names


@tagged("post_install", "-at_install")
class TestPrintedForms(ShippingCase, HttpCase):
    _shipped = test_portal_shipping.TestPortalShipping._shipped
    _records_to_print = test_role_matrix.TestMultiCompanyReports._foreign_records

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["order_process_addon"], ["zh_CN"], overwrite=True
        )
        cls.company.write(
            {
                "name": COMPANY,
                "street": STREET,
                "city": "Dongguan",
                "zip": "523850",
                "country_id": cls.env.ref("base.cn").id,
                "phone": "+86 769 8530 0000",
            }
        )
        cls.customer.write({"name": CUSTOMER_ZH, "lang": "zh_CN"})
        cls.english_customer = cls.env["res.partner"].create(
            {"name": "Pacific Gaskets Inc.", "lang": "en_US"}
        )
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "Shunfeng Freight",
                "delivery_type": "fixed",
                "product_id": cls.env["product.product"]
                .create({"name": "Freight", "type": "service"})
                .id,
            }
        )
        # A customer's contact on the portal, whose own time zone is UTC.
        cls.portal_user = new_test_user(
            cls.env,
            login="op_portal_prints",
            name="陈小姐",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="UTC",
        )
        cls.portal_user.partner_id.write({"parent_id": cls.customer.id})

    # ------------------------------------------------------------ helpers
    def _pdf(self, xmlid, records, user, sudo=False, **context):
        """The PDF of ``records`` printed by ``user`` (as the web client
        does: the user's language and companies; ``sudo`` as the portal's
        routes do) and its text."""
        context = {
            "force_report_rendering": True,
            "lang": user.lang,
            "tz": user.tz,
            "allowed_company_ids": self.company.ids,
            **context,
        }
        report = self.env["ir.actions.report"].with_user(user).with_context(**context)
        if sudo:
            report = report.sudo()
        content, kind = report._render_qweb_pdf(xmlid, records.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), xmlid)
        return content, pdf_text(content)

    def _assert_letterhead(self, content, text):
        """The company's letterhead, once, on a PDF whose CSS reached the
        engine: the forms' font is embedded (Simplified Chinese glyphs)."""
        self.assertIn(COMPANY, text)
        self.assertEqual(text.count(STREET), 1, text)
        self.assertIn("Dongguan", text)
        self.assertTrue(
            any("NotoSansCJKsc" in font for font in pdf_fonts(content)),
            pdf_fonts(content),
        )

    def _shipped_delivery(self):
        """A delivery of the process that left at SHIPPED, and its order."""
        picking = self._received_delivery()
        with freeze_time(SHIPPED):
            self._shipped(picking)
        return picking

    # ------------------------------------------------------------ URL
    def test_the_pdf_engine_reaches_this_server(self):
        """The address wkhtmltopdf fetches the report's CSS at (report.url,
        else web.base.url) is this server's, on the database `make test`
        made as on the one of a test run."""
        url = self.env["ir.actions.report"]._get_report_url()
        with urllib.request.urlopen(f"{url}/web/health", timeout=10) as response:
            self.assertEqual(response.status, 200)

    # ------------------------------------------------------------ customer
    def test_r07_d1_prints_on_the_letterhead_in_the_customers_language(self):
        order = self._answered_order(op_special_requirements="防静电包装")
        # The English-speaking merchandiser prints the Chinese customer's D1.
        merchandiser = self.users["customer_mgmt"]
        merchandiser.lang = "en_US"
        content, text = self._pdf(
            "order_process_addon.action_report_order_d1", order, merchandiser
        )
        self._assert_letterhead(content, text)
        self.assertIn("订单信息与交货确认表", text)
        self.assertIn(CUSTOMER_ZH, text)
        self.assertIn(order.name, text)
        self.assertIn("防静电包装", text)
        self.assertNotIn("Order Information", text)
        # An English customer's D1, printed by a Chinese merchandiser.
        merchandiser.lang = "zh_CN"
        order = self._answered_order(partner_id=self.english_customer.id)
        content, text = self._pdf(
            "order_process_addon.action_report_order_d1", order, merchandiser
        )
        self._assert_letterhead(content, text)
        self.assertIn("Order Information and Delivery Confirmation", text)
        self.assertNotIn("订单信息与交货确认表", text)

    def test_r08_d2_prints_the_prices_in_the_orders_currency(self):
        order = self._answered_order()
        self._sign_with_scan(order, signer="陈小姐")
        self.assertEqual(order.currency_id, self.env.ref("base.CNY"))
        finance = self.users["finance"]
        finance.lang = "en_US"
        content, text = self._pdf(
            "order_process_addon.action_report_order_d2", order, finance
        )
        self._assert_letterhead(content, text)
        self.assertIn("产品订货单", text)
        self.assertIn(CUSTOMER_ZH, text)
        self.assertIn("陈小姐", text)
        self.assertIn(f"¥ {order.amount_total:.2f}", text)
        self.assertIn("¥ 2.00", text, "the unit price in the currency too")
        self.assertNotIn("$", text)

    def test_r08_a_chinese_name_signs_legibly_on_the_portal_and_on_d2(self):
        """The portal's signature pad draws the typed Chinese name at its
        natural width (each character about as wide as it is high), not
        squeezed into the width of as many Latin letters; D2 prints the
        drawn signature with the typed name beside it."""
        order = self._answered_order()
        self.start_tour(
            order.get_portal_url(),
            "order_process_cjk_signature_tour",
            timeout=TOUR_TIMEOUT,
        )
        order.invalidate_recordset()
        self.assertEqual(order.signed_by, "陈小姐")
        self.assertEqual(order.op_state, "effective")
        image = Image.open(io.BytesIO(base64.b64decode(order.signature)))
        left, top, right, bottom = image.convert("RGBA").getchannel("A").getbbox()
        ratio = (right - left) / (bottom - top)
        self.assertGreater(ratio, 2.5, "three characters side by side, unsqueezed")
        self.assertLess(ratio, 4.0)
        content, text = self._pdf(
            "order_process_addon.action_report_order_d2",
            order,
            self.users["customer_mgmt"],
        )
        self.assertIn("陈小姐", text)
        self.assertIn(b"/Subtype /Image", content)

    def test_r26_d11_in_the_customers_language_and_the_companys_time(self):
        picking = self._shipped_delivery()
        self.assertEqual(picking.date_done.strftime("%H:%M"), "02:00")  # UTC
        # The customer downloads it from the portal: the factory's 10:00,
        # not the portal user's UTC (in the customer's Chinese format).
        self.authenticate("op_portal_prints", "op_portal_prints")
        for url in (
            f"/my/picking/pdf/{picking.id}",
            f"/my/picking/pdf/{picking.id}?report_type=html",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIn("2026年12月02日 10时00分00秒", response.text, url)
            self.assertNotIn("02时00分", response.text, url)
        content, text = self._pdf(
            "stock.action_report_delivery", picking, self.portal_user, sudo=True
        )
        self._assert_letterhead(content, text)
        self.assertIn("送货单", text)
        self.assertIn("核对", text)
        self.assertIn(picking.name, text)
        self.assertIn("2026年12月02日 10时00分00秒", text)
        self.assertNotIn("02时00分", text)
        self.assertNotIn("Loading Check", text)
        # A staff member in Paris reads the same time.
        keeper = self.keeper
        keeper.write({"tz": "Europe/Paris", "lang": "en_US"})
        content, text = self._pdf("stock.action_report_delivery", picking, keeper)
        self.assertIn("2026年12月02日 10时00分00秒", text)
        self.assertIn("送货单", text, "the customer's language, not the reader's")

    # ------------------------------------------------------------ staff
    def test_r23_d10_prints_in_the_readers_language(self):
        picking = self._received_delivery()
        d10 = self._approved_d10(picking, requirements="托盘缠膜")
        clerk = self.users["pmc_clerk"]
        for lang, title, other in (
            ("zh_CN", "出货单", "Shipping Order"),
            ("en_US", "Shipping Order", "出货单"),
        ):
            clerk.lang = lang
            content, text = self._pdf(
                "order_process_addon.action_report_order_d10", d10, clerk
            )
            self._assert_letterhead(content, text)
            self.assertIn(title, text)
            self.assertNotIn(other, text)
            self.assertIn(d10.name, text)
            self.assertIn("托盘缠膜", text)

    def test_r28_d12_prints_the_companys_currency_for_any_reader(self):
        picking = self._shipped_delivery()
        d12 = self.env["order.shipment.statistics"]._op_build(self.company, WEDNESDAY)
        self.assertEqual(d12.line_ids.sale_order_id, picking.sale_id)
        d12.with_user(self.keeper).action_prepare()
        d12.with_user(self.users["pmc_manager"]).action_sign()
        # A Finance user whose current company works in dollars.
        finance = self.users["finance"]
        dollars = self.env["res.company"].create(
            {"name": "US Sales Office", "currency_id": self.env.ref("base.USD").id}
        )
        finance.write({"company_ids": [Command.link(dollars.id)]})
        amount = f"¥ {d12.sudo().amount_total:,.2f}"
        for lang, title, other in (
            ("zh_CN", "每日出货统计表", "Daily Shipment Statistics"),
            ("en_US", "Daily Shipment Statistics", "每日出货统计表"),
        ):
            finance.lang = lang
            content, text = self._pdf(
                "order_process_addon.action_report_order_d12",
                d12,
                finance,
                allowed_company_ids=[dollars.id, self.company.id],
            )
            self._assert_letterhead(content, text)
            self.assertIn(title, text)
            self.assertNotIn(other, text)
            self.assertIn(picking.sale_id.name, text)
            self.assertIn(amount, text)
            self.assertNotIn("$", text)
        # The copy e-mailed to Finance by the scheduled job (as the
        # superuser) is printed for Finance: its language, its amounts.
        finance.lang = "zh_CN"
        d12.with_context(force_report_rendering=True)._op_send_to_finance()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", d12._name), ("res_id", "=", d12.id)]
        )
        text = pdf_text(attachment.raw)
        self.assertIn("每日出货统计表", text)
        self.assertIn(amount, text)
        self.assertIn(COMPANY, text)

    def test_every_form_of_the_process_prints_on_the_letterhead(self):
        """D1-D13 and the monthly review, each as a PDF for the Audit
        Center (which reads them all), in Chinese: the letterhead once."""
        records = self._records_to_print(self.company)
        records["sale.order"].partner_id.lang = "zh_CN"  # D1, D2: the customer's
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "order_process_addon.%")]
        )
        self.assertGreaterEqual(len(reports), 12)
        audit = self.users["audit"]
        audit.lang = "zh_CN"
        for report in reports:
            with self.subTest(report=report.name):
                content, text = self._pdf(
                    report.report_name, records[report.model], audit
                )
                self._assert_letterhead(content, text)
                self.assertRegex(text, "[\u4e00-\u9fff]{3}")

    # ------------------------------------------------------------ engine
    def test_several_forms_print_as_one_pdf_on_any_engine(self):
        """A wkhtmltopdf without the patched Qt prints nothing for more than
        one document (Odoo got an empty file): one run per record, merged,
        each on its letterhead."""
        orders = self._answered_order() | self._answered_order()
        content, text = self._pdf(
            "order_process_addon.action_report_order_d1",
            orders,
            self.users["customer_mgmt"],
        )
        self.assertGreaterEqual(len(PdfReader(io.BytesIO(content)).pages), 2)
        for order in orders:
            self.assertIn(order.name, text)
        self.assertEqual(text.count(STREET), 2, "a letterhead on each form")

    def test_letterhead_in_the_body_only_where_the_engine_drops_the_header(self):
        """wkhtmltopdf on a patched Qt prints Odoo's header (its version
        says so); on any other build the letterhead goes to the page body,
        whose top margin then loses the header's room. Never both."""
        self.assertTrue(
            ir_actions_report.has_patched_qt("wkhtmltopdf 0.12.6 (with patched qt)")
        )
        self.assertFalse(ir_actions_report.has_patched_qt("wkhtmltopdf 0.12.6"))
        order = self._answered_order()
        report = self.env["ir.actions.report"].with_context(
            allowed_company_ids=self.company.ids
        )
        xmlid = "order_process_addon.action_report_order_d1"
        for headers, in_body in ((False, True), (True, False)):
            with patch.object(
                ir_actions_report, "wkhtmltopdf_has_patched_qt", return_value=headers
            ):
                html = report._render_qweb_html(
                    xmlid, order.ids, data={"report_type": "pdf"}
                )[0].decode()
            self.assertEqual(html.count('"o_op_letterhead_name"'), int(in_body))
            self.assertEqual('data-report-margin-top="10"' in html, in_body)
            # Odoo's header is there for the engine to print or drop.
            self.assertIn("o_company_logo_small", html)
        # On screen (HTML), Odoo's header only.
        html = report._render_qweb_html(xmlid, order.ids)[0].decode()
        self.assertNotIn("o_op_letterhead_name", html)
        self.assertIn("o_company_logo_small", html)
