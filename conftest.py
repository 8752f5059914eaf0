"""Project-wide pytest hooks: a run with skipped tests fails.

Odoo silently skips browser tours when Chromium or websocket-client are
missing; a skip must never look like a pass.
"""

import pytest


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = len(reporter.stats.get("skipped", []))
    if skipped and session.exitstatus == 0:
        reporter.write_line(
            f"ERROR: {skipped} test(s) skipped; a skipped test is not a passing one.",
            red=True,
        )
        session.exitstatus = 1
