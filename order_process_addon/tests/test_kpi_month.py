# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The achievement rate's monthly totals (R29, issue 11): the dashboard's
landing (the rates by month over whole months) reads one row per company and
month (``order.kpi.month``), kept in step with the facts by every write of
them; every other question reads the facts. Both must give the same answer
in every case."""

from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .test_kpi import ON_TIME, ONE_DAY_LATE, KpiCase

AGGREGATES = [
    "__count",
    "rate_final:sum",
    "rate_strict:avg",
    "rate_final_first:sum",
    "rate_final_current:sum",
    "line_fill_rate:sum",
    "qty_fill_rate:sum",
    "due:sum",
    "ok_final:sum",
    "target_rate:max",
]


@tagged("post_install", "-at_install")
class TestKpiMonth(KpiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other Process Company"}
        )

    def setUp(self):
        super().setUp()
        # Two signed orders due in October 2026, one achieved and one late;
        # copies of their facts spread over three months and two companies.
        achieved, late = self._signed(), self._signed()
        self._ship(achieved, ON_TIME)
        self._ship(late, ONE_DAY_LATE)
        self.ok_fact, self.late_fact = self._fact(achieved), self._fact(late)
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.customer.id, "company_id": self.company.id}
                for _i in range(6)
            ]
        )
        days = ["2026-09-01", "2026-09-30", "2026-11-15", "2026-11-30"]
        self.copies = self.env["order.kpi.fact"]
        for index, (order, day) in enumerate(zip(orders, days, strict=False)):
            source = self.ok_fact if index % 2 else self.late_fact
            self.copies |= source.copy({"order_id": order.id, "due_date": day})
        self.copies |= self.ok_fact.copy(
            {
                "order_id": orders[4].id,
                "due_date": "2026-10-10",
                "company_id": self.other_company.id,
            }
        )
        self.manager = self.users["pmc_manager"]
        self.manager.company_ids |= self.other_company
        self.facts = (
            self.env["order.kpi.fact"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
        )

    def _both(self, domain, groupby, aggregates=AGGREGATES, facts=None):
        facts = self.facts if facts is None else facts
        monthly = facts._read_group(domain, groupby, aggregates)
        direct = facts.with_context(op_kpi_from_facts=True)._read_group(
            domain, groupby, aggregates
        )
        self.assertEqual(len(monthly), len(direct), domain)
        for left, right in zip(monthly, direct, strict=True):
            for lvalue, rvalue in zip(left, right, strict=True):
                if isinstance(lvalue, float) or isinstance(rvalue, float):
                    self.assertAlmostEqual(lvalue, rvalue, msg=domain)
                else:
                    self.assertEqual(lvalue, rvalue, domain)
        return monthly

    def test_r29_monthly_totals_answer_as_the_facts_do(self):
        cases = [
            [],
            [("company_id", "=", self.company.id)],
            [("due_date", ">=", "2026-10-01")],
            [("due_date", ">=", "2026-09-01"), ("due_date", "<", "2026-11-01")],
            [("due_date", ">", "2026-09-30"), ("due_date", "<=", "2026-10-31")],
            ["|", ("due_date", "<", "2026-10-01"), ("due_date", ">=", "2026-11-01")],
            # Not whole months, or not the company and the due date: the
            # facts answer, the same way.
            [("due_date", ">=", "2026-10-15")],
            [("due", "=", 1)],
            [("partner_id", "=", self.customer.id)],
        ]
        for domain in cases:
            for groupby in ([], ["due_date:month"]):
                self._both(domain, groupby)
        rows = self._both([("company_id", "=", self.company.id)], ["due_date:month"])
        october = [row for row in rows if row[0].month == 10]
        [(_month, count, rate, *_rest)] = october
        self.assertEqual(count, 2)
        self.assertAlmostEqual(rate, 50.0)
        # The user's companies (the record rule) are the months' too.
        only_one = self.facts.with_context(allowed_company_ids=[self.company.id])
        [(count,)] = self._both([], [], ["__count"], facts=only_one)
        self.assertEqual(count, 6)
        [(count,)] = self._both([], [], ["__count"])
        self.assertEqual(count, 7)
        # An empty period: no group, or a total of nothing.
        self.assertEqual(
            self._both([("due_date", ">=", "2030-01-01")], ["due_date:month"]), []
        )
        [(count, rate, *_rest)] = self._both([("due_date", ">=", "2030-01-01")], [])
        self.assertEqual(count, 0)
        self.assertFalse(rate)

    def test_r29_the_landing_reads_the_monthly_totals(self):
        """A fact changed behind the ORM's back (SQL) shows that the landing
        reads the totals, and that any other question reads the facts."""
        landing = [("due_date", ">=", "2026-10-01"), ("due_date", "<", "2026-11-01")]
        mid_month = [("due_date", ">=", "2026-10-02"), ("due_date", "<", "2026-11-01")]
        before = self.facts._read_group(landing, ["due_date:month"], ["due:sum"])
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE order_kpi_fact SET due = due + 10 WHERE id = %s",
            [self.late_fact.id],
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.facts._read_group(landing, ["due_date:month"], ["due:sum"]), before
        )
        [(_month, due)] = self.facts._read_group(
            mid_month, ["due_date:month"], ["due:sum"]
        )
        self.assertEqual(due, before[0][1] + 10)
        # The web client's calls, as the graph and the pivot make them.
        [group] = self.facts.read_group(
            landing, ["rate_final:sum", "due:sum"], ["due_date:month"], lazy=False
        )
        self.assertEqual(group["due"], before[0][1])
        self.assertEqual(group["__count"], 3)

    def test_r29_every_write_of_a_fact_keeps_its_months_in_step(self):
        months = self.env["order.kpi.month"].sudo()

        def stored():
            months._op_flush_pending()
            return {
                (company.id, str(month)): (count, due)
                for company, month, count, due in months._read_group(
                    [],
                    ["company_id", "month:day"],
                    ["fact_count:sum", "due:sum"],
                )
                if count
            }

        def rebuilt():
            months._op_rebuild()
            return stored()

        kept = stored()
        self.assertEqual(kept, rebuilt())
        self.assertEqual(kept[(self.company.id, "2026-09-01")], (2, 2))
        # A fact moves from September to December: both months follow; a
        # month left without facts has no orders.
        september = self.copies.filtered(lambda f: f.due_date.month == 9)
        september.write({"due_date": "2026-12-04"})
        kept = stored()
        self.assertNotIn((self.company.id, "2026-09-01"), kept)
        self._both([], ["due_date:month"])
        self.assertEqual(kept[(self.company.id, "2026-12-01")], (2, 2))
        # Scores change (a reschedule makes an order not due any more).
        self.ok_fact.write({"due": 0, "ok_final": 0})
        self.assertEqual(stored()[(self.company.id, "2026-10-01")], (2, 1))
        # The target changes by SQL for all the company's facts: the
        # months follow too.
        self.company.op_kpi_target = 80.0
        [(target,)] = self.facts._read_group(
            [("due_date", ">=", "2026-10-01"), ("company_id", "=", self.company.id)],
            [],
            ["target_rate:max"],
        )
        self.assertEqual(target, 80.0)
        self.assertEqual(stored(), rebuilt())

    def test_r29_each_transaction_adds_rows_the_nightly_job_compacts(self):
        """Each change adds a row per month (never an update of a shared
        row); the nightly job compacts each month back to one row, from its
        facts, with the same totals."""
        months = self.env["order.kpi.month"].sudo()
        months._op_rebuild()
        october = [
            ("company_id", "=", self.company.id),
            ("month", "=", "2026-10-01"),
        ]
        self.assertEqual(months.search_count(october), 1)
        landing = [("due_date", ">=", "2026-10-01"), ("due_date", "<", "2026-11-01")]
        before = self._both(landing, ["due_date:month"])
        self.ok_fact.write({"due": 0, "ok_final": 0})
        months._op_flush_pending()
        self.late_fact.write({"due": 0})
        months._op_flush_pending()
        self.assertEqual(months.search_count(october), 3)
        changed = self._both(landing, ["due_date:month"])
        self.assertNotEqual(changed, before)
        self.env["order.kpi.fact"]._cron_turn_late()
        self.assertEqual(months.search_count(october), 1)
        self.assertEqual(self._both(landing, ["due_date:month"]), changed)

    def test_r29_monthly_totals_are_written_by_the_process_only(self):
        """Every role reads them; nobody writes them (RPC included)."""
        self.env["order.kpi.month"].sudo()._op_flush_pending()
        months = self.env["order.kpi.month"].with_user(self.manager)
        row = months.search([("company_id", "=", self.company.id)], limit=1)
        self.assertTrue(row)
        for call in (
            lambda: row.write({"due": 1000}),
            lambda: months.create(
                {"company_id": self.company.id, "month": "2027-01-01", "due": 5}
            ),
            lambda: row.unlink(),
        ):
            with self.assertRaises(AccessError), self.cr.savepoint():
                call()
        self.assertNotEqual(row.due, 1000)

    def test_r29_last_12_months_end_with_the_current_month(self):
        """The dashboard's *Last 12 Months* (issue 18, item 5): from the
        first day of the month eleven months back to the end of the current
        month, as the web client evaluates it; next month's orders (already
        delivered or not) show no rate yet, and the monthly totals still
        answer (whole months)."""
        arch = self.env.ref("order_process_addon.order_kpi_fact_view_search").arch
        node = etree.fromstring(arch).xpath("//filter[@name='last_12_months']")[0]
        domain = safe_eval(
            node.get("domain"),
            {
                "context_today": lambda: date(2026, 10, 20),
                "relativedelta": relativedelta,
            },
        )
        self.assertEqual(
            domain,
            [("due_date", ">=", "2025-11-01"), ("due_date", "<", "2026-11-01")],
        )
        # The facts due in September and October 2026 are in, November's not.
        rows = self._both(domain, ["due_date:month"])
        self.assertEqual([row[0].month for row in rows], [9, 10])
        self.assertIsNotNone(
            self.facts._op_monthly_query(
                domain, ["due_date:month"], ["__count"], (), None
            ),
            "the monthly totals answer the landing",
        )
        # The action opens on it.
        action = self.env.ref("order_process_addon.order_kpi_fact_action")
        self.assertIn("'search_default_last_12_months': 1", action.context)
