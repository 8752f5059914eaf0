# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R23, R34: the shipping order's deadline. When the goods are in (D8
signed), the merchandiser gets a to-do to issue the D10 by the working day
before the ship date; a D10 still not issued at the end of that day is
escalated once to the PMC manager.

Dates (Asia/Shanghai, Monday-Friday): ship on Monday 2026-12-07, so the D10
is due by the end of Friday 2026-12-04 (16:00 UTC)."""

from datetime import date

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from . import test_shipping

ISSUE = "order_process_addon.mail_activity_type_issue_d10"
ESCALATION = "order_process_addon.mail_activity_type_d10_escalation"
MONDAY_SHIP = "2026-12-07 02:00:00"  # 10:00 local
FRIDAY_EVENING = "2026-12-04 15:30:00"  # 23:30 local: still in time
SATURDAY_MORNING = "2026-12-04 16:30:00"  # 00:30 local: overdue


@tagged("post_install", "-at_install")
class TestShippingOrderDeadline(test_shipping.ShippingCase):
    def _activities(self, record, xmlid, user=None):
        kind = self.env.ref(xmlid)
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == kind and (not user or a.user_id == user)
        )

    def _cron(self, when):
        with freeze_time(when):
            return self.env["stock.picking"]._cron_escalate_missing_d10()

    def test_r23_r34_merchandiser_asked_then_escalated_once(self):
        picking = self._received_delivery()
        merchandiser = self.users["customer_mgmt"]
        todo = self._activities(picking, ISSUE)
        self.assertEqual(todo.user_id, merchandiser, "asked when the goods are in")
        self.assertEqual(
            todo.date_deadline,
            picking._op_d10_last_day(
                self.env["res.company"]._op_calendar(self.company)
            ),
        )
        # Shipping on Monday: due by the end of Friday, local time.
        picking.sudo().scheduled_date = MONDAY_SHIP
        self.assertEqual(
            picking.op_d10_deadline, fields.Datetime.to_datetime("2026-12-04 16:00:00")
        )
        self.assertEqual(
            picking._op_d10_last_day(
                self.env["res.company"]._op_calendar(self.company)
            ),
            date(2026, 12, 4),
        )
        manager = self.users["pmc_manager"]
        self.assertFalse(self._cron(FRIDAY_EVENING), "not yet due")
        self.assertFalse(self._activities(picking, ESCALATION))
        self.assertEqual(self._cron(SATURDAY_MORNING), picking)
        self.assertTrue(picking.op_d10_escalated)
        self.assertEqual(len(self._activities(picking, ESCALATION, manager)), 1)
        self.assertIn("2026-12-05 00:00 CST", picking.message_ids[0].body)
        # Once.
        self.assertFalse(self._cron("2026-12-05 16:30:00"))
        self.assertEqual(len(self._activities(picking, ESCALATION, manager)), 1)

    def test_r23_issued_in_time_closes_the_to_do_and_is_not_escalated(self):
        picking = self._received_delivery()
        self.assertTrue(self._activities(picking, ISSUE))
        with freeze_time(test_shipping.TUESDAY):
            self._d10(picking).action_issue()
        self.assertFalse(self._activities(picking, ISSUE), "done")
        self.assertEqual(picking.op_shipping_step, "d10_review")
        self.assertFalse(self._cron("2027-01-30 02:00:00"))
        self.assertFalse(picking.op_d10_escalated)
