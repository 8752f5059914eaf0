# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Elevation you can read (issue 20, item 3; R35): the named helpers of
``models/elevation.py`` refuse what is not the process's own, and the count
of ``sudo()`` in product code stated in docs/DEVELOPMENT.md only goes down."""

import os
import re

from odoo.tests import TransactionCase, tagged

from odoo.addons.order_process_addon.models.elevation import (
    process_create,
    process_write,
)

from .test_repository import repository_root

# "calls `sudo()` N times" in the Elevation paragraph of DEVELOPMENT.md.
STATED = re.compile(r"calls\s+`sudo\(\)`\s+(\d+)\s+times")


def product_sudo_count(addon):
    """The literal ``sudo()`` of the addon's Python code outside tests/ and
    migrations/ (what the documented grep counts)."""
    count = 0
    for folder, dirs, names in os.walk(addon):
        dirs[:] = [d for d in dirs if d not in ("tests", "migrations")]
        for name in names:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as file:
                    count += file.read().count("sudo()")
    return count


@tagged("post_install", "-at_install")
class TestElevation(TransactionCase):
    def test_r35_process_write_refuses_a_field_not_the_process_s(self):
        """Odoo's own field of Odoo's model (a delivery's note) is not the
        process's to write as the superuser."""
        with self.assertRaisesRegex(AssertionError, "'note' is not the Order"):
            process_write(self.env["stock.picking"], {"note": "x"})
        with self.assertRaisesRegex(AssertionError, "'users' is not the Order"):
            process_write(self.env["res.groups"], {"users": []})

    def test_r35_process_write_takes_the_process_s_own_fields(self):
        """A field of an addon model, a field the addon adds to Odoo's model,
        and a field the model's guard keeps for the process."""
        self.assertTrue(process_write(self.env["order.gate.check"], {"state": "void"}))
        self.assertTrue(
            process_write(self.env["stock.picking"], {"op_left_through": "steps"})
        )
        self.assertIn("state", self.env["stock.picking"]._op_guard.process)
        self.assertTrue(process_write(self.env["stock.picking"], {"state": "done"}))

    def test_r35_process_create_refuses_a_model_not_the_addon_s(self):
        with self.assertRaisesRegex(AssertionError, "res.partner: the model"):
            process_create(self.env["res.partner"], [{"name": "Forged"}])
        self.assertFalse(
            self.env["res.partner"].search_count([("name", "=", "Forged")])
        )

    def test_sudo_count_only_goes_down(self):
        """The count stated in docs/DEVELOPMENT.md is an upper bound: a new
        ``sudo()`` goes through a helper of its kind, or raises the stated
        count in the same change, where a reviewer sees it."""
        root = repository_root()
        with open(os.path.join(root, "docs", "DEVELOPMENT.md"), encoding="utf-8") as f:
            stated = STATED.search(f.read())
        self.assertTrue(stated, "DEVELOPMENT.md states the count of sudo()")
        count = product_sudo_count(os.path.join(root, "order_process_addon"))
        self.assertLessEqual(count, int(stated.group(1)))
