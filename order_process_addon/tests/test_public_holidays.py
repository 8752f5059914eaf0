# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OrderProcessCase
from .test_calendar import local


@tagged("post_install", "-at_install")
class TestPublicHolidays(OrderProcessCase):
    """R34: public holidays are data (Configuration → Public Holidays),
    applied as global time off of the process companies' calendars, and the
    administrators are warned when next year's are not published yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="op_holiday_admin",
            groups="base.group_user,base.group_system",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.Holiday = cls.env["order.public.holiday"]
        cls.warning_type = cls.env.ref("mail.mail_activity_data_warning")

    def _global_leaves(self, calendar=None):
        return (calendar or self.calendar).global_leave_ids

    def _all_warnings(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "order.public.holiday"),
                ("activity_type_id", "=", self.warning_type.id),
                ("user_id", "=", self.admin.id),
            ]
        )

    def _warnings(self, year):
        # The test company's administrator (the demo company has its own).
        return self._all_warnings().filtered(
            lambda a: (
                a.summary == f"Public holidays of {year} are missing"
                and a.user_id == self.admin
            )
        )

    # ------------------------------------------------------------ applying
    def test_r34_spring_festival_2026_is_global_time_off(self):
        leaves = self.calendar.op_load_cn_public_holidays(2026)
        spring = leaves.filtered(lambda leave: leave.name == "Spring Festival")
        self.assertEqual(len(spring), 1)
        self.assertFalse(spring.resource_id)
        self.assertEqual(spring.calendar_id, self.calendar)
        # 2026-02-15 00:00 to 2026-02-23 23:59:59 in Shanghai, stored in UTC.
        self.assertEqual(spring.date_from, local(2026, 2, 15, 0, 0))
        self.assertEqual(spring.date_to, local(2026, 2, 23, 23, 59, 59))
        working = self.calendar.op_working_dates(date(2026, 2, 13), date(2026, 2, 25))
        self.assertEqual(
            working, {date(2026, 2, 13), date(2026, 2, 24), date(2026, 2, 25)}
        )

    def test_r34_deadline_skips_the_spring_festival(self):
        self.calendar.op_load_cn_public_holidays(2026)
        # Friday 2026-02-13 15:00 + 1 working day: the week of the Spring
        # Festival and Monday 23rd are off, so Tuesday 24th 15:00.
        deadline = self.calendar.op_plan_working_time(local(2026, 2, 13, 15, 0), days=1)
        self.assertEqual(deadline, local(2026, 2, 24, 15, 0))

    def test_r34_applying_twice_creates_nothing(self):
        first = self.calendar.op_load_cn_public_holidays(2026)
        self.assertEqual(len(first), 7)
        before = self._global_leaves()
        self.assertFalse(self.calendar.op_load_cn_public_holidays(2026))
        self.assertFalse(self.calendar.op_apply_public_holidays(2026))
        self.assertEqual(self._global_leaves(), before)

    def test_r34_a_day_already_off_is_not_added_again(self):
        # The administrator already gave 2026-10-01 off by hand.
        manual = self.env["resource.calendar.leaves"].create(
            {
                "name": "National Day (by hand)",
                "calendar_id": self.calendar.id,
                "date_from": local(2026, 10, 1, 0, 0),
                "date_to": local(2026, 10, 1, 23, 59, 59),
            }
        )
        self.calendar.op_load_cn_public_holidays(2026)
        national = self._global_leaves().filtered(
            lambda leave: (
                leave.date_from >= local(2026, 10, 1, 0, 0)
                and leave.date_from < local(2026, 10, 8, 0, 0)
            )
        )
        self.assertEqual(len(national), 2)
        self.assertIn(manual, national)
        self.assertEqual((national - manual).date_from, local(2026, 10, 2, 0, 0))
        self.assertFalse(self.calendar.op_is_working_date(date(2026, 10, 7)))

    def test_r34_a_year_without_data_adds_nothing(self):
        """No fixed-date guess for a year whose schedule is not published."""
        before = self._global_leaves()
        self.assertFalse(self.calendar.op_load_cn_public_holidays(2031))
        self.assertFalse(self.calendar.op_apply_public_holidays(2031))
        self.assertEqual(self._global_leaves(), before)
        # Wednesday 2031-10-01 stays a working day until its row is added.
        self.assertTrue(self.calendar.op_is_working_date(date(2031, 10, 1)))

    # ------------------------------------------------------------ the data
    def test_r34_shipped_schedules_are_2025_and_2026(self):
        holidays = self.Holiday.search([("country_id.code", "=", "CN")])
        self.assertEqual(set(holidays.mapped("year")), {2025, 2026})
        self.assertEqual(len(holidays.filtered(lambda h: h.year == 2025)), 6)
        self.assertEqual(len(holidays.filtered(lambda h: h.year == 2026)), 7)
        spring = self.env.ref(
            "order_process_addon.public_holiday_cn_2025_spring_festival"
        )
        self.assertEqual(
            (spring.date_from, spring.date_to), (date(2025, 1, 28), date(2025, 2, 4))
        )

    def test_r34_admin_adds_a_year_and_process_calendars_take_it(self):
        other = self.env["res.company"].create({"name": "No Process Co."})
        other_calendar = other.resource_calendar_id
        holiday = self.Holiday.with_user(self.admin).create(
            {
                "name": "New Year's Day",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 1, 1),
            }
        )
        self.assertEqual(holiday.year, 2027)
        self.assertEqual(holiday.country_id, self.env.ref("base.cn"))
        # Friday 2027-01-01 is off for the process company only.
        self.assertFalse(self.calendar.op_is_working_date(date(2027, 1, 1)))
        self.assertTrue(other_calendar.op_is_working_date(date(2027, 1, 1)))
        self.assertFalse(other_calendar.global_leave_ids.op_public_holiday_id)

    def test_r34_correcting_a_holiday_moves_its_time_off(self):
        holiday = self.Holiday.with_user(self.admin).create(
            {
                "name": "New Year's Day",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 1, 1),
            }
        )
        holiday.with_user(self.admin).write({"date_to": date(2027, 1, 4)})
        self.assertFalse(self.calendar.op_is_working_date(date(2027, 1, 4)))
        holiday.with_user(self.admin).write(
            {"date_from": date(2027, 1, 4), "date_to": date(2027, 1, 4)}
        )
        self.assertTrue(self.calendar.op_is_working_date(date(2027, 1, 1)))
        self.assertFalse(self.calendar.op_is_working_date(date(2027, 1, 4)))
        holiday.with_user(self.admin).unlink()
        self.assertTrue(self.calendar.op_is_working_date(date(2027, 1, 4)))

    def test_r36_process_users_read_the_holidays_but_do_not_change_them(self):
        user = self.users["pmc_manager"]
        self.assertTrue(self.Holiday.with_user(user).search_count([]))
        with self.assertRaises(AccessError):
            self.Holiday.with_user(user).create(
                {
                    "name": "Made-up holiday",
                    "date_from": date(2027, 3, 1),
                    "date_to": date(2027, 3, 1),
                }
            )
        self.assertFalse(self.Holiday.search([("year", "=", 2027)]))

    # ------------------------------------------------------------ the cron
    def test_r34_cron_warns_the_administrator_once_when_next_year_is_missing(self):
        self.Holiday._cron_check_public_holidays(today=date(2026, 12, 1))
        warning = self._warnings(2027)
        self.assertEqual(len(warning), 1)
        self.assertEqual(warning.user_id, self.admin)
        self.assertEqual(warning.res_model, "order.public.holiday")
        self.assertEqual(warning.date_deadline, date(2026, 12, 31))
        self.assertIn("2027", str(warning.note))
        # Not twice: neither the next day, nor once the first is done.
        self.Holiday._cron_check_public_holidays(today=date(2026, 12, 2))
        self.assertEqual(self._warnings(2027), warning)
        warning.action_feedback()
        self.Holiday._cron_check_public_holidays(today=date(2026, 12, 3))
        self.assertFalse(self._warnings(2027))

    def test_r34_cron_runs_on_todays_date(self):
        with freeze_time("2026-12-01 01:00:00"):
            cron = self.env.ref("order_process_addon.ir_cron_check_public_holidays")
            cron.method_direct_trigger()
        self.assertEqual(len(self._warnings(2027)), 1)

    def test_r34_cron_does_not_warn_before_december(self):
        self.Holiday._cron_check_public_holidays(today=date(2026, 11, 30))
        self.assertFalse(self._warnings(2027))

    def test_r34_cron_does_not_warn_when_next_year_is_published(self):
        self.Holiday._cron_check_public_holidays(today=date(2025, 12, 1))
        self.assertFalse(self._all_warnings())
        self.Holiday.create(
            {
                "name": "New Year's Day",
                "date_from": date(2027, 1, 1),
                "date_to": date(2027, 1, 1),
            }
        )
        self.Holiday._cron_check_public_holidays(today=date(2026, 12, 1))
        self.assertFalse(self._warnings(2027))

    def test_r34_cron_applies_published_years_not_yet_applied(self):
        self.assertTrue(self.calendar.op_is_working_date(date(2026, 10, 2)))
        self.Holiday._cron_check_public_holidays(today=date(2026, 11, 28))
        self.assertFalse(self.calendar.op_is_working_date(date(2026, 10, 2)))
        self.assertFalse(self.calendar.op_is_working_date(date(2026, 2, 16)))
        # Years already over are not applied again.
        self.assertTrue(self.calendar.op_is_working_date(date(2025, 10, 6)))
