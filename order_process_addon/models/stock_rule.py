# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _make_po_get_domain(self, company_id, values, partner):
        """The RFQs of an approved D3 are its own: never merged into another
        RFQ of the same vendor, so each plan's purchases stay traceable."""
        domain = super()._make_po_get_domain(company_id, values, partner)
        plan = values.get("op_material_plan_id")
        return (*domain, ("op_material_plan_id", "=", plan.id if plan else False))

    def _prepare_purchase_order(self, company_id, origins, values):
        vals = super()._prepare_purchase_order(company_id, origins, values)
        plan = values[0].get("op_material_plan_id")
        if plan:
            vals["op_material_plan_id"] = plan.id
        return vals
