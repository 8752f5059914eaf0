# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One driver of the order process (issue 20, item 1).

Test-only code (the addon never imports ``tests/``): the tests, the demo
year (``demo_history``), ``make scale`` and ``make screenshots`` walk an
order through the process with it; ``make load`` runs the same step
declarations (``steps.py``) over RPC. Each step is done as the user of the
role ORDER_PROCESS.md gives (``steps.STEPS``), in the driver's company;
:meth:`Driver.at` does it at a simulated moment (freezegun, the clock of
``fields.Datetime.now`` and ``context_today``).

    driver = Driver(env, company, users)  # users: role -> res.users
    order = driver.new_order(partner, [(product, 10)], requested)
    driver.walk(order, until="shipped")
"""

import base64
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields

from ..models.vocabulary import ROLES
from .steps import STEPS

MODULE = "order_process_addon"

# How far ``walk`` goes: each stage and the method that gets there.
STAGES = (
    "registered",
    "answered",
    "effective",
    "planned",
    "received",
    "d10_approved",
    "loaded",
    "shipped",
    "paid",
)


class Driver:
    def __init__(self, env, company, users):
        self.env = env
        self.company = company
        self.users = dict(users)

    @classmethod
    def demo(cls, env, company=None):
        """The demo company and its demo role users (``user_<role>_demo``)."""
        company = company or env.ref(f"{MODULE}.company_demo")
        users = {role: env.ref(f"{MODULE}.user_{role}_demo") for role in ROLES}
        return cls(env, company, users)

    # ------------------------------------------------------------ as whom
    def as_(self, role, records):
        """``records`` as the user of ``role`` (or as the res.users ``role``),
        in the driver's company."""
        user = self.users[role] if isinstance(role, str) else role
        return records.with_user(user).with_context(
            allowed_company_ids=self.company.ids
        )

    def run(self, name, records, *args, user=None, **kwargs):
        """Step ``name`` (steps.STEPS) on ``records`` as its role's user (or
        ``user``), the reviewing department's for a review (R2)."""
        step = STEPS[name]
        role = user or step.role or self.review_role(records)
        return getattr(self.as_(role, records), step.method)(*args, **kwargs)

    def form(self, name, values):
        """The form (wizard) of step ``name`` filled with ``values`` as its
        role's user, then confirmed; returns what the step answers."""
        step = STEPS[name]
        wizard = self.as_(step.role, self.env[step.model]).create(values)
        return getattr(wizard, step.method)()

    def review_role(self, review):
        group = review.group_id
        return group.get_external_id()[group.id].split("group_")[1]

    @contextmanager
    def at(self, moment):
        """The steps inside done at ``moment`` (a UTC datetime or date)."""
        from freezegun import freeze_time

        with freeze_time(moment):
            yield

    # ------------------------------------------------------------ intake
    def new_order(self, partner, lines, requested, **vals):
        """D1: a draft order entered by Customer Management; ``lines``:
        (product, quantity) pairs."""
        return self.run(
            "create",
            self.env["sale.order"],
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "op_channel": "email",
                "op_requested_date": requested,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
                **vals,
            },
        )

    def register(self, order):
        return self.run("register", order)

    def decide(self, review, decision="approve", committed=None, reason=None):
        """One department's decision (R2, R3) as its role's user; the
        committed date only on the review that records it."""
        if decision == "approve":
            date = committed if review.records_delivery_date else None
            return self.run("approve", review, committed_date=date)
        return self.run(decision, review, reason)

    def approve_pending(self, order, committed=None):
        """Every pending review of ``order`` approved (committed: the
        order's requested date unless given)."""
        committed = committed or order.op_requested_date
        for review in order.op_review_ids.filtered(lambda r: r.state == "pending"):
            self.decide(review, committed=committed)
        return committed

    def answer(self, order, committed=None):
        """Reviews approved round after round, then the PMC planner's
        answer (R6)."""
        while order.op_state == "review":
            self.approve_pending(order, committed)
        return self.run("answer", order)

    def sign(self, order, signer="Chen Xiaojie", signed_on=None, name=None):
        """The customer's signed scan, recorded by Customer Management
        (R8): the order becomes effective."""
        return self.form(
            "sign",
            {
                "order_id": order.id,
                "scan": base64.b64encode(b"%PDF-1.4 signed order"),
                "scan_name": name or f"{order.name}-signed.pdf",
                "signed_by": signer,
                "signed_on": signed_on or fields.Datetime.now(),
            },
        )

    def cancel(self, order, reason, department, role="customer_mgmt"):
        """An effective order cancelled (R10) by ``role``'s user."""
        return self.run("cancel", order, reason, department, user=self.users[role])

    def change_date(self, order, new_date, reason, department):
        """The committed date moved (R24), through the planner's form."""
        return self.form(
            "change_date",
            {
                "order_id": order.id,
                "new_date": new_date,
                "reason": reason,
                "department": department,
            },
        )

    # ------------------------------------------------------------ planning
    def material_plan(self, order, approve=True):
        """D3: drafted from the BoMs and submitted by the material
        controller, approved by the PMC manager."""
        action = self.run("material_plan", order)
        plan = self.env["order.material.plan"].browse(action["res_id"])
        self.run("submit_material_plan", plan)
        if approve:
            self.run("approve_material_plan", plan)
        return plan

    def production(
        self, order, product, qty, deadline=None, uom=None, group=None, **extra
    ):
        """The planner's MO for ``order`` (on a procurement group of the
        order's), confirmed; ``extra``: more values of the MO (its name)."""
        group = group or self.group(order)
        bom = self.env["mrp.bom"]._bom_find(product, company_id=self.company.id)[
            product
        ]
        vals = {
            "product_id": product.id,
            "product_qty": qty,
            "product_uom_id": (uom or product.uom_id).id,
            "bom_id": bom.id,
            "company_id": self.company.id,
            "procurement_group_id": group.id,
            "origin": order.name,
            **extra,
        }
        if deadline:
            vals["date_deadline"] = deadline
        production = self.run("create_production", self.env["mrp.production"], vals)
        self.run("confirm_production", production)
        return production

    def group(self, order):
        """A procurement group of ``order``'s, as the planner makes one."""
        return (
            self.env["procurement.group"]
            .sudo()
            .create({"name": order.name, "sale_id": order.id})
        )

    def productions(self, order):
        """One MO per line of the order, on one procurement group."""
        group = self.group(order)
        mos = self.env["mrp.production"]
        for line in order.order_line.filtered("product_id"):
            mos |= self.production(
                order,
                line.product_id,
                line.product_uom_qty,
                uom=line.product_uom,
                group=group,
            )
        return mos

    def production_plan(self, mos, plan_date, approve=True):
        """D4 of ``plan_date`` submitted by the planner, approved by the
        PMC manager (R12)."""
        plan = self.run(
            "create_plan",
            self.env["order.production.plan"],
            {
                "plan_date": plan_date,
                "company_id": self.company.id,
                "production_ids": [Command.set(mos.ids)],
            },
        )
        self.run("submit_plan", plan)
        if approve:
            self.run("approve_plan", plan)
        return plan

    def release(self, plan, late_reason=None):
        """The planner releases the approved D4 (R13, R14)."""
        kwargs = {"late_reason": late_reason} if late_reason else {}
        return self.run("release_plan", plan, **kwargs)

    # ------------------------------------------------------------ production
    def start(self, mos):
        return self.run("start", mos)

    def final_test(self, mo, result="pass", sign=True):
        """D6: Quality's final test (passed), signed (R16)."""
        test = self.run(
            "final_test",
            self.env["order.final.test"],
            {"production_id": mo.id, "result": result},
        )
        if sign:
            self.run("sign_test", test)
        return test

    def deliver(self, mo):
        """Production delivers to the warehouse: the draft D8 (R17)."""
        return self.run("deliver", mo)

    def count(self, receipts, qty=None, reason=None):
        """The keeper counts (what was delivered, or ``qty``) and signs each
        D8, with Production (R17)."""
        for receipt in receipts:
            counted = receipt.qty_delivered if qty is None else qty
            args = (counted, self.users["production"]) + ((reason,) if reason else ())
            self.run("count_receipt", receipt, *args)

    def finish(self, mos):
        return self.run("finish", mos.with_context(skip_backorder=True))

    def produce(self, mos, count=True):
        """Started, tested, delivered (the D8s, returned), then counted and
        finished unless not ``count``."""
        receipts = self.env["order.fg.receipt"]
        for mo in mos:
            self.start(mo)
            self.final_test(mo)
            receipts |= self.deliver(mo)
        if count:
            self.count(receipts)
            self.finish(mos)
        return receipts

    # ------------------------------------------------------------ shipping
    def delivery(self, order):
        """The order's open delivery."""
        return order.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
        )[:1]

    def d10(self, picking, ship_date, approve=True, **vals):
        """D10 opened, filled and issued by Customer Management, approved
        by the PMC clerk (R23)."""
        action = self.run("new_d10", picking)
        d10 = self.as_("customer_mgmt", self.env["order.shipping.order"])
        d10 = d10.browse(action["res_id"])
        d10.write({"ship_date": ship_date, "contact_name": "Ms. Wang", **vals})
        self.run("issue_d10", d10)
        if approve:
            self.run("approve_d10", d10)
        return d10

    def carrier(self, picking, contract, plate="粤S 12345"):
        """The carrier's vehicle booked on ``contract`` and arrived (R27)."""
        action = self.run("book_carrier", picking)
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["fg_warehouse"])
            .with_context(action["context"], allowed_company_ids=self.company.ids)
            .create({"contract_id": contract.id, "vehicle_plate": plate})
        )
        wizard.action_book()
        self.run("vehicle_arrived", picking)

    def pick(self, picking, assign=False):
        """The delivery's quantities picked in full (reserved first when
        ``assign``)."""
        if assign:
            picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True

    def loading_check(self, picking, loader, sign=True):
        """D11 started by the keeper, every line and requirement checked,
        signed by ``loader`` (a res.users) and the keeper (R26)."""
        action = self.run("start_loading", picking)
        check = self.as_("fg_warehouse", self.env["order.loading.check"])
        check = check.browse(action["res_id"])
        check.line_ids.write({"checked": True})
        check.requirement_ids.write({"checked": True})
        self.run("sign_loader", check, user=loader)
        if sign:
            self.run("sign_keeper", check)
        return check

    def gate_check(self, picking, plate="粤S 12345", seal="S-889"):
        """Administration's gate check passed (R27)."""
        return self.run(
            "gate_check",
            self.env["order.gate.check"],
            {
                "picking_id": picking.id,
                "vehicle_plate": plate,
                "seal_number": seal,
                "result": "pass",
            },
        )

    def ship(self, picking):
        """The keeper validates the delivery (Odoo's SMS question answered
        'no', no backorder); raises when it is not done."""
        result = self.run(
            "ship", picking.with_context(skip_backorder=True, skip_sms=True)
        )
        if picking.state != "done":
            raise RuntimeError(f"{picking.name} not validated: {result}")
        return result

    def d12(self, d12):
        """The day's D12 prepared by the keeper, signed by the PMC manager
        (R28)."""
        self.run("prepare_d12", d12)
        self.run("sign_d12", d12)
        return d12

    # ------------------------------------------------------------ money
    def invoice(self, order):
        """Finance invoices what was shipped and posts it (R19)."""
        invoice = self.run("invoice", order, final=True)
        self.run("post_invoice", invoice)
        return invoice

    def pay(self, invoice):
        """The customer's payment registered by Finance (R20)."""
        register = self.as_("finance", self.env["account.payment.register"])
        register.with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({}).action_create_payments()

    # ------------------------------------------------------------ walk
    def contract(self):
        """A carrier contract of the company covering today."""
        today = fields.Date.context_today(self.env["res.users"])
        Contract = self.env["order.carrier.contract"]
        return Contract.search(
            [
                ("company_id", "=", self.company.id),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ],
            limit=1,
        )

    def working_day(self, days, start=None):
        """The working date ``days`` working days after ``start`` (the
        company's today), from the company's calendar."""
        calendar = self.env["res.company"]._op_calendar(self.company)
        start = start or fields.Date.context_today(
            self.env["res.users"].with_context(tz=calendar.tz)
        )
        dates = calendar.op_working_dates(
            start + timedelta(days=1), start + timedelta(days=3 * days + 30)
        )
        return sorted(dates)[days - 1]

    def walk(self, order, until="shipped", loader=None, material_plan=True):
        """``order`` (a draft) through the process up to the stage
        ``until`` (STAGES); returns a dict of what each step made."""
        last = STAGES.index(until)
        made = {"order": order}

        def reached(stage):
            return STAGES.index(stage) <= last

        self.register(order)
        if not reached("answered"):
            return made
        self.answer(order)
        if not reached("effective"):
            return made
        self.sign(order)
        if not reached("planned"):
            return made
        if material_plan:
            made["d3"] = self.material_plan(order)
        made["mos"] = self.productions(order)
        made["d4"] = self.production_plan(made["mos"], self.working_day(1))
        self.release(made["d4"])
        if not reached("received"):
            return made
        made["receipts"] = self.produce(made["mos"])
        picking = made["picking"] = self.delivery(order)
        if not reached("d10_approved"):
            return made
        made["d10"] = self.d10(picking, self.working_day(3))
        if not reached("loaded"):
            return made
        self.carrier(picking, self.contract())
        made["d11"] = self.loading_check(picking, loader or self.users["pmc_manager"])
        if not reached("shipped"):
            return made
        self.gate_check(picking)
        self.pick(picking)
        self.ship(picking)
        if reached("paid"):
            made["invoice"] = self.invoice(order)
            self.pay(made["invoice"])
        return made
