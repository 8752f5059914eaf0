"""`make run`, first time: a year of order history for the demo company.

Started by scripts/run.sh once, right after the demo database is created:
runs order_process_addon/tests/demo_history.py (test-only code, which the
running addon never imports), which drives several hundred orders through
the real flows as the demo role users at simulated dates (a fixed random
seed: the same history every time), with their D13s written by the
departments and their invoices posted and mostly paid (the demo company's
chart of accounts is loaded first), then records it as done
(ir.config_parameter order_process_addon.demo_history) and prints the
statistics and the at-risk check.

    .venv/bin/python scripts/seed_history.py --db order_process \
        --addons-path ... --data-dir ... [--orders 320] [--months 12]
"""

import argparse
import json
import sys

import odoo
from odoo import SUPERUSER_ID, api

PARAM = "order_process_addon.demo_history"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--orders", type=int, default=320)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="seed again")
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        [
            "-d",
            args.db,
            f"--addons-path={args.addons_path}",
            f"--data-dir={args.data_dir}",
            "--log-level=error",
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    # The approved D10's copy is printed as in the tests (HTML, no
    # wkhtmltopdf run per order: it would double the time). Set once the
    # registry is loaded (loading it with test_enable would run tests).
    odoo.tools.config["test_enable"] = True
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        params = env["ir.config_parameter"].sudo()
        if params.get_param(PARAM) and not args.force:
            print("The demo history is already there.")
            return 0
        from odoo.addons.order_process_addon.tests import demo_history

        stats = demo_history.seed(
            env,
            orders=args.orders,
            months=args.months,
            seed=args.seed,
            log=lambda line: print(line, flush=True),
        )
        params.set_param(PARAM, json.dumps(stats, default=str))
        cr.commit()
    print(json.dumps(stats, indent=1, default=str))
    print("AT RISK:", demo_history.at_risk_summary(stats))
    print("D13 AND FINANCE:", demo_history.paperwork_summary(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
