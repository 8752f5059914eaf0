# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .elevation import as_job, as_messenger, as_settings, read_across


class OrderPublicHoliday(models.Model):
    """A public holiday of a country's official schedule (R34), as data.

    The addon ships the schedules the State Council has published; the
    administrator adds the next year's when it is published. Each holiday is
    applied as global time off to the working calendar of every company that
    runs the process in that country, when it is added and by a daily cron,
    which also warns the administrators from December 1 when the next year's
    schedule is still missing."""

    _name = "order.public.holiday"
    _description = "Public Holiday"
    # The warning about next year's missing holidays is an activity here.
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from, id"

    name = fields.Char(required=True, translate=True)
    country_id = fields.Many2one(
        "res.country",
        required=True,
        default=lambda self: self.env.ref("base.cn"),
    )
    year = fields.Integer(
        compute="_compute_year",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="The year of the official schedule the holiday belongs to (a New "
        "Year's holiday may start in December of the year before).",
    )
    date_from = fields.Date(string="First Day", required=True)
    date_to = fields.Date(string="Last Day", required=True)
    workday_note = fields.Char(
        string="Make-up Working Days",
        help="For information: the weekend days worked instead (调休), as "
        "published. They are not added to the working calendar.",
    )

    _sql_constraints = [
        (
            "date_range",
            "CHECK(date_from <= date_to)",
            "The last day of a public holiday cannot be before its first day.",
        ),
        (
            "country_first_day_unique",
            "UNIQUE(country_id, date_from)",
            "A public holiday of this country already starts on that day.",
        ),
    ]

    @api.depends("date_to")
    def _compute_year(self):
        for holiday in self:
            holiday.year = holiday.date_to.year if holiday.date_to else 0

    @api.model_create_multi
    def create(self, vals_list):
        holidays = super().create(vals_list)
        holidays._apply_to_process_calendars()
        holidays._op_end_missing_warnings()
        return holidays

    def write(self, vals):
        result = super().write(vals)
        if {"name", "country_id", "date_from", "date_to"} & set(vals):
            # The leaves of the old dates go; the new dates are applied.
            as_settings(self.env["resource.calendar.leaves"]).search(
                [("op_public_holiday_id", "in", self.ids)]
            ).unlink()
            self._apply_to_process_calendars()
        return result

    # ------------------------------------------------------------ helpers
    @api.model
    def _op_years_to_check(self, today):
        """The years whose holidays must be in the data on ``today``: this
        one, and from December the next one."""
        return [today.year, today.year + 1] if today.month == 12 else [today.year]

    def _op_end_missing_warnings(self):
        """Issue 18, item 1: the administrators' warning that holidays are
        missing (``_op_warn_missing_public_holidays``) is done once every
        year the daily check looks for is in the data for the country."""
        today = fields.Date.context_today(self)
        years = set(self._op_years_to_check(today))
        Holiday = read_across(self)
        for country in self.country_id:
            of_country = Holiday.search([("country_id", "=", country.id)])
            if not years <= set(of_country.mapped("year")):
                continue
            as_messenger(self.env["mail.activity"]).search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", of_country.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("mail.mail_activity_data_warning").id,
                    ),
                ]
            ).action_feedback(
                feedback=self.env._(
                    "Public holidays of %(years)s added",
                    years=", ".join(str(year) for year in sorted(years)),
                )
            )

    def _apply_to_process_calendars(self):
        """Apply the holidays to the working calendar of each company that
        runs the process in their country (R34)."""
        companies = read_across(self.env["res.company"]).search(
            [("op_enabled", "=", True)]
        )
        for company in companies:
            code = company._op_holiday_country_code()
            holidays = self.filtered(lambda h, code=code: h.country_id.code == code)
            if holidays:
                calendar = self.env["res.company"]._op_calendar(company)
                as_settings(calendar)._op_apply_public_holidays(holidays)

    @api.model
    def _cron_check_public_holidays(self, today=None, batch_size=None):
        """Daily: apply the published holidays of this year and later to the
        calendars of the companies running the process; from December 1,
        warn the administrators once when next year's are missing (and in
        any month when this year's are).

        Issue 11, item 2: one call checks at most one batch of companies,
        marks each checked for the day and reports its progress; the cron
        runner calls again for the next ones."""
        today = today or fields.Date.context_today(self)
        batch = batch_size or max(
            self.env["order.process.mixin"]._op_cron_batch_size() // 10, 1
        )
        domain = [
            ("op_enabled", "=", True),
            "|",
            ("op_holidays_checked_on", "=", False),
            ("op_holidays_checked_on", "!=", today),
        ]
        Company = as_job(self.env["res.company"])
        companies = Company.search(domain, order="id", limit=batch)
        years = self._op_years_to_check(today)
        holidays_of = {}
        for company in companies:
            code = company._op_holiday_country_code()
            if code not in holidays_of:
                holidays_of[code] = as_job(self).search(
                    [("country_id.code", "=", code), ("year", ">=", today.year)]
                )
            holidays = holidays_of[code]
            calendar = as_settings(self.env["res.company"]._op_calendar(company))
            calendar._op_apply_public_holidays(holidays)
            published = set(holidays.mapped("year"))
            for year in years:
                if year not in published:
                    calendar._op_warn_missing_public_holidays(year, company)
                    break
        companies.write({"op_holidays_checked_on": today})
        remaining = Company.search_count(domain) if len(companies) >= batch else 0
        self.env["ir.cron"]._notify_progress(done=len(companies), remaining=remaining)
        return len(companies)
