# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# The steps that need a reason. The step's own method checks the role and
# the rules; the wizard only asks the reason.
OP_REASON_STEPS = frozenset(
    {
        ("order.production.plan", "action_release"),
        ("order.material.plan", "action_void"),
    }
)


class OrderReasonWizard(models.TransientModel):
    _name = "order.reason.wizard"
    _description = "Give a Reason"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    method = fields.Char(string="Step", required=True, readonly=True)
    reason = fields.Text(required=True)

    @api.model
    def _op_action(self, record, method, title):
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": record._name,
                "default_res_id": record.id,
                "default_method": method,
            },
        }

    def action_confirm(self):
        self.ensure_one()
        if (self.res_model, self.method) not in OP_REASON_STEPS:
            raise AccessError(self.env._("This step takes no reason."))
        record = self.env[self.res_model].browse(self.res_id)
        getattr(record, self.method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
