# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An order entering the process (intake, R1, R2, R8, R36): which orders the
guard covers (those of a company that runs the process), an order enters it
as an unsigned quotation, and the customer's original order uploaded before
the first save belongs to the order."""

from odoo import api, models
from odoo.exceptions import UserError

from .elevation import as_process


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _op_guarded(self):
        return self.filtered("op_active")

    def _op_guarded_vals(self, vals):
        # Wherever the company runs the process: an order created without a
        # team gets one from Odoo afterwards (and is checked again then).
        return self._op_company_of_vals(vals).op_enabled

    def _op_company_of_vals(self, vals):
        if vals.get("company_id"):
            return self.env["res.company"].browse(vals["company_id"])
        return self.env.company

    def _op_check_enters_clean(self):
        """R8, R36: an order enters the process as a quotation, unsigned (a
        signature given outside the process does not come in with it)."""
        dirty = self.filtered(
            lambda o: (
                o.op_active
                and (
                    o.signature
                    or o.signed_by
                    or o.signed_on
                    or o.state not in ("draft", "sent")
                    or o.op_state != "draft"
                )
            )
        )
        if dirty:
            raise UserError(
                self.env._(
                    "%(orders)s is signed or confirmed: it cannot enter the Order "
                    "Process, which starts from an unsigned quotation.",
                    orders=", ".join(dirty.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # Decide now, with the settings in force at creation, rather than
        # lazily at the next flush.
        orders.flush_recordset(["op_active"])
        if any("op_source_attachment_ids" in vals for vals in vals_list):
            orders._op_attach_sources()
        return orders

    def write(self, vals):
        if "op_first_committed_date" in vals and any(
            o.op_state == "effective" for o in self
        ):
            raise UserError(
                self.env._(
                    "The first committed date is kept as the customer signed it "
                    "and cannot be changed."
                )
            )
        entering = self.browse()
        if not self.env.su and ("company_id" in vals or "team_id" in vals):
            entering = self.filtered(lambda o: not o.op_active)
        res = super().write(vals)
        if "op_source_attachment_ids" in vals:
            self._op_attach_sources()
        if "company_id" in vals or "team_id" in vals:
            self.flush_recordset(["op_active"])
            entering._op_check_enters_clean()
        return res

    def _op_attach_sources(self):
        """R2: the customer's original order, uploaded on a new order before
        its first save (the web client then sends no record id), belongs to
        the order, so that every reviewer reads it (issue 18, item 3). Only
        the user's own loose uploads on an order are attached."""
        for order in self:
            loose = as_process(order.op_source_attachment_ids).filtered(
                lambda a: (
                    not a.res_id
                    and a.res_model == self._name
                    and not a.res_field
                    and a.create_uid == self.env.user
                )
            )
            loose.write({"res_id": order.id})
