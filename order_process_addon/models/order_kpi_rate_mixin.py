# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

# The rates (R29): each is SUM(numerator) / SUM(denominator) of the orders in
# a group, never an average of averages (see _read_group_select).
RATES = {
    "rate_final": ("ok_final", "due"),
    "rate_strict": ("ok_strict", "due"),
    "rate_final_first": ("ok_final_first", "due_first"),
    "rate_strict_first": ("ok_strict_first", "due_first"),
    "rate_final_current": ("ok_final_current", "due_current"),
    "rate_strict_current": ("ok_strict_current", "due_current"),
    "line_fill_rate": ("lines_filled_due", "lines_total_due"),
    "qty_fill_rate": ("qty_filled_due", "qty_ordered_due"),
}
# What is summed: the numerators and denominators, each once.
SUMS = tuple(dict.fromkeys(name for pair in RATES.values() for name in pair))


class OrderKpiRateMixin(models.AbstractModel):
    """The measures of the achievement rate (R29): the numerators and
    denominators of one order (``order.kpi.fact``) or of a month's orders
    (``order.kpi.month``), and the rates, whose value for a group is the sum
    of its numerators over the sum of its denominators."""

    _name = "order.kpi.rate.mixin"
    _description = "Achievement Rate Measures"

    # Numerators and denominators, 0 or 1 per order (sums are counts).
    due = fields.Integer(string="Orders Due", readonly=True)
    ok_final = fields.Integer(string="Achieved (Final)", readonly=True)
    ok_strict = fields.Integer(string="Achieved (Strict)", readonly=True)
    due_first = fields.Integer(string="Due (First Date)", readonly=True)
    ok_final_first = fields.Integer(string="Achieved Final (First)", readonly=True)
    ok_strict_first = fields.Integer(string="Achieved Strict (First)", readonly=True)
    due_current = fields.Integer(string="Due (Current Date)", readonly=True)
    ok_final_current = fields.Integer(string="Achieved Final (Current)", readonly=True)
    ok_strict_current = fields.Integer(
        string="Achieved Strict (Current)", readonly=True
    )
    lines_total_due = fields.Integer(string="Lines Due", readonly=True)
    lines_filled_due = fields.Integer(string="Lines Filled", readonly=True)
    qty_ordered_due = fields.Float(string="Quantity Due", readonly=True)
    qty_filled_due = fields.Float(string="Quantity Filled", readonly=True)
    target_rate = fields.Float(
        string="Target Rate (%)",
        readonly=True,
        aggregator="max",
        help="The company's target achievement rate (Settings), next to the "
        "rates in the pivot.",
    )
    # The rates: per order 0 or 100; grouped, SUM/SUM (_read_group_select).
    rate_final = fields.Float(
        string="Achievement Rate (%)", compute="_compute_rates", store=True
    )
    rate_strict = fields.Float(
        string="Strict Rate (%)", compute="_compute_rates", store=True
    )
    rate_final_first = fields.Float(
        string="Rate, First Date (%)", compute="_compute_rates", store=True
    )
    rate_strict_first = fields.Float(
        string="Strict Rate, First Date (%)", compute="_compute_rates", store=True
    )
    rate_final_current = fields.Float(
        string="Rate, Current Date (%)", compute="_compute_rates", store=True
    )
    rate_strict_current = fields.Float(
        string="Strict Rate, Current Date (%)", compute="_compute_rates", store=True
    )
    line_fill_rate = fields.Float(
        string="Line Fill Rate (%)", compute="_compute_rates", store=True
    )
    qty_fill_rate = fields.Float(
        string="Quantity Fill Rate (%)", compute="_compute_rates", store=True
    )

    @api.depends(*SUMS)
    def _compute_rates(self):
        for record in self:
            for rate, (num, den) in RATES.items():
                record[rate] = 100.0 * record[num] / record[den] if record[den] else 0.0

    # ------------------------------------------------------------ rates
    def _read_group_select(self, aggregate_spec, query):
        """A rate of a group is the sum of its numerators over the sum of
        its denominators (orders achieved / orders due), whatever the
        aggregate asked: correct at every level of a pivot. A group with no
        order due has no rate (NULL), not 0 %."""
        fname, _sep, func = aggregate_spec.partition(":")
        if fname in RATES and func in ("sum", "avg"):
            num, den = RATES[fname]
            num_sql = self._field_to_sql(self._table, num, query)
            den_sql = self._field_to_sql(self._table, den, query)
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                num_sql,
                den_sql,
            )
        return super()._read_group_select(aggregate_spec, query)
