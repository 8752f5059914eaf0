# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 20, item 4: the first ``make run`` serves its login while the demo
year is made beside it; the web client's top bar tells how far it is (in
the user's language) and says nothing once the year is done."""

import json

from odoo.tests import HttpCase, tagged

from .tour_timing import TOUR_TIMEOUT

PROGRESS = "order_process_addon.demo_history_progress"
ROUTE = "/order_process_addon/demo_history_progress"


@tagged("post_install", "-at_install")
class TestDemoHistoryProgress(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["order_process_addon"], ["zh_CN"], overwrite=True
        )
        cls.planner = cls.env.ref("order_process_addon.user_pmc_planner_demo")

    def _progress(self, login, lang="en_US"):
        self.env["res.users"].search([("login", "=", login)]).lang = lang
        self.authenticate(login, login)
        return self.make_jsonrpc_request(ROUTE)

    def _set(self, **value):
        self.env["ir.config_parameter"].sudo().set_param(PROGRESS, json.dumps(value))

    def test_no_history_being_made_no_notice(self):
        self.env["ir.config_parameter"].sudo().set_param(PROGRESS, False)
        self.assertEqual(self._progress(self.planner.login), {})

    def test_history_being_made_told_in_the_users_language(self):
        self._set(state="running", day="2026-03-14", orders=120, total=320, percent=27)
        result = self._progress(self.planner.login)
        self.assertTrue(result["running"])
        self.assertEqual(result["text"], "Demo history 27%: 120 of 320 orders")
        self.assertIn("2026-03-14", result["title"])
        chinese = self._progress(self.planner.login, lang="zh_CN")
        self.assertTrue(chinese["running"])
        self.assertEqual(chinese["text"], "演示历史 27%：已生成 320 单中的 120 单")
        self.assertIn("2026-03-14", chinese["title"])

    def test_history_stopped_says_what_make_run_does(self):
        self._set(state="stopped", day="2026-03-14", orders=120, total=320, percent=27)
        result = self._progress(self.planner.login)
        self.assertFalse(result["running"], "the client stops asking")
        self.assertEqual(result["text"], "Demo history stopped at 2026-03-14")
        self.assertIn("make run", result["title"])

    def test_portal_user_is_told_nothing(self):
        self._set(state="running", day="2026-03-14", orders=120, total=320, percent=27)
        portal = self.env["res.users"].search([("share", "=", True)], limit=1)
        self.assertTrue(portal, "the demo data has portal users")
        portal.password = "portal-pass-20"
        self.authenticate(portal.login, "portal-pass-20")
        self.assertEqual(self.make_jsonrpc_request(ROUTE), {})

    def test_top_bar_shows_the_progress_in_chinese(self):
        self._set(state="running", day="2026-03-14", orders=120, total=320, percent=27)
        self.planner.lang = "zh_CN"
        self.start_tour(
            "/odoo",
            "order_demo_history_progress_tour",
            login=self.planner.login,
            timeout=TOUR_TIMEOUT,
        )
