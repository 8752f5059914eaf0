# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A year of order history for the demo company (issue 10, item 8).

Every order runs through the real flows as the demo role users, at the
simulated time (freezegun moves the clock: ``fields.Datetime.now`` and
``context_today`` are historical; ``create_date`` stays real): registration,
the departments' reviews, the answer, the customer's signature, the D4 plan
(submitted, approved, released), the MO (started, final test, delivered
to the warehouse, counted D8, finished), the D10 shipping order, the D11
loading check, the gate check, the carrier's vehicle and the delivery;
then Finance invoices what was shipped (Odoo's own invoicing from the
order, posted) and registers the customer's payment (Odoo's payment
register) when the customer pays: most by the invoice's due date, some
late, a few not yet.

Each order draws a profile from a seeded ``random.Random``: most run on
time; some are late for one department's reason (a slow review, a late
plan or release, slow production, a late final-test signature, a late
count, a late shipment), some are rescheduled (at the customer's request or
the company's), some cancelled by the customer (before or after the
signature) and a few by the company. The KPI facts (R29, R30) are what the
flows compute; nothing is written to them here.

The scheduled jobs run as the simulation goes, every working day: the
nightly scoring of orders open past due, the at-risk flag (whose flags are
recorded to measure the estimate), the D13 late analyses. Each D13 the job
opens is written by its responsible department (R30): most within their 24
working hours, a few after (late), a few never (missing, escalated by the
job); the PMC manager accepts those submitted.

The paperwork (D13s, invoices, payments) draws from a random generator of
its own: the orders, their steps and so their KPI facts are the same with
or without it (``paperwork=False``).

``seed(env, company, orders=..., months=..., seed=...)`` returns the
statistics; scripts/seed_history.py runs it on the demo database, the test
(tests/test_demo_history.py) on a few orders.
"""

import heapq
import itertools
import random
import time
from collections import Counter
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields

from ..models.vocabulary import DEPARTMENT_ROLES

# The real clock, out of freezegun's reach (it swaps module globals that
# are time functions, not a list's items).
_CLOCK = [time.perf_counter]

MODULE = "order_process_addon"
MADE_PRODUCTS = [
    "product_foam_gasket_demo",
    "product_conductive_tape_demo",
    "product_vent_membrane_demo",
]
# Customers who do not pay before shipment (the prepaying one would need
# its payment before the delivery: outside this history). Their invoices
# are paid after shipment, on their payment terms.
CUSTOMERS = ["partner_huaxing_demo", "partner_lianchuang_demo", "partner_huake_demo"]

# How the responsible department handles a D13 (R30): written within its 24
# working hours, written after its deadline, or not written (escalated).
ANALYSIS = [("on_time", 0.80), ("late", 0.10), ("missing", 0.10)]
# How a customer pays an invoice: by its due date, late, or not yet (open
# or overdue at the end of the history).
PAYMENT = [("on_time", 0.82), ("late", 0.12), ("unpaid", 0.06)]
# What each department writes in its D13 (cause category, root cause,
# improvement measures), as its people would, in Chinese.
ANALYSIS_TEXT = {
    "production": (
        "equipment",
        "模切机刀模磨损断裂，停机换刀两天，后续订单排产顺延。",
        "建立刀模寿命台账，每周点检；关键刀模各备一套。",
    ),
    "quality": (
        "quality",
        "最终检测排队，检测中心人手不足，签核晚了两天。",
        "检测中心增加晚班检测员；交期紧的订单优先检测。",
    ),
    "warehouse": (
        "logistics",
        "成品到仓后未及时清点签收，出货准备推迟。",
        "成品仓每日上午、下午各清点交接一次，当班签收。",
    ),
    "pmc": (
        "planning",
        "生产计划未按时下达，物料齐套确认晚了。",
        "计划员每日 07:50 前下达当日计划；缺料订单提前一周预警。",
    ),
    "purchasing": (
        "material",
        "OEM 物料供应商延迟交货。",
        "关键物料开发第二供应商，采购每周跟踪交期。",
    ),
    "technical": (
        "technical",
        "特殊要求的技术评审等待客户图纸确认。",
        "评审时一次列出所需资料，由跟单员当天向客户索取。",
    ),
    "customer_mgmt": (
        "other",
        "出货单开立晚，仓库未能按期备货。",
        "跟单员在货物入库当天开立出货单。",
    ),
    "customer": (
        "customer",
        "客户临时变更交货要求。",
        "变更须书面确认并同步调整承诺交期。",
    ),
}
ANALYSIS_DEFAULT = (
    "other",
    "部门内部交接延误。",
    "明确交接责任人，每日例会跟进。",
)

# Probabilities of each profile (one reason at most per order).
PROFILE = [
    ("cancel_before_sign", 0.04),  # the customer withdraws the quotation
    ("cancel_customer", 0.03),  # the customer cancels after signing
    ("cancel_company", 0.01),  # the company cancels (no capacity)
    ("slow_review", 0.03),  # a department decides after its deadline
    ("late_plan", 0.025),  # D4 submitted after its 1-working-day deadline
    ("late_release", 0.02),  # the plan released after 07:50
    ("late_production", 0.04),  # the MO finishes after its deadline
    ("late_quality", 0.025),  # the final test signed days after the test
    ("late_receipt", 0.02),  # the keeper counts days after the delivery
    ("late_shipping", 0.02),  # shipped after the due date, goods ready
    ("reschedule_customer", 0.03),  # the customer moves the date later
    ("reschedule_company", 0.015),  # production asks for a later date
]


def _ref(env, xmlid):
    return env.ref(f"{MODULE}.{xmlid}")


class _Everyone(set):
    def __contains__(self, _key):
        return True


class History:
    """The simulation: a clock, an event queue of order lifecycles
    (generators that yield the UTC datetime at which they continue) and the
    daily jobs."""

    def __init__(
        self,
        env,
        company,
        orders,
        months,
        seed,
        end=None,
        quiet_days=0,
        profiles=None,
        strict=False,
        risk_every=5,
        paperwork=True,
        log=None,
        checkpoint=None,
    ):
        # The company's day, not the caller's time zone: R23 and R37 read
        # "today" (context_today) against the working calendar's dates.
        self.env = env(
            context=dict(
                env.context,
                tz=env["res.company"]._op_calendar(company).tz or "UTC",
                tracking_disable=True,
                mail_notrack=True,
                mail_create_nolog=True,
                allowed_company_ids=company.ids,
            )
        )
        self.company = company.with_env(self.env)
        self.rng = random.Random(seed)
        # The paperwork's own draws: the orders' draws stay what they were.
        self.paperwork = paperwork
        self.paper = random.Random(f"{seed}-paperwork")
        self.count = orders
        self.end = end or fields.Datetime.now()
        self.start = self.end - timedelta(days=round(months * 30.44))
        # No new order in the last ``quiet_days`` (all have time to finish).
        self.quiet_days = quiet_days
        # A fixed sequence of profiles (cycled) instead of drawn ones.
        self.forced = list(profiles or [])
        self.strict = strict
        # The at-risk job every ``risk_every`` working days (weekly by
        # default: daily would triple the time of a year).
        self.risk_every = max(1, risk_every)
        # The to-dos are created as the steps make them; their assignees'
        # notices (mails) of a year ago are not queued: the process's
        # "told once per document" set answers "already told" for all.
        self.env.cr.precommit.data["order_process_addon.activity_notified"] = (
            _Everyone()
        )
        self.log = log or (lambda *_a: None)
        # BEGIN firstrun stand-in for the driver branch's checkpoint (issue 20,
        # item 4): the lead keeps the driver's version at the merge.
        self.checkpoint = checkpoint
        # END firstrun stand-in
        self.calendar = self.env["res.company"]._op_calendar(company)
        self.users = {
            role: _ref(self.env, f"user_{role}_demo")
            for role in (
                "customer_mgmt",
                "sales",
                "pmc_planner",
                "pmc_manager",
                "production",
                "quality",
                "fg_warehouse",
                "pmc_clerk",
                "administration",
            )
        }
        for xmlid in (
            "user_technical_demo",
            "user_pmc_material_demo",
            "user_purchasing_demo",
            "user_finance_demo",
        ):
            user = _ref(self.env, xmlid)
            self.users[xmlid[5:-5]] = user
        self.products = [_ref(self.env, x) for x in MADE_PRODUCTS]
        self.customers = [_ref(self.env, x) for x in CUSTOMERS]
        self.queue = []
        self.serial = itertools.count()
        self.flagged = set()  # fact ids ever flagged at risk before due
        self.profiles = Counter()
        self.errors = Counter()
        if paperwork:
            self.ensure_accounting()

    # ------------------------------------------------------------ clock
    def as_(self, role, records):
        return records.with_user(self.users[role]).with_context(
            allowed_company_ids=self.company.ids
        )

    def local(self, day, hour):
        return self.calendar.op_local_datetime(day, hour)

    def after(self, dt, days=0.0, hours=0.0):
        """``days`` working days and ``hours`` working hours after ``dt``."""
        return self.calendar.op_plan_working_time(dt, days=days, hours=hours)

    def day_of(self, dt):
        return self.env["order.kpi.fact"]._op_local_date(self.calendar, dt)

    def working_days(self):
        return sorted(
            self.calendar.op_working_dates(
                self.day_of(self.start), self.day_of(self.end)
            )
        )

    def schedule(self, when, gen):
        heapq.heappush(self.queue, (when, next(self.serial), gen))

    # ------------------------------------------------------------ run
    def run(self):
        t0 = _CLOCK[0]()
        days = self.working_days()
        last = self.day_of(self.end) - timedelta(days=max(self.quiet_days, 4))
        open_days = [day for day in days if day <= last]
        # Arrivals: spread over the working days, at office hours.
        arrival_days = sorted(self.rng.choice(open_days) for _i in range(self.count))
        for day in arrival_days:
            when = self.local(day, self.rng.uniform(8.5, 16.0))
            self.schedule(when, self.lifecycle(when))
        for index, day in enumerate(days):
            if not index % self.risk_every:
                self.schedule(self.local(day, 7.0), self.morning_jobs())
            self.schedule(self.local(day, 17.5), self.nightly_jobs())
        done = 0
        month = None
        with freeze_time(self.start) as clock:
            while self.queue and self.queue[0][0] <= self.end:
                when, _n, gen = heapq.heappop(self.queue)
                clock.move_to(when)
                # BEGIN firstrun stand-in (see __init__): after each simulated
                # day's work is flushed, checkpoint(day, started, total).
                today = self.day_of(when)
                if self.checkpoint and today != getattr(self, "_day", today):
                    self.env.flush_all()
                    self.checkpoint(self._day, sum(self.profiles.values()), self.count)
                self._day = today
                # END firstrun stand-in
                if when.strftime("%Y-%m") != month:
                    month = when.strftime("%Y-%m")
                    self.log(
                        f"{month}: {sum(self.profiles.values())} orders so far,"
                        f" {_CLOCK[0]() - t0:.0f} s"
                    )
                try:
                    with self.env.cr.savepoint():
                        later = next(gen, None)
                except Exception as error:
                    # A step refused: the order stops there (its step is
                    # rolled back); counted, raised when strict (tests).
                    if self.strict:
                        raise
                    self.errors[f"{type(error).__name__}: {error}"[:120]] += 1
                    self.env.invalidate_all()
                    continue
                if later is None:  # the order's last step is done
                    done += 1
                    continue
                self.schedule(max(later, when), gen)
                if not _n % 500:
                    self.env.flush_all()
                    self.env.invalidate_all()
            # The steps that would come after today are left open.
            clock.move_to(self.end)
            self.env["order.kpi.fact"]._cron_turn_late()
        self.env.flush_all()
        # BEGIN firstrun stand-in (see __init__): the last day.
        if self.checkpoint:
            self.checkpoint(
                self.day_of(self.end), sum(self.profiles.values()), self.count
            )
        # END firstrun stand-in
        self.seconds = _CLOCK[0]() - t0
        return self.stats()

    def morning_jobs(self):
        """The daily at-risk flag before work starts: the flags of open
        orders not yet due are recorded."""
        Fact = self.env["order.kpi.fact"]
        Fact._cron_flag_at_risk()
        today = fields.Date.context_today(Fact)
        self.flagged.update(
            Fact.search(
                [
                    ("company_id", "=", self.company.id),
                    ("at_risk", "=", True),
                    ("due_date", ">=", today),
                ]
            ).ids
        )
        return
        yield  # a generator with one step

    def nightly_jobs(self):
        self.env["order.kpi.fact"]._cron_turn_late()
        opened = self.env["order.late.analysis"]._cron_open_and_escalate()
        if self.paperwork:
            for analysis in opened:
                self.schedule(fields.Datetime.now(), self.late_analysis(analysis))
        return
        yield

    # ------------------------------------------------------------ order
    def draw(self):
        if self.forced:
            return self.forced[sum(self.profiles.values()) % len(self.forced)]
        roll = self.rng.random()
        for name, share in PROFILE:
            if roll < share:
                return name
            roll -= share
        return "normal"

    def lifecycle(self, arrived):
        """One order, step by step; each ``yield`` waits until then."""
        rng = self.rng
        profile = self.draw()
        self.profiles[profile] += 1
        Order = self.as_("customer_mgmt", self.env["sale.order"])
        product = rng.choice(self.products)
        qty = rng.choice([500, 1000, 2000, 3000, 5000])
        # The customer asks for 4-6 weeks; the company commits to that date
        # (the normal path takes at most ~17 working days).
        requested = self.day_of(arrived) + timedelta(days=rng.randint(27, 42))
        order = Order.create(
            {
                "partner_id": rng.choice(self.customers).id,
                "company_id": self.company.id,
                "user_id": self.users["sales"].id,
                "op_channel": "email",
                "client_order_ref": f"PO-{rng.randint(10000, 99999)}",
                "op_requested_date": requested,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_op_register()
        yield from self.reviews(order, profile, requested)
        self.as_("pmc_planner", order).action_op_answer()
        # The customer signs 1-3 working days later, or withdraws.
        yield self.after(fields.Datetime.now(), days=rng.uniform(0.5, 3.0))
        if profile == "cancel_before_sign":
            self.as_("customer_mgmt", order).action_cancel()
            return
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{order.name}-signed.pdf",
                "raw": b"%PDF-1.4 signed order",
                "res_model": "sale.order",
                "res_id": order.id,
            }
        )
        self.as_("customer_mgmt", order)._op_record_signed_scan(
            attachment,
            rng.choice(["Chen Xiaojie", "Li Wei", "Zhang Min"]),
            fields.Datetime.now(),
        )
        due = order.op_committed_date
        if profile in ("cancel_customer", "cancel_company"):
            yield self.after(fields.Datetime.now(), days=rng.uniform(2, 6))
            if profile == "cancel_customer":
                self.as_("customer_mgmt", order).action_op_cancel(
                    "The customer's project was stopped", "customer"
                )
            else:
                self.as_("pmc_manager", order).action_op_cancel(
                    "No capacity for this order in the period", "production"
                )
            return
        target = yield from self.produce(order, profile, product, qty, due)
        shipped = yield from self.shipping(order, profile, target)
        if shipped and self.paperwork:
            yield from self.invoice_and_collect(order)

    def reviews(self, order, profile, requested):
        rng = self.rng
        # Reviews: each department decides within its deadline, unless
        # this order's review is the slow one.
        yield self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 3.0))
        slow = None
        rounds = 0
        while order.op_state == "review" and rounds < 5:
            rounds += 1
            pending = order.op_review_ids.filtered(lambda r: r.state == "pending")
            if profile == "slow_review" and slow is None and pending:
                slow = rng.choice(pending)
            for review in pending:
                if review == slow:
                    continue
                self.approve(order, review, requested)
            if slow and slow.state == "pending":
                # Past its deadline, around when the rest of the path no
                # longer fits before the requested date.
                yield self.late(
                    self.after(slow.deadline or fields.Datetime.now(), days=2),
                    requested,
                    -14,
                    -6,
                )
                self.approve(order, slow, requested)
            yield self.after(fields.Datetime.now(), hours=0.5)

    def produce(self, order, profile, product, qty, due):
        """D4 plan, MO, final test, count: returns the date to ship for."""
        rng = self.rng
        # Planning: D4 within 1 working day of the signature (R12).
        if profile == "late_plan":
            yield self.late(self.after(order.op_effective_on, days=2), due, -11, -4)
        else:
            yield self.after(order.op_effective_on, days=rng.uniform(0.1, 0.8))
        # Reschedules: the customer moves the date (the production follows
        # the new date); or production asks for more time.
        if profile in ("reschedule_customer", "reschedule_company"):
            later = due + timedelta(days=rng.randint(7, 14))
            department = (
                "customer" if profile == "reschedule_customer" else ("production")
            )
            reason = (
                "The customer moved the line trial"
                if department == "customer"
                else "Die-cutting machine under repair"
            )
            self.as_("pmc_planner", order)._op_change_committed_date(
                later, reason, department
            )
        target = order.op_committed_date
        production = self.make_production(order, product, qty, target)
        # Approved within a few working hours, released at once: the plan is
        # for the working day after the approval.
        approve_at = self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 2.0))
        next_day = self.next_working_day(self.day_of(approve_at))
        plan = self.as_("pmc_planner", self.env["order.production.plan"]).create(
            {
                "plan_date": next_day,
                "company_id": self.company.id,
                "production_ids": [Command.set(production.ids)],
            }
        )
        plan.action_submit()
        yield approve_at
        self.as_("pmc_manager", plan).action_approve()
        if profile == "late_release":
            # Material missing: released days after the plan's day.
            release_at = self.late(self.local(next_day, 10.0), due, -10, -4)
            next_day = self.day_of(release_at)
            yield release_at
            self.as_("pmc_planner", plan).action_release(
                late_reason="Material arrived late"
            )
        else:
            self.as_("pmc_planner", plan).action_release()
        # Production: starts on the plan's day, takes 4-9 working days (or
        # much longer when it runs late, past the MO's deadline).
        yield max(fields.Datetime.now(), self.local(next_day, 8.5))
        self.as_("production", production).action_start()
        span = self.after(fields.Datetime.now(), days=rng.uniform(4, 9))
        if profile in ("late_production", "reschedule_company"):
            # Past the MO's deadline (3 working days before the date).
            span = self.late(span, due, -2, 4)
        elif profile == "reschedule_customer":
            # The customer's later date: produced for that date.
            span = self.late(span, target, -5, -3)
        yield span
        test = self.as_("quality", self.env["order.final.test"]).create(
            {"production_id": production.id, "result": "pass"}
        )
        if profile == "late_quality":
            yield self.late(self.after(fields.Datetime.now(), days=2), due, -2, 4)
        else:
            yield self.after(fields.Datetime.now(), hours=rng.uniform(1, 4))
        self.as_("quality", test).action_sign()
        yield self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 2))
        receipt = self.as_("production", production)._op_deliver_to_warehouse()
        if profile == "late_receipt":
            yield self.late(self.after(fields.Datetime.now(), days=2), due, -2, 4)
        else:
            yield self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 3))
        self.as_("fg_warehouse", receipt).action_count_and_sign(
            receipt.qty_delivered, self.users["production"]
        )
        self.as_("production", production).with_context(
            skip_backorder=True
        ).button_mark_done()
        return target

    def shipping(self, order, profile, target):
        rng = self.rng
        # Shipping: the D10 for the due date (or the next working day when
        # the goods are late), one working day ahead at least (R23).
        picking = order.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
        )[:1]
        if not picking:
            self.errors["no delivery"] += 1
            return
        today = self.day_of(fields.Datetime.now())
        earliest = self.next_working_day(today)
        ship = self.previous_working_day(target + timedelta(days=1))
        ship = max(ship - timedelta(days=rng.randint(0, 3)), earliest)
        ship = self.next_working_day(ship - timedelta(days=1))
        if profile == "late_shipping":
            ship = self.calendar_day_after(max(target, earliest), rng.randint(2, 6))
        d10 = self.as_("customer_mgmt", self.env["order.shipping.order"]).browse(
            self.as_("customer_mgmt", picking).action_op_new_shipping_order()["res_id"]
        )
        d10.write({"ship_date": ship, "contact_name": "Ms. Wang"})
        d10.action_issue()
        yield self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 2))
        self.as_("pmc_clerk", d10).action_approve()
        # Shipping day: loading (two signatures), the gate, the carrier.
        yield max(fields.Datetime.now(), self.local(ship, 9.0))
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        action = self.as_("fg_warehouse", picking).action_op_start_loading()
        check = self.as_("fg_warehouse", self.env["order.loading.check"]).browse(
            action["res_id"]
        )
        check.line_ids.write({"checked": True})
        check.requirement_ids.write({"checked": True})
        self.as_("pmc_manager", check).action_sign_loader()
        check.action_sign_keeper()
        self.book_vehicle(picking)
        self.as_("administration", self.env["order.gate.check"]).create(
            {
                "picking_id": picking.id,
                "vehicle_plate": "粤S 12345",
                "seal_number": f"S-{rng.randint(100, 999)}",
                "result": "pass",
            }
        )
        yield self.after(fields.Datetime.now(), hours=rng.uniform(0.5, 1.5))
        result = (
            self.as_("fg_warehouse", picking)
            .with_context(skip_backorder=True, skip_sms=True)
            .button_validate()
        )
        if picking.state != "done":
            raise RuntimeError(f"{picking.name} not validated: {result}")
        return True

    # ------------------------------------------------------------ paperwork
    def late_analysis(self, analysis):
        """D13 (R30): the responsible department writes it within its 24
        working hours, or after its deadline, or not at all (the nightly job
        escalates it); the PMC manager accepts what was submitted."""
        rng = self.paper
        way = self.pick(ANALYSIS)
        if way == "missing":
            return
        if way == "late":
            yield self.after(analysis.deadline, hours=rng.uniform(4.0, 16.0))
        else:
            yield self.after(fields.Datetime.now(), hours=rng.uniform(1.0, 16.0))
        if analysis.state != "draft":
            return
        role = next(
            role
            for role in DEPARTMENT_ROLES.get(analysis.department, ("pmc_planner",))
            if role in self.users
        )
        category, cause, measures = ANALYSIS_TEXT.get(
            analysis.department, ANALYSIS_DEFAULT
        )
        writer = self.as_(role, analysis)
        writer.write(
            {
                "cause_category": category,
                "root_cause": cause,
                "measures": measures,
                "measure_owner_id": self.users[role].id,
                "measure_date": self.day_of(fields.Datetime.now())
                + timedelta(days=rng.randint(14, 30)),
            }
        )
        writer.action_submit()
        yield self.after(fields.Datetime.now(), hours=rng.uniform(1.0, 8.0))
        self.as_("pmc_manager", analysis).action_accept()

    def invoice_and_collect(self, order):
        """Finance invoices what was shipped a working day or two later
        (Odoo's invoicing from the order, the delivered quantities), posts
        the invoice, and registers the customer's payment when it comes
        (Odoo's payment register): by the due date of the customer's terms,
        some late, a few not within the history (R19, R20)."""
        rng = self.paper
        yield self.after(fields.Datetime.now(), days=rng.uniform(0.3, 2.0))
        # Odoo creates the invoice as the process (sudo); Finance posts it.
        invoice = self.as_("finance", order)._create_invoices(final=True)
        invoice = self.as_("finance", invoice)
        invoice.action_post()
        way = self.pick(PAYMENT)
        if way == "unpaid":
            return
        due = invoice.invoice_date_due or invoice.invoice_date
        if way == "late":
            day = due + timedelta(days=rng.randint(10, 45))
        else:
            early = min(8, (due - invoice.invoice_date).days)
            day = (
                due
                - timedelta(days=rng.randint(0, early))
                + timedelta(days=rng.randint(0, 3))
            )
        day = self.next_working_day(day - timedelta(days=1))
        yield max(fields.Datetime.now(), self.local(day, rng.uniform(9.0, 16.0)))
        self.as_("finance", self.env["account.payment.register"]).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({}).action_create_payments()

    def pick(self, shares):
        roll = self.paper.random()
        for name, share in shares:
            if roll < share:
                return name
            roll -= share
        return shares[-1][0]

    def ensure_accounting(self):
        """The demo company's chart of accounts (its sales journal, bank
        and receivable accounts), which the demo data asks for before the
        registry is complete at install and so does not get."""
        company = self.company.sudo()
        if not company.chart_template:
            self.env["account.chart.template"].sudo().try_loading(
                "generic_coa", company, install_demo=False
            )

    # ------------------------------------------------------------ steps
    def approve(self, order, review, committed):
        group = review.group_id.get_external_id()[review.group_id.id]
        role = group.split("group_")[1]
        user = self.users.get(role) or _ref(self.env, f"user_{role}_demo")
        review.with_user(user).with_context(
            allowed_company_ids=self.company.ids
        ).action_approve(
            committed_date=committed if review.records_delivery_date else None
        )

    def make_production(self, order, product, qty, target):
        """The planner's MO for the order, due a few working days before
        the committed date (final test, count and shipping after it)."""
        env = self.as_("pmc_planner", self.env["mrp.production"]).env
        group = (
            self.env["procurement.group"]
            .sudo()
            .create({"name": order.name, "sale_id": order.id})
        )
        bom = self.env["mrp.bom"]._bom_find(product, company_id=self.company.id)[
            product
        ]
        deadline = self.local(self.previous_working_day(target, back=3), 17.0)
        production = env["mrp.production"].create(
            {
                "product_id": product.id,
                "product_qty": qty,
                "product_uom_id": product.uom_id.id,
                "bom_id": bom.id,
                "company_id": self.company.id,
                "procurement_group_id": group.id,
                "origin": order.name,
                "date_deadline": deadline,
            }
        )
        production.action_confirm()
        return production

    def book_vehicle(self, picking):
        contract = self.contract()
        action = self.as_("fg_warehouse", picking).action_op_book_carrier()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["fg_warehouse"])
            .with_context(action["context"], allowed_company_ids=self.company.ids)
            .create({"contract_id": contract.id, "vehicle_plate": "粤S 12345"})
        )
        wizard.action_book()
        self.as_("fg_warehouse", picking).action_op_confirm_vehicle_arrival()

    def contract(self):
        """The carrier contract of the year (the demo one starts six months
        ago): made by the warehouse once."""
        if getattr(self, "_contract", None):
            return self._contract
        Contract = self.as_("fg_warehouse", self.env["order.carrier.contract"])
        start = self.day_of(self.start)
        self._contract = Contract.search(
            [
                ("company_id", "=", self.company.id),
                ("date_start", "<=", start),
                ("date_end", ">=", self.day_of(self.end)),
            ],
            limit=1,
        ) or Contract.create(
            {
                "name": "CT-HIST",
                "partner_id": _ref(self.env, "partner_carrier_demo").id,
                "company_id": self.company.id,
                "date_start": start - timedelta(days=7),
                "date_end": self.day_of(self.end) + timedelta(days=365),
            }
        )
        return self._contract

    def next_working_day(self, day):
        return min(
            self.calendar.op_working_dates(
                day + timedelta(days=1), day + timedelta(days=20)
            )
        )

    def late(self, earliest, due, low, high):
        """A late step: ``low``..``high`` working days from ``due`` (negative:
        before), at office hours, not before ``earliest``. Some late steps
        are absorbed by the slack of the order, most make it late."""
        shift = self.rng.randint(low, high)
        if shift >= 0:
            day = self.calendar_day_after(due, shift) if shift else due
        else:
            day = self.previous_working_day(due, back=-shift)
        return max(earliest, self.local(day, self.rng.uniform(9.0, 16.0)))

    def calendar_day_after(self, day, working_days):
        """The working date ``working_days`` working days after ``day``."""
        for _i in range(working_days):
            day = self.next_working_day(day)
        return day

    def previous_working_day(self, day, back=1):
        working = self.calendar.op_working_dates(day - timedelta(days=40), day)
        earlier = sorted(d for d in working if d < day)
        return earlier[-back]

    # ------------------------------------------------------------ results
    def stats(self):
        Fact = self.env["order.kpi.fact"].sudo()
        facts = Fact.search([("company_id", "=", self.company.id)])
        flagged = Fact.browse(sorted(self.flagged)) & facts
        late = facts.filtered(
            lambda f: f.status == "failed" and f.failure_cause in ("late", "open")
        )
        months = Counter(
            f.due_date.strftime("%Y-%m") for f in facts if f.due and f.due_date
        )
        return {
            "orders": self.count,
            "seconds": round(getattr(self, "seconds", 0.0), 1),
            "profiles": dict(self.profiles),
            "errors": dict(self.errors),
            "facts": len(facts),
            "status": dict(Counter(facts.mapped("status"))),
            "departments": dict(
                Counter(
                    f.responsible_department
                    for f in facts
                    if f.status == "failed" and f.responsible_department
                )
            ),
            "months_due": dict(sorted(months.items())),
            "late": len(late),
            "late_flagged": len(late & flagged),
            "flagged": len(flagged),
            "flagged_on_time": len(flagged.filtered(lambda f: f.status == "achieved")),
            "flagged_open": len(flagged.filtered(lambda f: f.status == "open")),
            "late_analyses": self.analysis_stats(),
            "invoices": self.invoice_stats(),
        }

    def analysis_stats(self):
        """The D13s (R30): written on time, late, missing and escalated,
        still to write before their deadline."""
        analyses = (
            self.env["order.late.analysis"]
            .sudo()
            .search([("company_id", "=", self.company.id)])
        )
        written = analyses.filtered(lambda a: a.state != "draft")
        draft = analyses - written
        return {
            "opened": len(analyses),
            "on_time": len(written.filtered(lambda a: not a.submitted_late)),
            "late": len(written.filtered("submitted_late")),
            "missing_escalated": len(draft.filtered("escalated")),
            "to_write": len(draft.filtered(lambda a: not a.escalated)),
            "accepted": len(written.filtered(lambda a: a.state == "accepted")),
            "escalated": len(analyses.filtered("escalated")),
        }

    def invoice_stats(self):
        """The customer invoices of the process's orders and what Finance's
        two lists hold (in the company's currency)."""
        today = self.day_of(self.end)
        invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("op_active", "=", True),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                ]
            )
        )
        unpaid = invoices.filtered(lambda m: m.payment_state in ("not_paid", "partial"))
        overdue = unpaid.filtered(
            lambda m: m.invoice_date_due and m.invoice_date_due < today
        )
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company.id),
                    ("op_shipped_not_invoiced", "=", True),
                ]
            )
        )
        return {
            "posted": len(invoices),
            "paid": len(invoices) - len(unpaid),
            "open": len(unpaid) - len(overdue),
            "overdue": len(overdue),
            "invoiced_not_paid": round(sum(unpaid.mapped("amount_residual")), 2),
            "shipped_not_invoiced_lines": len(lines),
            "shipped_not_invoiced": round(
                sum(lines.mapped("op_amount_shipped_not_invoiced")), 2
            ),
        }


def seed(env, company=None, orders=320, months=12, seed=2026, **options):
    """Run a history of ``orders`` orders over ``months`` months ending now
    (or ``end``) for ``company`` (the demo company); returns the stats.
    Options: ``end``, ``quiet_days``, ``profiles``, ``strict``,
    ``risk_every``, ``paperwork``, ``log``, ``checkpoint`` (History)."""
    company = company or _ref(env, "company_demo")
    return History(env, company, orders, months, seed, **options).run()


def at_risk_summary(stats):
    """The at-risk check (issue 10, item 4) in one line."""
    late, hit = stats["late"], stats["late_flagged"]
    flagged, ok = stats["flagged"], stats["flagged_on_time"]
    decided = hit + ok
    return (
        f"{late} orders turned out late, {hit} of them flagged at risk before"
        f" their due date (recall {100.0 * hit / late if late else 0:.0f} %);"
        f" {flagged} orders flagged, {ok} of which finished on time"
        f" (precision {100.0 * hit / decided if decided else 0:.0f} % of the"
        f" flagged orders that are done or late)"
    )


def paperwork_summary(stats):
    """The D13s and Finance's lists after the history, in one line."""
    d13, money = stats["late_analyses"], stats["invoices"]
    return (
        f"{d13['opened']} D13 opened: {d13['on_time']} written on time,"
        f" {d13['late']} late, {d13['missing_escalated']} missing and escalated,"
        f" {d13['to_write']} still to write ({d13['accepted']} accepted);"
        f" {money['posted']} invoices posted: {money['paid']} paid,"
        f" {money['open']} open, {money['overdue']} overdue;"
        f" Invoiced, Not Paid {money['invoiced_not_paid']:,.2f},"
        f" Shipped, Not Invoiced {money['shipped_not_invoiced']:,.2f}"
        f" ({money['shipped_not_invoiced_lines']} lines)"
    )


__all__ = [
    "History",
    "at_risk_summary",
    "date",
    "datetime",
    "paperwork_summary",
    "seed",
]
