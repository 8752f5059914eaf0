# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class OrderProcessMixin(models.AbstractModel):
    """What every step of the process shares: the server-side role check
    (R36). The superuser passes: the portal and the process's own follow-up
    writes run as it, after their own checks."""

    _name = "order.process.mixin"
    _description = "Order Process Step"

    def _op_check_role(self, *roles):
        if self.env.su:
            return
        user = self.env.user
        if not any(user.has_group(f"order_process_addon.group_{r}") for r in roles):
            names = ", ".join(
                self.env.ref(f"order_process_addon.group_{r}").name for r in roles
            )
            raise AccessError(self.env._("Only %(roles)s may do this.", roles=names))

    def _op_assign_names(self, vals_list):
        """The document number from the sequence of the model's name (D3/,
        D4/, D7/...), unless one is given."""
        new = self.env._("New")
        for vals in vals_list:
            if vals.get("name", new) == new:
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or new

    def _op_check_not_submitter(self):
        """R13: the PMC manager who approves is not the one who submitted."""
        for record in self:
            if record.submitted_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "%(plan)s was submitted by you: another PMC manager "
                        "approves it (R13).",
                        plan=record.name,
                    )
                )

    # ------------------------------------------------------------ to-dos
    def _op_notify_group(
        self, role, summary, deadline=None, activity_xmlid=None, exclude=None
    ):
        """A to-do for every internal user of ``role`` in the record's
        company (but ``exclude``)."""
        group = self.env.ref(f"order_process_addon.group_{role}")
        for record in self:
            users = group.users.filtered(
                lambda u, company=record.company_id: (
                    company in u.company_ids and not u.share
                )
            )
            for user in users - (exclude or self.env["res.users"]):
                record._op_notify_user(user, summary, deadline, activity_xmlid)

    def _op_notify_user(self, user, summary, deadline=None, activity_xmlid=None):
        if not user:
            return
        activity_type = self.env.ref(activity_xmlid or "mail.mail_activity_data_todo")
        for record in self:
            record.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary,
                user_id=user.id,
                date_deadline=fields.Date.to_date(deadline)
                if deadline
                else fields.Date.context_today(record),
            )

    def _op_done_activities(self, activity_xmlid, feedback=None):
        """Mark the process's to-dos of one kind done on the records."""
        activity_type = self.env.ref(activity_xmlid)
        self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).action_feedback(feedback=feedback)
