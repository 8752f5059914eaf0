# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class OrderAnswerWizard(models.TransientModel):
    _name = "order.answer.wizard"
    _description = "Answer an Order's Review Result"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    committed_date = fields.Date(
        compute="_compute_committed_date", store=True, readonly=False, required=True
    )
    conditions = fields.Text()

    @api.depends("order_id")
    def _compute_committed_date(self):
        for wizard in self:
            order = wizard.order_id
            pmc = order.op_review_ids.filtered(
                lambda r, o=order: r.round == o.op_review_round and r.committed_date
            )[:1]
            wizard.committed_date = pmc.committed_date or order.op_requested_date

    def action_confirm(self):
        self.ensure_one()
        self.order_id.action_op_answer(
            committed_date=self.committed_date, conditions=self.conditions
        )
        return {"type": "ir.actions.act_window_close"}
