"""`make run`, first time: a year of order history for the demo company.

Started by scripts/run.sh once, right after the demo database is created,
beside the server (issue 20, item 4: the login is served at once while the
history fills in): runs order_process_addon/tests/demo_history.py (test-only
code, which the running addon never imports), which drives several hundred
orders through the real flows as the demo role users at simulated dates (a
fixed random seed: the same history every time), with their D13s written by
the departments and their invoices posted and mostly paid (the demo
company's chart of accounts is loaded first), then records it as done
(ir.config_parameter order_process_addon.demo_history) and prints the
statistics and the at-risk check.

Each simulated day's work is committed on its own, and the progress goes to
ir.config_parameter order_process_addon.demo_history_progress (the web
client's notice, printed here once a simulated month); the parameter is
removed when the year is done. The scheduled jobs of the database stay
paused while the history is made (scripts/run.sh pauses them: a job run at
today's date on a half-made year would score its orders as if the year were
over; the history runs the process's jobs itself at the simulated dates);
they are active again when the history is done.

One seeder per database (a PostgreSQL advisory lock); SIGINT and SIGTERM
(Ctrl-C in make run) stop it after the day in progress is rolled back, as
does the end of the make run that started it. The day in progress is rolled
back whatever stops it; a history that stopped half-way is not resumed (the
simulation keeps each order's next step in memory): make run makes the
demo database anew.

    .venv/bin/python scripts/seed_history.py --db order_process \
        --addons-path ... --data-dir ... [--orders 320] [--months 12]
"""

import argparse
import json
import os
import signal
import sys
import time
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

PARAM = "order_process_addon.demo_history"
PROGRESS = "order_process_addon.demo_history_progress"
# The ir.cron ids scripts/run.sh paused for the seeding (JSON list).
PAUSED_CRONS = "order_process_addon.demo_history_paused_crons"
# The advisory lock of the seeder of a database (issue 20, item 4);
# scripts/run.sh looks it up in pg_locks.
LOCK = 200204
# The real clock, out of freezegun's reach while the history runs (it swaps
# the time module's functions, not a list's items).
CLOCK = [time.monotonic]
TOLD = "order_process_addon.activity_notified"


def set_progress(cr, value):
    """The progress parameter, written as SQL: the server beside reads it
    as SQL too (no registry cache between the two processes)."""
    if value is None:
        cr.execute(SQL("DELETE FROM ir_config_parameter WHERE key = %s", PROGRESS))
        return
    cr.execute(
        SQL(
            """INSERT INTO ir_config_parameter
                   (key, value, create_uid, write_uid, create_date, write_date)
               VALUES (%s, %s, 1, 1, now() at time zone 'UTC',
                       now() at time zone 'UTC')
               ON CONFLICT (key) DO UPDATE
                   SET value = EXCLUDED.value, write_date = EXCLUDED.write_date""",
            PROGRESS,
            json.dumps(value),
        )
    )


class Progress:
    """The checkpoint given to demo_history.seed: commits each simulated
    day, records the progress, prints it once a simulated month, and stops
    the seeding when asked to (a signal, or the make run that started it
    gone)."""

    def __init__(self, cr, first, last):
        self.cr = cr
        self.first, self.last = first, last
        self.parent = os.getppid()
        self.t0 = CLOCK[0]()
        self.month = None
        self.value = {
            "state": "running",
            "pid": os.getpid(),
            "first": str(first),
            "last": str(last),
            "day": str(first),
            "orders": 0,
            "total": 0,
        }

    def percent(self, day):
        span = (self.last - self.first).days or 1
        return max(0, min(100, round(100 * (day - self.first).days / span)))

    def __call__(self, day, started, total):
        self.value.update(day=str(day), orders=started, total=total)
        self.value["percent"] = self.percent(day)
        set_progress(self.cr, self.value)
        # The history's "already told" set (its to-dos' notices of a year
        # ago are not sent) lives in the transaction's precommit data,
        # which a commit clears: kept across the commits.
        told = self.cr.precommit.data.get(TOLD)
        self.cr.commit()
        if told is not None:
            self.cr.precommit.data[TOLD] = told
        if day.strftime("%Y-%m") != self.month:
            self.month = day.strftime("%Y-%m")
            print(
                f"    demo history: {day} ({self.value['percent']} % of the year),"
                f" {started} of {total} orders, {CLOCK[0]() - self.t0:.0f} s",
                flush=True,
            )
        if os.getppid() != self.parent:
            raise KeyboardInterrupt("the make run that started the seeding ended")


def stop_on_signal(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


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
    # A background job of a shell ignores SIGINT: Ctrl-C stops it too.
    signal.signal(signal.SIGINT, stop_on_signal)
    signal.signal(signal.SIGTERM, stop_on_signal)
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
        cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", LOCK))
        if not cr.fetchone()[0]:
            print("The demo history is being made by another process.")
            return 3
        from odoo.addons.order_process_addon.tests import demo_history

        last = fields.Date.today()
        progress = Progress(cr, last - timedelta(days=round(args.months * 30.44)), last)
        progress.value["total"] = args.orders
        set_progress(cr, progress.value)
        cr.commit()
        try:
            stats = demo_history.seed(
                env,
                orders=args.orders,
                months=args.months,
                seed=args.seed,
                checkpoint=progress,
            )
        except BaseException as error:
            cr.rollback()
            progress.value["state"] = "stopped"
            set_progress(cr, progress.value)
            cr.commit()
            if isinstance(error, KeyboardInterrupt):
                print(
                    f"    demo history stopped at {progress.value['day']}"
                    f" ({error or 'interrupted'})",
                    flush=True,
                )
                return 130
            raise
        params.set_param(PARAM, json.dumps(stats, default=str))
        set_progress(cr, None)
        paused = json.loads(params.get_param(PAUSED_CRONS) or "[]")
        env["ir.cron"].browse(paused).exists().write({"active": True})
        params.set_param(PAUSED_CRONS, False)
        cr.commit()
    print(json.dumps(stats, indent=1, default=str))
    print("AT RISK:", demo_history.at_risk_summary(stats))
    print("D13 AND FINANCE:", demo_history.paperwork_summary(stats))
    print(
        f"    demo history done: {stats['orders']} orders in"
        f" {stats['seconds']:.0f} s; the scheduled jobs are active again",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
