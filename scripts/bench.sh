#!/usr/bin/env bash
# `make bench` (issue 10, item 9): the achievement-rate dashboard at N orders.
#
# A scratch database from the demo one (the cached template, then the addon
# installed with its demo data), given N orders with their lines and KPI
# facts by bulk SQL, then scripts/bench.py times the dashboard's own
# aggregation against one hand-written SQL GROUP BY and a naive per-order
# ORM loop, checks that the three agree, and ends with one line
#   BENCH orders=<N> kpi_s=<s> raw_sql_s=<s> naive_s=<s>
#
#   make bench              N=1000000 (a few minutes)
#   make bench N=20000      a quick run
#   BENCH_KEEP=1 make bench keep the scratch database (op_bench_run) afterwards
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

N="${N:-1000000}"
BENCH_DB="${BENCH_DB:-op_bench_run}"
case "$N" in ''|*[!0-9]*) die "N is a number of orders, not '$N'." ;; esac

ensure_template
say "Scratch database $BENCH_DB: the demo database with $MODULE"
new_db_with_addon "$BENCH_DB"

say "$N orders by SQL, then the dashboard timed (scripts/bench.py)"
status=0
"$VENV/bin/python" "$ROOT/scripts/bench.py" --db "$BENCH_DB" --orders "$N" \
    --addons-path "$(addons_path)" --data-dir "$DATA_DIR" \
    2> >(grep -v "security risk" >&2) || status=$?
if [ -z "${BENCH_KEEP:-}" ]; then drop_db "$BENCH_DB"; fi
exit "$status"
