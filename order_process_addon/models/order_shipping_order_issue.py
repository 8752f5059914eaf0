# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issuing a shipping order (D10, R23): the merchandiser issues it from the
delivery, the PMC clerk approves it (a copy attached for the departments)
or returns it."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, float_compare

from .elevation import as_process, process_write, read_across
from .order_shipping_order import (
    D10_ESCALATION,
    D10_RECALLED,
    D10_RETURNED,
    ISSUE_D10,
    PREPARE,
    SHIPPING,
)

_lt = LazyTranslate(__name__)


class OrderShippingOrder(models.Model):
    _inherit = "order.shipping.order"

    # ------------------------------------------------------------ steps
    def _check_can_issue(self):
        self.ensure_one()
        if self.state not in ("draft", "returned"):
            raise UserError(
                self.env._(
                    "%(d10)s is %(state)s: only a draft or returned shipping order "
                    "is issued.",
                    d10=self.display_name,
                    state=self._op_state_label(),
                )
            )
        order = read_across(self.sale_order_id)
        if order.op_state != "effective":
            raise UserError(
                self.env._(
                    "%(order)s is not signed by the customer: no shipping order is "
                    "issued for it (R8).",
                    order=order.name,
                )
            )
        signed = read_across(self.env["order.fg.receipt"]).search_count(
            [("sale_order_id", "=", order.id), ("state", "=", "signed")], limit=1
        )
        if not signed:
            raise UserError(
                self.env._(
                    "No finished-goods receipt (D8) of %(order)s is signed yet: the "
                    "goods must be in the warehouse before a shipping order is "
                    "issued (R17, R23).",
                    order=order.name,
                )
            )
        # R21: the same condition as the delivery's validation.
        if order._op_needs_payment() and not order.op_payment_override_ids._op_covers(
            self.picking_id
        ):
            raise UserError(
                self.env._(
                    "%(order)s is paid before shipment and not paid yet: no "
                    "shipping order is issued until Finance has the payment, "
                    "unless a Finance manager or the General Manager releases the "
                    "shipment with a reason (R21).",
                    order=order.name,
                )
            )
        self._check_ship_date(self.ship_date)
        customer = order.partner_id.commercial_partner_id
        if self.partner_shipping_id.commercial_partner_id != customer:
            raise UserError(
                self.env._(
                    "%(address)s is not an address of %(customer)s: the goods of "
                    "the order go to its customer (R23).",
                    address=self.partner_shipping_id.display_name,
                    customer=customer.display_name,
                )
            )
        if self.previous_id and self.ship_date != self.previous_id.agreed_date:
            raise UserError(
                self.env._(
                    "The new version ships on the date agreed with PMC, %(date)s "
                    "(R24).",
                    date=self.previous_id.agreed_date,
                )
            )
        if not self.line_ids or any(
            float_compare(line.quantity, 0, precision_rounding=line.uom_id.rounding)
            <= 0
            for line in self.line_ids
        ):
            raise UserError(
                self.env._("Every line of the shipping order ships a quantity > 0.")
            )
        for line in self.line_ids:
            if line.move_id and (
                float_compare(
                    line.quantity,
                    line.move_id.product_uom_qty,
                    precision_rounding=line.uom_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s: %(qty)s is more than the delivery's %(demand)s.",
                        product=line.product_id.display_name,
                        qty=line.quantity,
                        demand=line.move_id.product_uom_qty,
                    )
                )

    def _check_ship_date(self, ship_date):
        """R23: issued at least one working day before the ship date, i.e.
        at the latest on the working day before it (company calendar)."""
        self.ensure_one()
        if not ship_date:
            raise UserError(self.env._("Give the ship date."))
        today = fields.Date.context_today(self)
        if ship_date <= today:
            raise UserError(
                self.env._(
                    "The ship date %(date)s is not after today: a shipping order "
                    "is issued at least 1 working day before shipping (R23).",
                    date=ship_date,
                )
            )
        calendar = self.env["res.company"]._op_calendar(self.company_id)
        last_day = calendar.op_previous_working_date(ship_date)
        if today > last_day:
            raise UserError(
                self.env._(
                    "Shipping on %(date)s needs the shipping order issued by "
                    "%(last_day)s, 1 working day before (R23).",
                    date=ship_date,
                    last_day=last_day,
                )
            )

    def action_issue(self):
        """R23: the merchandiser issues D10 to the PMC clerk."""
        self._op_check_role("customer_mgmt")
        for record in self:
            record._check_can_issue()
        now = fields.Datetime.now()
        for record in self:
            process_write(
                record,
                {
                    "state": "issued",
                    "submitted_by_id": self.env.user.id,
                    "issued_on": now,
                    "return_reason": False,
                },
            )
            # The merchandiser's to-do is done, with its escalation (R34); a
            # later version (after a recall) has a deadline of its own. A
            # returned D10 issued again ends its return; a new version ends
            # the recall's notices and the "issue the new version" to-do.
            issued = self.env._("%(d10)s issued", d10=record.name)
            record.picking_id._op_done_activities(
                [ISSUE_D10, D10_ESCALATION, D10_RECALLED], feedback=issued
            )
            (record | record.previous_id)._op_done_activities(
                [D10_RETURNED, D10_RECALLED, SHIPPING], feedback=issued
            )
            process_write(record.picking_id, {"op_d10_escalated": False})
            calendar = self.env["res.company"]._op_calendar(record.company_id)
            record._op_notify_group(
                "pmc_clerk",
                _lt(
                    "Review shipping order %(d10)s (ships %(date)s)",
                    d10=record.name,
                    date=record.ship_date,
                ),
                deadline=calendar.op_previous_working_date(record.ship_date),
                activity_xmlid=SHIPPING,
            )
        return True

    def _check_can_review(self):
        for record in self:
            if record.state != "issued":
                raise UserError(
                    self.env._(
                        "%(d10)s is %(state)s: only an issued shipping order is "
                        "reviewed.",
                        d10=record.display_name,
                        state=record._op_state_label(),
                    )
                )
        self._op_check_not_submitter()

    def action_approve(self):
        """R23: the PMC clerk approves; the warehouse is told to prepare the
        shipment by the working day before it; the clerk keeps a copy."""
        self._op_check_role("pmc_clerk")
        self._check_can_review()
        now = fields.Datetime.now()
        process_write(
            self,
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_on": now,
            },
        )
        for record in self:
            # R23: after the approval, the goods go where the D10 says.
            if record.picking_id.partner_id != record.partner_shipping_id:
                as_process(record.picking_id).partner_id = record.partner_shipping_id
            record._op_done_activities(
                SHIPPING, feedback=self.env._("%(d10)s approved", d10=record.name)
            )
            calendar = self.env["res.company"]._op_calendar(record.company_id)
            record.picking_id._op_notify_group(
                "fg_warehouse",
                _lt(
                    "Prepare the shipment of %(delivery)s for %(date)s (%(d10)s)",
                    delivery=record.picking_id.name,
                    date=record.ship_date,
                    d10=record.name,
                ),
                deadline=calendar.op_previous_working_date(record.ship_date),
                activity_xmlid=PREPARE,
            )
        self._op_attach_copy()
        return True

    def _op_attach_copy(self):
        """The clerk's copy: the approved D10 printed and kept on the
        delivery (R23)."""
        report = as_process(self.env.ref("order_process_addon.action_report_order_d10"))
        for record in self:
            content, _type = report._render_qweb_pdf(report.report_name, record.ids)
            attachment = as_process(self.env["ir.attachment"]).create(
                {
                    "name": f"{record.name.replace('/', '-')}.pdf",
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": "stock.picking",
                    "res_id": record.picking_id.id,
                }
            )
            as_process(record).copy_attachment_id = attachment

    def action_return(self, reason=None):
        """R23: the clerk returns the D10 to the merchandiser with a reason."""
        self._op_check_role("pmc_clerk")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for returning it."))
        self._check_can_review()
        process_write(self, {"state": "returned", "return_reason": reason})
        self._op_done_activities(
            SHIPPING, feedback=self.env._("Returned: %(reason)s", reason=reason)
        )
        for record in self:
            record._op_notify_user(
                record.submitted_by_id,
                _lt(
                    "Shipping order %(d10)s returned: %(reason)s",
                    d10=record.name,
                    reason=reason,
                ),
                activity_xmlid=D10_RETURNED,
            )
        return True
