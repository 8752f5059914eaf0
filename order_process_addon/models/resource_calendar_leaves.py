# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    op_public_holiday_id = fields.Many2one(
        "order.public.holiday",
        string="Public Holiday",
        index="btree_not_null",
        ondelete="cascade",
        help="The published public holiday this time off was added for; "
        "it follows the holiday when its dates change or it is deleted (R34).",
    )
