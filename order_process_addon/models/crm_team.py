# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    op_enabled = fields.Boolean(
        string="Order Process",
        help="When the company runs the order process for selected sales "
        "teams only, the orders of this team follow it.",
    )
