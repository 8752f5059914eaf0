# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import (
    as_job,
    as_messenger,
    as_process,
    process_create,
    process_write,
    read_across,
)
from .order_process_guard import Guard


class OrderInboundStatistics(models.Model):
    """D9, the daily finished-goods inbound statistics (R18): built from the
    day's signed receipts by an SQL aggregation, passed by the PMC planner to
    the PMC manager, who signs it; a copy then goes to Customer Management,
    which follows up payment for the orders listed (R19)."""

    _name = "order.inbound.statistics"
    _description = "Daily Finished-Goods Inbound Statistics (D9)"
    _inherit = ["mail.thread", "order.process.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): built, submitted and signed by its steps
    # only (R18); kept once signed.
    _op_guard = Guard(
        process="__all__",
        editable={},
        deletable=frozenset({"draft", "submitted"}),
    )

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(
        [("draft", "Built"), ("submitted", "Submitted"), ("signed", "Signed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    line_ids = fields.One2many(
        "order.inbound.statistics.line", "statistics_id", readonly=True
    )
    sale_order_ids = fields.Many2many(
        "sale.order",
        compute="_compute_sale_order_ids",
        string="Orders Ready for Payment Follow-Up",
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    signed_by_id = fields.Many2one("res.users", readonly=True)
    signed_on = fields.Datetime(readonly=True)
    built_on = fields.Datetime(
        readonly=True,
        help="When the statistics were last built from the signed receipts.",
    )

    _sql_constraints = [
        (
            "company_date_uniq",
            "UNIQUE(company_id, date)",
            "The inbound statistics of this day already exist.",
        )
    ]

    @api.depends("date")
    def _compute_name(self):
        # The form's number and its day, the same in every language (as the
        # numbered forms D4/..., D12/...): never stored in the language of
        # whoever built it.
        for record in self:
            record.name = f"D9 {record.date}" if record.date else False

    @api.depends("line_ids.sale_order_id")
    def _compute_sale_order_ids(self):
        for record in self:
            record.sale_order_ids = record.line_ids.sale_order_id

    @api.model
    def _op_build(self, company, day):
        """Build (or rebuild while not submitted) D9 of ``day``."""
        calendar = self.env["res.company"]._op_calendar(company)
        tz = pytz.timezone(calendar.tz or "UTC")
        start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc)
        stop = start + timedelta(days=1)
        groups = read_across(self.env["order.fg.receipt"])._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "signed"),
                ("signed_on", ">=", start.replace(tzinfo=None)),
                ("signed_on", "<", stop.replace(tzinfo=None)),
            ],
            ["sale_order_id", "product_id"],
            ["qty_delivered:sum", "qty_counted:sum", "__count", "mismatch:bool_or"],
        )
        record = as_process(self).search(
            [("company_id", "=", company.id), ("date", "=", day)], limit=1
        )
        if record.state in ("submitted", "signed"):
            raise UserError(
                self.env._("%(name)s is already submitted.", name=record.name)
            )
        if not record:
            record = process_create(self, {"company_id": company.id, "date": day})
        record.line_ids.unlink()
        process_create(
            self.env["order.inbound.statistics.line"],
            [
                {
                    "statistics_id": record.id,
                    "sale_order_id": order.id,
                    "product_id": product.id,
                    "qty_delivered": delivered,
                    "qty_counted": counted,
                    "receipt_count": count,
                    "mismatch": mismatch,
                }
                for order, product, delivered, counted, count, mismatch in groups
            ],
        )
        process_write(record, {"built_on": fields.Datetime.now()})
        return record

    @api.model
    def _cron_build_yesterday(self, batch_size=None):
        """D9 of yesterday for each company running the process.

        Issue 11, item 2: one call builds at most one batch of companies and
        reports its progress. A company is done when its D9 of yesterday was
        built after yesterday ended (the receipts signed yesterday do not
        change afterwards), or was submitted: the next call takes the next
        companies, and a second run of the day rebuilds nothing."""
        batch = batch_size or max(self._op_cron_batch_size() // 10, 1)
        companies = self.env["res.company"].search(
            [("op_enabled", "=", True)], order="id"
        )
        todo = []
        for company in companies:
            day, end = self._op_yesterday(company)
            existing = as_job(self).search(
                [("company_id", "=", company.id), ("date", "=", day)], limit=1
            )
            if existing.state in ("submitted", "signed") or (
                existing.built_on and existing.built_on >= end
            ):
                continue
            todo.append((company, day))
        for company, day in todo[:batch]:
            self._op_build(company, day)
        done = len(todo[:batch])
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(todo) - done)
        return done

    @api.model
    def _op_yesterday(self, company):
        """Yesterday in the company's time zone, and when it ended (UTC)."""
        calendar = self.env["res.company"]._op_calendar(company)
        tz = pytz.timezone(calendar.tz or "UTC")
        today = fields.Datetime.context_timestamp(
            self.with_context(tz=calendar.tz), fields.Datetime.now()
        ).date()
        end = tz.localize(datetime.combine(today, time.min)).astimezone(pytz.utc)
        return today - timedelta(days=1), end.replace(tzinfo=None)

    def action_submit(self):
        self._op_check_role("pmc_planner")
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("The statistics are already submitted."))
        process_write(self, {"state": "submitted", "submitted_by_id": self.env.user.id})
        return True

    def action_sign(self):
        """The PMC manager signs; a copy goes to Customer Management."""
        self._op_check_role("pmc_manager")
        if any(record.state == "signed" for record in self):
            raise UserError(self.env._("The statistics are already signed."))
        if any(record.state != "submitted" for record in self):
            raise UserError(self.env._("The PMC planner submits the statistics first."))
        self._op_check_not_submitter()
        process_write(
            self,
            {
                "state": "signed",
                "signed_by_id": self.env.user.id,
                "signed_on": fields.Datetime.now(),
            },
        )
        for record in self:
            users = self._op_role_users("customer_mgmt", record.company_id)
            as_messenger(record).message_subscribe(partner_ids=users.partner_id.ids)
            as_messenger(record).message_post(
                body=self.env._(
                    "Signed by %(user)s. Copy for Customer Management: follow up "
                    "the payment of %(orders)s (R19).",
                    user=self.env.user.name,
                    orders=", ".join(record.sale_order_ids.mapped("name")) or "-",
                ),
                partner_ids=users.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True
