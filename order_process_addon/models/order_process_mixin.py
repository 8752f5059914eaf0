# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class OrderProcessMixin(models.AbstractModel):
    """A document of the process that gives people work: its guard
    (``order.process.guard``: the rules are declared at the top of each
    model as ``_op_guard = Guard(...)``) and its to-dos, deadlines and
    escalation (``order.process.todo``). A model that only needs one of
    them inherits that one (issue 20, item 2): derived tables and lines
    inherit the guard only."""

    _name = "order.process.mixin"
    _inherit = ["order.process.guard", "order.process.todo"]
    _description = "Order Process Step"
