# Shared settings for the project's scripts (sourced, not executed).
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$ROOT/.venv}"
ODOO_SRC="${ODOO_SRC:-$HOME/.local/src/odoo-18.0}"
ODOO_BRANCH=18.0
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
DB_NAME="${DB_NAME:-order_process}"
HTTP_PORT="${HTTP_PORT:-8069}"
STATE_DIR="$ROOT/.state"
mkdir -p "$STATE_DIR"  # every script writes its state here, whatever built the venv
# Odoo's filestore lives beside the databases, outside the checkout, so that
# the cached template database keeps its files for every clone (CI included).
DATA_DIR="${OP_DATA_DIR:-$HOME/.local/share/order_process_addon}"
MODULE=order_process_addon

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "'$*' needs root and sudo is not available. Run it as root, or install sudo."
    fi
}

# The addons path: the official git tree has addons/ and odoo/addons/,
# a source release only odoo/addons/.
addons_path() {
    local p="$ODOO_SRC/odoo/addons"
    if [ -d "$ODOO_SRC/addons" ]; then p="$ODOO_SRC/addons,$p"; fi
    printf '%s,%s' "$p" "$ROOT"
}

odoo_cmd() {
    "$VENV/bin/python" -m odoo --addons-path="$(addons_path)" --data-dir="$DATA_DIR" "$@"
}

# Modules the addon depends on, read from its manifest.
addon_depends() {
    "$VENV/bin/python" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" \
        "$ROOT/$MODULE/__manifest__.py"
}

db_exists() { psql -d postgres -tAc "select 1 from pg_database where datname='$1'" | grep -q 1; }

drop_db() {
    if db_exists "$1"; then dropdb "$1"; fi
    rm -rf "$DATA_DIR/filestore/$1"
}

# A database with the addon's dependencies (and Odoo's demo data) installed,
# made once per Odoo source and dependency list, then copied: installing
# them takes minutes, copying a second.
ensure_template() {
    local deps; deps="$(addon_depends)"
    local key; key="$( (cat "$ODOO_SRC/odoo/release.py"; echo "$ODOO_SRC $deps") | sha1sum | cut -c1-10)"
    TEMPLATE_DB="op_template_$key"
    if db_exists "$TEMPLATE_DB" && [ -d "$DATA_DIR/filestore/$TEMPLATE_DB" ]; then return 0; fi
    drop_db "$TEMPLATE_DB"
    say "Building the template database $TEMPLATE_DB with $deps (a few minutes, once)"
    local tmp="${TEMPLATE_DB}_building"
    drop_db "$tmp"
    odoo_cmd -d "$tmp" -i "$deps" --stop-after-init --log-level=warn --http-port=0 --no-http \
        2> >(grep -v "security risk" >&2) \
        || { drop_db "$tmp"; die "Installing Odoo's modules ($deps) failed; see the log above."; }
    psql -d postgres -qc "ALTER DATABASE \"$tmp\" RENAME TO \"$TEMPLATE_DB\""
    mv "$DATA_DIR/filestore/$tmp" "$DATA_DIR/filestore/$TEMPLATE_DB" 2>/dev/null || true
    # Older templates of other sources or dependency lists are not needed.
    local old
    for old in $(psql -d postgres -tAc "select datname from pg_database where datname like 'op\_template\_%' and datname <> '$TEMPLATE_DB'"); do
        drop_db "$old"
    done
}

# clone_db SRC DST: DST becomes a fresh copy of SRC (database and filestore).
clone_db() {
    drop_db "$2"
    createdb -T "$1" "$2"
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        mkdir -p "$DATA_DIR/filestore"
        cp -a "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}

# new_db_with_addon DB: DB becomes a copy of the template with the addon and
# its demo data installed; dropped again if the install fails.
new_db_with_addon() {
    clone_db "$TEMPLATE_DB" "$1"
    odoo_cmd -d "$1" -i "$MODULE" --stop-after-init --log-level=warn --no-http \
        2> >(grep -v "security risk" >&2) \
        || { drop_db "$1"; die "Installing $MODULE failed; see the log above."; }
}

# set_server_url DB PORT: the addresses of DB's server on PORT, set before
# it serves: report.url, where wkhtmltopdf fetches a report's CSS, fonts
# and images from the server itself (http://127.0.0.1:PORT), and
# web.base.url, the links of mails and the portal (http://localhost:PORT,
# unless an administrator froze it with web.base.url.freeze; Odoo updates
# it when the administrator logs in). The cached template is built without
# HTTP and says http://localhost:0: with it every PDF printed without its
# layout.
set_server_url() {
    psql -d "$1" -qv ON_ERROR_STOP=1 -v port="$2" <<'SQL'
INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
SELECT key, value, 1, 1, now() at time zone 'UTC', now() at time zone 'UTC'
  FROM (VALUES ('report.url', 'http://127.0.0.1:' || :'port'),
               ('web.base.url', 'http://localhost:' || :'port')) AS p (key, value)
 WHERE key = 'report.url'
    OR NOT EXISTS (SELECT 1 FROM ir_config_parameter
                    WHERE key = 'web.base.url.freeze' AND value NOT IN ('', 'False'))
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, write_date = EXCLUDED.write_date;
SQL
}

port_in_use() {
    "$VENV/bin/python" - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("0.0.0.0", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
PY
}

module_hash() {
    (cd "$ROOT" && find "$MODULE" -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha1sum) | sha1sum | cut -c1-12
}

# wait_for_odoo PORT PID LOG: until the server started as PID answers on
# /web/health at PORT (at most 120 s); dies when it stops or does not answer.
wait_for_odoo() {
    local port="$1" pid="$2" log="$3"
    for _ in $(seq 1 120); do
        "$VENV/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
            "http://127.0.0.1:$port/web/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || die "Odoo stopped; see $log."
        sleep 1
    done
    die "Odoo did not answer in 120 s; see $log."
}
