# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL

from .order_kpi_rate_mixin import RATES, SUMS

# The key of the pending months in the transaction's precommit data.
DIRTY = "order_process_addon.kpi_month_dirty"


class OrderKpiMonth(models.Model):
    """The achievement-rate totals of one company's orders due in one month
    (issue 11): the sums of their facts (``order.kpi.fact``), kept in step
    with them in the same transaction. The dashboard's landing (the rates by
    month, over whole months) reads these rows instead of aggregating every
    fact of the period, so it costs the same with a thousand or a hundred
    thousand orders a year; any other grouping or filter reads the facts
    (``order.kpi.fact._read_group``)."""

    _name = "order.kpi.month"
    _description = "Achievement Rate, Monthly Totals"
    _inherit = ["order.process.mixin", "order.kpi.rate.mixin"]
    _order = "month desc, company_id"
    _rec_name = "month"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    month = fields.Date(
        required=True, readonly=True, help="The first day of the month of the due date."
    )
    fact_count = fields.Integer(string="Orders", readonly=True)

    _sql_constraints = [
        (
            "company_month_unique",
            "UNIQUE(company_id, month)",
            "One row of totals per company and month.",
        ),
    ]

    # Guard (order.process.mixin): derived data, written by the process only.
    _op_process_fields = "__all__"
    _op_state_field = None
    _op_deletable_states = frozenset()

    def init(self):
        res = super().init()
        # Installed on a database that already has facts: its totals, once.
        self.env.cr.execute(
            "SELECT EXISTS(SELECT 1 FROM order_kpi_fact)"
            " AND NOT EXISTS(SELECT 1 FROM order_kpi_month)"
        )
        if self.env.cr.fetchone()[0]:
            self._op_rebuild()
        return res

    # ------------------------------------------------------------ upkeep
    def _op_mark_dirty(self, keys):
        """The totals of ``keys`` ((company id, first day of the month)) are
        brought up to date before the transaction commits, or before the
        dashboard reads them in this transaction."""
        keys = {key for key in keys if key[0] and key[1]}
        if not keys:
            return
        precommit = self.env.cr.precommit
        dirty = precommit.data.get(DIRTY)
        if dirty is None:
            dirty = precommit.data[DIRTY] = set()
            model = self.sudo()
            precommit.add(model._op_flush_dirty)
        dirty |= keys

    def _op_flush_dirty(self):
        """Recompute the pending months (one query)."""
        dirty = self.env.cr.precommit.data.get(DIRTY)
        if not dirty:
            return
        keys = sorted(dirty)
        dirty.clear()
        self._op_recompute(keys)

    def _op_rebuild(self):
        """Every company's totals from their facts, as a new install or a
        bulk load (``make scale``) needs them (one query)."""
        self.env.cr.execute(
            "SELECT DISTINCT company_id, date_trunc('month', due_date)::date"
            " FROM order_kpi_fact WHERE due_date IS NOT NULL"
        )
        self._op_recompute(self.env.cr.fetchall())

    def _op_recompute(self, keys):
        """The totals of ``keys`` from the facts: the months that still have
        facts are upserted, the others removed."""
        if not keys:
            return
        self.env["order.kpi.fact"].flush_model()
        self.flush_model()
        sums = [SQL.identifier(name) for name in SUMS]
        rates = [
            SQL(
                "COALESCE(100.0 * SUM(f.%s) / NULLIF(SUM(f.%s), 0), 0)",
                SQL.identifier(num),
                SQL.identifier(den),
            )
            for num, den in RATES.values()
        ]
        columns = [*sums, *(SQL.identifier(name) for name in RATES)]
        values = SQL(", ").join(
            SQL("(%s, %s::date)", company_id, month) for company_id, month in keys
        )
        self.env.cr.execute(
            SQL(
                """
                WITH keys(company_id, month) AS (VALUES %(values)s),
                totals AS (
                    SELECT k.company_id, k.month, count(*) AS fact_count,
                           MAX(f.target_rate) AS target_rate,
                           %(sums)s, %(rates)s
                      FROM keys k
                      JOIN order_kpi_fact f
                        ON f.company_id = k.company_id
                       AND f.due_date >= k.month
                       AND f.due_date < k.month + interval '1 month'
                     GROUP BY k.company_id, k.month
                ),
                gone AS (
                    DELETE FROM order_kpi_month m
                     USING keys k
                     WHERE m.company_id = k.company_id AND m.month = k.month
                       AND NOT EXISTS (
                           SELECT 1 FROM totals t
                            WHERE t.company_id = k.company_id AND t.month = k.month)
                )
                INSERT INTO order_kpi_month (
                    company_id, month, fact_count, target_rate, %(columns)s,
                    create_uid, create_date, write_uid, write_date)
                SELECT company_id, month, fact_count, target_rate, %(columns)s,
                       %(uid)s, now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC'
                  FROM totals
                ON CONFLICT (company_id, month) DO UPDATE SET
                    fact_count = EXCLUDED.fact_count,
                    target_rate = EXCLUDED.target_rate,
                    %(updates)s,
                    write_uid = EXCLUDED.write_uid,
                    write_date = EXCLUDED.write_date
                """,
                values=values,
                sums=SQL(", ").join(
                    SQL("SUM(f.%s) AS %s", name, name) for name in sums
                ),
                rates=SQL(", ").join(
                    SQL("%s AS %s", rate, SQL.identifier(name))
                    for rate, name in zip(rates, RATES, strict=True)
                ),
                columns=SQL(", ").join(columns),
                uid=self.env.uid,
                updates=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", column, column) for column in columns
                ),
            )
        )
        self.invalidate_model()
