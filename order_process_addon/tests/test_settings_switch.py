# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestProcessSwitch(OrderProcessCase):
    """The process only applies where it is enabled (per company, narrowed
    to selected sales teams); elsewhere Odoo's flow is untouched."""

    def test_order_in_a_company_without_the_process_follows_odoo(self):
        plain = self.env["res.company"].create({"name": "Plain Co."})
        self.assertFalse(plain.op_enabled)
        order = self._create_order(company=plain)
        self.assertFalse(order.op_active)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_order_in_a_company_with_the_process_follows_it(self):
        order = self._create_order()
        self.assertTrue(order.op_active)
        self.assertIn(order, self.env["sale.order"].search([("op_active", "=", True)]))

    def test_scope_selected_sales_teams(self):
        self.company.op_scope = "teams"
        team_in = self.env["crm.team"].create(
            {"name": "Die-cut team", "company_id": self.company.id, "op_enabled": True}
        )
        team_out = self.env["crm.team"].create(
            {"name": "Trading team", "company_id": self.company.id}
        )
        self.assertTrue(self._create_order(team_id=team_in.id).op_active)
        self.assertFalse(self._create_order(team_id=team_out.id).op_active)
        moved = self._create_order(team_id=team_out.id)
        moved.team_id = team_in
        self.assertTrue(moved.op_active)

    def test_switching_off_keeps_orders_already_in_the_process(self):
        order = self._create_order()
        self.company.op_enabled = False
        self.assertTrue(order.op_active)
        self.assertFalse(self._create_order().op_active)

    def test_settings_form_writes_the_company(self):
        settings = Form(self.env["res.config.settings"].with_company(self.company))
        settings.op_scope = "teams"
        settings.op_review_days = 2
        settings.op_plan_release_time = 8.0
        settings.save().execute()
        self.assertEqual(self.company.op_scope, "teams")
        self.assertEqual(self.company.op_review_days, 2)
        self.assertEqual(self.company.op_plan_release_time, 8.0)

    def test_r37_invalid_deadline_setting_refused(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.CheckViolation),
        ):
            with self.env.cr.savepoint():
                self.company.write({"op_review_days": 0})
                self.company.flush_recordset()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.op_review_days, 1.0)

    def test_defaults_match_the_procedure(self):
        company = self.env["res.company"].create({"name": "Fresh Co."})
        self.assertEqual(company.op_review_days, 1.0)  # R4
        self.assertEqual(company.op_rush_review_hours, 2.0)  # R6
        self.assertAlmostEqual(company.op_plan_release_time, 7 + 50 / 60)  # R13
        self.assertEqual(company.op_shipment_stats_time, 9.0)  # R28

    def test_users_without_a_role_keep_odoo_sale_form(self):
        """Odoo's own users (no process role) open and save the sale order
        form as without the addon."""
        salesman = self.env["res.users"].create(
            {
                "name": "Plain Salesman",
                "login": "op_plain_salesman",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
            }
        )
        with Form(self.env["sale.order"].with_user(salesman)) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.product
        self.assertFalse(form.record.op_active)
        form.record.action_confirm()
        self.assertEqual(form.record.state, "sale")
