# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import LazyTranslate

from .elevation import as_job, process_create, process_write, read_across
from .order_process_guard import Editable, Guard
from .vocabulary import DEPARTMENT_MANAGER, DEPARTMENT_ROLES, DEPARTMENTS

_lt = LazyTranslate(__name__)

CAUSE_CATEGORIES = [
    ("material", "Material Shortage"),
    ("capacity", "Capacity"),
    ("equipment", "Equipment or Tooling"),
    ("quality", "Quality Problem"),
    ("planning", "Planning or Scheduling"),
    ("technical", "Technical or Drawing"),
    ("customer", "Customer Change"),
    ("logistics", "Logistics"),
    ("other", "Other"),
]

LATE_ACTIVITY = "order_process_addon.mail_activity_type_late_analysis"

CONTENT_FIELDS = frozenset(
    {"cause_category", "root_cause", "measures", "measure_owner_id", "measure_date"}
)


class OrderLateAnalysis(models.Model):
    """D13, the late-order cause analysis (R30): opened by the scheduled
    action for each order that has just become late, written by the
    responsible department within 24 working hours, accepted by the PMC
    manager; a missing D13 escalates once. Kept, never deleted."""

    _name = "order.late.analysis"
    _description = "Late-Order Cause Analysis (D13)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): opened by the scheduled action, written
    # by the department while to write, then frozen and kept (R30, R35).
    _op_guard = Guard(
        process=frozenset(
            {
                "name",
                "order_id",
                "fact_id",
                "company_id",
                "department",
                "state",
                "deadline",
                "submitted_by_id",
                "submitted_on",
                "accepted_by_id",
                "accepted_on",
                "escalated",
            }
        ),
        editable={"draft": Editable(only=CONTENT_FIELDS, check="_op_check_department")},
        deletable=frozenset(),
    )

    name = fields.Char(string="Number", readonly=True, copy=False, default="/")
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    fact_id = fields.Many2one(
        "order.kpi.fact", string="Achievement Fact", readonly=True, index=True
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    due_date = fields.Date(related="fact_id.due_date")
    days_late = fields.Integer(related="fact_id.days_late")
    department = fields.Selection(
        DEPARTMENTS,
        string="Responsible Department",
        required=True,
        readonly=True,
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "To Write"), ("submitted", "Submitted"), ("accepted", "Accepted")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    deadline = fields.Datetime(
        readonly=True,
        help="24 working hours after the order became late (R30).",
    )
    cause_category = fields.Selection(CAUSE_CATEGORIES)
    root_cause = fields.Text()
    measures = fields.Text(string="Improvement Measures")
    measure_owner_id = fields.Many2one(
        "res.users", string="Measures Owner", check_company=True
    )
    measure_date = fields.Date(string="Measures Due")
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    accepted_by_id = fields.Many2one("res.users", readonly=True)
    accepted_on = fields.Datetime(readonly=True)
    submitted_late = fields.Boolean(compute="_compute_submitted_late", store=True)
    escalated = fields.Boolean(readonly=True, copy=False)

    _sql_constraints = [
        ("order_unique", "UNIQUE(order_id)", "One late-order analysis per order."),
    ]

    @api.depends("submitted_on", "deadline")
    def _compute_submitted_late(self):
        for analysis in self:
            analysis.submitted_late = bool(
                analysis.submitted_on
                and analysis.deadline
                and analysis.submitted_on > analysis.deadline
            )

    def _op_complete_vals(self, vals):
        self._op_assign_name(vals)

    def _op_check_department(self):
        """Only the responsible department writes its D13 (R30)."""
        if self.env.su:
            return
        for analysis in self:
            roles = DEPARTMENT_ROLES.get(analysis.department, ())
            if not any(
                self.env.user.has_group(f"order_process_addon.group_{role}")
                for role in roles
            ):
                raise AccessError(
                    self.env._(
                        "%(document)s is written by %(department)s.",
                        document=analysis.name,
                        department=analysis._op_department_label(),
                    )
                )

    def _op_department_label(self):
        return dict(self._fields["department"]._description_selection(self.env))[
            self.department
        ]

    # ------------------------------------------------------------ steps
    def _check_can_submit(self):
        for analysis in self:
            if analysis.state != "draft":
                raise UserError(
                    self.env._(
                        "%(document)s is already submitted.", document=analysis.name
                    )
                )
            missing = [
                analysis._fields[name].get_description(self.env)["string"]
                for name in (
                    "cause_category",
                    "root_cause",
                    "measures",
                    "measure_owner_id",
                    "measure_date",
                )
                if not (analysis[name] or "")
                or (isinstance(analysis[name], str) and not analysis[name].strip())
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "%(document)s needs %(fields)s before it is submitted (R30).",
                        document=analysis.name,
                        fields=", ".join(missing),
                    )
                )

    def action_submit(self):
        """The responsible department submits its cause analysis."""
        self._op_check_role(*{r for roles in DEPARTMENT_ROLES.values() for r in roles})
        self._op_check_department()
        self._check_can_submit()
        process_write(
            self,
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "submitted_on": fields.Datetime.now(),
            },
        )
        self._op_done_activities(
            LATE_ACTIVITY,
            feedback=self.env._("Cause analysis submitted"),
        )
        for analysis in self:
            analysis._op_notify_group(
                "pmc_manager",
                _lt("Accept the cause analysis %(d)s (R30)", d=analysis.name),
                activity_xmlid="order_process_addon.mail_activity_type_late_analysis",
            )
        return True

    def action_accept(self):
        """The PMC manager accepts the analysis (not the one who wrote it)."""
        self._op_check_role("pmc_manager")
        for analysis in self:
            if analysis.state != "submitted":
                raise UserError(
                    self.env._("%(document)s is not submitted.", document=analysis.name)
                )
        self._op_check_not_submitter()
        process_write(
            self,
            {
                "state": "accepted",
                "accepted_by_id": self.env.user.id,
                "accepted_on": fields.Datetime.now(),
            },
        )
        self._op_done_activities(
            LATE_ACTIVITY,
            feedback=self.env._("Cause analysis accepted"),
        )
        return True

    # ------------------------------------------------------------ cron
    def _op_ask_department(self):
        """The to-do of each D13 for the users of its department, due at its
        deadline."""
        for analysis in self:
            roles = DEPARTMENT_ROLES.get(analysis.department, ("pmc_manager",))
            summary = _lt(
                "%(order)s is late: write its cause analysis %(d)s within 24 "
                "working hours (R30)",
                order=analysis.order_id.name,
                d=analysis.name,
            )
            users = self.env["res.users"]
            for role in roles:
                users |= self._op_role_users(role, analysis.company_id)
            analysis._op_schedule(
                [(analysis, user) for user in users],
                summary,
                analysis.deadline,
                LATE_ACTIVITY,
                robot_event="d13_due",
                robot_roles=roles,
            )

    def _op_follow_responsibility(self, department):
        """The PMC manager charged the order to another department (R30): a
        D13 still to write moves to it, with the same deadline; the former
        department's to-dos are closed (kept in the chatter)."""
        moving = self.filtered(
            lambda a: a.state == "draft" and a.department != department
        )
        if not moving:
            return
        # Their work moved (the change of department is tracked): removed.
        moving._op_drop_activities(LATE_ACTIVITY)
        process_write(moving, {"department": department})
        moving._op_ask_department()

    @api.model
    def _cron_open_and_escalate(self, batch=200):
        """Opens one D13 per order that has just become late, for its
        responsible department, due in 24 working hours; escalates each D13
        still to write past its deadline, once, to the department's manager
        role and the Audit Center (R30)."""
        facts = read_across(self.env["order.kpi.fact"]).search(
            [
                ("status", "=", "failed"),
                ("failure_cause", "in", ("open", "late")),
                ("late_analysis_ids", "=", False),
            ],
            order="id",
            limit=batch,
        )
        now = fields.Datetime.now()
        vals_list = []
        for fact in facts:
            calendar = self.env["res.company"]._op_calendar(fact.company_id)
            vals_list.append(
                {
                    "order_id": fact.order_id.id,
                    "fact_id": fact.id,
                    "department": fact.responsible_department or "pmc",
                    "deadline": calendar.op_plan_working_time(now, hours=24),
                }
            )
        opened = process_create(self, vals_list)
        opened._op_ask_department()
        overdue = as_job(self).search(
            [
                ("state", "=", "draft"),
                ("escalated", "=", False),
                ("deadline", "<", now),
            ],
            limit=batch,
        )
        for analysis in overdue:
            manager = DEPARTMENT_MANAGER.get(analysis.department, "general_manager")

            def summary(env, analysis=analysis):
                return env._(
                    "The cause analysis %(d)s of %(order)s by %(department)s is "
                    "overdue (R30)",
                    d=analysis.name,
                    order=analysis.order_id.name,
                    department=analysis.with_env(env)._op_department_label(),
                )

            analysis._op_notify_group(
                manager,
                summary,
                activity_xmlid="order_process_addon.mail_activity_type_late_analysis",
                robot_event="d13_overdue",
            )
            analysis._op_notify_group(
                "audit",
                summary,
                activity_xmlid="order_process_addon.mail_activity_type_late_analysis",
                robot_event="d13_overdue",
            )
        overdue.write({"escalated": True})
        remaining = 0
        if len(facts) == batch or len(overdue) == batch:
            remaining = batch
        self.env["ir.cron"]._notify_progress(
            done=len(opened) + len(overdue), remaining=remaining
        )
        return opened
