# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo.tests import tagged

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestNotificationContention(OrderProcessCase):
    """Steps on different orders of one customer do not all write the
    customer: concurrent steps would fail to serialise on its row."""

    def test_r10_registering_an_order_does_not_write_its_customer(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "auth_signup.invitation_scope", "b2c"
        )
        self.customer.sudo().signup_prepare()  # a first notification did this
        self.env.flush_all()
        order = self._new_order()
        partner_class = type(self.env["res.partner"])
        with patch.object(
            partner_class, "write", autospec=True, side_effect=partner_class.write
        ) as write:
            # The reviewers' activities notify them, with the portal link.
            order.action_op_register()
            self.env.flush_all()
        self.assertTrue(order.activity_ids)
        written = [call.args[0] for call in write.call_args_list]
        self.assertFalse([p for p in written if self.customer in p])
        self.assertEqual(self.customer.sudo().signup_type, "signup")
