# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .test_production_plan import AFTER_DEADLINE
from .test_production_quality import DURING_DAY, QualityCase

CUSTOMER = "深圳市华星电子科技有限公司"
STATS_DAY = date(2026, 10, 12)


@tagged("post_install", "-at_install")
class TestProductionReports(QualityCase, HttpCase):
    """D3, D4, D5/D6, D7, D8 and D9 print as PDF with Chinese text (the server is up
    for the report's CSS, as when a user prints)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"name": CUSTOMER, "lang": "zh_CN"})
        names = {
            "pmc_planner": "计划员小刘",
            "pmc_manager": "王经理",
            "production": "李师傅",
            "quality": "质检员赵",
            "fg_warehouse": "张仓管",
        }
        for role, name in names.items():
            cls.users[role].write(
                {"name": name, "lang": "zh_CN", "tz": "Asia/Shanghai"}
            )
        cls.workcenter = cls.env["mrp.workcenter"].create(
            {
                "name": "模切机 1号 Die-cut 1",
                "company_id": cls.company.id,
                "resource_calendar_id": cls.calendar.id,
            }
        )

    def _render(self, xmlid, records, user, lang="zh_CN", pdf=True):
        """The report's HTML; its PDF too when ``pdf``. The wkhtmltopdf of a
        test machine may be built on unpatched Qt, which prints one page
        body per run only: several documents are checked in HTML."""
        report = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(
                force_report_rendering=True,
                lang=lang,
                allowed_company_ids=self.company.ids,
            )
        )
        html = report._render_qweb_html(xmlid, records.ids)[0].decode()
        if pdf:
            content, kind = report._render_qweb_pdf(xmlid, records.ids)
            self.assertEqual(kind, "pdf")
            self.assertTrue(content.startswith(b"%PDF"), xmlid)
            self.assertGreater(len(content), 5000)
            # The CJK font is embedded: Chinese text is drawn, not boxes.
            self.assertRegex(content, rb"CJK|Noto|WenQuanYi|Droid", xmlid)
        return html

    def test_d4_plan_renders_mos_customers_signatures_and_late_release(self):
        production = self._production(self._effective_order())
        plan = self._plan(production)
        plan.action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with freeze_time(AFTER_DEADLINE):
            plan.action_release(late_reason="物料延迟到货 material late")
        rush = self._production(self._effective_order())
        deputy = self._approver()
        deputy.write({"name": "陈副经理", "email": "deputy@example.com"})
        plan.with_user(deputy).action_insert_rush(rush, "客户停线")
        self.assertEqual(plan.production_ids, production | rush)
        self.assertTrue(plan.released_late)

        html = self._render(
            "order_process_addon.action_report_order_d4",
            plan,
            self.users["pmc_planner"],
        )
        self.assertIn(plan.name, html)
        for mo in (production, rush):
            self.assertIn(mo.name, html)
            self.assertIn(mo.op_sale_order_id.name, html)
        self.assertIn("5.00", html)
        self.assertIn(CUSTOMER, html)
        self.assertIn("陈副经理", html)  # inserted the rush order
        self.assertIn("计划员小刘", html)  # submitted and released
        self.assertIn("王经理", html)  # approved
        self.assertIn("物料延迟到货 material late", html)

    def test_d5_d6_inspections_render_one_list_per_mo_with_voided_records(self):
        production = self._released_production()
        d5 = self._inspect(
            production,
            "production",
            "key_process",
            workcenter_id=self.workcenter.id,
            qty_checked=120,
            qty_defective=3,
            defect_types="毛边 burr",
        )
        voided = self._inspect(production, "production", "key_process")
        voided.with_user(self.users["production"]).action_void("工位错误")
        d6 = self._inspect(
            production,
            "quality",
            "patrol",
            spot_check_of_id=d5.id,
            result="fail",
            finding="抽检发现溢胶 adhesive overflow",
        )
        other = self._released_production()
        other_d6 = self._inspect(other, "quality", "patrol", qty_checked=30)

        report = "order_process_addon.action_report_order_d5_d6"
        html = self._render(report, d5 | voided | d6, self.users["quality"])
        for text in (
            production.name,
            production.op_sale_order_id.name,
            CUSTOMER,
            "模切机 1号 Die-cut 1",
            "120.0",
            "3.0",
            "毛边 burr",
            "抽检发现溢胶 adhesive overflow",
            "工位错误",
            "李师傅",  # D5 inspector
            "质检员赵",  # D6 inspector
        ):
            self.assertIn(text, html)
        self.assertNotIn(other.name, html)
        # In the order of inspection: the D5 record, then its D6 spot check.
        self.assertLess(html.index("李师傅"), html.index("质检员赵"))
        # Records of two manufacturing orders: one list per order.
        html = self._render(
            report, other_d6 | d5 | d6, self.users["quality"], pdf=False
        )
        self.assertEqual(html.count('class="page o_op_report"'), 2)
        self.assertIn(other.name, html)
        self.assertIn("30.0", html)
        # In the order of the selection.
        self.assertLess(html.index(other.name), html.index(production.name))

        # The title follows the kinds printed (checked in English, the
        # language of the printing user).
        self.users["production"].lang = "en_US"
        self.users["quality"].lang = "en_US"
        d5_html = self._render(
            report,
            d5,
            self.users["production"],
        )
        self.assertIn("Key-Process Inspection Record (D5)", d5_html)
        self.assertNotIn("(D6)", d5_html)
        d6_html = self._render(
            report,
            other_d6,
            self.users["quality"],
        )
        self.assertIn("Patrol Inspection Record (D6)", d6_html)
        self.assertNotIn("(D5)", d6_html)

    def test_d8_receipt_renders_quantities_mismatch_and_keeper_signature(self):
        receipt = self._signed_receipt(counted=4, reason="一条撕裂 one strip torn")
        self.assertTrue(receipt.mismatch)
        html = self._render(
            "order_process_addon.action_report_order_d8",
            receipt,
            self.users["fg_warehouse"],
        )
        for text in (
            receipt.production_id.name,
            receipt.sale_order_id.name,
            CUSTOMER,
            self.product.name,
            "5.0",  # delivered
            "4.0",  # counted
            "一条撕裂 one strip torn",
            "李师傅",  # deliverer
            "张仓管",  # keeper
            "2026年10月12日 11时00分",  # signed on, in the keeper's time zone
        ):
            self.assertIn(text, html)

    def test_d9_statistics_render_lines_per_order_and_manager_signature(self):
        first = self._signed_receipt()
        second = self._signed_receipt(counted=4, reason="One strip torn")
        stats = self.env["order.inbound.statistics"]._op_build(self.company, STATS_DAY)
        stats.with_user(self.users["pmc_planner"]).action_submit()
        stats.with_user(self.users["pmc_manager"]).action_sign()
        self.assertEqual(len(stats.line_ids), 2)

        html = self._render(
            "order_process_addon.action_report_order_d9",
            stats,
            self.users["pmc_manager"],
        )
        for text in (
            first.sale_order_id.name,
            second.sale_order_id.name,
            CUSTOMER,
            self.product.name,
            "PO-4711",
            "9.0",  # counted in all
            "10.0",  # delivered in all
            "2026年10月12日",
            "计划员小刘",  # submitted
            "王经理",  # signed
        ):
            self.assertIn(text, html)

    def test_d3_material_plan_renders_requirements_and_approval(self):
        vendor = self.env["res.partner"].create({"name": "东莞华科材料有限公司"})
        self.env["product.supplierinfo"].create(
            {
                "partner_id": vendor.id,
                "product_tmpl_id": self.component.product_tmpl_id.id,
                "company_id": self.company.id,
                "price": 1.5,
            }
        )
        order = self._effective_order()
        action = order.with_user(self.users["pmc_material"]).action_op_material_plan()
        plan = self.env["order.material.plan"].browse(action["res_id"])
        plan.with_user(self.users["pmc_material"]).action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        html = self._render(
            "order_process_addon.action_report_order_d3",
            plan,
            self.users["pmc_manager"],
        )
        for text in (
            "物料需求计划",
            plan.name,
            order.name,
            CUSTOMER,
            "EVA foam",
            "东莞华科材料有限公司",
            plan.purchase_order_ids.name,
            "王经理",
        ):
            self.assertIn(text, html)

    def test_d7_daily_report_renders_quantities_tests_and_signature(self):
        production = self._released_production()
        with freeze_time(DURING_DAY):  # recorded on the plan's day
            production.with_user(self.users["production"]).qty_producing = 5
        self._test(production, "pass")
        report = production.op_plan_id.daily_report_ids
        report.with_user(self.users["quality"]).action_sign()
        html = self._render(
            "order_process_addon.action_report_order_d7",
            report,
            self.users["quality"],
        )
        for text in ("生产日报表", report.name, production.name, "质检员赵", "5.00"):
            self.assertIn(text, html)
