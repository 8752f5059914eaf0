# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import date

from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.vocabulary import ROLES
from .common import demo_company
from .tour_timing import TOUR_TIMEOUT


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data lets a newcomer walk the process at once."""

    def setUp(self):
        super().setUp()
        self.company = demo_company(self)

    def test_demo_company_runs_the_process_main_company_does_not(self):
        self.assertTrue(self.company.op_enabled)
        self.assertFalse(self.env.ref("base.main_company").op_enabled)

    def test_demo_calendar_has_the_published_chinese_holidays(self):
        """R34: every published holiday of mainland China is time off of the
        demo calendar."""
        calendar = self.company.resource_calendar_id
        self.assertEqual(
            calendar, self.env.ref("order_process_addon.resource_calendar_demo")
        )
        self.assertEqual(calendar.tz, "Asia/Shanghai")
        holidays = self.env["order.public.holiday"].search(
            [("country_id.code", "=", "CN")]
        )
        self.assertGreaterEqual(set(holidays.mapped("year")), {2025, 2026})
        for holiday in holidays:
            self.assertFalse(
                calendar.op_is_working_date(holiday.date_from), holiday.name
            )
        self.assertFalse(calendar.op_is_working_date(date(2026, 10, 2)))  # National Day

    def test_demo_user_per_role_in_chinese(self):
        for role in ROLES:
            user = self.env.ref(f"order_process_addon.user_{role}_demo")
            self.assertEqual(user.login, role)
            self.assertEqual(user.lang, "zh_CN")
            self.assertEqual(user.company_id, self.company)
            self.assertTrue(user.has_group(f"order_process_addon.group_{role}"))
            self.assertRegex(user.name, r"[\u4e00-\u9fff]")

    def test_demo_products_cover_the_cases(self):
        ref = self.env.ref
        gasket = ref("order_process_addon.product_foam_gasket_demo")
        self.assertTrue(self.env["mrp.bom"]._bom_find(gasket)[gasket])
        self.assertFalse(gasket.op_is_oem)
        self.assertTrue(gasket.op_trial_run_done)
        self.assertTrue(ref("order_process_addon.product_shield_can_demo").op_is_oem)
        new_product = ref("order_process_addon.product_vent_membrane_demo")
        self.assertFalse(new_product.op_trial_run_done)  # R9

    def test_demo_customer_pays_before_shipment(self):
        hongda = self.env.ref("order_process_addon.partner_hongda_demo").with_company(
            self.company
        )
        self.assertTrue(hongda.op_payment_before_shipment)  # R21
        self.assertFalse(
            self.env.ref("order_process_addon.partner_huaxing_demo")
            .with_company(self.company)
            .op_payment_before_shipment
        )

    def test_r19_demo_customers_have_their_payment_terms_in_the_demo_company(self):
        """The customers' terms are company-dependent: set for the demo
        company, so that its invoices fall due 30 days later (the demo
        year's Invoiced, Not Paid shows open and overdue invoices)."""
        terms = {
            "partner_huaxing_demo": "account.account_payment_term_30days",
            "partner_lianchuang_demo": "account.account_payment_term_30days",
            "partner_hongda_demo": "account.account_payment_term_immediate",
        }
        for partner, term in terms.items():
            customer = self.env.ref(f"order_process_addon.{partner}").with_company(
                self.company
            )
            self.assertEqual(
                customer.property_payment_term_id, self.env.ref(term), partner
            )

    def test_demo_order_follows_the_process(self):
        user = self.env.ref("order_process_addon.user_customer_mgmt_demo")
        order = (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.env.ref(
                        "order_process_addon.partner_huaxing_demo"
                    ).id
                }
            )
        )
        self.assertEqual(order.company_id, self.company)
        self.assertTrue(order.op_active)

    def test_each_role_sees_only_its_departments_entries(self):
        """Issue 12, item 2: the app's top bar holds at most seven entries
        (Orders and Reviews, Planning, Production and Quality, Warehouse and
        Shipping, Finance, Reporting, Configuration), and each role sees only
        the ones it works in."""
        expected = {
            "sales": {"orders", "finance", "reporting"},
            "customer_mgmt": {"orders", "shipping", "finance", "reporting"},
            "technical": {"orders", "reporting"},
            "pmc_planner": {
                "orders",
                "planning",
                "production",
                "shipping",
                "reporting",
            },
            "pmc_material": {"orders", "planning", "reporting"},
            "pmc_clerk": {"orders", "shipping", "reporting"},
            "fg_warehouse": {"orders", "production", "shipping", "reporting"},
            "purchasing": {"orders", "planning", "reporting"},
            "production": {
                "orders",
                "planning",
                "production",
                "shipping",
                "reporting",
            },
            "quality": {"orders", "production", "reporting"},
            "administration": {"orders", "shipping", "reporting"},
            "finance": {"orders", "finance", "reporting"},
        }
        everything = {"orders", "planning", "production", "shipping", "finance"}
        for role in ("pmc_manager", "audit", "general_manager"):
            expected[role] = everything | {"reporting"}
        root = self.env.ref("order_process_addon.menu_root")
        self.assertLessEqual(len(root.child_id), 7)
        for role in ROLES:
            user = self.env.ref(f"order_process_addon.user_{role}_demo")
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
            seen = {
                menus[child]["xmlid"].split(".menu_")[1]
                for child in menus[root.id]["children"]
            }
            self.assertEqual(seen, expected[role], role)
        admin = self.env.ref("base.user_admin")
        menus = self.env["ir.ui.menu"].with_user(admin).load_menus(False)
        self.assertIn(
            "configuration",
            {
                menus[child]["xmlid"].split(".menu_")[1]
                for child in menus[root.id]["children"]
            },
        )

    def test_each_role_lands_on_the_list_it_acts_on(self):
        """Every demo user's home action opens a list of the process that
        the role reads (its domain runs as that user)."""
        for role in ROLES:
            user = self.env.ref(f"order_process_addon.user_{role}_demo")
            action = user.action_id.sudo()
            self.assertEqual(action.type, "ir.actions.act_window", role)
            action = self.env["ir.actions.act_window"].browse(action.id)
            self.assertIn("order_process_addon.", action.get_external_id()[action.id])
            model = self.env[action.res_model].with_user(user)
            model.check_access("read")
            context = dict(self.env.context, uid=user.id)
            domain = safe_eval(action.domain or "[]", {"uid": user.id, **context})
            model.search(domain, limit=10)
        homes = {
            role: self.env["ir.actions.act_window"].browse(
                self.env.ref(f"order_process_addon.user_{role}_demo").action_id.id
            )
            for role in ("customer_mgmt", "pmc_clerk", "fg_warehouse", "finance")
        }
        self.assertEqual(homes["customer_mgmt"].res_model, "sale.order")
        self.assertEqual(homes["pmc_clerk"].res_model, "order.shipping.order")
        self.assertEqual(homes["fg_warehouse"].res_model, "stock.picking")
        self.assertEqual(homes["finance"].res_model, "account.move")


@tagged("post_install", "-at_install")
class TestDemoLogin(HttpCase):
    def test_each_demo_user_logs_in(self):
        """login = password = the role, over real HTTP."""
        for role in ROLES:
            self.authenticate(role, role)
            response = self.url_open(
                "/web/session/get_session_info",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
                headers={"Content-Type": "application/json"},
            )
            self.assertEqual(response.status_code, 200, role)
            result = response.json()["result"]
            self.assertEqual(result["username"], role)
            # Each role lands on its work, not in Discuss.
            user = self.env.ref(f"order_process_addon.user_{role}_demo")
            self.assertEqual(result["home_action_id"], user.action_id.id, role)

    def test_each_role_lands_on_its_work_in_the_browser(self):
        """Issue 12, item 1: logged in at /odoo in headless Chromium, each
        demo role user's first screen is its own work list (the title of
        its home action, in its language), not Discuss."""
        code = """
            const expected = %s;
            // As a tour step waits on its trigger (tour_wait.js): up to 60 s
            // for the title, which a loaded machine may take long to show.
            const deadline = Date.now() + 60000;
            (function check() {
                const title = document.querySelector(
                    ".o_control_panel .o_breadcrumb .o_last_breadcrumb_item"
                );
                const text = title ? title.textContent.trim() : "";
                if (text === expected) {
                    console.log("test successful");
                } else if (Date.now() > deadline) {
                    console.error(`landed on "${text}", not "${expected}"`);
                } else {
                    setTimeout(check, 200);
                }
            })();
        """
        for role in ROLES:
            user = self.env.ref(f"order_process_addon.user_{role}_demo")
            action = self.env["ir.actions.act_window"].browse(user.action_id.id)
            title = action.with_context(lang=user.lang).name
            with self.subTest(role=role):
                self.browser_js(
                    "/odoo",
                    code % json.dumps(title),
                    login=role,
                    timeout=TOUR_TIMEOUT,
                )
