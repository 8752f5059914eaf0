# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def _create_user(self):
        """Grant portal access to a customer of a company that runs the Order
        Process: its user belongs to that company and sees its orders there
        (issue 18, item 4). Odoo puts the user in the partner's own company,
        which a customer's contact usually lacks, else in the company the
        administrator happens to work in."""
        company = self.partner_id._op_portal_company()
        if company and company != self.env.company:
            return super(PortalWizardUser, self.with_company(company))._create_user()
        return super()._create_user()
