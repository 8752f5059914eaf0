# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Payment of the orders of the process (R19-R22): the follow-up after the
finished-goods receipt, the payment status read from accounting, the
payment condition and the release of a shipment before payment."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import LazyTranslate

from .elevation import as_messenger, process_create, process_write, read_across
from .vocabulary import AMOUNTS_GROUPS

_lt = LazyTranslate(__name__)

PAYMENT_CONDITIONS = [
    ("prepay", "Payment Before Shipment"),
    ("credit", "Ship on Credit"),
]
PAYMENT_STATES = [
    ("not_invoiced", "Not Invoiced"),
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
]
# Odoo's payment states of an invoice that owes nothing more (``in_payment``
# is Enterprise's; ``reversed``: cancelled by a credit note).
SETTLED = ("paid", "in_payment", "reversed")
PAYMENT_ACTIVITY = "order_process_addon.mail_activity_type_payment"
CUSTOMER_INVOICES = ("out_invoice", "out_refund")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    op_payment_condition = fields.Selection(
        PAYMENT_CONDITIONS,
        string="Payment Condition",
        compute="_compute_op_payment_condition",
        store=True,
        precompute=True,
        readonly=True,
        tracking=True,
        help="From the customer's terms (Payment Before Shipment on the "
        "customer); only Finance changes it for one order. An order paid "
        "before shipment ships only once Finance has the payment (R21).",
    )
    op_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    op_payment_state = fields.Selection(
        PAYMENT_STATES,
        string="Payment Status",
        compute="_compute_op_payment_state",
        store=True,
        index=True,
        help="Read from the posted customer invoices and credit notes of the "
        "order, down payments included (R20): never typed.",
    )
    op_amount_due = fields.Monetary(
        string="Amount Due",
        compute="_compute_op_payment_state",
        store=True,
        currency_field="op_company_currency_id",
        groups=AMOUNTS_GROUPS,
    )
    op_payment_due_date = fields.Date(
        string="Payment Due",
        compute="_compute_op_payment_state",
        store=True,
        index="btree_not_null",
        help="The earliest due date of the order's invoices still open.",
    )
    op_payment_overdue = fields.Boolean(
        string="Collection Overdue",
        compute="_compute_op_payment_overdue",
        search="_search_op_payment_overdue",
        help="An invoice of the order is still open after its due date (R22).",
    )
    op_amount_overdue = fields.Monetary(
        string="Amount Overdue",
        compute="_compute_op_payment_overdue",
        currency_field="op_company_currency_id",
        groups=AMOUNTS_GROUPS,
    )
    op_payment_override_ids = fields.One2many(
        "order.payment.override",
        "order_id",
        string="Shipments Before Payment",
        readonly=True,
    )

    # ------------------------------------------------------------ computes
    @api.depends("partner_id", "company_id")
    def _compute_op_payment_condition(self):
        for order in self:
            partner = order.partner_id.with_company(order.company_id)
            prepay = (
                partner.op_payment_before_shipment
                or partner.commercial_partner_id.op_payment_before_shipment
            )
            order.op_payment_condition = "prepay" if prepay else "credit"

    def _op_customer_invoices(self):
        """The posted customer invoices and credit notes of the order."""
        return self.order_line.invoice_lines.move_id.filtered(
            lambda m: m.state == "posted" and m.move_type in CUSTOMER_INVOICES
        )

    def _op_open_invoices(self):
        return self._op_customer_invoices().filtered(
            lambda m: m.payment_state not in SETTLED
        )

    # Over the invoices' stored fields (R20): a payment registered without an
    # outstanding account changes the invoice's payment state without any
    # reconciliation, so Odoo's "paid" hook does not fire; this does.
    @api.depends(
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.move_type",
        "order_line.invoice_lines.move_id.payment_state",
        "order_line.invoice_lines.move_id.amount_residual_signed",
        "order_line.invoice_lines.move_id.invoice_date_due",
        "invoice_status",
    )
    def _compute_op_payment_state(self):
        for order in self:
            invoices = read_across(order)._op_customer_invoices()
            open_invoices = invoices.filtered(lambda m: m.payment_state not in SETTLED)
            due = sum(open_invoices.mapped("amount_residual_signed"))
            currency = order.company_id.currency_id
            if not invoices:
                state = "not_invoiced"
            elif currency.compare_amounts(due, 0) <= 0:
                # Everything invoiced is paid; a paid down payment with the
                # rest still to invoice is a part of the order only.
                state = "partial" if order.invoice_status == "to invoice" else "paid"
            elif any(
                m.payment_state == "partial"
                or (m.move_type == "out_invoice" and m.payment_state in SETTLED)
                for m in invoices
            ):
                state = "partial"
            else:
                state = "not_paid"
            dates = open_invoices.filtered(
                lambda m: m.move_type == "out_invoice" and m.invoice_date_due
            ).mapped("invoice_date_due")
            order.op_payment_state = state
            order.op_amount_due = max(due, 0.0)
            order.op_payment_due_date = (
                min(dates) if state != "paid" and dates else False
            )

    @api.depends("op_payment_state", "op_payment_due_date", "op_amount_due")
    def _compute_op_payment_overdue(self):
        today = fields.Date.context_today(self)
        for order in self:
            late = (
                read_across(order)
                ._op_open_invoices()
                .filtered(
                    lambda m: (
                        m.move_type == "out_invoice"
                        and m.invoice_date_due
                        and m.invoice_date_due < today
                    )
                )
            )
            order.op_payment_overdue = bool(late) and order.op_payment_state != "paid"
            order.op_amount_overdue = (
                sum(late.mapped("amount_residual_signed"))
                if order.op_payment_overdue
                else 0.0
            )

    def _search_op_payment_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Collection Overdue."))
        domain = [
            ("op_payment_state", "in", ("not_paid", "partial")),
            ("op_payment_due_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    # ------------------------------------------------------------ R19, R20
    def _op_start_payment_follow_up(self):
        """R19: once the goods of an order are received, Customer Management
        (its merchandiser) follows the payment up, with the sales person;
        one open to-do per order, only while a payment is pending (not for
        an order paid, cancelled or with nothing to pay); it ends when the
        order is paid (``_op_end_payment_follow_up``)."""
        orders = as_messenger(self).filtered(
            lambda o: (
                o.op_active
                and o.op_state == "effective"
                and o.op_payment_state != "paid"
                and not o.currency_id.is_zero(o.amount_total)
            )
        )
        following = orders._op_activities(PAYMENT_ACTIVITY).mapped("res_id")
        for order in orders.filtered(lambda o: o.id not in following):
            summary = _lt(
                "Follow up the payment of %(order)s: its goods are received (R19)",
                order=order.name,
            )
            # Due when the customer's invoice is (R22); today while nothing
            # is invoiced yet (its date follows the invoice when posted).
            deadline = order.op_payment_due_date or None
            if order.op_merchandiser_id:
                order._op_notify_user(
                    order.op_merchandiser_id,
                    summary,
                    deadline=deadline,
                    activity_xmlid=PAYMENT_ACTIVITY,
                )
            else:
                order._op_notify_group(
                    "customer_mgmt",
                    summary,
                    deadline=deadline,
                    activity_xmlid=PAYMENT_ACTIVITY,
                )
            if order.user_id:
                order.message_subscribe(partner_ids=order.user_id.partner_id.ids)

    def _op_follow_up_when_due(self):
        """R22: the payment follow-up falls due with the order's earliest
        open invoice (issue 18): an invoice posted, or paid in part, moves
        the to-do's deadline to that invoice's due date, so that a to-do
        is overdue only when the customer is. One search for all orders."""
        for activity in self._op_activities(PAYMENT_ACTIVITY):
            order = self.browse(activity.res_id)
            due = read_across(order).op_payment_due_date
            if due and activity.date_deadline != due:
                activity.date_deadline = due

    def _op_notify_invoice_paid(self, invoices):
        """R20: Customer Management (the merchandiser) and PMC hear at once
        that an invoice of the order is paid."""
        for order in as_messenger(self).filtered("op_active"):
            users = order.op_merchandiser_id or order._op_role_users(
                "customer_mgmt", order.company_id
            )
            users |= order._op_role_users("pmc_planner", order.company_id)
            state = dict(
                self._fields["op_payment_state"]._description_selection(self.env)
            )[order.op_payment_state]
            order.message_post(
                body=self.env._(
                    "Invoice %(invoices)s paid: the payment status of the order is "
                    "%(state)s (R20).",
                    invoices=", ".join(invoices.mapped("name")),
                    state=state,
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=users.partner_id.ids,
            )
        self._op_follow_up_when_due()
        self._op_end_payment_follow_up()

    def _op_end_payment_follow_up(self):
        """R20: the follow-up of an order paid in full is done (issue 18):
        from Odoo's paid hook, and after a payment is posted (a payment
        without an outstanding account pays an invoice without the hook)."""
        as_messenger(self).filtered(
            lambda o: o.op_active and o.op_payment_state == "paid"
        )._op_done_activities(PAYMENT_ACTIVITY, feedback=self.env._("Paid"))

    # ------------------------------------------------------------ R21
    def action_op_set_payment_condition(self, condition=None, reason=None):
        """R21: Finance decides whether one order ships before payment. Once
        the customer signed, letting a pay-before-shipment order ship
        otherwise is a release: a Finance manager or the General Manager,
        with the reason, recorded with the other releases."""
        if condition not in dict(PAYMENT_CONDITIONS):
            raise UserError(
                self.env._("Unknown payment condition %(c)s.", c=str(condition)[:40])
            )
        releases = self.filtered(
            lambda o: (
                o.op_payment_condition == "prepay"
                and condition != "prepay"
                and (o.op_state == "effective" or o.signed_on)
            )
        )
        if releases:
            releases._check_can_override_payment(condition=True)
            if not self._op_text(reason):
                raise UserError(
                    self.env._(
                        "%(orders)s is signed and paid before shipment: give the "
                        "reason for letting it ship otherwise (R21).",
                        orders=", ".join(releases.mapped("name")),
                    )
                )
        if self - releases:
            (self - releases)._op_check_role("finance")
        for order in self:
            if not order.op_active or order.op_state == "cancel":
                raise UserError(
                    self.env._(
                        "%(order)s is not an open order of the Order Process.",
                        order=order.name,
                    )
                )
        label = dict(
            self._fields["op_payment_condition"]._description_selection(self.env)
        )
        for order in releases:
            process_create(
                self.env["order.payment.override"],
                {
                    "order_id": order.id,
                    "reason": self.env._(
                        "Payment condition changed to %(condition)s: %(reason)s",
                        condition=label[condition],
                        reason=reason.strip(),
                    ),
                },
            )
        process_write(self, {"op_payment_condition": condition})
        return True

    def _op_needs_payment(self):
        """The orders of ``self`` whose shipments wait for payment (R21)."""
        return self.filtered(
            lambda o: (
                o.op_active
                and o.op_payment_condition == "prepay"
                and o.op_payment_state != "paid"
            )
        )

    def _check_can_override_payment(self, condition=False):
        """R21: a Finance manager or the General Manager releases a shipment
        of an unpaid order (or, ``condition``, lets a signed order paid
        before shipment ship otherwise)."""
        user = self.env.user
        if not self.env.su and not (
            user.has_group("account.group_account_manager")
            or user.has_group("order_process_addon.group_general_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a Finance manager or the General Manager may release a "
                    "shipment before payment (R21)."
                )
            )
        for order in self:
            if not condition and not read_across(order)._op_needs_payment():
                raise UserError(
                    self.env._(
                        "%(order)s does not wait for payment before shipment: "
                        "nothing to release.",
                        order=order.name,
                    )
                )

    def action_op_open_credit_wizard(self):
        """R21: the reason for letting a signed order paid before shipment
        ship on credit."""
        self.ensure_one()
        self._check_can_override_payment(condition=True)
        return self.env["order.reason.wizard"]._op_action(
            self, "action_op_release_to_credit", self.env._("Ship on Credit")
        )

    def action_op_release_to_credit(self, reason=None):
        """R21: a Finance manager or the General Manager lets a signed order
        paid before shipment ship on credit, with the reason (the step the
        reason dialog calls)."""
        self._check_can_override_payment(condition=True)
        on_credit = self.filtered(lambda o: o.op_payment_condition != "prepay")
        if on_credit:
            raise UserError(
                self.env._(
                    "%(orders)s already ships on credit.",
                    orders=", ".join(on_credit.mapped("name")),
                )
            )
        return self.action_op_set_payment_condition("credit", reason=reason)

    def action_op_open_override_wizard(self):
        self.ensure_one()
        self._check_can_override_payment()
        return self.env["order.reason.wizard"]._op_action(
            self, "action_op_override_payment", self.env._("Ship Before Payment")
        )

    def action_op_override_payment(self, reason=None, pickings=None):
        """R21: release the shipments (``pickings``, default every delivery)
        of an order before its payment, with the reason; kept as a record."""
        self._check_can_override_payment()
        if not self._op_text(reason):
            raise UserError(
                self.env._("Give the reason for shipping before payment (R21).")
            )
        if pickings is not None and not isinstance(pickings, models.BaseModel):
            pickings = self.env["stock.picking"].browse(pickings)
        pickings = pickings or self.env["stock.picking"]
        for order in self:
            foreign = read_across(pickings).filtered(
                lambda p, o=order: o not in p._op_sale_orders()
            )
            if foreign:
                raise UserError(
                    self.env._(
                        "%(pickings)s do not ship %(order)s.",
                        pickings=", ".join(foreign.mapped("name")),
                        order=order.name,
                    )
                )
            process_create(
                self.env["order.payment.override"],
                {
                    "order_id": order.id,
                    "picking_ids": [fields.Command.set(pickings.ids)],
                    "reason": reason,
                },
            )
            as_messenger(order).message_post(
                body=self.env._(
                    "Shipment before payment released by %(user)s: %(reason)s (R21)",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
