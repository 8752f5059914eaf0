# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.vocabulary import DEPARTMENTS

# The steps that need a reason. The step's own method checks the role and
# the rules; the wizard only asks the reason.
OP_REASON_STEPS = frozenset(
    {
        ("order.production.plan", "action_release"),
        ("order.material.plan", "action_void"),
        ("sale.order", "action_op_cancel"),
        ("sale.order", "action_op_override_payment"),
        ("stock.picking", "action_op_release_outgoing"),
        ("sale.order", "action_op_release_to_credit"),
        ("order.shipping.order", "action_return"),
        ("order.shipping.order", "action_recall"),
        ("order.loading.check", "action_void"),
        ("order.gate.check", "action_void"),
        ("order.carrier.booking", "action_void"),
        ("order.kpi.fact", "action_set_responsibility"),
    }
)
# ... and those that also ask who is responsible.
OP_DEPARTMENT_STEPS = frozenset(
    {
        ("sale.order", "action_op_cancel"),
        ("order.shipping.order", "action_recall"),
        ("order.kpi.fact", "action_set_responsibility"),
    }
)
# ... and those that also ask a new date (optional).
OP_DATE_STEPS = frozenset({("order.shipping.order", "action_recall")})


class OrderReasonWizard(models.TransientModel):
    _name = "order.reason.wizard"
    _description = "Give a Reason"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    method = fields.Char(string="Process Step", required=True, readonly=True)
    reason = fields.Text(required=True)
    needs_department = fields.Boolean(compute="_compute_needs_department")
    needs_date = fields.Boolean(compute="_compute_needs_department")
    new_date = fields.Date(
        string="Proposed New Date",
        help="The new date to agree with PMC; leave empty when the shipment is "
        "cancelled.",
    )
    department = fields.Selection(
        DEPARTMENTS,
        string="Requested By / Responsible",
        help="The customer, or the company department responsible.",
    )

    @api.depends("res_model", "method")
    def _compute_needs_department(self):
        for wizard in self:
            wizard.needs_department = (
                wizard.res_model,
                wizard.method,
            ) in OP_DEPARTMENT_STEPS
            wizard.needs_date = (wizard.res_model, wizard.method) in OP_DATE_STEPS

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
        if (self.res_model, self.method) in OP_DATE_STEPS:
            getattr(record, self.method)(self.reason, self.department, self.new_date)
        elif (self.res_model, self.method) in OP_DEPARTMENT_STEPS:
            getattr(record, self.method)(self.reason, self.department)
        else:
            getattr(record, self.method)(self.reason)
        return {"type": "ir.actions.act_window_close"}
