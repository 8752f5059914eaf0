# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from .elevation import as_job, process_write
from .order_process_guard import Editable, Guard, Roles

_lt = LazyTranslate(__name__)

ESCALATION = "order_process_addon.mail_activity_type_improvement_plan"

REQUIRED_FIELDS = ("owner_id", "deadline")
MANAGERS = ("pmc_manager", "general_manager")


class OrderImprovementPlan(models.Model):
    """An improvement plan (R33): what is to be improved, by whom (the
    owner) and by when (the deadline), optionally from a quarterly
    evaluation or a D13. The PMC manager and the General Manager plan and
    cancel; they or the owner start it and mark it done. A plan still open
    after its deadline escalates once, to the General Manager (the owners'
    manager role) and the Audit Center. Kept, never deleted."""

    _name = "order.improvement.plan"
    _description = "Improvement Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "deadline, id"
    _check_company_auto = True

    # Guard (order.process.guard): changed while planned or in progress,
    # kept as it is once done or cancelled (R33, R35).
    _op_guard = Guard(
        process=frozenset({"name", "state", "done_on", "escalated"}),
        fixed=frozenset({"company_id"}),
        # The PMC manager and the General Manager plan; the plan's owner (or
        # they) reports the result.
        create=Roles(*MANAGERS),
        editable={
            "planned": (
                Editable(but={"result"}, roles=MANAGERS),
                Editable(only={"result"}, check="_op_check_owner_or_role"),
            ),
            "in_progress": (
                Editable(but={"evaluation_id", "result"}, roles=MANAGERS),
                Editable(only={"result"}, check="_op_check_owner_or_role"),
            ),
        },
        deletable=frozenset(),
    )

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    description = fields.Text(required=True, string="What Is to Be Improved")
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        check_company=True,
        tracking=True,
        index=True,
    )
    deadline = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    evaluation_id = fields.Many2one(
        "order.process.evaluation",
        string="From Evaluation",
        check_company=True,
        index="btree_not_null",
    )
    late_analysis_id = fields.Many2one(
        "order.late.analysis",
        string="From D13",
        check_company=True,
        index="btree_not_null",
    )
    result = fields.Text(help="What was done and what it changed.")
    done_on = fields.Date(readonly=True)
    overdue = fields.Boolean(compute="_compute_overdue")
    escalated = fields.Boolean(
        readonly=True,
        copy=False,
        help="Overdue: escalated once to the General Manager and the Audit Center.",
    )

    @api.depends("deadline", "state")
    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.overdue = bool(
                plan.deadline
                and plan.deadline < today
                and plan.state in ("planned", "in_progress")
            )

    # ------------------------------------------------------------ R33
    @api.model_create_multi
    def create(self, vals_list):
        # Before the insert (whose NOT NULL error would say less).
        for vals in vals_list:
            self._op_check_owner_and_deadline(self._add_missing_default_values(vals))
        return super().create(vals_list)

    @api.constrains(*REQUIRED_FIELDS)
    def _check_owner_and_deadline(self):
        """R33: whoever changes it, with whatever context."""
        for plan in self:
            plan._op_check_owner_and_deadline(
                {name: plan[name] for name in REQUIRED_FIELDS}
            )

    def _op_check_owner_and_deadline(self, vals):
        names = [name for name in REQUIRED_FIELDS if not vals.get(name)]
        if names:
            raise ValidationError(
                self.env._(
                    "An improvement plan needs an owner and a deadline; missing: "
                    "%(fields)s (R33).",
                    fields=self._op_field_names(names),
                )
            )

    def _op_complete_vals(self, vals):
        self._op_assign_name(vals)

    # ------------------------------------------------------------ steps
    def _op_check_owner_or_role(self):
        """The PMC manager, the General Manager or the plan's owner."""
        if self.env.su or all(plan.owner_id == self.env.user for plan in self):
            return
        self._op_check_role("pmc_manager", "general_manager")

    def _check_can_move(self, states, target):
        for plan in self:
            if plan.state not in states:
                raise UserError(
                    self.env._(
                        "%(plan)s is %(state)s: it cannot become %(target)s.",
                        plan=plan.name,
                        state=plan._op_state_label(),
                        target=dict(
                            plan._fields["state"]._description_selection(self.env)
                        )[target],
                    )
                )

    def action_start(self):
        self._op_check_owner_or_role()
        self._check_can_move(("planned",), "in_progress")
        process_write(self, {"state": "in_progress"})
        return True

    def action_done(self):
        self._op_check_owner_or_role()
        self._check_can_move(("planned", "in_progress"), "done")
        for plan in self:
            if not (plan.result or "").strip():
                raise UserError(
                    self.env._(
                        "%(plan)s: write its result before it is done (R33).",
                        plan=plan.name,
                    )
                )
        process_write(
            self, {"state": "done", "done_on": fields.Date.context_today(self)}
        )
        # R33, R34: the escalation of a late plan ends with the plan.
        self._op_done_activities(
            ESCALATION, feedback=self.env._("Improvement plan done")
        )
        return True

    def action_cancel(self):
        self._op_check_role("pmc_manager", "general_manager")
        self._check_can_move(("planned", "in_progress"), "cancelled")
        process_write(self, {"state": "cancelled"})
        self._op_drop_activities(ESCALATION)
        return True

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_escalate_overdue(self, batch_size=None):
        """Daily: each plan still open after its deadline is escalated once
        to the General Manager and the Audit Center (R33), in batches."""
        batch = batch_size or self._op_cron_batch_size()
        domain = [
            ("state", "in", ("planned", "in_progress")),
            ("escalated", "=", False),
            ("deadline", "<", fields.Date.context_today(self)),
        ]
        plans = as_job(self).search(domain, order="deadline, id", limit=batch)
        items = []
        for plan in plans:
            summary = _lt(
                "The improvement plan %(plan)s of %(owner)s is past its deadline "
                "%(deadline)s (R33)",
                plan=plan.name,
                owner=plan.owner_id.name,
                deadline=plan.deadline,
            )
            items.append((plan, summary, summary._translate(self.env.lang)))
        subject = _lt("Overdue improvement plans (R33)")
        self._op_escalate("general_manager", items, ESCALATION, subject)
        self._op_escalate("audit", items, ESCALATION, subject)
        plans.write({"escalated": True})
        self._op_cron_progress(len(plans), domain, batch)
        return plans
