# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo history's progress for the web client's top bar (issue 20,
item 4): the first ``make run`` serves its login at once while
scripts/seed_history.py makes the demo year beside the server, one committed
simulated day at a time; its users see how far it is, and the notice is gone
when the year is done."""

import json

from odoo.http import Controller, request, route
from odoo.tools import SQL

PROGRESS = "order_process_addon.demo_history_progress"


class DemoHistoryProgress(Controller):
    @route(
        "/order_process_addon/demo_history_progress",
        type="json",
        auth="user",
        readonly=True,
    )
    def demo_history_progress(self):
        """``{}`` when no history is being made (the notice is gone), else
        the notice's ``text`` and ``title`` in the user's language, and
        ``running`` (the client asks again while it is). Read as SQL: the
        seeder is another process, which writes the parameter as SQL (no
        registry cache of either process stands between them); one key,
        read-only, for internal users."""
        env = request.env
        if not env.user._is_internal():
            return {}
        env.cr.execute(
            SQL("SELECT value FROM ir_config_parameter WHERE key = %s", PROGRESS)
        )
        row = env.cr.fetchone()
        try:
            progress = json.loads(row[0]) if row else None
        except ValueError:
            progress = None
        if not isinstance(progress, dict):
            return {}
        values = {
            "day": progress.get("day", ""),
            "orders": progress.get("orders", 0),
            "total": progress.get("total", 0),
            "percent": progress.get("percent", 0),
        }
        if progress.get("state") == "stopped":
            return {
                "running": False,
                "text": env._("Demo history stopped at %(day)s", **values),
                "title": env._(
                    "The demo year stopped at %(day)s with %(orders)s of its"
                    " %(total)s orders: make run makes the demo database anew.",
                    **values,
                ),
            }
        return {
            "running": True,
            "text": env._(
                "Demo history %(percent)s%%: %(orders)s of %(total)s orders",
                **values,
            ),
            "title": env._(
                "The demo year's orders are being made through the real steps,"
                " one simulated day at a time (now %(day)s): the lists and the"
                " achievement rate grow until the year is done.",
                **values,
            ),
        }
