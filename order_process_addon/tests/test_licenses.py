# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged

REQUIRED = {"sale_management", "sale_stock", "mrp", "purchase", "account"}


def dependency_closure(module):
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        manifest = get_manifest(name)
        if not manifest:
            raise AssertionError(f"dependency {name} is not in the addons path")
        todo.extend(manifest.get("depends", []))
    return seen - {module}


@tagged("post_install", "-at_install")
class TestLicenses(TransactionCase):
    def test_dependency_closure_is_community_only(self):
        """No module the addon needs, directly or not, is Odoo Enterprise."""
        closure = dependency_closure("order_process_addon")
        self.assertTrue(REQUIRED <= closure, REQUIRED - closure)
        enterprise = {m for m in closure if get_manifest(m).get("license") == "OEEL-1"}
        self.assertFalse(enterprise, f"Enterprise modules needed: {enterprise}")

    def test_installed_dependencies_match_manifest(self):
        """What the database holds as installed agrees with the closure, so
        the check above is about the modules really in use."""
        closure = dependency_closure("order_process_addon")
        installed = set(
            self.env["ir.module.module"]
            .search([("state", "=", "installed")])
            .mapped("name")
        )
        self.assertTrue(closure <= installed, closure - installed)
        dependency_names = set(
            self.env["ir.module.module"]
            .search([("name", "=", "order_process_addon")])
            .dependencies_id.mapped("name")
        )
        self.assertEqual(
            dependency_names, set(get_manifest("order_process_addon")["depends"])
        )

    def test_addon_license_is_lgpl(self):
        self.assertEqual(get_manifest("order_process_addon")["license"], "LGPL-3")
