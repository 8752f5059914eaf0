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
DATA_DIR="$STATE_DIR/data"
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
