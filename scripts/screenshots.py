"""`make screenshots` (issue 12, item 5): the product's main screens as PNGs.

Started by scripts/screenshots.sh on a scratch copy of the demo database with
the addon installed, in two steps:

``seed``  runs the real flows through the ORM, as the demo role users (the
          helpers of scripts/scale.py): an order under review with some of
          its reviews decided, a returned and an answered one, effective
          orders, a released production plan, a delivery whose goods are
          received (signed D8) with an approved shipping order (D10), and
          the KPI dashboard's history: orders of the last months signed and
          shipped on or after their committed date, the clock set back with
          freezegun (HISTORY); writes the ids to a JSON file.
``shoot`` while Odoo serves that database: logs each role user (and a
          customer's portal user) in over HTTP, drives headless Chromium
          through the DevTools protocol to each screen (SHOTS) as that user,
          waits until the view is drawn (opening a dialog where the shot
          says so) and saves a 1440x900 PNG into docs/screenshots/ (My
          Reviews also at a phone's 390 px); the D1 and D10 forms are opened
          as HTML reports and saved whole; the PDFs of D1 and of
          the D12 of the history's last shipping day, as the server prints
          them, have their first page saved as a PNG (pdftoppm, from
          poppler-utils).
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

WIDTH, HEIGHT = 1440, 900
REPORT_WIDTH = 1000  # an A4 page's width on screen
REPORT_MAX_HEIGHT = 1800
WIDE_MAX_WIDTH = 2200  # every column of the orders kanban
CARD_WIDTH = 760  # a chat window
MODULE = "order_process_addon"


# ---------------------------------------------------------------- seed
def _ship_date(calendar, today):
    """A ship date whose D10 is issued in time today: its previous working
    day is today or later (R23)."""
    day = today + timedelta(days=1)
    while calendar.op_previous_working_date(day) < today:
        day += timedelta(days=1)
    return day


def _shipped_as_records(env, picking, day):
    """The shipping steps of R23-R27 done as records (as the payment tests'
    _shipping_steps_done), on purpose: these history orders are signed and
    shipped without being produced (no D8), so the steps themselves would
    refuse their D10 (R17, R23); they only give the dashboard its months.
    The steps are walked, through the driver, by the current delivery."""
    from odoo import Command

    su = env(su=True)
    d10 = su["order.shipping.order"].create(
        {
            "picking_id": picking.id,
            "sale_order_id": picking.sale_id.id,
            "name": f"D10/HIST-{picking.id}/1",
            "base_name": f"D10/HIST-{picking.id}",
            "ship_date": day,
            "partner_shipping_id": picking.partner_id.id,
            "state": "approved",
            # What the delivery ships: the last door compares what leaves
            # with the approved D10 (R23).
            "line_ids": [
                Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "quantity": move.product_uom_qty,
                        "uom_id": move.product_uom.id,
                    }
                )
                for move in picking.move_ids
            ],
        }
    )
    check = su["order.loading.check"].create(
        {
            "picking_id": picking.id,
            "shipping_order_id": d10.id,
            "state": "signed",
            "line_ids": [
                Command.create(
                    {
                        "move_id": move.id,
                        "product_id": move.product_id.id,
                        "uom_id": move.product_uom.id,
                        "qty_expected": move.product_uom_qty,
                        "qty_loaded": move.product_uom_qty,
                        "checked": True,
                    }
                )
                for move in picking.move_ids
            ],
        }
    )
    su["order.gate.check"].create(
        {
            "picking_id": picking.id,
            "loading_check_id": check.id,
            "vehicle_plate": "粤S 12345",
            "result": "pass",
        }
    )
    su["order.carrier.booking"].create(
        {
            "picking_id": picking.id,
            "contract_id": su.ref(f"{MODULE}.order_carrier_contract_demo").id,
            "vehicle_plate": "粤S 12345",
            "planned_arrival": fields_now() + timedelta(hours=1),
            "state": "arrived",
            "arrived_on": fields_now(),
        }
    )


def fields_now():
    from odoo import fields

    return fields.Datetime.now()


# HISTORY: (months back, day of that month it was signed, lead time in days,
# days shipped after the committed date: <= 0 on time, > 0 late).
HISTORY = [
    (4, 3, 14, -2),
    (4, 10, 14, 0),
    (4, 17, 10, 3),
    (3, 2, 14, -1),
    (3, 9, 14, -3),
    (3, 16, 10, 5),
    (2, 3, 14, -1),
    (2, 10, 14, 0),
    (2, 17, 10, -2),
    (1, 3, 14, 2),
    (1, 8, 14, -1),
]


def seed_history(env, today):
    """Orders of the last months, signed and shipped in their time (the
    clock set back with freezegun): the KPI dashboard's facts."""
    from scale import driver

    from odoo import fields

    walk = driver(env)
    count = 0
    for back, day, lead, late in HISTORY:
        month = (today.replace(day=1) - timedelta(days=28 * back - 14)).replace(day=1)
        signed_on = month.replace(day=day)
        committed = signed_on + timedelta(days=lead)
        shipped = committed + timedelta(days=late)
        if shipped >= today:
            continue
        with walk.at(f"{signed_on} 02:00:00"):
            order = _new_order(env, SHIPPED_CUSTOMERS)
            order.op_requested_date = committed
            walk.register(order)
            walk.answer(order)
            walk.sign(order)
        with walk.at(f"{shipped} 06:00:00"):
            picking = walk.delivery(order)
            _shipped_as_records(env, picking, shipped)
            walk.pick(picking)
            walk.ship(picking)
            assert fields.Date.to_date(picking.date_done) == shipped
        count += 1
    return count


CUSTOMERS = ("partner_huaxing_demo", "partner_hongda_demo", "partner_lianchuang_demo")
# The shipped history: customers who pay after shipment (Hongda pays first).
SHIPPED_CUSTOMERS = ("partner_huaxing_demo", "partner_lianchuang_demo")
_serial = [0]


def _new_order(env, customers=CUSTOMERS):
    """A draft order as Customer Management enters it (scale.py's), for
    each of ``customers`` in turn."""
    from scale import fresh_order, ref

    order = fresh_order(env)
    customer = ref(env, customers[_serial[0] % len(customers)])
    _serial[0] += 1
    order.write({"partner_id": customer.id})
    return order


def _registered(env):
    from scale import register

    order = _new_order(env)
    register(env, order)
    return order


def seed(env):
    """The records the screens show, made by the flows as the role users."""
    from scale import driver, ref

    from odoo import fields

    walk = driver(env)
    company = ref(env, "company_demo")
    calendar = company._op_calendar()
    today = fields.Date.context_today(env["res.users"].with_context(tz=calendar.tz))
    history = seed_history(env, today)

    # An order under review, some reviews decided: its Reviews tab and the
    # reviewers' My Reviews.
    review_order = ref(env, "sale_order_review_demo")
    if review_order.op_state == "draft":
        walk.register(review_order)
    decided = 0
    for review in review_order.op_review_ids.filtered(lambda r: r.state == "pending"):
        role = walk.review_role(review)
        if role in ("quality",):
            continue  # left for Quality's My Reviews and its decision dialog
        if role == "technical":
            # The other departments' decisions the dialog shows (issue 18).
            walk.decide(
                review,
                "approve_with_conditions",
                reason="首批需先送样，确认 UL 94 V-0 阻燃等级后再批量生产。",
            )
        else:
            walk.decide(review, committed=review_order.op_requested_date)
        decided += 1
        if decided == 2:
            break
    for _i in range(2):
        walk.register(_new_order(env))
    # One answered with Quality's conditions, waiting for the signature of
    # the customer whose demo portal user (huaxing) signs it; one returned by
    # Quality (R3).
    to_sign = _new_order(env, ("partner_huaxing_demo",))
    walk.register(to_sign)

    def quality_review(order):
        return order.op_review_ids.filtered(
            lambda r: r.state == "pending" and r.group_id == ref(env, "group_quality")
        )[:1]

    walk.decide(
        quality_review(to_sign),
        "approve_with_conditions",
        reason="盐雾测试 48 小时，费用由客户承担。",
    )
    walk.answer(to_sign)
    returned = _registered(env)
    walk.decide(
        quality_review(returned), "reject", reason="客户要求的阻燃等级需先送样确认。"
    )

    # Effective orders: signed by the customer (their KPI facts).
    effective = []
    for _i in range(3):
        order = _new_order(env)
        walk.walk(order, until="effective")
        effective.append(order)

    # A released production plan of the first one's MO (R12-R14), its
    # goods tested, received (signed D8), and the delivery's D10 approved
    # (R16, R17, R23).
    order = effective[0]
    line = order.order_line[:1]
    production = walk.production(order, line.product_id, line.product_uom_qty)
    plan = walk.production_plan(production, walk.working_day(1, today))
    walk.release(plan, late_reason="Screenshots: released on the day")
    walk.start(production)
    walk.final_test(production)
    walk.count(walk.deliver(production))
    picking = walk.delivery(order)
    d10 = walk.d10(
        picking,
        _ship_date(calendar, today),
        contact_name="王女士",
        special_requirements="托盘缠膜\n外箱贴客户料号",
    )

    # The D12 of the history's last shipping day, prepared by the keeper and
    # signed by the PMC manager (R28).
    d12 = _signed_d12(env, company, walk)
    env.flush_all()
    return {
        "review_order": review_order.id,
        "review_order_name": review_order.name,
        "to_sign": to_sign.id,
        "effective_order": effective[1].id,
        "plan": plan.id,
        "picking": picking.id,
        "d10": d10.id,
        "d1_order": effective[1].id,
        "d12": d12.id,
        "history": history,
    }


def seed_robot(registry, out):
    """Issue 21: the demo PMC group's DingTalk robot, tested and used on the
    local platforms (order_process_addon/tests/robot_platforms.py): its test
    message answered, then a review escalated overdue (the real job) sent
    to it; the payload DingTalk received is saved to ``out`` for the card's
    picture. The robot keeps the demo's DingTalk address (masked on the
    form), as an administrator who pasted the group's real one."""
    import importlib.util

    from freezegun import freeze_time

    from odoo import SUPERUSER_ID, api

    path = Path(__file__).parent.parent / MODULE / "tests" / "robot_platforms.py"
    spec = importlib.util.spec_from_file_location("robot_platforms", path)
    platforms_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(platforms_module)
    platforms = platforms_module.FakePlatforms()
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            robot = env.ref(f"{MODULE}.robot_pmc_demo")
            demo_url = robot.webhook_url
            secret = robot.secret
            key = "screenshots-pmc"
            robot.write(
                {
                    "webhook_url": platforms.add("dingtalk", key, secret),
                    "active": True,
                    "working_time_only": False,
                }
            )
            robot.with_user(env.ref("base.user_admin")).action_send_test()
            order = _registered(env)
            review = order.op_review_ids.filtered(
                lambda r: r.group_id == env.ref(f"{MODULE}.group_pmc_planner")
            )
            moment = review.deadline + timedelta(hours=1)
            with freeze_time(moment):
                env["order.review"].browse(review.ids)._cron_escalate_overdue()
            robot_id = robot.id
        # Committed: the job sends it, in transactions of its own.
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["order.robot.outbox"]._op_send_due(now=moment)
            cr.commit()
            robot = env["order.robot"].browse(robot_id)
            robot.write({"webhook_url": demo_url})
        cards = [
            body
            for body in platforms.accepted("dingtalk", key)
            if body["markdown"]["title"] != "测试消息"
            and "逾期" in body["markdown"]["title"]
        ]
        Path(out).write_text(json.dumps(cards[:1], ensure_ascii=False, indent=1))
        return robot_id
    finally:
        platforms.close()


def _signed_d12(env, company, walk):
    """The D12 of the last day a delivery of the process left, prepared and
    signed; an empty recordset without any."""
    from odoo import fields

    last = env["stock.picking"].search(
        [
            ("company_id", "=", company.id),
            ("op_process_delivery", "=", True),
            ("state", "=", "done"),
        ],
        order="date_done desc",
        limit=1,
    )
    statistics = env["order.shipment.statistics"]
    if not last:
        return statistics
    tz = env["res.company"]._op_calendar(company).tz
    day = fields.Datetime.context_timestamp(
        last.with_context(tz=tz), last.date_done
    ).date()
    return walk.d12(statistics._op_build(company, day))


def run_seed(args):
    import odoo
    from odoo import SUPERUSER_ID, api

    sys.path.insert(0, str(Path(__file__).parent))
    odoo.tools.config.parse_config(
        [
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            f"--data-dir={args.data_dir}",
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        ids = seed(env)
        cr.commit()
    card = str(Path(args.ids).with_name("robot-card.json"))
    ids["robot"] = seed_robot(registry, card)
    ids["robot_card"] = card
    Path(args.ids).write_text(json.dumps(ids, indent=1))
    print(f"seeded: {ids}")


# ---------------------------------------------------------------- browser
class Chromium:
    """Headless Chromium driven through the DevTools protocol."""

    def __init__(self, binary, port):
        self.profile = tempfile.mkdtemp(prefix="op_shots_chromium_")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = None
        self.next_id = 0
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                    pages = [t for t in json.load(r) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.3)
        import websocket  # websocket-client

        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.send("Page.enable")
        self.send("Network.enable")
        self.viewport(WIDTH, HEIGHT)

    def send(self, method, **params):
        self.next_id += 1
        msg_id = self.next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def viewport(self, width, height, mobile=False):
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=60, what=""):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.25)
        raise RuntimeError(f"timed out waiting for {what or expression}")

    def screenshot(self, path, mode=None):
        """A PNG of the viewport; ``mode`` "report": the whole page at an A4
        page's width; "wide": as wide as the kanban's columns."""
        if mode == "report":
            self.viewport(REPORT_WIDTH, HEIGHT)
            time.sleep(0.5)
            height = self.evaluate("document.documentElement.scrollHeight") or HEIGHT
            self.viewport(REPORT_WIDTH, min(int(height), REPORT_MAX_HEIGHT))
            time.sleep(0.5)
        elif mode == "card":
            self.viewport(CARD_WIDTH, HEIGHT)
            time.sleep(0.3)
            height = self.evaluate(
                "Math.ceil(document.querySelector('.page').getBoundingClientRect()"
                ".bottom)"
            )
            self.viewport(CARD_WIDTH, int(height or HEIGHT))
            time.sleep(0.5)
        elif mode == "wide":
            width = self.evaluate(
                "document.querySelector('.o_kanban_renderer').scrollWidth"
            )
            self.viewport(min(max(int(width or WIDTH), WIDTH), WIDE_MAX_WIDTH), HEIGHT)
            time.sleep(1.0)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        Path(path).write_bytes(base64.b64decode(data))
        if mode:
            self.viewport(WIDTH, HEIGHT)

    def close(self):
        if self.ws:
            try:
                self.send("Browser.close")
            except Exception:  # noqa: BLE001 - closing anyway
                pass
            self.ws.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def robot_card_html(payload):
    """A DingTalk markdown message as the group's chat shows it, drawn from
    the payload DingTalk received: the robot's bubble with the title, the
    text, the list, the link and the @-mentions (DingTalk's markdown:
    headings, lists, bold, links; backslash escapes)."""
    import html
    import re

    def inline(text):
        # Escaped characters are text: set apart before the markup is read.
        text = re.sub(r"\\(.)", lambda m: f"\x00{ord(m.group(1))}\x00", text)
        text = html.escape(text)
        text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
        text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r'<a href="\2">\1</a>', text)
        mobiles = payload.get("at", {}).get("atMobiles", [])
        for mobile in mobiles:
            text = text.replace(f"@{mobile}", f'<span class="at">@{mobile}</span>')
        return re.sub("\x00(\\d+)\x00", lambda m: f"&#{m.group(1)};", text)

    blocks, items = [], []
    for line in payload["markdown"]["text"].split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{inline(line[2:])}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line.startswith("#### "):
            blocks.append(f"<h4>{inline(line[5:])}</h4>")
        elif line.strip():
            blocks.append(f"<p>{inline(line)}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<style>
body {{ margin: 0; background: #f2f3f5; font: 14px/1.6 "Noto Sans CJK SC",
  "PingFang SC", sans-serif; color: #171a1d; }}
.top {{ background: #fff; padding: 12px 20px; font-weight: 600;
  border-bottom: 1px solid #e5e6eb; }}
.top small {{ color: #86909c; font-weight: normal; margin-left: 8px; }}
.chat {{ padding: 20px 20px 28px; display: flex; gap: 12px; }}
.avatar {{ width: 40px; height: 40px; border-radius: 8px; background: #3370ff;
  color: #fff; display: flex; align-items: center; justify-content: center;
  font-weight: 700; flex: none; }}
.who {{ color: #86909c; font-size: 12px; margin-bottom: 4px; }}
.dt-card {{ background: #fff; border-radius: 8px; padding: 14px 18px;
  max-width: 560px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }}
.dt-card h4 {{ margin: 0 0 8px; font-size: 16px; }}
.dt-card p {{ margin: 6px 0; }}
.dt-card ul {{ margin: 6px 0; padding-left: 20px; }}
.dt-card a {{ color: #3370ff; text-decoration: none; }}
.at {{ color: #3370ff; }}
</style></head><body>
<div class="page"><div class="top">PMC 计划群<small>钉钉 · 群机器人</small></div>
<div class="chat"><div class="avatar">O</div><div>
<div class="who">PMC 计划群（钉钉）· 机器人</div>
<div class="dt-card">{"".join(blocks)}</div></div></div></div>
</body></html>"""


def login(base, db, login_name, password):
    """The session id of ``login_name`` after /web/session/authenticate."""
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": login_name, "password": password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{base}/web/session/authenticate",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        result = json.load(response)
        if result.get("error") or not result.get("result", {}).get("uid"):
            raise RuntimeError(f"login {login_name} failed: {result.get('error')}")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = header.partition("=")
            if name.strip() == "session_id":
                return rest.split(";", 1)[0]
    raise RuntimeError(f"login {login_name}: no session cookie")


READY = (
    "(() => !!document.querySelector(%s) && "
    "!document.querySelector('.o_loading_indicator, .o_blockUI') && "
    "document.readyState === 'complete')()"
)


def action_url(xmlid, res_id=None):
    url = f"/odoo/action-{MODULE}.{xmlid}"
    return f"{url}/{res_id}" if res_id else url


# Screens set before the page loads (Odoo lays a page out for a phone when it
# loads on a small screen): (width, height, mobile).
SCREENS = {
    "phone": (390, 844, True),  # My Reviews as cards
    "tall": (WIDTH, 1300, False),  # a whole dialog
}


def _decide_in_my_reviews(ids):
    """Open the decision dialog of the review order's row of My Reviews."""
    name = json.dumps(ids["review_order_name"])
    return (
        "[...document.querySelectorAll('.o_list_view .o_data_row')]"
        f".find((row) => row.innerText.includes({name}))"
        ".querySelector('button[name=\"action_open_decision_wizard\"]').click()"
    )


# SHOTS: (file name, login, URL(ids), element that says the view is drawn,
# notebook tab to click or None, screenshot mode: None, "wide", "report" or
# a SCREENS key[, (script(ids) to run, element that says it is done)]).
SHOTS = [
    (
        "orders-kanban",
        "customer_mgmt",
        lambda ids: action_url("sale_order_action"),
        ".o_kanban_view .o_kanban_record",
        None,
        "wide",
    ),
    (
        "order-reviews",
        "customer_mgmt",
        lambda ids: action_url("sale_order_action", ids["review_order"]),
        ".o_form_view .o_notebook",
        "op_reviews",
        None,
    ),
    (
        "my-reviews",
        "quality",
        lambda ids: action_url("order_review_action_my"),
        ".o_list_view .o_data_row",
        None,
        None,
    ),
    # Issue 18: Quality decides seeing what it reviews: the order's products,
    # special requirements and the other departments' decisions so far.
    (
        "review-dialog",
        "quality",
        lambda ids: action_url("order_review_action_my"),
        ".o_list_view .o_data_row",
        None,
        "tall",
        (
            _decide_in_my_reviews,
            ".modal .o_op_review_decision .o_op_special_requirements",
        ),
    ),
    # My Reviews on a 390 px phone: cards with the deadline and Decide.
    (
        "my-reviews-phone",
        "quality",
        lambda ids: action_url("order_review_action_my"),
        ".o_kanban_view .o_kanban_record",
        None,
        "phone",
    ),
    # The customer's page to sign (demo portal user of 华星): the committed
    # date and the conditions, on the page and in the signing dialog.
    (
        "portal-sign",
        "huaxing",
        lambda ids: f"/my/orders/{ids['to_sign']}",
        "#op_portal_stage .o_op_portal_promise",
        None,
        None,
    ),
    (
        "portal-sign-dialog",
        "huaxing",
        lambda ids: f"/my/orders/{ids['to_sign']}",
        "#op_portal_stage .o_op_portal_promise",
        None,
        None,
        (
            lambda ids: (
                "document.querySelector('a[data-bs-target=\"#modalaccept\"]').click()"
            ),
            ".modal.show .o_op_portal_sign_promise",
        ),
    ),
    (
        # Issue 18, item 1: a role's own to-dos, each for work still open
        # (docs/screenshots/my-todos.png: after the demo year of make run).
        "my-todos",
        "pmc_planner",
        lambda ids: action_url("mail_activity_action_my_process"),
        ".o_list_view .o_data_row",
        None,
        None,
    ),
    (
        "production-plan",
        "pmc_planner",
        lambda ids: action_url("order_production_plan_action", ids["plan"]),
        ".o_form_view .o_form_sheet",
        None,
        None,
    ),
    (
        "delivery-shipping",
        "fg_warehouse",
        lambda ids: action_url("stock_picking_action_shipping", ids["picking"]),
        ".o_form_view .o_notebook",
        "op_shipping",
        None,
    ),
    (
        "kpi-dashboard",
        "pmc_manager",
        lambda ids: action_url("order_kpi_fact_action"),
        ".o_graph_view canvas, .o_graph_view .o_view_nocontent",
        None,
        None,
    ),
    (
        "d1-order-review-form",
        "customer_mgmt",
        lambda ids: f"/report/html/{MODULE}.report_order_d1/{ids['d1_order']}",
        ".page, .article",
        None,
        "report",
    ),
    (
        "d10-shipping-order",
        "customer_mgmt",
        lambda ids: f"/report/html/{MODULE}.report_order_d10/{ids['d10']}",
        ".page, .article",
        None,
        "report",
    ),
    (
        "orders-kanban-en",
        "admin",
        lambda ids: action_url("sale_order_action"),
        ".o_kanban_view .o_kanban_record",
        None,
        "wide",
    ),
    (
        "robot-form",
        "admin",
        lambda ids: action_url("order_robot_action", ids["robot"]),
        ".o_form_view .o_form_sheet .o_field_many2many_checkboxes",
        None,
        None,
    ),
    # The card DingTalk received, drawn as the group shows it (robot_card_html).
    ("robot-card", None, None, ".dt-card", None, "card"),
]


# PDF_SHOTS: (file name, login, report URL(ids) or None): the first page
# of the PDF the server prints, with the company's letterhead, as a PNG.
PDF_SHOTS = [
    (
        "d1-order-review-form-pdf",
        "customer_mgmt",
        lambda ids: f"/report/pdf/{MODULE}.report_order_d1/{ids['d1_order']}",
    ),
    (
        "d12-shipment-statistics-pdf",
        "finance",
        lambda ids: (
            ids.get("d12") and f"/report/pdf/{MODULE}.report_order_d12/{ids['d12']}"
        ),
    ),
]
PDF_DPI = 100  # an A4 page: 827 x 1169 px


def shoot_pdf(base, session, url, path):
    """The first page of the PDF at ``url`` (as the user of ``session``) as
    a PNG at ``path``, drawn by pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        raise RuntimeError("pdftoppm is needed: apt-get install poppler-utils")
    request = urllib.request.Request(
        base + url, headers={"Cookie": f"session_id={session}"}
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        content = response.read()
    if not content.startswith(b"%PDF"):
        raise RuntimeError(f"{url} is not a PDF: {content[:200]!r}")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "page.pdf"
        pdf.write_bytes(content)
        subprocess.run(
            [pdftoppm, "-png", "-r", str(PDF_DPI), "-f", "1", "-l", "1"]
            + ["-singlefile", str(pdf), str(Path(folder) / "page")],
            check=True,
        )
        shutil.copyfile(Path(folder) / "page.png", path)


def run_shoot(args):
    ids = json.loads(Path(args.ids).read_text())
    base = f"http://127.0.0.1:{args.port}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    browser = Chromium(args.chromium, args.cdp_port)
    sessions = {}
    made, failed = [], []
    try:
        for name, user, url, ready, tab, mode, *click in SHOTS:
            start = time.perf_counter()
            try:
                if mode == "card":
                    card = out / ".robot-card.html"
                    payloads = json.loads(Path(ids["robot_card"]).read_text())
                    card.write_text(robot_card_html(payloads[0]))
                    browser.send("Page.navigate", url=card.resolve().as_uri())
                    browser.wait_for(READY % json.dumps(ready), what=name)
                    time.sleep(0.5)
                    path = out / f"{name}.png"
                    browser.screenshot(path, "card")
                    card.unlink()
                    made.append((name, path.stat().st_size))
                    print(f"  {name}.png  {path.stat().st_size // 1024} KB")
                    continue
                if mode in SCREENS:
                    browser.viewport(*SCREENS[mode])
                if user not in sessions:
                    sessions[user] = login(base, args.db, user, user)
                browser.send(
                    "Network.setCookie",
                    name="session_id",
                    value=sessions[user],
                    url=base,
                    path="/",
                )
                browser.send("Page.navigate", url=base + url(ids))
                time.sleep(0.5)
                browser.wait_for(READY % json.dumps(ready), what=f"{name}: {ready}")
                if tab:
                    selector = json.dumps(f'a.nav-link[name="{tab}"]')
                    browser.wait_for(
                        f"!!document.querySelector({selector})", what=f"tab {tab}"
                    )
                    browser.evaluate(f"document.querySelector({selector}).click()")
                    time.sleep(0.3)
                    browser.wait_for(
                        f"document.querySelector({selector})"
                        ".classList.contains('active')",
                        what=f"tab {tab} open",
                    )
                if click:
                    script, done = click[0]
                    browser.evaluate(script(ids))
                    browser.wait_for(
                        f"!!document.querySelector({json.dumps(done)})",
                        what=f"{name}: {done}",
                    )
                # Fonts, images and the charts' animation.
                browser.evaluate("document.fonts.ready.then(() => true)")
                time.sleep(1.0)
                path = out / f"{name}.png"
                browser.screenshot(path, mode)
                size = path.stat().st_size
                made.append((name, size))
                print(
                    f"  {name}.png  {size // 1024} KB  as {user}  "
                    f"({time.perf_counter() - start:.1f} s)"
                )
            except Exception as exc:  # noqa: BLE001 - report every screen
                failed.append(name)
                print(f"  {name}: FAILED {exc}", file=sys.stderr)
    finally:
        browser.close()
    for name, user, url in PDF_SHOTS:
        start = time.perf_counter()
        try:
            if not url(ids):
                raise RuntimeError("nothing to print (no shipment in the history)")
            if user not in sessions:
                sessions[user] = login(base, args.db, user, user)
            path = out / f"{name}.png"
            shoot_pdf(base, sessions[user], url(ids), path)
            size = path.stat().st_size
            made.append((name, size))
            print(
                f"  {name}.png  {size // 1024} KB  as {user}  "
                f"({time.perf_counter() - start:.1f} s)"
            )
        except Exception as exc:  # noqa: BLE001 - report every page
            failed.append(name)
            print(f"  {name}: FAILED {exc}", file=sys.stderr)
    print(f"{len(made)} screenshots in {out}, {len(failed)} failed")
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_seed = sub.add_parser("seed")
    p_seed.add_argument("--db", required=True)
    p_seed.add_argument("--addons-path", required=True)
    p_seed.add_argument("--data-dir", required=True)
    p_seed.add_argument("--ids", required=True)
    p_shoot = sub.add_parser("shoot")
    p_shoot.add_argument("--db", required=True)
    p_shoot.add_argument("--port", type=int, required=True)
    p_shoot.add_argument("--cdp-port", type=int, default=9333)
    p_shoot.add_argument("--chromium", default="/usr/bin/chromium")
    p_shoot.add_argument("--ids", required=True)
    p_shoot.add_argument("--out", required=True)
    args = parser.parse_args()
    if args.step == "seed":
        return run_seed(args)
    return run_shoot(args)


if __name__ == "__main__":
    sys.exit(main())
