# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .elevation import as_settings


class ResCompany(models.Model):
    _inherit = "res.company"

    op_enabled = fields.Boolean(
        string="Order Process",
        help="Run the order process (review, customer signature, planning, "
        "shipping, achievement rate) for this company's sale orders. "
        "When off, Odoo behaves exactly as without the addon.",
    )
    op_scope = fields.Selection(
        [("all", "All sales teams"), ("teams", "Selected sales teams only")],
        string="Order Process Applies To",
        default="all",
        required=True,
    )
    op_review_days = fields.Float(
        string="Review Deadline (working days)",
        default=1.0,
        help="The review of a registered order must end within this many "
        "working days of the company's working calendar (R4).",
    )
    op_rush_review_hours = fields.Float(
        string="Rush Review Deadline (working hours)",
        default=2.0,
        help="Shorter review deadline for rush and inserted orders (R6).",
    )
    op_plan_release_time = fields.Float(
        string="Plan Release Deadline",
        default=7 + 50 / 60,
        help="The production plan of a day must be released before this "
        "time of that day (R13).",
    )
    op_shipment_stats_time = fields.Float(
        string="Shipment Statistics Deadline",
        default=9.0,
        help="The previous day's shipment statistics go to Finance before "
        "this time every working day (R28).",
    )
    op_ship_qty_tolerance = fields.Float(
        string="Shipping Quantity Tolerance (%)",
        default=0.0,
        help="How much more than its approved shipping order (D10) a delivery "
        "may load and ship, in percent of each line (R23, R26): a die-cut "
        "batch rarely counts exactly. More than that needs a new version of "
        "the shipping order.",
    )
    op_holidays_checked_on = fields.Date(
        string="Public Holidays Checked On",
        readonly=True,
        copy=False,
        help="The day the daily public holidays job last checked this company.",
    )

    _sql_constraints = [
        (
            "op_review_days_positive",
            "CHECK(op_review_days > 0)",
            "The review deadline must be positive.",
        ),
        (
            "op_rush_review_hours_positive",
            "CHECK(op_rush_review_hours > 0)",
            "The rush review deadline must be positive.",
        ),
        (
            "op_plan_release_time_range",
            "CHECK(op_plan_release_time >= 0 AND op_plan_release_time < 24)",
            "The plan release time must be a time of day (00:00 to 23:59).",
        ),
        (
            "op_ship_qty_tolerance_range",
            "CHECK(op_ship_qty_tolerance >= 0 AND op_ship_qty_tolerance <= 100)",
            "The shipping quantity tolerance is between 0 % and 100 %.",
        ),
        (
            "op_shipment_stats_time_range",
            "CHECK(op_shipment_stats_time >= 0 AND op_shipment_stats_time < 24)",
            "The shipment statistics time must be a time of day (00:00 to 23:59).",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.filtered("op_enabled")._op_default_invoice_on_delivery()
        return companies

    def write(self, vals):
        res = super().write(vals)
        if vals.get("op_enabled"):
            self._op_default_invoice_on_delivery()
        return res

    def _op_default_invoice_on_delivery(self):
        """Issue 9: the process's products invoice what is delivered, through
        Odoo's own invoicing policy (no second invoicing path): a company
        that runs the process gets "Delivered quantities" as its default
        policy of new products, unless it already has its own default. The
        product form's Invoicing Policy stays the one switch per product."""
        defaults = as_settings(self.env["ir.default"])
        field = self.env["ir.model.fields"]._get("product.template", "invoice_policy")
        if not field:  # sale not loaded yet
            return
        for company in self:
            if not defaults.search_count(
                [("field_id", "=", field.id), ("company_id", "=", company.id)], limit=1
            ):
                defaults.set(
                    "product.template",
                    "invoice_policy",
                    "delivery",
                    company_id=company.id,
                )

    def _op_applies(self, team=None):
        """Whether the order process applies to an order of this company
        sold by ``team`` (a ``crm.team`` record, possibly empty)."""
        self.ensure_one()
        if not self.op_enabled:
            return False
        if self.op_scope == "all":
            return True
        return bool(team and team.op_enabled)

    @api.model
    def _op_calendar(self, company=None):
        """The working calendar the process counts deadlines in (R34)."""
        company = company or self.env.company
        return company.resource_calendar_id or self.env.ref(
            "resource.resource_calendar_std"
        )

    def _op_holiday_country_code(self):
        """The country whose published public holidays the company's working
        calendar takes: the company's own, mainland China when it has none
        (R34)."""
        return self.country_id.code or "CN"

    @api.model
    def _op_install_language(self, code):
        """Activate a language and load its translations for every installed
        module and this one (used by the demo data for zh_CN)."""
        self.env["res.lang"]._activate_lang(code)
        modules = self.env["ir.module.module"].search(
            [("state", "in", ("installed", "to install", "to upgrade"))]
        )
        self.env["ir.module.module"]._load_module_terms(
            modules.mapped("name"), [code], overwrite=False
        )
