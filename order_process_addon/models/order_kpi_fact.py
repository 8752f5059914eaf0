# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).


from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .elevation import as_settings
from .order_process_guard import Guard
from .vocabulary import DEPARTMENTS

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

# The remaining stages of an open order, estimated from history (at risk:
# order_kpi_fact_risk.py).
RISK_STAGES = [
    ("planning", "Planning"),
    ("production", "Production to Receipt"),
    ("shipping", "Shipping"),
]


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

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
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
            as_settings(cron)._trigger()
