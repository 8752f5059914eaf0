# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


class OrderReviewStep(models.Model):
    """A review step of the order review (R5, R10), configured as data.

    Steps of the same sequence run in parallel; a step starts only when every
    step of a lower sequence of the same round is approved. A step applies to
    an order when the order matches its domain (special requirements, rush,
    new product, amount, customer, sales team, ...)."""

    _name = "order.review.step"
    _description = "Order Review Step"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Steps with the same sequence are reviewed in parallel; a higher "
        "sequence waits until the lower ones are approved.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the step in every company.",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Reviewing Role",
        required=True,
        domain=lambda self: [
            (
                "category_id",
                "=",
                self.env.ref("order_process_addon.module_category_order_process").id,
            )
        ],
    )
    domain = fields.Char(
        string="Applies When",
        default="[]",
        required=True,
        help="The step applies to the orders matching this domain.",
    )
    deadline_hours = fields.Float(
        string="Deadline (working hours)",
        help="Working hours from the start of the step. Empty: the order's "
        "review deadline (R4, R6).",
    )
    records_delivery_date = fields.Boolean(
        string="Commits the Delivery Date",
        help="The reviewer answers the delivery date the company can commit "
        "to (PMC, R5, R7); approving requires it.",
    )
    exclude_requester = fields.Boolean(
        string="Not by the Order's Registrar or Sales Person",
        help="Segregation of duties (R37): the user who registered the order "
        "and its sales person may not decide this step, even when they hold "
        "the reviewing role.",
    )
    description = fields.Html(translate=True)

    @api.constrains("domain")
    def _check_domain(self):
        for step in self:
            try:
                domain = safe_eval(step.domain or "[]")
                self.env["sale.order"].search_count(domain, limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The condition of step %(step)s is not a valid domain: "
                        "%(error)s",
                        step=step.name,
                        error=error,
                    )
                ) from error

    @api.constrains("deadline_hours")
    def _check_deadline_hours(self):
        if any(step.deadline_hours < 0 for step in self):
            raise ValidationError(self.env._("A step deadline cannot be negative."))

    def _applies_to(self, order):
        """Whether this step reviews ``order``."""
        self.ensure_one()
        if self.company_id and self.company_id != order.company_id:
            return False
        domain = safe_eval(self.domain or "[]")
        return bool(order.filtered_domain(domain))
