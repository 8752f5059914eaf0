# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order achievement rate (R29, R30): stored facts per signed order,
kept current by the signature, committed-date changes, shipments and
cancellations, and by the nightly job for orders open past their due date;
rates aggregated as orders achieved / orders due in any grouping.

Dates (Asia/Shanghai, Monday-Friday): orders are signed on Monday
2026-10-05 with the committed date Friday 2026-10-30 (today + 25 days)."""

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from . import test_payment
from .common import OrderProcessCase

SIGN_DAY = "2026-10-05 02:00:00"  # Monday 10:00 local
DUE = fields.Date.to_date("2026-10-30")  # Friday
ON_TIME = "2026-10-29 02:00:00"  # Thursday
DUE_DAY = "2026-10-30 08:00:00"  # Friday 16:00 local
ONE_DAY_LATE = "2026-11-02 02:00:00"  # Monday: 1 working day late
THREE_DAYS_LATE = "2026-11-04 02:00:00"  # Wednesday: 3 working days late


class KpiCase(OrderProcessCase):
    """Signed orders and their shipments, at fixed dates."""

    _shipping_steps_done = test_payment.TestPayment._shipping_steps_done
    _loaded_as_shipped = test_payment.TestPayment._loaded_as_shipped

    # ------------------------------------------------------------ helpers
    def _signed(self, lines=1, **vals):
        with freeze_time(SIGN_DAY):
            order = self._answered_order(lines=lines, **vals)
            self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.op_first_committed_date, DUE)
        return order

    def _fact(self, order):
        return self.env["order.kpi.fact"].search([("order_id", "=", order.id)])

    def _ship(self, order, when, qty=None, backorder=True):
        """Ship ``qty`` of each line (all that is left by default) at
        ``when`` as the warehouse keeper; the rest stays in a backorder or
        is cancelled."""
        picking = order.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
        )
        self.assertEqual(len(picking), 1)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if qty is None else qty
        picking.move_ids.picked = True
        # The shipping steps (D10, D11, gate: R23-R27) are tested in
        # test_shipping; here only the shipment's date and quantities matter:
        # the steps are recorded as done, with what the delivery ships.
        # Recorded, not walked: these orders are signed, never produced, and
        # D10's issue refuses an order with no signed D8 (R17, R23).
        self._shipping_steps_done(picking)
        self._loaded_as_shipped(picking)
        driver = self._driver()
        with driver.at(when):
            driver.run(
                "ship",
                picking.with_context(
                    skip_backorder=True,
                    picking_ids_not_to_backorder=[] if backorder else picking.ids,
                ),
            )
        self.assertEqual(picking.state, "done")
        return picking


@tagged("post_install", "-at_install")
class TestKpi(KpiCase):
    # ------------------------------------------------------------ R29
    def test_r29_signature_opens_the_fact_with_both_due_dates(self):
        order = self._signed(user_id=self.users["sales"].id)
        fact = self._fact(order)
        self.assertEqual(len(fact), 1)
        self.assertEqual(fact.first_due_date, DUE)
        self.assertEqual(fact.current_due_date, DUE)
        self.assertEqual(fact.due_date, DUE)
        self.assertEqual(fact.status, "open")
        self.assertEqual(fact.due, 0, "not due yet: outside the denominator")
        self.assertEqual(fact.user_id, self.users["sales"])
        self.assertEqual(fact.merchandiser_id, order.op_merchandiser_id)
        self.assertEqual(fact.partner_id, self.customer)
        self.assertEqual(fact.categ_id, self.product.categ_id)
        self.assertEqual(fact.open_check_date, DUE)

    def test_r29_not_signed_has_no_fact(self):
        with freeze_time(SIGN_DAY):
            order = self._answered_order()
        self.assertFalse(self._fact(order))

    def test_r29_full_delivery_on_time_is_achieved_strict_and_final(self):
        order = self._signed()
        self._ship(order, ON_TIME)
        fact = self._fact(order)
        self.assertEqual(fact.status, "achieved")
        self.assertEqual(fact.delivered_full_date, fields.Date.to_date("2026-10-29"))
        self.assertEqual(fact.first_shipment_date, fact.delivered_full_date)
        self.assertEqual(
            (fact.due, fact.ok_final, fact.ok_strict, fact.days_late), (1, 1, 1, 0)
        )
        self.assertFalse(fact.failure_cause)
        self.assertFalse(fact.open_check_date)
        self.assertEqual((fact.lines_total_due, fact.lines_filled_due), (1, 1))

    def test_r29_delivery_on_the_due_day_is_on_time(self):
        order = self._signed()
        self._ship(order, DUE_DAY)
        self.assertEqual(self._fact(order).status, "achieved")

    def test_r29_late_delivery_fails_with_working_days_late(self):
        order = self._signed()
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order)
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.failure_cause, "late")
        # Friday due, Monday delivered: the weekend is no working time.
        self.assertEqual(fact.days_late, 1)
        self.assertEqual((fact.due, fact.ok_final, fact.ok_strict), (1, 0, 0))

    def test_r29_working_day_tolerance(self):
        self.company.op_kpi_day_tolerance = 1
        order = self._signed()
        self._ship(order, ONE_DAY_LATE)
        self.assertEqual(self._fact(order).status, "achieved")
        late = self._signed()
        self._ship(late, THREE_DAYS_LATE)
        fact = self._fact(late)
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.days_late, 3, "counted from the due date")

    def test_r29_partial_delivery_within_quantity_tolerance_is_full(self):
        self.company.op_kpi_qty_tolerance = 10.0
        order = self._signed()
        self._ship(order, ON_TIME, qty=9, backorder=False)
        fact = self._fact(order)
        self.assertEqual(fact.status, "achieved")
        self.assertEqual((fact.ok_final, fact.ok_strict), (1, 1))
        self.assertEqual((fact.qty_ordered_due, fact.qty_filled_due), (10.0, 9.0))
        self.assertEqual(fact.qty_fill_rate, 90.0)

    def test_r29_partial_delivery_over_tolerance_stays_open_then_fails(self):
        self.company.op_kpi_qty_tolerance = 5.0
        order = self._signed()
        self._ship(order, ON_TIME, qty=9)
        fact = self._fact(order)
        self.assertEqual(fact.status, "open", "9 of 10 is not in full at 5 %")
        self.assertFalse(fact.delivered_full_date)
        self.assertEqual(fact.first_shipment_date, fields.Date.to_date("2026-10-29"))
        # The rest ships late: final fails, strict too.
        self._ship(order, ONE_DAY_LATE)
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.shipment_count, 2)
        self.assertEqual((fact.ok_final, fact.ok_strict, fact.days_late), (0, 0, 1))

    def test_r29_split_shipment_on_time_is_final_but_not_strict(self):
        order = self._signed(lines=2)
        picking = order.picking_ids
        first, second = picking.move_ids
        first.quantity = first.product_uom_qty
        first.picked = True
        self._shipping_steps_done(picking)
        self._loaded_as_shipped(picking)
        with freeze_time("2026-10-20 02:00:00"):
            picking.with_user(self.users["fg_warehouse"]).with_context(
                skip_backorder=True
            ).button_validate()
        fact = self._fact(order)
        self.assertEqual(fact.status, "open")
        self._ship(order, ON_TIME)
        self.assertEqual(fact.status, "achieved")
        self.assertEqual((fact.ok_final, fact.ok_strict), (1, 0))
        self.assertFalse(fact.first_shipment_full)
        self.assertEqual(fact.first_shipment_date, fields.Date.to_date("2026-10-20"))
        self.assertEqual(fact.delivered_full_date, fields.Date.to_date("2026-10-29"))

    def test_r29_open_past_due_fails_as_of_today_by_the_nightly_job(self):
        order = self._signed()
        other = self._signed()
        self._ship(other, ON_TIME)
        fact = self._fact(order)
        cron = self.env["order.kpi.fact"]
        with freeze_time("2026-10-30 10:00:00"):  # Friday evening: still due
            cron._cron_turn_late()
        self.assertEqual(fact.status, "open")
        with freeze_time(THREE_DAYS_LATE):
            cron._cron_turn_late()
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.failure_cause, "open")
        self.assertEqual(fact.days_late, 3)
        self.assertEqual((fact.due, fact.ok_final), (1, 0))
        self.assertEqual(fact.checked_on, fields.Date.to_date("2026-11-04"))
        # Run again the same day: nothing left to read.
        with freeze_time(THREE_DAYS_LATE), self.assertQueryCount(3):
            cron._cron_turn_late()
        # Delivered at last: the shipment scores it late.
        self._ship(order, "2026-11-05 02:00:00")
        self.assertEqual(fact.failure_cause, "late")
        self.assertEqual(fact.days_late, 4)
        self.assertFalse(fact.open_check_date)

    def test_r29_cancellation_by_customer_is_outside_by_company_failed(self):
        by_customer = self._signed()
        by_customer.with_user(self.users["customer_mgmt"]).action_op_cancel(
            "The customer withdrew the order", "customer"
        )
        fact = self._fact(by_customer)
        self.assertEqual(
            (fact.status, fact.cancel_kind, fact.due), ("outside", "customer", 0)
        )
        by_company = self._signed()
        by_company.with_user(self.users["pmc_manager"]).action_op_cancel(
            "No capacity this month", "production"
        )
        fact = self._fact(by_company)
        self.assertEqual((fact.status, fact.cancel_kind), ("failed", "company"))
        self.assertEqual(
            (fact.due, fact.ok_final, fact.failure_cause), (1, 0, "cancelled")
        )
        self.assertEqual(fact.responsible_department, "production")
        self.assertEqual(fact.responsibility_source, "cancellation")
        # Cancelled before signature: no fact, outside the rate.
        with freeze_time(SIGN_DAY):
            unsigned = self._answered_order()
        unsigned.with_user(self.users["customer_mgmt"]).action_cancel()
        self.assertFalse(self._fact(unsigned))

    def test_r29_reschedule_first_versus_current_due_date(self):
        order = self._signed()
        later = fields.Date.to_date("2026-11-06")
        with freeze_time("2026-10-20 02:00:00"):
            order.with_user(self.users["pmc_planner"])._op_change_committed_date(
                later, "Customer moved the line trial", "customer"
            )
        fact = self._fact(order)
        self.assertEqual((fact.first_due_date, fact.current_due_date), (DUE, later))
        self.assertEqual(fact.due_date, DUE, "first date basis by default")
        self.assertEqual(fact.reschedule_count, 1)
        self._ship(order, THREE_DAYS_LATE)
        # Late on the first date, on time on the current one: both kept.
        self.assertEqual((fact.due_first, fact.ok_final_first), (1, 0))
        self.assertEqual((fact.due_current, fact.ok_final_current), (1, 1))
        self.assertEqual(fact.status, "failed")
        self.assertEqual(fact.responsible_department, "customer")
        self.assertEqual(fact.responsibility_source, "reschedule")
        # The company counts on the current date: the facts are rescored.
        self.company.op_kpi_due_basis = "current"
        self.assertTrue(fact.stale)
        self.env["order.kpi.fact"]._cron_turn_late()
        self.assertEqual(fact.status, "achieved")
        self.assertEqual(fact.due_date, later)
        self.assertFalse(fact.stale)

    def test_r29_rates_are_orders_achieved_over_orders_due_in_any_group(self):
        """Three orders of one customer in October: two achieved, one late;
        one order of another customer, achieved; a fifth cancelled by the
        customer is outside. October: 3/4 = 75 %. The average of the
        customers' rates (83.3 %) would be wrong."""
        other = self.env["res.partner"].create({"name": "Other Customer"})
        orders = [self._signed() for _i in range(3)]
        self._ship(orders[0], ON_TIME)
        self._ship(orders[1], ON_TIME)
        self._ship(orders[2], ONE_DAY_LATE)
        fourth = self._signed(partner_id=other.id)
        self._ship(fourth, ON_TIME)
        fifth = self._signed()
        fifth.with_user(self.users["customer_mgmt"]).action_op_cancel(
            "Withdrawn", "customer"
        )
        facts = self.env["order.kpi.fact"].with_user(self.users["pmc_manager"])
        domain = [("company_id", "=", self.company.id)]
        [(month, rate, strict, due, ok)] = facts._read_group(
            domain,
            ["due_date:month"],
            ["rate_final:sum", "rate_strict:avg", "due:sum", "ok_final:sum"],
        )
        self.assertEqual((due, ok), (4, 3))
        self.assertAlmostEqual(rate, 75.0)
        self.assertAlmostEqual(strict, 75.0)
        by_customer = dict(
            facts._read_group(domain, ["partner_id"], ["rate_final:sum"])
        )
        self.assertAlmostEqual(by_customer[self.customer], 200 / 3)
        self.assertAlmostEqual(by_customer[other], 100.0)
        # The web client's call: read_group of the pivot and the graph.
        [group] = facts.read_group(
            domain, ["rate_final:sum", "line_fill_rate:sum"], ["due_date:month"]
        )
        self.assertAlmostEqual(group["rate_final"], 75.0)
        self.assertAlmostEqual(group["line_fill_rate"], 100.0)

    def test_r29_shipment_updates_its_order_only_in_constant_queries(self):
        """The fact update of a shipment reads that order, not the others:
        the same number of queries with 2 or 7 signed orders."""
        first = self._signed()
        second = self._signed()
        self._ship(first, ON_TIME, qty=4)
        self._ship(second, ON_TIME, qty=4)
        Fact = self.env["order.kpi.fact"]

        def cost(order):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Fact._op_refresh(order)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        few = cost(first)
        for _i in range(5):
            self._ship(self._signed(), ON_TIME, qty=4)
        many = cost(second)
        self.assertEqual(few, many)
        # And a shipment's own update stays small.
        self.assertLessEqual(many, 30)  # measured 26 (cold caches)

    # ------------------------------------------------------------ R30
    def test_r30_pmc_manager_charges_a_failed_order_with_a_reason(self):
        order = self._signed()
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order)
        self.assertEqual(fact.status, "failed")
        self.assertFalse(fact.responsible_department, "no stage overran, no change")
        for user, reason, error in (
            (self.users["pmc_planner"], "Die broke", AccessError),
            (self.users["pmc_manager"], "  ", UserError),
        ):
            with self.assertRaises(error):
                fact.with_user(user).action_set_responsibility(reason, "production")
            self.assertFalse(fact.responsible_department)
        fact.with_user(self.users["pmc_manager"]).action_set_responsibility(
            "The die broke on the last run", "production"
        )
        self.assertEqual(fact.responsible_department, "production")
        self.assertEqual(fact.responsibility_source, "manager")
        self.assertEqual(fact.responsibility_corrected_by_id, self.users["pmc_manager"])
        # Later updates keep the manager's correction.
        self.env["order.kpi.fact"]._op_refresh(order)
        self.assertEqual(fact.responsible_department, "production")
        # Nobody writes the fact directly.
        with self.assertRaises(AccessError):
            fact.with_user(self.users["pmc_manager"]).write({"status": "achieved"})

    def test_r30_correction_through_the_reason_dialog(self):
        order = self._signed()
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order).with_user(self.users["pmc_manager"])
        action = fact.action_open_responsibility_wizard()
        wizard = (
            self.env["order.reason.wizard"]
            .with_user(self.users["pmc_manager"])
            .with_context(**action["context"])
            .create({"reason": "Late material", "department": "purchasing"})
        )
        self.assertTrue(wizard.needs_department)
        wizard.action_confirm()
        self.assertEqual(fact.responsible_department, "purchasing")
        self.assertEqual(fact.responsibility_reason, "Late material")

    def test_r30_review_over_its_deadline_is_charged_to_its_department(self):
        order = self._signed()
        review = order.op_review_ids[:1]
        review.sudo().write(
            {"date_decision": fields.Datetime.add(review.deadline, hours=1)}
        )
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order)
        self.assertEqual(fact.responsibility_stage, "review")
        self.assertEqual(fact.responsibility_source, "stage")
        self.assertTrue(fact.responsible_department)

    # ------------------------------------------------------------ settings
    def test_r29_settings_refuse_out_of_range_values(self):
        for vals in (
            {"op_kpi_target": 120.0},
            {"op_kpi_target": -1.0},
            {"op_kpi_qty_tolerance": -5.0},
            {"op_kpi_day_tolerance": -1},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)
        self.assertEqual(self.company.op_kpi_target, 95.0)
        self.assertEqual(self.company.op_kpi_day_tolerance, 0)

    def test_r29_dashboard_opens_for_the_pmc_manager(self):
        self._signed()
        action = self.env.ref("order_process_addon.order_kpi_fact_action")
        self.assertIn("orders due", action.help)
        facts = self.env["order.kpi.fact"].with_user(self.users["pmc_manager"])
        for view in ("graph", "pivot", "list", "form", "search"):
            facts.get_views([(False, view)])
        facts.with_user(self.users["audit"]).search([]).read(["status"])
        self.assertTrue(self.env.ref("order_process_addon.order_kpi_fact_menu"))
        # From the order to its fact.
        order = self.env["order.kpi.fact"].search([], limit=1).order_id
        manager = self.users["pmc_manager"]
        action = order.with_user(manager).action_op_view_kpi()
        self.assertEqual(action["res_id"], self._fact(order).id)
        order.with_user(manager).get_views([(False, "form")])

    def test_r29_dashboard_aggregation_queries_do_not_grow_with_orders(self):
        """The pivot's call (12 months x departments, strict and final) sends
        the same queries for 1 order as for 100: one SQL aggregation."""
        order = self._signed()
        self._ship(order, ONE_DAY_LATE)
        fact = self._fact(order)
        facts = self.env["order.kpi.fact"].with_user(self.users["pmc_manager"])
        domain = [
            ("company_id", "=", self.company.id),
            ("due_date", ">=", "2025-11-01"),
            ("due_date", "<", "2026-11-01"),
        ]
        groupby = ["due_date:month", "responsible_department"]
        aggregates = ["rate_strict:sum", "rate_final:sum", "due:sum", "__count"]

        def dashboard():
            self.env.invalidate_all()
            return facts.read_group(domain, aggregates, groupby, lazy=False)

        dashboard()  # warm the caches (views, access rules)
        with self.assertQueryCount(4):  # the aggregation and the rules
            one = dashboard()
        self.assertEqual(sum(g["__count"] for g in one), 1)
        # 99 more orders, their facts as the flows write them (copies of the
        # signed order's fact on orders of their own: derived data).
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.customer.id, "company_id": self.company.id}
                for _i in range(99)
            ]
        )
        for other in orders:
            fact.copy({"order_id": other.id})
        self.env.flush_all()
        dashboard()
        with self.assertQueryCount(4):  # the aggregation and the rules
            hundred = dashboard()
        self.assertEqual(sum(g["__count"] for g in hundred), 100)
        [group] = hundred
        self.assertEqual(group["due"], 100)
        self.assertAlmostEqual(group["rate_final"], 0.0)

    def test_r29_orders_outside_the_process_get_no_fact(self):
        order = self._create_order(company=self.env.ref("base.main_company"))
        self.assertFalse(order.op_active)
        order.action_confirm()
        self.assertFalse(self._fact(order))

    def test_r29_target_change_updates_the_facts_without_rescoring(self):
        order = self._signed()
        fact = self._fact(order)
        self.assertEqual(fact.target_rate, 95.0)
        self.company.op_kpi_target = 90.0
        self.assertEqual(fact.target_rate, 90.0)
        self.assertFalse(fact.stale)
        # Groups without any order due have no rate (not 0 %).
        [(rate, target)] = self.env["order.kpi.fact"]._read_group(
            [("id", "=", fact.id)], [], ["rate_final:sum", "target_rate:max"]
        )
        self.assertIs(rate, False, "no rate, not 0 %")
        self.assertEqual(target, 90.0)

    # ------------------------------------------------------------ at risk
    def test_r29_open_orders_at_risk_from_the_company_history(self):
        """Two orders took 16 working days from signature to delivery in
        full (Monday 10:00 to Tuesday 10:00 three weeks later). An open
        order due on Friday 2026-10-30 is at risk from Thursday 10-15 (done
        11-06 at that pace), not on Tuesday 10-06 (done 10-28)."""
        for _i in range(2):
            self._ship(self._signed(), "2026-10-27 02:00:00")
        order = self._signed()
        fact = self._fact(order)
        Fact = self.env["order.kpi.fact"]
        with freeze_time("2026-10-06 02:00:00"):
            Fact._cron_flag_at_risk()
        self.assertFalse(fact.at_risk)
        self.assertEqual(fact.projected_date, fields.Date.to_date("2026-10-28"))
        with freeze_time("2026-10-15 02:00:00"):
            Fact._cron_flag_at_risk()
        self.assertTrue(fact.at_risk)
        self.assertEqual(fact.projected_date, fields.Date.to_date("2026-11-06"))
        self.assertEqual(
            (fact.risk_stage, fact.risk_department), ("shipping", "warehouse")
        )
        # Delivered on time after all: no longer at risk.
        self._ship(order, ON_TIME)
        self.assertEqual(fact.status, "achieved")
        self.assertFalse(fact.at_risk)

    def test_r29_at_risk_job_works_in_batches_each_order_once_a_day(self):
        """Issue 11, item 2: a backlog larger than one batch is projected
        over several calls, each open order once a day."""
        for _i in range(2):
            self._ship(self._signed(), "2026-10-27 02:00:00")
        facts = self.env["order.kpi.fact"]
        for _i in range(3):
            facts |= self._fact(self._signed())
        Fact = self.env["order.kpi.fact"]
        with freeze_time("2026-10-15 02:00:00"):
            Fact._cron_flag_at_risk(batch_size=2)
            self.assertEqual(facts.mapped("at_risk"), [True, True, False])
            Fact._cron_flag_at_risk(batch_size=2)
            self.assertEqual(facts.mapped("at_risk"), [True, True, True])
            day = fields.Date.to_date("2026-10-15")
            self.assertEqual(facts.mapped("risk_checked_on"), [day] * 3)
            # Done for the day: a third call projects nothing again.
            facts.write({"at_risk": False})
            Fact._cron_flag_at_risk(batch_size=2)
            self.assertEqual(facts.mapped("at_risk"), [False] * 3)
        with freeze_time("2026-10-16 02:00:00"):
            Fact._cron_flag_at_risk()
            self.assertEqual(facts.mapped("at_risk"), [True] * 3)

    def test_r29_no_history_no_risk_flag(self):
        order = self._signed()
        with freeze_time("2026-10-29 02:00:00"):
            self.env["order.kpi.fact"]._cron_flag_at_risk()
        fact = self._fact(order)
        self.assertFalse(fact.at_risk)
        self.assertFalse(fact.projected_date)

    def test_r29_nightly_job_works_in_batches(self):
        facts = self._fact(self._signed()) | self._fact(self._signed())
        self.company.op_kpi_day_tolerance = 2
        self.assertEqual(facts.mapped("stale"), [True, True])
        Fact = self.env["order.kpi.fact"]
        Fact._cron_turn_late(batch=1)
        self.assertEqual(sorted(facts.mapped("stale")), [False, True])
        Fact._cron_turn_late(batch=1)
        self.assertEqual(facts.mapped("stale"), [False, False])
        # Rescored with the new tolerance: 2 working days after Friday 10-30.
        self.assertEqual(
            facts.mapped("open_check_date"), [fields.Date.to_date("2026-11-03")] * 2
        )

    def test_r29_nightly_job_adds_the_facts_of_orders_signed_before(self):
        order = self._signed()
        # As if signed before this version (facts are never deleted).
        self.env.cr.execute(
            "DELETE FROM order_kpi_fact WHERE order_id = %s", [order.id]
        )
        self.env.invalidate_all()
        with freeze_time("2026-10-06 02:00:00"):
            self.env["order.kpi.fact"]._cron_turn_late()
        fact = self._fact(order)
        self.assertEqual((fact.status, fact.first_due_date), ("open", DUE))
        # Quotations and unsigned orders get none.
        with freeze_time(SIGN_DAY):
            unsigned = self._answered_order()
        self.env["order.kpi.fact"]._cron_turn_late()
        self.assertFalse(self._fact(unsigned))
