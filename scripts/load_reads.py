"""The web client's reads as the role users, over its own routes (issue 22).

Odoo 18 serves on its read replica (``db_replica_host``) what it marks
read-only: the routes ``/web/webclient/load_menus``, ``/web/action/load``,
``/report/html`` and ``/report/pdf``, and over ``/web/dataset/call_kw`` the
methods decorated ``@api.readonly`` (``get_views``, ``web_search_read``,
``web_read``, ``web_read_group``, ``read_group``). ``/jsonrpc``'s
``execute_kw`` always runs on the primary. So the reads here go through a
web session (cookie) and ``/web/dataset/call_kw``, as the browser does.

Two uses:

- ``python scripts/load_reads.py --url .. --db ..`` (make cluster's check,
  item 2): every role user opens each window action of the Order Process
  menus and its home action (list/kanban read and grouped, graph and pivot
  grouped, the first record's form), every process report of the demo
  company in HTML (and, with --pdf, in PDF) on one record, and the portal
  user its portal pages; prints what it did and every failure.
- ``Browsing`` (imported by scripts/load.py, item 3): between two steps a
  simulated user opens one of its screens (a list, its first record, now and
  then the KPI dashboard), as the web client would.

Reading one's own write: a read-only request may be served by a replica that
is behind the primary (replay paused, or just lagging). Two kinds of read
happen right after a step of the process:

- the check whether a write whose answer was lost went through (load.py's
  ``perform``/``done_fn``) MUST read the primary: a stale "not done" there
  would send the write again and duplicate it. load.py reads over
  ``/jsonrpc`` (always the primary) for that reason; keep it so.
- the screens a user opens between steps (``Browsing.browse``): lists,
  forms and the dashboard, on the replica as Odoo routes them. A replica
  held behind shows them as they were when replay stopped, as any report
  "as of" a moment; nothing is decided from them, so no write is lost or
  repeated. In the addon, nothing that follows a button re-reads through
  a read-only route to decide anything: the buttons (call_button) are
  read/write, run on the primary and return the next action from there.

Standard library only.
"""

import argparse
import ast
import http.cookiejar
import importlib.util
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

TIMEOUT = 150
# The screens a simulated user of make load opens (the first of its menus).
SCREENS_PER_ROLE = 8
MENU_ROOT = "order_process_addon.menu_root"
# The KPI dashboard: the graph and pivot every manager opens.
DASHBOARD = "order_process_addon.order_kpi_fact_action"
FIRST = [
    f"order_process_addon.{name}"
    for name in (
        "order_kpi_fact_menu",  # the KPI dashboard
        "order_review_menu_my",  # My Reviews
        "mail_activity_menu_my_process",  # My To-dos
        "sale_order_menu",
        "stock_picking_shipping_menu",  # the shipments kanban
        "account_move_menu_invoiced_not_paid",  # Finance
    )
]
LISTS = ("list", "kanban", "calendar", "activity")
CHARTS = ("graph", "pivot")


def addon_module(*path):
    """A plain-Python module of the addon (no odoo import: the vocabulary,
    the steps of the process, the fake robot platforms), loaded from its
    file, so that these scripts use the addon's one definition."""
    file = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "order_process_addon", *path
    )
    name = "order_process_" + os.path.splitext(path[-1])[0]
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The demo company's role users (login = password): the addon's roles.
ROLES = addon_module("models", "vocabulary.py").ROLES


class ReadError(Exception):
    def __init__(self, cause, message=""):
        super().__init__(f"{cause}: {message}"[:300])
        self.cause = cause
        self.message = message


class WebSession:
    """A browser's session: the session cookie and the web client's routes."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.db = db
        self.login = login
        self.password = password
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.uid = None
        self.context = {}

    def _open(self, path, data=None, headers=None):
        request = urllib.request.Request(
            self.url + path, data=data, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            raise ReadError(f"http_{error.code}", error.reason) from None
        except (OSError, ValueError) as error:
            raise ReadError(f"connection:{type(error).__name__}", str(error)) from None

    def json(self, path, params):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params, "id": 1}
        _status, body = self._open(
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        try:
            body = json.loads(body)
        except ValueError as error:
            raise ReadError("bad_json", str(error)) from None
        if "error" in body:
            data = body["error"].get("data") or {}
            raise ReadError(
                f"rpc:{data.get('name') or body['error'].get('message')}",
                data.get("message", ""),
            )
        return body.get("result")

    def get(self, path):
        return self._open(path)

    def authenticate(self):
        info = self.json(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login, "password": self.password},
        )
        if not info or not info.get("uid"):
            raise ReadError("login", f"{self.login} refused")
        self.uid = info["uid"]
        self.context = info.get("user_context") or {}
        return info

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


# ------------------------------------------------------------------ screens
def _literal(text, uid):
    """An action's domain or context when it is a literal (uid aside);
    ``None`` when it needs more of the web client's evaluation context."""
    if not text:
        return None
    if not isinstance(text, str):
        return text
    try:
        return ast.literal_eval(text.replace("uid", str(uid)))
    except (ValueError, SyntaxError):
        return None


def _spec(arch, fields):
    """The web client's field specification of a view: its fields, the
    relational ones with their display name."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - only here

    spec = {}
    root = ET.fromstring(arch)
    for node in root.iter("field"):
        name = node.get("name")
        desc = fields.get(name)
        if not desc or name in spec:
            continue
        if desc["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
            if desc["type"] != "many2one":
                spec[name]["limit"] = 40
        else:
            spec[name] = {}
    return spec


def _chart_rows(arch, fields):
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - only here

    rows, measures = [], []
    for node in ET.fromstring(arch).iter("field"):
        name = node.get("name")
        if name not in fields:
            continue
        if node.get("type") == "measure":
            measures.append(f"{name}:sum")
        elif node.get("type") in (None, "row", "col"):
            rows.append(name)
    return rows, measures


class Screen:
    """One window action as the web client opens it."""

    def __init__(self, action, views, uid):
        self.xml_id = action.get("xml_id") or str(action["id"])
        self.model = action["res_model"]
        self.domain = _literal(action.get("domain"), uid) or []
        context = _literal(action.get("context"), uid) or {}
        self.context = {
            k: v for k, v in context.items() if not k.startswith("search_default")
        }
        fields = views["models"][self.model]["fields"]
        self.steps = []
        self.form = None
        for _view_id, kind in action["views"]:
            arch = views["views"].get(kind, {}).get("arch")
            if not arch:
                continue
            if kind in CHARTS:
                rows, measures = _chart_rows(arch, fields)
                self.steps.append(("chart", kind, rows[:1], measures))
            elif kind in LISTS:
                self.steps.append(("list", kind, _spec(arch, fields), None))
            elif kind == "form":
                self.form = _spec(arch, fields)

    @property
    def dashboard(self):
        return self.xml_id == DASHBOARD


def discover(session, limit=None, errors=None):
    """The screens of the Order Process menus the user sees (at most
    ``limit``, the KPI dashboard kept); an action that fails to load is
    left out (its error counted in ``errors``)."""
    _status, body = session.get("/web/webclient/load_menus/cluster")
    menus = json.loads(body)
    root = next(
        (
            m["id"]
            for m in menus.values()
            if isinstance(m, dict) and m.get("xmlid") == MENU_ROOT
        ),
        None,
    )
    action_ids, xmlids = [], {}
    for menu in menus.values():
        if (
            isinstance(menu, dict)
            and menu.get("appID") == root
            and menu.get("actionModel") == "ir.actions.act_window"
            and menu["actionID"] not in action_ids
        ):
            action_ids.append(menu["actionID"])
            xmlids[menu["actionID"]] = menu.get("xmlid")
    # Within ``limit``: the dashboard and the user's own lists first.
    action_ids.sort(
        key=lambda a: FIRST.index(xmlids[a]) if xmlids[a] in FIRST else len(FIRST)
    )
    screens = []
    for action_id in action_ids:
        if limit and len(screens) >= limit:
            break
        try:
            screen = load_screen(session, action_id)
        except ReadError as error:
            if errors is None:
                raise
            errors[error.cause] = errors.get(error.cause, 0) + 1
            continue
        if screen:
            screens.append(screen)
    return screens


def load_screen(session, action_id):
    """/web/action/load and get_views: what the web client reads first."""
    action = session.json("/web/action/load", {"action_id": action_id})
    if not action or action.get("type") != "ir.actions.act_window":
        return None
    if (
        action.get("res_model") == "res.config.settings"
        or action.get("target") == "new"
    ):
        return None
    search = action.get("search_view_id") or [False]
    views = session.call(
        action["res_model"],
        "get_views",
        views=[*action["views"], [search[0], "search"]],
        options={"action_id": action["id"], "load_filters": True, "toolbar": True},
    )
    return Screen(action, views, session.uid)


def open_screen(session, screen, read_form=True):
    """The calls the web client makes to show ``screen``; the number of
    requests made and the first record's id."""
    calls, first = 0, None
    for step, kind, spec, measures in screen.steps:
        if step == "chart":
            session.call(
                screen.model,
                "read_group",
                screen.domain,
                measures or ["__count"],
                spec or [],
                lazy=False,
            )
        else:
            result = session.call(
                screen.model,
                "web_search_read",
                screen.domain,
                spec,
                limit=80 if kind == "list" else 40,
                count_limit=10001,
            )
            if result and result["records"] and first is None:
                first = result["records"][0]["id"]
        calls += 1
    if read_form and first and screen.form is not None:
        session.call(screen.model, "web_read", [first], screen.form)
        calls += 1
    return calls, first


# ------------------------------------------------------------ for make load
class Browsing:
    """The screens of each role, discovered once, opened between steps."""

    def __init__(self, url, db):
        self.url = url
        self.db = db
        self.lock = threading.Lock()
        self.screens = {}  # login -> [Screen]
        self.locks = {}  # login -> the lock of its discovery
        self.requests = 0
        self.errors = {}

    def session(self, login, password):
        """A web session of ``login``; its role's screens found once (the
        users of one role wait for the first, then share them)."""
        session = WebSession(self.url, self.db, login, password)
        session.authenticate()
        with self.lock:
            role_lock = self.locks.setdefault(login, threading.Lock())
        with role_lock:
            if login not in self.screens:
                self.screens[login] = discover(
                    session, limit=SCREENS_PER_ROLE, errors=self.errors
                )
        return session

    def browse(self, session, rng):
        """One screen of the user's (the dashboard one time in five, if they
        see it), its first record read in its form."""
        screens = self.screens.get(session.login) or []
        if not screens:
            return 0
        board = [s for s in screens if s.dashboard]
        screen = board[0] if board and rng.random() < 0.2 else rng.choice(screens)
        try:
            calls, _first = open_screen(session, screen)
        except ReadError as error:
            self._error(error)
            return 0
        with self.lock:
            self.requests += calls
        return calls

    def _error(self, error):
        with self.lock:
            self.errors[error.cause] = self.errors.get(error.cause, 0) + 1


# ------------------------------------------------------- make load CLUSTER=1
def read_env(path):
    """make cluster's $STATE_DIR/cluster/env: KEY=value lines."""
    with open(path) as env:
        return dict(line.rstrip("\n").split("=", 1) for line in env if "=" in line)


def _as_postgres(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class ClusterRun:
    """The read traffic and the replica's faults of a load run against make
    cluster, and what each server served."""

    def __init__(self, env_path, url, db):
        self.env = read_env(env_path)
        self.db = db
        self.browsing = Browsing(url, db)
        self.sessions = {}
        self.lock = threading.Lock()
        self.log = []
        self.lag = []  # seconds the replica was behind, sampled while paused
        self.offset = {"primary": 0, "replica": 0}
        self.since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
        self.start_counts = self.counts()

    # -------------------------------------------------------- servers
    def psql(self, server, query, database=None):
        port = self.env[
            "CLUSTER_PG_PORT" if server == "primary" else "CLUSTER_REPLICA_PORT"
        ]
        done = subprocess.run(
            ["psql", "-X", "-tA", "-h", self.env["CLUSTER_SOCK"], "-p", port]
            + ["-d", database or self.db, "-c", query],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() if done.returncode == 0 else None

    def counts(self):
        """Transactions of the database per server (pg_stat_database)."""
        out = {}
        for server in ("primary", "replica"):
            value = self.psql(
                server,
                "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                "WHERE datname = current_database()",
            )
            out[server] = int(value) if value else None
        return out

    def restart_replica(self):
        before = self.counts()["replica"] or 0
        done = subprocess.run(
            _as_postgres(
                [
                    f"{self.env['PGBIN']}/pg_ctl",
                    "-D",
                    self.env["CLUSTER_REPLICA"],
                    "-l",
                    f"{self.env['CLUSTER_PG_DIR']}/replica.log",
                    "-m",
                    "fast",
                    "-w",
                    "restart",
                ]
            ),
            capture_output=True,
            text=True,
            check=False,
        )
        after = self.counts()["replica"] or 0
        if after < before:  # its statistics started again from nothing
            self.offset["replica"] += before
        return done.returncode

    def replica_faults(self, start, duration, faults):
        """Replay paused from 20 % to 30 % of the run (the replica held
        behind the primary: the lag sampled), the replica restarted at 75 %."""
        time.sleep(max(0.0, start + 0.20 * duration - time.monotonic()))
        paused = self.psql("replica", "SELECT pg_wal_replay_pause()")
        self.log.append(f"replica replay paused at 20 %: {paused is not None}")
        if paused is None:
            faults.failed.append("could not pause the replica's replay")
        while time.monotonic() < start + 0.30 * duration:
            lag = self.psql(
                "replica",
                "SELECT coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), "
                "pg_last_wal_replay_lsn()), 0)",
            )
            if lag:
                self.lag.append(float(lag))
            time.sleep(2)
        self.psql("replica", "SELECT pg_wal_replay_resume()")
        behind = max(self.lag or [0]) / 1024
        self.log.append(
            f"replica replay resumed at 30 %: up to {behind:.0f} kB of WAL behind"
        )
        time.sleep(max(0.0, start + 0.75 * duration - time.monotonic()))
        index = faults.open("replica restart")
        code = self.restart_replica()
        faults.close(index, f"exit {code}")
        self.log.append(f"replica restarted at 75 %: exit {code}")
        if code:
            faults.failed.append("the replica's restart failed")

    # -------------------------------------------------------- users
    def between(self, client, rng):
        """A simulated user (load.py's Client) opens one of its screens."""
        with self.lock:
            session = self.sessions.get(client.login)
        try:
            if session is None:
                session = self.browsing.session(client.login, client.password)
                with self.lock:
                    self.sessions[client.login] = session
            self.browsing.browse(session, rng)
        except ReadError as error:
            self.browsing._error(error)

    # -------------------------------------------------------- the figures
    # Routes whose work runs on the request's own cursor: read-only, the
    # replica's. /jsonrpc is "read-only" at the route but opens its own
    # read/write cursor (odoo/service/model.py: the primary); /web/health
    # and the session routes do no read of the addon.
    NOT_SERVED = ("/jsonrpc", "/web/health", "/web/session/", "/websocket")

    def requests(self):
        """Odoo's request log of the web node (werkzeug at INFO, with the
        cursor mode Odoo appends when a replica is configured): all
        requests; the read-only ones the replica served; the fallbacks:
        read-only requests retried on the primary (ro->rw) and those of a
        worker that lost its replica pool (Odoo logs "Failed to open a
        readonly cursor" and keeps that worker on the primary until it is
        recycled)."""
        total = served = ro_rw = lost_pool = 0
        fallen = set()
        with open(self.env["CLUSTER_WEB_LOG"], errors="replace") as log:
            for line in log:
                if line[:19] < self.since:
                    continue
                pid = line[24:].split(" ", 1)[0]
                if "Failed to open a readonly cursor" in line:
                    fallen.add(pid)
                    continue
                if " werkzeug: " not in line:
                    continue
                total += 1
                mode = line.rstrip().rsplit(" ", 1)[-1]
                path = line.split('"', 2)[1].split(" ")[1] if '"' in line else ""
                if mode == "ro->rw":
                    ro_rw += 1
                elif mode == "ro" and not path.startswith(self.NOT_SERVED):
                    if pid in fallen:
                        lost_pool += 1
                    else:
                        served += 1
        return total, served, ro_rw, lost_pool

    def readonly_errors(self):
        """Lines of any log saying a write was tried in a read-only
        transaction."""
        found = []
        for path in (
            self.env["CLUSTER_WEB_LOG"],
            self.env["CLUSTER_CRON_LOG"],
            f"{self.env['CLUSTER_PG_DIR']}/primary.log",
            f"{self.env['CLUSTER_PG_DIR']}/replica.log",
        ):
            if os.path.exists(path):
                with open(path, errors="replace") as log:
                    found += [
                        f"{os.path.basename(path)}: {line.strip()[:160]}"
                        for line in log
                        if "read-only transaction" in line
                    ]
        return found

    def figures(self):
        end = self.counts()
        served = {
            server: (end[server] or 0)
            + self.offset[server]
            - (self.start_counts[server] or 0)
            for server in ("primary", "replica")
        }
        total, ro, ro_rw, lost_pool = self.requests()
        return {
            "requests": total,
            "readonly": ro,
            "replica_xacts": served["replica"],
            "primary_xacts": served["primary"],
            "share": ro / total if total else 0.0,
            "fallback": ro_rw + lost_pool,
            "ro_rw": ro_rw,
            "browse": self.browsing.requests,
            "browse_errors": dict(self.browsing.errors),
        }

    def lines(self):
        f = self.figures()
        out = [
            f"cluster: {f['requests']} HTTP requests, {f['readonly']} served by "
            f"the replica, {f['fallback']} read-only ones on the primary instead "
            f"(ro->rw: {f['ro_rw']}); transactions: "
            f"replica {f['replica_xacts']}, primary {f['primary_xacts']}; "
            f"screens' calls {f['browse']}, their errors {f['browse_errors']}",
            *(f"  {line}" for line in self.log),
        ]
        errors = self.readonly_errors()
        out.append(f"read-only transaction errors in the logs: {len(errors)}")
        out.extend(f"  {line}" for line in errors[:5])
        return (
            out,
            (
                f"replica_share={f['share']:.2f} replica_fallback={f['fallback']} "
                f"readonly_errors={len(errors)}"
            ),
            bool(errors),
        )


# ------------------------------------------------------------ the check
def check(url, db, pdf, portal):
    """Every screen of every role, every report, the portal: the failures."""
    failures, counts = [], {"screens": 0, "requests": 0, "reports": 0, "pdf": 0}
    for login in ROLES:
        session = WebSession(url, db, login, login)
        try:
            session.authenticate()
            screens = discover(session)
        except ReadError as error:
            failures.append(f"{login}: {error}")
            continue
        for screen in screens:
            try:
                calls, _ = open_screen(session, screen)
                counts["screens"] += 1
                counts["requests"] += calls
            except ReadError as error:
                failures.append(f"{login} {screen.xml_id}: {error}")
    admin = WebSession(url, db, "admin", "admin")
    admin.authenticate()
    reports = admin.call(
        "ir.actions.report",
        "search_read",
        [("report_name", "like", "order_process_addon.")],
        ["report_name", "model"],
    )
    for report in reports:
        ids = admin.call(report["model"], "search", [], limit=1, order="id desc")
        if not ids:
            failures.append(f"report {report['report_name']}: no record")
            continue
        kinds = ("html", "pdf") if pdf else ("html",)
        for kind in kinds:
            path = f"/report/{kind}/{report['report_name']}/{ids[0]}"
            try:
                status, body = admin.get(path)
                ok = status == 200 and (body[:4] == b"%PDF" if kind == "pdf" else True)
                if not ok:
                    failures.append(f"{path}: {status}")
                counts["reports" if kind == "html" else "pdf"] += 1
            except ReadError as error:
                failures.append(f"{path}: {error}")
    if portal:
        login, password = portal.split(":")
        session = WebSession(url, db, login, password)
        try:
            session.authenticate()
            for path in ("/my", "/my/home", "/my/orders", "/my/invoices"):
                session.get(path)
                counts["requests"] += 1
            status, body = session.get("/my/orders")
            for order_path in sorted(
                {p.decode() for p in __import__("re").findall(rb"/my/orders/\d+", body)}
            )[:3]:
                session.get(order_path)
                counts["requests"] += 1
        except ReadError as error:
            failures.append(f"portal: {error}")
    return counts, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--portal", default="", help="login:password")
    args = parser.parse_args()
    start = time.monotonic()
    counts, failures = check(args.url, args.db, args.pdf, args.portal)
    print(
        f"READS screens={counts['screens']} calls={counts['requests']} "
        f"reports_html={counts['reports']} reports_pdf={counts['pdf']} "
        f"failures={len(failures)} in {time.monotonic() - start:.0f} s"
    )
    for failure in failures:
        print(f"  {failure}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    random.seed(0)
    main()
