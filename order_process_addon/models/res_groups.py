# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .elevation import as_settings


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        res = super().write(vals)
        if {"users", "implied_ids"} & set(vals):
            # A role given or taken through the group: who sees amounts
            # follows (R36).
            visible = self.env.ref(
                "order_process_addon.group_amounts_visible", raise_if_not_found=False
            )
            if visible and self != visible:
                as_settings(self).with_context(
                    active_test=False
                ).users._op_sync_amounts_visible()
        return res
