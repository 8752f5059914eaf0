# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .elevation import read_across


class ResPartner(models.Model):
    _inherit = "res.partner"

    op_payment_before_shipment = fields.Boolean(
        string="Payment Before Shipment",
        company_dependent=True,
        help="This customer's terms require payment before goods are "
        "shipped: a shipment waits for Finance's confirmation (R21).",
    )

    def _op_portal_company(self):
        """The company running the Order Process whose customer this partner
        is, where its portal user belongs (issue 18, item 4): the company of
        the partner or of its commercial partner (a contact often has none),
        else that of its latest order of the process; or no company."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        company = self.company_id or commercial.company_id
        if not company:
            company = (
                read_across(self.env["sale.order"])
                .search(
                    [
                        ("partner_id", "child_of", commercial.id),
                        ("op_active", "=", True),
                    ],
                    order="id desc",
                    limit=1,
                )
                .company_id
            )
        return company.filtered("op_enabled")

    def signup_prepare(self, signup_type="signup"):
        """Write the signup type only where it changes.

        Odoo calls this for the customer on every notification about one of
        the customer's documents (the portal link in the e-mail), and writes
        the partner even when nothing changes. The process notifies often
        (an activity per reviewer, per decision, per answer), so concurrent
        steps on different orders of one customer all updated the same
        partner row and failed to serialise; under load some ran out of
        retries (found by `make load`)."""
        changed = self.filtered(lambda p: read_across(p).signup_type != signup_type)
        return super(ResPartner, changed).signup_prepare(signup_type=signup_type)
