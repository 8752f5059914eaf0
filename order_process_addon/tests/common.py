# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

from ..models.vocabulary import ROLES
from .driver import Driver


def call_kw(case, login, model, method, args=(), kwargs=None):
    """As the web client: ``login`` (password = login) calls
    ``model.method`` through /web/dataset/call_kw over HTTP (an HttpCase);
    the response, checked to be HTTP 200."""
    case.authenticate(login, login)
    response = case.url_open(
        "/web/dataset/call_kw",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs or {},
                },
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    case.assertEqual(response.status_code, 200)
    return response


def demo_company(case):
    """The demo company, or ``case`` skipped when the demo data is not
    loaded (and ``make test`` fails on skips)."""
    company = case.env.ref("order_process_addon.company_demo", raise_if_not_found=False)
    if not company:
        case.skipTest("demo data not loaded")
    return company


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

    # ------------------------------------------------------------ process
    @classmethod
    def _driver(cls):
        """The process driver (tests/driver.py) of the test company."""
        return Driver(cls.env, cls.company, cls.users)

    @classmethod
    def _new_order(cls, lines=1, **vals):
        """A draft order registered by Customer Management's user."""
        return cls._driver().new_order(
            cls.customer,
            [(cls.product, 10)] * lines,
            date.today() + timedelta(days=20),
            **{"client_order_ref": "PO-4711", **vals},
        )

    def _queries(self, func):
        """How many queries ``func()`` sends, from cold ORM caches, what it
        writes flushed."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def _review(self, order, role):
        return order.op_review_ids.filtered(
            lambda r: (
                r.round == order.op_review_round
                and r.group_id == self.env.ref(f"order_process_addon.group_{role}")
            )
        )

    def _approve_all(self, order, committed=None):
        committed = committed or date.today() + timedelta(days=25)
        return self._driver().approve_pending(order, committed)

    def _answer(self, order, committed=None):
        """The reviews approved round after round (committed: in 25 days),
        then the PMC planner's answer (R2, R6)."""
        committed = committed or date.today() + timedelta(days=25)
        self._driver().answer(order, committed)
        return committed

    def _answered_order(self, lines=1, **vals):
        order = self._new_order(lines=lines, **vals)
        self._driver().register(order)
        committed = self._answer(order)
        self.assertEqual(order.op_committed_date, committed)
        return order

    def _sign_with_scan(self, order, signer="Chen Xiaojie"):
        return self._driver().sign(order, signer, datetime.now())
