# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .elevation import read_across


class OrderCarrierContract(models.Model):
    """R25: a contract with a carrier (an Odoo delivery method, its company,
    or both): validity dates, terms, liability, rates, the signed document.
    The shipping group books carriers only under a contract valid on the
    planned arrival date. A contract that carried a delivery is archived,
    never deleted, and keeps its carrier."""

    _name = "order.carrier.contract"
    _description = "Carrier Contract"
    _inherit = ["mail.thread"]
    _order = "date_end desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Contract Reference", required=True, tracking=True)
    carrier_id = fields.Many2one(
        "delivery.carrier",
        string="Delivery Method",
        check_company=True,
        tracking=True,
        help="Odoo's delivery method of this carrier, if any: a booking under "
        "this contract sets it on the delivery, so the delivery slip shows it.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Carrier Company",
        check_company=True,
        tracking=True,
        index="btree_not_null",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        tracking=True,
    )
    date_start = fields.Date(string="Valid From", required=True, tracking=True)
    date_end = fields.Date(string="Valid Until", required=True, tracking=True)
    terms = fields.Text(tracking=True)
    liability = fields.Text(
        tracking=True, help="Who answers for loss, damage and delay, and how much."
    )
    rate_notes = fields.Text(string="Rates", tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "order_carrier_contract_attachment_rel",
        "contract_id",
        "attachment_id",
        string="Documents",
        help="The signed contract and its annexes.",
    )
    active = fields.Boolean(default=True, tracking=True)
    is_valid = fields.Boolean(
        string="Valid",
        compute="_compute_is_valid",
        search="_search_is_valid",
        help="Active and valid on the day (context key op_valid_on, today by default).",
    )
    booking_ids = fields.One2many(
        "order.carrier.booking", "contract_id", string="Bookings", readonly=True
    )
    booking_count = fields.Integer(compute="_compute_booking_count")

    _sql_constraints = [
        (
            "date_range",
            "CHECK(date_start <= date_end)",
            "A carrier contract cannot end before it starts.",
        ),
    ]

    def _op_valid_day(self):
        day = self.env.context.get("op_valid_on")
        return fields.Date.to_date(day) if day else fields.Date.context_today(self)

    @api.depends("active", "date_start", "date_end")
    @api.depends_context("op_valid_on")
    def _compute_is_valid(self):
        day = self._op_valid_day()
        for contract in self:
            contract.is_valid = contract._op_valid_on(day)

    def _search_is_valid(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search valid contracts with = or != only."))
        day = self._op_valid_day()
        valid = [
            ("active", "=", True),
            ("date_start", "<=", day),
            ("date_end", ">=", day),
        ]
        if (operator == "=") == value:
            return valid
        return [
            "|",
            "|",
            ("active", "=", False),
            ("date_start", ">", day),
            ("date_end", "<", day),
        ]

    def _compute_booking_count(self):
        counts = dict(
            self.env["order.carrier.booking"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            contract.booking_count = counts.get(contract, 0)

    @api.depends("name", "carrier_id", "partner_id")
    def _compute_display_name(self):
        for contract in self:
            carrier = contract.carrier_id.name or contract.partner_id.name
            contract.display_name = (
                f"{contract.name} ({carrier})" if carrier else contract.name
            )

    @api.constrains("carrier_id", "partner_id")
    def _check_carrier(self):
        for contract in self:
            if not (contract.carrier_id or contract.partner_id):
                raise ValidationError(
                    self.env._(
                        "Carrier contract %(contract)s: give the delivery method "
                        "or the carrier company.",
                        contract=contract.name,
                    )
                )

    def write(self, vals):
        """A contract that carried a delivery keeps its carrier and company:
        its bookings show them (R25, R35)."""
        kept = {"carrier_id", "partner_id", "company_id"}.intersection(vals)
        if kept:
            for contract in read_across(self).filtered("booking_ids"):
                if any(contract[name].id != (vals[name] or False) for name in kept):
                    raise UserError(
                        self.env._(
                            "Carrier contract %(contract)s was used for bookings: "
                            "its carrier and company do not change. Archive it "
                            "and record a new contract.",
                            contract=contract.display_name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = read_across(self).filtered("booking_ids")
        if used:
            raise UserError(
                self.env._(
                    "%(contracts)s carried deliveries: archive it instead of "
                    "deleting it (R35).",
                    contracts=", ".join(used.mapped("display_name")),
                )
            )

    def _op_valid_on(self, day):
        """Whether this contract may carry a delivery on ``day``."""
        self.ensure_one()
        return bool(
            self.active
            and self.date_start
            and self.date_end
            and self.date_start <= day <= self.date_end
        )

    def action_view_bookings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Bookings"),
            "res_model": "order.carrier.booking",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"create": False},
        }
