#!/usr/bin/env bash
# Sets up everything `make run` and `make test` need, idempotently:
# Debian packages, a running PostgreSQL with a role for this user,
# Odoo 18.0's source, and the .venv with Odoo's and the project's requirements.
source "$(dirname "$0")/common.sh"

# ---------------------------------------------------------------- packages
# poppler-utils: pdftoppm, which draws the PDF pages of make screenshots.
DEB_PACKAGES=(postgresql postgresql-client libpq-dev libldap2-dev libsasl2-dev
              wkhtmltopdf fonts-noto-cjk chromium git python3-venv poppler-utils)

missing_debs() {
    local p
    for p in "${DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$p"
    done
}

install_system_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        note "Not a Debian/Ubuntu system: install PostgreSQL (>= 12), libpq, wkhtmltopdf,"
        note "CJK fonts, Chromium and poppler's pdftoppm yourself; continuing."; return 0; }
    local missing; missing="$(missing_debs)"
    [ -z "$missing" ] && return 0
    say "Installing Debian packages: $missing"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || die "apt-get update failed: check the network or your apt sources, then run again."
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
        || die "Could not install: $missing. PostgreSQL and the other system packages are required; install them (apt-get install $missing) and run again."
}

# ---------------------------------------------------------------- postgres
pg_running() { pg_isready -q -h localhost 2>/dev/null || pg_isready -q 2>/dev/null; }

start_postgres() {
    command -v pg_isready >/dev/null 2>&1 || die "PostgreSQL is not installed and could not be installed (apt-get install postgresql)."
    pg_running && return 0
    say "Starting PostgreSQL"
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        local cluster
        cluster="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1" "$2}')"
        if [ -z "$cluster" ]; then
            local ver; ver="$(ls /usr/lib/postgresql | sort -V | tail -1)"
            as_root pg_createcluster "$ver" main >/dev/null
            cluster="$ver main"
        fi
        # shellcheck disable=SC2086
        as_root pg_ctlcluster $cluster start || true
    else
        as_root service postgresql start || true
    fi
    for _ in $(seq 1 30); do pg_running && return 0; sleep 1; done
    die "PostgreSQL did not start; see its log under /var/log/postgresql/."
}

ensure_pg_role() {
    local user; user="$(id -un)"
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        say "Creating PostgreSQL role '$user'"
        if [ "$(id -u)" -eq 0 ]; then
            su postgres -c "createuser --superuser '$user'" 2>/dev/null || true
        else
            sudo -u postgres createuser --superuser "$user" 2>/dev/null || true
        fi
        psql -d postgres -tAc 'select 1' >/dev/null 2>&1 \
            || die "Cannot connect to PostgreSQL as '$user'. Create the role: sudo -u postgres createuser -s $user"
    fi
}

# ---------------------------------------------------------------- odoo source
check_odoo_src() {
    [ -f "$ODOO_SRC/odoo/release.py" ] || return 1
    grep -q "^version_info = (18, 0," "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 (see odoo/release.py). Point ODOO_SRC at an Odoo 18.0 source tree."
}

ensure_odoo_src() {
    check_odoo_src && return 0
    if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        die "$ODOO_SRC exists but is no Odoo source tree (no odoo/release.py). Remove it or set ODOO_SRC."
    fi
    say "Odoo 18.0 not found at $ODOO_SRC: cloning the official $ODOO_BRANCH branch (about 1 GB)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! git clone --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$ODOO_SRC"; then
        rm -rf "$ODOO_SRC"
        die "Could not clone Odoo $ODOO_BRANCH (offline?). Put an Odoo 18.0 source tree (git checkout or source release) at $ODOO_SRC, or set ODOO_SRC=/path/to/odoo-18.0, then run again."
    fi
    check_odoo_src || die "The clone at $ODOO_SRC holds no Odoo 18.0."
}

# ---------------------------------------------------------------- venv
# pip, quiet, without the noise of find-links folders that do not exist here.
pip_q() {
    "$VENV/bin/pip" -q "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

ensure_venv() {
    local py="${PYTHON:-python3}"
    local stamp="$VENV/.setup-stamp"
    local want
    want="$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-12) $ODOO_SRC"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    "$py" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 12)))' \
        || die "Odoo 18 needs Python 3.10 to 3.12; set PYTHON=/path/to/python3.x"
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating $VENV"
        "$py" -m venv "$VENV" || die "Could not create a virtualenv (apt-get install python3-venv)."
    fi
    say "Installing Odoo's requirements and the project's tools into .venv (a few minutes the first time)"
    local constraints="$STATE_DIR/pip-constraints.txt"
    mkdir -p "$STATE_DIR"
    # A few pinned sdists in Odoo's requirements do not build with setuptools >= 70.
    echo 'setuptools<70' > "$constraints"
    export PIP_CONSTRAINT="$constraints" PIP_DISABLE_PIP_VERSION_CHECK=1
    # pip >= 25.3 no longer applies PIP_CONSTRAINT to build environments.
    if "$VENV/bin/pip" install --help 2>/dev/null | grep -q -- --build-constraint; then
        export PIP_BUILD_CONSTRAINT="$constraints"
    fi
    pip_q install 'setuptools<70' wheel
    pip_q install -r "$ODOO_SRC/requirements.txt" \
        || die "Installing Odoo's Python requirements failed (see above)."
    pip_q install -r "$ROOT/requirements-dev.txt" \
        || die "Installing the project's Python requirements failed (see above)."
    # Odoo itself: the source tree on the venv's path (works for both layouts).
    local site; site="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$ODOO_SRC" > "$site/odoo-18.0-src.pth"
    "$VENV/bin/python" -c 'import odoo.release as r; assert r.serie == "18.0"' \
        || die "Odoo from $ODOO_SRC does not import in .venv."
    echo "$want" > "$stamp"
}

install_system_packages
start_postgres
ensure_pg_role
ensure_odoo_src
ensure_venv
mkdir -p "$DATA_DIR"
