"""`make load`: simulated users of the order process over JSON-RPC, with faults.

Started by scripts/load.sh against an Odoo served with worker processes on a
copy of the demo database. Standard library only.

Each simulated user holds one role of the demo company and does what that
role does in the process (spec R3-R10, R24, R29):

- Customer Management creates orders (each with a client reference, a UUID
  generated here, so that a create retried after a fault first looks whether
  the first attempt went through), registers them, registers a returned order
  again, and records the customer's signed scan through the signature wizard.
- Technical Center, PMC, Quality, Finance and the General Manager poll their
  pending reviews and decide them (mostly approve; some approvals with
  conditions; Quality rejects a few, which starts a new round).
- The PMC planner answers reviewed orders and now and then changes the
  committed date of an effective order (a reason carrying a UUID).

The simulated users stop at the committed date: they do not ship (the
shipping steps, D10 to the gate, R23-R27, are measured by make scale).

At a third of the run one HTTP worker of Odoo is killed (SIGKILL), at two
thirds PostgreSQL is restarted. Connection failures, HTTP 5xx and JSON-RPC
server errors are retried with backoff; inside a fault window (plus a grace)
they are expected, outside they count as errors_5xx. Odoo answers a server
error on /jsonrpc with HTTP 200 and a JSON error: it counts the same as a 500.

The demo company's group robots (issue 21) point at a local endpoint that
plays WeCom, DingTalk and Feishu (order_process_addon/tests/robot_platforms.py,
loaded by its path): it is down (connections refused) from 15 % to 35 % of
the run, slow (2 s an answer, the first two never answered in time) from
50 % to 65 %; from 80 %, the first message that arrives kills the process
that posted it, Odoo's cron worker (SIGKILL), before it gets its answer.
After the run the outbox is drained (nothing pending or sending), then
checked against what the endpoint received (class RobotCheck): every review
started has its messages, every message is received once (by its
Idempotency-Key header), dropped only once its work was done, and none is
undelivered.

After the run, the database is read with psql (PGHOST/PGPORT from the
environment): every acknowledged action took effect exactly once, and the
invariants of the process hold for every order (class Check). The last line
is `LOAD users=.. actions=.. errors_5xx=.. lost=.. duplicated=..
invariant_violations=.. p95_ms=.. robot_sent=.. robot_lost=..
robot_duplicated=..` (p95 of the write requests); the exit status is 1 when
any of errors_5xx, lost, duplicated, invariant_violations, robot_lost or
robot_duplicated is not 0, or when a fault could not be injected or the
server did not recover from it.
"""

import argparse
import base64
import collections
import csv
import datetime
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import load_reads  # issue 22: the web client's reads, make cluster's figures

# Refusals of the process: the request was understood and refused.
BUSINESS_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
WRITE_ACTIONS = ("create", "register", "decide", "answer", "sign", "change_date")
GRACE = 10.0  # seconds after a fault during which failures are expected
MAX_TRIES = 8
REQUEST_TIMEOUT = 150  # > Odoo's limit_time_real (120 s): a timeout is a dead worker
THINK = (0.3, 1.2)  # seconds a user waits between two actions
IDLE = (1.0, 2.0)  # seconds between two polls that found nothing to do
IN_FLIGHT = 4  # orders a Customer Management user follows at once
SCAN = b"%PDF-1.4\n% signed order, scanned\n%%EOF\n"

# Who does what: at least one user per reviewing role, the rest spread.
BASE_ROLES = [
    "customer_mgmt",
    "pmc_planner",
    "quality",
    "finance",
    "technical",
    "general_manager",
]
MORE_ROLES = [
    "customer_mgmt",
    "pmc_planner",
    "customer_mgmt",
    "quality",
    "finance",
    "customer_mgmt",
    "technical",
    "pmc_planner",
]


def now():
    return time.monotonic()


def percentile(values, pct):
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


class RpcError(Exception):
    """A failed call: ``cause`` names it; ``business`` is a refusal of the
    process, anything else is a server or connection failure."""

    def __init__(self, cause, message="", business=False):
        super().__init__(f"{cause}: {message}"[:300])
        self.cause = cause
        self.business = business
        self.message = message


class GaveUp(Exception):
    pass


class Faults:
    """The fault windows: [name, start, end or None, note, wall clock at the
    start], in monotonic time."""

    def __init__(self):
        self.windows = []
        self.failed = []  # faults that could not be injected or recovered
        self.lock = threading.Lock()

    def open(self, name):
        with self.lock:
            self.windows.append([name, now(), None, "", time.time()])
            return len(self.windows) - 1

    def close(self, index, note=""):
        with self.lock:
            self.windows[index][2] = now()
            self.windows[index][3] = note

    def expected(self, moment):
        """Whether a failure at ``moment`` falls in a window (+ grace)."""
        with self.lock:
            return any(
                start - 0.5 <= moment <= (end or float("inf")) + GRACE
                for _name, start, end, _note, _wall in self.windows
            )

    def expected_wall(self, stamp):
        """The same for a wall-clock time (of Odoo's log, to the second)."""
        with self.lock:
            return any(
                wall - 1.5 <= stamp <= wall + ((end or float("inf")) - start) + GRACE
                for _name, start, end, _note, wall in self.windows
            )


class Stats:
    def __init__(self, faults):
        self.faults = faults
        self.lock = threading.Lock()
        self.latency = collections.defaultdict(list)  # action -> ms of answers
        self.requests = collections.Counter()
        self.errors = collections.Counter()  # (cause, expected) -> n
        self.refused = collections.Counter()  # (action, cause) -> n
        self.refusal_sample = {}  # (action, cause) -> the first message
        self.acked = collections.Counter()  # action -> n
        self.earlier = collections.Counter()  # done by an earlier attempt
        self.retried = collections.Counter()
        self.gave_up = collections.Counter()
        self.acks = []  # dicts: what the clients were told was done

    def request(self, action, millis):
        with self.lock:
            self.requests[action] += 1
            self.latency[action].append(millis)

    def error(self, action, error):
        with self.lock:
            self.requests[action] += 1
            if error.business:
                self.refused[(action, error.cause)] += 1
                self.refusal_sample.setdefault((action, error.cause), error.message)
            else:
                self.errors[(error.cause, self.faults.expected(now()))] += 1

    def ack(self, action, earlier=False, **what):
        with self.lock:
            self.acked[action] += 1
            if earlier:
                self.earlier[action] += 1
            self.acks.append(dict(what, action=action))

    def count(self, counter, action):
        with self.lock:
            getattr(self, counter)[action] += 1


class Client:
    """JSON-RPC over HTTP, one request per call, with its accounting."""

    def __init__(self, url, db, stats, login, password):
        self.url = url.rstrip("/") + "/jsonrpc"
        self.db = db
        self.stats = stats
        self.login = login
        self.password = password
        self.uid = None

    def _post(self, service, method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": random.randint(1, 1 << 30),
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                body = json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise RpcError(f"http_{error.code}", error.reason) from None
        except (OSError, ValueError) as error:  # reset, refused, timeout, cut body
            reason = getattr(error, "reason", None)
            name = type(reason if isinstance(reason, Exception) else error).__name__
            raise RpcError(f"connection:{name}", str(error)) from None
        if "error" in body:
            data = body["error"].get("data") or {}
            name = data.get("name") or body["error"].get("message", "unknown")
            raise RpcError(
                f"rpc:{name}", data.get("message", ""), name in BUSINESS_ERRORS
            )
        return body.get("result")

    def call(self, action, service, method, args):
        start = now()
        try:
            result = self._post(service, method, args)
        except RpcError as error:
            self.stats.error(action, error)
            raise
        self.stats.request(action, (now() - start) * 1000)
        return result

    def authenticate(self):
        self.uid = self.retry_read(
            "login",
            lambda: self.call(
                "login", "common", "login", [self.db, self.login, self.password]
            ),
        )
        if not self.uid:
            raise RuntimeError(f"Login {self.login} refused: is the demo data loaded?")

    def execute(self, action, model, method, args, kwargs=None):
        return self.call(
            action,
            "object",
            "execute_kw",
            [self.db, self.uid, self.password, model, method, args, kwargs or {}],
        )

    @staticmethod
    def backoff(attempt):
        return min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0)

    def retry_read(self, action, fn):
        """A read, or a call without effect: retried as it is."""
        for attempt in range(MAX_TRIES):
            try:
                return fn()
            except RpcError as error:
                if error.business or attempt == MAX_TRIES - 1:
                    raise
                time.sleep(self.backoff(attempt))
        raise AssertionError("unreachable")

    def perform(self, action, attempt_fn, done_fn, **what):
        """A write, acknowledged once it is known to have happened.

        After a failure whose outcome is unknown (connection cut, server
        error), ``done_fn`` looks first whether the earlier attempt took
        effect; it returns the result of the action then, else None. A refusal
        after such a failure is also looked up: "already registered" is the
        earlier attempt's success, not a duplicate."""
        # done_fn reads over /jsonrpc: the primary, never a replica held
        # behind (issue 22), where a stale "not done" would repeat the write.
        unknown = False
        for attempt in range(MAX_TRIES):
            if unknown:
                done = self.retry_read("verify", done_fn)
                if done is not None:
                    self.stats.ack(action, earlier=True, result=done, **what)
                    return done
                self.stats.count("retried", action)
            try:
                result = attempt_fn()
            except RpcError as error:
                if error.business:
                    if unknown:
                        done = self.retry_read("verify", done_fn)
                        if done is not None:
                            self.stats.ack(action, earlier=True, result=done, **what)
                            return done
                    raise
                unknown = True
                time.sleep(self.backoff(attempt))
                continue
            self.stats.ack(action, result=result, **what)
            return result
        self.stats.count("gave_up", action)
        raise GaveUp(action)


class Env:
    """What the users share: the demo company's records, read as admin."""

    def __init__(self, args, stats):
        self.args = args
        self.stats = stats
        admin = Client(args.url, args.db, stats, "admin", "admin")
        admin.authenticate()
        self.admin = admin

        def read(model, domain, fields, **kw):
            return admin.retry_read(
                "setup",
                lambda: admin.execute(
                    "setup", model, "search_read", [domain], dict(fields=fields, **kw)
                ),
            )

        companies = read("res.company", [("op_enabled", "=", True)], ["name"])
        if not companies:
            raise SystemExit("No company runs the order process: no demo data?")
        self.company_id = companies[0]["id"]
        company = [("company_id", "=", self.company_id)]
        teams = read("crm.team", [*company, ("op_enabled", "=", True)], ["name"])
        self.team_id = teams[0]["id"] if teams else False
        self.customers = [
            p["id"]
            for p in read(
                "res.partner",
                [*company, ("is_company", "=", True)],
                ["name", "user_id"],
            )
            if p["user_id"]
        ]
        products = read(
            "product.product",
            [*company, ("sale_ok", "=", True)],
            ["name", "op_trial_run_done"],
        )
        self.tried = [p["id"] for p in products if p["op_trial_run_done"]]
        self.untried = [p["id"] for p in products if not p["op_trial_run_done"]]
        if not self.customers or not self.tried:
            raise SystemExit("No demo customers or tried products found.")
        self.users = {
            u["login"]: u["id"]
            for u in read(
                "res.users",
                [("login", "in", [*BASE_ROLES, "sales", "admin"])],
                ["login"],
            )
        }
        groups = admin.retry_read(
            "setup",
            lambda: admin.execute(
                "setup",
                "ir.model.data",
                "search_read",
                [
                    [
                        ("module", "=", "order_process_addon"),
                        ("model", "=", "res.groups"),
                    ]
                ],
                {"fields": ["name", "res_id"]},
            ),
        )
        self.groups = {g["name"].removeprefix("group_"): g["res_id"] for g in groups}
        self.start = self.end = None


STEPS = load_reads.addon_module("tests", "steps.py")


class User(threading.Thread):
    role = None

    def __init__(self, env, login, index, peers):
        super().__init__(name=f"{login}-{index}", daemon=True)
        self.env = env
        self.stats = env.stats
        self.client = Client(env.args.url, env.args.db, env.stats, login, login)
        self.index = index  # among the users of this role
        self.peers = peers
        self.random = random.Random(f"{login}-{index}")
        self.failures = []

    def mine(self, record_id):
        """The users of one role share the work by record id."""
        return record_id % self.peers == self.index

    def run(self):
        try:
            self.client.authenticate()
            while now() < self.env.end:
                try:
                    busy = self.step()
                except (RpcError, GaveUp) as error:
                    self.failures.append(repr(error))
                    busy = True
                if self.env.cluster:  # between two steps, a screen (replica)
                    self.env.cluster.between(self.client, self.random)
                pause = self.random.uniform(*(THINK if busy else IDLE))
                time.sleep(max(0.0, min(pause, self.env.end - now())))
        except Exception as error:  # noqa: BLE001 - reported in the summary
            self.failures.append(f"stopped: {error!r}")

    # ---------------------------------------------------------------- helpers
    def search_read(self, model, domain, fields, **kw):
        return self.client.retry_read(
            "poll",
            lambda: self.client.execute(
                "poll", model, "search_read", [domain], dict(fields=fields, **kw)
            ),
        )

    def read_order(self, order_id, fields):
        rows = self.search_read("sale.order", [("id", "=", order_id)], fields)
        return rows[0] if rows else None

    def rpc_step(self, action, name, ids, kwargs=None):
        """Step ``name`` (steps.py) on ``ids`` over RPC, counted as ``action``."""
        return STEPS.rpc_run(
            lambda *call: self.client.execute(action, *call), name, ids, kwargs
        )

    def rpc_form(self, action, name, values):
        """The form of step ``name`` created with ``values``: its id."""
        return STEPS.rpc_form(
            lambda *call: self.client.execute(action, *call), name, values
        )

    def decide(self, review, decision="approve"):
        today = datetime.date.today()
        kwargs = {}
        if review["records_delivery_date"] and decision != "reject":
            commit = today + datetime.timedelta(days=self.random.randint(25, 45))
            kwargs["committed_date"] = commit.isoformat()
        step = {
            "approve": "approve",
            "conditional": "approve_with_conditions",
            "reject": "reject",
        }[decision]
        if decision != "approve":
            kwargs["reason"] = f"load test: {decision}"
        state = {"approve": "approved", "conditional": "conditional"}.get(
            decision, "rejected"
        )

        def attempt():
            return self.rpc_step("decide", step, [review["id"]], kwargs)

        def done():
            rows = self.search_read(
                "order.review", [("id", "=", review["id"])], ["state", "reviewer_id"]
            )
            row = rows[0]
            reviewer = row["reviewer_id"] and row["reviewer_id"][0]
            return (
                True if row["state"] == state and reviewer == self.client.uid else None
            )

        try:
            self.client.perform(
                "decide",
                attempt,
                done,
                review_id=review["id"],
                order_id=review["order_id"][0],
                state=state,
                uid=self.client.uid,
            )
        except RpcError as error:
            if not error.business:
                raise
            # Voided meanwhile (another step rejected the order): a conflict
            # of two people, not of the load run; counted as refused.
        return True

    def decide_pending(self):
        reviews = self.search_read(
            "order.review",
            [("state", "=", "pending"), ("group_id", "=", self.env.groups[self.role])],
            ["order_id", "records_delivery_date"],
            limit=40,
        )
        reviews = [r for r in reviews if self.mine(r["id"])]
        if not reviews:
            return False
        self.decide(reviews[0], self.choose_decision())
        return True

    def choose_decision(self):
        return "conditional" if self.random.random() < 0.1 else "approve"


class Reviewer(User):
    def step(self):
        return self.decide_pending()


class Quality(Reviewer):
    role = "quality"

    def choose_decision(self):
        draw = self.random.random()
        return "reject" if draw < 0.05 else "conditional" if draw < 0.15 else "approve"


class Finance(Reviewer):
    role = "finance"


class Technical(Reviewer):
    role = "technical"


class GeneralManager(Reviewer):
    role = "general_manager"

    def choose_decision(self):
        return "approve"


class PmcPlanner(User):
    role = "pmc_planner"

    def choose_decision(self):
        return "approve"

    def step(self):
        # Now and then a customer moves the date of an effective order (R24).
        if self.random.random() < 0.1 and self.change_date():
            return True
        if self.decide_pending():
            return True
        reviewed = self.search_read(
            "sale.order",
            [
                ("op_state", "=", "reviewed"),
                ("company_id", "=", self.env.company_id),
            ],
            ["name"],
            limit=40,
        )
        reviewed = [o for o in reviewed if self.mine(o["id"])]
        if reviewed:
            self.answer(reviewed[0]["id"])
            return True
        return False

    def answer(self, order_id):
        def attempt():
            return self.rpc_step("answer", "answer", [order_id])

        def done():
            order = self.read_order(order_id, ["op_state"])
            return True if order["op_state"] in ("answered", "effective") else None

        try:
            self.client.perform("answer", attempt, done, order_id=order_id)
        except RpcError as error:
            if not error.business:
                raise

    def change_date(self):
        effective = self.search_read(
            "sale.order",
            [
                ("op_state", "=", "effective"),
                ("company_id", "=", self.env.company_id),
            ],
            ["op_committed_date"],
            limit=80,
        )
        effective = [o for o in effective if self.mine(o["id"])]
        if not effective:
            return False
        order = self.random.choice(effective)
        current = datetime.date.fromisoformat(order["op_committed_date"])
        new_date = current + datetime.timedelta(days=self.random.randint(1, 5))
        key = str(uuid.uuid4())
        reason = f"load test {key}: customer moved the date"
        wizard = {}

        def attempt():
            if "id" not in wizard:
                wizard["id"] = self.rpc_form(
                    "change_date",
                    "change_date",
                    {
                        "order_id": order["id"],
                        "new_date": new_date.isoformat(),
                        "reason": reason,
                        "department": "customer",
                    },
                )
            return self.rpc_step("change_date", "change_date", [wizard["id"]])

        def done():
            rows = self.search_read(
                "order.commitment.change", [("reason", "=", reason)], ["id"]
            )
            return True if rows else None

        try:
            self.client.perform(
                "change_date",
                attempt,
                done,
                order_id=order["id"],
                reason=reason,
                new_date=new_date.isoformat(),
            )
        except RpcError as error:
            if not error.business:
                raise
        return True


class CustomerMgmt(User):
    role = "customer_mgmt"

    def __init__(self, *args):
        super().__init__(*args)
        self.orders = {}  # id -> client key, orders followed until effective

    def step(self):
        if self.orders:
            rows = self.search_read(
                "sale.order",
                [("id", "in", list(self.orders))],
                ["op_state", "client_order_ref"],
            )
            states = {row["id"]: row["op_state"] for row in rows}
            for order_id, state in states.items():
                if state in ("effective", "cancel"):
                    self.orders.pop(order_id)
            for order_id, state in states.items():
                if state == "answered":
                    self.sign(order_id)
                    return True
                if state == "returned":
                    self.register(order_id)
                    return True
        if len(self.orders) >= IN_FLIGHT:
            return False
        order_id = self.create()
        self.register(order_id)
        return True

    def create(self):
        env = self.env
        key = str(uuid.uuid4())
        untried = env.untried and self.random.random() < 0.05
        product = self.random.choice(env.untried if untried else env.tried)
        today = datetime.date.today()
        vals = {
            "partner_id": self.random.choice(env.customers),
            "company_id": env.company_id,
            "team_id": env.team_id,
            "user_id": env.users["sales"],
            "op_merchandiser_id": self.client.uid,
            "client_order_ref": key,
            "op_channel": self.random.choice(["email", "phone", "written", "fax"]),
            "op_urgency": "rush" if self.random.random() < 0.1 else "normal",
            "op_requested_date": (
                today + datetime.timedelta(days=self.random.randint(14, 40))
            ).isoformat(),
            "order_line": [
                [
                    0,
                    0,
                    {
                        "product_id": product,
                        "product_uom_qty": self.random.randint(1, 40) * 500,
                    },
                ]
            ],
        }
        if self.random.random() < 0.3:
            vals["op_special_requirements"] = "UL 94 V-0; halogen-free adhesive."

        def attempt():
            return self.rpc_step("create", "create", vals)

        def done():
            rows = self.search_read(
                "sale.order", [("client_order_ref", "=", key)], ["id"]
            )
            return rows[0]["id"] if rows else None

        order_id = self.client.perform("create", attempt, done, key=key)
        self.orders[order_id] = key
        return order_id

    def register(self, order_id):
        before = self.read_order(order_id, ["op_review_round"])["op_review_round"]

        def attempt():
            return self.rpc_step("register", "register", [order_id])

        def done():
            order = self.read_order(order_id, ["op_review_round"])
            return True if order["op_review_round"] > before else None

        self.client.perform("register", attempt, done, order_id=order_id)

    def sign(self, order_id):
        key = self.orders[order_id]
        signed_on = datetime.datetime.now(datetime.timezone.utc)
        wizard = {}

        def attempt():
            if "id" not in wizard:
                wizard["id"] = self.rpc_form(
                    "sign",
                    "sign",
                    {
                        "order_id": order_id,
                        "scan": base64.b64encode(SCAN).decode(),
                        "scan_name": f"{key}-signed.pdf",
                        "signed_by": "陈小姐",
                        "signed_on": signed_on.strftime("%Y-%m-%d %H:%M:%S"),
                    },
                )
            return self.rpc_step("sign", "sign", [wizard["id"]])

        def done():
            order = self.read_order(order_id, ["op_state"])
            return True if order["op_state"] == "effective" else None

        self.client.perform("sign", attempt, done, order_id=order_id, key=key)


ROLE_CLASSES = {
    cls.role: cls
    for cls in (CustomerMgmt, PmcPlanner, Quality, Finance, Technical, GeneralManager)
}


# -------------------------------------------------------------------- faults
def children(pid):
    """(pid, command line) of the processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmd:
                cmdline = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[1]) == pid:  # fields[0] is the state, [1] the parent
            found.append((int(entry), cmdline))
    return found


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def busiest(pids):
    """The worker that used the most CPU in the last half second: most
    likely in the middle of a request, so that the kill cuts one."""
    before = {pid: cpu_ticks(pid) for pid in pids}
    time.sleep(0.5)
    return max(pids, key=lambda pid: (cpu_ticks(pid) - before[pid], random.random()))


def listening_inodes(port):
    """The inodes of the sockets listening on ``port`` (/proc/net/tcp*)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    cols = row.split()
                    local, state, inode = cols[1], cols[3], cols[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(f"socket:[{inode}]")
        except OSError:
            continue
    return inodes


def holds(pid, inodes):
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                return True
        except OSError:
            continue
    return False


def http_workers(master, port):
    """The master's HTTP workers: the children that accept on the HTTP
    port. Not the gevent process (a program of its own on the gevent port),
    not the cron worker (which closes the HTTP socket when it starts)."""
    inodes = listening_inodes(port)
    return [
        pid
        for pid, cmdline in children(master)
        if " gevent" not in cmdline and holds(pid, inodes)
    ]


def connection_owner(master, client_port, server_port):
    """The child of ``master`` holding the TCP connection from
    ``client_port`` to ``server_port`` on this machine (/proc), or None."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    cols = row.split()
                    local = int(cols[1].rsplit(":", 1)[1], 16)
                    remote = int(cols[2].rsplit(":", 1)[1], 16)
                    if (local, remote) == (client_port, server_port):
                        inodes.add(f"socket:[{cols[9]}]")
        except OSError:
            continue
    owners = [pid for pid, _cmd in children(master) if holds(pid, inodes)]
    return owners[0] if owners else None


def wait_until_served(env, limit=120):
    """Until Odoo answers a request that reaches the database."""
    url = env.args.url.rstrip("/") + "/web/health?db_server_status=1"
    deadline = now() + limit
    while now() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10):
                return True
        except (OSError, ValueError):
            time.sleep(0.2)
    return False


def inject_faults(env, args, faults, log):
    start = env.start
    time.sleep(max(0.0, start + args.duration / 3 - now()))
    # The websocket process of --gevent-port, which the README's set-up has.
    gevent = [pid for pid, cmd in children(args.odoo_pid) if " gevent" in cmd]
    log.append(f"gevent process: {gevent[0] if gevent else 'NOT RUNNING'}")
    if not gevent:
        faults.failed.append("the gevent process is not running")
    port = urllib.parse.urlsplit(args.url).port or 80
    workers = http_workers(args.odoo_pid, port)
    if workers:
        victim = busiest(workers)
        index = faults.open("worker SIGKILL")
        os.kill(victim, signal.SIGKILL)
        served = wait_until_served(env)
        faults.close(index, f"pid {victim} of {len(workers)} HTTP workers")
        others = [p for p, _ in children(args.odoo_pid) if p not in workers]
        log.append(
            f"killed HTTP worker {victim} of {workers} (other children of the "
            f"master: {others}); served again: {served}"
        )
        if not served:
            faults.failed.append("not served again after the worker was killed")
    else:
        faults.failed.append("no HTTP worker found to kill")
    time.sleep(max(0.0, start + 2 * args.duration / 3 - now()))
    index = faults.open("PostgreSQL restart")
    done = subprocess.run(
        ["bash", args.pg_restart], capture_output=True, text=True, check=False
    )
    served = wait_until_served(env)
    faults.close(index, f"exit {done.returncode}")
    log.append(f"restarted PostgreSQL: exit {done.returncode}; served again: {served}")
    if done.returncode or not served:
        output = (done.stderr or done.stdout).strip().splitlines()
        faults.failed.append(f"PostgreSQL restart failed: {output[-1:]}")


# -------------------------------------------------------------------- robots
class Robots:
    """The demo company's group robots, pointed at the local platforms on
    ``port``, activated, sending at any hour (the run's clock is not the
    factory's)."""

    def __init__(self, env, port):
        self.platforms = load_reads.addon_module(
            "tests", "robot_platforms.py"
        ).FakePlatforms(port=port)
        admin = env.admin
        robots = admin.retry_read(
            "setup",
            lambda: admin.execute(
                "setup",
                "order.robot",
                "search_read",
                [[("company_id", "=", env.company_id)]],
                {"fields": ["platform"], "context": {"active_test": False}},
            ),
        )
        if not robots:
            raise SystemExit("No group robot in the demo company: no demo data?")
        for robot in robots:
            platform = robot["platform"]
            key = f"load-{platform}-{robot['id']}"
            secret = None if platform == "wecom" else f"SECload{robot['id']:04d}"
            url = self.platforms.add(platform, key, secret)
            vals = {
                "webhook_url_input": url,
                "active": True,
                "working_time_only": False,
            }
            if secret:
                vals["secret_input"] = secret
            admin.retry_read(
                "setup",
                lambda vals=vals, robot=robot: admin.execute(
                    "setup", "order.robot", "write", [[robot["id"]], vals]
                ),
            )
        self.count = len(robots)
        self.log = []
        self.killed = None  # (pid, idempotency key) of the cron kill

    def faults(self, env, duration):
        """Down from 15 % to 35 % of the run, slow from 50 % to 65 %."""
        for at, step in (
            (0.15, "down"),
            (0.35, "up"),
            (0.50, "slow"),
            (0.65, "normal"),
        ):
            time.sleep(max(0.0, env.start + at * duration - now()))
            if step == "down":
                self.platforms.down()
            elif step == "up":
                self.platforms.up()
            elif step == "slow":
                self.platforms.delay = 2.0
                self.platforms.hang(2, 12)  # beyond the robots' 10 s
            else:
                self.platforms.delay = 0.0
            self.log.append(f"robot endpoint {step} at {now() - env.start:.1f} s")
        time.sleep(max(0.0, env.start + 0.8 * duration - now()))
        self.platforms.before_answer = self._kill_sender

    def arm(self, args, faults):
        self.args, self.fault_windows = args, faults

    def _kill_sender(self, request, client):
        """The process that posted this message (Odoo's cron worker, the
        only sender) dies before the answer, once. The outbox must not send
        it again."""
        if self.killed:
            return
        master = self.args.cron_pid or self.args.odoo_pid  # make cluster: the cron node
        sender = connection_owner(master, client[1], self.platforms.port)
        if not sender:
            return
        self.killed = (sender, request.headers.get("Idempotency-Key"))
        index = self.fault_windows.open("sender SIGKILL after posting")
        os.kill(sender, signal.SIGKILL)
        threading.Thread(
            target=self._respawned, args=(sender, index), daemon=True
        ).start()

    def _respawned(self, victim, index):
        """Until the master has a child in the victim's place."""
        master = self.args.cron_pid or self.args.odoo_pid
        before = {p for p, _cmd in children(master)}
        deadline = now() + 60
        while now() < deadline:
            after = {p for p, _cmd in children(master)}
            if victim not in after and after - before:
                break
            time.sleep(0.5)
        self.fault_windows.close(index, f"pid {victim}")
        self.log.append(
            f"killed the process {victim} that posted message "
            f"{self.killed[1][:12]}... before its answer; new children of the "
            f"master: {sorted(after - before)}"
        )

    def drain(self, db, limit=900):
        """Until no message is pending or sending (a retry may wait minutes;
        a message whose sender died is "sending" until the job finds it)."""
        began = now()
        shown = 0
        while now() - began < limit:
            pending = int(
                sql(
                    db,
                    "SELECT count(*) AS n FROM order_robot_outbox "
                    "WHERE state IN ('pending', 'sending')",
                )[0]["n"]
            )
            if not pending:
                break
            if now() - began >= shown:
                print(f"robot outbox: {pending} pending or sending", flush=True)
                shown += 60
            time.sleep(3)
        elapsed = now() - began
        self.log.append(f"robot outbox drained in {elapsed:.0f} s")
        return elapsed


ROBOT_ROWS_SQL = """
SELECT o.id, o.key, o.state, o.res_model, o.res_id, o.robot_id, o.done_on,
       e.code
  FROM order_robot_outbox o JOIN order_robot_event e ON e.id = o.event_id
 WHERE o.create_date >= '{since}'"""
# Each review started in the run, for each active robot of its department:
# the message written (rows of robots that serve every department too).
ROBOT_MISSING_REVIEWS_SQL = """
SELECT r.id AS review_id, b.id AS robot_id
  FROM order_review r
  JOIN order_robot b ON b.company_id = r.company_id AND b.active
 WHERE r.date_start >= '{since}'
   AND (EXISTS (SELECT 1 FROM order_robot_res_groups_rel g
                 WHERE g.robot_id = b.id AND g.group_id = r.group_id)
        OR NOT EXISTS (SELECT 1 FROM order_robot_res_groups_rel g
                        WHERE g.robot_id = b.id))
   AND NOT EXISTS (
       SELECT 1 FROM order_robot_outbox o
         JOIN order_robot_event e ON e.id = o.event_id
        WHERE e.code = 'review_assigned' AND o.res_model = 'order.review'
          AND o.res_id = r.id AND o.robot_id = b.id)"""
ROBOT_REVIEWS_SQL = """
SELECT id, state, date_decision FROM order_review WHERE date_start >= '{since}'"""


class RobotCheck:
    """The outbox after the drain against what the local platforms got:
    lost (a message missing, not received, undelivered, or dropped while
    its work was still to do), duplicated (received more than once)."""

    def __init__(self, db, since, platforms, killed=None):
        self.killed = killed
        self.rows = sql(db, ROBOT_ROWS_SQL.format(since=since))
        self.missing = sql(db, ROBOT_MISSING_REVIEWS_SQL.format(since=since))
        self.reviews = {
            int(r["id"]): r for r in sql(db, ROBOT_REVIEWS_SQL.format(since=since))
        }
        self.received = collections.Counter(
            r.headers.get("Idempotency-Key") for r in platforms.requests if r.accepted
        )
        self.refused = collections.Counter(
            str((r.answer or {}).get("errcode", (r.answer or {}).get("code")))
            for r in platforms.requests
            if not r.accepted
        )
        self.states = collections.Counter(r["state"] for r in self.rows)
        self.problems = []
        self.lost = 0
        for missing in self.missing:
            self.lost += 1
            self.problems.append(
                f"review {missing['review_id']}: no message for robot "
                f"{missing['robot_id']}"
            )
        keys = set()
        for row in self.rows:
            keys.add(row["key"])
            if not self.delivered(row):
                self.lost += 1
                review = self.reviews.get(int(row["res_id"] or 0), {})
                self.problems.append(
                    f"message {row['id']} ({row['code']}, {row['state']}) not "
                    f"received (done on {row.get('done_on')}; its review "
                    f"{review.get('state')}, decided {review.get('date_decision')})"
                )
        self.duplicated = sum(n - 1 for key, n in self.received.items() if n > 1)
        self.sent = len(keys & set(self.received))
        for key, n in self.received.items():
            if n > 1:
                self.problems.append(f"key {key[:12]}... received {n} times")
            if key not in keys:
                self.problems.append(f"key {key[:12]}... received, no such message")

    def delivered(self, row):
        state = row["state"]
        if state in ("sent", "unknown", "sending"):
            # Unknown and sending: in doubt for the outbox, not for the
            # platform, which says whether it posted it.
            return self.received[row["key"]] > 0
        if state == "dropped":
            return self.rightly_dropped(row)
        return False  # pending after the drain, or dead

    def rightly_dropped(self, row):
        """Dropped only once its work was done (its review decided)."""
        if row["code"] != "review_assigned":
            return True
        review = self.reviews.get(int(row["res_id"]))
        if not review or review["state"] in ("pending", "waiting"):
            return False
        decided = review["date_decision"]
        return review["state"] == "voided" or (decided and decided <= row["done_on"])

    def lines(self):
        out = [
            "group robots: messages "
            + ", ".join(f"{state} {n}" for state, n in sorted(self.states.items()))
            + f"; received {sum(self.received.values())} "
            f"({len(self.received)} distinct); refused by the platforms: "
            + (
                ", ".join(f"{code} x{n}" for code, n in sorted(self.refused.items()))
                or "none"
            )
        ]
        if self.killed:
            key = self.killed[1]
            row = next((r for r in self.rows if r["key"] == key), {})
            out.append(
                f"  the message posted when the cron worker was killed: "
                f"{row.get('state', 'no such message')}, received "
                f"{self.received[key]} time(s)"
            )
        else:
            out.append("  the cron worker was not killed (no message after 80 %)")
        out.extend(f"  {p}" for p in self.problems[:20])
        return out


# -------------------------------------------------------------------- checks
def sql(db, query):
    out = subprocess.run(
        ["psql", "-X", "-q", "--csv", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return list(csv.DictReader(io.StringIO(out)))


ORDERS_SQL = """
SELECT id, name, client_order_ref, state, op_state, signed_by, signed_on,
       op_first_committed_date, op_committed_date, op_effective_on,
       op_answered_on, op_review_round, op_signature_source, op_signed_scan_id,
       op_has_untried_product, op_gm_approved_by_id
  FROM sale_order WHERE op_active"""
REVIEWS_SQL = """
SELECT r.id, r.order_id, r.step_id, r.round, r.state, r.reviewer_id,
       r.date_decision, r.committed_date, s.records_delivery_date
  FROM order_review r JOIN order_review_step s ON s.id = r.step_id"""
CHANGES_SQL = """
SELECT id, order_id, old_date, new_date, reason
  FROM order_commitment_change ORDER BY order_id, id"""
SCANS_SQL = """
SELECT name FROM ir_attachment
 WHERE res_model = 'sale.order' AND name LIKE '%-signed.pdf'"""
OPEN_ACTIVITIES_SQL = """
SELECT a.id, r.id AS review_id, r.state
  FROM mail_activity a JOIN order_review r ON r.id = a.op_review_id
 WHERE r.state <> 'pending'"""
DELIVERIES_SQL = """
SELECT l.order_id, l.id AS line_id, count(m.id) AS moves
  FROM sale_order_line l JOIN sale_order o ON o.id = l.order_id
  LEFT JOIN stock_move m ON m.sale_line_id = l.id AND m.state <> 'cancel'
   AND m.location_dest_id IN (SELECT id FROM stock_location WHERE usage = 'customer')
 WHERE o.op_active AND o.op_state = 'effective' AND l.display_type IS NULL
 GROUP BY l.order_id, l.id"""


class Check:
    """The database after the run: what the clients were told against what
    is there (lost, duplicated), and the invariants of the process."""

    def __init__(self, db):
        self.orders = {int(r["id"]): r for r in sql(db, ORDERS_SQL)}
        self.reviews = sql(db, REVIEWS_SQL)
        self.by_review = {int(r["id"]): r for r in self.reviews}
        self.changes = collections.defaultdict(list)
        self.reasons = collections.Counter()
        for change in sql(db, CHANGES_SQL):
            self.changes[int(change["order_id"])].append(change)
            self.reasons[change["reason"]] += 1
        self.scans = collections.Counter(r["name"] for r in sql(db, SCANS_SQL))
        self.refs = collections.Counter(
            r["client_order_ref"] for r in self.orders.values()
        )
        self.open_activities = sql(db, OPEN_ACTIVITIES_SQL)
        self.deliveries = sql(db, DELIVERIES_SQL)
        self.lost = self.duplicated = 0
        self.effects = []  # lost or duplicated effects
        self.problems = []  # invariants violated

    def run(self, acks):
        self.check_acks(acks)
        self.check_reviews()
        for order_id, order in self.orders.items():
            self.check_order(order, self.current_round(order_id, order))
            self.check_history(order, self.changes.get(order_id, []))
        for activity in self.open_activities:
            self.problems.append(
                f"review {activity['review_id']} is {activity['state']} with its"
                f" activity {activity['id']} still open"
            )
        for line in self.deliveries:
            if int(line["moves"]) != 1:
                name = self.orders[int(line["order_id"])]["name"]
                self.problems.append(
                    f"{name}: line {line['line_id']} has {line['moves']} deliveries"
                )
        return self

    # ------------------------------------------------ acknowledged actions
    def count(self, n, what):
        """``n`` effects found for one acknowledged action."""
        if n == 0:
            self.lost += 1
            self.effects.append(f"lost: {what}")
        elif n > 1:
            self.duplicated += n - 1
            self.effects.append(f"{n} times: {what}")

    def check_acks(self, acks):
        registers = collections.Counter()
        for ack in acks:
            action = ack["action"]
            if action == "create":
                self.count(self.refs.get(ack["key"], 0), f"order {ack['key']}")
            elif action == "register":
                registers[ack["order_id"]] += 1
            elif action == "decide":
                review = self.by_review.get(ack["review_id"], {})
                done = (
                    review.get("state") == ack["state"]
                    and int(review.get("reviewer_id") or 0) == ack["uid"]
                )
                self.count(int(done), f"decision {ack['state']} of {ack['review_id']}")
            elif action == "answer":
                order = self.orders[ack["order_id"]]
                done = order["op_state"] in ("answered", "effective")
                self.count(int(done), f"answer of {order['name']}")
            elif action == "sign":
                order = self.orders[ack["order_id"]]
                n = self.scans.get(f"{ack['key']}-signed.pdf", 0)
                if order["op_state"] != "effective" or order["state"] != "sale":
                    n = 0
                self.count(n, f"signature of {order['name']}")
            elif action == "change_date":
                self.count(self.reasons.get(ack["reason"], 0), ack["reason"])
        # Each registration opens one review round.
        for order_id, n in registers.items():
            order = self.orders[order_id]
            rounds = int(order["op_review_round"] or 0)
            if rounds != n:
                self.lost += max(0, n - rounds)
                self.duplicated += max(0, rounds - n)
                self.effects.append(
                    f"{order['name']}: {n} registrations, {rounds} rounds"
                )

    # ------------------------------------------------ invariants
    def check_reviews(self):
        per_step = collections.Counter(
            (r["order_id"], r["step_id"], r["round"])
            for r in self.reviews
            if r["state"] != "voided"
        )
        for (order_id, step, rnd), n in per_step.items():
            if n > 1:
                self.problems.append(
                    f"order {order_id}: {n} reviews of step {step} in round {rnd}"
                )
        for review in self.reviews:
            order = self.orders.get(int(review["order_id"]))
            if not order or review["state"] == "voided":
                continue
            if review["state"] in ("pending", "waiting"):
                if order["op_state"] != "review":
                    self.problems.append(
                        f"{order['name']} is {order['op_state']} with review "
                        f"{review['id']} open"
                    )
                if review["round"] != order["op_review_round"]:
                    self.problems.append(
                        f"{order['name']}: review {review['id']} of an old round open"
                    )
            elif not review["reviewer_id"] or not review["date_decision"]:
                self.problems.append(f"review {review['id']}: no reviewer or date")
            elif (
                review["state"] != "rejected"
                and review["records_delivery_date"] == "t"
                and not review["committed_date"]
            ):
                self.problems.append(f"PMC review {review['id']}: no committed date")

    def current_round(self, order_id, order):
        return [
            r
            for r in self.reviews
            if int(r["order_id"]) == order_id
            and r["round"] == order["op_review_round"]
            and r["state"] != "voided"
        ]

    def check_order(self, order, reviews):
        name, state = order["name"], order["op_state"]
        states = collections.Counter(r["state"] for r in reviews)
        expect = self.problems.append
        if state == "review" and (not states["pending"] or states["rejected"]):
            expect(f"{name} under review, its round: {dict(states)}")
        if state == "returned" and (states["rejected"] != 1 or states["pending"]):
            expect(f"{name} returned, its round: {dict(states)}")
        if state in ("reviewed", "answered", "effective"):
            if not reviews or set(states) - {"approved", "conditional"}:
                expect(f"{name} is {state}, its round: {dict(states)}")
            if not any(r["records_delivery_date"] == "t" for r in reviews):
                expect(f"{name} is {state} without a PMC review")
            if (
                order["op_has_untried_product"] == "t"
                and not order["op_gm_approved_by_id"]
            ):
                expect(f"{name} is {state}: a new product without GM approval")
        required = {
            "answered": ("op_committed_date", "op_first_committed_date"),
            "effective": (
                "op_committed_date",
                "op_first_committed_date",
                "op_answered_on",
                "signed_by",
                "signed_on",
                "op_effective_on",
                "op_signature_source",
            ),
        }.get(state, ())
        for field in required:
            if not order[field]:
                expect(f"{name} is {state} without {field}")
        if (state == "effective") != (order["state"] == "sale"):
            expect(f"{name} is {state} in the process, {order['state']} in Odoo")
        if state == "effective" and order["op_signature_source"] == "scan":
            if not order["op_signed_scan_id"]:
                expect(f"{name} signed by scan without the scan")
            if order["signed_on"] < (order["op_answered_on"] or ""):
                expect(f"{name} signed before PMC's answer")

    def check_history(self, order, history):
        """One record per change of the committed date, chained from the
        first committed date to the current one."""
        name, state = order["name"], order["op_state"]
        if state not in ("answered", "effective"):
            if history:
                self.problems.append(f"{name} is {state} with committed-date changes")
            return
        expected = order["op_first_committed_date"]
        for change in history:
            if change["old_date"] != expected:
                self.problems.append(
                    f"{name}: change {change['id']} from {change['old_date']}, "
                    f"committed was {expected}"
                )
            expected = change["new_date"]
        if expected != order["op_committed_date"]:
            self.problems.append(
                f"{name}: committed {order['op_committed_date']}, history: {expected}"
            )


# -------------------------------------------------------------------- report
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+ \d+ (\w+) ")


def read_log(path, since, faults):
    """Odoo's log during the run: serialization failures it retried, and the
    errors it logged outside the fault windows (serialization failures
    apart)."""
    retries = exhausted = 0
    errors = []
    if not path or not os.path.exists(path):
        return retries, exhausted, errors
    records, current = [], None
    with open(path, errors="replace") as log:
        for line in log:
            match = LOG_LINE.match(line)
            if match:
                current = [match.group(1), match.group(2), line]
                records.append(current)
            elif current:
                current[2] += line
    for stamp, level, text in records:
        if stamp < since:
            continue
        if "tries left, try again" in text:
            retries += 1
        elif "maximum number of tries reached" in text:
            exhausted += 1
        elif level in ("ERROR", "CRITICAL") and "could not serialize" not in text:
            moment = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(
                tzinfo=datetime.timezone.utc
            )
            if not faults.expected_wall(moment.timestamp()):
                errors.append(text.splitlines()[0][:200])
    return retries, exhausted, errors


def table(stats):
    out = [
        f"{'action':<12}{'acked':>7}{'earlier':>8}{'retried':>8}{'gave up':>8}"
        f"{'refused':>8}{'req':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    ]
    refused = collections.Counter()
    for (action, _cause), n in stats.refused.items():
        refused[action] += n
    for action in (*WRITE_ACTIONS, "poll", "login"):
        lat = stats.latency.get(action, [])
        out.append(
            f"{action:<12}{stats.acked[action]:>7}{stats.earlier[action]:>8}"
            f"{stats.retried[action]:>8}{stats.gave_up[action]:>8}"
            f"{refused[action]:>8}{stats.requests[action]:>7}"
            f"{percentile(lat, 50):>8.0f}{percentile(lat, 95):>8.0f}"
            f"{percentile(lat, 99):>8.0f}"
        )
    return out


def report(args, env, faults, fault_log, users, elapsed, check, log_info, robots):
    stats = env.stats
    retries, exhausted, log_errors = log_info
    out = [
        f"== {args.users} users, {elapsed:.0f} s, {args.workers} workers + 1 cron "
        f"thread, {os.cpu_count()} CPU cores",
        *table(stats),
    ]
    actions = sum(stats.acked[a] for a in WRITE_ACTIONS)
    requests = sum(stats.requests.values())
    out.append(
        f"throughput: {actions} acknowledged actions ({actions / elapsed:.2f}/s), "
        f"{requests} requests ({requests / elapsed:.1f}/s); "
        f"orders made effective: {stats.acked['sign']}"
    )
    out.append(
        f"serialization failures retried by Odoo: {retries} (given up: {exhausted})"
    )
    for name, start, end, note, _wall in faults.windows:
        out.append(
            f"fault: {name} at {start - env.start:.1f} s, served again after "
            f"{(end or now()) - start:.1f} s ({note})"
        )
    out.extend(f"  {line}" for line in fault_log)
    out.extend(f"  FAULT NOT INJECTED OR NOT RECOVERED: {f}" for f in faults.failed)
    out.append("errors by cause (in a fault window + grace / outside):")
    causes = sorted({cause for cause, _ in stats.errors})
    for cause in causes:
        inside, outside = stats.errors[(cause, True)], stats.errors[(cause, False)]
        out.append(f"  {cause:<48}{inside:>6}{outside:>6}")
    if not causes:
        out.append("  none")
    out.append(f"Odoo log errors outside the fault windows: {len(log_errors)}")
    out.extend(f"  {line}" for line in log_errors[:5])
    out.append("refusals (conflicts between users, not errors):")
    for (action, cause), n in sorted(stats.refused.items()):
        sample = " ".join(stats.refusal_sample[(action, cause)].split())[:90]
        out.append(f"  {action:<12}{cause:<42}{n:>6}  e.g. {sample}")
    for user in users:
        out.extend(f"  {user.name}: {f[:160]}" for f in user.failures[:3])
    out.append(f"lost or duplicated: {check.lost + check.duplicated}")
    out.extend(f"  {p}" for p in check.effects[:30])
    out.append(f"invariant violations: {len(check.problems)}")
    out.extend(f"  {p}" for p in check.problems[:30])
    out.extend(robots.lines())
    out.extend(env.cluster_lines)
    errors_5xx = sum(n for (_c, expected), n in stats.errors.items() if not expected)
    writes = [ms for a in WRITE_ACTIONS for ms in stats.latency.get(a, [])]
    violations = len(check.problems)
    out.append(
        f"LOAD users={args.users} actions={actions} errors_5xx={errors_5xx} "
        f"lost={check.lost} duplicated={check.duplicated} "
        f"invariant_violations={violations} p95_ms={percentile(writes, 95):.0f} "
        f"robot_sent={robots.sent} robot_lost={robots.lost} "
        f"robot_duplicated={robots.duplicated}{env.cluster_tail}"
    )
    print("\n".join(out), flush=True)
    return (
        errors_5xx
        or check.lost
        or check.duplicated
        or violations
        or faults.failed
        or robots.lost
        or robots.duplicated
        or env.cluster_failed
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8370")
    parser.add_argument("--db", default="op_load")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--odoo-pid", type=int, required=True)
    parser.add_argument("--pg-restart", required=True)
    parser.add_argument("--odoo-log")
    parser.add_argument("--robot-port", type=int, default=8374)
    parser.add_argument("--cron-pid", type=int, default=0)  # make cluster's cron node
    parser.add_argument("--cluster-env")  # make cluster's state: the replica's faults
    args = parser.parse_args()
    if args.users < len(BASE_ROLES):
        raise SystemExit(f"USERS must be at least {len(BASE_ROLES)}: one per role.")

    faults = Faults()
    stats = Stats(faults)
    env = Env(args, stats)
    env.cluster = args.cluster_env and load_reads.ClusterRun(
        args.cluster_env, args.url, args.db
    )
    env.cluster_lines, env.cluster_tail, env.cluster_failed = [], "", False
    robots = Robots(env, args.robot_port)
    robots.arm(args, faults)
    print(
        f"group robots: {robots.count} demo robots on the local platforms "
        f"(port {robots.platforms.port})",
        flush=True,
    )
    roles = BASE_ROLES + [
        MORE_ROLES[i % len(MORE_ROLES)] for i in range(args.users - len(BASE_ROLES))
    ]
    per_role = collections.Counter(roles)
    seen = collections.Counter()
    users = []
    for role in roles:
        users.append(ROLE_CLASSES[role](env, role, seen[role], per_role[role]))
        seen[role] += 1
    print(
        "users: " + ", ".join(f"{role} x{n}" for role, n in per_role.items()),
        flush=True,
    )
    since = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    env.start = now()
    env.end = env.start + args.duration
    fault_log = []
    injector = threading.Thread(
        target=inject_faults, args=(env, args, faults, fault_log), daemon=True
    )
    injector.start()
    threading.Thread(
        target=robots.faults, args=(env, args.duration), daemon=True
    ).start()
    if env.cluster:
        threading.Thread(
            target=env.cluster.replica_faults,
            args=(env.start, args.duration, faults),
            daemon=True,
        ).start()
    for user in users:
        user.start()
    injector.join(args.duration + 180)
    for user in users:
        # A user finishes its action in progress: bounded by its retries.
        user.join(max(1.0, env.end + 180 - now()))
    elapsed = now() - env.start
    stuck = [u.name for u in users if u.is_alive()]
    if stuck:
        print(f"users still busy after the run: {stuck}", flush=True)
    check = Check(args.db).run(stats.acks)
    robots.platforms.delay = 0.0
    robots.platforms.up()
    robots.drain(args.db)
    robot_check = RobotCheck(args.db, since, robots.platforms, robots.killed)
    robots.platforms.before_answer = None
    fault_log.extend(robots.log)
    log_info = read_log(args.odoo_log, since, faults)
    if env.cluster:
        env.cluster_lines, env.cluster_tail, env.cluster_failed = env.cluster.lines()
        env.cluster_tail = " " + env.cluster_tail
    failed = report(
        args, env, faults, fault_log, users, elapsed, check, log_info, robot_check
    )
    robots.platforms.close()
    sys.exit(1 if failed or stuck else 0)


if __name__ == "__main__":
    main()
