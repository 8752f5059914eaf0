# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The one driver of the process (issue 20, item 1): its step table names
real methods of real models and real roles, so that a step renamed in the
addon fails here, not in the demo year, make scale or make load."""

from odoo.tests import tagged

from ..models.vocabulary import ROLES
from .common import OrderProcessCase
from .steps import STEPS


@tagged("post_install", "-at_install")
class TestDriver(OrderProcessCase):
    def test_issue20_every_step_is_a_method_of_its_model_done_by_a_role(self):
        self.assertGreater(len(STEPS), 30)
        for step in STEPS.values():
            with self.subTest(step=step.name):
                self.assertIn(step.model, self.env)
                method = getattr(self.env[step.model], step.method, None)
                self.assertTrue(callable(method), step)
                if step.role is not None:
                    self.assertIn(step.role, ROLES)

    def test_issue20_walk_as_the_role_users(self):
        """An order walked to its answer: each step done by the user of the
        role the step table gives (R1, R2, R6)."""
        driver = self._driver()
        order = self._new_order()
        driver.walk(order, until="answered")
        self.assertEqual(order.op_state, "answered")
        self.assertEqual(order.create_uid, self.users["customer_mgmt"])
        approved = order.op_review_ids.filtered(lambda r: r.state == "approved")
        self.assertTrue(approved)
        for review in approved:
            role = driver.review_role(review)
            self.assertEqual(review.reviewer_id, self.users[role], role)
