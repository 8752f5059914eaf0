# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.vocabulary import ROLES
from .common import demo_company
from .tour_timing import TOUR_TIMEOUT


@tagged("post_install", "-at_install")
class TestFoundationTour(HttpCase):
    def test_order_desk_meets_the_process_at_once(self):
        """A newcomer logging in as a demo role user meets the process."""
        if not self.env.ref("order_process_addon.user_customer_mgmt_demo", False):
            self.skipTest("demo data not loaded")  # make test fails on skips
        self.start_tour(
            "/odoo",
            "order_process_foundation_tour",
            login="customer_mgmt",
            timeout=TOUR_TIMEOUT,
        )
        order = self.env["sale.order"].search(
            [("create_uid.login", "=", "customer_mgmt")], order="id desc", limit=1
        )
        self.assertTrue(order.op_active)
        self.assertEqual(
            order.partner_id, self.env.ref("order_process_addon.partner_huaxing_demo")
        )


@tagged("post_install", "-at_install")
class TestReviewTour(HttpCase):
    def test_order_from_registration_to_portal_signature(self):
        """R3-R8 in the browser: registration, every department's review,
        PMC's answer, then the customer's portal signature makes the order
        effective."""
        company = self.env.ref("order_process_addon.company_demo", False)
        if not company:
            self.skipTest("demo data not loaded")  # make test fails on skips
        groups = ",".join(f"order_process_addon.group_{role}" for role in ROLES)
        new_test_user(
            self.env,
            login="op_all_roles",
            groups=f"base.group_user,{groups}",
            company_id=company.id,
            company_ids=[(6, 0, company.ids)],
        )
        order = self.env.ref("order_process_addon.sale_order_draft_demo")
        self.assertEqual(order.op_state, "draft")
        action = self.env.ref("order_process_addon.sale_order_action")
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "order_process_review_tour",
            login="op_all_roles",
            timeout=TOUR_TIMEOUT,
        )
        order.invalidate_recordset()
        self.assertEqual(order.op_state, "review")
        self.assertEqual(order.op_registered_by_id.login, "op_all_roles")
        finance = order.op_review_ids.filtered(
            lambda r: r.group_id == self.env.ref("order_process_addon.group_finance")
        )
        self.assertEqual(finance.state, "pending")
        finance.with_user(
            self.env.ref("order_process_addon.user_finance_demo")
        ).action_approve()
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "order_process_answer_tour",
            login="op_all_roles",
            timeout=TOUR_TIMEOUT,
        )
        order.invalidate_recordset()
        self.assertEqual(order.op_state, "answered")
        self.assertEqual(
            set(order.op_review_ids.mapped("state")), {"approved"}, "every review"
        )
        self.assertEqual(str(order.op_committed_date), "2030-12-31")
        # The customer's demo portal user finds it among its quotations and
        # signs it, seeing PMC's committed date (issue 18, item 4).
        self.start_tour(
            "/my/quotes",
            "order_process_portal_quotes_sign_tour",
            login="huaxing",
            timeout=TOUR_TIMEOUT,
        )
        order.invalidate_recordset()
        self.assertEqual(order.signed_by, "陈小姐")
        self.assertEqual(order.op_signature_source, "portal")
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.state, "sale")


class MyReviewsTourCase(HttpCase):
    """Issue 18, item 3: the Technical Center decides from My Reviews,
    seeing the special requirements, as the demo user (in Chinese)."""

    REQUIREMENTS = "卷料内径 76 mm，离型纸朝外"

    def _decide_from_my_reviews(self, tour):
        company = demo_company(self)
        ref = self.env.ref
        desk = ref("order_process_addon.user_customer_mgmt_demo")
        order = (
            self.env["sale.order"]
            .with_user(desk)
            .with_company(company)
            .create(
                {
                    "partner_id": ref("order_process_addon.partner_huaxing_demo").id,
                    "team_id": ref("order_process_addon.crm_team_demo").id,
                    "user_id": ref("order_process_addon.user_sales_demo").id,
                    "op_channel": "email",
                    "op_requested_date": date.today() + timedelta(days=20),
                    "op_special_requirements": self.REQUIREMENTS,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": ref(
                                    "order_process_addon.product_foam_gasket_demo"
                                ).id,
                                "product_uom_qty": 20000,
                            }
                        )
                    ],
                }
            )
        )
        order.action_op_register()
        technical = ref("order_process_addon.user_technical_demo")
        review = order.op_review_ids.filtered(
            lambda r: r.group_id == ref("order_process_addon.group_technical")
        )
        self.assertEqual(review.state, "pending")
        self.start_tour(
            "/odoo/action-order_process_addon.order_review_action_my",
            tour,
            login="technical",
            timeout=TOUR_TIMEOUT,
        )
        review.invalidate_recordset()
        self.assertEqual(review.state, "conditional")
        self.assertEqual(review.reviewer_id, technical)
        self.assertEqual(review.reason, "首批送样，确认卷料内径后再批量生产")
        self.assertFalse(review.comments)


@tagged("post_install", "-at_install")
class TestMyReviewsTour(MyReviewsTourCase):
    def test_r05_technical_center_decides_from_my_reviews(self):
        self._decide_from_my_reviews("order_process_my_reviews_tour")


@tagged("post_install", "-at_install")
class TestMyReviewsPhoneTour(MyReviewsTourCase):
    """The same on a 390 px phone: My Reviews opens as cards, the dialog
    full screen."""

    browser_size = "390x844"
    touch_enabled = True

    def test_r05_technical_center_decides_from_my_reviews_on_a_phone(self):
        self._decide_from_my_reviews("order_process_my_reviews_phone_tour")
