# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base.models.res_partner import _lang_get

from ..robot import PLATFORMS, RobotUrlError, client_for
from .elevation import as_process, as_settings, process_write, read_across

SECRET_GROUPS = "base.group_system"
SECRET_FIELDS = frozenset(
    {"webhook_url", "secret", "webhook_url_input", "secret_input"}
)


class OrderRobot(models.Model):
    """A group robot of WeCom, DingTalk or Feishu (issue 21, item 1): the
    webhook a department's group gave, the events it hears of, in which
    language.

    The webhook URL (it carries the robot's key) and the signing secret are
    read by administrators only (``groups``), never exported, copied, logged
    or shown again after saving: the form shows the address with its key
    masked, and *Replace Webhook or Secret* takes new ones."""

    _name = "order.robot"
    _description = "Group Robot"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        tracking=True,
    )
    platform = fields.Selection(
        [("wecom", "WeCom"), ("dingtalk", "DingTalk"), ("feishu", "Feishu")],
        required=True,
        tracking=True,
    )
    group_ids = fields.Many2many(
        "res.groups",
        "order_robot_res_groups_rel",
        "robot_id",
        "group_id",
        string="Departments",
        domain=lambda self: [
            (
                "category_id",
                "=",
                self.env.ref("order_process_addon.module_category_order_process").id,
            )
        ],
        help="The roles whose events this robot's group hears of; empty: "
        "every department's (a group where the whole company is).",
    )
    event_ids = fields.Many2many(
        "order.robot.event",
        string="Events",
        default=lambda self: self.env["order.robot.event"].search([]),
    )
    lang = fields.Selection(
        _lang_get,
        string="Language",
        required=True,
        default=lambda self: self._default_lang(),
        help="The language of the robot's messages.",
    )
    working_time_only = fields.Boolean(
        string="Only in Working Time",
        default=True,
        help="An event raised outside the company's working time waits for "
        "its next working period (R34); a rush order's goes at once. Turn "
        "it off for a group that works around the clock.",
    )
    mention = fields.Boolean(
        string="Mention Who Must Act",
        default=True,
        help="@-mention the people who must act: by mobile number on WeCom "
        "and DingTalk, by e-mail on Feishu.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Administrator",
        default=lambda self: self.env.user,
        help="Who is told when the platform refuses the robot.",
    )
    # ---- secrets: administrators only, never exported or copied
    webhook_url = fields.Char(
        string="Webhook URL",
        groups=SECRET_GROUPS,
        copy=False,
        exportable=False,
    )
    secret = fields.Char(
        string="Signing Secret",
        groups=SECRET_GROUPS,
        copy=False,
        exportable=False,
    )
    # What the form takes when the robot is created: moved to the fields
    # above by create and write, never read back.
    webhook_url_input = fields.Char(
        string="Webhook",
        compute="_compute_inputs",
        readonly=False,
        groups=SECRET_GROUPS,
        copy=False,
        exportable=False,
    )
    secret_input = fields.Char(
        string="Secret",
        compute="_compute_inputs",
        readonly=False,
        groups=SECRET_GROUPS,
        copy=False,
        exportable=False,
    )
    webhook_url_masked = fields.Char(
        string="Webhook Address", compute="_compute_webhook_url_masked"
    )
    has_secret = fields.Boolean(string="Signed", compute="_compute_webhook_url_masked")
    paused_until = fields.Datetime(
        readonly=True,
        copy=False,
        help="The platform said the robot sent too fast: it waits until then.",
    )
    last_test_on = fields.Datetime(string="Last Test", readonly=True, copy=False)
    last_test_answer = fields.Char(readonly=True, copy=False)
    outbox_ids = fields.One2many("order.robot.outbox", "robot_id", readonly=True)
    pending_count = fields.Integer(compute="_compute_counts")
    undelivered_count = fields.Integer(compute="_compute_counts")

    @api.model
    def _default_lang(self):
        lang = self.env.company.partner_id.lang or self.env.lang or "en_US"
        return lang if self.env["res.lang"]._lang_get(lang) else "en_US"

    def _compute_inputs(self):
        for robot in self:
            robot.webhook_url_input = False
            robot.secret_input = False

    @api.depends("platform")
    @api.depends_context("uid")
    def _compute_webhook_url_masked(self):
        for robot in self:
            stored = read_across(robot)
            robot.has_secret = bool(stored.secret)
            robot.webhook_url_masked = False
            if robot.platform and stored.webhook_url:
                try:
                    robot.webhook_url_masked = robot._op_client().masked_url()
                except RobotUrlError:
                    robot.webhook_url_masked = self.env._("(not a valid address)")

    def _compute_counts(self):
        counts = {
            (robot.id, state): count
            for robot, state, count in read_across(
                self.env["order.robot.outbox"]
            )._read_group(
                [("robot_id", "in", self.ids)], ["robot_id", "state"], ["__count"]
            )
        }
        for robot in self:
            robot.pending_count = counts.get((robot.id, "pending"), 0)
            robot.undelivered_count = counts.get((robot.id, "dead"), 0) + counts.get(
                (robot.id, "unknown"), 0
            )

    @api.constrains("platform", "webhook_url", "secret", "active")
    def _check_webhook_url(self):
        for robot in read_across(self):
            if not robot.webhook_url:
                if robot.active:
                    raise ValidationError(
                        self.env._(
                            "%(robot)s: paste the webhook address its group gave.",
                            robot=robot.name,
                        )
                    )
                continue
            try:
                robot._op_client()
            except RobotUrlError:
                raise ValidationError(
                    self.env._(
                        "%(robot)s: this is not a %(platform)s group robot's "
                        "webhook address. Paste the whole address the group "
                        "gave (https://..., with its key).",
                        robot=robot.name,
                        platform=robot._op_platform_label(),
                    )
                ) from None
            if robot.platform == "wecom" and robot.secret:
                raise ValidationError(
                    self.env._(
                        "%(robot)s: WeCom group robots have no signing secret; "
                        "their key is in the address.",
                        robot=robot.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._op_take_inputs(vals)
        robots = super().create(vals_list)
        robots._op_robots_changed()
        return robots

    def write(self, vals):
        self._op_take_inputs(vals)
        if vals.get("active"):
            vals.setdefault("paused_until", False)
        result = super().write(vals)
        if {"webhook_url", "secret"} & set(vals):
            self._op_log_secret_changed(vals)
        self._op_robots_changed()
        return result

    @api.model
    def _op_take_inputs(self, vals):
        for name in ("webhook_url", "secret"):
            given = vals.pop(f"{name}_input", False)
            if given:
                vals[name] = given.strip()
        for name in ("webhook_url", "secret"):
            if isinstance(vals.get(name), str):
                vals[name] = vals[name].strip() or False

    def copy_data(self, default=None):
        """A copy has no webhook or secret (never copied): it is archived
        until one is pasted."""
        return super().copy_data(default=dict(default or {}, active=False))

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """The webhook address and the secret are never exported, by anyone
        and by no path (a robot's, or a message's ``robot_id/...``)."""
        if any(path and path[0] in SECRET_FIELDS for path in fields):
            raise UserError(
                self.env._(
                    "The webhook address and the signing secret of a group robot "
                    "are never exported."
                )
            )
        return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

    def _op_log_secret_changed(self, vals):
        """What changed and by whom in the chatter, never the values."""
        if "webhook_url" in vals and "secret" in vals:
            body = self.env._(
                "%(user)s changed the webhook address and the signing secret.",
                user=self.env.user.name,
            )
        elif "webhook_url" in vals:
            body = self.env._(
                "%(user)s changed the webhook address.", user=self.env.user.name
            )
        else:
            body = self.env._(
                "%(user)s changed the signing secret.", user=self.env.user.name
            )
        for robot in self:
            robot.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _op_robots_changed(self):
        """Messages waiting for a robot (re)activated go out now."""
        if self.filtered("active"):
            as_settings(
                self.env.ref("order_process_addon.ir_cron_robot_outbox")
            )._trigger()

    # ------------------------------------------------------------ actions
    def action_open_replace(self):
        self._op_check_admin()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replace Webhook or Secret"),
            "res_model": "order.robot.secret.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_robot_id": self.id},
        }

    def action_send_test(self):
        """Send a test card now and show the platform's answer."""
        self._op_check_admin()
        self.ensure_one()
        outbox = self.env["order.robot.outbox"].with_context(lang=self.lang)
        card = outbox._op_test_card(self)
        try:
            client = self._op_client()
        except RobotUrlError:
            self._check_webhook_url()
            raise
        answer = client.send(client.payload(card), time.time())
        if answer.ok:
            text = self.env._(
                "%(platform)s answered: %(answer)s",
                platform=client.label,
                answer=answer.describe(),
            )
        else:
            text = self.env._(
                "%(platform)s refused the test message: %(answer)s",
                platform=client.label,
                answer=answer.describe(),
            )
        process_write(
            self, {"last_test_on": fields.Datetime.now(), "last_test_answer": text}
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Test message"),
                "message": text,
                "type": "success" if answer.ok else "danger",
                "sticky": not answer.ok,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_outbox(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "order_process_addon.order_robot_outbox_action"
        )
        action["domain"] = [("robot_id", "=", self.id)]
        action["context"] = {"search_default_filter_pending": 1}
        return action

    def action_view_undelivered(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "order_process_addon.order_robot_outbox_action_undelivered"
        )
        action["domain"] = [
            ("robot_id", "=", self.id),
            ("state", "in", ("dead", "unknown")),
        ]
        return action

    # ------------------------------------------------------------ helpers
    def _op_check_admin(self):
        if not self.env.su and not self.env.user.has_group(SECRET_GROUPS):
            raise AccessError(
                self.env._("Only administrators configure the group robots.")
            )

    def _op_platform_label(self):
        self.ensure_one()
        return dict(self._fields["platform"]._description_selection(self.env)).get(
            self.platform, self.platform
        )

    def _op_client(self):
        """The platform's client for this robot, secrets read as the
        process (never returned to a user)."""
        self.ensure_one()
        stored = read_across(self)
        timeout = read_across(self.env["ir.config_parameter"]).get_param(
            "order_process_addon.robot_timeout", "10"
        )
        try:
            timeout = min(max(float(timeout), 0.1), 60.0)
        except ValueError:
            timeout = 10.0
        return client_for(
            self.platform, stored.webhook_url, stored.secret, timeout=timeout
        )

    def _op_rate_limits(self):
        self.ensure_one()
        return PLATFORMS[self.platform].rate_limits

    def _op_deactivate(self, answer):
        """The platform refused the robot itself (its key, secret or
        security setting): it stops, and its administrator is told. The
        messages wait, and go out once it is fixed and active again."""
        self.ensure_one()
        robot = as_process(self)
        robot.write({"active": False})
        text = self.env._(
            "%(platform)s refused the robot: %(answer)s. It is deactivated; "
            "its messages wait. Check the group's robot (its key, signing "
            "secret and security settings), replace the webhook or the secret "
            "if needed, and activate it again.",
            platform=robot._op_platform_label(),
            answer=answer.describe(),
        )
        robot.message_post(body=text, subtype_xmlid="mail.mt_note")
        robot.activity_schedule(
            "order_process_addon.mail_activity_type_robot_refused",
            summary=self.env._(
                "Group robot refused by %(platform)s",
                platform=robot._op_platform_label(),
            ),
            note=text,
            user_id=(robot.user_id or self.env.ref("base.user_admin")).id,
        )
