# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

from .order_process_guard import Editable, Guard, Roles


class OrderFinalTest(models.Model):
    """The testing center's final test of a manufacturing order, signed on
    the production daily report D7 (R16). A failed test blocks the receipt;
    a re-test after rework is a new record."""

    _name = "order.final.test"
    _description = "Final Test (D7)"
    _inherit = ["mail.thread", "order.process.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the tester records a draft; Quality's
    # signature freezes it; a re-test is a new record (R16, R35).
    _op_guard = Guard(
        process=frozenset({"state", "signed_by_id", "signed_on", "tester_id"}),
        fixed=frozenset({"production_id"}),
        # Quality's testing center records it (R16), as the user: the MO
        # must be one of the user's companies.
        create=Roles("quality"),
        editable={"draft": Editable(but={"company_id"})},
        deletable=frozenset(),
    )

    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing Order",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="production_id.company_id", store=True, index=True, precompute=True
    )
    lot_id = fields.Many2one("stock.lot", check_company=True)
    tester_id = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    tested_on = fields.Datetime(required=True, default=fields.Datetime.now)
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")], required=True, tracking=True
    )
    measurements = fields.Text()
    notes = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("voided", "Voided")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    signed_by_id = fields.Many2one("res.users", readonly=True)
    signed_on = fields.Datetime(readonly=True)

    def _op_complete_vals(self, vals):
        vals["tester_id"] = self.env.user.id

    def action_sign(self):
        self._op_check_role("quality")
        if any(test.state != "draft" for test in self):
            raise UserError(self.env._("The final test is already signed."))
        self.sudo().write(
            {
                "state": "signed",
                "signed_by_id": self.env.user.id,
                "signed_on": fields.Datetime.now(),
            }
        )
        return True
