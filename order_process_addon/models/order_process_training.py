# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import process_write
from .order_process_guard import ALL, Guard, Roles


class OrderProcessTraining(models.Model):
    """A training session on the order process (R33): topic, date, trainer
    and attendees. Administration (which organises the company's training)
    or the General Manager records it and marks it held; held, it is kept as
    it is, never deleted."""

    _name = "order.process.training"
    _description = "Process Training"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.guard"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): changed while planned, kept once held
    # (R33, R35).
    _op_guard = Guard(
        process=frozenset({"state"}),
        fixed=frozenset({"company_id"}),
        create=Roles("administration", "general_manager"),
        editable={"planned": ALL},
        deletable=frozenset(),
    )

    name = fields.Char(string="Topic", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    trainer_id = fields.Many2one("res.users", check_company=True)
    attendee_ids = fields.Many2many(
        "res.users",
        "order_process_training_res_users_rel",
        "training_id",
        "user_id",
        string="Attendees",
        check_company=True,
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count")
    content = fields.Text(help="What the session covered.")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Held")],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
    )

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for training in self:
            training.attendee_count = len(training.attendee_ids)

    def _check_can_done(self):
        for training in self:
            if training.state != "planned":
                raise UserError(
                    self.env._("%(document)s is already held.", document=training.name)
                )
            if not training.attendee_ids:
                raise UserError(
                    self.env._(
                        "%(document)s: record who attended (R33).",
                        document=training.name,
                    )
                )

    def action_done(self):
        """Administration or the General Manager records the session held."""
        self._op_check_role("administration", "general_manager")
        self._check_can_done()
        process_write(self, {"state": "done"})
        return True
