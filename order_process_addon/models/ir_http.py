# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The customer portal's own web strings in the customer's language
        (issue 18, item 4): its chatter is mail's component ("The
        conversation is empty.") and the order page runs sale's
        scripts, whose translations Odoo does not load on the portal."""
        modules = super()._get_translation_frontend_modules_name()
        return modules + [name for name in ("mail", "sale") if name not in modules]
