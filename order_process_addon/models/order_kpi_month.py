# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .elevation import as_process
from .order_kpi_rate_mixin import SUMS
from .order_process_guard import Guard

# The pending changes of the transaction, in its precommit data:
# {(company id, first day of the month): [orders, *SUMS, target]}.
PENDING = "order_process_addon.kpi_month_pending"


class OrderKpiMonth(models.Model):
    """The achievement-rate totals of one company's orders due in one month
    (issue 11): the sums of their facts (``order.kpi.fact``). The dashboard's
    landing (the rates by month, over whole months) reads these rows instead
    of aggregating every fact of the period, so it costs the same with a
    thousand or a hundred thousand orders a year; any other grouping or
    filter reads the facts (``order.kpi.fact._read_group``).

    A month's totals are the sum of its rows: each transaction that changes
    facts adds one row per month it changed, with the differences, before it
    commits. Adding rows never conflicts with another transaction, so steps
    that score orders due in the same month at the same time never collide
    on a shared row. The nightly job compacts each month back to one row,
    computed from its facts."""

    _name = "order.kpi.month"
    _description = "Achievement Rate, Monthly Totals"
    _inherit = ["order.process.guard", "order.kpi.rate.mixin"]
    _order = "month desc, company_id, id"
    _rec_name = "month"

    # Guard (order.process.guard): derived data, written by the process only.
    _op_guard = Guard(
        process="__all__",
        state=None,
        deletable=frozenset(),
    )

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    month = fields.Date(
        required=True,
        readonly=True,
        help="The first day of the month of the due date.",
    )
    fact_count = fields.Integer(string="Orders", readonly=True)

    def init(self):
        res = super().init()
        create_index(
            self.env.cr,
            "order_kpi_month_company_month_index",
            self._table,
            ["company_id", "month"],
        )
        # Installed on a database that already has facts: its totals, once.
        self.env.cr.execute(
            SQL(
                "SELECT EXISTS(SELECT 1 FROM order_kpi_fact)"
                " AND NOT EXISTS(SELECT 1 FROM order_kpi_month)"
            )
        )
        if self.env.cr.fetchone()[0]:
            self._op_rebuild()
        return res

    # ------------------------------------------------------------ upkeep
    def _op_add(self, changes):
        """Add ``changes`` ({(company id, month): [orders, *SUMS, target]})
        to the transaction's pending changes, written before it commits (or
        before the dashboard reads the totals in this transaction)."""
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING)
        if pending is None:
            pending = precommit.data[PENDING] = {}
            precommit.add(as_process(self)._op_flush_pending)
        for key, vector in changes.items():
            total = pending.setdefault(key, [0] * (len(SUMS) + 1) + [None])
            for index, value in enumerate(vector[:-1]):
                total[index] += value
            if vector[-1] is not None:
                total[-1] = max(total[-1] or 0.0, vector[-1])

    def _op_flush_pending(self):
        """Write the pending changes: one row per month that changed (one
        query)."""
        pending = self.env.cr.precommit.data.get(PENDING)
        if not pending:
            return
        rows = [
            (company_id, month, vector)
            for (company_id, month), vector in sorted(pending.items())
            if any(vector[:-1])
        ]
        pending.clear()
        if not rows:
            return
        names = ["fact_count", *SUMS, "target_rate"]
        self.env.cr.execute(
            SQL(
                "INSERT INTO order_kpi_month (company_id, month, %s, "
                "create_uid, create_date, write_uid, write_date) VALUES %s",
                SQL(", ").join(SQL.identifier(name) for name in names),
                SQL(", ").join(
                    SQL(
                        "(%s, %s, %s, %s, now() at time zone 'UTC', %s, "
                        "now() at time zone 'UTC')",
                        company_id,
                        month,
                        SQL(", ").join(SQL("%s", value) for value in vector),
                        self.env.uid,
                        self.env.uid,
                    )
                    for company_id, month, vector in rows
                ),
            )
        )
        self.invalidate_model()

    def _op_compact(self):
        """Each month with several rows back to one, computed from its facts
        (nightly). Rows added meanwhile by other transactions are not seen,
        and neither are their facts' changes: they stay, and still count."""
        self._op_flush_pending()
        self._op_recompute(
            SQL(
                "SELECT company_id, month FROM order_kpi_month"
                " GROUP BY company_id, month HAVING count(*) > 1"
            )
        )

    def _op_rebuild(self):
        """Every company's totals from their facts, as a new install or a
        bulk load (``make scale``) needs them (one query)."""
        self._op_flush_pending()
        self._op_recompute(
            SQL(
                "SELECT company_id, month FROM order_kpi_month"
                " UNION SELECT company_id, date_trunc('month', due_date)::date"
                " FROM order_kpi_fact WHERE due_date IS NOT NULL"
            )
        )

    def _op_recompute(self, keys_query):
        """The months of ``keys_query`` (company id, month) replaced by one
        row each, summed from their facts (none for a month left without
        facts)."""
        self.env["order.kpi.fact"].flush_model()
        self.flush_model()
        names = ["fact_count", *SUMS, "target_rate"]
        self.env.cr.execute(
            SQL(
                """
                WITH keys AS (%(keys)s),
                gone AS (
                    DELETE FROM order_kpi_month m
                     USING keys k
                     WHERE m.company_id = k.company_id AND m.month = k.month
                )
                INSERT INTO order_kpi_month (
                    company_id, month, %(columns)s,
                    create_uid, create_date, write_uid, write_date)
                SELECT k.company_id, k.month, count(*), %(sums)s,
                       MAX(f.target_rate),
                       %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM keys k
                  JOIN order_kpi_fact f
                    ON f.company_id = k.company_id
                   AND f.due_date >= k.month
                   AND f.due_date < k.month + interval '1 month'
                 GROUP BY k.company_id, k.month
                """,
                keys=keys_query,
                columns=SQL(", ").join(SQL.identifier(name) for name in names),
                sums=SQL(", ").join(
                    SQL("SUM(f.%s)", SQL.identifier(name)) for name in SUMS
                ),
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
