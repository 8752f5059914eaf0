# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R36, issue 11: the fields and records issue 11 added (the orders board's
In Progress flag, the at-risk day of a fact, the monthly totals) attacked as
the role users would: logged in, over JSON-RPC, on create as well as on
write, with whatever context keys a client may send."""

from odoo.tests import HttpCase, tagged

from .common import call_kw, demo_company

# Keys a client may add, hoping one of them opens a door.
CONTEXT = {
    "tracking_disable": True,
    "install_mode": True,
    "active_test": False,
    "op_process_step": True,
    "op_kpi_from_facts": True,
    "sudo": True,
}


@tagged("post_install", "-at_install")
class TestTrustOverRpc(HttpCase):
    def setUp(self):
        super().setUp()
        self.company = demo_company(self)
        self.order = self.env.ref("order_process_addon.sale_order_draft_demo")
        self.partner = self.env.ref("order_process_addon.partner_lianchuang_demo")

    def _rpc(self, login, model, method, *args, **kwargs):
        """The error's class name of the call, or None when it went
        through."""
        response = call_kw(
            self, login, model, method, args, {"context": CONTEXT, **kwargs}
        )
        error = response.json().get("error")
        return error and error["data"]["name"]

    def test_r36_in_progress_flag_refused_on_create_and_write(self):
        orders = self.env["sale.order"].with_context(active_test=False)
        count = orders.search_count([])
        self.assertTrue(self.order.op_in_progress)
        vals = {"partner_id": self.partner.id, "company_id": self.company.id}
        # Given any value but an empty one: refused.
        error = self._rpc(
            "customer_mgmt", "sale.order", "create", [{**vals, "op_in_progress": 1}]
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.assertEqual(orders.search_count([]), count)
        # Created hidden from the board: the process computes it anyway.
        error = self._rpc(
            "customer_mgmt", "sale.order", "create", [{**vals, "op_in_progress": False}]
        )
        self.assertIsNone(error)
        created = orders.search([], order="id desc", limit=1)
        self.assertEqual(orders.search_count([]), count + 1)
        self.assertTrue(created.op_active)
        self.assertTrue(created.op_in_progress)
        error = self._rpc(
            "customer_mgmt",
            "sale.order",
            "write",
            self.order.ids,
            {"op_in_progress": False},
        )
        self.assertEqual(error, "odoo.exceptions.AccessError")
        self.order.invalidate_recordset()
        self.assertTrue(self.order.op_in_progress)

    def test_r36_kpi_fact_and_monthly_totals_written_by_the_process_only(self):
        fact = (
            self.env["order.kpi.fact"]
            .sudo()
            .create(
                {
                    "order_id": self.order.id,
                    "company_id": self.company.id,
                    "due_date": "2030-03-10",
                    "due": 1,
                }
            )
        )
        months = self.env["order.kpi.month"].sudo()
        months._op_flush_pending()
        month = months.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(month), 1)
        facts_count = self.env["order.kpi.fact"].sudo().search_count([])
        calls = [
            ("order.kpi.fact", "write", fact.ids, {"risk_checked_on": "2030-01-01"}),
            (
                "order.kpi.fact",
                "create",
                [{"order_id": self.order.id, "company_id": self.company.id}],
            ),
            ("order.kpi.month", "write", month.ids, {"due": 1000}),
            (
                "order.kpi.month",
                "create",
                [{"company_id": self.company.id, "month": "2030-04-01", "due": 5}],
            ),
            ("order.kpi.month", "unlink", month.ids),
        ]
        for model, method, *args in calls:
            error = self._rpc("pmc_manager", model, method, *args)
            self.assertEqual(error, "odoo.exceptions.AccessError", (model, method))
        self.env.invalidate_all()
        self.assertFalse(fact.risk_checked_on)
        self.assertEqual(
            self.env["order.kpi.fact"].sudo().search_count([]), facts_count
        )
        self.assertEqual(months.search([("company_id", "=", self.company.id)]), month)
        self.assertEqual(month.due, 1)
