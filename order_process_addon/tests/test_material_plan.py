# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_production_plan import ProductionCase


@tagged("post_install", "-at_install")
class TestMaterialPlan(ProductionCase):
    """D3: the material requirements plan, drafted by the PMC material
    controller from Odoo's BoMs, forecast and procurement, approved by the
    PMC manager before any RFQ reaches Purchasing (R11, R13)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Foam Supplier Co."})
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.vendor.id,
                "product_tmpl_id": cls.component.product_tmpl_id.id,
                "price": 1.5,
                "company_id": cls.company.id,
            }
        )
        cls.oem = cls.env["product.product"].create(
            {"name": "Bought-in shield can", "is_storable": True, "op_is_oem": True}
        )
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.vendor.id,
                "product_tmpl_id": cls.oem.product_tmpl_id.id,
                "price": 3.0,
                "company_id": cls.company.id,
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        # 3 units of foam on hand.
        cls.env["stock.quant"]._update_available_quantity(
            cls.component, cls.warehouse.lot_stock_id, 3
        )

    def _effective_order_with_oem(self):
        order = self._answered_order(
            order_line=[
                Command.create({"product_id": self.product.id, "product_uom_qty": 10}),
                Command.create({"product_id": self.oem.id, "product_uom_qty": 4}),
            ]
        )
        self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        return order

    def _d3(self, order):
        action = order.with_user(self.users["pmc_material"]).action_op_material_plan()
        return self.env["order.material.plan"].browse(action["res_id"])

    def _purchases(self, order):
        return self.env["purchase.order"].search([("company_id", "=", self.company.id)])

    def test_r11_d3_is_drafted_from_boms_and_forecast(self):
        order = self._effective_order_with_oem()
        plan = self._d3(order)
        self.assertTrue(plan.name.startswith("D3/"))
        self.assertEqual(plan.state, "draft")
        lines = {line.product_id: line for line in plan.line_ids}
        foam = lines[self.component]
        self.assertEqual(foam.source, "component")
        self.assertEqual(foam.qty_required, 10)
        self.assertEqual(foam.qty_available, 3)
        self.assertEqual(foam.qty_to_order, 7)
        self.assertEqual(foam.vendor_id, self.vendor)
        shield = lines[self.oem]
        self.assertEqual(shield.source, "oem")
        # The order's own delivery is in the forecast: it is not counted twice.
        self.assertEqual(shield.qty_required, 4)
        self.assertEqual(shield.qty_to_order, 4)
        # The product made here is not bought.
        self.assertNotIn(self.product, lines)
        # Nothing is purchased before the PMC manager approves (R13).
        self.assertFalse(self._purchases(order))
        self.assertEqual(order.op_material_plan_count, 1)

    def test_r13_approved_d3_creates_the_rfqs_through_procurement(self):
        order = self._effective_order_with_oem()
        plan = self._d3(order)
        plan.line_ids.filtered(lambda line: line.product_id == self.component).write(
            {"qty_to_order": 8}
        )
        plan.with_user(self.users["pmc_material"]).action_submit()
        self.assertEqual(plan.state, "submitted")
        self.assertFalse(self._purchases(order))
        plan.with_user(self.users["pmc_manager"]).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.users["pmc_manager"])
        rfq = plan.purchase_order_ids
        self.assertEqual(len(rfq), 1, "one RFQ per vendor")
        self.assertEqual(rfq.state, "draft")
        self.assertEqual(rfq.partner_id, self.vendor)
        self.assertIn(plan.name, rfq.origin)
        qty = {line.product_id: line.product_qty for line in rfq.order_line}
        self.assertEqual(qty, {self.component: 8, self.oem: 4})
        self.assertTrue(all(plan.line_ids.mapped("purchase_line_id")))
        self.assertEqual(
            rfq.activity_ids.user_id, self.users["purchasing"], "Purchasing is told"
        )
        # Purchasing confirms the released RFQ as in Odoo.
        rfq.with_user(self.users["purchasing"]).button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_r11_rfq_prepared_by_odoo_waits_for_d3(self):
        """An RFQ Odoo's procurement prepared for the order (here made as a
        make-to-order Buy would) cannot be sent nor confirmed before D3."""
        order = self._effective_order_with_oem()
        oem_line = order.order_line.filtered(lambda line: line.product_id == self.oem)
        rfq = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.oem.id,
                            "product_qty": 4,
                            "sale_line_id": oem_line.id,
                        }
                    )
                ],
            }
        )
        buyer = rfq.with_user(self.users["purchasing"])
        with self.assertRaisesRegex(UserError, "material requirements plan"):
            buyer.button_confirm()
        with self.assertRaisesRegex(UserError, "material requirements plan"):
            buyer.action_rfq_send()
        self.assertEqual(rfq.state, "draft")
        plan = self._d3(order)
        shield = plan.line_ids.filtered(lambda line: line.product_id == self.oem)
        self.assertEqual(shield.qty_on_rfq, 4)
        self.assertEqual(shield.qty_to_order, 0, "already on the prepared RFQ")
        plan.with_user(self.users["pmc_material"]).action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        self.assertEqual(rfq.op_material_plan_id, plan, "released to Purchasing")
        buyer.button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_r13_d3_refusals_change_nothing(self):
        order = self._effective_order_with_oem()
        with self.assertRaises(AccessError):
            order.with_user(self.users["sales"]).action_op_material_plan()
        with self.assertRaises(AccessError):
            self.env["order.material.plan"].with_user(self.users["purchasing"]).create(
                {"sale_order_id": order.id}
            )
        unsigned = self._answered_order()
        with self.assertRaisesRegex(UserError, "effective order"):
            self.env["order.material.plan"].with_user(
                self.users["pmc_material"]
            ).create({"sale_order_id": unsigned.id})
        plan = self._d3(order)
        foam = plan.line_ids.filtered(lambda line: line.product_id == self.component)
        with self.assertRaises(ValidationError), self.cr.savepoint():
            foam.with_user(self.users["pmc_material"]).qty_to_order = -1
        foam.invalidate_recordset()
        self.assertEqual(foam.qty_to_order, 7)
        with self.assertRaisesRegex(UserError, "submitted"):
            plan.with_user(self.users["pmc_manager"]).action_approve()
        # A PMC manager holds the material controller's role too: the one who
        # submits does not approve.
        plan.with_user(self.users["pmc_manager"]).action_submit()
        with self.assertRaisesRegex(UserError, "submitted by you"):
            plan.with_user(self.users["pmc_manager"]).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.users["pmc_material"]).action_approve()
        with self.assertRaisesRegex(UserError, "can no longer change"):
            foam.with_user(self.users["pmc_material"]).qty_to_order = 99
        with self.assertRaises(AccessError):
            plan.with_user(self.users["pmc_material"]).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            plan.sudo().unlink()
        self.assertEqual(plan.state, "submitted")
        self.assertEqual(foam.qty_to_order, 7)
        self.assertFalse(self._purchases(order))

    def test_r35_voided_d3_cancels_its_rfqs(self):
        order = self._effective_order_with_oem()
        plan = self._d3(order)
        plan.with_user(self.users["pmc_material"]).action_submit()
        approver = self._approver()
        approver.email = "second.manager@example.com"
        plan.with_user(approver).action_approve()
        rfq = plan.purchase_order_ids
        with self.assertRaisesRegex(UserError, "reason"):
            plan.with_user(self.users["pmc_manager"]).action_void("")
        plan.with_user(self.users["pmc_manager"]).action_void("Customer changed BoM")
        self.assertEqual(plan.state, "voided")
        self.assertEqual(rfq.state, "cancel")
        self.assertTrue(plan.exists())
        # A new D3 can then be written for the order.
        self.assertNotEqual(self._d3(order), plan)

    def test_purchases_outside_the_process_are_unchanged(self):
        other = self.env["res.company"].create({"name": "Plain Co."})
        rfq = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": other.id,
                "order_line": [
                    Command.create({"product_id": self.oem.id, "product_qty": 1})
                ],
            }
        )
        rfq.button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def _approved_d3(self, order):
        plan = self._d3(order)
        plan.with_user(self.users["pmc_material"]).action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        return plan

    def _rfq_for(self, *order_lines):
        return self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "company_id": self.company.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "product_qty": line.product_uom_qty,
                            "sale_line_id": line.id,
                        }
                    )
                    for line in order_lines
                ],
            }
        )

    def test_r36_d3_process_fields_are_not_written(self):
        order = self._effective_order_with_oem()
        material = self.env["order.material.plan"].with_user(self.users["pmc_material"])
        with self.assertRaisesRegex(
            UserError, "never by direct writing|do not change afterwards"
        ):
            material.create({"sale_order_id": order.id, "state": "approved"})
        plan = self._d3(order)
        with self.assertRaisesRegex(UserError, "already has a material"):
            material.create({"sale_order_id": order.id})
        other = self._effective_order_with_oem()
        for vals in (
            {"state": "approved"},
            {"approved_by_id": self.users["pmc_manager"].id},
            {"sale_order_id": other.id},
        ):
            with self.assertRaisesRegex(
                UserError, "never by direct writing|do not change afterwards"
            ):
                plan.with_user(self.users["pmc_material"]).write(vals)
        line = plan.line_ids[:1]
        for vals in (
            {"product_id": self.oem.id},
            {"qty_required": 0},
            {"plan_id": self._d3(other).id},
        ):
            with self.assertRaisesRegex(UserError, "never by direct writing"):
                line.with_user(self.users["pmc_material"]).write(vals)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.sale_order_id, order)
        self.assertEqual(line.plan_id, plan)

    def test_r13_rfq_gate_cannot_be_bypassed(self):
        order = self._effective_order_with_oem()
        rfq = self._rfq_for(
            order.order_line.filtered(lambda line: line.product_id == self.oem)
        )
        approved_elsewhere = self._approved_d3(self._effective_order_with_oem())
        buyer = rfq.with_user(self.users["purchasing"])
        with self.assertRaisesRegex(UserError, "never by direct writing"):
            buyer.write({"op_material_plan_id": approved_elsewhere.id})
        with self.assertRaisesRegex(UserError, "material requirements plan"):
            buyer.button_approve()
        with self.assertRaisesRegex(UserError, "material requirements plan"):
            buyer.print_quotation()
        self.assertEqual(rfq.state, "draft")
        self.assertFalse(rfq.picking_ids)

    def test_r11_rfq_shared_by_two_orders_waits_for_both_d3(self):
        first = self._effective_order_with_oem()
        second = self._effective_order_with_oem()

        def oem_line(order):
            return order.order_line.filtered(lambda line: line.product_id == self.oem)

        rfq = self._rfq_for(oem_line(first), oem_line(second))
        plan = self._d3(first)
        shield = plan.line_ids.filtered(lambda line: line.product_id == self.oem)
        self.assertEqual(shield.qty_on_rfq, 4, "only the first order's line")
        plan.with_user(self.users["pmc_material"]).action_submit()
        plan.with_user(self.users["pmc_manager"]).action_approve()
        with self.assertRaisesRegex(UserError, second.name):
            rfq.with_user(self.users["purchasing"]).button_confirm()
        self._approved_d3(second)
        rfq.with_user(self.users["purchasing"]).button_confirm()
        self.assertEqual(rfq.state, "purchase")

    def test_r11_d3_goes_down_through_sub_assemblies_and_kits(self):
        sheet = self.env["product.product"].create(
            {"name": "Raw PET sheet", "is_storable": True}
        )
        sub = self.env["product.product"].create(
            {"name": "Laminated sub-assembly", "is_storable": True}
        )
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": sub.product_tmpl_id.id,
                "company_id": self.company.id,
                "bom_line_ids": [
                    Command.create({"product_id": sheet.id, "product_qty": 2})
                ],
            }
        )
        kit = self.env["product.product"].create({"name": "Gasket kit"})
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": kit.product_tmpl_id.id,
                "company_id": self.company.id,
                "type": "phantom",
                "bom_line_ids": [
                    Command.create({"product_id": sub.id, "product_qty": 1}),
                    Command.create({"product_id": self.oem.id, "product_qty": 3}),
                ],
            }
        )
        order = self._answered_order(
            order_line=[Command.create({"product_id": kit.id, "product_uom_qty": 5})]
        )
        self._sign_with_scan(order)
        demand, source = self._d3(order)._op_order_demand()
        self.assertEqual(dict(demand), {sheet: 10, self.oem: 15})
        self.assertEqual(source, {sheet: "component", self.oem: "component"})

    def test_r11_vendor_without_price_is_refused_and_nothing_is_created(self):
        order = self._effective_order_with_oem()
        plan = self._d3(order)
        newcomer = self.env["res.partner"].create({"name": "New vendor"})
        plan.line_ids.with_user(self.users["pmc_material"]).write(
            {"vendor_id": newcomer.id}
        )
        sellers = self.env["product.supplierinfo"].search_count([])
        with self.assertRaisesRegex(UserError, "has no price"):
            plan.with_user(self.users["pmc_material"]).action_submit()
        self.assertEqual(plan.state, "draft")
        self.assertEqual(self.env["product.supplierinfo"].search_count([]), sellers)

    def test_r35_void_through_the_reason_dialog(self):
        order = self._effective_order_with_oem()
        plan = self._approved_d3(order)
        action = plan.with_user(self.users["pmc_material"]).action_open_void()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["pmc_material"])
            .with_context(**action["context"])
            .create({"reason": "Wrong BoM"})
        )
        # An approved plan is voided by the PMC manager.
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(plan.state, "approved")
        wizard.with_user(self.users["pmc_manager"]).action_confirm()
        self.assertEqual(plan.state, "voided")
        self.assertEqual(plan.void_reason, "Wrong BoM")
