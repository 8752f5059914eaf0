# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OrderProcessCase

SHANGHAI = timedelta(hours=8)


def local(*args):
    """Naive UTC datetime of a wall-clock time in Asia/Shanghai (UTC+8)."""
    return datetime(*args) - SHANGHAI


@tagged("post_install", "-at_install")
class TestWorkingCalendar(OrderProcessCase):
    """R34: deadlines count the company's working days and hours."""

    def test_r04_one_working_day_from_friday_afternoon_is_monday(self):
        deadline = self.calendar.op_plan_working_time(local(2026, 9, 25, 15, 0), days=1)
        self.assertEqual(deadline, local(2026, 9, 28, 15, 0))

    def test_r34_deadline_skips_a_public_holiday(self):
        # Tuesday 15:00 + 1 working day: Wednesday is a holiday -> Thursday.
        deadline = self.calendar.op_plan_working_time(local(2026, 9, 29, 15, 0), days=1)
        self.assertEqual(deadline, local(2026, 10, 1, 15, 0))

    def test_r04_registered_on_saturday_counts_from_monday_morning(self):
        deadline = self.calendar.op_plan_working_time(local(2026, 9, 26, 10, 0), days=1)
        self.assertEqual(deadline, local(2026, 9, 28, 17, 0))

    def test_r06_rush_hours_skip_lunch(self):
        deadline = self.calendar.op_plan_working_time(
            local(2026, 9, 28, 11, 0), hours=2
        )
        self.assertEqual(deadline, local(2026, 9, 28, 14, 0))

    def test_r34_days_and_hours_add_up(self):
        deadline = self.calendar.op_plan_working_time(
            local(2026, 9, 28, 9, 0), days=1, hours=3
        )
        # Monday 09-12 and 13-17 (7 h), then Tuesday 08-12 (4 h).
        self.assertEqual(deadline, local(2026, 9, 29, 12, 0))

    def test_r37_negative_duration_refused(self):
        with self.assertRaises(UserError):
            self.calendar.op_plan_working_time(local(2026, 9, 28, 9, 0), days=-1)

    def test_r13_next_release_time_is_next_working_morning(self):
        # After Friday 09:00 the next 07:50 on a working day is Monday's.
        self.assertEqual(
            self.calendar.op_next_time_of_day(local(2026, 9, 25, 9, 0), 7 + 50 / 60),
            local(2026, 9, 28, 7, 50),
        )

    def test_r13_release_time_later_today_is_today(self):
        self.assertEqual(
            self.calendar.op_next_time_of_day(local(2026, 9, 28, 7, 0), 7 + 50 / 60),
            local(2026, 9, 28, 7, 50),
        )

    def test_r28_next_statistics_deadline_skips_holiday(self):
        # Tuesday after 09:00: Wednesday is a holiday, so Thursday 09:00.
        self.assertEqual(
            self.calendar.op_next_time_of_day(local(2026, 9, 29, 10, 0), 9.0),
            local(2026, 10, 1, 9, 0),
        )

    def test_r34_working_dates_exclude_weekend_and_holiday(self):
        dates = self.calendar.op_working_dates(date(2026, 9, 26), date(2026, 10, 2))
        self.assertEqual(
            dates,
            {
                date(2026, 9, 28),
                date(2026, 9, 29),
                date(2026, 10, 1),
                date(2026, 10, 2),
            },
        )
        self.assertFalse(self.calendar.op_is_working_date(date(2026, 9, 30)))

    def test_r30_working_hours_between(self):
        start, end = local(2026, 9, 25, 15, 0), local(2026, 9, 28, 15, 0)
        self.assertAlmostEqual(self.calendar.op_working_hours_between(start, end), 8.0)
        self.assertAlmostEqual(self.calendar.op_working_hours_between(end, start), -8.0)

    def test_r34_company_calendar_is_used(self):
        self.assertEqual(
            self.env["res.company"]._op_calendar(self.company), self.calendar
        )
