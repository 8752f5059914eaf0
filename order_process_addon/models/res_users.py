# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, models

from .elevation import as_settings, read_across
from .vocabulary import MONEY_ROLES


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._op_sync_amounts_visible()
        return users

    def write(self, vals):
        res = super().write(vals)
        if any(
            key == "groups_id" or key.startswith(("in_group_", "sel_groups_"))
            for key in vals
        ):
            self._op_sync_amounts_visible()
        return res

    def _op_hides_amounts(self):
        """A user of the process none of whose roles handles money."""
        self.ensure_one()
        return self.has_group("order_process_addon.group_user") and not any(
            self.has_group(f"order_process_addon.group_{role}") for role in MONEY_ROLES
        )

    def _op_sync_amounts_visible(self):
        """Keep ``group_amounts_visible`` to every user who may see money."""
        group = self.env.ref(
            "order_process_addon.group_amounts_visible", raise_if_not_found=False
        )
        if not group:  # while the module's data is loading
            return
        commands = []
        for user in read_across(self):
            visible = not user._op_hides_amounts()
            if visible and group not in user.groups_id:
                commands.append(Command.link(user.id))
            elif not visible and group in user.groups_id:
                commands.append(Command.unlink(user.id))
        if commands:
            as_settings(group).write({"users": commands})

    @api.model
    def _op_sync_amounts_visible_all(self):
        """On install and update: every user."""
        # Every user, once, on install and update (the settings' own sync).
        users = as_settings(self).with_context(active_test=False)
        users.search([])._op_sync_amounts_visible()  # pylint: disable=no-search-all
