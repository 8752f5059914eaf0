#!/usr/bin/env bash
# `make cluster` / `make cluster-stop` (issue 22, item 1): the addon served the
# way a larger company runs Odoo 18, on one machine.
#
#   - a PostgreSQL primary and a streaming replica of it (pg_basebackup -R,
#     hot standby), each a cluster of its own with its own data directory and
#     Unix socket under $CLUSTER_PG_DIR, no TCP at all: the machine's
#     PostgreSQL is only read once (the demo database is dumped from it);
#   - the demo database with its year of history (the one `make run` made,
#     $DB_NAME) restored into the primary as $CLUSTER_DB, with its filestore;
#   - Odoo's web node: $CLUSTER_WORKERS HTTP worker processes and the gevent
#     (websocket) process, no cron (--max-cron-threads=0), on the primary,
#     its read-only requests on the replica (--db_replica_host/_port);
#   - one cron node: a second Odoo process, no HTTP (--no-http), one cron
#     thread, on the primary only.
#
#   bash scripts/cluster.sh            start, print how to reach it, wait;
#                                      Ctrl-C stops everything
#   bash scripts/cluster.sh start      start and return (make load CLUSTER=1)
#   bash scripts/cluster.sh stop       stop what a start started (its pidfiles)
#   bash scripts/cluster.sh stats      statements and transactions per server
#   bash scripts/cluster.sh cron-check two cron nodes at once, one killed
#                                      mid-batch: nothing done twice or left
#
# Ports (CLUSTER_*): HTTP $HTTP_PORT+311, gevent +313, PostgreSQL 55432 (the
# primary) and 55433 (the replica). Everything it starts is recorded in
# $STATE_DIR/cluster/*.pid and stopped by those pids only.
source "$(dirname "$0")/common.sh"

CLUSTER_HTTP_PORT="${CLUSTER_HTTP_PORT:-$((HTTP_PORT + 311))}"
CLUSTER_GEVENT_PORT="${CLUSTER_GEVENT_PORT:-$((HTTP_PORT + 313))}"
CLUSTER_PG_PORT="${CLUSTER_PG_PORT:-55432}"
CLUSTER_REPLICA_PORT="${CLUSTER_REPLICA_PORT:-$((CLUSTER_PG_PORT + 1))}"
CLUSTER_WORKERS="${CLUSTER_WORKERS:-2}"
# A web worker that once failed to reach the replica (it restarted) reads on
# the primary until it is recycled: after this many requests (Odoo's
# default, 65536, would keep it there for the rest of a load run).
CLUSTER_LIMIT_REQUEST="${CLUSTER_LIMIT_REQUEST:-300}"
CLUSTER_DB="${CLUSTER_DB:-op_cl_demo}"
# PostgreSQL runs as the postgres user: its directories are outside the
# checkout (which that user may not be able to enter).
CLUSTER_PG_DIR="${CLUSTER_PG_DIR:-/var/tmp/op-cluster-$CLUSTER_PG_PORT}"
WORK="$STATE_DIR/cluster"
CL_DATA_DIR="$WORK/data"
PRIMARY="$CLUSTER_PG_DIR/primary"
REPLICA="$CLUSTER_PG_DIR/replica"
SOCK="$CLUSTER_PG_DIR/run"
mkdir -p "$WORK"

PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
ODOO_BIN="$ODOO_SRC/odoo-bin"
[ -f "$ODOO_BIN" ] || ODOO_BIN="$ODOO_SRC/setup/odoo"

pg_owner() {  # PostgreSQL's server does not run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# psql on one of the cluster's servers: on_primary / on_replica ARGS...
on_primary() { psql -X -h "$SOCK" -p "$CLUSTER_PG_PORT" "$@"; }
on_replica() { psql -X -h "$SOCK" -p "$CLUSTER_REPLICA_PORT" "$@"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_odoo PIDFILE: TERM, then its process group (setsid made it the
# leader: the master and its workers and gevent process) once it is gone.
stop_odoo() {
    local pidfile="$1" pid
    [ -f "$pidfile" ] || return 0
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
}

stop_pg() {
    local dir="$1"
    if [ -f "$dir/postmaster.pid" ]; then
        pg_owner "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

cmd_stop() {
    stop_odoo "$WORK/cron.pid"
    stop_odoo "$WORK/web.pid"
    stop_pg "$REPLICA"
    stop_pg "$PRIMARY"
    rm -f "$WORK/env"
    # Each start makes both servers again: their directories go once they
    # are stopped (never while one still runs).
    if [ -d "$CLUSTER_PG_DIR" ] && [ ! -f "$PRIMARY/postmaster.pid" ] && [ ! -f "$REPLICA/postmaster.pid" ]; then
        rm -rf "$CLUSTER_PG_DIR"
    fi
}

# The statements and transactions each server served since it started:
# pg_stat_statements' calls and pg_stat_database's commits + rollbacks of
# the served database (both servers count their own).
cmd_stats() {
    local server
    for server in primary replica; do
        "on_$server" -d "$CLUSTER_DB" -tA -F ' ' -c "
            SELECT '$server',
                   'statements=' || (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s
                                      JOIN pg_database d ON d.oid = s.dbid
                                     WHERE d.datname = current_database()),
                   'transactions=' || (SELECT xact_commit + xact_rollback FROM pg_stat_database
                                        WHERE datname = current_database()),
                   'rollbacks=' || (SELECT xact_rollback FROM pg_stat_database
                                     WHERE datname = current_database())" 2>/dev/null \
            || echo "$server unreachable"
    done
}

# --------------------------------------------------------------- the start
start_pg_cluster() {
    [ -x "$PGBIN/initdb" ] || die "No PostgreSQL server binaries under /usr/lib/postgresql/*/bin."
    rm -rf "$CLUSTER_PG_DIR"
    mkdir -p "$SOCK"
    chmod 755 "$CLUSTER_PG_DIR"
    [ "$(id -u)" -ne 0 ] || chown -R postgres "$CLUSTER_PG_DIR"
    say "PostgreSQL primary on $SOCK port $CLUSTER_PG_PORT (socket only)"
    pg_owner "$PGBIN/initdb" -D "$PRIMARY" -U "$(id -un)" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null \
        || die "initdb failed."
    cat >> "$PRIMARY/postgresql.conf" <<CONF
# make cluster (issue 22): no TCP, a socket of its own
listen_addresses = ''
unix_socket_directories = '$SOCK'
port = $CLUSTER_PG_PORT
max_connections = 100
wal_level = replica
max_wal_senders = 4
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
shared_preload_libraries = 'pg_stat_statements'
log_line_prefix = '%m [%p] %d '
CONF
    pg_owner "$PGBIN/pg_ctl" -D "$PRIMARY" -l "$CLUSTER_PG_DIR/primary.log" -w start >/dev/null \
        || die "The primary did not start; see $CLUSTER_PG_DIR/primary.log."
    on_primary -d postgres -qc "CREATE EXTENSION pg_stat_statements" >/dev/null
}

start_replica() {
    say "PostgreSQL streaming replica on $SOCK port $CLUSTER_REPLICA_PORT (pg_basebackup -R, hot standby)"
    rm -rf "$REPLICA"
    pg_owner "$PGBIN/pg_basebackup" -h "$SOCK" -p "$CLUSTER_PG_PORT" -U "$(id -un)" \
        -D "$REPLICA" -R -X stream -c fast >/dev/null || die "pg_basebackup failed."
    # The later line of postgresql.conf wins: the replica's own port.
    printf "port = %s\n" "$CLUSTER_REPLICA_PORT" >> "$REPLICA/postgresql.conf"
    pg_owner "$PGBIN/pg_ctl" -D "$REPLICA" -l "$CLUSTER_PG_DIR/replica.log" -w start >/dev/null \
        || die "The replica did not start; see $CLUSTER_PG_DIR/replica.log."
    [ "$(on_replica -d postgres -tAc 'select pg_is_in_recovery()')" = t ] || die "The replica is not a standby."
}

# The demo database, updated to this checkout's addon, kept as a dump keyed
# by the module's content: restoring it takes a minute, updating longer.
restore_db() {
    local key dump filestore
    key="$(module_hash)"
    dump="$WORK/$DB_NAME-$key.dump"
    filestore="$WORK/$DB_NAME-$key.filestore"
    if [ ! -f "$dump" ] || [ ! -d "$filestore" ]; then
        db_exists "$DB_NAME" || die "No demo database $DB_NAME: run 'make run' once first (it seeds the year of history)."
        [ -n "$(psql -d "$DB_NAME" -tAc "select value from ir_config_parameter where key='order_process_addon.demo_history'")" ] \
            || die "$DB_NAME has no demo history yet: let 'make run' finish seeding it first."
        rm -rf "$WORK"/*.dump "$WORK"/*.filestore
        say "Copying $DB_NAME (with its history) into the primary as $CLUSTER_DB"
        pg_dump -Fc -f "$WORK/source.dump" "$DB_NAME" || die "pg_dump $DB_NAME failed."
        on_primary -d postgres -qc "CREATE DATABASE \"$CLUSTER_DB\"" >/dev/null
        pg_restore --no-owner --no-acl -j 2 -h "$SOCK" -p "$CLUSTER_PG_PORT" -d "$CLUSTER_DB" \
            "$WORK/source.dump" || die "Restoring $DB_NAME failed."
        rm -f "$WORK/source.dump"
        rm -rf "$CL_DATA_DIR/filestore/$CLUSTER_DB"
        mkdir -p "$CL_DATA_DIR/filestore/$CLUSTER_DB"
        if [ -d "$DATA_DIR/filestore/$DB_NAME" ]; then
            cp -a "$DATA_DIR/filestore/$DB_NAME/." "$CL_DATA_DIR/filestore/$CLUSTER_DB/"
        fi
        say "Updating $MODULE in $CLUSTER_DB to this checkout"
        "$VENV/bin/python" "$ODOO_BIN" --addons-path="$(addons_path)" --data-dir="$CL_DATA_DIR" \
            --db_host="$SOCK" --db_port="$CLUSTER_PG_PORT" -d "$CLUSTER_DB" -u "$MODULE" \
            --stop-after-init --no-http --log-level=warn 2> >(grep -v "security risk" >&2) \
            || die "Updating $MODULE failed; see the log above."
        pg_dump -Fc -h "$SOCK" -p "$CLUSTER_PG_PORT" -f "$dump.tmp" "$CLUSTER_DB" && mv "$dump.tmp" "$dump"
        cp -a "$CL_DATA_DIR/filestore/$CLUSTER_DB" "$filestore"
    else
        say "Restoring the demo database into the primary as $CLUSTER_DB"
        on_primary -d postgres -qc "CREATE DATABASE \"$CLUSTER_DB\"" >/dev/null
        pg_restore --no-owner --no-acl -j 2 -h "$SOCK" -p "$CLUSTER_PG_PORT" -d "$CLUSTER_DB" "$dump" \
            || die "Restoring $dump failed."
        rm -rf "$CL_DATA_DIR/filestore/$CLUSTER_DB"
        mkdir -p "$CL_DATA_DIR/filestore"
        cp -a "$filestore" "$CL_DATA_DIR/filestore/$CLUSTER_DB"
    fi
    on_primary -d "$CLUSTER_DB" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    PGHOST="$SOCK" PGPORT="$CLUSTER_PG_PORT" set_server_url "$CLUSTER_DB" "$CLUSTER_HTTP_PORT"
    on_primary -d "$CLUSTER_DB" -qc "CHECKPOINT"
}

start_odoo() {
    local common=(--addons-path="$(addons_path)" --data-dir="$CL_DATA_DIR"
        --db_host="$SOCK" --db_port="$CLUSTER_PG_PORT"
        -d "$CLUSTER_DB" --db-filter="^$CLUSTER_DB\$" --no-database-list
        --log-level=warn --log-handler=odoo.service.model:INFO)
    say "Odoo web node: $CLUSTER_WORKERS HTTP workers + gevent, no cron; reads on the replica"
    : > "$WORK/web.log"
    setsid "$VENV/bin/python" "$ODOO_BIN" "${common[@]}" \
        --db_replica_host="$SOCK" --db_replica_port="$CLUSTER_REPLICA_PORT" \
        --workers="$CLUSTER_WORKERS" --max-cron-threads=0 --limit-request="$CLUSTER_LIMIT_REQUEST" \
        --http-interface=127.0.0.1 --http-port="$CLUSTER_HTTP_PORT" \
        --gevent-port="$CLUSTER_GEVENT_PORT" --logfile="$WORK/web.log" \
        --log-handler=werkzeug:INFO >/dev/null 2>>"$WORK/web.log" &
    echo $! > "$WORK/web.pid"
    cron_node start
    wait_for_odoo "$CLUSTER_HTTP_PORT" "$(cat "$WORK/web.pid")" "$WORK/web.log"
}

# cron_node start [NAME]: one more cron-only Odoo node (no HTTP; a master
# that keeps one cron worker process alive: --workers with --no-http spawns
# only --max-cron-threads cron workers), on the primary only; its pid in
# $WORK/NAME.pid (default cron).
cron_node() {
    local name="${2:-cron}"
    : > "$WORK/$name.log"
    say "Odoo cron node '$name': no HTTP, one cron thread, on the primary"
    setsid "$VENV/bin/python" "$ODOO_BIN" --addons-path="$(addons_path)" --data-dir="$CL_DATA_DIR" \
        --db_host="$SOCK" --db_port="$CLUSTER_PG_PORT" \
        -d "$CLUSTER_DB" --db-filter="^$CLUSTER_DB\$" --no-database-list \
        --no-http --workers=1 --max-cron-threads=1 \
        --log-level=warn --log-handler=odoo.addons.base.models.ir_cron:INFO \
        --logfile="$WORK/$name.log" >/dev/null 2>>"$WORK/$name.log" &
    echo $! > "$WORK/$name.pid"
}

cmd_start() {
    alive "$WORK/web.pid" && die "The cluster runs already (pid $(cat "$WORK/web.pid")): make cluster-stop first."
    for port in "$CLUSTER_HTTP_PORT" "$CLUSTER_GEVENT_PORT"; do
        port_in_use "$port" && die "Port $port is taken: make cluster CLUSTER_HTTP_PORT=... CLUSTER_GEVENT_PORT=..."
    done
    [ -f "$ODOO_BIN" ] || die "Neither odoo-bin nor setup/odoo found in $ODOO_SRC."
    cmd_stop
    start_pg_cluster
    restore_db
    start_replica
    start_odoo
    cat > "$WORK/env" <<ENV
CLUSTER_URL=http://127.0.0.1:$CLUSTER_HTTP_PORT
CLUSTER_DB=$CLUSTER_DB
CLUSTER_SOCK=$SOCK
CLUSTER_PG_PORT=$CLUSTER_PG_PORT
CLUSTER_REPLICA_PORT=$CLUSTER_REPLICA_PORT
CLUSTER_PRIMARY=$PRIMARY
CLUSTER_REPLICA=$REPLICA
CLUSTER_PG_DIR=$CLUSTER_PG_DIR
CLUSTER_WEB_PID=$(cat "$WORK/web.pid")
CLUSTER_CRON_PID=$(cat "$WORK/cron.pid")
CLUSTER_WEB_LOG=$WORK/web.log
CLUSTER_CRON_LOG=$WORK/cron.log
PGBIN=$PGBIN
ENV
    say "The cluster serves $CLUSTER_DB on http://127.0.0.1:$CLUSTER_HTTP_PORT (admin / admin; roles: login = password = role)"
    note "web node: pid $(cat "$WORK/web.pid"), $CLUSTER_WORKERS workers, log $WORK/web.log"
    note "cron node: pid $(cat "$WORK/cron.pid"), log $WORK/cron.log"
    note "primary: psql -h $SOCK -p $CLUSTER_PG_PORT $CLUSTER_DB   (log $CLUSTER_PG_DIR/primary.log)"
    note "replica: psql -h $SOCK -p $CLUSTER_REPLICA_PORT $CLUSTER_DB   (log $CLUSTER_PG_DIR/replica.log)"
    note "stop: make cluster-stop (or Ctrl-C in the foreground)"
}

case "${1:-run}" in
    run)
        bash "$ROOT/scripts/setup.sh"
        trap 'cmd_stop; exit 130' INT TERM
        trap cmd_stop EXIT
        cmd_start
        say "Serving until Ctrl-C"
        while alive "$WORK/web.pid"; do sleep 2; done
        ;;
    start) cmd_start ;;
    stop) cmd_stop; stop_odoo "$WORK/cron2.pid" ;;
    stats) cmd_stats ;;
    cron) cron_node start "${2:-cron2}" ;;
    cron-check)  # issue 22, item 4: two cron nodes at once, one killed mid-batch
        alive "$WORK/web.pid" || die "The cluster is not running: make cluster (or cluster.sh start) first."
        "$VENV/bin/python" "$ROOT/scripts/cluster_crons.py" --env "$WORK/env" --script "$0" ;;
    *) die "usage: cluster.sh [run|start|stop|stats|cron NAME|cron-check]" ;;
esac
