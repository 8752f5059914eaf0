#!/usr/bin/env bash
# `make screenshots` (issue 12, item 5): the product's main screens, made
# by a script so that they stay current.
#
# A scratch database from the demo one (the cached template, then the addon
# installed with its demo data), filled by the flows as the role users
# (scripts/screenshots.py seed), served by Odoo on 127.0.0.1:$SHOTS_PORT
# (one process, no workers, no crons) and visited by headless Chromium as
# those users (scripts/screenshots.py shoot); the PNGs go to docs/screenshots/.
#
#   make screenshots
#   SHOTS_KEEP=1 make screenshots    keep the scratch database (op_shots_run)
#   SHOTS_PORT=8087 SHOTS_CDP_PORT=9333 make screenshots
#   SHOTS_HISTORY=60 make screenshots   the demo history first (seed_history.py)
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

SHOTS_DB="${SHOTS_DB:-op_shots_run}"
SHOTS_PORT="${SHOTS_PORT:-8087}"
SHOTS_CDP_PORT="${SHOTS_CDP_PORT:-9333}"
SHOTS_OUT="${SHOTS_OUT:-$ROOT/docs/screenshots}"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -x "$CHROMIUM" ] || die "Chromium is needed (apt-get install chromium)."
if port_in_use "$SHOTS_PORT"; then die "Port $SHOTS_PORT is in use: SHOTS_PORT=<free port> make screenshots."; fi
if port_in_use "$SHOTS_CDP_PORT"; then die "Port $SHOTS_CDP_PORT is in use: SHOTS_CDP_PORT=<free port> make screenshots."; fi

WORK="$(mktemp -d /tmp/op-shots.XXXXXX)"
ODOO_PID=""
cleanup() {
    local rc=$?
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$ODOO_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$ODOO_PID" 2>/dev/null || true
    fi
    if [ -z "${SHOTS_KEEP:-}" ]; then drop_db "$SHOTS_DB" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
start=$SECONDS

ensure_template
say "Scratch database $SHOTS_DB: the demo database with $MODULE"
new_db_with_addon "$SHOTS_DB"

say "Orders, reviews, a released plan, an approved D10 (scripts/screenshots.py seed)"
# Optional: a fuller dashboard from the demo history (scripts/seed_history.py,
# when there is one): SHOTS_HISTORY=<orders>, e.g. 60; it takes minutes.
if [ -n "${SHOTS_HISTORY:-}" ]; then
    if [ -f "$ROOT/scripts/seed_history.py" ]; then
        note "with $SHOTS_HISTORY orders of history (scripts/seed_history.py)"
        "$VENV/bin/python" "$ROOT/scripts/seed_history.py" --db "$SHOTS_DB" \
            --addons-path "$(addons_path)" --data-dir "$DATA_DIR" --orders "$SHOTS_HISTORY" \
            2> >(grep -v "security risk" >&2) || note "seed_history.py failed; going on without it"
    else
        note "no scripts/seed_history.py: SHOTS_HISTORY ignored"
    fi
fi
"$VENV/bin/python" "$ROOT/scripts/screenshots.py" seed --db "$SHOTS_DB" \
    --addons-path "$(addons_path)" --data-dir "$DATA_DIR" --ids "$WORK/ids.json" \
    2> >(grep -v "security risk\|wkhtmltopdf\|XDG_RUNTIME_DIR\|network error\|^ *$" >&2)

log="$WORK/odoo.log"
set_server_url "$SHOTS_DB" "$SHOTS_PORT"
say "Serving $SHOTS_DB on http://127.0.0.1:$SHOTS_PORT (log: $log)"
# setsid: the server is a process group of its own, stopped as one.
setsid "$VENV/bin/python" -m odoo --addons-path="$(addons_path)" --data-dir="$DATA_DIR" \
    -d "$SHOTS_DB" --db-filter="^$SHOTS_DB\$" --no-database-list \
    --workers=0 --max-cron-threads=0 \
    --http-interface=127.0.0.1 --http-port="$SHOTS_PORT" \
    --log-level=warn --logfile="$log" &
ODOO_PID=$!
wait_for_odoo "$SHOTS_PORT" "$ODOO_PID" "$log"

say "Headless Chromium as the role users (scripts/screenshots.py shoot) into ${SHOTS_OUT#"$ROOT"/}"
"$VENV/bin/python" "$ROOT/scripts/screenshots.py" shoot --db "$SHOTS_DB" \
    --port "$SHOTS_PORT" --cdp-port "$SHOTS_CDP_PORT" --chromium "$CHROMIUM" \
    --ids "$WORK/ids.json" --out "$SHOTS_OUT"
say "Done in $((SECONDS - start)) s"
