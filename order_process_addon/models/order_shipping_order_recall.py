# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Recalling an issued shipping order (D10, R24): the shipment moves or is
cancelled, the issued D10 is voided and kept, every department that
received it is told, and PMC agrees the new date (a new version)."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_process, process_write
from .order_shipping_order import D10_RECALLED, GATE, GATE_HOLD, PREPARE, SHIPPING
from .vocabulary import DEPARTMENTS

_lt = LazyTranslate(__name__)


class OrderShippingOrder(models.Model):
    _inherit = "order.shipping.order"

    def action_recall(self, reason=None, department=None, proposed_date=None):
        """R24: the shipment moves or is cancelled: the issued D10 is
        recalled (voided, kept), every department that received it is told,
        and PMC is asked to agree the new date."""
        self._op_check_role("customer_mgmt")
        if not self._op_text(reason) or not department:
            raise UserError(
                self.env._(
                    "A recall needs a reason and a responsible department (R24)."
                )
            )
        if not isinstance(department, str) or department not in dict(DEPARTMENTS):
            raise UserError(self.env._("Choose a responsible department."))
        proposed_date = self._op_date(proposed_date, self.env._("Proposed New Date"))
        today = fields.Date.context_today(self)
        if proposed_date and proposed_date <= today:
            raise UserError(
                self.env._(
                    "The new ship date %(date)s is not after today.",
                    date=proposed_date,
                )
            )
        for record in self:
            if record.state not in ("issued", "approved"):
                raise UserError(
                    self.env._(
                        "%(d10)s is %(state)s: only an issued or approved shipping "
                        "order is recalled.",
                        d10=record.display_name,
                        state=record._op_state_label(),
                    )
                )
            if record.picking_id.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(delivery)s has already left: its shipping order stays.",
                        delivery=record.picking_id.name,
                    )
                )
        for record in self:
            was_approved = record.state == "approved"
            process_write(
                record,
                {
                    "state": "void",
                    "void_reason": reason,
                    "void_department": department,
                    "voided_by_id": self.env.user.id,
                    "voided_on": fields.Datetime.now(),
                    "proposed_date": proposed_date,
                },
            )
            # The voided version's work goes: its review, the preparation of
            # its shipment, the loading's gate check (the recall is in the
            # chatter of both).
            record._op_drop_activities(SHIPPING)
            record.picking_id._op_drop_activities([PREPARE, GATE, GATE_HOLD])
            summary = _lt(
                "Shipping order %(d10)s recalled (%(reason)s): do not ship on %(date)s",
                d10=record.name,
                reason=reason,
                date=record.ship_date,
            )
            # Until the new version is issued (or the delivery cancelled).
            record._op_notify_group("pmc_clerk", summary, activity_xmlid=D10_RECALLED)
            if was_approved:
                record.picking_id._op_notify_group(
                    "fg_warehouse", summary, activity_xmlid=D10_RECALLED
                )
            record._op_notify_group(
                "pmc_planner",
                _lt(
                    "Agree the new ship date of %(delivery)s (recalled %(d10)s)",
                    delivery=record.picking_id.name,
                    d10=record.name,
                ),
                activity_xmlid=SHIPPING,
            )
            record.message_post(
                body=self.env._(
                    "Recalled by %(user)s: %(reason)s (responsible: %(department)s).",
                    user=self.env.user.name,
                    reason=reason,
                    department=dict(
                        self._fields["void_department"]._description_selection(self.env)
                    )[department],
                )
            )
        return True

    def action_agree_new_date(self, new_date=None):
        """R24: PMC agrees the new ship date of a recalled D10. When it
        moves the order's delivery promise, the committed date changes with
        the recall's reason and department (kept for the achievement rate)."""
        self._op_check_role("pmc_planner", "pmc_manager")
        self.ensure_one()
        new_date = self._op_date(new_date, self.env._("Agreed New Date")) or (
            self.proposed_date
        )
        if self.state != "void":
            raise UserError(
                self.env._("Only a recalled shipping order gets a new date.")
            )
        if self.agreed_date:
            raise UserError(
                self.env._(
                    "The new date of %(d10)s is already agreed: %(date)s.",
                    d10=self.name,
                    date=self.agreed_date,
                )
            )
        if not new_date or new_date <= fields.Date.context_today(self):
            raise UserError(
                self.env._("The new ship date must be after today (R24, R37).")
            )
        process_write(
            self,
            {
                "agreed_date": new_date,
                "agreed_by_id": self.env.user.id,
                "agreed_on": fields.Datetime.now(),
            },
        )
        self._op_done_activities(
            SHIPPING,
            feedback=self.env._("New ship date %(date)s agreed", date=new_date),
        )
        order = as_process(self.sale_order_id)
        if order.op_committed_date and new_date > order.op_committed_date:
            order._op_change_committed_date(
                new_date, self.void_reason, self.void_department
            )
        self._op_notify_user(
            self.voided_by_id,
            _lt(
                "New ship date %(date)s agreed for %(delivery)s: issue the new "
                "shipping order",
                date=new_date,
                delivery=self.picking_id.name,
            ),
            activity_xmlid=SHIPPING,
        )
        return True
