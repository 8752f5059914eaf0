# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.vocabulary import ROLES
from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestAccessMatrix(OrderProcessCase):
    def test_r36_one_group_per_role_in_the_category(self):
        category = self.env.ref("order_process_addon.module_category_order_process")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        self.assertEqual(len(groups), 15)
        self.assertEqual(
            set(groups.get_external_id().values()),
            {f"order_process_addon.group_{role}" for role in ROLES},
        )

    def test_r36_every_role_reads_the_process(self):
        process_user = self.env.ref("order_process_addon.group_user")
        for role, user in self.users.items():
            self.assertTrue(user.has_group("order_process_addon.group_user"), role)
            self.assertIn(process_user, user.groups_id, role)

    @staticmethod
    def _form_spec(record, models):
        """What the web client reads to show the form, sub-lists included."""
        spec = {}
        for name in models[record._name]["fields"]:
            field = record._fields[name]
            if field.type in ("one2many", "many2many") and field.comodel_name in (
                models
            ):
                sub = record.env[field.comodel_name]
                spec[name] = {
                    "fields": {
                        f: {}
                        for f in models[field.comodel_name]["fields"]
                        if sub._fields[f].type not in ("one2many", "many2many")
                    }
                }
            elif field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def test_r36_every_role_opens_the_order_and_mo_forms(self):
        """Every role reads what Odoo's order and manufacturing forms show
        (optional products, components...), not only the process's fields:
        found by the D3 tour, where the material controller could not open
        the order."""
        # The sales person of the order (Odoo shows sales users their own).
        order = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(order)
        production = self.env["mrp.production"].create(
            {"product_id": self.product.id, "company_id": self.company.id}
        )
        for record in (order, production):
            for role, user in self.users.items():
                with self.subTest(role=role, model=record._name):
                    as_user = record.with_user(user)
                    views = as_user.get_views([(False, "form")])
                    spec = self._form_spec(record, views["models"])
                    # From the database, as the browser gets it: the cache
                    # of the records' creation would skip the access checks.
                    self.env.invalidate_all()
                    as_user.web_read(spec)

    def test_r36_pmc_manager_implies_the_pmc_department(self):
        manager = self.users["pmc_manager"]
        for role in ("pmc_planner", "pmc_material", "pmc_clerk", "fg_warehouse"):
            self.assertTrue(
                manager.has_group(f"order_process_addon.group_{role}"), role
            )
        # ... but no role of another department.
        for role in ("finance", "quality", "general_manager", "audit"):
            self.assertFalse(
                manager.has_group(f"order_process_addon.group_{role}"), role
            )
        self.assertFalse(
            self.users["pmc_planner"].has_group("order_process_addon.group_pmc_manager")
        )

    def test_r36_roles_get_the_odoo_rights_their_work_needs(self):
        expected = {
            "customer_mgmt": "sales_team.group_sale_salesman_all_leads",
            "sales": "sales_team.group_sale_salesman",
            "pmc_planner": "mrp.group_mrp_user",
            "production": "mrp.group_mrp_user",
            "purchasing": "purchase.group_purchase_user",
            "fg_warehouse": "stock.group_stock_user",
            "finance": "account.group_account_invoice",
        }
        for role, group in expected.items():
            self.assertTrue(self.users[role].has_group(group), f"{role} lacks {group}")

    def test_r36_admin_holds_every_role(self):
        admin = self.env.ref("base.user_admin")
        for role in ROLES:
            self.assertTrue(admin.has_group(f"order_process_addon.group_{role}"), role)

    def test_r36_audit_center_reads_everything_and_changes_nothing(self):
        order = self._create_order()
        audit = self.users["audit"]
        self.assertFalse(audit.has_group("sales_team.group_sale_salesman"))
        as_audit = order.with_user(audit)
        self.assertEqual(as_audit.name, order.name)
        self.assertEqual(as_audit.order_line.product_id, self.product)
        with self.assertRaises(AccessError):
            as_audit.write({"client_order_ref": "changed by audit"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(audit).create(
                {"partner_id": self.customer.id}
            )
        with self.assertRaises(AccessError):
            as_audit.unlink()
        self.assertFalse(order.client_order_ref)
        self.assertTrue(order.exists())

    def test_r36_audit_center_reads_invoices_read_only(self):
        audit = self.users["audit"]
        moves = self.env["account.move"].with_user(audit)
        moves.check_access("read")
        with self.assertRaises(AccessError):
            moves.check_access("write")

    def test_r36_customer_management_registers_orders(self):
        order = self._create_order(user=self.users["customer_mgmt"])
        self.assertTrue(order.op_active)
        self.assertEqual(order.create_uid, self.users["customer_mgmt"])

    def test_r36_quality_reads_but_cannot_create_orders(self):
        quality = self.users["quality"]
        order = self._create_order()
        self.assertEqual(order.with_user(quality).state, "draft")
        with self.assertRaises(AccessError):
            self._create_order(user=quality)

    def test_r36_only_settings_admins_switch_the_process(self):
        user = self.users["pmc_manager"]
        with self.assertRaises(AccessError):
            self.company.with_user(user).write({"op_enabled": False})
        self.assertTrue(self.company.op_enabled)

    def test_r36_plain_sales_user_reads_every_field_of_an_order(self):
        """Odoo's own flow keeps working for sales users outside the process:
        reading every field of an order (Odoo's sale TestAccessRights, an
        export) must not stop on the process's reviews or commitment changes,
        which only the process's users may read."""
        plain = new_test_user(
            self.env,
            login="op_plain_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(plain.has_group("order_process_addon.group_user"))
        order = self._new_order()
        values = order.with_user(plain).read()[0]
        self.assertEqual(values["name"], order.name)
        self.assertNotIn("op_review_ids", values)
        self.assertNotIn("op_commitment_change_ids", values)

    def test_r36_app_menu_visible_to_roles_only(self):
        root = self.env.ref("order_process_addon.menu_root")
        plain = new_test_user(
            self.env, login="op_plain_employee", groups="base.group_user"
        )
        for role, user in self.users.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(root.id, visible, role)
        visible = self.env["ir.ui.menu"].with_user(plain)._visible_menu_ids()
        self.assertNotIn(root.id, visible)
        settings_menu = self.env.ref("order_process_addon.res_config_settings_menu")
        visible = (
            self.env["ir.ui.menu"].with_user(self.users["audit"])._visible_menu_ids()
        )
        self.assertNotIn(settings_menu.id, visible)

    def test_r36_multi_company_orders_stay_in_their_company(self):
        other = self.env["res.company"].create(
            {"name": "Other Co.", "op_enabled": True}
        )
        foreign = self._create_order(company=other)
        for role in ("audit", "customer_mgmt", "pmc_manager"):
            user = self.users[role]
            found = (
                self.env["sale.order"].with_user(user).search([("id", "=", foreign.id)])
            )
            self.assertFalse(found, role)
            with self.assertRaises(AccessError):
                foreign.with_user(user).check_access("read")

    def test_r36_user_of_two_companies_sees_both(self):
        other = self.env["res.company"].create(
            {"name": "Sister Co.", "op_enabled": True}
        )
        user = self.users["audit"]
        user.company_ids = [Command.link(other.id)]
        foreign = self._create_order(company=other)
        found = (
            self.env["sale.order"]
            .with_user(user)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("id", "=", foreign.id)])
        )
        self.assertEqual(found, foreign)

    def test_r36_process_fields_cannot_be_written_directly(self):
        """A user with write access on sale orders cannot skip the steps by
        writing the process's own fields."""
        order = self._new_order()
        order.action_op_register()
        desk = order.with_user(self.users["customer_mgmt"])
        for vals in (
            {"op_state": "answered"},
            {"op_active": False},
            {"signed_by": "Forged", "signed_on": "2026-01-01 00:00:00"},
            {"op_gm_approved_by_id": self.users["customer_mgmt"].id},
            {"op_committed_date": "2031-01-01"},
            {"state": "sale"},
        ):
            with self.assertRaises(AccessError, msg=str(vals)):
                desk.write(vals)
        self.assertEqual(order.op_state, "review")
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.op_active)
        self.assertFalse(order.signed_by)

    def test_r36_an_order_cannot_be_created_past_the_process(self):
        env = self.env(user=self.users["customer_mgmt"])
        env = env(context=dict(env.context, allowed_company_ids=self.company.ids))
        for vals in ({"op_state": "effective"}, {"state": "sale"}):
            with self.assertRaises(AccessError, msg=str(vals)):
                env["sale.order"].create({"partner_id": self.customer.id, **vals})
        order = env["sale.order"].create(
            {"partner_id": self.customer.id, "op_active": False, "op_state": "draft"}
        )
        self.assertTrue(order.op_active)  # the company decides

    def test_r08_leaving_the_process_after_registration_is_impossible(self):
        self.company.op_scope = "teams"
        team_in = self.env["crm.team"].create(
            {"name": "Die-cut", "company_id": self.company.id, "op_enabled": True}
        )
        team_out = self.env["crm.team"].create(
            {"name": "Trading", "company_id": self.company.id}
        )
        order = self._new_order(team_id=team_in.id)
        order.action_op_register()
        desk = order.with_user(self.users["customer_mgmt"])
        with self.assertRaisesRegex(UserError, "can no longer change"):
            desk.write({"team_id": team_out.id})
        with self.assertRaises(AccessError):
            desk.write({"op_has_untried_product": False})
        with self.assertRaisesRegex(UserError, "signed"):
            desk.action_confirm()
        self.assertTrue(order.op_active)
        self.assertEqual(order.team_id, team_in)
        self.assertEqual(order.state, "draft")

    def test_r10_content_under_review_is_frozen(self):
        order = self._new_order()
        order.action_op_register()
        desk = order.with_user(self.users["customer_mgmt"])
        with self.assertRaisesRegex(UserError, "can no longer change"):
            desk.order_line.write({"product_uom_qty": 99})
        with self.assertRaisesRegex(UserError, "can no longer change"):
            desk.write({"op_urgency": "rush"})
        with self.assertRaisesRegex(UserError, "lines no longer change"):
            self.env["sale.order.line"].with_user(self.users["customer_mgmt"]).create(
                {"order_id": order.id, "product_id": self.product.id}
            )
        self.assertEqual(order.order_line.product_uom_qty, 10)
        self.assertEqual(len(order.order_line), 1)

    def test_r36_state_changes_only_through_actions(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        desk = order.with_user(self.users["customer_mgmt"])
        for vals in (
            {"state": "draft"},
            {"state": "cancel"},
            {"commitment_date": "2031-01-01"},
        ):
            with self.assertRaises(UserError, msg=str(vals)):
                desk.write(vals)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.op_state, "effective")

    def test_cancel_then_draft_starts_over(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        desk = order.with_user(self.users["customer_mgmt"])
        desk.action_op_cancel("The customer ordered again", "customer")
        self.assertEqual((order.state, order.op_state), ("cancel", "cancel"))
        desk.action_draft()
        self.assertEqual((order.state, order.op_state), ("draft", "draft"))
        self.assertFalse(order.op_signed_scan_id or order.op_first_committed_date)
        desk.action_op_register()
        self._answer(order)
        self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        self.assertEqual(order.op_review_round, 2)

    def test_orders_outside_the_process_are_created_as_in_odoo(self):
        plain = self.env["res.company"].create({"name": "Plain Co."})
        salesman = self.env["res.users"].create(
            {
                "name": "Plain Salesman",
                "login": "op_plain_salesman_2",
                "company_id": plain.id,
                "company_ids": [Command.set(plain.ids)],
                "groups_id": [
                    Command.set([self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        order = (
            self.env["sale.order"]
            .with_user(salesman)
            .with_company(plain)
            .create({"partner_id": self.customer.id, "signed_by": "Imported"})
        )
        self.assertFalse(order.op_active)
        self.assertEqual(order.signed_by, "Imported")
