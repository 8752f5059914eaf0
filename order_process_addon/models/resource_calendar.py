# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Working-time helpers every deadline of the process uses (R34).

All datetimes in and out are naive UTC, as Odoo stores them; the calendar's
own time zone, attendances and global leaves (public holidays) decide what
counts as working time.
"""

import logging
from datetime import date, datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError

from .elevation import read_across

_logger = logging.getLogger(__name__)


def _utc(dt):
    return pytz.utc.localize(dt) if dt.tzinfo is None else dt.astimezone(pytz.utc)


def _days(first, last):
    while first <= last:
        yield first
        first += timedelta(days=1)


def _runs(days):
    """The runs of consecutive dates in ``days``, as (first, last) pairs."""
    runs = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return runs


class ResourceCalendar(models.Model):
    """The working calendar of the process (R34)."""

    _inherit = "resource.calendar"

    op_holidays_warned_year = fields.Integer(
        string="Missing Holidays Warned For",
        readonly=True,
        copy=False,
        help="The latest year whose missing public holidays the "
        "administrators were warned about on this calendar.",
    )

    def op_plan_working_time(self, start, days=0.0, hours=0.0):
        """Deadline after ``days`` working days plus ``hours`` working hours
        from ``start``. A working day is the calendar's hours per day, so
        "1 working day" from Friday 15:00 is Monday 15:00 on a Monday to
        Friday calendar, and a public holiday in between is skipped."""
        self.ensure_one()
        if days < 0 or hours < 0:
            raise UserError(self.env._("A deadline cannot lie before its start."))
        total = days * (self.hours_per_day or 8.0) + hours
        deadline = self.plan_hours(total, start, compute_leaves=True)
        if not deadline:
            raise UserError(
                self.env._(
                    "The working calendar %(calendar)s has no working time "
                    "after %(start)s.",
                    calendar=self.display_name,
                    start=start,
                )
            )
        return deadline

    def op_working_dates(self, date_from, date_to):
        """The local dates between ``date_from`` and ``date_to`` (both
        included) that have working time left after holidays."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        start = tz.localize(datetime.combine(date_from, time.min))
        stop = tz.localize(datetime.combine(date_to, time.max))
        intervals = self._work_intervals_batch(start, stop, compute_leaves=True)[False]
        return {interval[0].astimezone(tz).date() for interval in intervals}

    def op_is_working_date(self, date):
        self.ensure_one()
        return date in self.op_working_dates(date, date)

    def op_previous_working_date(self, date):
        """The last working date before ``date``: the day by which a D10
        is issued and the goods are prepared for a shipment on ``date``
        (R23)."""
        self.ensure_one()
        working = self.op_working_dates(date - timedelta(days=31), date)
        earlier = [day for day in working if day < date]
        if not earlier:
            raise UserError(
                self.env._(
                    "The working calendar %(calendar)s has no working day in the "
                    "month before %(date)s.",
                    calendar=self.display_name,
                    date=date,
                )
            )
        return max(earlier)

    def op_local_datetime(self, date, time_of_day):
        """Naive UTC datetime of ``time_of_day`` (a float such as 7.8333 for
        07:50) on the local ``date`` of the calendar's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        minutes = round(time_of_day * 60)
        local = tz.localize(datetime.combine(date, time(minutes // 60, minutes % 60)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def op_next_time_of_day(self, after, time_of_day):
        """The first moment at ``time_of_day`` on a working date that is not
        before ``after``: the 07:50 release deadline of the next plan day, or
        the 09:00 deadline of the next working morning (R13, R28)."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        day = _utc(after).astimezone(tz).date()
        window = 31
        for _attempt in range(12):
            working = self.op_working_dates(day, day + timedelta(days=window - 1))
            for offset in range(window):
                candidate_day = day + timedelta(days=offset)
                if candidate_day not in working:
                    continue
                candidate = self.op_local_datetime(candidate_day, time_of_day)
                if candidate >= after.replace(tzinfo=None):
                    return candidate
            day += timedelta(days=window)
        raise UserError(
            self.env._(
                "The working calendar %(calendar)s has no working day within "
                "a year after %(start)s.",
                calendar=self.display_name,
                start=after,
            )
        )

    def op_working_hours_between(self, start, end):
        """Working hours from ``start`` to ``end`` (negative when ``end`` is
        earlier), holidays excluded: how late a deadline was met."""
        self.ensure_one()
        if end < start:
            return -self.op_working_hours_between(end, start)
        return self.get_work_hours_count(_utc(start), _utc(end), compute_leaves=True)

    # ------------------------------------------------------ public holidays
    def op_load_cn_public_holidays(self, year=None):
        """Add mainland China's public holidays of ``year`` (default: this
        year), as published in *Configuration → Public Holidays*, as global
        time off of the calendar; days already off are kept. A year whose
        schedule is not there adds nothing. Returns the created
        ``resource.calendar.leaves``."""
        year = year or fields.Date.context_today(self).year
        holidays = read_across(self.env["order.public.holiday"]).search(
            [("country_id.code", "=", "CN"), ("year", "=", year)]
        )
        return self._op_apply_public_holidays(holidays)

    def op_apply_public_holidays(self, year=None):
        """Add the published public holidays of the country of the
        calendar's company (mainland China when it has none), of ``year`` or
        of every published year, as global time off. Returns the created
        ``resource.calendar.leaves``."""
        leaves = self.env["resource.calendar.leaves"]
        for calendar in self:
            code = calendar.company_id._op_holiday_country_code()
            domain = [("country_id.code", "=", code)]
            if year:
                domain.append(("year", "=", year))
            holidays = read_across(self.env["order.public.holiday"]).search(domain)
            leaves |= calendar._op_apply_public_holidays(holidays)
        return leaves

    def _op_apply_public_holidays(self, holidays):
        """Add ``holidays`` (``order.public.holiday``) as global time off,
        from 00:00 of the first to the end of the last day in the calendar's
        time zone. Days a global time off of the calendar already covers are
        left as they are, so applying twice adds nothing."""
        vals_list = []
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "UTC")
            covered = set()
            for leave in calendar.global_leave_ids:
                covered.update(calendar._op_local_days(leave.date_from, leave.date_to))
            for holiday in holidays.sorted("date_from"):
                days = [
                    day
                    for day in _days(holiday.date_from, holiday.date_to)
                    if day not in covered
                ]
                covered.update(days)
                for first, last in _runs(days):
                    start = tz.localize(datetime.combine(first, time.min))
                    stop = tz.localize(datetime.combine(last, time.max))
                    vals_list.append(
                        {
                            "name": holiday.name,
                            "calendar_id": calendar.id,
                            "company_id": calendar.company_id.id,
                            "resource_id": False,
                            "time_type": "leave",
                            "op_public_holiday_id": holiday.id,
                            "date_from": start.astimezone(pytz.utc).replace(
                                tzinfo=None
                            ),
                            "date_to": stop.astimezone(pytz.utc).replace(
                                tzinfo=None, microsecond=0
                            ),
                        }
                    )
        return self.env["resource.calendar.leaves"].create(vals_list)

    def _op_local_days(self, date_from, date_to):
        """The local dates a time off from ``date_from`` to ``date_to``
        (naive UTC) touches; one ending at midnight ends the day before."""
        self.ensure_one()
        tz = pytz.timezone(self.tz or "UTC")
        first = _utc(date_from).astimezone(tz)
        last = _utc(date_to).astimezone(tz)
        if last > first and last.time() == time.min:
            last -= timedelta(seconds=1)
        return set(_days(first.date(), last.date()))

    def _op_warn_missing_public_holidays(self, year, company, today=None):
        """A warning activity for each administrator of ``company``, on the
        latest published holiday of its country (where the next year's are
        added): the public holidays of ``year`` are not in the data, so
        deadlines would count them as working days (R34). Once per year and
        calendar. Returns the created activities."""
        self.ensure_one()
        activities = self.env["mail.activity"]
        if self.op_holidays_warned_year >= year:
            return activities
        admins = self.env.ref("base.group_system").users.filtered(
            lambda user: company in user.company_ids and not user.share
        )
        if not admins:
            _logger.warning(
                "Public holidays of %s are missing and %s has no administrator "
                "to warn.",
                year,
                company.name,
            )
            return activities
        code = company._op_holiday_country_code()
        country = self.env["res.country"].search([("code", "=", code)], limit=1)
        latest = read_across(self.env["order.public.holiday"]).search(
            [("country_id", "=", country.id)], order="date_from desc", limit=1
        )
        if not latest:
            _logger.warning(
                "Public holidays of %s are missing for %s: no holiday of its "
                "country to attach the warning to.",
                year,
                company.name,
            )
            return activities
        today = today or fields.Date.context_today(self)
        for admin in admins:
            calendar = self.with_context(lang=admin.lang)
            activities |= (
                latest.with_context(lang=admin.lang).activity_schedule(
                    "mail.mail_activity_data_warning",
                    date_deadline=max(today, date(year - 1, 12, 31)),
                    summary=calendar.env._(
                        "Public holidays of %(year)s are missing", year=year
                    ),
                    note=calendar.env._(
                        "The %(country)s public holidays of %(year)s are not in "
                        "Order Process → Configuration → Public Holidays: until "
                        "they are added, the deadlines of %(company)s count them "
                        "as working days (R34). Add them there as soon as the "
                        "official schedule is published.",
                        country=country.with_context(lang=admin.lang).name or code,
                        year=year,
                        company=company.name,
                    ),
                    user_id=admin.id,
                )
                or self.env["mail.activity"]
            )
        if activities:
            self.op_holidays_warned_year = year
        return activities
