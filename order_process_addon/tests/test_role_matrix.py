# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R36: the access matrix, as one table that cannot go stale.

For every process model (every model built on ``order.process.guard``) and
every public step it has (``action_*`` / ``button_*`` defined or overridden
by this addon), the roles that may take it; for every process model, the
roles that may create, write and delete it. The test enumerates the models
and methods itself and fails when one has no row, then runs every row as the
real demo users: refused means an ``AccessError``; a step a role may take can
still say no for a business reason (a ``UserError``), which is not a refusal
of the role."""

import contextlib
import inspect
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from ..models.vocabulary import ROLES
from .test_production_quality import QualityCase

MODULE = "odoo.addons.order_process_addon"
ALL = frozenset(ROLES)
PMC_MANAGER = frozenset({"pmc_manager"})
PLANNERS = frozenset({"pmc_planner", "pmc_manager"})
MATERIAL = frozenset({"pmc_material", "pmc_manager"})
SALES_WRITERS = frozenset({"sales", "customer_mgmt", "general_manager"})
PMC = frozenset({"pmc_planner", "pmc_material", "pmc_clerk", "fg_warehouse"}) | {
    "pmc_manager"
}
MO_WRITERS = frozenset({"pmc_planner", "pmc_material", "pmc_manager", "production"})
BUYERS = frozenset({"pmc_material", "pmc_manager", "purchasing"})
# Odoo's own rights let stock, manufacturing and invoicing users write sale
# orders (deliveries, MOs, invoices) and sales users create MOs: the guard
# then decides what they may change on a document of the process.
ORDER_WRITERS = SALES_WRITERS | PMC | {"production", "finance"}
NOBODY = frozenset()
CLERKS = frozenset({"pmc_clerk", "pmc_manager"})
WAREHOUSE = frozenset({"fg_warehouse", "pmc_manager"})
# Odoo's own rights let inventory, manufacturing, purchase, sales and
# invoicing users write deliveries; the process's steps on them check the
# role (validating a process delivery is the warehouse's).
PICKING_WRITERS = ALL - {"technical", "quality", "administration", "audit"}
PICKING_DELETERS = PICKING_WRITERS - {"sales", "finance", "general_manager"}
MANAGERS = frozenset({"pmc_manager", "general_manager"})
TRAINERS = frozenset({"administration", "general_manager"})

# (model, method): the roles that may take the step. Navigation (opening a
# list or a dialog) is open to every role; the step behind it checks.
ACTIONS = {
    ("sale.order", "action_op_register"): {"customer_mgmt"},
    ("sale.order", "action_op_answer"): PLANNERS,
    ("sale.order", "action_op_open_answer_wizard"): PLANNERS,
    ("sale.order", "action_op_open_signature_wizard"): {"customer_mgmt"},
    ("sale.order", "action_op_open_commitment_wizard"): PLANNERS | {"customer_mgmt"},
    ("sale.order", "action_confirm"): {"customer_mgmt"},
    ("sale.order", "action_op_material_plan"): MATERIAL | {"purchasing", "audit"},
    ("sale.order", "action_op_open_cancel_wizard"): {"customer_mgmt", "pmc_manager"},
    ("sale.order", "action_op_cancel"): {"customer_mgmt", "pmc_manager"},
    ("sale.order", "action_draft"): {"customer_mgmt"},
    # R21: Finance sets the payment condition; a Finance manager (none of the
    # demo roles) or the General Manager ships before payment.
    ("sale.order", "action_op_set_payment_condition"): {"finance"},
    ("sale.order", "action_op_open_override_wizard"): {"general_manager"},
    ("sale.order", "action_op_override_payment"): {"general_manager"},
    # R21 (issue 19): after the signature, only they let it ship on credit.
    ("sale.order", "action_op_open_credit_wizard"): {"general_manager"},
    ("sale.order", "action_op_release_to_credit"): {"general_manager"},
    ("sale.order", "action_op_view_kpi"): ALL,
    ("order.review", "action_approve"): {"quality"},
    ("order.review", "action_approve_with_conditions"): {"quality"},
    ("order.review", "action_reject"): {"quality"},
    ("order.review", "action_open_decision_wizard"): {"quality"},
    ("order.material.plan", "action_compute"): MATERIAL,
    ("order.material.plan", "action_submit"): MATERIAL,
    ("order.material.plan", "action_approve"): PMC_MANAGER,
    ("order.material.plan", "action_void"): MATERIAL,
    ("order.material.plan", "action_open_void"): ALL,
    ("order.material.plan", "action_view_purchases"): ALL,
    ("order.production.plan", "action_submit"): PLANNERS,
    ("order.production.plan", "action_approve"): PMC_MANAGER,
    ("order.production.plan", "action_release"): PLANNERS,
    ("order.production.plan", "action_insert_rush"): PMC_MANAGER,
    ("order.production.plan", "action_open_late_release"): ALL,
    ("mrp.production", "action_op_view_inspections"): ALL,
    ("mrp.production", "action_op_view_final_tests"): ALL,
    ("mrp.production", "action_op_view_receipts"): ALL,
    ("mrp.production", "action_op_deliver_to_warehouse"): {"production"},
    ("mrp.production", "action_start"): {"production", "pmc_planner", "pmc_manager"},
    ("mrp.production", "button_mark_done"): {
        "production",
        "pmc_planner",
        "pmc_manager",
    },
    ("order.inspection", "action_void"): {"production"},
    ("order.final.test", "action_sign"): {"quality"},
    ("order.production.daily.report", "action_refresh"): {"quality", "production"},
    ("order.production.daily.report", "action_sign"): {"quality"},
    ("order.fg.receipt", "action_count_and_sign"): {"fg_warehouse", "pmc_manager"},
    ("order.inbound.statistics", "action_submit"): PLANNERS,
    ("order.inbound.statistics", "action_sign"): PMC_MANAGER,
    ("order.shipping.order", "action_issue"): {"customer_mgmt"},
    ("order.shipping.order", "action_approve"): CLERKS,
    ("order.shipping.order", "action_return"): CLERKS,
    ("order.shipping.order", "action_recall"): {"customer_mgmt"},
    ("order.shipping.order", "action_agree_new_date"): PLANNERS,
    ("order.loading.check", "action_sign_loader"): WAREHOUSE,
    ("order.loading.check", "action_sign_keeper"): WAREHOUSE,
    ("order.loading.check", "action_void"): WAREHOUSE,
    ("order.gate.check", "action_void"): {"administration"},
    ("stock.picking", "button_validate"): WAREHOUSE,
    ("stock.picking", "action_op_new_shipping_order"): {"customer_mgmt"},
    ("stock.picking", "action_op_start_loading"): WAREHOUSE,
    ("stock.picking", "action_op_gate_check"): {"administration"},
    # R24 (issue 19): whoever may write a transfer reaches the button; a
    # delivery of the process is refused to all of them (cancelled with its
    # order), which test_last_door asserts.
    ("stock.picking", "action_cancel"): PICKING_WRITERS,
    # R27 (issue 19): a transfer to a customer without an order leaves with
    # the release of the PMC manager or the General Manager.
    ("stock.picking", "action_op_open_release_wizard"): MANAGERS,
    ("stock.picking", "action_op_release_outgoing"): MANAGERS,
    # R28: the FG keeper prepares D12 (the PMC manager holds every PMC role),
    # the PMC manager signs it.
    ("order.shipment.statistics", "action_prepare"): {"fg_warehouse", "pmc_manager"},
    ("order.shipment.statistics", "action_sign"): PMC_MANAGER,
    ("stock.picking", "action_op_book_carrier"): WAREHOUSE,
    ("stock.picking", "action_op_confirm_vehicle_arrival"): WAREHOUSE,
    ("stock.picking", "action_op_void_carrier_booking"): WAREHOUSE,
    ("order.carrier.booking", "action_confirm_arrival"): WAREHOUSE,
    ("order.carrier.booking", "action_void"): WAREHOUSE,
    # R30: the PMC manager charges a failed order to a department.
    ("order.kpi.fact", "action_set_responsibility"): PMC_MANAGER,
    ("order.kpi.fact", "action_open_responsibility_wizard"): PMC_MANAGER,
    ("order.kpi.fact", "action_open_order"): ALL,
    # D13 (R30): written by the responsible department (Production in the
    # fixture), accepted by the PMC manager.
    ("order.late.analysis", "action_submit"): {"production"},
    ("order.late.analysis", "action_accept"): PMC_MANAGER,
    # R31: the PMC manager freezes a monthly review by hand.
    ("order.monthly.review", "action_freeze"): PMC_MANAGER,
    # R32, R33: the PMC manager and the General Manager run evaluations and
    # plans; a plan's owner (Production in the fixture) starts and closes it;
    # they evaluate suggestions (the fixture's author is Sales); Administration
    # or the General Manager records trainings.
    ("order.process.evaluation", "action_done"): MANAGERS,
    ("order.improvement.plan", "action_start"): MANAGERS | {"production"},
    ("order.improvement.plan", "action_done"): MANAGERS | {"production"},
    ("order.improvement.plan", "action_cancel"): MANAGERS,
    ("order.improvement.suggestion", "action_accept"): MANAGERS,
    ("order.improvement.suggestion", "action_reject"): MANAGERS,
    ("order.process.training", "action_done"): TRAINERS,
    ("purchase.order", "button_confirm"): {"purchasing"},
    ("purchase.order", "button_approve"): {"purchasing"},
    ("purchase.order", "action_rfq_send"): {"purchasing"},
}

# model: the roles that may create, write, delete (the ACL; the guard then
# decides which fields and states). The Audit Center is in none.
CRUD = {
    "sale.order": (SALES_WRITERS, ORDER_WRITERS, NOBODY),
    "sale.order.line": (SALES_WRITERS, ORDER_WRITERS, SALES_WRITERS),
    "mrp.production": (
        MO_WRITERS | SALES_WRITERS,
        MO_WRITERS | SALES_WRITERS,
        MO_WRITERS,
    ),
    "purchase.order": (BUYERS, BUYERS | {"finance"}, BUYERS),
    "order.review": (NOBODY, NOBODY, NOBODY),
    "order.commitment.change": (NOBODY, NOBODY, NOBODY),
    "order.material.plan": (MATERIAL, MATERIAL, NOBODY),
    "order.material.plan.line": (NOBODY, MATERIAL, NOBODY),
    "order.production.plan": (PLANNERS, PLANNERS, PLANNERS),
    "order.production.daily.report": (NOBODY, {"quality"}, NOBODY),
    "order.production.daily.report.line": (NOBODY, NOBODY, NOBODY),
    "order.production.day": (NOBODY, NOBODY, NOBODY),
    "order.inspection": ({"production", "quality"}, NOBODY, NOBODY),
    "order.final.test": ({"quality"}, {"quality"}, NOBODY),
    "order.fg.receipt": (NOBODY, NOBODY, NOBODY),
    "order.inbound.statistics": (NOBODY, NOBODY, NOBODY),
    "order.inbound.statistics.line": (NOBODY, NOBODY, NOBODY),
    "order.shipment.statistics": (NOBODY, NOBODY, NOBODY),
    "order.shipment.statistics.line": (NOBODY, NOBODY, NOBODY),
    "order.payment.override": (NOBODY, NOBODY, NOBODY),
    "order.outgoing.release": (NOBODY, NOBODY, NOBODY),
    "order.shipping.order": (NOBODY, {"customer_mgmt"}, {"customer_mgmt"}),
    "order.shipping.order.line": (NOBODY, {"customer_mgmt"}, {"customer_mgmt"}),
    "order.loading.check": (NOBODY, WAREHOUSE, NOBODY),
    "order.loading.check.line": (NOBODY, WAREHOUSE, NOBODY),
    "order.loading.check.requirement": (NOBODY, WAREHOUSE, NOBODY),
    "order.gate.check": ({"administration"}, NOBODY, NOBODY),
    "stock.picking": (PICKING_WRITERS, PICKING_WRITERS, PICKING_DELETERS),
    # Booked (created) by the shipping group, who may then correct the
    # driver; never deleted.
    "order.carrier.booking": (WAREHOUSE, WAREHOUSE, NOBODY),
    "order.kpi.fact": (NOBODY, NOBODY, NOBODY),
    "order.kpi.month": (NOBODY, NOBODY, NOBODY),
    "order.late.analysis": (NOBODY, ALL - {"audit"}, NOBODY),
    # R31: created (for a month) and written (its analysis, while a draft)
    # by the PMC manager, commented by the General Manager; the lines are
    # the review's; never deleted.
    "order.monthly.review": (PMC_MANAGER, MANAGERS, NOBODY),
    "order.monthly.review.line": (NOBODY, NOBODY, NOBODY),
    # R32, R33: plans' owners (any role) write their result; anybody with a
    # process role suggests.
    "order.process.evaluation": (MANAGERS, MANAGERS, NOBODY),
    "order.improvement.plan": (MANAGERS, ALL - {"audit"}, NOBODY),
    "order.improvement.suggestion": (ALL - {"audit"}, MANAGERS, NOBODY),
    "order.process.training": (TRAINERS, TRAINERS, NOBODY),
}


class _Rollback(Exception):
    pass


# Odoo's stock moves and their lines carry the process guard for the moves
# of the process's transfers only: their access rights stay Odoo's.
GUARDED_ODOO_MODELS = frozenset({"stock.move", "stock.move.line"})


def process_models(env):
    """Every model the process guards (``order.process.guard``, alone or
    through ``order.process.mixin``), Odoo's stock moves aside."""
    guard = env.registry["order.process.guard"]
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract
        and issubclass(model, guard)
        and name not in GUARDED_ODOO_MODELS
    )


def process_actions(env):
    """Every action_*/button_* a process model has from this addon."""
    found = set()
    for model in process_models(env):
        for cls in type(env[model]).__mro__:
            if not cls.__module__.startswith(MODULE):
                continue
            for name, member in vars(cls).items():
                if name.startswith(("action_", "button_")) and inspect.isfunction(
                    member
                ):
                    found.add((model, name))
    return found


class DemoUsersCase(QualityCase):
    """The roles are the real demo users, in the demo company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("order_process_addon.company_demo")
        cls.users = {
            role: cls.env.ref(f"order_process_addon.user_{role}_demo") for role in ROLES
        }
        cls.bom = cls.bom.copy({"company_id": cls.company.id})

    def _rfq(self, user=None):
        """A draft RFQ of the demo company for one component."""
        purchases = self.env["purchase.order"]
        if user:
            purchases = purchases.with_user(user)
        return purchases.with_company(self.company).create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": self.component.id, "product_qty": 1})
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestRoleMatrix(DemoUsersCase):
    def test_r36_every_process_model_and_step_has_a_row(self):
        models = set(process_models(self.env))
        self.assertEqual(models, set(CRUD), "a process model without CRUD row")
        self.assertEqual(
            process_actions(self.env), set(ACTIONS), "a process step without row"
        )

    def test_r36_who_creates_writes_and_deletes_each_process_model(self):
        access = self.env["ir.model.access"]
        wrong = []
        for model, expected in sorted(CRUD.items()):
            for op, roles in zip(("create", "write", "unlink"), expected, strict=True):
                for role in ROLES:
                    allowed = access.with_user(self.users[role]).check(
                        model, op, raise_exception=False
                    )
                    if allowed != (role in roles):
                        wrong.append(f"{op} {model} as {role}: {allowed}")
                    # Every role reads every process document (R36).
                    if not access.with_user(self.users[role]).check(
                        model, "read", raise_exception=False
                    ):
                        wrong.append(f"read {model} as {role}: False")
        self.assertFalse(wrong, "\n".join(wrong))

    # ------------------------------------------------------------ fixtures
    def _fixtures(self):
        self.product.op_trial_run_done = True
        driver = self._driver()
        under_review = self._new_order(user_id=self.users["sales"].id)
        driver.register(under_review)
        reviewed = self._new_order(user_id=self.users["sales"].id)
        driver.register(reviewed)
        while reviewed.op_state == "review":
            self._approve_all(reviewed)
        effective = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(effective)
        production = self._released_production()
        draft_mo = self._production(production.op_sale_order_id)
        draft_plan = self._plan(
            draft_mo, day=production.op_plan_id.plan_date.replace(day=13)
        )
        test = (
            self.env["order.final.test"]
            .with_user(self.users["quality"])
            .create({"production_id": production.id, "result": "pass"})
        )
        inspection = self._inspect(production, "production", "key_process")
        deliverable = self._released_production()
        self._test(deliverable, "pass")
        signed = self._released_production()
        self._test(signed, "pass")
        receipt = self.env["order.fg.receipt"].browse(driver.deliver(signed).ids)
        d3 = (
            self.env["order.material.plan"]
            .with_user(self.users["pmc_material"])
            .create({"sale_order_id": effective.id})
        )
        stats = (
            self.env["order.inbound.statistics"]
            .sudo()
            .create(
                {"company_id": self.company.id, "date": production.op_plan_id.plan_date}
            )
        )
        d12 = (
            self.env["order.shipment.statistics"]
            .sudo()
            .create(
                {"company_id": self.company.id, "date": production.op_plan_id.plan_date}
            )
        )
        rfq = self._rfq(self.users["purchasing"])
        override = (
            self.env["order.payment.override"]
            .sudo()
            .create({"order_id": effective.id, "reason": "Trusted customer"})
        )
        # A transfer to a customer without an order, released (R27).
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        free = (
            self.env["stock.picking"]
            .sudo()
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        release = (
            self.env["order.outgoing.release"]
            .sudo()
            .create({"picking_id": free.id, "reason": "Sample for a fair"})
        )
        # Shipping: an issued D10 on one delivery, a loading check under way
        # on another, a gate check (R23-R27).
        shipped = self._signed_receipt().sale_order_id
        ship_date = date.today() + timedelta(days=12)
        d10_picking = shipped.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        d10 = self.env["order.shipping.order"].browse(
            driver.d10(d10_picking, ship_date, approve=False).ids
        )
        loading = self._signed_receipt().sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        driver.d10(loading, ship_date)
        check = self.env["order.loading.check"].browse(
            driver.run("start_loading", loading)["res_id"]
        )
        # Recorded as the process: the gate step refuses a check not yet signed (R27).
        gate = (
            self.env["order.gate.check"]
            .sudo()
            .create({"picking_id": loading.id, "vehicle_plate": "A1", "result": "hold"})
        )
        contract = (
            self.env["order.carrier.contract"]
            .with_user(self.users["fg_warehouse"])
            .create(
                {
                    "name": "CT-matrix",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date_start": fields.Date.today(),
                    "date_end": fields.Date.today() + timedelta(days=30),
                }
            )
        )
        booking = (
            self.env["order.carrier.booking"]
            .with_user(self.users["fg_warehouse"])
            .create(
                {
                    "picking_id": effective.picking_ids.filtered(
                        lambda p: p.picking_type_code == "outgoing"
                    ).id,
                    "contract_id": contract.id,
                    "vehicle_plate": "YUE B 12345",
                    "planned_arrival": fields.Datetime.now() + timedelta(hours=2),
                }
            )
        )
        quality_review = self._review(under_review, "quality")
        production_user = self.users["production"]
        closed_month = date.today().replace(day=1) - timedelta(days=40)
        review = (
            self.env["order.monthly.review"]
            .sudo()
            .create({"company_id": self.company.id, "month_start": closed_month})
        )
        evaluation = (
            self.env["order.process.evaluation"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "year": 2026,
                    "quarter": "3",
                    "problems": "Late dies",
                }
            )
        )
        plan = (
            self.env["order.improvement.plan"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "description": "Spare dies",
                    "owner_id": production_user.id,
                    "deadline": date.today() + timedelta(days=30),
                    "result": "Done",
                }
            )
        )
        suggestion = (
            self.env["order.improvement.suggestion"]
            .with_user(self.users["sales"])
            .with_company(self.company)
            .create({"name": "Shared calendar", "content": "Book dies on it."})
        )
        training = (
            self.env["order.process.training"]
            .sudo()
            .create(
                {
                    "company_id": self.company.id,
                    "name": "D13",
                    "attendee_ids": [Command.set(production_user.ids)],
                }
            )
        )
        months = self.env["order.kpi.month"].sudo()
        months._op_flush_pending()
        kpi_month = months.search(
            [("company_id", "=", effective.company_id.id)], limit=1
        )
        self.assertTrue(kpi_month, "the signed order's month has its totals")
        return {
            "sale.order": {
                "action_op_register": under_review,
                "action_op_answer": reviewed,
                "action_op_open_answer_wizard": reviewed,
                "action_confirm": reviewed,
                "action_op_open_signature_wizard": reviewed,
                None: effective,
            },
            "order.review": {None: quality_review},
            "order.material.plan": {None: d3},
            "order.production.plan": {
                "action_insert_rush": draft_plan,
                None: draft_plan,
            },
            "mrp.production": {
                "action_op_deliver_to_warehouse": deliverable,
                None: production,
            },
            "order.inspection": {None: inspection},
            "order.final.test": {None: test},
            "order.production.daily.report": {
                None: production.op_plan_id.daily_report_ids
            },
            "order.fg.receipt": {None: receipt},
            "order.inbound.statistics": {None: stats},
            "order.shipment.statistics": {None: d12},
            "purchase.order": {None: rfq},
            "order.payment.override": {None: override},
            "order.outgoing.release": {None: release},
            "order.shipping.order": {None: d10},
            "order.shipping.order.line": {None: d10.line_ids},
            "order.loading.check": {None: check},
            "order.loading.check.line": {None: check.line_ids},
            "order.gate.check": {None: gate},
            "stock.picking": {
                "action_op_book_carrier": loading,
                "action_op_confirm_vehicle_arrival": booking.picking_id,
                "action_op_void_carrier_booking": booking.picking_id,
                "action_op_open_release_wizard": free,
                "action_op_release_outgoing": free,
                None: loading,
            },
            "order.carrier.contract": {None: contract},
            "order.carrier.booking": {None: booking},
            "order.kpi.fact": {None: effective.op_kpi_fact_ids},
            "order.kpi.month": {None: kpi_month},
            "order.late.analysis": {
                None: self.env["order.late.analysis"]
                .sudo()
                .create(
                    {
                        "order_id": effective.id,
                        "fact_id": effective.op_kpi_fact_ids.id,
                        "department": "production",
                    }
                )
            },
            "order.monthly.review": {None: review},
            "order.process.evaluation": {None: evaluation},
            "order.improvement.plan": {None: plan},
            "order.improvement.suggestion": {None: suggestion},
            "order.process.training": {None: training},
            "_args": {
                ("order.shipping.order", "action_return"): ("Wrong contact",),
                ("order.shipping.order", "action_recall"): ("Moved", "customer"),
                ("order.loading.check", "action_void"): ("Recount",),
                ("order.gate.check", "action_void"): ("Typo",),
                ("order.kpi.fact", "action_set_responsibility"): (
                    "The die broke",
                    "production",
                ),
                ("sale.order", "action_op_cancel"): ("Customer withdrew", "customer"),
                ("sale.order", "action_op_set_payment_condition"): ("prepay",),
                ("sale.order", "action_op_override_payment"): ("Trusted customer",),
                ("sale.order", "action_op_release_to_credit"): ("Paid on time",),
                ("stock.picking", "action_op_release_outgoing"): ("A sample",),
                ("order.review", "action_approve_with_conditions"): ("Sample first",),
                ("order.review", "action_reject"): ("Cannot test it",),
                ("order.material.plan", "action_void"): ("Wrong order",),
                ("order.inspection", "action_void"): ("Typo",),
                ("order.production.plan", "action_insert_rush"): (draft_mo, "Rush"),
                ("order.fg.receipt", "action_count_and_sign"): (5.0, production_user),
                ("order.carrier.booking", "action_void"): ("Truck broke down",),
            },
        }

    def _try_step(self, record, method, args, user):
        # Tried, then rolled back whatever it did.
        with contextlib.suppress(_Rollback), self.env.cr.savepoint():
            try:
                getattr(record.with_user(user), method)(*args)
                outcome = True
            except AccessError:
                outcome = False
            except (UserError, ValidationError):
                outcome = True
            raise _Rollback
        self.env.invalidate_all()
        return outcome

    def test_r36_every_step_is_taken_by_its_roles_only(self):
        fixtures = self._fixtures()
        args = fixtures["_args"]
        wrong = []
        for (model, method), roles in sorted(ACTIONS.items()):
            records = fixtures[model]
            record = records.get(method, records[None])
            for role in ROLES:
                allowed = self._try_step(
                    record, method, args.get((model, method), ()), self.users[role]
                )
                if allowed != (role in roles):
                    wrong.append(
                        f"{model}.{method} as {role}: "
                        f"{'allowed' if allowed else 'refused'}"
                    )
        self.assertFalse(wrong, "\n".join(wrong))

    def test_r36_audit_center_reads_every_process_record_and_changes_none(self):
        audit = self.users["audit"]
        fixtures = self._fixtures()
        for model, records in fixtures.items():
            if model == "_args":
                continue
            for record in records.values():
                with self.subTest(model=model):
                    record.with_user(audit).check_access("read")
                    record.with_user(audit).read(["display_name"])
                    with self.assertRaises(AccessError):
                        record.with_user(audit).check_access("write")


@tagged("post_install", "-at_install")
class TestMultiCompanyReports(HttpCase):
    """R36: a role user of one company neither reads nor prints another
    company's process documents, whatever the report route."""

    def _foreign_records(self, other):
        """One record of each printed model in ``other``, made as the
        process (no guard applies to the superuser)."""
        env = self.env(su=True)
        customer = env["res.partner"].create({"name": "Foreign customer"})
        product = env["product.product"].create({"name": "Foreign part"})
        order = env["sale.order"].create(
            {"partner_id": customer.id, "company_id": other.id}
        )
        order.op_state = "effective"
        production = env["mrp.production"].create(
            {"product_id": product.id, "company_id": other.id}
        )
        plan = env["order.production.plan"].create(
            {"plan_date": "2026-10-12", "company_id": other.id}
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", other.id)], limit=1
        )
        return {
            "sale.order": order,
            "mrp.production": production,
            "order.production.plan": plan,
            "order.material.plan": env["order.material.plan"].create(
                {
                    "sale_order_id": order.id,
                    "company_id": other.id,
                    "warehouse_id": warehouse.id,
                }
            ),
            "order.inspection": env["order.inspection"].create(
                {
                    "kind": "patrol",
                    "production_id": production.id,
                    "qty_checked": 1,
                    "result": "pass",
                }
            ),
            "order.production.daily.report": env[
                "order.production.daily.report"
            ].create({"plan_id": plan.id}),
            "order.fg.receipt": env["order.fg.receipt"].create(
                {"production_id": production.id, "qty_delivered": 1}
            ),
            "order.inbound.statistics": env["order.inbound.statistics"].create(
                {"company_id": other.id, "date": "2026-10-12"}
            ),
            "order.shipping.order": env["order.shipping.order"].create(
                {
                    "picking_id": env["stock.picking"]
                    .create(
                        {
                            "picking_type_id": warehouse.out_type_id.id,
                            "partner_id": customer.id,
                            "company_id": other.id,
                        }
                    )
                    .id,
                    "sale_order_id": order.id,
                    "ship_date": "2026-10-13",
                    "partner_shipping_id": customer.id,
                    "name": "D10/FOREIGN/1",
                    "base_name": "D10/FOREIGN",
                }
            ),
            "order.shipment.statistics": env["order.shipment.statistics"].create(
                {"company_id": other.id, "date": "2026-10-12"}
            ),
            "order.late.analysis": env["order.late.analysis"].create(
                {"order_id": order.id, "department": "pmc"}
            ),
            "order.monthly.review": env["order.monthly.review"].create(
                {"company_id": other.id, "month_start": "2026-09-01"}
            ),
        }

    def test_r36_reports_of_another_company_are_refused(self):
        if not self.env.ref("order_process_addon.company_demo", False):
            self.skipTest("demo data not loaded")  # make test fails on skips
        other = self.env["res.company"].create(
            {"name": "Other Co.", "op_enabled": True}
        )
        foreign = self._foreign_records(other)
        reports = self.env["ir.actions.report"].search(
            [("report_name", "=like", "order_process_addon.%")]
        )
        self.assertGreaterEqual(
            len(reports),
            11,
            "D1 to D10, D12 and D13, D5 and D6 in one (D11 is Odoo's)",
        )
        self.assertLessEqual(set(reports.mapped("model")), set(foreign))
        for login in ("audit", "pmc_manager", "quality"):
            self.authenticate(login, login)
            for report in reports:
                record = foreign[report.model]
                # Not even read through the ORM...
                user = self.env.ref(f"order_process_addon.user_{login}_demo")
                with self.assertRaises(AccessError):
                    record.with_user(user).check_access("read")
                # ... nor printed, as HTML or as PDF.
                for kind in ("html", "pdf"):
                    with self.subTest(login=login, report=report.name, kind=kind):
                        response = self.url_open(
                            f"/report/{kind}/{report.report_name}/{record.id}"
                        )
                        # 403 (HTML) or the JSON error of the PDF route.
                        self.assertIn(response.status_code, (403, 500))
                        self.assertNotIn(b"%PDF", response.content[:8])
                        self.assertNotIn(record.display_name, response.text)
        own = self.env.ref("order_process_addon.sale_order_draft_demo")
        d1 = self.env.ref("order_process_addon.action_report_order_d1")
        response = self.url_open(f"/report/html/{d1.report_name}/{own.id}")
        self.assertEqual(response.status_code, 200)


@tagged("post_install", "-at_install")
class TestWhoReadsMoney(DemoUsersCase):
    """R36: prices and amounts of sale and purchase orders only for the
    roles that handle money (docs/TRUST.md, "Who reads what")."""

    MONEY = {
        "sales",
        "customer_mgmt",
        "finance",
        "purchasing",
        "pmc_manager",
        "general_manager",
        "audit",
    }

    def _reads(self, record, names, user):
        try:
            record.with_user(user).read(names)
        except AccessError:
            return False
        return True

    def test_r36_amounts_only_for_the_roles_that_handle_money(self):
        order = self._answered_order(user_id=self.users["sales"].id)
        rfq = self._rfq()
        wrong = []
        for role in ROLES:
            user = self.users[role]
            expected = role in self.MONEY
            for record, names in (
                (order, ["amount_total", "amount_untaxed"]),
                (order.order_line, ["price_unit", "price_subtotal"]),
                (rfq, ["amount_total"]),
                (rfq.order_line, ["price_unit", "price_subtotal"]),
            ):
                if self._reads(record, names, user) != expected:
                    wrong.append(f"{role} {record._name} {names}")
            # Everyone reads the quantities and the process.
            self.assertTrue(
                self._reads(order.order_line, ["product_uom_qty"], user), role
            )
            self.assertTrue(self._reads(order, ["op_state", "name"], user), role)
        self.assertFalse(wrong, "\n".join(wrong))

    def test_r36_hidden_amounts_follow_the_roles_a_user_holds(self):
        order = self._answered_order(user_id=self.users["sales"].id)
        user = self.users["production"]
        self.assertFalse(self._reads(order, ["amount_total"], user))
        finance = self.env.ref("order_process_addon.group_finance")
        user.groups_id = [Command.link(finance.id)]
        self.assertTrue(self._reads(order, ["amount_total"], user))
        user.groups_id = [Command.unlink(finance.id)]
        self.assertFalse(self._reads(order, ["amount_total"], user))
        # Given through the group rather than the user, too.
        finance.users = [Command.link(user.id)]
        self.assertTrue(self._reads(order, ["amount_total"], user))

    def test_r36_odoo_users_outside_the_process_keep_their_amounts(self):
        salesman = self.env["res.users"].create(
            {
                "name": "Plain Salesman",
                "login": "op_plain_salesman_money",
                "groups_id": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "user_id": salesman.id}
        )
        self.assertTrue(self._reads(order, ["amount_total"], salesman))

    def test_r36_hidden_roles_open_the_order_form_without_prices(self):
        order = self._answered_order(user_id=self.users["sales"].id)
        as_quality = order.with_user(self.users["quality"])
        views = as_quality.get_views([(False, "form")])
        fields_shown = views["models"]["sale.order"]["fields"]
        self.assertNotIn("tax_totals", fields_shown)
        self.assertNotIn("price_unit", views["models"]["sale.order.line"]["fields"])
        self.assertIn("product_uom_qty", views["models"]["sale.order.line"]["fields"])
        as_sales = order.with_user(self.users["customer_mgmt"])
        views = as_sales.get_views([(False, "form")])
        self.assertIn("tax_totals", views["models"]["sale.order"]["fields"])
        self.assertIn("price_unit", views["models"]["sale.order.line"]["fields"])
        # The product order form (D2) prints no price for them.
        d2 = self.env.ref("order_process_addon.action_report_order_d2")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.users["quality"])
            ._render_qweb_html(d2.report_name, order.ids)[0]
            .decode()
        )
        self.assertNotIn("Unit Price", html)
