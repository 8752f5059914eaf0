#!/usr/bin/env bash
# Maintainers: refresh i18n/order_process_addon.pot from a database with the
# addon installed (default: the `make run` database), merge it into every
# .po file and list what still needs translating.
source "$(dirname "$0")/common.sh"
db="${1:-$DB_NAME}"
i18n="$ROOT/$MODULE/i18n"
odoo_cmd -d "$db" -u "$MODULE" --stop-after-init --log-level=warn --no-http 2> >(grep -v "security risk" >&2)
odoo_cmd -d "$db" --i18n-export="$i18n/$MODULE.pot" --modules="$MODULE" \
    --stop-after-init --log-level=warn --no-http 2> >(grep -v "security risk" >&2)
"$VENV/bin/python" - "$i18n" "$MODULE" <<'PY'
import pathlib, sys
import polib
i18n, module = pathlib.Path(sys.argv[1]), sys.argv[2]
pot = polib.pofile(str(i18n / f"{module}.pot"))
for path in sorted(i18n.glob("*.po")):
    po = polib.pofile(str(path))
    po.merge(pot)
    for entry in [e for e in po if e.obsolete]:
        po.remove(entry)
    po.save()
    todo = [e.msgid for e in po if not e.translated() and not e.obsolete]
    print(f"{path.name}: {po.percent_translated()}% translated, {len(todo)} to do")
    for msgid in todo:
        print("   ", msgid[:100])
PY
