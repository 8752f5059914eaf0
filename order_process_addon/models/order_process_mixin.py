# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError


class OrderProcessMixin(models.AbstractModel):
    """What every step of the process shares: the server-side role check
    (R36). The superuser passes: the portal and the process's own follow-up
    writes run as it, after their own checks."""

    _name = "order.process.mixin"
    _description = "Order Process Step"

    def _op_check_role(self, *roles):
        if self.env.su:
            return
        user = self.env.user
        if not any(user.has_group(f"order_process_addon.group_{r}") for r in roles):
            names = ", ".join(
                self.env.ref(f"order_process_addon.group_{r}").name for r in roles
            )
            raise AccessError(self.env._("Only %(roles)s may do this.", roles=names))
