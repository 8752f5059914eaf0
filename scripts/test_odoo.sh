#!/usr/bin/env bash
# `make test-odoo`: Odoo's own sale_management, sale_stock, sale_mrp, mrp,
# purchase_stock and sale_purchase_stock test suites on a fresh database with the addon and its demo data
# installed, compared with the same suites without the addon (the baseline,
# cached per Odoo source). Fails on any failure the baseline does not have.
source "$(dirname "$0")/common.sh"
bash "$ROOT/scripts/setup.sh"
ensure_template

SUITES="${ODOO_SUITES:-sale_management,sale_stock,sale_mrp,mrp,purchase_stock,sale_purchase_stock}"
TAGS="$(echo "$SUITES" | sed -E 's#(^|,)#\1/#g')"
DB="op_odoo_tests_$$"
trap 'drop_db "$DB" >/dev/null 2>&1 || true' EXIT

# run_suites LOG: runs the suites on $DB, writes the log, prints failures.
run_suites() {
    local log="$1"
    odoo_cmd -d "$DB" -u "$SUITES" --test-enable --test-tags "$TAGS" --stop-after-init \
        --log-level=test --http-port="$(free_port)" > "$log" 2>&1 || true
    grep -E "when loading database" "$log" | tail -1 >&2 || true
    # Failing tests, as "odoo.addons.<module>.tests.<file>: FAIL: Class.method".
    grep -oE "odoo\.addons\.[A-Za-z0-9_.]+: (FAIL|ERROR): [^ ]+" "$log" | sort -u || true
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

baseline="$STATE_DIR/odoo-baseline-$TEMPLATE_DB-$(echo "$SUITES" | sha1sum | cut -c1-8).txt"
if [ ! -f "$baseline" ]; then
    say "Baseline: $SUITES without $MODULE (once per Odoo source; 10-20 minutes)"
    clone_db "$TEMPLATE_DB" "$DB"
    run_suites "$STATE_DIR/odoo-baseline.log" > "$baseline.tmp"
    grep -q "when loading database" "$STATE_DIR/odoo-baseline.log" \
        || die "The baseline run did not run Odoo's tests; see $STATE_DIR/odoo-baseline.log"
    mv "$baseline.tmp" "$baseline"
    drop_db "$DB"
fi

say "Odoo's $SUITES suites with $MODULE and its demo data installed (10-20 minutes)"
clone_db "$TEMPLATE_DB" "$DB"
odoo_cmd -d "$DB" -i "$MODULE" --stop-after-init --log-level=warn --no-http \
    2> >(grep -v "security risk" >&2) || die "Installing $MODULE failed."
log="$STATE_DIR/odoo-with-addon.log"
run_suites "$log" > "$STATE_DIR/odoo-with-addon.txt"
grep -q "when loading database" "$log" || die "Odoo's tests did not run; see $log"

new="$(comm -13 "$baseline" "$STATE_DIR/odoo-with-addon.txt")"
echo "baseline failures: $(wc -l < "$baseline"), with the addon: $(wc -l < "$STATE_DIR/odoo-with-addon.txt")"
grep "when loading database" "$log" | tail -1
if [ -n "$new" ]; then
    echo "New failures with $MODULE installed:"; echo "$new"
    die "Odoo's own suites fail with the addon installed (log: $log)."
fi
say "No new failures in $SUITES with $MODULE installed."
