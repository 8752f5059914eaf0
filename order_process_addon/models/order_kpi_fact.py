# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import statistics
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare
from odoo.tools.sql import create_index

from .order_kpi_rate_mixin import RATES, SUMS
from .order_process_guard import Guard
from .vocabulary import DEPARTMENTS, ROLE_DEPARTMENT

# What the monthly totals sum: a write of one of these brings them up to date.
MONTH_FIELDS = frozenset({"company_id", "due_date", "target_rate", *SUMS})


FAILURE_CAUSES = [
    ("open", "Open Past Due"),
    ("late", "Delivered Late"),
    ("cancelled", "Cancelled by the Company"),
]

STAGES = [
    ("review", "Review"),
    ("planning", "Planning"),
    ("release", "Plan Release"),
    ("production", "Production"),
    ("quality", "Quality"),
    ("receipt", "Finished-Goods Receipt"),
    ("shipping", "Shipping"),
]

# The remaining stages of an open order, estimated from history, and who
# owns each.
RISK_STAGES = [
    ("planning", "Planning"),
    ("production", "Production to Receipt"),
    ("shipping", "Shipping"),
]
RISK_STAGE_DEPARTMENT = {
    "planning": "pmc",
    "production": "production",
    "shipping": "warehouse",
}
HISTORY_SIZE = 200

# Working-time budgets of the stages that have no deadline of their own
# (working days): a final test is signed, a receipt counted, a received
# order shipped within one working day.
STAGE_BUDGET_DAYS = 1.0


def _whole_month_bound(operator, value):
    """A bound on a due date that falls between two months: from the first
    of a month (>=, or > its eve), up to the end of one (<=, or < the first
    of the next)."""
    try:
        day = fields.Date.to_date(value)
    except (TypeError, ValueError):
        return False
    if not day:
        return False
    if operator in (">=", "<"):
        return day.day == 1
    if operator in (">", "<="):
        return (day + timedelta(days=1)).day == 1
    return False


def _month_domain(domain):
    """``domain`` on the facts as a domain on the monthly totals, or None
    when it filters on anything but the company and whole months of the due
    date."""
    translated = []
    for leaf in domain or []:
        if isinstance(leaf, str):
            if leaf not in ("&", "|"):
                return None
            translated.append(leaf)
            continue
        if not isinstance(leaf, (list, tuple)) or len(leaf) != 3:
            return None
        name, operator, value = leaf
        if name == "company_id" and operator in ("=", "in", "!=", "not in"):
            translated.append((name, operator, value))
        elif name == "due_date" and _whole_month_bound(operator, value):
            translated.append(("month", operator, value))
        else:
            return None
    return translated


class OrderKpiFact(models.Model):
    """The achievement-rate facts of one order of the process (R29, R30):
    one row per signed order, stored and indexed, kept current by the steps
    that change them (signature, committed date change, shipment,
    cancellation) and, for the orders that stay open past their due date,
    by a nightly job. The dashboard aggregates these rows with
    ``_read_group``; nothing is recomputed over all orders."""

    _name = "order.kpi.fact"
    _description = "Order Achievement Fact"
    _inherit = ["mail.thread", "order.process.mixin", "order.kpi.rate.mixin"]
    _order = "due_date desc, id desc"
    _rec_name = "order_id"
    _check_company_auto = True

    # Guard (order.process.guard): written by the process only, kept (R35);
    # the PMC manager corrects the responsibility through its step.
    _op_guard = Guard(
        process="__all__",
        state=None,
        deletable=frozenset(),
    )

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", string="Sales Person", index="btree_not_null", readonly=True
    )
    merchandiser_id = fields.Many2one(
        "res.users", index="btree_not_null", readonly=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        readonly=True,
        help="The category of the order's first product.",
    )
    signed_on = fields.Date(readonly=True)
    first_due_date = fields.Date(
        index=True,
        readonly=True,
        help="The first committed date, frozen at the customer's signature.",
    )
    current_due_date = fields.Date(
        index=True,
        readonly=True,
        help="The committed date after the latest change.",
    )
    due_date = fields.Date(
        index=True,
        readonly=True,
        help="The due date on the company's basis (first or current "
        "committed date, Settings): the order counts in this date's period.",
    )
    reschedule_count = fields.Integer(string="Date Changes", readonly=True)
    status = fields.Selection(
        [
            ("open", "Open"),
            ("achieved", "Achieved"),
            ("failed", "Failed"),
            ("outside", "Outside the Rate"),
        ],
        readonly=True,
        index=True,
        help="On the company's basis, final score: Outside = cancelled by "
        "the customer.",
    )
    cancel_kind = fields.Selection(
        [("customer", "By the Customer"), ("company", "By the Company")],
        string="Cancelled",
        readonly=True,
    )
    first_shipment_date = fields.Date(string="First Shipment", readonly=True)
    last_shipment_date = fields.Date(string="Last Shipment", readonly=True)
    delivered_full_date = fields.Date(
        string="Delivered in Full On",
        readonly=True,
        help="The date of the shipment with which every line reached its "
        "ordered quantity (within the quantity tolerance).",
    )
    shipment_count = fields.Integer(string="Shipments", readonly=True)
    left_outside_steps = fields.Boolean(
        string="Left Outside the Steps",
        readonly=True,
        index="btree_not_null",
        help="Goods of the order reached the customer without the shipping "
        "steps (approved D10, signed D11, gate check): a migration, or a path "
        "not yet closed. Those shipments are not counted: the order is never "
        "achieved through them (R29).",
    )
    first_shipment_full = fields.Boolean(
        string="Complete at First Shipment", readonly=True
    )
    days_late = fields.Integer(
        string="Working Days Late",
        readonly=True,
        aggregator="max",
        help="Working days between the due date and the delivery in full, "
        "or today for an order still open.",
    )
    failure_cause = fields.Selection(FAILURE_CAUSES, readonly=True, index=True)
    open_check_date = fields.Date(
        string="Turns Late After",
        readonly=True,
        index="btree_not_null",
        help="For an order not yet delivered in full: the last on-time day "
        "(earliest basis). The nightly job looks at these orders only.",
    )
    checked_on = fields.Date(
        string="Scored On", readonly=True, help="The day of the last scoring."
    )
    risk_checked_on = fields.Date(
        string="Risk Projected On",
        readonly=True,
        help="The day the daily job last projected this open order's delivery.",
    )
    stale = fields.Boolean(
        readonly=True,
        help="Settings changed: the nightly job recomputes the fact.",
    )
    # Responsibility (R30)
    responsible_department = fields.Selection(
        DEPARTMENTS,
        readonly=True,
        index=True,
        tracking=True,
    )
    responsibility_stage = fields.Selection(
        STAGES, string="Overran Stage", readonly=True
    )
    responsibility_source = fields.Selection(
        [
            ("stage", "Stage over Budget"),
            ("reschedule", "Committed Date Change"),
            ("cancellation", "Cancellation"),
            ("manager", "Corrected by the PMC Manager"),
        ],
        string="Charged From",
        readonly=True,
    )
    responsibility_reason = fields.Text(
        string="Correction Reason", readonly=True, tracking=True
    )
    responsibility_corrected_by_id = fields.Many2one(
        "res.users", string="Corrected By", readonly=True
    )
    # At risk (issue 10, item 4): open orders whose projected finish, from
    # the company's own history, passes their due date.
    at_risk = fields.Boolean(readonly=True, index=True)
    projected_date = fields.Date(string="Projected Delivery", readonly=True)
    risk_stage = fields.Selection(
        RISK_STAGES, string="Stage that Will Overrun", readonly=True
    )
    risk_department = fields.Selection(
        DEPARTMENTS, string="Owner of the Stage", readonly=True
    )
    late_analysis_ids = fields.One2many(
        "order.late.analysis", "fact_id", string="Cause Analyses (D13)"
    )
    _sql_constraints = [
        ("order_unique", "UNIQUE(order_id)", "One achievement fact per order."),
    ]

    def init(self):
        res = super().init()
        # What the dashboard groups by first: the company and the period.
        create_index(
            self.env.cr,
            "order_kpi_fact_company_due_index",
            self._table,
            ["company_id", "due_date"],
        )
        create_index(
            self.env.cr,
            "order_kpi_fact_stale_index",
            self._table,
            ["id"],
            where="stale",
        )
        return res

    # ------------------------------------------------------------ monthly totals
    # The dashboard's landing, the rates by month over whole months, reads
    # ``order.kpi.month`` (kept in step by create/write/unlink below): its
    # cost does not grow with the orders of the period (issue 11).
    def _op_month_changes(self, sign):
        """{(company id, month): [orders, *SUMS, target]}: what these facts
        add to (``sign`` 1) or take from (-1) their months' totals."""
        changes = {}
        for fact in self:
            if not (fact.due_date and fact.company_id):
                continue
            key = (fact.company_id.id, fact.due_date.replace(day=1))
            vector = changes.setdefault(key, [0] * (len(SUMS) + 1) + [None])
            vector[0] += sign
            for index, name in enumerate(SUMS, 1):
                vector[index] += sign * (fact[name] or 0)
            if sign > 0 and fact.target_rate:
                vector[-1] = max(vector[-1] or 0.0, fact.target_rate)
        return changes

    @api.model_create_multi
    def create(self, vals_list):
        facts = super().create(vals_list)
        self.env["order.kpi.month"]._op_add(facts._op_month_changes(1))
        return facts

    def write(self, vals):
        if not MONTH_FIELDS.intersection(vals):
            return super().write(vals)
        before = self._op_month_changes(-1)
        res = super().write(vals)
        months = self.env["order.kpi.month"]
        months._op_add(before)
        months._op_add(self._op_month_changes(1))
        return res

    def unlink(self):
        before = self._op_month_changes(-1)
        res = super().unlink()
        self.env["order.kpi.month"]._op_add(before)
        return res

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        monthly = self._op_monthly_query(domain, groupby, aggregates, having, order)
        if monthly is None or offset or limit:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        month_domain, month_groupby, month_aggregates, month_order = monthly
        months = self.env["order.kpi.month"].sudo()
        months._op_flush_pending()
        rows = months._read_group(
            month_domain,
            month_groupby,
            month_aggregates,
            # A month whose orders all moved away has rows that sum to none.
            having=[("fact_count:sum", ">", 0)] if month_groupby else (),
            order=month_order,
        )
        # A count is a sum of counts here: none (NULL) is 0.
        counts = [
            len(groupby) + index
            for index, spec in enumerate(aggregates)
            if spec == "__count"
        ]
        if not counts:
            return rows
        return [
            tuple(
                (value or 0) if index in counts else value
                for index, value in enumerate(row)
            )
            for row in rows
        ]

    def _op_monthly_query(self, domain, groupby, aggregates, having, order):
        """The same question put to the monthly totals, or None when they
        cannot answer it exactly: grouped by nothing or by month only,
        measures that are sums of the months, filtered on whole months of
        the due date and on the company only (the record rules included)."""
        if self.env.context.get("op_kpi_from_facts") or having:
            return None
        if tuple(groupby) not in ((), ("due_date:month",)):
            return None
        translated = []
        for spec in aggregates:
            if spec == "__count":
                translated.append("fact_count:sum")
                continue
            fname, _sep, func = spec.partition(":")
            if (fname in RATES and func in ("sum", "avg")) or (
                fname in SUMS and func == "sum"
            ):
                translated.append(spec)
            elif fname == "target_rate" and func == "max":
                translated.append(spec)
            else:
                return None
        if order and order.strip() not in (
            "due_date:month",
            "due_date:month asc",
            "due_date:month ASC",
            "due_date:month desc",
            "due_date:month DESC",
        ):
            return None
        self.browse().check_access("read")
        rules = [] if self.env.su else self.env["ir.rule"]._compute_domain(self._name)
        parts = [_month_domain(domain), _month_domain(rules)]
        if None in parts:
            return None
        month_domain = expression.AND(parts)
        month_groupby = ["month:month"] if groupby else []
        month_order = order.replace("due_date", "month") if order else None
        return month_domain, month_groupby, translated, month_order

    # ------------------------------------------------------------ refresh
    @api.model
    def _op_refresh(self, orders, today=None):
        """Bring the facts of ``orders`` up to date (create them for signed
        orders): the work of the steps that change them, on those orders
        only."""
        orders = orders.sudo().filtered(
            lambda o: o.op_active and o.op_first_committed_date
        )
        # Derived data: no chatter message per row (a million orders would
        # mean a million messages); the PMC manager's corrections are tracked.
        model = self.sudo().with_context(tracking_disable=True)
        facts = model.search([("order_id", "in", orders.ids)])
        by_order = {fact.order_id.id: fact for fact in facts}
        to_create = []
        for order in orders:
            fact = by_order.get(order.id)
            if not fact and not order.signed_on and not order.op_effective_on:
                # Never signed: outside the rate, no fact (R29).
                continue
            vals = model._op_fact_vals(order, today=today)
            if fact:
                if fact.responsibility_source == "manager":
                    for name in (
                        "responsible_department",
                        "responsibility_source",
                        "responsibility_stage",
                    ):
                        vals.pop(name, None)
                changed = {
                    name: value
                    for name, value in vals.items()
                    if fact._fields[name].convert_to_write(fact[name], fact) != value
                }
                if changed:
                    fact.write(changed)
            else:
                to_create.append(vals)
        if to_create:
            model.create(to_create)
        return True

    def _op_local_date(self, calendar, value):
        tz = pytz.timezone(calendar.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).date()

    def _op_deadline(self, calendar, due, tolerance):
        """The last on-time date: ``tolerance`` working days after ``due``."""
        if not tolerance:
            return due
        working = sorted(
            calendar.op_working_dates(
                due + timedelta(days=1), due + timedelta(days=tolerance * 3 + 14)
            )
        )
        return working[tolerance - 1] if len(working) >= tolerance else due

    def _op_working_days_late(self, calendar, due, until):
        if not until or until <= due:
            return 0
        return len(calendar.op_working_dates(due + timedelta(days=1), until))

    def _op_shipments(self, order):
        """The done shipments of the order to the customer, in order:
        [(local date, picking, {sale line: quantity in the line's unit})],
        returns from the customer counted negative; and whether some goods
        left outside the shipping steps (not counted)."""
        calendar = self.env["res.company"]._op_calendar(order.company_id)
        shipments = {}
        outside = False
        for move in order.order_line.move_ids:
            if move.state != "done":
                continue
            if move.location_dest_id.usage == "customer":
                sign = 1
            elif move.location_id.usage == "customer":
                sign = -1
            else:
                continue
            picking = move.picking_id
            if sign > 0 and not picking.op_left_through:
                # Not through the steps: flagged on the fact, never counted
                # (R29).
                outside = True
                continue
            # The transfer's date: the validation dates the moves it makes
            # done (before it dates the transfer itself), never a scheduled
            # date (a move forced to done keeps it, and is not stamped).
            done = picking.date_done or move.date
            key = (done, picking.id or move.id)
            qty = move.product_uom._compute_quantity(
                move.quantity, move.sale_line_id.product_uom, round=False
            )
            lines = shipments.setdefault(key, {})
            lines[move.sale_line_id] = lines.get(move.sale_line_id, 0.0) + sign * qty
        return [
            (self._op_local_date(calendar, done), lines)
            for (done, _id), lines in sorted(shipments.items())
        ], outside

    def _op_delivery_progress(self, order, lines, filled):
        """(shipments, delivered quantity per line, date delivered in full,
        index of the shipment that completed the order, whether goods left
        outside the steps)."""
        shipments, outside = self._op_shipments(order)
        shipments = [s for s in shipments if any(s[1].values())]
        delivered = dict.fromkeys(lines, 0.0)
        full_date = False
        full_at = None
        for index, (day, moved) in enumerate(shipments):
            for line, qty in moved.items():
                if line in delivered:
                    delivered[line] += qty
            if lines and all(filled(line, delivered[line]) for line in lines):
                if full_date is False:
                    full_date, full_at = day, index
            else:
                full_date, full_at = False, None
        return shipments, delivered, full_date, full_at, outside

    def _op_fact_vals(self, order, today=None):
        company = order.company_id
        calendar = self.env["res.company"]._op_calendar(company)
        today = today or fields.Date.context_today(
            self.with_context(tz=calendar.tz or "UTC")
        )
        tolerance_qty = company.op_kpi_qty_tolerance or 0.0
        tolerance_days = company.op_kpi_day_tolerance or 0
        lines = order.order_line.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.type == "consu"
                and line.product_uom_qty > 0
            )
        )

        def filled(line, qty):
            need = line.product_uom_qty * (1 - tolerance_qty / 100.0)
            return (
                float_compare(qty, need, precision_rounding=line.product_uom.rounding)
                >= 0
            )

        shipments, delivered, full_date, full_at, outside = self._op_delivery_progress(
            order, lines, filled
        )
        first_shipment = shipments[0][0] if shipments else False
        strict_full = full_at == 0

        first_due = order.op_first_committed_date
        current_due = order.op_committed_date or first_due
        basis = company.op_kpi_due_basis or "first"
        cancel_kind = False
        if order.state == "cancel" or order.op_state == "cancel":
            cancel_kind = (
                "customer" if order.op_cancel_department == "customer" else "company"
            )

        def score(due):
            """(counted, final ok, strict ok, days late, cause) for ``due``."""
            deadline = self._op_deadline(calendar, due, tolerance_days)
            if cancel_kind == "customer":
                return 0, 0, 0, 0, False
            if cancel_kind == "company":
                return 1, 0, 0, 0, "cancelled"
            if full_date:
                on_time = full_date <= deadline
                late = self._op_working_days_late(calendar, due, full_date)
                return (
                    1,
                    int(on_time),
                    int(on_time and strict_full),
                    0 if on_time else late,
                    False if on_time else "late",
                )
            if today > deadline:
                return 1, 0, 0, self._op_working_days_late(calendar, due, today), "open"
            return 0, 0, 0, 0, False

        first = score(first_due)
        current = score(current_due)
        chosen = first if basis == "first" else current
        due_flag, ok_final, ok_strict, days_late, cause = chosen
        if cancel_kind == "customer":
            status = "outside"
        elif not due_flag:
            status = "open"
        elif ok_final:
            status = "achieved"
        else:
            status = "failed"
        open_check = False
        if not full_date and not cancel_kind:
            open_check = min(
                self._op_deadline(calendar, first_due, tolerance_days),
                self._op_deadline(calendar, current_due, tolerance_days),
            )
        product_lines = lines[:1]
        vals = {
            "order_id": order.id,
            "company_id": company.id,
            "partner_id": order.partner_id.commercial_partner_id.id,
            "user_id": order.user_id.id,
            "merchandiser_id": order.op_merchandiser_id.id,
            "team_id": order.team_id.id,
            "categ_id": product_lines.product_id.categ_id.id,
            "signed_on": order.op_effective_on
            and self._op_local_date(calendar, order.op_effective_on),
            "first_due_date": first_due,
            "current_due_date": current_due,
            "due_date": first_due if basis == "first" else current_due,
            "reschedule_count": len(order.op_commitment_change_ids),
            "status": status,
            "cancel_kind": cancel_kind,
            "first_shipment_date": first_shipment,
            "last_shipment_date": shipments[-1][0] if shipments else False,
            "delivered_full_date": full_date,
            "shipment_count": len(shipments),
            "left_outside_steps": outside,
            "first_shipment_full": strict_full,
            "days_late": days_late,
            "failure_cause": cause if due_flag and not ok_final else False,
            "open_check_date": open_check,
            "stale": False,
            "target_rate": company.op_kpi_target,
            "checked_on": today,
            "due": due_flag,
            "ok_final": ok_final,
            "ok_strict": ok_strict,
            "due_first": first[0],
            "ok_final_first": first[1],
            "ok_strict_first": first[2],
            "due_current": current[0],
            "ok_final_current": current[1],
            "ok_strict_current": current[2],
            "lines_total_due": len(lines) if due_flag else 0,
            "lines_filled_due": (
                sum(1 for line in lines if filled(line, delivered[line]))
                if due_flag
                else 0
            ),
            "qty_ordered_due": sum(lines.mapped("product_uom_qty")) if due_flag else 0,
            "qty_filled_due": (
                sum(
                    max(0.0, min(delivered[line], line.product_uom_qty))
                    for line in lines
                )
                if due_flag
                else 0.0
            ),
        }
        if status != "open" or full_date:
            # Done or failed: no longer a matter of risk.
            vals.update(
                at_risk=False,
                projected_date=False,
                risk_stage=False,
                risk_department=False,
            )
        department, source, stage = False, False, False
        if vals["failure_cause"]:
            department, source, stage = self._op_responsibility(
                order, calendar, chosen_due=vals["due_date"], full_date=full_date
            )
        vals.update(
            {
                "responsible_department": department,
                "responsibility_source": source,
                "responsibility_stage": stage,
            }
        )
        return vals

    # ------------------------------------------------------------ R30
    def _op_responsibility(self, order, calendar, chosen_due, full_date):
        """(department, source, stage) a failed order is charged to (R30):
        a cancellation's department; else the first stage that overran its
        working-time budget, read from the process's own timestamps; else
        the department of the latest committed-date change."""
        if order.op_cancel_department and order.op_cancel_department != "customer":
            return order.op_cancel_department, "cancellation", False
        now = fields.Datetime.now()
        # Review: a decision after its deadline.
        for review in order.op_review_ids.sorted("date_start"):
            if review.deadline and (review.date_decision or now) > review.deadline:
                group_xmlid = review.group_id.get_external_id().get(
                    review.group_id.id, ""
                )
                role = group_xmlid.rpartition("group_")[2]
                return ROLE_DEPARTMENT.get(role, "pmc"), "stage", "review"
        # Planning: D4 after its 1-working-day deadline (R12).
        if order.op_plan_deadline and (order.op_planned_on or now) > (
            order.op_plan_deadline
        ):
            return "pmc", "stage", "planning"
        productions = self.env["mrp.production"].search(
            [("op_sale_order_id", "=", order.id)]
        )
        # Release: the plan released after its deadline (R13).
        for plan in productions.op_plan_id:
            if plan.release_deadline and (plan.released_on or now) > (
                plan.release_deadline
            ):
                return "pmc", "stage", "release"
        # Production: an MO whose goods reached Quality's final test (or,
        # without a test, that finished) after its deadline. The MO is
        # finished only after the test and the count (R16, R17): their
        # delays are Quality's and the warehouse's, read below.
        tests = self.env["order.final.test"].search(
            [("production_id", "in", productions.ids)]
        )
        for production in productions:
            tested = tests.filtered(lambda t, p=production: t.production_id == p)
            made = min(tested.mapped("tested_on"), default=False)
            if production.date_deadline and (
                made or production.date_finished or now
            ) > (production.date_deadline):
                return "production", "stage", "production"
        # Quality: final tests signed more than the budget after the test.
        for test in tests:
            budget = calendar.op_plan_working_time(
                test.tested_on, days=STAGE_BUDGET_DAYS
            )
            if (test.signed_on or now) > budget:
                return "quality", "stage", "quality"
        # Receipt and shipping: counted within the budget of the delivery
        # to the warehouse; shipped within the budget of the receipt.
        receipts = self.env["order.fg.receipt"].search(
            [("sale_order_id", "=", order.id)]
        )
        for receipt in receipts:
            budget = calendar.op_plan_working_time(
                receipt.delivered_on or receipt.create_date, days=STAGE_BUDGET_DAYS
            )
            if (receipt.signed_on or now) > budget:
                return "warehouse", "stage", "receipt"
        signed = [r.signed_on for r in receipts if r.signed_on]
        if signed:
            ready = calendar.op_plan_working_time(max(signed), days=STAGE_BUDGET_DAYS)
            if self._op_local_date(calendar, ready) <= chosen_due and (
                not full_date or full_date > chosen_due
            ):
                return "warehouse", "stage", "shipping"
        change = order.op_commitment_change_ids.sorted("id")[-1:]
        if change:
            return change.department, "reschedule", False
        return False, False, False

    def action_set_responsibility(self, reason=None, department=None):
        """R30: the PMC manager charges a failed order to another
        department, with a reason (kept in the fact and its history)."""
        self._op_check_role("pmc_manager")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason of the correction."))
        if not isinstance(department, str) or department not in dict(DEPARTMENTS):
            raise UserError(self.env._("Choose the responsible department."))
        for fact in self:
            if fact.status != "failed":
                raise UserError(
                    self.env._(
                        "%(order)s has not failed: nobody is responsible for it.",
                        order=fact.order_id.name,
                    )
                )
        self.sudo().write(
            {
                "responsible_department": department,
                "responsibility_source": "manager",
                "responsibility_reason": reason,
                "responsibility_corrected_by_id": self.env.user.id,
            }
        )
        # A D13 still to write follows the order to its department.
        self.sudo().late_analysis_ids._op_follow_responsibility(department)
        return True

    def action_open_responsibility_wizard(self):
        self.ensure_one()
        self._op_check_role("pmc_manager")
        return self.env["order.reason.wizard"]._op_action(
            self, "action_set_responsibility", self.env._("Charge to a Department")
        )

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_turn_late(self, batch=500):
        """Nightly: the open orders whose due date passed (and the facts of
        a company whose settings changed) are scored as of today: open past
        due counts as a failure. Only those rows are read, one batch a run
        (the scheduler runs it again while some remain). Signed orders that
        have no fact yet (signed before this version) get one."""
        today = fields.Date.context_today(self)
        # The monthly totals, compacted to one row a month (see
        # order.kpi.month).
        self.env["order.kpi.month"].sudo()._op_compact()
        domain = [
            "|",
            "&",
            ("open_check_date", "<", today),
            "|",
            ("checked_on", "=", False),
            ("checked_on", "<", today),
            ("stale", "=", True),
        ]
        facts = self.sudo().search(domain, order="id", limit=batch)
        # Signed orders without a fact (signed before this version): added.
        missing_domain = [
            ("op_active", "=", True),
            ("op_effective_on", "!=", False),
            ("op_first_committed_date", "!=", False),
            ("op_kpi_fact_ids", "=", False),
        ]
        missing = (
            self.env["sale.order"]
            .sudo()
            .search(missing_domain, order="id", limit=batch)
        )
        self._op_refresh(facts.order_id | missing, today=today)
        remaining = 0
        if len(facts) == batch:
            remaining += self.sudo().search_count(domain)
        if len(missing) == batch:
            remaining += self.env["sale.order"].sudo().search_count(missing_domain)
        self.env["ir.cron"]._notify_progress(
            done=len(facts) + len(missing), remaining=remaining
        )
        return True

    # ------------------------------------------------------------ at risk
    def _op_stage_times(self, order, calendar):
        """{stage: (start, end)} of an order from its own timestamps:
        planning (signature to D4), production to receipt (D4 to the last
        signed D8), shipping (ready to delivered in full)."""
        effective = order.op_effective_on
        planned = order.op_planned_on
        receipts = self.env["order.fg.receipt"].search(
            [("sale_order_id", "=", order.id), ("state", "=", "signed")]
        )
        received = max(receipts.mapped("signed_on"), default=False)
        times = {}
        if effective and planned:
            times["planning"] = (effective, planned)
        if planned and received:
            times["production"] = (planned, received)
        return times, received or planned or effective

    def _op_history(self, company, calendar):
        """Median working days of each stage over the company's latest
        orders delivered in full (working calendar)."""
        done = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("delivered_full_date", "!=", False),
                ("cancel_kind", "=", False),
            ],
            order="delivered_full_date desc, id desc",
            limit=HISTORY_SIZE,
        )
        hours = calendar.hours_per_day or 8.0
        samples = {stage: [] for stage, _label in RISK_STAGES}
        for fact in done:
            times, ready = self._op_stage_times(fact.order_id, calendar)
            shipped = max(
                (
                    p.date_done
                    for p in fact.order_id.picking_ids
                    if p.state == "done" and p.picking_type_code == "outgoing"
                ),
                default=False,
            )
            if ready and shipped:
                # Goods waiting for the customer's date (the D10's ship date)
                # are not shipping work: the stage starts the working day
                # before that date at the latest (R23: D10 one day ahead).
                start = ready
                shipped_on = self._op_local_date(calendar, shipped)
                ship_dates = [
                    day
                    for day in fact.order_id.picking_ids.op_shipping_order_ids.filtered(
                        lambda d: d.state == "approved"
                    ).mapped("ship_date")
                    if day <= shipped_on
                ]
                if ship_dates:
                    start = max(
                        ready,
                        calendar.op_local_datetime(
                            calendar.op_previous_working_date(max(ship_dates)), 0.0
                        ),
                    )
                times["shipping"] = (min(start, shipped), shipped)
            for stage, (start, end) in times.items():
                samples[stage].append(
                    max(0.0, calendar.op_working_hours_between(start, end)) / hours
                )
        return {
            stage: statistics.median(values)
            for stage, values in samples.items()
            if values
        }

    @api.model
    def _cron_flag_at_risk(self, batch_size=None):
        """Daily: each open order not yet due gets a projected delivery date
        (now plus the median duration of its remaining stages); those that
        would pass their due date are at risk, with the stage that will
        overrun and its owner (issue 10, item 4).

        Issue 11, item 2: one batch a call, each order once a day
        (``risk_checked_on``); the cron runner calls again while some
        remain."""
        batch = batch_size or self._op_cron_batch_size()
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        domain = [
            ("status", "=", "open"),
            ("delivered_full_date", "=", False),
            ("due_date", ">=", today),
            "|",
            ("risk_checked_on", "=", False),
            ("risk_checked_on", "<", today),
        ]
        facts = self.sudo()
        open_facts = facts.search(domain, order="id", limit=batch)
        for company in open_facts.company_id:
            calendar = self.env["res.company"]._op_calendar(company)
            medians = self._op_history(company, calendar)
            for fact in open_facts.filtered(lambda f, c=company: f.company_id == c):
                vals = self._op_risk_vals(fact, calendar, medians, now)
                fact.write({**vals, "risk_checked_on": today})
        self.env.flush_all()
        facts._op_cron_progress(len(open_facts), domain, batch)
        return True

    def _op_risk_vals(self, fact, calendar, medians, now):
        order = fact.order_id
        made = bool(order.op_plan_deadline)
        received = self.env["order.fg.receipt"].search_count(
            [("sale_order_id", "=", order.id), ("state", "=", "signed")]
        )
        if made and not order.op_planned_on:
            remaining = ["planning", "production", "shipping"]
        elif made and not received:
            remaining = ["production", "shipping"]
        else:
            remaining = ["shipping"]
        if remaining == ["shipping"]:
            # The goods are ready and a D10 says when they leave: that date
            # is the projection, not a median.
            planned = (
                order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
                .op_shipping_order_ids.filtered(
                    lambda d: d.state in ("issued", "approved")
                )
                .mapped("ship_date")
            )
            if planned:
                projected = max(planned)
                late = projected > fact.due_date
                return {
                    "at_risk": late,
                    "projected_date": projected,
                    "risk_stage": late and "shipping",
                    "risk_department": late and RISK_STAGE_DEPARTMENT["shipping"],
                }
        if any(stage not in medians for stage in remaining):
            return {
                "at_risk": False,
                "projected_date": False,
                "risk_stage": False,
                "risk_department": False,
            }
        days = 0.0
        overrun = False
        projected = fact.due_date
        for stage in remaining:
            days += medians[stage]
            end = calendar.op_plan_working_time(now, days=days)
            projected = self._op_local_date(calendar, end)
            if not overrun and projected > fact.due_date:
                overrun = stage
        return {
            "at_risk": bool(overrun),
            "projected_date": projected,
            "risk_stage": overrun,
            "risk_department": overrun and RISK_STAGE_DEPARTMENT[overrun],
        }

    @api.model
    def _op_mark_stale(self, companies):
        """Settings of ``companies`` changed: their facts are recomputed by
        the nightly job, started now."""
        self.env.cr.execute(
            SQL(
                "UPDATE order_kpi_fact SET stale = TRUE WHERE company_id IN %s",
                tuple(companies.ids),
            )
        )
        self.invalidate_model(["stale"])
        cron = self.env.ref(
            "order_process_addon.ir_cron_kpi_turn_late", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()
