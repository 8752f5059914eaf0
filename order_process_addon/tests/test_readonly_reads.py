# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 22, item 2 (R36): every read works on a read replica.

Odoo 18 runs what it marks read-only (routes such as ``/web/action/load``,
``/web/webclient/load_menus`` and ``/report/html``; over ``call_kw`` the
methods decorated ``@api.readonly``: ``get_views``, ``web_search_read``,
``web_read``, ``web_read_group``, ``read_group``, ``read_progress_bar``) on
a read-only cursor, the one a deployment points at its streaming replica
(``db_replica_host``). A write there fails with "cannot execute ... in a
read-only transaction"; Odoo then rolls back, logs a warning and runs the
request again on the primary. ``HttpCase`` routes requests the same way, on
a read-only test cursor (``SET TRANSACTION READ ONLY``), so that warning in
the log is a read of the addon that writes.

As each demo role user, through the web client's own calls: the menus, each
window action of the Order Process menu and the user's home action (each of
its views: the list and the kanban read and grouped as the action's default
filters group them, the graph and the pivot grouped as they show, the first
record of the list read in its form: My Reviews, My To-dos, the orders, the
KPI dashboard, the Finance lists, the shipments kanban ...), and every
process report (D1-D13, the monthly review) as HTML on a record of the demo
company; as Huaxing's portal user, the portal's pages of its order. Every
answer is 200 without JSON-RPC error, and the log has no "retrying with a
read/write cursor" and no error.

The PDFs take the same route and the same rendering as the HTML, then
wkhtmltopdf, which fetches the CSS from the server: from this test server
that request waits for the test cursor the PDF request holds (none of the
process's reports stores its PDF as an attachment, the one write a PDF
could add). The portal's pages are read/write routes in Odoo (the primary
serves them); only ``/my/counters`` among them is read-only."""

import logging
from datetime import date

import requests
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

from . import test_odoo_users, test_role_matrix
from .common import ROLES
from .test_role_matrix import DemoUsersCase

RETRY = "retrying with a read/write cursor"
# Views the web client reads with web_search_read.
LISTS = ("list", "kanban", "calendar", "activity")
# The web client groups these with read_group.
CHARTS = ("graph", "pivot")


class _Collector(logging.Handler):
    """The warnings and errors logged while it is attached."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@tagged("post_install", "-at_install")
class TestReadonlyReads(DemoUsersCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The orders are Huaxing's, whose demo portal user follows them.
        cls.customer = cls.env.ref("order_process_addon.partner_huaxing_demo")
        cls.portal_user = cls.env.ref("order_process_addon.user_portal_huaxing_demo")

    def setUp(self):
        super().setUp()
        self.collector = _Collector()
        logger = logging.getLogger("odoo")
        logger.addHandler(self.collector)
        self.addCleanup(logger.removeHandler, self.collector)
        self.problems = []
        self.calls = {}

    # ------------------------------------------------------------ checks
    def _check_log(self, what):
        """What the log says of the requests of ``what``: a write refused
        on the read-only cursor (then retried on the primary), an error."""
        for record in self.collector.records:
            message = record.getMessage()
            if RETRY in message or record.levelno >= logging.ERROR:
                self.problems.append(f"{what}: {message.splitlines()[0]}")
        self.collector.records.clear()

    def _count(self, kind):
        self.calls[kind] = self.calls.get(kind, 0) + 1

    def _get(self, url, what):
        self._count("http")
        response = self.url_open(url)
        if response.status_code != 200:
            self.problems.append(f"{what}: HTTP {response.status_code}")
        self._check_log(what)
        return response

    def _rpc(self, route, params, what):
        self._count("rpc")
        try:
            result = self.make_jsonrpc_request(route, params)
        except (JsonRpcException, requests.HTTPError) as error:
            self.problems.append(f"{what}: {error}")
            result = None
        self._check_log(what)
        return result

    def _call(self, user, model, method, *args, **kwargs):
        """``model.method`` over ``call_kw``, as the web client calls it."""
        kwargs["context"] = {
            "lang": user.lang,
            "tz": user.tz,
            "uid": user.id,
            "allowed_company_ids": self.company.ids,
            **kwargs.get("context", {}),
        }
        return self._rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            f"{user.login} {model}.{method}",
        )

    # ------------------------------------------------------------ screens
    def _eval_context(self, user):
        return {
            "uid": user.id,
            "context_today": date.today,
            "relativedelta": relativedelta,
            "datetime": safe_datetime,
            "time": safe_time,
            "allowed_company_ids": self.company.ids,
            "current_company_id": self.company.id,
        }

    def _search(self, user, action, search_arch):
        """The action's domain with its default filters, and the group by
        they set, as the web client's search model makes them."""
        eval_context = self._eval_context(user)
        domain = safe_eval(action.get("domain") or "[]", eval_context)
        context = safe_eval(action.get("context") or "{}", eval_context)
        groupby = []
        search = etree.fromstring(search_arch) if search_arch else None
        for key, value in context.items():
            if not key.startswith("search_default_") or not value or search is None:
                continue
            name = key[len("search_default_") :]
            for node in search.iter("filter"):
                if node.get("name") != name:
                    continue
                if node.get("domain"):
                    domain = domain + safe_eval(node.get("domain"), eval_context)
                if node.get("context"):
                    group = safe_eval(node.get("context"), eval_context)
                    if group.get("group_by"):
                        groupby.append(group["group_by"])
        context = {
            key: value
            for key, value in context.items()
            if not key.startswith(("search_default_", "default_"))
        }
        return domain, groupby, context

    def _chart(self, arch, description):
        """The group by and the measures of a graph or a pivot view."""
        groupby, measures = [], []
        for node in etree.fromstring(arch).iter("field"):
            name = node.get("name")
            if node.get("type") == "measure":
                aggregator = description.get(name, {}).get("aggregator") or "sum"
                measures.append(f"{name}:{aggregator}")
            elif node.get("type") in (None, "row", "col"):
                interval = node.get("interval")
                groupby.append(f"{name}:{interval}" if interval else name)
        return groupby, measures

    def _open_action(self, user, action_id):
        """Every view of a window action as the web client shows it; the
        first record of its list read in its form."""
        action = self._rpc(
            "/web/action/load",
            {"action_id": action_id},
            f"{user.login} action {action_id}",
        )
        if not action or action.get("type") != "ir.actions.act_window":
            return
        model = action["res_model"]
        if self.env[model].is_transient():
            return  # settings and wizards: a form to fill in, not a read
        what = f"{user.login} {action.get('xml_id') or action_id}"
        search_view = action.get("search_view_id") or [False]
        views = self._call(
            user,
            model,
            "get_views",
            views=[*action["views"], [search_view[0], "search"]],
            options={"action_id": action["id"], "load_filters": True, "toolbar": True},
        )
        if not views:
            return
        models = views["models"]
        description = models[model]["fields"]
        domain, groupby, context = self._search(
            user, action, views["views"]["search"]["arch"]
        )
        first = None
        for _view_id, kind in action["views"]:
            arch = views["views"].get(kind, {}).get("arch")
            if not arch:
                continue
            if kind != "form":
                self._count(f"view {kind}")
            if kind in CHARTS:
                rows, measures = self._chart(arch, description)
                self._call(
                    user,
                    model,
                    "read_group",
                    domain,
                    measures,
                    groupby or rows[:1],
                    lazy=False,
                    context=context,
                )
            elif kind in LISTS:
                spec = test_odoo_users.TestOdooUsers._spec(arch, model, models)
                default_group = etree.fromstring(arch).get("default_group_by")
                group = groupby or ([default_group] if default_group else [])
                if group:
                    self._call(
                        user,
                        model,
                        "web_read_group",
                        domain,
                        [],
                        group[:1],
                        lazy=True,
                        context=context,
                    )
                result = self._call(
                    user,
                    model,
                    "web_search_read",
                    domain,
                    spec,
                    limit=80,
                    count_limit=10001,
                    context=context,
                )
                if result and result["records"] and first is None:
                    first = result["records"][0]["id"]
            elif kind == "form" and first:
                spec = test_odoo_users.TestOdooUsers._spec(arch, model, models)
                self._call(user, model, "web_read", [first], spec, context=context)
                self._count("view form")
                self._count(f"record {model}")
        self.calls.setdefault("screens", set()).add(what)

    def _menu_actions(self, user):
        """The window actions of the Order Process menus the user sees, the
        home action first."""
        menus = self._get(
            "/web/webclient/load_menus/readonly-test", f"{user.login} menus"
        ).json()
        root = self.env.ref("order_process_addon.menu_root").id
        actions = [user.action_id.id] if user.action_id else []
        for menu in menus.values():
            if (
                isinstance(menu, dict)
                and menu.get("appID") == root
                and menu.get("actionModel") == "ir.actions.act_window"
                and menu["actionID"] not in actions
            ):
                actions.append(menu["actionID"])
        return actions

    # ------------------------------------------------------------ records
    def _fixtures(self):
        """An order of Huaxing received in the warehouse (D1, D2, D8), its
        delivery (D11), and a record of each other printed model in the
        demo company."""
        receipt = self._signed_receipt()
        order = receipt.sale_order_id
        records = test_role_matrix.TestMultiCompanyReports._foreign_records(
            self, self.company
        )
        records.update(
            {
                "sale.order": order,
                "mrp.production": receipt.production_id,
                "order.fg.receipt": receipt,
                "stock.picking": order.picking_ids.filtered(
                    lambda p: p.picking_type_code == "outgoing"
                ),
            }
        )
        return records

    # ------------------------------------------------------------ tests
    def test_r36_issue22_every_role_reads_on_the_read_only_cursor(self):
        records = self._fixtures()
        reports = self.env["ir.actions.report"].search(
            [
                "|",
                ("report_name", "=like", "order_process_addon.%"),
                ("report_name", "=", "stock.report_deliveryslip"),
            ]
        )
        self.assertGreaterEqual(len(reports), 13, "D1-D13 (D5 and D6 in one)")
        self.env.flush_all()
        for role in ROLES:
            user = self.users[role]
            self.authenticate(user.login, user.login)
            self._rpc("/web/session/get_session_info", {}, f"{user.login} session info")
            actions = self._menu_actions(user)
            self.assertIn(user.action_id.id, actions, f"{role} has no home action")
            for action_id in actions:
                self._open_action(user, action_id)
            # The monthly totals the dashboard's graph and pivot read (issue
            # 11), read directly too.
            self._call(
                user,
                "order.kpi.month",
                "read_group",
                [],
                ["fact_count:sum", "rate_final:avg"],
                ["month:month"],
                lazy=False,
            )
            for report in reports:
                record = records[report.model]
                self._get(
                    f"/report/html/{report.report_name}/{record.id}",
                    f"{user.login} {report.report_name}",
                )
                self._count("report html")
        screens = self.calls.pop("screens")
        logging.getLogger(__name__).info(
            "read-only reads: %s screens, %s",
            len(screens),
            ", ".join(f"{k}={v}" for k, v in sorted(self.calls.items())),
        )
        self.assertFalse(self.problems, "\n".join(self.problems))
        # Every role opened the landings and screens of the issue.
        for xmlid in (
            "order_process_addon.order_review_action_my",
            "order_process_addon.mail_activity_action_my_process",
            "order_process_addon.sale_order_action",
            "order_process_addon.order_kpi_fact_action",
            "order_process_addon.account_move_action_invoiced_not_paid",
            "order_process_addon.sale_order_line_action_shipped_not_invoiced",
            "order_process_addon.stock_picking_action_shipping",
        ):
            self.assertTrue(
                any(screen.endswith(xmlid) for screen in screens), f"{xmlid} not read"
            )
        for kind in ("view graph", "view pivot", "view kanban", "view list"):
            self.assertIn(kind, self.calls)

    def test_r36_issue22_the_portal_reads_on_the_read_only_cursor(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        self.assertEqual(order.partner_id, self.customer)
        self.env.flush_all()
        user = self.portal_user
        self.authenticate(user.login, user.login)
        for url in (
            "/my",
            "/my/quotes",
            "/my/orders",
            f"/my/orders/{order.id}",
            f"/my/orders/{order.id}?report_type=html",
        ):
            response = self._get(url, f"portal {url}")
            if url.startswith("/my/orders/"):
                self.assertIn(order.name, response.text)
        self._rpc(
            "/my/counters",
            {"counters": ["quotation_count", "order_count"]},
            "portal counters",
        )
        self.assertFalse(self.problems, "\n".join(self.problems))
