# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The achievement facts' side of the monthly totals (issue 11): every
change of a fact is added to its month's totals (``order.kpi.month``), and
the dashboard's questions that the totals answer exactly are put to them
instead of to the facts (``_read_group``)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression

from .elevation import as_process
from .order_kpi_rate_mixin import RATES, SUMS

# What the monthly totals sum: a write of one of these brings them up to date.
MONTH_FIELDS = frozenset({"company_id", "due_date", "target_rate", *SUMS})


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
    _inherit = "order.kpi.fact"

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
        months = as_process(self.env["order.kpi.month"])
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
