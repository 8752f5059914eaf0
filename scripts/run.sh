#!/usr/bin/env bash
# `make run`: set up, create (first time) or update (later) the demo
# database, then serve it on http://localhost:$HTTP_PORT.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

if port_in_use "$HTTP_PORT"; then
    die "Port $HTTP_PORT is already taken (is Odoo running already? 'ss -ltnp | grep :$HTTP_PORT' tells by whom). Stop that program or choose another port: make run HTTP_PORT=8070"
fi

# The seeder of a database holds an advisory lock (scripts/seed_history.py).
seeder_running() {
    psql -d postgres -tAc "select 1 from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = 200204
          and d.datname = '$DB_NAME'" | grep -q 1
}

stamp="$STATE_DIR/$DB_NAME.module-hash"
installed=""
if db_exists "$DB_NAME"; then
    installed="$(psql -d "$DB_NAME" -tAc "select state from ir_module_module where name='$MODULE'" 2>/dev/null || true)"
fi
if [ "$installed" != "installed" ]; then
    ensure_template
    say "Creating the database $DB_NAME with demo data and $MODULE"
    new_db_with_addon "$DB_NAME"
    module_hash > "$stamp"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(module_hash)" ] && seeder_running; then
    # Updating the addon under the seeder would wait on its locks.
    say "Not updating $MODULE in $DB_NAME while another make run makes its demo history"
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(module_hash)" ]; then
    say "Updating $MODULE in $DB_NAME"
    odoo_cmd -d "$DB_NAME" -u "$MODULE" --stop-after-init --log-level=warn --no-http \
        2> >(grep -v "security risk" >&2) || die "Updating $MODULE failed; see the log above."
    module_hash > "$stamp"
fi

# Once per demo database: a year of orders through the real flows, so that
# the dashboard has something in it (issue 10, item 8). Made beside the
# server (issue 20, item 4): the login is served at once, each simulated day
# is committed as it is made and its progress shown (here once a simulated
# month, and in the web client's top bar) until the year is done.
param() {
    psql -d "$DB_NAME" -tAc "select value from ir_config_parameter where key='$1'" 2>/dev/null || true
}
progress_day() {
    psql -d "$DB_NAME" -tAc "select (value::json)->>'day' from ir_config_parameter where key='$MODULE.demo_history_progress'" 2>/dev/null || true
}
# The database's scheduled jobs pause while the history is made (a job at
# today's date would score a half-made year as if it were over); the seeder
# makes them active again when the year is done.
pause_crons() {
    psql -d "$DB_NAME" -qv ON_ERROR_STOP=1 <<SQL
WITH paused AS (UPDATE ir_cron SET active = false WHERE active RETURNING id)
INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
SELECT '$MODULE.demo_history_paused_crons', coalesce(json_agg(id ORDER BY id), '[]')::text,
       1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
  FROM paused
ON CONFLICT (key) DO NOTHING;
SQL
}
seeder_pid=""
stop_seeder() {
    if [ -n "$seeder_pid" ] && kill -0 "$seeder_pid" 2>/dev/null; then
        kill -TERM "$seeder_pid" 2>/dev/null || true
        wait "$seeder_pid" 2>/dev/null || true
    fi
}
if [ -z "$(param "$MODULE.demo_history")" ]; then
    if seeder_running; then
        say "The demo history is being made by another make run (at $(progress_day)); serving beside it"
    else
        if [ -n "$(param "$MODULE.demo_history_progress")" ]; then
            # The simulation keeps each order's next step in memory: a year
            # stopped half-way is made again from its start.
            say "The demo history of $DB_NAME stopped at $(progress_day): making $DB_NAME anew (what was done in it is dropped)"
            drop_db "$DB_NAME"
            ensure_template
            new_db_with_addon "$DB_NAME"
            module_hash > "$stamp"
        fi
        pause_crons
        say "Making a year of demo order history beside the server (17 to 40 minutes on 2 cores, with the load): log in now, the orders fill in"
        trap stop_seeder EXIT
        "$VENV/bin/python" "$ROOT/scripts/seed_history.py" --db "$DB_NAME" \
            --addons-path "$(addons_path)" --data-dir "$DATA_DIR" \
            2> >(grep -v "security risk" >&2) &
        seeder_pid=$!
    fi
fi

# Issue 18, item 1: what each role finds in its to-dos after the demo year
# (every to-do of the process is for work still open). One query, quick.
if [ -n "$(param "$MODULE.demo_history")" ]; then
    say "Open to-dos of the Order Process per user (overdue: deadline before today)"
    psql -d "$DB_NAME" -tA -F ' ' -c "
    SELECT rpad(u.login, 18), lpad(count(a.id)::text, 5) || ' open,',
           lpad((count(a.id) FILTER (WHERE a.date_deadline < CURRENT_DATE))::text, 5)
           || ' overdue'
      FROM res_users u
      JOIN res_groups_users_rel r ON r.uid = u.id
      JOIN ir_model_data g ON g.res_id = r.gid AND g.model = 'res.groups'
           AND g.module = '$MODULE' AND g.name = 'group_user'
      LEFT JOIN mail_activity a ON a.user_id = u.id AND a.active
           AND a.activity_type_id IN (SELECT res_id FROM ir_model_data
               WHERE module = '$MODULE' AND model = 'mail.activity.type')
     WHERE u.active AND NOT u.share
     GROUP BY u.login ORDER BY count(a.id) DESC, u.login" 2>/dev/null \
        | sed 's/^/    /' || note "(not counted: the database is not readable)"
fi

# The addresses of this server (report.url: where wkhtmltopdf fetches the
# forms' CSS), for the port it serves on now.
set_server_url "$DB_NAME" "$HTTP_PORT"

say "Serving http://localhost:$HTTP_PORT  (login admin / admin; demo roles: login = password = role, see README)"
# Not exec: when the server stops (Ctrl-C), the seeder beside it stops too.
"$VENV/bin/python" -m odoo --addons-path="$(addons_path)" --data-dir="$DATA_DIR" \
    -d "$DB_NAME" --db-filter="^$DB_NAME\$" --http-port="$HTTP_PORT" --log-level="${LOG_LEVEL:-warn}" \
    2> >(grep -v "security risk" >&2)
