# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import process_write
from .order_process_guard import Editable, Guard, Roles


class OrderFinalTest(models.Model):
    """The testing center's final test of a manufacturing order (R16): not
    a form of its own; Quality signs the production daily report (D7) once
    the day's orders have a signed, passed final test. A failed test blocks
    the receipt; a re-test after rework is a new record."""

    _name = "order.final.test"
    _description = "Final Test"
    _inherit = ["mail.thread", "order.process.guard"]
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

    @api.depends_context("lang")
    @api.depends("production_id.name")
    def _compute_display_name(self):
        # Not a form of its own (D7 is the production daily report): named
        # after its MO, in the reader's language.
        for test in self:
            test.display_name = self.env._(
                "Final Test %(mo)s", mo=test.production_id.name or ""
            )

    def _op_complete_vals(self, vals):
        vals["tester_id"] = self.env.user.id

    def action_sign(self):
        self._op_check_role("quality")
        if any(test.state != "draft" for test in self):
            raise UserError(self.env._("The final test is already signed."))
        process_write(
            self,
            {
                "state": "signed",
                "signed_by_id": self.env.user.id,
                "signed_on": fields.Datetime.now(),
            },
        )
        return True
