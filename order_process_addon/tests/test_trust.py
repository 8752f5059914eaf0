# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 8: the paths around the process's guards found in review, each tried
as the role user would over RPC (through the ORM with the user's
environment, any values), each refused with nothing changed (R35-R37)."""

from contextlib import contextmanager
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_inbound_statistics import DAY
from .test_production_plan import PLAN_DAY
from .test_production_quality import QualityCase


@tagged("post_install", "-at_install")
class TestTrust(QualityCase):
    def _as(self, role, record_or_model):
        records = (
            self.env[record_or_model]
            if isinstance(record_or_model, str)
            else record_or_model
        )
        user = self.users[role]
        return records.with_user(user).with_context(
            allowed_company_ids=self.company.ids
        )

    @contextmanager
    def _refused(self, exception, pattern=None):
        """Refused, and rolled back as RPC would (Odoo's assertRaises)."""
        with self.assertRaises(exception) as caught:
            yield caught
        if pattern:
            self.assertRegex(str(caught.exception), pattern)

    def _count(self, model):
        return self.env[model].sudo().search_count([])

    # ------------------------------------------------------------ D4
    def test_r13_plan_created_already_approved_refused(self):
        before = self._count("order.production.plan")
        for forged in (
            {"state": "approved", "approved_by_id": self.users["pmc_manager"].id},
            {"state": "released"},
            {"submitted_by_id": self.users["pmc_manager"].id},
            {"approved_on": datetime(2026, 10, 11, 20, 0)},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._as("pmc_planner", "order.production.plan").create(
                    {"plan_date": PLAN_DAY, "company_id": self.company.id, **forged}
                )
        self.assertEqual(self._count("order.production.plan"), before)

    def test_r13_forged_submitter_cannot_let_a_manager_approve_own_plan(self):
        production = self._production(self._effective_order())
        plan = self._plan(production)
        manager = self.users["pmc_manager"]
        with self.assertRaises(AccessError):
            self._as("pmc_planner", plan).write({"submitted_by_id": manager.id})
        # A PMC manager holds the planner's role: submitting and approving
        # one's own plan is refused (segregation of duties).
        self._as("pmc_manager", plan).action_submit()
        with self._refused(UserError, "submitted by you"):
            self._as("pmc_manager", plan).action_approve()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(plan.submitted_by_id, manager)

    def test_r13_mo_added_to_an_approved_plan_refused(self):
        order = self._effective_order()
        plan = self._plan(self._production(order))
        plan.action_submit()
        self._as("pmc_manager", plan).action_approve()
        late = self._production(order)
        with self._refused(UserError, "can no longer change"):
            self._as("pmc_planner", plan).write(
                {"production_ids": [Command.link(late.id)]}
            )
        with self._refused(UserError, "can no longer change"):
            self._as("pmc_planner", plan).write({"production_ids": [Command.clear()]})
        self.assertFalse(late.op_plan_id)
        self.assertEqual(len(plan.production_ids), 1)

    def test_r14_mo_plan_link_and_rush_fields_are_the_process(self):
        order = self._effective_order()
        plan = self._plan(self._production(order))
        other = self._production(order)
        for role in ("production", "pmc_planner", "pmc_manager"):
            for forged in (
                {"op_plan_id": plan.id},
                {"op_inserted_by_id": self.users["pmc_manager"].id},
                {"op_inserted_on": datetime(2026, 10, 12, 1, 0)},
            ):
                with self.subTest(role=role, forged=forged):
                    with self.assertRaises(AccessError):
                        self._as(role, other).write(forged)
        self.assertFalse(other.op_plan_id or other.op_inserted_by_id)
        before = self._count("mrp.production")
        with self.assertRaises(AccessError):
            self._as("pmc_planner", "mrp.production").create(
                {
                    "product_id": self.product.id,
                    "bom_id": self.bom.id,
                    "op_plan_id": plan.id,
                    "op_inserted_by_id": self.users["pmc_manager"].id,
                }
            )
        self.assertEqual(self._count("mrp.production"), before)

    def test_r12_plan_takes_mos_of_its_company_only(self):
        other_company = self.env["res.company"].create({"name": "Other Co."})
        foreign = self.env["mrp.production"].create(
            {"product_id": self.product.id, "company_id": other_company.id}
        )
        plan = self._plan(self._production(self._effective_order()))
        with self._refused(UserError, "another company|Uh-oh"):
            self._as("pmc_planner", plan).write(
                {"production_ids": [Command.link(foreign.id)]}
            )
        self.assertFalse(foreign.op_plan_id)

    # ------------------------------------------------ D5 D6, final test
    def test_r16_final_test_created_signed_refused(self):
        production = self._released_production()
        before = self._count("order.final.test")
        for forged in (
            {"state": "signed"},
            {"signed_by_id": self.users["quality"].id},
            {"signed_on": datetime(2026, 10, 12, 3, 0)},
            {"tester_id": self.users["pmc_manager"].id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._as("quality", "order.final.test").create(
                    {"production_id": production.id, "result": "pass", **forged}
                )
        self.assertEqual(self._count("order.final.test"), before)
        self.assertEqual(production.op_test_result, "none")

    def test_r16_signed_final_test_is_frozen(self):
        production = self._released_production()
        test = self._test(production, "fail")
        with self._refused(UserError, "can no longer change"):
            self._as("quality", test).write({"result": "pass"})
        with self.assertRaises(AccessError):
            self._as("quality", test).write({"state": "draft"})
        with self._refused(UserError, "do not change afterwards"):
            self._as("quality", test).write({"production_id": production.id})
        self.assertEqual((test.state, test.result), ("signed", "fail"))

    def test_r15_inspection_created_voided_or_for_someone_else_refused(self):
        production = self._released_production()
        before = self._count("order.inspection")
        for forged in (
            {"state": "voided", "void_reason": "x"},
            {"inspector_id": self.users["pmc_manager"].id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._inspect(production, "quality", "patrol", **forged)
        self.assertEqual(self._count("order.inspection"), before)
        inspection = self._inspect(production, "quality", "patrol")
        self.assertEqual(inspection.inspector_id, self.users["quality"])
        with self._refused(UserError, "can no longer change"):
            self._as("quality", inspection).write({"result": "fail"})

    def test_r36_inspection_and_test_for_another_companys_mo_refused(self):
        other_company = self.env["res.company"].create({"name": "Other Co."})
        foreign = self.env["mrp.production"].create(
            {"product_id": self.product.id, "company_id": other_company.id}
        )
        before = (self._count("order.final.test"), self._count("order.inspection"))
        with self.assertRaises(AccessError):
            self._as("quality", "order.final.test").create(
                {"production_id": foreign.id, "result": "pass"}
            )
        with self.assertRaises(AccessError):
            self._inspect(foreign, "quality", "patrol")
        self.assertEqual(
            (self._count("order.final.test"), self._count("order.inspection")),
            before,
        )

    # ------------------------------------------------------------ the order
    def test_r08_effective_order_cannot_be_set_back_to_quotation(self):
        order = self._effective_order()
        for role in ("customer_mgmt", "sales"):
            for state in ("sent", "draft", "cancel"):
                with self.subTest(role=role, state=state):
                    with self.assertRaises(AccessError):
                        self._as(role, order).write({"state": state})
        self.assertEqual((order.state, order.op_state), ("sale", "effective"))

    def test_r08_signed_content_does_not_change(self):
        """Decision (docs/TRUST.md): after the signature an order's content
        (customer, lines, prices, terms) does not change at all; a change is
        a new order, or the order is cancelled with a reason and registered
        again. Only the committed date moves, through its own step."""
        order = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(order)
        line = order.order_line[:1]
        other_customer = self.env["res.partner"].create({"name": "Other Ltd."})
        snapshot = (
            order.partner_id,
            line.product_uom_qty,
            line.price_unit,
            len(order.order_line),
        )
        for role in ("customer_mgmt", "sales"):
            with self.subTest(role=role):
                with self._refused(UserError, "can no longer change"):
                    self._as(role, line).write({"product_uom_qty": 99})
                with self._refused(UserError, "can no longer change"):
                    self._as(role, line).write({"price_unit": 0.01})
                with self._refused(UserError, "can no longer change"):
                    self._as(role, order).write({"partner_id": other_customer.id})
                with self._refused(UserError, "can no longer change"):
                    self._as(role, order).write(
                        {"order_line": [Command.update(line.id, {"discount": 50})]}
                    )
                with self._refused(UserError, "lines no longer change"):
                    self._as(role, "sale.order.line").create(
                        {
                            "order_id": order.id,
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                        }
                    )
                with self._refused(UserError, "never deleted|can't remove"):
                    self._as(role, line).unlink()
                with self._refused(UserError, "can no longer change"):
                    self._as(role, order).write(
                        {"commitment_date": datetime(2027, 1, 1)}
                    )
        self.assertEqual(
            (
                order.partner_id,
                line.product_uom_qty,
                line.price_unit,
                len(order.order_line),
            ),
            snapshot,
        )

    def test_r24_effective_order_is_cancelled_only_as_a_step_with_reason(self):
        order = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(order)
        for role in ("customer_mgmt", "sales", "pmc_manager"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                # Odoo's cancel, through its wizard or without it.
                self._as(role, order).with_context(
                    disable_cancel_warning=True
                ).action_cancel()
            with self.subTest(role=role), self.assertRaises(AccessError):
                self._as(role, "sale.order.cancel").create(
                    {"order_id": order.id}
                ).action_cancel()
        with self.assertRaises(AccessError):
            self._as("sales", order).action_op_cancel("Customer withdrew", "customer")
        with self._refused(UserError, "reason of the cancellation"):
            self._as("customer_mgmt", order).action_op_cancel("  ", "customer")
        with self.assertRaises(AccessError):
            self._as("customer_mgmt", order).write(
                {"op_cancel_reason": "forged", "op_cancel_department": "customer"}
            )
        self.assertEqual((order.state, order.op_state), ("sale", "effective"))
        self.assertFalse(order.op_cancel_reason)
        self._as("customer_mgmt", order).action_op_cancel(
            "Customer withdrew the order", "customer"
        )
        self.assertEqual((order.state, order.op_state), ("cancel", "cancel"))
        self.assertEqual(order.op_cancel_department, "customer")
        self.assertEqual(order.op_cancelled_by_id, self.users["customer_mgmt"])
        self.assertTrue(
            any(
                "Customer withdrew" in body for body in order.message_ids.mapped("body")
            )
        )

    def test_r24_cancel_wizard_asks_the_reason_and_the_department(self):
        order = self._effective_order()
        action = self._as("customer_mgmt", order).action_op_open_cancel_wizard()
        wizard = (
            self._as("customer_mgmt", "order.reason.wizard")
            .with_context(**action["context"])
            .create({"reason": "Plant fire at the customer", "department": "customer"})
        )
        self.assertTrue(wizard.needs_department)
        wizard.action_confirm()
        self.assertEqual(order.op_state, "cancel")
        self.assertEqual(order.op_cancel_reason, "Plant fire at the customer")

    def test_r36_signed_outside_the_process_cannot_enter_it(self):
        self.company.op_scope = "teams"
        inside = self.env["crm.team"].create(
            {"name": "Process team", "company_id": self.company.id, "op_enabled": True}
        )
        outside = self.env["crm.team"].create(
            {"name": "Other team", "company_id": self.company.id}
        )
        order = self._new_order(team_id=outside.id)
        self.assertFalse(order.op_active)
        # Outside the process Odoo's own flow applies: a signature may be set.
        self._as("customer_mgmt", order).write(
            {"signed_by": "Forger", "signed_on": datetime(2026, 10, 1)}
        )
        with self._refused(UserError, "cannot enter the Order Process"):
            self._as("customer_mgmt", order).write({"team_id": inside.id})
        self.assertEqual(order.team_id, outside)
        self.assertFalse(order.op_active)

    def test_r36_order_created_without_team_cannot_bring_a_signature(self):
        self.company.op_scope = "teams"
        team = self.env["crm.team"].create(
            {
                "name": "Process team",
                "company_id": self.company.id,
                "op_enabled": True,
                "member_ids": [Command.link(self.users["customer_mgmt"].id)],
            }
        )
        before = self._count("sale.order")
        with self.assertRaises(AccessError):
            self._new_order(signed_by="Forger", signed_on=datetime(2026, 10, 1))
        with self.assertRaises(AccessError):
            self._new_order(op_state="effective")
        self.assertEqual(self._count("sale.order"), before)
        order = self._new_order()
        self.assertEqual(order.team_id, team)
        self.assertTrue(order.op_active)

    # ------------------------------------------------------------ D9, RFQ
    def test_r18_d9_submitted_and_signed_by_one_manager_refused(self):
        self._signed_receipt()
        stats = self.env["order.inbound.statistics"]._op_build(self.company, DAY)
        manager = self.users["pmc_manager"]
        self._as("pmc_manager", stats).action_submit()
        with self._refused(UserError, "submitted by you"):
            self._as("pmc_manager", stats).action_sign()
        self.assertEqual(stats.state, "submitted")
        self.assertEqual(stats.submitted_by_id, manager)
        with self.assertRaises(AccessError):
            self._as("pmc_manager", stats).write({"submitted_by_id": False})
        stats.with_user(self._approver()).action_sign()
        self.assertEqual(stats.state, "signed")

    def test_r11_rfq_created_with_a_plan_link_refused(self):
        vendor = self.env["res.partner"].create({"name": "Vendor"})
        order = self._effective_order()
        d3 = self._as("pmc_material", "order.material.plan").create(
            {"sale_order_id": order.id}
        )
        before = self._count("purchase.order")
        with self.assertRaises(AccessError):
            self._as("purchasing", "purchase.order").create(
                {"partner_id": vendor.id, "op_material_plan_id": d3.id}
            )
        self.assertEqual(self._count("purchase.order"), before)
        self.assertFalse(d3.purchase_order_ids)

    def test_r11_d3_process_fields_refused_on_create_and_write(self):
        order = self._effective_order()
        before = self._count("order.material.plan")
        for forged in (
            {"state": "approved"},
            {"approved_by_id": self.users["pmc_manager"].id},
            {"company_id": self.env.company.id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._as("pmc_material", "order.material.plan").create(
                    {"sale_order_id": order.id, **forged}
                )
        self.assertEqual(self._count("order.material.plan"), before)
        d3 = self._as("pmc_material", "order.material.plan").create(
            {"sale_order_id": order.id}
        )
        with self._refused(UserError, "do not change afterwards"):
            self._as("pmc_material", d3).write(
                {"sale_order_id": self._effective_order().id}
            )
        self.assertEqual(d3.sale_order_id, order)

    # ------------------------------------------------------------ deliveries
    def test_r23_delivery_process_fields_refused_on_create_and_write(self):
        """The warehouse creates and edits deliveries as in Odoo; whether one
        ships through the process, its shipping step and ship date are the
        process's (R23-R27), never typed, on create as on write."""
        picking_type = self.env["stock.picking.type"].search(
            [("code", "=", "outgoing"), ("company_id", "=", self.company.id)],
            limit=1,
        )
        base = {
            "picking_type_id": picking_type.id,
            "partner_id": self.customer.id,
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
        }
        before = self._count("stock.picking")
        for forged in (
            {"op_process_delivery": True},
            {"op_shipping_step": "ready"},
            {"op_ship_date": "2026-12-01"},
            {"op_d10_deadline": "2030-12-01 00:00:00"},
            {"op_d10_escalated": True},
        ):
            with self.subTest(forged=forged), self._refused(AccessError, "never by"):
                self._as("fg_warehouse", "stock.picking").create({**base, **forged})
        self.assertEqual(self._count("stock.picking"), before)
        # Without them, Odoo's own delivery: no process step.
        picking = self._as("fg_warehouse", "stock.picking").create(base)
        self.assertFalse(picking.op_process_delivery)
        self.assertFalse(picking.op_shipping_step)
        # A process delivery's step is not written either.
        delivery = self._effective_order().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        self.assertTrue(delivery.op_process_delivery)
        step = delivery.op_shipping_step
        for forged in (
            {"op_shipping_step": "ready"},
            {"op_process_delivery": False},
            {"op_ship_date": "2026-12-01"},
            {"op_d10_deadline": "2030-12-01 00:00:00"},
            {"op_d10_escalated": True},
        ):
            with self.subTest(forged=forged), self._refused(AccessError, "never by"):
                self._as("fg_warehouse", delivery).write(forged)
        self.assertEqual(delivery.op_shipping_step, step)
        self.assertTrue(delivery.op_process_delivery)
        self.assertFalse(delivery.op_ship_date)
        self.assertFalse(delivery.op_d10_escalated)

    # ------------------------------------------------------------ reviews
    def test_r37_registrar_and_sales_person_do_not_decide_finance(self):
        """A user holding two roles is the test case (R37)."""
        both = self.users["customer_mgmt"]
        both.groups_id = [
            Command.link(self.env.ref("order_process_addon.group_finance").id)
        ]
        order = self._new_order(user_id=self.users["sales"].id)
        order.with_user(both).action_op_register()
        finance = self._review(order, "finance")
        with self._refused(UserError, "someone else decides"):
            finance.with_user(both).action_approve()
        self.assertEqual(finance.state, "pending")
        # The sales person of the order, given the Finance role, neither.
        sales = self.users["sales"]
        sales.groups_id = [
            Command.link(self.env.ref("order_process_addon.group_finance").id)
        ]
        with self._refused(UserError, "someone else decides"):
            finance.with_user(sales).action_approve()
        # Quality's step has no such rule: the registrar may hold it.
        both.groups_id = [
            Command.link(self.env.ref("order_process_addon.group_quality").id)
        ]
        self._review(order, "quality").with_user(both).action_approve()
        finance.with_user(self.users["finance"]).action_approve()
        self.assertEqual(finance.state, "approved")

    def test_r35_reviews_and_commitment_changes_are_written_by_steps_only(self):
        order = self._answered_order()
        review = order.op_review_ids[:1]
        with self.assertRaises(AccessError):
            self._as("pmc_planner", review).write({"state": "approved"})
        self._as("pmc_planner", order)._op_change_committed_date(
            date(2099, 1, 5), "Material late", "purchasing"
        )
        change = order.op_commitment_change_ids
        with self._refused(AccessError):
            self._as("pmc_planner", change).unlink()
        # Not even the superuser deletes it (Odoo's ondelete idiom).
        with self._refused(UserError, "never deleted"):
            change.sudo().unlink()
        self.assertTrue(change.exists())
