# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import (
    as_job,
    as_messenger,
    as_process,
    process_create,
    process_write,
    read_across,
)
from .order_process_guard import Guard
from .vocabulary import AMOUNTS_GROUPS

_lt = LazyTranslate(__name__)

PREPARE_ACTIVITY = "order_process_addon.mail_activity_type_d12_prepare"
SIGN_ACTIVITY = "order_process_addon.mail_activity_type_d12_sign"
FINANCE_ACTIVITY = "order_process_addon.mail_activity_type_d12_finance"
ESCALATION_ACTIVITY = "order_process_addon.mail_activity_type_d12_escalation"
# Records handled per batch by the crons (ir.cron._notify_progress).
CRON_BATCH = 50


class OrderShipmentStatistics(models.Model):
    """D12, the daily shipment statistics (R28): built from the validated
    deliveries of the process's orders of one working day by one SQL
    aggregation, prepared by the finished-goods keeper, signed by the PMC
    manager, then read-only; a scheduled action sends the signed D12 of the
    previous working day to Finance before the configured time, or escalates
    an unsigned one to the PMC manager, once."""

    _name = "order.shipment.statistics"
    _description = "Daily Shipment Statistics (D12)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): built, prepared and signed by its steps
    # only (R28); never deleted (R35).
    _op_guard = Guard(
        process="__all__",
        editable={},
        deletable=frozenset(),
    )

    name = fields.Char(string="Number", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Shipping Day",
        required=True,
        readonly=True,
        index=True,
        help="The working day of the statistics. Deliveries validated on the "
        "days off before it (a Saturday shipment) count on it too.",
    )
    date_from = fields.Date(
        string="Counted Since",
        readonly=True,
        help="The first local day whose validated deliveries count: the day "
        "after the previous working day.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        "order.shipment.statistics.line", "statistics_id", readonly=True
    )
    amount_total = fields.Monetary(
        string="Amount",
        compute="_compute_totals",
        currency_field="currency_id",
        groups=AMOUNTS_GROUPS,
    )
    qty_total = fields.Float(string="Quantity", compute="_compute_totals")
    prepared_by_id = fields.Many2one("res.users", readonly=True)
    prepared_on = fields.Datetime(readonly=True)
    signed_by_id = fields.Many2one("res.users", readonly=True)
    signed_on = fields.Datetime(readonly=True)
    sent_on = fields.Datetime(
        string="Sent to Finance On",
        readonly=True,
        help="When the signed statistics went to Finance (R28).",
    )
    escalated_on = fields.Datetime(
        readonly=True,
        help="When the PMC manager was warned that the statistics were not "
        "signed by the deadline (R28); once.",
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "UNIQUE(company_id, date)",
            "The shipment statistics of this day already exist.",
        )
    ]

    def _op_complete_vals(self, vals):
        self._op_assign_name(vals)

    @api.depends("line_ids.qty_done", "line_ids.amount")
    def _compute_totals(self):
        for record in self:
            lines = read_across(record).line_ids
            record.qty_total = sum(lines.mapped("qty_done"))
            record.amount_total = sum(lines.mapped("amount"))

    # ------------------------------------------------------------ building
    @api.model
    def _op_previous_working_date(self, company, day):
        """The last working date of the company's calendar before ``day``."""
        calendar = self.env["res.company"]._op_calendar(company)
        working = calendar.op_working_dates(day - timedelta(days=31), day)
        earlier = [d for d in working if d < day]
        return max(earlier) if earlier else day - timedelta(days=1)

    @api.model
    def _op_build(self, company, day):
        """Create, or rebuild while draft, the D12 of the working day
        ``day``: one aggregation of the done moves of the process's
        deliveries validated in the local days it covers, per customer,
        order, product and unit."""
        record = as_process(self).search(
            [("company_id", "=", company.id), ("date", "=", day)], limit=1
        )
        if record.state == "signed":
            raise UserError(
                self.env._(
                    "%(name)s is signed: it is read-only (R28).", name=record.name
                )
            )
        calendar = self.env["res.company"]._op_calendar(company)
        date_from = record.date_from or (
            self._op_previous_working_date(company, day) + timedelta(days=1)
        )
        date_from = min(date_from, day)
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(date_from, time.min)).astimezone(pytz.utc)
        stop = tz.localize(
            datetime.combine(day + timedelta(days=1), time.min)
        ).astimezone(pytz.utc)
        groups = read_across(self.env["stock.move"])._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("picking_id.op_process_delivery", "=", True),
                ("date", ">=", start.replace(tzinfo=None)),
                ("date", "<", stop.replace(tzinfo=None)),
            ],
            ["partner_id", "sale_line_id", "product_id", "product_uom"],
            ["quantity:sum", "picking_id:count_distinct"],
        )
        if not record:
            record = process_create(
                self, {"company_id": company.id, "date": day, "date_from": date_from}
            )
        record.line_ids.unlink()
        # The amounts from the sale lines' prices: the sale lines of every
        # group are read in one go, one rate per currency.
        sale_lines = read_across(self.env["sale.order.line"]).browse(
            {line.id for _p, line, *_rest in groups if line}
        )
        sale_lines.fetch(["order_id", "price_reduce_taxexcl", "product_uom"])
        sale_lines.order_id.fetch(["partner_id", "currency_id"])
        rates = {
            currency: currency._convert(
                1.0, company.currency_id, company, day, round=False
            )
            for currency in sale_lines.order_id.currency_id
        }
        process_create(
            self.env["order.shipment.statistics.line"],
            [
                {
                    "statistics_id": record.id,
                    "partner_id": (
                        line.order_id.partner_id or partner.commercial_partner_id
                    ).id,
                    "sale_order_id": line.order_id.id,
                    "sale_line_id": line.id,
                    "product_id": product.id,
                    "product_uom_id": uom.id,
                    "qty_done": quantity,
                    "picking_count": pickings,
                    "price_unit": self._op_unit_price(line, uom, rates),
                }
                for partner, line, product, uom, quantity, pickings in groups
            ],
        )
        return record

    @api.model
    def _op_unit_price(self, sale_line, uom, rates):
        """The sale line's unit price (discount included, without tax) in
        the company's currency (``rates``), per ``uom``."""
        if not sale_line:
            return 0.0
        price = sale_line.price_reduce_taxexcl
        if uom and sale_line.product_uom and uom != sale_line.product_uom:
            price = sale_line.product_uom._compute_price(price, uom)
        return price * rates.get(sale_line.order_id.currency_id, 1.0)

    # ------------------------------------------------------------ steps
    def action_prepare(self):
        """The finished-goods keeper rebuilds the statistics from the day's
        validated deliveries and passes them to the PMC manager."""
        self._op_check_role("fg_warehouse")
        self._check_can_prepare()
        for record in self:
            self._op_build(record.company_id, record.date)
        process_write(
            self,
            {"prepared_by_id": self.env.user.id, "prepared_on": fields.Datetime.now()},
        )
        self._op_done_activities(PREPARE_ACTIVITY, feedback=self.env._("Prepared"))
        # Prepared again: the signature asked for the former version goes,
        # a new one is asked below.
        self._op_drop_activities(SIGN_ACTIVITY)
        for record in self:
            record._op_notify_group(
                "pmc_manager",
                _lt("Sign %(name)s (R28)", name=record.name),
                activity_xmlid=SIGN_ACTIVITY,
                exclude=self.env.user,
            )
        return True

    def _check_can_prepare(self):
        signed = self.filtered(lambda r: r.state == "signed")
        if signed:
            raise UserError(
                self.env._(
                    "%(names)s is signed: it is read-only (R28).",
                    names=", ".join(signed.mapped("name")),
                )
            )

    def action_sign(self):
        """The PMC manager signs the prepared statistics: read-only since."""
        self._op_check_role("pmc_manager")
        self._check_can_sign()
        process_write(
            self,
            {
                "state": "signed",
                "signed_by_id": self.env.user.id,
                "signed_on": fields.Datetime.now(),
            },
        )
        self._op_done_activities(
            [SIGN_ACTIVITY, ESCALATION_ACTIVITY], feedback=self.env._("Signed")
        )
        return True

    def _check_can_sign(self):
        for record in self:
            if record.state == "signed":
                raise UserError(
                    self.env._("%(name)s is already signed.", name=record.name)
                )
            if not record.prepared_by_id:
                raise UserError(
                    self.env._(
                        "The finished-goods warehouse prepares %(name)s first (R28).",
                        name=record.name,
                    )
                )
            # R37: who signs is not who prepared, even holding both roles.
            if record.prepared_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "%(name)s was prepared by you: someone else signs it "
                        "(R28, R37).",
                        name=record.name,
                    )
                )

    # ------------------------------------------------------------ crons
    def _op_today(self, company):
        calendar = self.env["res.company"]._op_calendar(company)
        return fields.Datetime.context_timestamp(
            self.with_context(tz=calendar.tz or "UTC"), fields.Datetime.now()
        ).date()

    @api.model
    def _cron_build_previous_day(self):
        """Every day: the draft D12 of the previous working day, and a
        to-do for the finished-goods keepers to prepare it."""
        companies = self.env["res.company"].search([("op_enabled", "=", True)])
        built = self.browse()
        for company in companies:
            today = self._op_today(company)
            day = self._op_previous_working_date(company, today)
            if as_job(self).search_count(
                [("company_id", "=", company.id), ("date", "=", day)], limit=1
            ):
                continue
            record = self._op_build(company, day)
            record._op_notify_group(
                "fg_warehouse",
                _lt("Prepare %(name)s (R28)", name=record.name),
                activity_xmlid=PREPARE_ACTIVITY,
            )
            built |= record
            if len(built) >= CRON_BATCH:
                break
        self.env["ir.cron"]._notify_progress(
            done=len(built), remaining=CRON_BATCH if len(built) >= CRON_BATCH else 0
        )

    @api.model
    def _cron_send_to_finance(self):
        """Every quarter of an hour on working days: the signed D12 of the
        previous working day goes to Finance (e-mail with the PDF and a
        to-do); still unsigned at the configured time, the PMC manager is
        warned, once (R28)."""
        to_send = self.browse()
        to_escalate = self.browse()
        now = fields.Datetime.now()
        for company in self.env["res.company"].search([("op_enabled", "=", True)]):
            calendar = self.env["res.company"]._op_calendar(company)
            today = self._op_today(company)
            if not calendar.op_is_working_date(today):
                continue
            day = self._op_previous_working_date(company, today)
            record = as_job(self).search(
                [("company_id", "=", company.id), ("date", "=", day)], limit=1
            )
            deadline = calendar.op_local_datetime(today, company.op_shipment_stats_time)
            # Signed and not sent yet (that day's, or a late one before it).
            to_send |= as_job(self).search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "signed"),
                    ("sent_on", "=", False),
                    ("date", "<=", day),
                ]
            )
            if now >= deadline and not record.escalated_on and record.state != "signed":
                to_escalate |= record or self._op_build(company, day)
        # Batched (ir.cron._notify_progress): the runner calls again while
        # some remain.
        batch = to_send[:CRON_BATCH]
        batch._op_send_to_finance()
        to_escalate._op_escalate_unsigned()
        self.env["ir.cron"]._notify_progress(
            done=len(batch) + len(to_escalate),
            remaining=len(to_send) - len(batch),
        )

    def _op_send_to_finance(self):
        """E-mail the signed statistics with their PDF to Finance, with a
        to-do for each Finance user."""
        report = as_messenger(
            self.env.ref("order_process_addon.action_report_order_d12")
        )
        for record in as_messenger(self):
            users = self._op_role_users("finance", record.company_id)
            # Printed for its reader (issue 18 item 2): as Finance's first
            # user, in that user's language, with the amounts.
            reader = users[:1] or self.env.user
            pdf, _kind = as_messenger(report.with_user(reader))._render_qweb_pdf(
                report.report_name, record.ids
            )
            attachment = as_messenger(self.env["ir.attachment"]).create(
                {
                    "name": f"{record.name.replace('/', '-')}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            subject = self.env._(
                "Daily shipment statistics %(name)s of %(date)s (R28)",
                name=record.name,
                date=record.date,
            )
            body = self.env._(
                "The signed shipment statistics %(name)s of %(date)s are "
                "attached (signed by %(signer)s).",
                name=record.name,
                date=record.date,
                signer=record.signed_by_id.name,
            )
            message = record.message_post(
                subject=subject,
                body=body,
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )
            if users:
                as_messenger(self.env["mail.mail"]).create(
                    {
                        "mail_message_id": message.id,
                        "body_html": message.body,
                        "recipient_ids": [fields.Command.set(users.partner_id.ids)],
                        "email_from": message.email_from,
                        "auto_delete": False,
                    }
                )
            record._op_notify_group(
                "finance",
                _lt("Check the shipment statistics %(name)s (R28)", name=record.name),
                activity_xmlid=FINANCE_ACTIVITY,
                robot_event="d12_signed",
            )
        process_write(self, {"sent_on": fields.Datetime.now()})

    def _op_escalate_unsigned(self):
        """The statistics are not signed by the deadline: the PMC manager
        hears of it, once."""
        for record in as_messenger(self):
            record._op_notify_group(
                "pmc_manager",
                _lt(
                    "%(name)s is not signed: Finance waits for it (R28)",
                    name=record.name,
                ),
                activity_xmlid=ESCALATION_ACTIVITY,
                robot_event="d12_late",
            )
            record.message_post(
                body=self.env._(
                    "Not signed by the deadline: escalated to the PMC manager (R28)."
                ),
                subtype_xmlid="mail.mt_note",
            )
        process_write(self, {"escalated_on": fields.Datetime.now()})
