#!/usr/bin/env bash
# `make run`: set up, create (first time) or update (later) the demo
# database, then serve it on http://localhost:$HTTP_PORT.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

if port_in_use "$HTTP_PORT"; then
    die "Port $HTTP_PORT is already taken (is Odoo running already? 'ss -ltnp | grep :$HTTP_PORT' tells by whom). Stop that program or choose another port: make run HTTP_PORT=8070"
fi

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
elif [ "$(cat "$stamp" 2>/dev/null)" != "$(module_hash)" ]; then
    say "Updating $MODULE in $DB_NAME"
    odoo_cmd -d "$DB_NAME" -u "$MODULE" --stop-after-init --log-level=warn --no-http \
        2> >(grep -v "security risk" >&2) || die "Updating $MODULE failed; see the log above."
    module_hash > "$stamp"
fi

# Once per demo database (also after an interrupted first run): a year of
# orders through the real flows, so that the dashboard has something in it
# (issue 10, item 8). The script records it in a system parameter.
seeded="$(psql -d "$DB_NAME" -tAc "select value from ir_config_parameter where key='order_process_addon.demo_history'" 2>/dev/null || true)"
if [ -z "$seeded" ]; then
    say "Seeding a year of demo order history (once; about 10 minutes on 2 cores)"
    "$VENV/bin/python" "$ROOT/scripts/seed_history.py" --db "$DB_NAME" \
        --addons-path "$(addons_path)" --data-dir "$DATA_DIR" \
        2> >(grep -v "security risk" >&2) \
        || { drop_db "$DB_NAME"; die "Seeding the demo history failed; see the log above. make run starts again from a new database."; }
fi

# Issue 18, item 1: what each role finds in its to-dos after the demo year
# (every to-do of the process is for work still open). One query, quick.
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

# The addresses of this server (report.url: where wkhtmltopdf fetches the
# forms' CSS), for the port it serves on now.
set_server_url "$DB_NAME" "$HTTP_PORT"

say "Serving http://localhost:$HTTP_PORT  (login admin / admin; demo roles: login = password = role, see README)"
exec "$VENV/bin/python" -m odoo --addons-path="$(addons_path)" --data-dir="$DATA_DIR" \
    -d "$DB_NAME" --db-filter="^$DB_NAME\$" --http-port="$HTTP_PORT" --log-level="${LOG_LEVEL:-warn}" \
    2> >(grep -v "security risk" >&2)
