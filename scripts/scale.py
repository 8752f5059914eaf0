"""`make scale` (issue 11, item 1): the order process at N orders.

Started by scripts/scale.sh on a scratch copy of the demo database with the
addon installed. It

1. runs the real flows once through the ORM, as the demo role users, to get
   one order of each open stage (draft, under review, answered, effective)
   and one shipped order (lifecycle: reviews, answer, signature, D3
   approved, MO, D4 released, final test, D8 signed, MO done, D10
   approved, carrier, D11 signed, gate check, delivery done, KPI fact,
   invoice posted and paid), noting every row the flows wrote for it;
2. grows the database to N/100 process orders by copying those rows with
   SQL, in bulk (grow_orders for the open stages; grow_shipped copies every
   row of the shipped order in every table, each copy with its own ids,
   its foreign keys and res_model/res_id links remapped to its own rows,
   its names, and all its dates moved back by the same age): a constant
   open backlog (OPEN_MIX), the rest shipped history;
3. measures, as the role users: each role's landing list and kanban the way
   the web client asks (web_search_read / web_read_group / read_group with
   the action's domain, context and default filter; LISTS), and each
   process step (STEPS) on the way of SAMPLES sample orders through the
   whole process, with Odoo's own action_confirm of the same order beside
   the registration (the fastest time and the median query count);
4. grows to N and measures again, plus EXPLAIN of each landing list; then
   grows the orders under review to BACKLOG_SHARE of N and measures the
   review lists again (apart from list_ratio);
5. puts 10 % of the pending reviews and of the effective orders' plans
   overdue at once, marks 10 % of the achievement facts to score again, and
   runs every scheduled job of the addon as the cron runner does (one
   transaction per call, called again while it reports some done and some
   remaining), timing every call.

It prints a table and ends with exactly one line
`SCALE orders=<N> list_ratio=.. step_ratio=.. cron_max_s=.. register_vs_confirm=..`.
"""

import argparse
import logging
import random
import statistics
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

MODULE = "order_process_addon"
# The open backlog does not grow with the history: a company taking in some
# 130 orders a working day (100,000 in three years) has about two days of
# intake in review and a day at each other open stage, some 500 orders,
# whether it is three months or three years on the system. By stage (at most
# half of the orders, for the small sizes):
OPEN_MIX = {"review": 200, "answered": 100, "draft": 100, "effective": 100}
# All the other orders are history: made, received, shipped, invoiced and
# paid ("shipped"). The big-backlog case (BACKLOG_SHARE of all orders under
# review at once) is measured apart, then the crons run on it.
BACKLOG_SHARE = 0.10
# The two sizes are measured in turns (ROUNDS, each size first in turn), so
# that the load of a shared machine weighs on both alike: per round, REPEAT
# calls per list and SAMPLES sample orders per step.
ROUNDS = 3
REPEAT = 3
SAMPLES = 3
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
# Every step through the one process driver (order_process_addon/tests/
# driver.py), as the demo role users.
def driver(env):
    """The process driver of the demo company and its role users. (The
    driver is test code: importing it imports Odoo's test framework, whose
    "not in test mode" error is silenced here.)"""
    quiet = logging.getLogger("odoo.tests.common")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        from odoo.addons.order_process_addon.tests.driver import Driver
    finally:
        quiet.setLevel(level)
    return Driver.demo(env)


def fresh_order(env):
    """A draft order of the demo company, as Customer Management enters it."""
    draft = ref(env, "sale_order_draft_demo")
    return draft.copy({"op_requested_date": date.today() + timedelta(days=30)})


def register(env, order):
    driver(env).register(order)


def answer(env, order):
    driver(env).answer(order)


def sign(env, order):
    driver(env).sign(order)


def loader(env):
    """A second finished-goods warehouse user: the loader signs D11 with
    the keeper (R26)."""
    user = env["res.users"].search([("login", "=", "op_scale_loader")])
    return user or role_user(env, "fg_warehouse").copy(
        {"login": "op_scale_loader", "name": "Loader Li"}
    )


def lifecycle(env, steps=None):
    """An order through the whole process, as the role users, from its entry
    to its payment. With ``steps`` (a dict), each process step is measured
    on the way ((queries, ms) appended under its label); returns the order."""

    def run(label, func):
        if steps is None:
            func()
        else:
            steps.setdefault(label, []).append(measure(env, func))

    walk = driver(env)
    loader_user = loader(env)
    contract = env["order.carrier.contract"].search(
        [("company_id", "=", walk.company.id)], limit=1
    )
    order = fresh_order(env)
    run("register", lambda: walk.register(order))
    review = order.op_review_ids.filtered(lambda r: r.state == "pending")[:1]
    run("decide", lambda: walk.decide(review, committed=order.op_requested_date))
    while order.op_state == "review":
        walk.approve_pending(order)
    run("answer", lambda: walk.run("answer", order))
    run("sign", lambda: walk.sign(order))
    d3 = walk.material_plan(order, approve=False)
    run("D3 approve", lambda: walk.run("approve_material_plan", d3))
    mos = walk.productions(order)
    d4 = walk.production_plan(mos, walk.working_day(1))
    run("D4 release", lambda: walk.release(d4))
    receipts = walk.produce(mos, count=False)
    run("D8 sign", lambda: walk.count(receipts))
    walk.finish(mos)
    picking = walk.delivery(order)
    d10 = walk.d10(picking, walk.working_day(3), approve=False)
    run("D10 approve", lambda: walk.run("approve_d10", d10))
    walk.carrier(picking, contract, plate="沪A 12345")
    check = walk.loading_check(picking, loader_user, sign=False)
    run("D11 check", lambda: walk.run("sign_keeper", check))
    walk.gate_check(picking, plate="沪A 12345")
    walk.pick(picking)
    walk.ship(picking)
    walk.pay(walk.invoice(order))
    return order


def delivery(order):
    return order.picking_ids.filtered(
        lambda p: (
            p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
        )
    )


# Rows a flow writes that are not the order's own: the shared stock levels,
# the outgoing mail queue (sent and emptied), users and the loader's partner,
# a wizard's transient row, the company's one daily report a day.
NOT_COPIED = {
    "stock_quant",
    "mail_mail",
    "res_users",
    "res_partner",
    "res_users_settings",
    "discuss_channel_member",
    "order_carrier_booking_wizard",
    "order_production_daily_report",
    "order_production_daily_report_line",
    "bus_bus",
    "ir_cron_trigger",
    "ir_cron_progress",
}


def _tables(cr):
    cr.execute(
        "SELECT c.relname, EXISTS (SELECT 1 FROM pg_attribute a WHERE "
        "a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )
    return dict(cr.fetchall())


def _max_ids(cr):
    out = {}
    for table, has_id in _tables(cr).items():
        if has_id and table not in NOT_COPIED:
            cr.execute(
                SQL("SELECT coalesce(max(id), 0) FROM %s", SQL.identifier(table))
            )
            out[table] = cr.fetchone()[0]
    return out


def _foreign_keys(cr, table):
    """{column: referenced table} of ``table``'s single-column foreign keys."""
    cr.execute(
        "SELECT a.attname, f.relname FROM pg_constraint c "
        "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND t.relname = %s AND array_length(c.conkey, 1) = 1",
        [table],
    )
    return dict(cr.fetchall())


def make_shipped_template(env):
    """One order through the whole process (lifecycle), and every row the
    flows wrote for it: {table: [ids]} (tables with an id) and
    {table: True} (relation tables) to copy."""
    cr = env.cr
    loader(env)  # made once, before: not the order's
    env.flush_all()
    before = _max_ids(cr)
    order = lifecycle(env)
    env.flush_all()
    assert order.op_state == "effective" and not delivery(order), order
    rows = {}
    for table in _max_ids(cr):
        cr.execute(
            SQL(
                "SELECT array_agg(id ORDER BY id) FROM %s WHERE id > %s",
                SQL.identifier(table),
                before.get(table, 0),
            )
        )
        ids = cr.fetchone()[0]
        if ids:
            rows[table] = ids
    relations = [
        table
        for table, has_id in _tables(cr).items()
        if not has_id
        and table not in NOT_COPIED
        and any(ref in rows for ref in _foreign_keys(cr, table).values())
    ]
    return order.id, rows, relations


def make_templates(env):
    """One order of each open stage, and one shipped order, made by the
    flows."""
    company = ref(env, "company_demo")
    if not company.chart_template:
        # The demo company's chart of accounts (its sales journal) is not
        # loaded by the demo data's try_loading at install: load it as the
        # accountant would before the first invoice.
        env["account.chart.template"].try_loading("generic_coa", company, False)
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
    templates = {stage: order.id for stage, order in templates.items()}
    templates["shipped"] = make_shipped_template(env)
    return templates


# ---------------------------------------------------------------- growth
def grow_orders(env, templates, counts, serial):
    """Copies of the open stage templates ({stage: count}), with their
    lines, reviews, to-dos and followers."""
    cr = env.cr
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


def _unique_text_columns(cr, table):
    """Text columns of ``table``'s unique indexes (a copy gets a suffix)."""
    cr.execute(
        "SELECT DISTINCT a.attname FROM pg_index i "
        "JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) "
        "WHERE t.relname = %s AND i.indisunique AND NOT i.indisprimary "
        "AND a.atttypid IN ('varchar'::regtype, 'text'::regtype)",
        [table],
    )
    return {row[0] for row in cr.fetchall()}


def _column_types(cr, table):
    cr.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return cr.fetchall()


def grow_shipped(env, template, count, serial):
    """``count`` copies of the shipped order's rows (make_shipped_template):
    every row the flows wrote for it, in every table, each copy with its own
    ids, its links (foreign keys and res_model/res_id) to its own rows, its
    name, and all its dates moved back by the same age (up to three
    years)."""
    if count <= 0:
        return
    _order_id, rows, relations = template
    cr = env.cr
    first = serial[0]
    serial[0] += count
    cr.execute("SELECT model, replace(model, '.', '_') FROM ir_model")
    model_of_table = {table: model for model, table in cr.fetchall()}
    # The new ids, copy by copy: one map (old, g, new) per table, and one
    # (model, old, g, new) for the res_model/res_id links.
    maps = {}
    for i, (table, ids) in enumerate(rows.items()):
        maps[table] = SQL.identifier(f"scale_map_{i}")
        cr.execute(
            SQL(
                "CREATE TEMP TABLE %s ON COMMIT DROP AS SELECT o AS old, g, "
                "nextval(%s) AS new FROM unnest(%s::int[]) o, "
                "generate_series(%s::int, %s::int) g",
                maps[table],
                f"{table}_id_seq",
                ids,
                first,
                first + count - 1,
            )
        )
        cr.execute(SQL("CREATE INDEX ON %s (old, g)", maps[table]))
        cr.execute(SQL("ANALYZE %s", maps[table]))
    cr.execute(
        "CREATE TEMP TABLE scale_map_model (model text, old int, g int, new int) "
        "ON COMMIT DROP"
    )
    for table in (
        "sale_order",
        "stock_picking",
        "mrp_production",
        "purchase_order",
        "account_move",
        "order_material_plan",
        "order_production_plan",
        "order_fg_receipt",
        "order_shipping_order",
        "order_loading_check",
        "order_gate_check",
        "order_final_test",
        "order_kpi_fact",
        "account_payment",
        "order_review",
        "order_carrier_booking",
    ):
        if table in rows and model_of_table.get(table):
            cr.execute(
                SQL(
                    "INSERT INTO scale_map_model SELECT %s, old, g, new FROM %s",
                    model_of_table[table],
                    maps[table],
                )
            )
    cr.execute("CREATE INDEX ON scale_map_model (model, old, g)")
    cr.execute("ANALYZE scale_map_model")
    age = SQL("(mod(m.g * 7919, 1090) + 5) * interval '1 day'")
    cr.execute("SET LOCAL work_mem = '256MB'")  # the maps' hash joins in memory
    cr.execute("SET LOCAL session_replication_role = replica")  # links checked by us
    for table in list(rows) + relations:
        keys = {
            column: ref
            for column, ref in _foreign_keys(cr, table).items()
            if ref in rows
        }
        unique = _unique_text_columns(cr, table)
        has_id = table in rows
        joins, select, names = [], [], []
        types = dict(_column_types(cr, table))
        model_col = (
            "res_model"
            if "res_model" in types
            else "model"
            if "model" in types
            else None
        )
        for i, (column, kind) in enumerate(_column_types(cr, table)):
            col = SQL("t.%s", SQL.identifier(column))
            if column == "id":
                expr = SQL("m.new")
            elif column in keys:
                alias = SQL.identifier(f"k{i}")
                joins.append(
                    SQL(
                        "LEFT JOIN %s %s ON %s.old = %s AND %s.g = m.g",
                        maps[keys[column]],
                        alias,
                        alias,
                        col,
                        alias,
                    )
                )
                expr = SQL("coalesce(%s.new, %s)", alias, col)
            elif column == "res_id" and model_col:
                joins.append(
                    SQL(
                        "LEFT JOIN scale_map_model r ON r.model = t.%s "
                        "AND r.old = t.res_id AND r.g = m.g",
                        SQL.identifier(model_col),
                    )
                )
                expr = SQL("coalesce(r.new, t.res_id)")
            elif table == "sale_order" and column == "name":
                expr = SQL("'SH' || lpad(m.g::text, 7, '0')")
            elif column in unique:
                expr = SQL("%s || '-' || m.g", col)
            elif kind == "date":
                expr = SQL("(%s - %s)::date", col, age)
            elif kind.startswith("timestamp"):
                expr = SQL("%s - %s", col, age)
            else:
                expr = col
            names.append(SQL.identifier(column))
            select.append(expr)
        # The template's rows first (a few), then joined to the copies.
        if has_id:
            where = SQL("id = ANY(%s)", rows[table])
            source = SQL("JOIN %s m ON m.old = t.id", maps[table])
        else:
            # A relation table: one copy of each template row per copy g.
            where = SQL(" OR ").join(
                SQL("%s = ANY(%s)", SQL.identifier(c), rows[keys[c]]) for c in keys
            )
            source = SQL(
                "CROSS JOIN (SELECT generate_series(%s::int, %s::int) AS g) m",
                first,
                first + count - 1,
            )
        cr.execute(
            SQL(
                "CREATE TEMP TABLE scale_src ON COMMIT DROP AS "
                "SELECT * FROM %s WHERE %s",
                SQL.identifier(table),
                where,
            )
        )
        cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM scale_src t %s %s",
                SQL.identifier(table),
                SQL(", ").join(names),
                SQL(", ").join(select),
                source,
                SQL(" ").join(joins),
            )
        )
        cr.execute("DROP TABLE scale_src")
    cr.execute("SET LOCAL session_replication_role = DEFAULT")
    for table in maps.values():
        cr.execute(SQL("DROP TABLE %s", table))
    cr.execute("DROP TABLE scale_map_model")
    env.invalidate_all()


def process_order_count(env):
    env.cr.execute("SELECT count(*) FROM sale_order WHERE op_active")
    return env.cr.fetchone()[0]


def grow_to(env, templates, target, serial, grown, under_review=None):
    """Grow to ``target`` process orders: the open backlog of OPEN_MIX, the
    rest shipped history; with
    ``under_review``, only orders under review until that many are. In
    chunks of at most 10,000 orders, one transaction each."""
    wanted = {}
    if under_review:
        wanted["review"] = under_review
    else:
        share = min(1.0, target / 2 / sum(OPEN_MIX.values()))
        for stage, count in OPEN_MIX.items():
            wanted[stage] = int(count * share)
        wanted["shipped"] = (
            target
            - process_order_count(env)
            - sum(max(wanted[stage] - grown.get(stage, 0), 0) for stage in OPEN_MIX)
            + grown.get("shipped", 0)
        )
    start = time.perf_counter()
    for stage, total in wanted.items():
        missing = total - grown.get(stage, 0)
        while missing > 0:
            chunk = min(missing, 10000)
            if stage == "shipped":
                grow_shipped(env, templates["shipped"], chunk, serial)
            else:
                grow_orders(env, templates, {stage: chunk}, serial)
            env.cr.commit()
            grown[stage] = grown.get(stage, 0) + chunk
            missing -= chunk
    # The achievement rate's monthly totals, which the flows keep in step
    # with the facts they write (order.kpi.month): from the copied facts.
    env["order.kpi.month"]._op_rebuild()
    env.cr.commit()
    # What autovacuum does on a live database (statistics, visibility map).
    with env.registry.cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


# ---------------------------------------------------------------- lists
def view_spec(records, model, view_type, view_id=False):
    """The fields the web client asks for a view (a specification), as the
    user sees the view."""
    views = records.get_views([(view_id, view_type)])
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

    view_id = action.search_view_id.id or False
    view = env[model].get_views([(view_id, "search")])["views"]["search"]
    arch = etree.fromstring(view["arch"])
    node = arch.xpath(f"//filter[@name='{name}']")[0]
    return node.get("domain")


def landing(env, user, model, action_xmlid, filters=(), kind="list", group_by=None):
    """A call the web client makes to show a role's landing list/kanban
    (kind: list, kanban, grouped: a list grouped by ``group_by``, graph:
    the measures of the graph view by ``group_by``)."""
    from dateutil.relativedelta import relativedelta

    from odoo.tools.safe_eval import safe_eval

    action = env.ref(action_xmlid)
    ctx_eval = {
        "uid": user.id,
        "context_today": date.today,
        "relativedelta": relativedelta,
    }
    domain = list(safe_eval(action.domain or "[]", ctx_eval))
    context = dict(safe_eval(action.context or "{}", ctx_eval))
    # The action's default filters (search_default_*), then the ones chosen.
    defaults = [
        key.removeprefix("search_default_")
        for key, value in context.items()
        if key.startswith("search_default_") and value
    ]
    for name in dict.fromkeys([*defaults, *filters]):
        filter_domain = _filter_domain(env, model, action, name)
        if filter_domain:
            domain += safe_eval(filter_domain, ctx_eval)
    context = {k: v for k, v in context.items() if not k.startswith("search_default")}
    company = env.ref(f"{MODULE}.company_demo")
    records = (
        env[model]
        .with_user(user)
        .with_context(**context, allowed_company_ids=company.ids)
    )
    view_type = "kanban" if kind == "kanban" else "list"
    view = action.view_ids.filtered(lambda v: v.view_mode == view_type)[:1]
    spec = view_spec(records, model, view_type, view.view_id.id)

    def call():
        if kind == "graph":
            # The KPI dashboard: its graph's measure by month, as the web
            # client's graph asks it.
            records.with_context(fill_temporal=True).web_read_group(
                domain, ["__count", *measures], [group_by], lazy=False
            )
        elif kind == "grouped":
            # A list grouped by default: the first 80 groups, folded.
            records.web_read_group(domain, [], [group_by], limit=80, lazy=True)
        elif kind == "kanban":
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

    measures = []
    if kind == "graph":
        from lxml import etree

        arch = etree.fromstring(
            records.get_views([(False, "graph")])["views"]["graph"]["arch"]
        )
        measures = [
            f"{node.get('name')}:{records._fields[node.get('name')].aggregator}"
            for node in arch.xpath("//field[@type='measure']")
        ]

    def explain():
        query = records._search(domain, limit=80, order=records._order)
        env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        return [
            table
            for table in (
                "sale_order",
                "sale_order_line",
                "order_review",
                "stock_picking",
                "order_production_plan",
                "order_kpi_fact",
            )
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
    (
        "material plans (D3)",
        "pmc_material",
        "order.material.plan",
        f"{MODULE}.order_material_plan_action",
        (),
        "list",
        None,
    ),
    (
        "receipts (D8)",
        "fg_warehouse",
        "order.fg.receipt",
        f"{MODULE}.order_fg_receipt_action",
        (),
        "list",
        None,
    ),
    (
        "shipments kanban",
        "fg_warehouse",
        "stock.picking",
        f"{MODULE}.stock_picking_action_shipping",
        ("op_to_ship",),
        "kanban",
        "op_shipping_step",
    ),
    (
        "shipping orders (D10)",
        "pmc_clerk",
        "order.shipping.order",
        f"{MODULE}.order_shipping_order_action",
        ("to_review",),
        "list",
        None,
    ),
    (
        "shipped, not invoiced",
        "finance",
        "sale.order.line",
        f"{MODULE}.sale_order_line_action_shipped_not_invoiced",
        (),
        "grouped",
        "order_partner_id",
    ),
    (
        "invoiced, not paid",
        "finance",
        "account.move",
        f"{MODULE}.account_move_action_invoiced_not_paid",
        (),
        "grouped",
        "partner_id",
    ),
    (
        "KPI dashboard by month",
        "pmc_manager",
        "order.kpi.fact",
        f"{MODULE}.order_kpi_fact_action",
        (),
        "graph",
        "due_date:month",
    ),
]


# The lists that show the orders under review: measured again with
# BACKLOG_SHARE of all orders under review (apart from list_ratio).
BACKLOG_LISTS = (
    "orders kanban",
    "orders under review",
    "my reviews (quality)",
    "my reviews (pmc)",
)


def stage_counts(env):
    env.cr.execute(
        "SELECT op_state, count(*) FROM sale_order WHERE op_active "
        "GROUP BY 1 ORDER BY 1"
    )
    return ", ".join(f"{state} {count}" for state, count in env.cr.fetchall())


def measure_lists(env, runs, only=None):
    """REPEAT calls of each landing list, appended to ``runs``; returns the
    sequential scans of each list's query."""
    plans = {}
    for label, role, model, action, filters, kind, group_by in LISTS:
        if only and label not in only:
            continue
        call, explain = landing(
            env, role_user(env, role), model, action, filters, kind, group_by
        )
        call()  # warm
        runs.setdefault(label, []).extend(measure(env, call) for _i in range(REPEAT))
        plans[label] = explain()
    return plans


# ---------------------------------------------------------------- steps
def step_confirm(env):
    """Odoo's own confirmation of the same order, outside the process."""
    order = fresh_order(env)
    env.cr.execute("UPDATE sale_order SET op_active = FALSE WHERE id = %s", [order.id])
    env.invalidate_all()
    sales = role_user(env, "sales")
    return lambda: (
        order.with_user(sales).with_company(order.company_id).action_confirm()
    )


# STEPS: each measured on the way of a sample order's lifecycle (as its
# role user), plus Odoo's own confirmation of the same order.
STEPS = [
    "register",
    "confirm (Odoo)",
    "decide",
    "answer",
    "sign",
    "D3 approve",
    "D4 release",
    "D8 sign",
    "D10 approve",
    "D11 check",
]


def measure_steps(env, runs, warm):
    """SAMPLES orders through the whole process, each step measured on the
    way (appended to ``runs``), Odoo's confirmation of a copy beside each;
    rolled back after each sample (the samples do not grow the database)."""
    if warm:
        lifecycle(env)  # warm (ormcache, views, reports)
        step_confirm(env)()
        env.cr.rollback()
    for _i in range(SAMPLES):
        runs.setdefault("confirm (Odoo)", []).append(measure(env, step_confirm(env)))
        lifecycle(env, runs)
        env.cr.rollback()


def copy_database(source, target, data_dir):
    """``target``: a copy of ``source`` and its filestore."""
    import shutil

    import psycopg2

    odoo.sql_db.close_db(source)
    cnx = psycopg2.connect(dbname="postgres")
    cnx.autocommit = True
    with cnx.cursor() as cr:
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(target)).code)
        cr.execute(
            SQL(
                "CREATE DATABASE %s TEMPLATE %s",
                SQL.identifier(target),
                SQL.identifier(source),
            ).code
        )
    cnx.close()
    store = f"{data_dir}/filestore"
    shutil.rmtree(f"{store}/{target}", ignore_errors=True)
    try:
        shutil.copytree(f"{store}/{source}", f"{store}/{target}")
    except FileNotFoundError:
        pass


def drop_database(name, data_dir):
    import shutil

    import psycopg2

    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)
    cnx = psycopg2.connect(dbname="postgres")
    cnx.autocommit = True
    with cnx.cursor() as cr:
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)).code)
    cnx.close()
    shutil.rmtree(f"{data_dir}/filestore/{name}", ignore_errors=True)


def measure_in_turns(registries):
    """Lists and steps of each size ({name: registry}), in ROUNDS turns;
    returns {name: (lists, steps, plans)}."""
    runs = {name: ({}, {}, {}) for name in registries}
    for round_ in range(ROUNDS):
        order = list(registries) if round_ % 2 == 0 else list(registries)[::-1]
        for name in order:
            lists, steps, plans = runs[name]
            with registries[name].cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
                plans.update(measure_lists(env, lists))
                measure_steps(env, steps, warm=round_ == 0)
                cr.rollback()
            print(f"  round {round_ + 1} measured on {name}", flush=True)
    return {
        name: (
            {label: median_of(r) for label, r in lists.items()},
            {label: median_of(steps[label]) for label in STEPS},
            plans,
        )
        for name, (lists, steps, plans) in runs.items()
    }


# ---------------------------------------------------------------- crons
def make_backlog(env):
    """10 % of the pending reviews and of the planned effective orders
    overdue at once (a long holiday), 10 % of the achievement facts to score
    again (a settings change)."""
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
    # A settings change (Settings > Achievement Rate) on 10 % of the facts:
    # the nightly job scores them again, in batches.
    cr.execute(
        "UPDATE order_kpi_fact SET stale = TRUE "
        "WHERE id IN (SELECT id FROM order_kpi_fact WHERE random() < 0.1)"
    )
    facts = cr.rowcount
    cr.commit()
    return reviews, orders, facts


# Every scheduled job of the addon.
CRONS = [
    ("review escalation", "ir_cron_escalate_overdue_reviews"),
    ("late plans", "ir_cron_escalate_late_plans"),
    ("inbound statistics (D9)", "ir_cron_build_inbound_statistics"),
    ("public holidays", "ir_cron_check_public_holidays"),
    ("shipment statistics (D12)", "ir_cron_build_shipment_statistics"),
    ("D12 to Finance", "ir_cron_send_shipment_statistics"),
    ("late vehicles", "ir_cron_escalate_late_vehicles"),
    ("missing shipping orders (D10)", "ir_cron_escalate_missing_d10"),
    ("achievement facts (nightly)", "ir_cron_kpi_turn_late"),
    ("orders at risk", "ir_cron_kpi_at_risk"),
    ("late-order analyses (D13)", "ir_cron_late_analysis"),
    ("monthly review (R31)", "ir_cron_monthly_review"),
    ("improvement plans overdue", "ir_cron_improvement_plan_overdue"),
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
    t0 = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        templates = make_templates(env)
        cr.commit()
        serial, grown = [1], {}
        took = grow_to(env, templates, small, serial, grown)
        print(f"grown to {process_order_count(env)} process orders in {took:.1f} s")
        print(f"  {stage_counts(env)}", flush=True)
    # A copy of the database at N/100, measured in turns with the one at N.
    small_db = f"{args.db}_small"
    copy_database(args.db, small_db, args.data_dir)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        took = grow_to(env, templates, n, serial, grown)
        print(f"grown to {process_order_count(env)} process orders in {took:.1f} s")
        print(f"  {stage_counts(env)}", flush=True)
    measured = measure_in_turns(
        {"N/100": odoo.modules.registry.Registry(small_db), "N": registry}
    )
    drop_database(small_db, args.data_dir)
    lists_small, steps_small, _plans = measured["N/100"]
    lists_big, steps_big, plans = measured["N"]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": False})
        # The big backlog: BACKLOG_SHARE of all orders under review at once.
        took = grow_to(
            env, templates, n, serial, grown, under_review=int(n * BACKLOG_SHARE)
        )
        print(f"backlog grown in {took:.1f} s: {stage_counts(env)}", flush=True)
        backlog_runs = {}
        measure_lists(env, backlog_runs, BACKLOG_LISTS)
        lists_big.update(
            {
                f"{label}, big backlog": median_of(backlog_runs[label])
                for label in BACKLOG_LISTS
            }
        )
        env.cr.execute("SELECT count(*) FROM order_review WHERE state = 'pending'")
        pending = env.cr.fetchone()[0]
        reviews, orders, facts = make_backlog(env)
        print(
            f"backlog: {reviews} of {pending} pending reviews and {orders} "
            f"effective orders without plan overdue; {facts} achievement facts "
            "to score again"
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
    """A Markdown table (for docs/OPERATIONS.md), then the SCALE line."""
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
    for label in BACKLOG_LISTS:
        _row(
            f"list: {label}, big backlog",
            lists_small[label],
            lists_big[f"{label}, big backlog"],
            f"{int(n * BACKLOG_SHARE)} orders under review; not in list_ratio",
        )
    step_ratio = max(
        _row(f"step: {label}", steps_small[label], steps_big[label]) for label in STEPS
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
