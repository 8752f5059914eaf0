# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_production_quality import QualityCase

DAY = date(2026, 10, 12)


@tagged("post_install", "-at_install")
class TestInboundStatistics(QualityCase):
    """D9: daily inbound statistics built from signed receipts (R18)."""

    def _build(self):
        return self.env["order.inbound.statistics"]._op_build(self.company, DAY)

    def test_r18_built_from_the_days_signed_receipts(self):
        first = self._signed_receipt()
        second = self._signed_receipt(counted=4, reason="One strip torn")
        stats = self._build()
        self.assertEqual(len(stats.line_ids), 2)
        self.assertEqual(sum(stats.line_ids.mapped("qty_counted")), 9)
        self.assertEqual(sum(stats.line_ids.mapped("qty_delivered")), 10)
        self.assertEqual(
            stats.line_ids.filtered("mismatch").sale_order_id, second.sale_order_id
        )
        self.assertEqual(
            stats.sale_order_ids, first.sale_order_id | second.sale_order_id
        )

    def test_r18_planner_passes_manager_signs_copy_to_customer_management(self):
        self._signed_receipt()
        stats = self._build()
        with self.assertRaises(AccessError):
            stats.with_user(self.users["fg_warehouse"]).action_submit()
        with self.assertRaisesRegex(UserError, "submits the statistics first"):
            stats.with_user(self.users["pmc_manager"]).action_sign()
        stats.with_user(self.users["pmc_planner"]).action_submit()
        stats.with_user(self.users["pmc_manager"]).action_sign()
        self.assertEqual(stats.state, "signed")
        self.assertIn(self.users["customer_mgmt"].partner_id, stats.message_partner_ids)
        with self.assertRaisesRegex(UserError, "already signed"):
            stats.with_user(self.users["pmc_manager"]).action_sign()
        with self.assertRaises(UserError):
            stats.with_user(self.users["pmc_manager"]).write({"date": date(2026, 1, 1)})
        with self.assertRaises(UserError):
            self._build()
        self.assertEqual(stats.date, DAY)

    def test_r18_build_cost_does_not_grow_with_receipts(self):
        def cost():
            self._build()  # warm: same record, same number of lines
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._build()
            self.env.flush_all()
            return self.cr.sql_log_count - before

        self._signed_receipt()
        one = cost()
        for _i in range(3):
            self._signed_receipt()
        # One aggregation query and one batched insert, whatever the number of
        # receipts and lines.
        four = cost()
        self.assertEqual(four, one)
        self.assertLessEqual(one, 15)  # 13 measured
