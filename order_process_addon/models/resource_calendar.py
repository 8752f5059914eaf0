# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Working-time helpers every deadline of the process uses (R34).

All datetimes in and out are naive UTC, as Odoo stores them; the calendar's
own time zone, attendances and global leaves (public holidays) decide what
counts as working time.
"""

from datetime import date, datetime, time, timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)


# Official public holidays of mainland China (State Council schedules), as
# (first day, last day, name). Other years fall back to the fixed-date ones.
CN_PUBLIC_HOLIDAYS = {
    2025: [
        ("2025-01-01", "2025-01-01", _lt("New Year's Day")),
        ("2025-01-28", "2025-02-04", _lt("Spring Festival")),
        ("2025-04-04", "2025-04-06", _lt("Qingming Festival")),
        ("2025-05-01", "2025-05-05", _lt("Labour Day")),
        ("2025-05-31", "2025-06-02", _lt("Dragon Boat Festival")),
        ("2025-10-01", "2025-10-08", _lt("National Day and Mid-Autumn Festival")),
    ],
    2026: [
        ("2026-01-01", "2026-01-03", _lt("New Year's Day")),
        ("2026-02-15", "2026-02-23", _lt("Spring Festival")),
        ("2026-04-04", "2026-04-06", _lt("Qingming Festival")),
        ("2026-05-01", "2026-05-05", _lt("Labour Day")),
        ("2026-06-19", "2026-06-21", _lt("Dragon Boat Festival")),
        ("2026-09-25", "2026-09-27", _lt("Mid-Autumn Festival")),
        ("2026-10-01", "2026-10-07", _lt("National Day")),
    ],
}
CN_FIXED_HOLIDAYS = [
    ("01-01", "01-01", _lt("New Year's Day")),
    ("05-01", "05-05", _lt("Labour Day")),
    ("10-01", "10-07", _lt("National Day")),
]


def _utc(dt):
    return pytz.utc.localize(dt) if dt.tzinfo is None else dt.astimezone(pytz.utc)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

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

    def op_load_cn_public_holidays(self, year=None):
        """Add mainland China's public holidays of ``year`` (default: this
        year) as global time off of the calendar; days already there are
        kept. Returns the created ``resource.calendar.leaves``."""
        year = year or fields.Date.context_today(self).year
        if year in CN_PUBLIC_HOLIDAYS:
            table = CN_PUBLIC_HOLIDAYS[year]
        else:
            table = [(f"{year}-{a}", f"{year}-{b}", n) for a, b, n in CN_FIXED_HOLIDAYS]
        vals_list = []
        for calendar in self:
            tz = pytz.timezone(calendar.tz or "UTC")
            existing = {
                pytz.utc.localize(leave.date_from).astimezone(tz).date()
                for leave in calendar.global_leave_ids
            }
            for first, last, name in table:
                first_day = date.fromisoformat(first)
                if first_day in existing:
                    continue
                start = tz.localize(datetime.combine(first_day, time.min))
                stop = tz.localize(datetime.combine(date.fromisoformat(last), time.max))
                vals_list.append(
                    {
                        "name": str(name),
                        "calendar_id": calendar.id,
                        "company_id": calendar.company_id.id,
                        "resource_id": False,
                        "time_type": "leave",
                        "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                        "date_to": stop.astimezone(pytz.utc).replace(
                            tzinfo=None, microsecond=0
                        ),
                    }
                )
        return self.env["resource.calendar.leaves"].create(vals_list)
