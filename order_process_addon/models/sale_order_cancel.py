# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Cancellation of an order and its start over (R3, R24, R29): a signed
order is cancelled with its reason and the department that asked for it;
a cancelled order goes back to draft for a new registration."""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .elevation import as_process, process_write
from .vocabulary import DEPARTMENTS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _op_super_as_process(self, method):
        """Odoo's own ``method``: as the user for other orders, and for the
        orders of the process as the process (uid kept, write access checked
        first), since it writes their protected state."""
        op_orders = self.filtered("op_active")
        others = self - op_orders
        res = True
        if op_orders:
            op_orders.check_access("write")
        if others:
            res = getattr(super(SaleOrder, others), method)()
        if op_orders:
            res = getattr(super(SaleOrder, as_process(op_orders)), method)()
        return res, op_orders

    def action_op_open_cancel_wizard(self):
        self.ensure_one()
        self._check_can_cancel_effective()
        return self.env["order.reason.wizard"]._op_action(
            self, "action_op_cancel", self.env._("Cancel the Signed Order")
        )

    def _check_can_cancel_effective(self):
        """R24: an order the customer signed is cancelled by Customer
        Management or the PMC manager."""
        self._op_check_role("customer_mgmt", "pmc_manager")
        for order in self:
            if not order.op_active or order.op_state != "effective":
                raise UserError(
                    self.env._(
                        "%(order)s is not an effective order: cancel it as usual.",
                        order=order.name,
                    )
                )

    def action_op_cancel(self, reason=None, department=None):
        """R24: cancel an effective order, recorded with who, when, why and
        at whose request."""
        self._check_can_cancel_effective()
        if not self._op_text(reason) or not department:
            raise UserError(
                self.env._(
                    "Give the reason of the cancellation and who asked for it "
                    "(the customer or the responsible department)."
                )
            )
        if not isinstance(department, str) or department not in dict(DEPARTMENTS):
            raise UserError(self.env._("Unknown department %(d)s.", d=department))
        process_write(
            self,
            {
                "op_cancel_reason": reason,
                "op_cancel_department": department,
                "op_cancelled_by_id": self.env.user.id,
                "op_cancelled_on": fields.Datetime.now(),
            },
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Cancelled after the customer's signature by %(user)s "
                    "(%(department)s): %(reason)s",
                    user=self.env.user.name,
                    department=dict(
                        self._fields["op_cancel_department"]._description_selection(
                            self.env
                        )
                    )[department],
                    reason=reason,
                ),
                # Internal: the reason and the department charged are not
                # the customer's to read (the portal shows "Cancelled").
                subtype_xmlid="mail.mt_note",
            )
        as_process(self)._action_cancel()
        return True

    def _action_cancel(self):
        signed = self.filtered(lambda o: o.op_active and o.op_state == "effective")
        if signed and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(orders)s is signed by the customer: cancel it with "
                    '"Cancel the Signed Order", which asks the reason (R24).',
                    orders=", ".join(signed.mapped("name")),
                )
            )
        res, op_orders = self._op_super_as_process("_action_cancel")
        for order in as_process(op_orders):
            self.env["order.review"]._op_void_open(
                order, self.env._("The order was cancelled.")
            )
            order.op_state = "cancel"
        # Issue 18, item 1: no work is left on a cancelled order; its to-dos
        # and those of its material plans (D3) go (its deliveries' go with
        # their cancellation, see stock.move). Its late analysis (D13), if
        # any, is still to write: a cancellation after signature can be a
        # failed order (R29, R30).
        op_orders = as_process(op_orders)
        op_orders._op_drop_activities()
        op_orders.op_material_plan_ids._op_drop_activities()
        return res

    def action_draft(self):
        # Starting a cancelled order over is Customer Management's (R3).
        if self.filtered("op_active"):
            self._op_check_role("customer_mgmt")
        res, op_orders = self._op_super_as_process("action_draft")
        # Back to the start: a new registration, review, answer and signature.
        process_write(
            op_orders.filtered(lambda o: o.op_state == "cancel"),
            {
                "op_state": "draft",
                "op_gm_approved_by_id": False,
                "op_gm_approved_on": False,
                "op_answered_by_id": False,
                "op_answered_on": False,
                "op_signature_source": False,
                "op_signed_scan_id": False,
                "op_signature_recorded_by_id": False,
                "op_effective_on": False,
                "op_plan_deadline": False,
                "op_planned_on": False,
                "op_plan_escalated": False,
                "op_first_committed_date": False,
                "op_committed_date": False,
                "op_cancel_reason": False,
                "op_cancel_department": False,
                "op_cancelled_by_id": False,
                "op_cancelled_on": False,
            },
        )
        return res
