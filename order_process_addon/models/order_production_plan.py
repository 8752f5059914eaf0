# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate
from odoo.tools.sql import create_index

from .elevation import as_process, process_create, process_write, read_across
from .order_process_guard import ALL, NOTES_ONLY, Guard

_lt = LazyTranslate(__name__)

PLAN = "order_process_addon.mail_activity_type_plan"
APPROVE = "order_process_addon.mail_activity_type_plan_approve"
RELEASE = "order_process_addon.mail_activity_type_plan_release"
ESCALATION = "order_process_addon.mail_activity_type_plan_escalation"


class OrderProductionPlan(models.Model):
    """D4, the production plan of one production day (R12, R13).

    Drafted by the PMC planner, approved by the PMC manager (not by the person
    who submitted it) and released before the configured time of its day. A
    manufacturing order of an effective order starts, and its materials are
    issued, only once its plan is released (R14)."""

    _name = "order.production.plan"
    _description = "Production Plan (D4)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "plan_date desc, id desc"
    _check_company_auto = True

    # Guard (order.process.guard): written by the plan's own steps only
    # (R13, R36); a draft is the planner's, then only notes change.
    _op_guard = Guard(
        process=frozenset(
            {
                "state",
                "submitted_by_id",
                "submitted_on",
                "approved_by_id",
                "approved_on",
                "released_by_id",
                "released_on",
                "released_late",
                "late_reason",
                "escalated",
                "daily_report_ids",
            }
        ),
        fixed=frozenset({"name"}),
        editable={
            "draft": ALL,
            "submitted": NOTES_ONLY,
            "approved": NOTES_ONLY,
            "released": NOTES_ONLY,
        },
        deletable=frozenset({"draft"}),
    )

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    plan_date = fields.Date(
        string="Production Day", required=True, tracking=True, index=True
    )
    workcenter_id = fields.Many2one(
        "mrp.workcenter", string="Work Center", check_company=True, tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("released", "Released"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    production_ids = fields.One2many(
        "mrp.production", "op_plan_id", string="Manufacturing Orders"
    )
    production_count = fields.Integer(compute="_compute_production_count")
    release_deadline = fields.Datetime(
        compute="_compute_release_deadline", store=True, readonly=True
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    released_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    released_on = fields.Datetime(readonly=True, copy=False)
    released_late = fields.Boolean(readonly=True, copy=False, tracking=True)
    late_reason = fields.Text(readonly=True, copy=False)
    escalated = fields.Boolean(readonly=True, copy=False)
    release_overdue = fields.Boolean(
        compute="_compute_release_overdue",
        help="The release deadline has passed: a release needs a reason.",
    )
    daily_report_ids = fields.One2many(
        "order.production.daily.report",
        "plan_id",
        string="Production Daily Reports (D7)",
    )
    notes = fields.Html()

    _sql_constraints = [
        (
            "day_workcenter_uniq",
            "UNIQUE(company_id, plan_date, workcenter_id)",
            "There is already a production plan for this day and work center.",
        )
    ]

    @api.depends("production_ids")
    def _compute_production_count(self):
        for plan in self:
            plan.production_count = len(plan.production_ids)

    @api.depends("release_deadline")
    def _compute_release_overdue(self):
        now = fields.Datetime.now()
        for plan in self:
            plan.release_overdue = bool(
                plan.release_deadline and plan.release_deadline < now
            )

    def action_open_late_release(self):
        self.ensure_one()
        return self.env["order.reason.wizard"]._op_action(
            self, "action_release", self.env._("Release Late")
        )

    @api.depends("plan_date", "company_id.op_plan_release_time")
    def _compute_release_deadline(self):
        for plan in self:
            if not plan.plan_date:
                plan.release_deadline = False
                continue
            calendar = self.env["res.company"]._op_calendar(plan.company_id)
            plan.release_deadline = calendar.op_local_datetime(
                plan.plan_date, plan.company_id.op_plan_release_time
            )

    def init(self):
        res = super().init()
        # The release escalation reads the plans not released yet.
        create_index(
            self.env.cr,
            "order_production_plan_unreleased_index",
            self._table,
            ["release_deadline"],
            where="state IN ('draft', 'submitted', 'approved')",
        )
        return res

    def _op_complete_vals(self, vals):
        self._op_assign_name(vals)

    @api.model_create_multi
    def create(self, vals_list):
        links = [vals.pop("production_ids", None) for vals in vals_list]
        plans = super().create(vals_list)
        for plan, commands in zip(plans, links, strict=True):
            if commands:
                plan._op_set_productions(commands)
        return plans

    def write(self, vals):
        if "production_ids" not in vals:
            return super().write(vals)
        vals = dict(vals)
        commands = vals.pop("production_ids")
        # The state rule first (only a draft takes MOs), then the links.
        if not self.env.su:
            self._op_check_write({"production_ids": commands})
        res = super().write(vals) if vals else True
        for plan in self:
            plan._op_set_productions(commands)
        return res

    def _op_set_productions(self, commands):
        """R12, R13: the planner puts manufacturing orders of its company into
        a draft plan, or takes them out; an MO in a submitted, approved or
        released plan moves only by the PMC manager's insertion."""
        self.ensure_one()
        self._op_check_role("pmc_planner")
        productions = self.env["mrp.production"]
        current = read_across(self).production_ids
        wanted = current
        for command in commands:
            if isinstance(command, int):
                command = (Command.LINK, command, 0)
            op = command[0]
            if op == Command.LINK:
                wanted |= productions.browse(command[1])
            elif op == Command.UNLINK:
                wanted -= productions.browse(command[1])
            elif op == Command.SET:
                wanted = productions.browse(command[2])
            elif op == Command.CLEAR:
                wanted = productions
            else:
                raise UserError(
                    self.env._(
                        "A production plan takes existing manufacturing orders: "
                        "create the order in Manufacturing, then add it."
                    )
                )
        added, removed = wanted - current, current - wanted
        if (added or removed) and self.state != "draft" and not self.env.su:
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s: only the PMC manager inserts an order, "
                    "with a reason.",
                    plan=self.name,
                    state=self._op_state_label(),
                )
            )
        # Checked as the user: the MOs of the user's companies.
        added.check_access("read")
        for production in added:
            if production.company_id != self.company_id:
                raise UserError(
                    self.env._(
                        "%(mo)s belongs to another company than %(plan)s.",
                        mo=production.name,
                        plan=self.name,
                    )
                )
            if production.state in ("done", "cancel"):
                raise UserError(
                    self.env._("%(mo)s is done or cancelled.", mo=production.name)
                )
            other = read_across(production).op_plan_id
            if other and other.state != "draft":
                raise UserError(
                    self.env._(
                        "%(mo)s is already in %(plan)s, which is %(state)s.",
                        mo=production.name,
                        plan=other.name,
                        state=other._op_state_label(),
                    )
                )
        process_write(added, {"op_plan_id": self.id})
        process_write(removed, {"op_plan_id": False})

    # ------------------------------------------------------------ guards
    def _check_can_submit(self):
        self._op_check_role("pmc_planner")
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("%(plan)s is already submitted.", plan=plan.name)
                )
            if not plan.production_ids:
                raise UserError(
                    self.env._("Add the manufacturing orders of the day first.")
                )

    def _check_can_approve(self):
        self._op_check_role("pmc_manager")
        for plan in self:
            if plan.state != "submitted":
                raise UserError(self.env._("Only a submitted plan can be approved."))
        self._op_check_not_submitter()

    def _check_can_release(self, late_reason=None):
        self._op_check_role("pmc_planner")
        now = fields.Datetime.now()
        for plan in self:
            if plan.state != "approved":
                raise UserError(
                    self.env._(
                        "%(plan)s must be approved by the PMC manager before "
                        "release (R13).",
                        plan=plan.name,
                    )
                )
            if (
                plan.release_deadline
                and now > plan.release_deadline
                and not self._op_text(late_reason)
            ):
                raise UserError(
                    self.env._(
                        "%(plan)s is released after its deadline %(deadline)s: "
                        "give the reason of the late release.",
                        plan=plan.name,
                        deadline=plan._op_format_datetime(plan.release_deadline),
                    )
                )

    # ------------------------------------------------------------ actions
    def action_submit(self):
        self._check_can_submit()
        process_write(
            self,
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "submitted_on": fields.Datetime.now(),
            },
        )
        # R12: the orders of the plan are planned.
        orders = self.production_ids.op_sale_order_id.filtered(
            lambda o: not o.op_planned_on
        )
        process_write(orders, {"op_planned_on": fields.Datetime.now()})
        # The D4 to-do of each order and its escalation (R12, R34) end.
        orders._op_done_activities(
            [PLAN, ESCALATION],
            feedback=self.env._(
                "Planned in %(plans)s", plans=", ".join(self.mapped("name"))
            ),
        )
        for plan in self:
            plan._op_notify_group(
                "pmc_manager",
                _lt("Approve production plan %(plan)s", plan=plan.name),
                plan.release_deadline,
                APPROVE,
                exclude=self.env.user,
            )
        return True

    def action_approve(self):
        self._check_can_approve()
        process_write(
            self,
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_on": fields.Datetime.now(),
            },
        )
        for plan in self:
            plan._op_done_activities(
                APPROVE, feedback=self.env._("%(plan)s approved", plan=plan.name)
            )
            # R13, R34: the release is due before the configured time.
            plan._op_notify_user(
                plan.submitted_by_id,
                lambda env, plan=plan: env._(
                    "Release production plan %(plan)s before %(deadline)s",
                    plan=plan.name,
                    deadline=plan.with_env(env)._op_format_datetime(
                        plan.release_deadline
                    ),
                ),
                plan.plan_date,
                RELEASE,
            )
        return True

    def action_release(self, late_reason=None):
        self._check_can_release(late_reason)
        now = fields.Datetime.now()
        for plan in self:
            late = bool(plan.release_deadline and now > plan.release_deadline)
            # The release to-do and the escalation of a late release (R34).
            plan._op_done_activities(
                [RELEASE, ESCALATION],
                feedback=self.env._("%(plan)s released", plan=plan.name),
            )
            process_write(
                plan,
                {
                    "state": "released",
                    "released_by_id": self.env.user.id,
                    "released_on": now,
                    "released_late": late,
                    "late_reason": late_reason if late else False,
                },
            )
            if not plan.daily_report_ids:
                # R16: the day's production daily report follows the plan.
                process_create(
                    self.env["order.production.daily.report"], {"plan_id": plan.id}
                )
            if late:
                plan.message_post(
                    body=self.env._(
                        "Released late (deadline %(deadline)s): %(reason)s",
                        deadline=plan._op_format_datetime(plan.release_deadline),
                        reason=late_reason,
                    ),
                    subtype_xmlid="mail.mt_comment",
                )
        return True

    def action_insert_rush(self, production, reason):
        """R6, R13: a rush order joins a released plan with the PMC manager's
        approval, recorded on the order and in the plan's chatter."""
        self.ensure_one()
        self._op_check_role("pmc_manager")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for inserting the order."))
        if isinstance(production, int) and not isinstance(production, bool):
            production = self.env["mrp.production"].browse(production).exists()
        if (
            not isinstance(production, models.BaseModel)
            or production._name != "mrp.production"
            or len(production) != 1
        ):
            raise UserError(self.env._("Choose the manufacturing order to insert."))
        production.check_access("read")
        if self.state != "released":
            as_process(production).op_plan_id = self
            if self.state != "draft":
                self._op_planned(production)
            return True
        process_write(
            production,
            {
                "op_plan_id": self.id,
                "op_inserted_by_id": self.env.user.id,
                "op_inserted_on": fields.Datetime.now(),
            },
        )
        self._op_planned(production)
        self.message_post(
            body=self.env._(
                "%(mo)s inserted into the released plan by %(user)s: %(reason)s",
                mo=production.name,
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _op_planned(self, productions):
        """The orders of ``productions``, inserted into this plan, are
        planned (R12): their D4 to-do and its escalation end."""
        orders = productions.op_sale_order_id.filtered(lambda o: not o.op_planned_on)
        process_write(orders, {"op_planned_on": fields.Datetime.now()})
        orders._op_done_activities(
            [PLAN, ESCALATION],
            feedback=self.env._("Planned in %(plans)s", plans=self.name),
        )
