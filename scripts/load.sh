#!/usr/bin/env bash
# `make load`: the order process under load and faults (issue 8, item 7).
#
# Serves a fresh copy of the demo database the way docs/OPERATIONS.md tells a larger
# company to (worker processes, one cron thread, a gevent port), drives
# simulated users over JSON-RPC on localhost with scripts/load.py, kills one
# worker with SIGKILL and restarts PostgreSQL during the run, then checks the
# database. Everything it starts is stopped at the end.
#
#   make load                      20 users for 120 s
#   make load USERS=8 DURATION=40
#   make load HTTP_PORT=8105       the run's ports from 8406 (see below)
#
# LOAD_PG=private (default): a PostgreSQL cluster of its own, in a temporary
# directory, reached by a Unix socket only; it is the one restarted, so other
# users of the machine's PostgreSQL (test runs, `make run`) see nothing.
# LOAD_PG=system: the machine's own cluster, restarted with pg_ctlcluster or
# service(8); only on a machine of its own, every other session is cut.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

USERS="${USERS:-20}"
DURATION="${DURATION:-120}"
WORKERS="${WORKERS:-4}"

# CLUSTER=1 (issue 22, item 3): the same run against `make cluster` (a
# PostgreSQL primary and its streaming replica, a web node reading on the
# replica, a cron node), started here and stopped at the end. The run's
# PostgreSQL restart is the primary's; scripts/load_reads.py adds the web
# client's reads between steps, pauses the replica's replay for a part of
# the run and restarts the replica, and puts replica_share (requests the
# replica served / all requests) into the LOAD line.
if [ "${CLUSTER:-}" = 1 ]; then
    LOAD_ROBOT_PORT="${LOAD_ROBOT_PORT:-$((HTTP_PORT + 305))}"
    port_in_use "$LOAD_ROBOT_PORT" && die "Port $LOAD_ROBOT_PORT is taken: make load CLUSTER=1 LOAD_ROBOT_PORT=..."
    trap 'bash "$ROOT/scripts/cluster.sh" stop' EXIT
    trap 'exit 130' INT TERM
    bash "$ROOT/scripts/cluster.sh" start
    # shellcheck disable=SC1091
    source "$STATE_DIR/cluster/env"
    restart_cmd="$STATE_DIR/cluster/pg-restart.sh"
    printf '#!/usr/bin/env bash\n%q -u postgres -- %q -D %q -l %q -m fast -w restart\n' \
        runuser "$PGBIN/pg_ctl" "$CLUSTER_PRIMARY" "$CLUSTER_PG_DIR/primary.log" > "$restart_cmd"
    [ "$(id -u)" -eq 0 ] || sed -i 's/^runuser -u postgres -- //' "$restart_cmd"
    say "Driving $USERS simulated users for $DURATION s against the cluster"
    PGHOST="$CLUSTER_SOCK" PGPORT="$CLUSTER_PG_PORT" "$VENV/bin/python" "$ROOT/scripts/load.py" \
        --url "$CLUSTER_URL" --db "$CLUSTER_DB" \
        --users "$USERS" --duration "$DURATION" --workers "${CLUSTER_WORKERS:-2}" \
        --odoo-pid "$CLUSTER_WEB_PID" --cron-pid "$CLUSTER_CRON_PID" \
        --pg-restart "$restart_cmd" --odoo-log "$CLUSTER_WEB_LOG" \
        --robot-port "$LOAD_ROBOT_PORT" --cluster-env "$STATE_DIR/cluster/env" || rc=$?
    # Item 4, on the reviews the run left pending: two cron nodes at once,
    # then one killed mid-batch.
    say "Crons on two nodes at once, then one killed mid-batch (cluster.sh cron-check)"
    bash "$ROOT/scripts/cluster.sh" cron-check || rc=1
    exit "${rc:-0}"
fi
# The run's ports follow HTTP_PORT (8069: 8370, 8372, 8374), so that runs of
# checkouts served on other ports do not collide.
LOAD_HTTP_PORT="${LOAD_HTTP_PORT:-$((HTTP_PORT + 301))}"
LOAD_GEVENT_PORT="${LOAD_GEVENT_PORT:-$((HTTP_PORT + 303))}"
# The local endpoint that plays the group robots' platforms (issue 21).
LOAD_ROBOT_PORT="${LOAD_ROBOT_PORT:-$((HTTP_PORT + 305))}"
LOAD_PG="${LOAD_PG:-private}"
LOAD_PG_PORT="${LOAD_PG_PORT:-5439}"
LOAD_DB=op_load
WORK="$STATE_DIR/load"
LOAD_DATA_DIR="$WORK/data"

case "$LOAD_PG" in private|system) ;; *) die "LOAD_PG is 'private' or 'system', not '$LOAD_PG'." ;; esac
for port in "$LOAD_HTTP_PORT" "$LOAD_GEVENT_PORT" "$LOAD_ROBOT_PORT"; do
    if port_in_use "$port"; then
        die "Port $port is taken ('ss -ltnp | grep :$port' tells by whom): make load HTTP_PORT=... (or LOAD_HTTP_PORT=... LOAD_GEVENT_PORT=... LOAD_ROBOT_PORT=...)"
    fi
done
# The server script: its gevent process is started again from sys.argv[0],
# which `python -m odoo` cannot be.
ODOO_BIN="$ODOO_SRC/odoo-bin"
[ -f "$ODOO_BIN" ] || ODOO_BIN="$ODOO_SRC/setup/odoo"
[ -f "$ODOO_BIN" ] || die "Neither odoo-bin nor setup/odoo found in $ODOO_SRC."
mkdir -p "$WORK"

# ------------------------------------------------------------ the database
# The demo database (template + the addon with demo data), built once per
# template and module content and kept as a dump: installing takes minutes.
ensure_template
key="$TEMPLATE_DB-$(module_hash)"
dump="$WORK/$key.dump"
filestore="$WORK/$key.filestore"
if [ ! -f "$dump" ] || [ ! -d "$filestore" ]; then
    rm -rf "$WORK"/op_template_*
    build="op_load_build_$$"
    say "Building the demo database for the load run ($MODULE with demo data)"
    new_db_with_addon "$build"
    pg_dump -Fc -f "$dump.tmp" "$build" && mv "$dump.tmp" "$dump"
    mkdir -p "$filestore"
    if [ -d "$DATA_DIR/filestore/$build" ]; then cp -a "$DATA_DIR/filestore/$build/." "$filestore/"; fi
    drop_db "$build"
fi

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
PG_DIR=""
ODOO_PID=""
pg_owner() {  # PostgreSQL's server does not run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    local rc=$?
    if [ -n "$ODOO_PID" ] && kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM "$ODOO_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$ODOO_PID" 2>/dev/null || break; sleep 0.5; done
        # Its process group: the master, its workers and the gevent process.
        kill -KILL -- "-$ODOO_PID" 2>/dev/null || true
    fi
    if [ -n "$PG_DIR" ]; then
        pg_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    elif [ "$LOAD_PG" = system ]; then
        drop_db "$LOAD_DB" >/dev/null 2>&1 || true
    fi
    rm -rf "$LOAD_DATA_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

restart_cmd="$WORK/pg-restart.sh"
if [ "$LOAD_PG" = private ]; then
    [ -x "$PGBIN/initdb" ] || die "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin."
    PG_DIR="$(mktemp -d /tmp/op-load-pg.XXXXXX)"
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -ne 0 ] || chown postgres "$PG_DIR"
    say "Starting a PostgreSQL cluster of the load run's own in $PG_DIR (socket only)"
    pg_owner "$PGBIN/initdb" -D "$PG_DIR/data" -U "$(id -un)" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
        || die "initdb failed."
    cat >> "$PG_DIR/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_DIR'
port = $LOAD_PG_PORT
max_connections = 200
CONF
    pg_owner "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w start >/dev/null \
        || die "The load run's PostgreSQL did not start; see $PG_DIR/postgres.log."
    export PGHOST="$PG_DIR" PGPORT="$LOAD_PG_PORT"
    printf '#!/usr/bin/env bash\n%q -u postgres -- %q -D %q -l %q -m fast -w restart\n' \
        runuser "$PGBIN/pg_ctl" "$PG_DIR/data" "$PG_DIR/postgres.log" > "$restart_cmd"
    [ "$(id -u)" -eq 0 ] || sed -i 's/^runuser -u postgres -- //' "$restart_cmd"
else
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        cluster="$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')"
        printf '#!/usr/bin/env bash\n%s pg_ctlcluster %s restart\n' \
            "$([ "$(id -u)" -eq 0 ] || echo sudo)" "$cluster" > "$restart_cmd"
    else
        printf '#!/usr/bin/env bash\n%s service postgresql restart\n' \
            "$([ "$(id -u)" -eq 0 ] || echo sudo)" > "$restart_cmd"
    fi
fi

say "Restoring the demo database as $LOAD_DB"
if [ "$LOAD_PG" = system ]; then drop_db "$LOAD_DB"; fi
createdb -T template0 "$LOAD_DB"
pg_restore --no-owner --no-acl -j 2 -d "$LOAD_DB" "$dump" || die "Restoring $dump failed."
rm -rf "$LOAD_DATA_DIR"
mkdir -p "$LOAD_DATA_DIR/filestore/$LOAD_DB"
cp -a "$filestore/." "$LOAD_DATA_DIR/filestore/$LOAD_DB/"
set_server_url "$LOAD_DB" "$LOAD_HTTP_PORT"
# Written out now, so that the restart during the run does not spend its
# time flushing the restore.
psql -X -q -d "$LOAD_DB" -c "CHECKPOINT"

# ------------------------------------------------------------ the server
log="$WORK/odoo.log"
: > "$log"
db_args=()
if [ -n "${PGHOST:-}" ]; then db_args=(--db_host="$PGHOST" --db_port="$PGPORT"); fi
say "Serving $LOAD_DB with $WORKERS workers and one cron thread on http://127.0.0.1:$LOAD_HTTP_PORT (log: $log)"
# setsid: the server and its children form a process group of their own,
# stopped as one at the end.
setsid "$VENV/bin/python" "$ODOO_BIN" --addons-path="$(addons_path)" --data-dir="$LOAD_DATA_DIR" \
    "${db_args[@]}" -d "$LOAD_DB" --db-filter="^$LOAD_DB\$" --no-database-list \
    --workers="$WORKERS" --max-cron-threads=1 \
    --http-interface=127.0.0.1 --http-port="$LOAD_HTTP_PORT" --gevent-port="$LOAD_GEVENT_PORT" \
    --log-level=warn --log-handler=odoo.service.model:INFO --logfile="$log" \
    2> >(grep -v "security risk" >&2) &
ODOO_PID=$!
wait_for_odoo "$LOAD_HTTP_PORT" "$ODOO_PID" "$log"

say "Driving $USERS simulated users for $DURATION s"
"$VENV/bin/python" "$ROOT/scripts/load.py" \
    --url "http://127.0.0.1:$LOAD_HTTP_PORT" --db "$LOAD_DB" \
    --users "$USERS" --duration "$DURATION" --workers "$WORKERS" \
    --odoo-pid "$ODOO_PID" --pg-restart "$restart_cmd" --odoo-log "$log" \
    --robot-port "$LOAD_ROBOT_PORT"
