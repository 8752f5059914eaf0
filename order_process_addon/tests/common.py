# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

ROLES = (
    "sales",
    "customer_mgmt",
    "technical",
    "pmc_planner",
    "pmc_material",
    "pmc_clerk",
    "fg_warehouse",
    "pmc_manager",
    "purchasing",
    "production",
    "quality",
    "administration",
    "finance",
    "audit",
    "general_manager",
)


class OrderProcessCase(TransactionCase):
    """A company that runs the process, on a Monday-Friday 08-12 / 13-17
    calendar in Asia/Shanghai with one public holiday, and one user per
    role (login ``op_<role>``), all built without the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create(
            {
                "name": "Test Die-Cut Co.",
                "op_enabled": True,
                "currency_id": cls.env.ref("base.CNY").id,
            }
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Test factory calendar",
                "company_id": cls.company.id,
                "tz": "Asia/Shanghai",
                "hours_per_day": 8.0,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8, 12, "morning"),
                        (13, 17, "afternoon"),
                    )
                ],
            }
        )
        # Wednesday 2026-09-30 is a (test) public holiday: 00:00-24:00 local
        # time, stored in UTC.
        cls.holiday = cls.env["resource.calendar.leaves"].create(
            {
                "name": "Test holiday",
                "calendar_id": cls.calendar.id,
                "company_id": cls.company.id,
                "date_from": datetime(2026, 9, 29, 16, 0),
                "date_to": datetime(2026, 9, 30, 15, 59, 59),
            }
        )
        cls.company.resource_calendar_id = cls.calendar
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"op_{role}",
                groups=f"base.group_user,order_process_addon.group_{role}",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for role in ROLES
        }
        cls.customer = cls.env["res.partner"].create({"name": "Test Customer Ltd."})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test Gasket",
                "type": "consu",
                "list_price": 2.0,
            }
        )

    @classmethod
    def _create_order(cls, company=None, user=None, **vals):
        company = company or cls.company
        env = cls.env(user=user) if user else cls.env
        env = env(context=dict(env.context, allowed_company_ids=company.ids))
        return env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": 10}
                    )
                ],
                **vals,
            }
        )
