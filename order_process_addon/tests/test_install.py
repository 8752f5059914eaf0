# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

import polib

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_module_is_installed_application(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "order_process_addon")]
        )
        self.assertEqual(module.state, "installed")
        manifest = get_manifest("order_process_addon")
        self.assertRegex(manifest["version"], r"^18\.0\.\d+\.\d+\.\d+$")
        self.assertEqual(manifest["license"], "LGPL-3")
        self.assertTrue(manifest["application"])

    def test_app_menu_exists_with_action(self):
        root = self.env.ref("order_process_addon.menu_root")
        self.assertFalse(root.parent_id)
        self.assertEqual(
            self.env.ref("order_process_addon.sale_order_menu").action,
            self.env.ref("order_process_addon.sale_order_action"),
        )

    def test_every_model_of_the_addon_has_access_rules(self):
        """The install log must show no 'has no access rules' warning: every
        model the addon defines has an ACL, and the Audit Center reads it."""
        self.env.cr.execute(
            """
            SELECT m.model, m.transient FROM ir_model m
              JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
             WHERE d.module = 'order_process_addon'
            """
        )
        audit = self.env.ref("order_process_addon.group_audit")
        for model, transient in self.env.cr.fetchall():
            if transient:
                continue
            accesses = self.env["ir.model.access"].search(
                [("model_id.model", "=", model)]
            )
            self.assertTrue(accesses, f"{model} has no access rules")
            audit_access = accesses.filtered(
                lambda a, audit=audit: a.group_id in audit.trans_implied_ids | audit
            )
            self.assertTrue(any(a.perm_read for a in audit_access), model)
            self.assertFalse(
                any(
                    a.perm_write or a.perm_create or a.perm_unlink for a in audit_access
                ),
                f"the Audit Center may change {model}",
            )

    def test_translations_shipped(self):
        """Users work in Simplified Chinese: the module ships zh_CN terms."""
        self.assertTrue(self.env["res.lang"]._lang_get("zh_CN").active)
        menu = self.env.ref("order_process_addon.menu_root").with_context(lang="zh_CN")
        self.assertTrue(re.search(r"[\u4e00-\u9fff]", menu.name), menu.name)

    def test_zh_cn_translation_is_complete(self):
        """Every term of the .pot has a Simplified Chinese translation."""
        i18n = f"{get_module_path('order_process_addon')}/i18n"
        pot = polib.pofile(f"{i18n}/order_process_addon.pot")
        po = polib.pofile(f"{i18n}/zh_CN.po")
        translated = {e.msgid for e in po if e.translated()}
        missing = [e.msgid for e in pot if e.msgid not in translated]
        self.assertFalse(missing, f"untranslated in zh_CN.po: {missing}")
        self.assertGreater(len(pot), 50)
