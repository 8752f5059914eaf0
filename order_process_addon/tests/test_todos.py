# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every to-do ends with its work (issue 18, item 1; R34).

One table of every kind of to-do the process gives: for each, the situation
in which it is open, whose it is, the step (or cancellation, void) that ends
it, and how it ends: *done* (its work was done: the to-do is marked done,
with a feedback naming the step, in the document's chatter) or *removed*
(its work was cancelled or voided: the to-do goes, as Odoo's own
``activity_unlink`` does for a refused leave; the cancellation is in the
chatter). A second table: the situations in which a kind of to-do is not
given at all, because its step does not apply. Each row runs on its own
records, as the role users, through the real steps, and is rolled back.
"""

from contextlib import closing
from datetime import date, datetime, timedelta

from freezegun import freeze_time
from markupsafe import Markup

from odoo import Command, fields
from odoo.tests import tagged

from ..models.mail_activity import TODO_KINDS
from . import test_kpi, test_late_analysis, test_payment, test_shipment_statistics
from .test_production_plan import AFTER_DEADLINE as D4_LATE
from .test_production_plan import BEFORE_DEADLINE as D4_ON_TIME
from .test_production_quality import DURING_DAY
from .test_shipping import TUESDAY, ShippingCase

DONE, REMOVED = "done", "removed"
# Kinds without a step of their own in the system: their assignee marks
# them done (Odoo's "Mark Done" is the step): Finance's check of the D12
# against invoicing (R28), the General Manager's performance review (R31).
ENDED_BY_THEIR_ASSIGNEE = {"d12_finance", "performance_review"}

# kind (mail_activity_type_<kind>), the situation in which it is open,
# whose to-do ("<record>/<role>[/<review's role>]"), the step that ends it,
# and what its done message says (the step), or None: removed.
ENDS = [
    # Intake and review (R3-R10)
    ("review", "registered", "order/quality/quality", "quality_decides", "decided"),
    ("review", "registered", "order/quality/quality", "quote_cancelled", None),
    ("review", "registered", "order/quality/quality", "finance_rejects", None),
    (
        "escalation",
        "overdue",
        "order/pmc_manager/quality",
        "quality_decides",
        "decided",
    ),
    ("escalation", "overdue", "order/pmc_manager/quality", "quote_cancelled", None),
    ("rush", "rush", "order/pmc_planner", "answer", "Answered"),
    ("rush", "rush", "order/pmc_planner", "finance_rejects", None),
    ("rush", "rush", "order/pmc_planner", "quote_cancelled", None),
    ("returned", "returned", "order/customer_mgmt", "register_again", "again"),
    ("returned", "returned", "order/customer_mgmt", "quote_cancelled", None),
    ("answer", "reviewed", "order/pmc_planner", "answer", "Answered"),
    ("answer", "reviewed", "order/pmc_planner", "quote_cancelled", None),
    ("signature", "answered", "order/customer_mgmt", "sign", "Signed by"),
    ("signature", "answered", "order/customer_mgmt", "quote_cancelled", None),
    # Planning (R11-R13)
    ("plan", "effective", "order/pmc_planner", "submit_d4", "Planned in"),
    ("plan", "effective", "order/pmc_planner", "ship_from_stock", "Left"),
    ("plan", "effective", "order/pmc_planner", "order_cancelled", None),
    ("plan_escalation", "unplanned", "order/pmc_manager", "submit_d4", "Planned"),
    ("plan_escalation", "unplanned", "order/pmc_manager", "order_cancelled", None),
    ("material", "effective", "order/pmc_material", "submit_d3", "submitted"),
    ("material", "effective", "order/pmc_material", "produce", "Produced"),
    ("material", "effective", "order/pmc_material", "ship_from_stock", "Left"),
    ("material", "effective", "order/pmc_material", "order_cancelled", None),
    ("material_approve", "d3_submitted", "d3/pmc_manager", "approve_d3", "approved"),
    ("material_approve", "d3_submitted", "d3/pmc_manager", "void_d3", None),
    ("material_approve", "d3_submitted", "d3/pmc_manager", "order_cancelled", None),
    ("send_rfq", "d3_approved", "rfq/purchasing", "confirm_rfq", "Purchase Order"),
    ("send_rfq", "d3_approved", "rfq/purchasing", "cancel_rfq", None),
    ("plan_approve", "d4_submitted", "plan/pmc_manager", "approve_d4", "approved"),
    ("plan_release", "d4_approved", "plan/pmc_planner", "release_d4", "released"),
    ("plan_escalation", "d4_late", "plan/pmc_manager", "release_late", "released"),
    # Payment (R19, R20)
    ("payment", "received", "order/customer_mgmt", "pay", "Paid"),
    ("payment", "received", "order/customer_mgmt", "order_cancelled", None),
    # Shipping (R23-R27)
    ("issue_d10", "received", "picking/customer_mgmt", "issue_d10", "issued"),
    ("issue_d10", "received", "picking/customer_mgmt", "order_cancelled", None),
    ("d10_escalation", "d10_overdue", "picking/pmc_manager", "issue_d10", "issued"),
    ("d10_escalation", "d10_overdue", "picking/pmc_manager", "order_cancelled", None),
    ("shipping", "d10_issued", "d10/pmc_clerk", "approve_d10", "approved"),
    ("shipping", "d10_issued", "d10/pmc_clerk", "return_d10", "Returned"),
    ("shipping", "d10_issued", "d10/pmc_clerk", "recall_d10", None),
    ("shipping", "d10_issued", "d10/pmc_clerk", "order_cancelled", None),
    ("d10_returned", "d10_returned", "d10/customer_mgmt", "reissue_d10", "issued"),
    ("d10_returned", "d10_returned", "d10/customer_mgmt", "order_cancelled", None),
    ("shipping", "d10_recalled", "d10/pmc_planner", "agree_date", "New ship date"),
    ("shipping", "d10_recalled", "d10/pmc_planner", "order_cancelled", None),
    ("shipping", "d10_agreed", "d10/customer_mgmt", "next_version", "issued"),
    ("d10_recalled", "d10_agreed", "d10/pmc_clerk", "next_version", "issued"),
    ("d10_recalled", "d10_agreed", "picking/fg_warehouse", "next_version", "issued"),
    ("d10_recalled", "d10_agreed", "picking/fg_warehouse", "order_cancelled", None),
    ("prepare_shipment", "d10_approved", "picking/fg_warehouse", "sign_d11", "signed"),
    ("prepare_shipment", "d10_approved", "picking/fg_warehouse", "recall_d10", None),
    (
        "prepare_shipment",
        "d10_approved",
        "picking/fg_warehouse",
        "order_cancelled",
        None,
    ),
    ("gate_check", "loaded", "picking/administration", "gate_pass", "Passed"),
    ("gate_check", "loaded", "picking/administration", "void_d11", None),
    ("gate_check", "loaded", "picking/administration", "recall_d10", None),
    ("gate_check", "loaded", "picking/administration", "order_cancelled", None),
    ("gate_check", "gate_voided", "picking/administration", "gate_pass", "Passed"),
    ("gate_hold", "held", "picking/customer_mgmt", "gate_pass", "Passed"),
    ("gate_hold", "held", "picking/fg_warehouse", "void_hold", None),
    ("gate_hold", "held", "picking/fg_warehouse", "order_cancelled", None),
    ("carrier_late", "vehicle_late", "booking/pmc_manager", "arrives", "arrival"),
    ("carrier_late", "vehicle_late", "booking/pmc_manager", "void_booking", None),
    ("carrier_late", "vehicle_late", "booking/pmc_manager", "order_cancelled", None),
    # Daily shipment statistics (R28)
    ("d12_prepare", "d12_built", "d12/fg_warehouse", "prepare_d12", "Prepared"),
    ("d12_sign", "d12_prepared", "d12/pmc_manager", "sign_d12", "Signed"),
    ("d12_sign", "d12_prepared", "d12/pmc_manager", "prepare_d12", None),
    ("d12_escalation", "d12_unsigned", "d12/pmc_manager", "sign_d12", "Signed"),
    # Late orders (R30) and improvement (R33)
    ("late_analysis", "d13_open", "d13/pmc_planner", "submit_d13", "submitted"),
    ("late_analysis", "d13_open", "d13/pmc_planner", "charge_quality", None),
    ("late_analysis", "d13_overdue", "d13/audit", "submit_d13", "submitted"),
    ("late_analysis", "d13_submitted", "d13/pmc_manager", "accept_d13", "accepted"),
    ("improvement_plan", "plan_late", "improvement/audit", "plan_done", "done"),
    ("improvement_plan", "plan_late", "improvement/audit", "plan_cancelled", None),
]

# kind, the situation, whose to-do it would be: not given at all, its step
# does not apply.
NOT_GIVEN = [
    # R5: no special requirements, no technical review.
    ("review", "registered", "order/technical"),
    # R4, R34: a review decided in time is not escalated.
    ("escalation", "overdue", "order/pmc_manager/finance"),
    # R6: a normal order is not a rush.
    ("rush", "registered", "order/pmc_planner"),
    # R12: nothing made here (OEM only), nothing to plan on D4.
    ("plan", "effective_oem", "order/pmc_planner"),
    # R11: the components are in stock: nothing to buy, no D3.
    ("material", "effective_in_stock", "order/pmc_material"),
    # R19: nothing to pay, no payment to follow up.
    ("payment", "received_free", "order/customer_mgmt"),
    # R23: a D10 issued in time is not escalated.
    ("d10_escalation", "d10_in_time", "picking/pmc_manager"),
    # R27: the gate waits for the loading check signed by both.
    ("gate_check", "half_loaded", "picking/administration"),
    # R25: a vehicle whose arrival is confirmed in time is not late.
    ("carrier_late", "vehicle_in_time", "booking/pmc_manager"),
]


@tagged("post_install", "-at_install")
class TestTodos(ShippingCase):
    _signed = test_kpi.KpiCase._signed
    _fact = test_kpi.KpiCase._fact
    _ship = test_kpi.KpiCase._ship
    _shipping_steps_done = test_payment.TestPayment._shipping_steps_done
    _loaded_as_shipped = test_payment.TestPayment._loaded_as_shipped
    _invoice = test_payment.TestPayment._invoice
    _pay_invoice = test_payment.TestPayment._pay
    _late_order = test_late_analysis.TestLateAnalysis._late_order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        vendor = cls.env["res.partner"].create({"name": "Foam Supplier Co."})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": vendor.id,
                "product_tmpl_id": cls.component.product_tmpl_id.id,
                "price": 1.5,
                "company_id": cls.company.id,
            }
        )
        cls.oem = cls.env["product.product"].create(
            {"name": "Shield Can (OEM)", "type": "consu", "op_is_oem": True}
        )
        carrier = cls.env["res.partner"].create({"name": "Pearl River Logistics"})
        cls.contract = cls.env["order.carrier.contract"].create(
            {
                "name": "CT-TODOS",
                "partner_id": carrier.id,
                "company_id": cls.company.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2099, 12, 31),
            }
        )

    # ------------------------------------------------------------ the tables
    def test_issue18_every_todo_ends_with_its_work(self):
        """Each row: the to-do is open in its situation; after the step it
        is done (with the step's feedback) or removed. Every row runs; the
        rows that fail are listed together."""
        self._assert_rows(ENDS, self._row_ends)

    def test_issue18_no_todo_for_a_step_that_does_not_apply(self):
        self._assert_rows(NOT_GIVEN, self._row_not_given)

    def test_issue18_every_kind_is_in_the_table(self):
        """A new kind of to-do gets its rows here (or is one its assignee
        ends), and every kind has a type."""
        ended = {row[0] for row in ENDS} | ENDED_BY_THEIR_ASSIGNEE
        self.assertEqual(
            set(TODO_KINDS), {f"mail_activity_type_{kind}" for kind in ended}
        )
        for kind in TODO_KINDS:
            self.assertTrue(self.env.ref(f"order_process_addon.{kind}"))

    # ------------------------------------------------------------ rows
    def _assert_rows(self, rows, check):
        failures = []
        for row in rows:
            with closing(self.env.cr.savepoint(flush=True)):
                try:
                    check(*row)
                except Exception as error:
                    failures.append(f"{row}: {type(error).__name__}: {error}")
            self.env.invalidate_all()
        if failures:
            self.fail(f"{len(failures)} of {len(rows)} rows:\n" + "\n".join(failures))

    def _row_ends(self, kind, given, whose, step, says):
        ctx = getattr(self, f"_given_{given}")()
        target = self._whose(ctx, whose)
        todo = self._todos(kind, *target)
        self.assertTrue(todo, f"not open when {given}")
        summaries = {" ".join(summary.split()) for summary in todo.mapped("summary")}
        done_before = self._done_messages(kind, target[0])
        getattr(self, f"_step_{step}")(ctx)
        self.env.invalidate_all()
        self.assertFalse(todo.exists(), f"still open after {step}")
        # The done messages of these to-dos (they quote their summary).
        said = (self._done_messages(kind, target[0]) - done_before).filtered(
            lambda m: any(
                summary in Markup(m.body).striptags() for summary in summaries
            )
        )
        if says:
            self.assertTrue(said, f"not marked done by {step}")
            self.assertIn(says, Markup(" ").join(said.mapped("body")).striptags())
        else:
            self.assertFalse(said, f"marked done by {step}: it is removed")

    def _row_not_given(self, kind, given, whose):
        ctx = getattr(self, f"_given_{given}")()
        self.assertFalse(self._todos(kind, *self._whose(ctx, whose)), "given")

    # ------------------------------------------------------------ helpers
    def _todos(self, kind, record, user, review=None):
        domain = [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
            ("user_id", "=", user.id),
            (
                "activity_type_id",
                "=",
                self.env.ref(f"order_process_addon.mail_activity_type_{kind}").id,
            ),
        ]
        if review:
            domain.append(("op_review_id", "=", review.id))
        return self.env["mail.activity"].sudo().search(domain)

    def _done_messages(self, kind, record):
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", record._name),
                    ("res_id", "=", record.id),
                    (
                        "mail_activity_type_id",
                        "=",
                        self.env.ref(
                            f"order_process_addon.mail_activity_type_{kind}"
                        ).id,
                    ),
                ]
            )
        )

    def _as(self, role, records):
        return records.with_user(self.users[role])

    # ------------------------------------------------------------ whose
    def _whose(self, ctx, whose):
        """(record, user[, review]) from "<record>/<role>[/<review role>]"."""
        key, role, *review = whose.split("/")
        record = ctx["d3"].sudo().purchase_order_ids[:1] if key == "rfq" else ctx[key]
        reviews = (self._review(ctx["order"], r) for r in review)
        return record, self.users[role], *reviews

    # ------------------------------------------------------------ given
    def _given_registered(self, **vals):
        order = self._new_order(**vals)
        order.action_op_register()
        return {"order": order}

    def _given_rush(self):
        return self._given_registered(op_urgency="rush")

    def _given_overdue(self):
        """Registered on Monday 10:00; Finance decided in time, Quality did
        not: the next day, the review job escalates (R4, R34)."""
        with freeze_time("2026-09-28 02:00:00"):
            ctx = self._given_registered(op_requested_date=date(2026, 10, 20))
            self._as("finance", self._review(ctx["order"], "finance")).action_approve()
        with freeze_time("2026-09-29 03:00:00"):
            self.env["order.review"]._cron_escalate_overdue()
        return ctx

    def _given_returned(self):
        ctx = self._given_registered()
        self._step_finance_rejects(ctx)
        return ctx

    def _given_reviewed(self):
        ctx = self._given_registered()
        order = ctx["order"]
        self._approve_all(order)
        while order.op_state == "review":
            self._approve_all(order)
        return ctx

    def _given_answered(self):
        return {"order": self._answered_order()}

    def _given_effective(self):
        return {"order": self._effective_order()}

    def _given_effective_oem(self):
        order = self._new_order(
            order_line=[
                Command.create({"product_id": self.oem.id, "product_uom_qty": 5})
            ]
        )
        self._driver().register(order)
        self._answer(order)
        self._sign_with_scan(order)
        return {"order": order}

    def _given_effective_in_stock(self):
        self.env["stock.quant"]._update_available_quantity(
            self.component,
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.company.id)], limit=1)
            .lot_stock_id,
            1000,
        )
        return self._given_effective()

    def _given_unplanned(self):
        with freeze_time("2026-10-12 02:00:00"):  # Monday 10:00 in Shanghai
            ctx = self._given_effective()
        with freeze_time("2026-10-13 03:00:00"):  # 1 working day later
            self.env["order.production.plan"]._cron_escalate_late_plans()
        return ctx

    def _given_d3_submitted(self):
        ctx = self._given_effective()
        self._step_submit_d3(ctx)
        return ctx

    def _given_d3_approved(self):
        ctx = self._given_d3_submitted()
        self._step_approve_d3(ctx)
        return ctx

    def _given_d4_submitted(self):
        ctx = self._given_effective()
        self._step_submit_d4(ctx)
        return ctx

    def _given_d4_approved(self):
        ctx = self._given_d4_submitted()
        self._step_approve_d4(ctx)
        return ctx

    def _given_d4_late(self):
        ctx = self._given_d4_approved()
        with freeze_time(D4_LATE):
            self.env["order.production.plan"]._cron_escalate_late_plans()
        return ctx

    def _given_received(self):
        picking = self._received_delivery()
        return {"order": picking._op_sale_orders(), "picking": picking}

    def _given_received_free(self):
        self.product.list_price = 0.0
        return self._given_received()

    def _delivery(self):
        """An open delivery whose goods are in (D8 signed, R17, R23)."""
        return self._given_received()

    def _given_d10_overdue(self):
        ctx = self._delivery()
        ctx["picking"].sudo().scheduled_date = "2026-12-07 02:00:00"  # Monday
        with freeze_time("2026-12-04 16:30:00"):  # Saturday 00:30 local
            self.env["stock.picking"]._cron_escalate_missing_d10()
        return ctx

    def _given_d10_in_time(self):
        ctx = self._delivery()
        ctx["picking"].sudo().scheduled_date = "2026-12-07 02:00:00"
        self._step_issue_d10(ctx)
        with freeze_time("2026-12-04 16:30:00"):
            self.env["stock.picking"]._cron_escalate_missing_d10()
        return ctx

    def _given_d10_issued(self):
        ctx = self._delivery()
        with freeze_time(TUESDAY):
            ctx["d10"] = self._d10(ctx["picking"])
            ctx["d10"].action_issue()
        return ctx

    def _given_d10_returned(self):
        ctx = self._given_d10_issued()
        self._step_return_d10(ctx)
        return ctx

    def _given_d10_approved(self):
        ctx = self._delivery()
        ctx["d10"] = self._approved_d10(ctx["picking"])
        return ctx

    def _given_d10_recalled(self):
        ctx = self._given_d10_approved()
        self._step_recall_d10(ctx)
        return ctx

    def _given_d10_agreed(self):
        ctx = self._given_d10_recalled()
        self._step_agree_date(ctx)
        return ctx

    def _given_loaded(self):
        ctx = self._given_d10_approved()
        self._set_quantities(ctx["picking"])
        self._step_sign_d11(ctx)
        return ctx

    def _given_half_loaded(self):
        ctx = self._given_d10_approved()
        check = self._loading_check(ctx["picking"])
        check.line_ids.write({"checked": True})
        check.with_user(self.loader).action_sign_loader()
        return ctx

    def _given_held(self):
        ctx = self._given_loaded()
        ctx["hold"] = self._gate(ctx["picking"], "hold", hold_reason="Seal broken")
        return ctx

    def _given_gate_voided(self):
        ctx = self._given_loaded()
        gate = self._gate(ctx["picking"])
        self._as("administration", gate).action_void("Wrong delivery checked")
        return ctx

    def _book(self, ctx, arrival):
        action = self._as("fg_warehouse", ctx["picking"]).action_op_book_carrier()
        self.env[action["res_model"]].with_user(self.keeper).with_context(
            **action["context"]
        ).create(
            {
                "contract_id": self.contract.id,
                "vehicle_plate": "沪A 12345",
                "planned_arrival": arrival,
            }
        ).action_book()
        ctx["booking"] = ctx["picking"].sudo().op_carrier_booking_id
        return ctx

    def _given_vehicle_late(self):
        arrival = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        ctx = self._book(self._delivery(), arrival)
        with freeze_time(arrival + timedelta(minutes=20)):
            self.env["order.carrier.booking"]._cron_escalate_late_vehicles()
        return ctx

    def _given_vehicle_in_time(self):
        arrival = datetime.now().replace(microsecond=0) + timedelta(hours=1)
        ctx = self._book(self._delivery(), arrival)
        self._step_arrives(ctx)
        with freeze_time(arrival + timedelta(minutes=20)):
            self.env["order.carrier.booking"]._cron_escalate_late_vehicles()
        return ctx

    def _given_d12_built(self):
        D12 = self.env["order.shipment.statistics"]
        with freeze_time(test_shipment_statistics.BEFORE_DEADLINE):
            D12._cron_build_previous_day()
        return {
            "d12": D12.search(
                [
                    ("company_id", "=", self.company.id),
                    ("date", "=", test_shipment_statistics.DAY),
                ]
            )
        }

    def _given_d12_prepared(self):
        ctx = self._given_d12_built()
        self._step_prepare_d12(ctx)
        return ctx

    def _given_d12_unsigned(self):
        ctx = self._given_d12_prepared()
        with freeze_time(test_shipment_statistics.LATER):
            self.env["order.shipment.statistics"]._cron_send_to_finance()
        return ctx

    def _given_d13_open(self):
        # A plan missing (no D4: PMC's, R12) and the date moved for it.
        self._late_order("pmc")
        with freeze_time(test_late_analysis.CRON_TIME):
            ctx = {"d13": self.env["order.late.analysis"]._cron_open_and_escalate()}
        return ctx

    def _given_d13_overdue(self):
        ctx = self._given_d13_open()
        with freeze_time(test_late_analysis.AFTER_DEADLINE):
            self.env["order.late.analysis"]._cron_open_and_escalate()
        return ctx

    def _given_d13_submitted(self):
        ctx = self._given_d13_open()
        self._step_submit_d13(ctx)
        return ctx

    def _given_plan_late(self):
        plan = self._as("pmc_manager", self.env["order.improvement.plan"]).create(
            {
                "description": "Keep a spare die for repeat orders.",
                "owner_id": self.users["production"].id,
                "deadline": date(2026, 11, 20),
            }
        )
        with freeze_time("2026-11-23 02:00:00"):
            self.env["order.improvement.plan"]._cron_escalate_overdue()
        return {"improvement": plan}

    # ------------------------------------------------------------ steps
    def _step_quality_decides(self, ctx):
        self._as("quality", self._review(ctx["order"], "quality")).action_approve()

    def _step_finance_rejects(self, ctx):
        self._as("finance", self._review(ctx["order"], "finance")).action_reject(
            "Credit limit exceeded"
        )

    def _step_quote_cancelled(self, ctx):
        self._as("customer_mgmt", ctx["order"]).action_cancel()

    def _step_order_cancelled(self, ctx):
        self._as("customer_mgmt", ctx["order"]).action_op_cancel(
            "The customer's project was stopped", "customer"
        )

    def _step_register_again(self, ctx):
        self._as("customer_mgmt", ctx["order"]).action_op_register()

    def _step_answer(self, ctx):
        self._answer(ctx["order"])

    def _step_sign(self, ctx):
        self._sign_with_scan(ctx["order"])

    def _step_submit_d4(self, ctx):
        ctx["production"] = self._production(ctx["order"])
        ctx["plan"] = self._plan(ctx["production"])
        ctx["plan"].action_submit()

    def _step_approve_d4(self, ctx):
        self._as("pmc_manager", ctx["plan"]).action_approve()

    def _step_release_d4(self, ctx):
        with freeze_time(D4_ON_TIME):
            ctx["plan"].action_release()

    def _step_release_late(self, ctx):
        with freeze_time(D4_LATE):
            ctx["plan"].action_release(late_reason="Material arrived late")

    def _step_submit_d3(self, ctx):
        action = self._as("pmc_material", ctx["order"]).action_op_material_plan()
        ctx["d3"] = self._as(
            "pmc_material", self.env["order.material.plan"].browse(action["res_id"])
        )
        ctx["d3"].action_submit()

    def _step_approve_d3(self, ctx):
        self._as("pmc_manager", ctx["d3"]).action_approve()

    def _step_void_d3(self, ctx):
        self._as("pmc_manager", ctx["d3"]).action_void("Wrong warehouse")

    def _step_confirm_rfq(self, ctx):
        self._as("purchasing", ctx["d3"].sudo().purchase_order_ids[:1]).button_confirm()

    def _step_cancel_rfq(self, ctx):
        self._as("purchasing", ctx["d3"].sudo().purchase_order_ids[:1]).button_cancel()

    def _step_produce(self, ctx):
        driver = self._driver()
        production = self._production(ctx["order"])
        plan = self._plan(production)
        driver.run("submit_plan", plan)
        driver.run("approve_plan", plan)
        with driver.at(D4_ON_TIME):
            driver.release(plan)
        driver.start(production)
        driver.final_test(production)
        receipt = driver.deliver(production)
        with driver.at(DURING_DAY):
            driver.count(receipt, 5)
        driver.finish(production.with_context(skip_consumption=True))
        self.assertEqual(production.state, "done")

    def _step_ship_from_stock(self, ctx):
        """The order's goods leave without a D4 or a D3 (from stock); the
        shipping steps are recorded as done (tested in test_shipping)."""
        self._ship(ctx["order"], fields.Datetime.now())

    def _step_pay(self, ctx):
        self._pay_invoice(self._invoice(ctx["order"]))

    def _step_issue_d10(self, ctx):
        with freeze_time(TUESDAY):
            self._d10(ctx["picking"]).action_issue()

    def _step_approve_d10(self, ctx):
        with freeze_time(TUESDAY):
            self._as("pmc_clerk", ctx["d10"]).action_approve()

    def _step_return_d10(self, ctx):
        with freeze_time(TUESDAY):
            self._as("pmc_clerk", ctx["d10"]).action_return("Wrong contact")

    def _step_reissue_d10(self, ctx):
        with freeze_time(TUESDAY):
            ctx["d10"].action_issue()

    def _step_recall_d10(self, ctx):
        with freeze_time(TUESDAY):
            self._as("customer_mgmt", ctx["d10"]).action_recall(
                "The customer's line is down", "customer", date(2026, 12, 9)
            )

    def _step_agree_date(self, ctx):
        with freeze_time(TUESDAY):
            self._as("pmc_planner", ctx["d10"]).action_agree_new_date()

    def _step_next_version(self, ctx):
        with freeze_time(TUESDAY):
            action = self._as(
                "customer_mgmt", ctx["picking"]
            ).action_op_new_shipping_order()
            self._as(
                "customer_mgmt",
                self.env["order.shipping.order"].browse(action["res_id"]),
            ).action_issue()

    def _step_sign_d11(self, ctx):
        self._signed_check(ctx["picking"])

    def _step_void_d11(self, ctx):
        check = ctx["picking"].sudo().op_loading_check_ids
        self._as("fg_warehouse", check).action_void("Counted the wrong pallet")

    def _step_gate_pass(self, ctx):
        self._gate(ctx["picking"])

    def _step_void_hold(self, ctx):
        self._as("administration", ctx["hold"]).action_void("Recorded by mistake")

    def _step_arrives(self, ctx):
        self._as("fg_warehouse", ctx["picking"]).action_op_confirm_vehicle_arrival()

    def _step_void_booking(self, ctx):
        self._as("fg_warehouse", ctx["booking"]).action_void("Another vehicle")

    def _step_prepare_d12(self, ctx):
        self._as("fg_warehouse", ctx["d12"]).action_prepare()

    def _step_sign_d12(self, ctx):
        self._as("pmc_manager", ctx["d12"]).action_sign()

    def _step_submit_d13(self, ctx):
        analysis = self._as("pmc_planner", ctx["d13"])
        analysis.write(
            {
                "cause_category": "planning",
                "root_cause": "The die-cutting machine was booked twice",
                "measures": "One booking calendar per machine",
                "measure_owner_id": self.users["pmc_planner"].id,
                "measure_date": "2026-11-30",
            }
        )
        with freeze_time("2026-11-03 02:00:00"):
            analysis.action_submit()

    def _step_charge_quality(self, ctx):
        fact = self._as("pmc_manager", ctx["d13"].fact_id)
        fact.action_set_responsibility("The resin failed our test", "quality")

    def _step_accept_d13(self, ctx):
        self._as("pmc_manager", ctx["d13"]).action_accept()

    def _step_plan_done(self, ctx):
        plan = self._as("production", ctx["improvement"])
        plan.write({"result": "A spare die is kept"})
        plan.action_done()

    def _step_plan_cancelled(self, ctx):
        self._as("general_manager", ctx["improvement"]).action_cancel()
