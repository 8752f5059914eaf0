# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The needs of a material plan (D3, R12): what the order's products need,
from their bills of materials, against the stock and what is already
coming (the forecast), as the plan's requirement lines and the RFQ lines
prepared for purchasing."""

from collections import defaultdict

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .elevation import as_process, process_write, read_across


class OrderMaterialPlan(models.Model):
    _inherit = "order.material.plan"

    # ------------------------------------------------------------ needs
    def _op_order_demand(self):
        """Quantities the order still needs, in each product's unit: its OEM
        products as sold, and the components of its manufactured products
        through Odoo's own BoM explosion (kits included), down through the
        sub-assemblies made here."""
        self.ensure_one()
        order = read_across(self.sale_order_id)
        demand = defaultdict(float)
        source = {}
        boms = read_across(self.env["mrp.bom"])
        company_id = self.company_id.id

        def add(product, qty, depth=0):
            if product.type != "consu" or qty <= 0:
                return
            bom = boms._bom_find(product, company_id=company_id)[product]
            if depth == 0 and (product.op_is_oem or not bom):
                # Sold as bought in (OEM), or from stock as it is.
                if product.op_is_oem:
                    demand[product] += qty
                    source.setdefault(product, "oem")
                return
            if depth and (not bom or depth > 10):
                demand[product] += qty
                source.setdefault(product, "component")
                return
            factor = (
                product.uom_id._compute_quantity(qty, bom.product_uom_id)
                / bom.product_qty
            )
            _boms, exploded = bom.explode(product, factor)
            for bom_line, data in exploded:
                component = bom_line.product_id
                add(
                    component,
                    bom_line.product_uom_id._compute_quantity(
                        data["qty"], component.uom_id
                    ),
                    depth + 1,
                )

        for line in order.order_line.filtered(lambda line: not line.display_type):
            product = line.product_id
            remaining = line.product_uom_qty - line.qty_delivered
            add(product, line.product_uom._compute_quantity(remaining, product.uom_id))
        return demand, source

    def _op_demand_in_forecast(self, products):
        """The order's own demand the forecast already counts: its open
        deliveries and the components of its open manufacturing orders."""
        self.ensure_one()
        order = self.sale_order_id
        moves = read_across(self.env["stock.move"])
        open_states = ("done", "cancel")
        domain_out = [
            ("sale_line_id.order_id", "=", order.id),
            ("state", "not in", open_states),
            ("location_dest_id.usage", "=", "customer"),
        ]
        domain_raw = [
            ("raw_material_production_id.procurement_group_id.sale_id", "=", order.id),
            ("state", "not in", open_states),
        ]
        counted = defaultdict(float)
        for domain in (domain_out, domain_raw):
            for product, qty in moves._read_group(
                domain + [("product_id", "in", products.ids)],
                ["product_id"],
                ["product_qty:sum"],
            ):
                counted[product] += qty
        return counted

    def _op_prepared_rfq_lines(self):
        """RFQ lines Odoo's procurement already prepared for this order (for
        instance from a make-to-order Buy route), still waiting for D3. An
        RFQ Odoo shares between orders counts here only for this order's
        lines."""
        self.ensure_one()
        order = read_across(self.sale_order_id)
        purchases = order._get_purchase_orders().filtered(
            lambda po: po.state in ("draft", "sent")
        )
        return purchases.order_line.filtered(
            lambda line: (
                line.product_id
                and (
                    line.sale_line_id.order_id == order
                    or order in line.move_dest_ids.group_id.sale_id
                    or order in line.move_dest_ids.sale_line_id.order_id
                )
            )
        )

    def action_compute(self):
        """Draft the requirements from the order, the BoMs, the forecast of
        the warehouse and the RFQs already prepared (R11)."""
        self._op_check_role("pmc_material")
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._(
                        "Only a draft material requirements plan (D3) can be changed."
                    )
                )
            commands = [Command.clear()] + [
                Command.create(vals) for vals in plan._op_requirement_vals()
            ]
            process_write(
                plan.with_context(op_material_compute=True), {"line_ids": commands}
            )
        return True

    def _op_requirement_vals(self):
        """The requirement lines of the plan: what the order needs that the
        warehouse's forecast and the prepared RFQs do not cover (R11), each
        with its vendor."""
        self.ensure_one()
        vals_list = []
        for (
            product,
            source,
            required,
            available,
            on_rfq,
            shortage,
        ) in self._op_requirements():
            seller = (
                product.with_company(self.company_id)._select_seller(
                    quantity=shortage or None, uom_id=product.uom_id
                )
                or product._prepare_sellers(False)[:1]
            )
            vals_list.append(
                {
                    "product_id": product.id,
                    "source": source,
                    "qty_required": required,
                    "qty_available": available,
                    "qty_on_rfq": on_rfq,
                    "qty_to_order": shortage,
                    "vendor_id": seller.partner_id.id,
                }
            )
        return vals_list

    def _op_requirements(self):
        """Yield (product, source, required, available, on RFQ, to order)
        for each product the plan lists: a shortage the forecast does not
        cover, or an RFQ already prepared."""
        self.ensure_one()
        demand, source = self._op_order_demand()
        prepared = self._op_prepared_rfq_lines()
        products = (
            self.env["product.product"].browse([p.id for p in demand])
            | prepared.product_id
        )
        if not products:
            return
        counted = self._op_demand_in_forecast(products)
        forecast = {
            p: p.virtual_available
            for p in products.with_context(warehouse_id=self.warehouse_id.id)
        }
        on_rfq = defaultdict(float)
        for line in prepared:
            on_rfq[line.product_id] += line.product_uom._compute_quantity(
                line.product_qty, line.product_id.uom_id
            )
        for product in products:
            required = demand.get(product, 0.0)
            available = max(0.0, forecast.get(product, 0.0) + counted.get(product, 0.0))
            shortage = max(0.0, required - available - on_rfq[product])
            rounding = product.uom_id.rounding
            shortage = float_round(
                shortage, precision_rounding=rounding, rounding_method="UP"
            )
            if (
                float_compare(shortage, 0.0, precision_rounding=rounding) <= 0
                and not on_rfq[product]
            ):
                continue
            yield (
                product,
                source.get(product, "oem"),
                required,
                available,
                on_rfq[product],
                shortage,
            )

    @api.model
    def _op_needed_for(self, order):
        """R11: whether the effective ``order`` needs a D3, i.e. whether
        there is something to buy for it: what its D3 would list, an OEM
        (bought-in) line or a component of what is made here that the
        warehouse's forecast does not cover, or an RFQ Odoo prepared for it
        (issue 18, item 1). An order with nothing to buy gets no material
        to-do: its D3 would list nothing, and could not be submitted."""
        order = read_across(order)
        draft = as_process(self).new(
            {
                "sale_order_id": order.id,
                "company_id": order.company_id.id,
                "warehouse_id": order.warehouse_id.id,
            }
        )
        return any(True for _requirement in draft._op_requirements())
