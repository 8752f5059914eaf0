# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo history (issue 10, item 8): orders run through the real flows
at simulated dates, the achievement facts (R29) and their responsible
departments (R30) come out of the flows, and the same seed gives the same
history."""

from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, tagged

from odoo.addons.order_process_addon.models.vocabulary import DEPARTMENT_ROLES

from . import demo_history
from .common import demo_company

# One order of each kind, cycled (12 orders): on time, late for several
# departments' reasons, rescheduled, cancelled before and after signing.
PROFILES = [
    "normal",
    "late_production",
    "slow_review",
    "late_quality",
    "cancel_customer",
    "cancel_before_sign",
    "late_shipping",
    "normal",
    "reschedule_customer",
    "late_receipt",
    "late_plan",
    "cancel_company",
]


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    def setUp(self):
        super().setUp()
        self.company = demo_company(self)
        self.Fact = self.env["order.kpi.fact"]

    def _seed(self, **options):
        return demo_history.seed(
            self.env,
            self.company,
            orders=12,
            months=4,
            seed=7,
            quiet_days=45,
            profiles=PROFILES,
            strict=True,
            **options,
        )

    def _facts(self, before):
        return self.Fact.search(
            [("company_id", "=", self.company.id), ("id", "not in", before.ids)]
        )

    def test_r29_r30_history_through_the_real_flows(self):
        before = self.Fact.search([("company_id", "=", self.company.id)])
        self.env.cr.execute("SAVEPOINT demo_history")
        first = self._seed()
        facts = self._facts(before)
        # Signed orders only: the one withdrawn before signing has no fact.
        self.assertEqual(len(facts), 11)
        self.assertEqual(first["errors"], {})
        today = fields.Date.context_today(self.Fact)
        # The process's own dates are historical, spread over the months.
        self.assertTrue(all(f.signed_on < today for f in facts))
        self.assertGreaterEqual(len({f.signed_on.month for f in facts}), 2)
        self.assertGreaterEqual(len(first["months_due"]), 2)
        delivered = facts.filtered("delivered_full_date")
        self.assertTrue(delivered)
        self.assertTrue(all(f.delivered_full_date < today for f in delivered))
        self.assertTrue(
            all(f.delivered_full_date >= today - timedelta(days=130) for f in delivered)
        )
        statuses = set(facts.mapped("status"))
        self.assertLessEqual({"achieved", "failed", "outside"}, statuses)
        # The customer's cancellation is outside the rate; the company's
        # is a failure charged to the department that asked.
        outside = facts.filtered(lambda f: f.status == "outside")
        self.assertEqual(outside.mapped("cancel_kind"), ["customer"])
        self.assertEqual(outside.due, 0)
        company_cancel = facts.filtered(lambda f: f.cancel_kind == "company")
        self.assertEqual(company_cancel.status, "failed")
        self.assertEqual(company_cancel.responsible_department, "production")
        # Failures charged to several departments, from the stages.
        failed = facts.filtered(lambda f: f.status == "failed")
        departments = set(failed.mapped("responsible_department")) - {False}
        self.assertGreaterEqual(len(departments), 3, departments)
        self.assertIn("stage", failed.mapped("responsibility_source"))
        # The D4 plans, final tests, receipts and deliveries are the flows'.
        order = delivered[:1].order_id
        self.assertEqual(order.op_state, "effective")
        outgoing = order.picking_ids.filtered(lambda p: p.state == "done")
        self.assertTrue(outgoing.op_gate_check_ids)
        self.assertTrue(outgoing.op_loading_check_ids)
        receipt = self.env["order.fg.receipt"].search(
            [("sale_order_id", "=", order.id)]
        )
        self.assertEqual(receipt.state, "signed")
        self.assertLess(receipt.delivered_on.date(), today, "the process's clock")
        self._check_paperwork(first, facts)
        # The same seed gives the same history, and the paperwork (D13s,
        # invoices, payments, drawn apart) changes none of its facts: the
        # KPI facts follow the orders.
        self.env.cr.execute("ROLLBACK TO SAVEPOINT demo_history")
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        second = self._seed(paperwork=False)
        for key in ("facts", "status", "departments", "months_due", "late"):
            self.assertEqual(first[key], second[key], key)
        self.assertEqual(second["invoices"]["posted"], 0)
        self.assertEqual(
            second["late_analyses"]["opened"], first["late_analyses"]["opened"]
        )

    def _check_paperwork(self, stats, facts):
        """R30: each D13 is written by its department (or escalated when it
        is not); R19/R20: each shipped order is invoiced from the order by
        Finance, and the payments are registered by Finance."""
        finance = self.env.ref("order_process_addon.user_finance_demo")
        manager = self.env.ref("order_process_addon.user_pmc_manager_demo")
        analyses = self.env["order.late.analysis"].search(
            [("fact_id", "in", facts.ids)]
        )
        late = facts.filtered(
            lambda f: f.status == "failed" and f.failure_cause in ("open", "late")
        )
        self.assertEqual(analyses.fact_id, late, "one D13 per late order")
        written = analyses.filtered(lambda a: a.state != "draft")
        self.assertTrue(written, "the departments write their D13s")
        for analysis in written:
            roles = DEPARTMENT_ROLES[analysis.department]
            self.assertTrue(
                any(
                    analysis.submitted_by_id.has_group(f"order_process_addon.group_{r}")
                    for r in roles
                ),
                f"{analysis.name} written by its department",
            )
            self.assertTrue(analysis.root_cause and analysis.measures)
            self.assertEqual(analysis.state, "accepted")
            self.assertEqual(analysis.accepted_by_id, manager)
        # Not written: escalated once past its deadline (the nightly job).
        now = fields.Datetime.now()
        for analysis in analyses - written:
            if analysis.escalated:
                self.assertLess(analysis.deadline, now)
            elif analysis.deadline < now - timedelta(days=5):
                self.fail(f"{analysis.name} missing and not escalated")
        counts = stats["late_analyses"]
        self.assertEqual(counts["opened"], len(analyses))
        # This seed's mix: most on time, one late, one missing (escalated).
        self.assertGreater(counts["on_time"], counts["late"], counts)
        self.assertGreaterEqual(counts["late"], 1, counts)
        self.assertGreaterEqual(counts["missing_escalated"], 1, counts)
        self.assertEqual(
            counts["on_time"]
            + counts["late"]
            + counts["missing_escalated"]
            + counts["to_write"],
            len(analyses),
        )
        # Every shipped order is invoiced from the order (its delivered
        # quantities), posted by Finance; Finance's list of what is shipped
        # and not invoiced holds none of them.
        shipped = facts.filtered("delivered_full_date").order_id
        invoices = shipped.invoice_ids.filtered(lambda m: m.state == "posted")
        self.assertEqual(invoices.invoice_line_ids.sale_line_ids.order_id, shipped)
        self.assertEqual(set(invoices.mapped("create_uid")), {finance})
        self.assertFalse(
            shipped.order_line.filtered("op_shipped_not_invoiced"),
            "everything shipped is invoiced",
        )
        for order in shipped:
            self.assertEqual(
                order.order_line.qty_invoiced, order.order_line.qty_delivered
            )
        # Due on the customer's terms (30 days for Huaxing and Lianchuang;
        # which customers this short history ships depends on its seed).
        thirty_days = self.env.ref("order_process_addon.partner_huaxing_demo") | (
            self.env.ref("order_process_addon.partner_lianchuang_demo")
        )
        on_terms = invoices.filtered(lambda m: m.partner_id in thirty_days)
        self.assertTrue(on_terms)
        for invoice in on_terms:
            self.assertEqual((invoice.invoice_date_due - invoice.invoice_date).days, 30)
        # Paid through Odoo's payment register, by Finance: the order's
        # payment status follows accounting.
        paid = invoices.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
        self.assertTrue(paid, "customers pay")
        self.assertEqual(set(paid.matched_payment_ids.mapped("create_uid")), {finance})
        self.assertTrue(
            all(
                o.op_payment_state == "paid"
                for o in paid.invoice_line_ids.sale_line_ids.order_id
            )
        )
        money = stats["invoices"]
        self.assertEqual(money["posted"], len(invoices))
        self.assertEqual(money["paid"], len(paid))
        self.assertEqual(money["shipped_not_invoiced"], 0)

    def test_issue20_checkpoint_after_each_simulated_day(self):
        """``checkpoint(day, started, total)`` after each simulated day's
        work, flushed: once a day, in order, the orders started so far out
        of the orders to start (for make run's progress, issue 20 item 4)."""
        calls = []

        def checkpoint(day, started, total):
            calls.append((day, started, total))

        stats = demo_history.seed(
            self.env,
            self.company,
            orders=2,
            months=1,
            seed=7,
            quiet_days=20,
            profiles=["normal"],
            strict=True,
            paperwork=False,
            checkpoint=checkpoint,
        )
        self.assertEqual(stats["errors"], {})
        days = [day for day, _started, _total in calls]
        self.assertGreater(len(days), 10, "a month of working days")
        self.assertEqual(days, sorted(set(days)), "once a day, in order")
        started = [started for _day, started, _total in calls]
        self.assertEqual(started, sorted(started))
        self.assertEqual(calls[-1][1:], (2, 2))
        self.assertEqual({total for _day, _started, total in calls}, {2})
