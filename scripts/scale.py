"""`make scale` (issue 11, item 1): the order process at N orders.

Started by scripts/scale.sh on a scratch copy of the demo database with the
addon installed. It

1. runs the real flows once through the ORM, as the demo role users, to get
   one order of each stage (draft, under review, answered, effective) with
   everything the flows write for it: lines, reviews, the reviewers' to-dos,
   followers;
2. grows the database to N/100 process orders by copying those rows with
   SQL, in bulk (same tables, same columns, same links: each copy is the
   template's row with its own name, dates and order), in realistic
   proportions (GROWERS, STAGE_MIX);
3. measures, as the role users: each role's landing list and kanban the way
   the web client asks (web_search_read / web_read_group with the action's
   domain, context and default filter; LISTS), and each process step on a
   fresh sample order through the ORM (STEPS), with Odoo's own action_confirm
   of the same order beside the registration;
4. grows to N and measures again, plus EXPLAIN of each landing list;
5. puts 10 % of the pending reviews and of the planned effective orders
   overdue at once and runs each scheduled job as the cron runner does (one
   transaction per call, called again while it reports some done and some
   remaining), timing every call.

It prints a table and ends with exactly one line
`SCALE orders=<N> list_ratio=.. step_ratio=.. cron_max_s=.. register_vs_confirm=..`.

Adding what other branches bring (shipments, KPI facts): a grower in
GROWERS (SQL copies of a flow-made template), a list in LISTS, a step in
STEPS (a function that prepares a sample and returns the call to measure),
a cron in CRONS.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

MODULE = "order_process_addon"
# Of the process orders, by stage (a company several years in: most orders
# are effective, a few are open).
STAGE_MIX = {"effective": 0.80, "review": 0.10, "answered": 0.05, "draft": 0.05}
REPEAT = 5  # calls per list (median of the warm ones)
SAMPLES = 5  # sample orders per step
# What the web client asks a list to count at most (its DEFAULT_COUNT_LIMIT
# + 1): the pager says "1-80 / 10000+" beyond.
COUNT_LIMIT = 10001


# ---------------------------------------------------------------- helpers
def ref(env, xmlid):
    return env.ref(f"{MODULE}.{xmlid}")


def role_user(env, role):
    return ref(env, f"user_{role}_demo")


def measure(env, func):
    """(queries, ms) of ``func()`` with cold ORM caches, flushed."""
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return cr.sql_log_count - queries, (time.perf_counter() - start) * 1000


def median_of(results):
    """The median query count and the fastest time: on a machine shared
    with others, the minimum of a few runs is the cost, the rest is noise
    (as timeit reports)."""
    return (
        int(statistics.median(q for q, _ms in results)),
        min(ms for _q, ms in results),
    )


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, where, overrides, source="t", extra_from=None):
    """INSERT INTO table SELECT every column of the rows ``where`` (alias
    ``t``), but ``overrides`` ({column: SQL}); returns the new ids."""
    names = columns(cr, table)
    select = SQL(", ").join(
        overrides.get(name)
        or SQL("%s.%s", SQL.identifier(source), SQL.identifier(name))
        for name in names
    )
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s t %s WHERE %s RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in names),
            select,
            SQL.identifier(table),
            extra_from or SQL(),
            where,
        )
    )
    return [row[0] for row in cr.fetchall()]


# ---------------------------------------------------------------- flows
def fresh_order(env):
    """A draft order of the demo company, as Customer Management enters it."""
    draft = ref(env, "sale_order_draft_demo")
    return draft.copy({"op_requested_date": date.today() + timedelta(days=30)})


def approve_pending(env, order):
    """Every pending review of ``order`` approved by a demo user of its role."""
    for review in order.op_review_ids.filtered(lambda r: r.state == "pending"):
        role = review.group_id.get_external_id()[review.group_id.id].split("group_")[1]
        review.with_user(role_user(env, role)).action_approve(
            committed_date=order.op_requested_date
            if review.records_delivery_date
            else None
        )


def register(env, order):
    cm = role_user(env, "customer_mgmt")
    order.with_user(cm).with_company(order.company_id).action_op_register()


def answer(env, order):
    while order.op_state == "review":
        approve_pending(env, order)
    planner = role_user(env, "pmc_planner")
    order.with_user(planner).with_company(order.company_id).action_op_answer()


def sign(env, order):
    attachment = env["ir.attachment"].create({"name": "signed.pdf", "raw": b"%PDF"})
    cm = role_user(env, "customer_mgmt")
    order.with_user(cm).with_company(order.company_id)._op_record_signed_scan(
        attachment, "Chen Xiaojie", fields.Datetime.now()
    )


def make_templates(env):
    """One order of each stage, made by the flows."""
    templates = {"draft": fresh_order(env)}
    templates["review"] = fresh_order(env)
    register(env, templates["review"])
    templates["answered"] = fresh_order(env)
    register(env, templates["answered"])
    answer(env, templates["answered"])
    templates["effective"] = fresh_order(env)
    register(env, templates["effective"])
    answer(env, templates["effective"])
    sign(env, templates["effective"])
    env.flush_all()
    for stage, order in templates.items():
        assert order.op_state == stage, (stage, order.op_state)
    return {stage: order.id for stage, order in templates.items()}


# ---------------------------------------------------------------- growth
def grow_orders(env, templates, count, serial):
    """``count`` copies of the stage templates (STAGE_MIX), with their lines,
    reviews, to-dos and followers; returns the number of pending reviews
    added."""
    cr = env.cr
    counts = {stage: int(count * share) for stage, share in STAGE_MIX.items()}
    counts["effective"] += count - sum(counts.values())
    for stage, k in counts.items():
        if not k:
            continue
        tid = templates[stage]
        first = serial[0]
        serial[0] += k
        age = SQL("(random() * interval '1095 days')")
        if stage in ("review", "answered", "draft"):
            age = SQL("(random() * interval '3 days')")
        ids = copy_rows(
            cr,
            "sale_order",
            SQL("t.id = %s", tid),
            {
                "name": SQL("'SC' || lpad(g::text, 7, '0')"),
                "date_order": SQL("t.date_order - %s", age),
                "create_date": SQL("t.create_date - %s", age),
                "write_date": SQL("t.write_date - %s", age),
                "access_token": SQL("md5(random()::text)"),
                "op_registered_on": SQL("t.op_registered_on - %s", age),
                "op_effective_on": SQL("t.op_effective_on - %s", age),
                "op_plan_deadline": SQL("t.op_plan_deadline - %s", age),
                # History: the effective orders were planned on time.
                "op_planned_on": SQL(
                    "CASE WHEN t.op_state = 'effective' "
                    "THEN t.op_plan_deadline - %s - interval '2 hours' END",
                    age,
                ),
            },
            extra_from=SQL(
                ", generate_series(%s::int, %s::int) g", first, first + k - 1
            ),
        )
        new = SQL("unnest(%s::int[]) AS o(id)", ids)
        copy_rows(
            cr,
            "sale_order_line",
            SQL("t.order_id = %s", tid),
            {"order_id": SQL("o.id")},
            extra_from=SQL(", %s", new),
        )
        copy_rows(
            cr,
            "order_review",
            SQL("t.order_id = %s", tid),
            {
                "order_id": SQL("o.id"),
                # Pending reviews: deadlines spread over the coming days.
                "deadline": SQL(
                    "CASE WHEN t.state = 'pending' "
                    "THEN t.deadline + random() * interval '3 days' "
                    "ELSE t.deadline END"
                ),
            },
            extra_from=SQL(", %s", new),
        )
        copy_rows(
            cr,
            "mail_followers",
            SQL("t.res_model = 'sale.order' AND t.res_id = %s", tid),
            {"res_id": SQL("o.id")},
            extra_from=SQL(", %s", new),
        )
        # The reviewers' to-dos of the pending reviews, on the copy's own
        # reviews (same step and round).
        copy_rows(
            cr,
            "mail_activity",
            SQL(
                "t.res_model = 'sale.order' AND t.res_id = %s "
                "AND tr.id = t.op_review_id AND nr.step_id = tr.step_id "
                "AND nr.round = tr.round AND nr.order_id = ANY(%s)",
                tid,
                ids,
            ),
            {"res_id": SQL("nr.order_id"), "op_review_id": SQL("nr.id")},
            extra_from=SQL(", order_review tr, order_review nr"),
        )
    env.invalidate_all()


# GROWERS: (name, function(env, templates, count, serial)). Shipments and KPI
# facts add theirs here.
GROWERS = [("orders, lines, reviews, to-dos, followers", grow_orders)]


def process_order_count(env):
    env.cr.execute("SELECT count(*) FROM sale_order WHERE op_active")
    return env.cr.fetchone()[0]


def grow_to(env, templates, target, serial):
    missing = target - process_order_count(env)
    start = time.perf_counter()
    while missing > 0:
        chunk = min(missing, 20000)
        for _name, grower in GROWERS:
            grower(env, templates, chunk, serial)
        env.cr.commit()
        missing -= chunk
    # What autovacuum does on a live database (statistics, visibility map).
    with env.registry.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


# ---------------------------------------------------------------- lists
def view_spec(records, model, view_type):
    """The fields the web client asks for a view (a specification), as the
    user sees the view."""
    views = records.get_views([(False, view_type)])
    spec = {}
    for name, field in views["models"][model]["fields"].items():
        if field["type"] in ("many2one",):
            spec[name] = {"fields": {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many"):
            continue
        else:
            spec[name] = {}
    return spec


def _filter_domain(env, model, action, name):
    """The domain of a search filter of the action's search view."""
    from lxml import etree

    view = env[model].get_views([(False, "search")])["views"]["search"]
    arch = etree.fromstring(view["arch"])
    node = arch.xpath(f"//filter[@name='{name}']")[0]
    return node.get("domain")


def landing(env, user, model, action_xmlid, filters=(), kind="list", group_by=None):
    """A call the web client makes to show a role's landing list/kanban."""
    from odoo.tools.safe_eval import safe_eval

    action = env.ref(action_xmlid)
    ctx_eval = {"uid": user.id, "context_today": date.today}
    domain = list(safe_eval(action.domain or "[]", ctx_eval))
    for name in filters:
        domain += safe_eval(_filter_domain(env, model, action, name), ctx_eval)
    context = dict(safe_eval(action.context or "{}", ctx_eval))
    context = {k: v for k, v in context.items() if not k.startswith("search_default")}
    company = env.ref(f"{MODULE}.company_demo")
    records = (
        env[model]
        .with_user(user)
        .with_context(**context, allowed_company_ids=company.ids)
    )
    spec = view_spec(records, model, "kanban" if kind == "kanban" else "list")

    def call():
        if kind == "kanban":
            # The columns, then the first records of each unfolded column.
            groups = records.web_read_group(domain, [], [group_by], lazy=True)
            for group in groups["groups"]:
                if group.get("__fold"):
                    continue
                records.web_search_read(
                    domain + [(group_by, "=", group[group_by])],
                    spec,
                    limit=40,
                    count_limit=COUNT_LIMIT,
                )
        else:
            records.web_search_read(domain, spec, limit=80, count_limit=COUNT_LIMIT)

    def explain():
        query = records._search(domain, limit=80, order=records._order)
        env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        return [
            table
            for table in ("sale_order", "order_review")
            if f"Seq Scan on {table}" in plan
        ]

    return call, explain


# LISTS: (label, role, model, action, filters, kind, group_by)
LISTS = [
    (
        "orders kanban",
        "customer_mgmt",
        "sale.order",
        f"{MODULE}.sale_order_action",
        (),
        "kanban",
        "op_state",
    ),
    (
        "orders list",
        "customer_mgmt",
        "sale.order",
        f"{MODULE}.sale_order_action",
        (),
        "list",
        None,
    ),
    (
        "orders under review",
        "pmc_manager",
        "sale.order",
        f"{MODULE}.sale_order_action",
        ("op_under_review",),
        "list",
        None,
    ),
    (
        "orders review overdue",
        "pmc_manager",
        "sale.order",
        f"{MODULE}.sale_order_action",
        ("op_overdue",),
        "list",
        None,
    ),
    (
        "my merchandising",
        "customer_mgmt",
        "sale.order",
        f"{MODULE}.sale_order_action",
        ("op_my_merchandising",),
        "list",
        None,
    ),
    (
        "my reviews (quality)",
        "quality",
        "order.review",
        f"{MODULE}.order_review_action_my",
        ("waiting_for_me",),
        "list",
        None,
    ),
    (
        "my reviews (pmc)",
        "pmc_planner",
        "order.review",
        f"{MODULE}.order_review_action_my",
        ("waiting_for_me",),
        "list",
        None,
    ),
    (
        "reviews overdue",
        "pmc_manager",
        "order.review",
        f"{MODULE}.order_review_action",
        ("overdue",),
        "list",
        None,
    ),
    (
        "production plans",
        "pmc_planner",
        "order.production.plan",
        f"{MODULE}.order_production_plan_action",
        (),
        "list",
        None,
    ),
]


def measure_lists(env):
    results = {}
    plans = {}
    for label, role, model, action, filters, kind, group_by in LISTS:
        call, explain = landing(
            env, role_user(env, role), model, action, filters, kind, group_by
        )
        call()  # warm
        runs = [measure(env, call) for _i in range(REPEAT)]
        results[label] = median_of(runs)
        plans[label] = explain()
    return results, plans


# ---------------------------------------------------------------- steps
def _registered(env):
    order = fresh_order(env)
    register(env, order)
    return order


def step_register(env):
    order = fresh_order(env)
    return lambda: register(env, order)


def step_confirm(env):
    """Odoo's own confirmation of the same order, outside the process."""
    order = fresh_order(env)
    env.cr.execute("UPDATE sale_order SET op_active = FALSE WHERE id = %s", [order.id])
    env.invalidate_all()
    sales = role_user(env, "sales")
    return lambda: (
        order.with_user(sales).with_company(order.company_id).action_confirm()
    )


def step_decide(env):
    order = _registered(env)
    review = order.op_review_ids.filtered(lambda r: r.state == "pending")[:1]
    role = review.group_id.get_external_id()[review.group_id.id].split("group_")[1]
    user = role_user(env, role)
    return lambda: review.with_user(user).action_approve(
        committed_date=order.op_requested_date if review.records_delivery_date else None
    )


def step_answer(env):
    order = _registered(env)
    while order.op_state == "review":
        approve_pending(env, order)
    planner = role_user(env, "pmc_planner")
    return lambda: (
        order.with_user(planner).with_company(order.company_id).action_op_answer()
    )


def step_sign(env):
    order = _registered(env)
    answer(env, order)
    return lambda: sign(env, order)


# STEPS: (label, prepare(env) -> call). D3 approve, D4 release, D8 sign,
# D10 approve, D11 check join here with their fixtures.
STEPS = [
    ("register", step_register),
    ("confirm (Odoo)", step_confirm),
    ("decide", step_decide),
    ("answer", step_answer),
    ("sign", step_sign),
]


def measure_steps(env):
    results = {}
    for label, prepare in STEPS:
        prepare(env)()  # warm
        runs = []
        for _i in range(SAMPLES):
            call = prepare(env)
            runs.append(measure(env, call))
        results[label] = median_of(runs)
        env.cr.rollback()  # the samples do not grow the database
    return results


# ---------------------------------------------------------------- crons
def make_backlog(env):
    """10 % of the pending reviews and of the planned effective orders
    overdue at once (a long holiday)."""
    cr = env.cr
    cr.execute(
        "UPDATE order_review SET escalated = FALSE, "
        "deadline = now() at time zone 'utc' - interval '1 day' "
        "WHERE id IN (SELECT id FROM order_review "
        "WHERE state = 'pending' AND random() < 0.1)"
    )
    reviews = cr.rowcount
    cr.execute(
        "UPDATE sale_order SET op_planned_on = NULL, op_plan_escalated = FALSE, "
        "op_plan_deadline = now() at time zone 'utc' - interval '1 day' "
        "WHERE id IN (SELECT id FROM sale_order WHERE op_active "
        "AND op_state = 'effective' AND random() < 0.1)"
    )
    orders = cr.rowcount
    cr.commit()
    return reviews, orders


CRONS = [
    ("review escalation", "ir_cron_escalate_overdue_reviews"),
    ("late plans", "ir_cron_escalate_late_plans"),
    ("inbound statistics (D9)", "ir_cron_build_inbound_statistics"),
    ("public holidays", "ir_cron_check_public_holidays"),
]


def run_cron(env, xmlid, max_calls=1000):
    """As ir.cron._run_job: a progress record, the server action, a commit;
    again while some were done and some remain. Returns (calls, done,
    longest call in s, total s)."""
    cron = ref(env, xmlid)
    cron = cron.with_user(cron.user_id)
    calls, done, longest, total = 0, 0, 0.0, 0.0
    while calls < max_calls:
        job, progress = cron._add_progress()
        env.cr.commit()
        start = time.perf_counter()
        job._callback(cron.cron_name, cron.ir_actions_server_id.id)
        env.cr.commit()
        spent = time.perf_counter() - start
        calls += 1
        longest = max(longest, spent)
        total += spent
        done += progress.done
        if not (progress.done and progress.remaining):
            break
    return calls, done, longest, total


# ---------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            f"--data-dir={args.data_dir}",
            "--log-level=warn",
        ]
    )
    random.seed(11)
    registry = odoo.modules.registry.Registry(args.db)
    n = args.orders
    small = max(n // 100, 50)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        t0 = time.perf_counter()
        templates = make_templates(env)
        cr.commit()
        serial = [1]
        took = grow_to(env, templates, small, serial)
        print(f"grown to {process_order_count(env)} process orders in {took:.1f} s")
        lists_small, _plans = measure_lists(env)
        steps_small = measure_steps(env)
        took = grow_to(env, templates, n, serial)
        print(f"grown to {process_order_count(env)} process orders in {took:.1f} s")
        lists_big, plans = measure_lists(env)
        steps_big = measure_steps(env)
        env.cr.execute("SELECT count(*) FROM order_review WHERE state = 'pending'")
        pending = env.cr.fetchone()[0]
        reviews, orders = make_backlog(env)
        print(
            f"backlog: {reviews} of {pending} pending reviews and {orders} "
            "effective orders without plan overdue"
        )
        crons = {}
        for label, xmlid in CRONS:
            crons[label] = run_cron(env, xmlid)
        total = time.perf_counter() - t0

    report(n, lists_small, lists_big, plans, steps_small, steps_big, crons, total)


def _ratio(big, small):
    return big / small if small else 0.0


def _row(label, small, big, extra=""):
    (qs, ms_s), (qb, ms_b) = small, big
    ratio = _ratio(ms_b, ms_s)
    print(
        f"| {label} | {qs} | {ms_s:.1f} | {qb} | {ms_b:.1f} | {ratio:.2f} | {extra} |"
    )
    return ratio


def report(n, lists_small, lists_big, plans, steps_small, steps_big, crons, total):
    """A Markdown table (for the README), then the SCALE line."""
    print()
    print(f"| what | queries N/100 | ms N/100 | queries {n} | ms {n} | ratio | note |")
    print("|---|---|---|---|---|---|---|")
    list_ratio = max(
        _row(
            f"list: {label}",
            lists_small[label],
            lists_big[label],
            "seq scan: " + (", ".join(plans[label]) or "none"),
        )
        for label, *_rest in LISTS
    )
    step_ratio = max(
        _row(f"step: {label}", steps_small[label], steps_big[label])
        for label, _prepare in STEPS
    )
    cron_max = 0.0
    for label, (calls, done, longest, spent) in crons.items():
        cron_max = max(cron_max, longest)
        print(
            f"| cron: {label} | | | | {longest * 1000:.0f} (longest call) | | "
            f"{done} done in {calls} calls, {spent:.1f} s in all |"
        )
    register_vs_confirm = _ratio(
        steps_big["register"][1], steps_big["confirm (Odoo)"][1]
    )
    print()
    print(f"whole run {total:.0f} s")
    print(
        f"SCALE orders={n} list_ratio={list_ratio:.2f} step_ratio={step_ratio:.2f} "
        f"cron_max_s={cron_max:.2f} register_vs_confirm={register_vs_confirm:.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
