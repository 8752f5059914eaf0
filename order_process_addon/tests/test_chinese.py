# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 12, item 3: a role user who works in Simplified Chinese reads the
app's menu, the process's errors and its forms in Chinese."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_production_quality import QualityCase


@tagged("post_install", "-at_install")
class TestChinese(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["order_process_addon"], ["zh_CN"], overwrite=True
        )
        cls.merchandiser = cls.users["customer_mgmt"]
        cls.merchandiser.lang = "zh_CN"

    def _as_merchandiser(self, model):
        """The environment the web client gives the user: its own context
        (language, time zone), nothing passed by hand."""
        user = self.merchandiser.with_user(self.merchandiser)
        return self.env(user=user, context=user.context_get())[model]

    def test_r37_menu_error_and_form_title_in_chinese(self):
        # The menu the merchandiser opens.
        menus = self._as_merchandiser("ir.ui.menu").load_menus(debug=False)
        orders = self.env.ref("order_process_addon.menu_orders")
        self.assertEqual(menus[orders.id]["name"], "订单与评审")
        # An error of the process, raised by the user's own action.
        order = self._answered_order()
        with self.assertRaises(UserError) as caught:
            self._as_merchandiser("sale.order").browse(order.id).action_confirm()
        self.assertIn("须经客户签回后才生效", str(caught.exception))
        self.assertEqual(order.state, "draft", "nothing changed")
        # The title of the form (D1) the user prints for a Chinese customer
        # (D1 is in the customer's language, issue 18 item 2).
        self.customer.lang = "zh_CN"
        html, _kind = (
            self._as_merchandiser("ir.actions.report")
            .sudo(False)
            ._render_qweb_html("order_process_addon.action_report_order_d1", order.ids)
        )
        html = html.decode()
        self.assertIn("订单信息与交货确认表（D1）", html)
        self.assertNotIn("Order Information and Delivery Confirmation", html)

    def test_r34_reviewers_to_do_is_in_the_reviewers_language(self):
        """An order registered by an English-speaking merchandiser: the
        Chinese quality reviewer's to-do reads in Chinese, the English
        finance reviewer's in English."""
        self.merchandiser.lang = "en_US"
        quality, finance = self.users["quality"], self.users["finance"]
        quality.lang = "zh_CN"
        finance.lang = "en_US"
        order = self._new_order()
        self._as_merchandiser("sale.order").browse(order.id).action_op_register()
        todos = order.activity_ids
        chinese = todos.filtered(lambda a: a.user_id == quality).summary
        english = todos.filtered(lambda a: a.user_id == finance).summary
        self.assertTrue(chinese.startswith("评审："), chinese)
        self.assertTrue(english.startswith("Review: "), english)
        step = self._review(order, "quality").step_id
        self.assertIn(step.with_context(lang="zh_CN").name, chinese)

    def test_r34_chatter_deadline_in_the_companys_time_zone(self):
        """The registration note gives the review deadline as the company's
        people read it (the calendar's time zone), not in UTC."""
        order = self._new_order()
        order.with_user(self.merchandiser).action_op_register()
        tz = self.env["res.company"]._op_calendar(self.company).tz
        self.assertEqual(tz, "Asia/Shanghai")
        local = fields.Datetime.context_timestamp(
            order.with_context(tz=tz), order.op_review_deadline
        )
        note = order.message_ids.filtered(lambda m: "round 1" in (m.body or ""))
        self.assertIn(local.strftime("%Y-%m-%d %H:%M CST"), str(note.body))
        utc = fields.Datetime.to_string(order.op_review_deadline)[:16]
        self.assertNotIn(utc, str(note.body))

    def test_r34_every_process_to_do_is_in_its_assignees_language(self):
        """Not only the reviews: a plan submitted by an English-speaking
        planner asks the Chinese PMC manager in Chinese."""
        planner, manager = self.users["pmc_planner"], self.users["pmc_manager"]
        planner.lang = "en_US"
        manager.lang = "zh_CN"
        plan = self._plan(self._production(self._effective_order()))
        plan.with_user(planner).with_context(lang="en_US").action_submit()
        todo = plan.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(todo.summary, f"审批生产计划 {plan.name}")

    def test_r37_forms_and_roles_carry_the_procedures_chinese_names(self):
        """The term review (issue 12, item 3): each form's print and each
        role read in Chinese with the company procedure's own names."""
        forms = {
            "action_report_order_d1": "订单信息与交货确认表",
            "action_report_order_d2": "产品订货单",
            "action_report_order_d3": "物料需求计划",
            "action_report_order_d4": "生产计划表",
            "action_report_order_d5_d6": "检验记录",
            "action_report_order_d7": "生产日报表",
            "action_report_order_d8": "入库单",
            "action_report_order_d9": "入库统计表",
            "action_report_order_d10": "出货单",
            "action_report_order_d12": "每日出货统计表",
            "action_report_order_d13": "原因分析报告",
        }
        wrong = []
        for xmlid, chinese in forms.items():
            report = self.env.ref(f"order_process_addon.{xmlid}")
            name = report.with_context(lang="zh_CN").name
            if chinese not in name:
                wrong.append(f"{xmlid}: {name}")
        roles = {
            "customer_mgmt": "客户管理",
            "technical": "技术",
            "pmc_planner": "PMC 计划员",
            "pmc_material": "PMC 物控员",
            "pmc_clerk": "PMC 文员",
            "pmc_manager": "PMC 经理",
            "fg_warehouse": "成品仓",
            "purchasing": "采购",
            "production": "生产",
            "quality": "品管",
            "administration": "行政",
            "finance": "财务",
            "audit": "稽核中心",
            "general_manager": "总经理",
        }
        for role, chinese in roles.items():
            group = self.env.ref(f"order_process_addon.group_{role}")
            name = group.with_context(lang="zh_CN").name
            if chinese not in name:
                wrong.append(f"group_{role}: {name}")
        self.assertFalse(wrong, "\n".join(wrong))
