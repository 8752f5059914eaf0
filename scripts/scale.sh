#!/usr/bin/env bash
# `make scale` (issue 11, item 1): the order process at N orders.
#
# A scratch database from the demo one (the cached template, then the addon
# installed with its demo data), grown to N process orders by
# scripts/scale.py, which measures the lists, the steps and the scheduled
# jobs at N/100 and at N and ends with one line
#   SCALE orders=<N> list_ratio=.. step_ratio=.. cron_max_s=.. register_vs_confirm=..
#
#   make scale              N=100000
#   make scale N=5000       a quick run
#   SCALE_KEEP=1 make scale keep the scratch database (op_scale_run) afterwards
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

N="${N:-100000}"
SCALE_DB="${SCALE_DB:-op_scale_run}"
case "$N" in ''|*[!0-9]*) die "N is a number of orders, not '$N'." ;; esac

ensure_template
say "Scratch database $SCALE_DB: the demo database with $MODULE"
new_db_with_addon "$SCALE_DB"

say "Growing to $N orders and measuring (scripts/scale.py)"
status=0
"$VENV/bin/python" "$ROOT/scripts/scale.py" --db "$SCALE_DB" --orders "$N" \
    --addons-path "$(addons_path)" --data-dir "$DATA_DIR" \
    2> >(grep -v "security risk" >&2) || status=$?
if [ -z "${SCALE_KEEP:-}" ]; then drop_db "$SCALE_DB"; fi
exit "$status"
