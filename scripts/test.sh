#!/usr/bin/env bash
# `make test`: set up, then a fresh throw-away database with the addon and
# its demo data, then the whole suite through pytest-odoo, browser tours
# included. Fails on any failure and on any skipped test.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"

command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
    || command -v google-chrome >/dev/null 2>&1 || die "No Chromium found: the browser tours need it (apt-get install chromium)."
"$VENV/bin/python" -c "import websocket" 2>/dev/null \
    || die "websocket-client is missing from .venv: without it Odoo skips every browser tour."

ensure_template
TEST_DB="${TEST_DB:-op_test_$$}"
cleanup() { drop_db "$TEST_DB" >/dev/null 2>&1 || true; rm -f "$STATE_DIR/$TEST_DB.conf" "$STATE_DIR/$TEST_DB.install.log"; }
trap cleanup EXIT

say "Installing $MODULE in the throw-away database $TEST_DB"
clone_db "$TEMPLATE_DB" "$TEST_DB"
odoo_cmd -d "$TEST_DB" -i "$MODULE" --stop-after-init --log-level=warn --no-http \
    2> >(grep -v "security risk" >&2 | tee "$STATE_DIR/$TEST_DB.install.log" >&2) \
    || die "Installing $MODULE failed; see the log above."
if grep -E " (WARNING|ERROR|CRITICAL) " "$STATE_DIR/$TEST_DB.install.log"; then
    die "Installing $MODULE logged the warnings above; an install must be clean."
fi

# No report.url: the tests' HTTP server (on a port of its own) sets
# web.base.url to its address, where wkhtmltopdf then fetches the CSS of the
# PDFs the tests print (test_printed_forms checks it answers).
psql -d "$TEST_DB" -qc "DELETE FROM ir_config_parameter WHERE key = 'report.url'"

conf="$STATE_DIR/$TEST_DB.conf"
cat > "$conf" <<CONF
[options]
addons_path = $(addons_path)
data_dir = $DATA_DIR
db_name = $TEST_DB
dbfilter = ^$TEST_DB\$
log_level = warn
http_port = $HTTP_PORT
CONF

say "Running the test suite"
cd "$ROOT"
"$VENV/bin/python" -m pytest -c "$ROOT/pytest.ini" --odoo-config="$conf" --odoo-http \
    --odoo-log-level="${ODOO_TEST_LOG_LEVEL:-warn}" "$@" "$ROOT/$MODULE/tests"
