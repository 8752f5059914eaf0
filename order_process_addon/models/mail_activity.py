# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    op_review_id = fields.Many2one(
        "order.review",
        string="Order Review",
        index="btree_not_null",
        ondelete="set null",
    )
