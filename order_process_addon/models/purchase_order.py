# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

from .elevation import as_messenger, read_across
from .order_process_guard import Guard
from .vocabulary import AMOUNTS_GROUPS

SEND_RFQ = "order_process_addon.mail_activity_type_send_rfq"


class PurchaseOrder(models.Model):
    _name = "purchase.order"
    _inherit = ["purchase.order", "order.process.mixin"]

    # Guard (order.process.guard): the link to D3 is made by its approval.
    _op_guard = Guard(
        process=frozenset({"op_material_plan_id"}),
        deletable=None,
    )

    # R36: the money of the RFQ only for the roles that handle it.
    amount_untaxed = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_tax = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_total = fields.Monetary(groups=AMOUNTS_GROUPS)
    amount_total_cc = fields.Monetary(groups=AMOUNTS_GROUPS)
    tax_totals = fields.Binary(groups=AMOUNTS_GROUPS)

    op_material_plan_id = fields.Many2one(
        "order.material.plan",
        string="Material Requirements Plan (D3)",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        groups="order_process_addon.group_user",
    )

    def _op_check_released_by_d3(self):
        """R11, R13: an RFQ for orders of the process goes to the vendor only
        once the PMC manager has approved the material requirements plan (D3)
        of every one of them."""
        # Purchasing's step (R11, R36): whoever else Odoo lets write RFQs.
        self.check_access("write")
        if self.filtered(lambda po: po.company_id.op_enabled):
            self._op_check_role("purchasing")
        for purchase in read_across(self).filtered(lambda po: po.company_id.op_enabled):
            orders = (
                purchase._get_sale_orders() | purchase.op_material_plan_id.sale_order_id
            ).filtered("op_active")
            waiting = orders.filtered(
                lambda o: (
                    not o.op_material_plan_ids.filtered(lambda p: p.state == "approved")
                )
            )
            if waiting:
                raise UserError(
                    self.env._(
                        "%(rfq)s is for %(orders)s: it goes to the vendor only "
                        "once the PMC manager approves the material requirements "
                        "plan (D3) of the order (R11, R13).",
                        rfq=purchase.name,
                        orders=", ".join(waiting.mapped("name")),
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        # Issue 18, item 1: Purchasing's to-do of an RFQ released by a D3
        # ends when the RFQ goes to the vendor (sent or confirmed), and goes
        # when the RFQ is cancelled (the D3 voided, or Purchasing's choice).
        if vals.get("state") in ("sent", "purchase", "done", "cancel"):
            released = as_messenger(self).filtered("op_material_plan_id")
            if vals["state"] == "cancel":
                released._op_drop_activities(SEND_RFQ)
            else:
                states = dict(self._fields["state"]._description_selection(self.env))
                released._op_done_activities(SEND_RFQ, feedback=states[vals["state"]])
        return res

    def button_confirm(self):
        self._op_check_released_by_d3()
        return super().button_confirm()

    def button_approve(self, force=False):
        self._op_check_released_by_d3()
        return super().button_approve(force=force)

    def action_rfq_send(self):
        self._op_check_released_by_d3()
        return super().action_rfq_send()

    def print_quotation(self):
        self._op_check_released_by_d3()
        return super().print_quotation()
