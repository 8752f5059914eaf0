# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

from .order_process_guard import Guard


class OrderProductionDay(models.Model):
    """What a manufacturing order of the process produced on one day (R16):
    written when its produced quantity is recorded (the quantity producing,
    then the quantity done), so that the production daily report D7 gives
    the day's production, not the order's running total, when an MO runs
    over several days. One row per MO and day, in the company's calendar
    time zone; written by the process only, kept."""

    _name = "order.production.day"
    _description = "Production of a Day"
    _inherit = ["order.process.guard"]
    _order = "date, production_id"
    _op_guard = Guard(
        process="__all__",
        deletable=frozenset(),
    )

    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="production_id.company_id", store=True, index=True, precompute=True
    )
    date = fields.Date(required=True, readonly=True, index=True)
    qty = fields.Float(
        string="Produced", digits="Product Unit of Measure", readonly=True
    )

    _sql_constraints = [
        ("production_day_uniq", "UNIQUE(production_id, date)", "One row a day."),
    ]

    @api.model
    def _op_record(self, production, delta):
        """Add ``delta`` to what ``production`` produced today (the
        company's calendar day)."""
        if not delta:
            return
        calendar = self.env["res.company"]._op_calendar(production.company_id)
        today = fields.Date.context_today(self.with_context(tz=calendar.tz or "UTC"))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO order_production_day
                    (production_id, company_id, date, qty, create_uid, create_date,
                     write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, now() at time zone 'UTC', %s,
                        now() at time zone 'UTC')
                ON CONFLICT (production_id, date)
                DO UPDATE SET qty = order_production_day.qty + EXCLUDED.qty,
                              write_uid = EXCLUDED.write_uid,
                              write_date = EXCLUDED.write_date
                """,
                production.id,
                production.company_id.id,
                today,
                delta,
                self.env.uid,
                self.env.uid,
            )
        )
        self.invalidate_model(["qty"])

    @api.model
    def _op_produced(self, productions, day):
        """{production id: (produced on ``day``, produced up to ``day``)}."""
        result = {p.id: (0.0, 0.0) for p in productions}
        if not productions:
            return result
        self.env.cr.execute(
            SQL(
                """
                SELECT production_id,
                       SUM(qty) FILTER (WHERE date = %(day)s),
                       SUM(qty) FILTER (WHERE date <= %(day)s)
                  FROM order_production_day
                 WHERE production_id IN %(ids)s
                 GROUP BY production_id
                """,
                day=day,
                ids=tuple(productions.ids),
            )
        )
        for production_id, on_day, to_date in self.env.cr.fetchall():
            result[production_id] = (on_day or 0.0, to_date or 0.0)
        return result
