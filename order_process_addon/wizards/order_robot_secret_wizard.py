# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError


class OrderRobotSecretWizard(models.TransientModel):
    """Replace a group robot's webhook address or signing secret (issue 21,
    item 1): what was saved is never shown again, a new one replaces it."""

    _name = "order.robot.secret.wizard"
    _description = "Replace a Group Robot's Webhook or Secret"

    robot_id = fields.Many2one("order.robot", required=True, ondelete="cascade")
    platform = fields.Selection(related="robot_id.platform")
    webhook_url = fields.Char(string="New Webhook")
    secret = fields.Char(string="New Signing Secret")
    remove_secret = fields.Boolean(
        string="Remove the Secret",
        help="The group no longer signs its robot's messages.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.robot_id._op_check_admin()
        vals = {}
        if (self.webhook_url or "").strip():
            vals["webhook_url"] = self.webhook_url
        if self.remove_secret:
            vals["secret"] = False
        elif (self.secret or "").strip():
            vals["secret"] = self.secret
        if not vals:
            raise UserError(
                self.env._("Paste the new webhook address or signing secret.")
            )
        self.robot_id.write(vals)
        # The wizard's copy goes at once (transient records are kept a while).
        self.write({"webhook_url": False, "secret": False})
        return {"type": "ir.actions.act_window_close"}
