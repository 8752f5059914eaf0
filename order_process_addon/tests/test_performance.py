# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, fields
from odoo.tests import tagged

from .common import OrderProcessCase


@tagged("post_install", "-at_install")
class TestQueryCounts(OrderProcessCase):
    """The cost of register, decide and confirm does not grow with the
    number of lines or of other orders."""

    def _register_cost(self, lines):
        order = self._new_order(lines=lines)
        return self._queries(order.action_op_register), order

    def _decide_cost(self, order):
        review = self._review(order, "quality").with_user(self.users["quality"])
        return self._queries(review.action_approve)

    def test_register_and_decide_do_not_grow_with_lines(self):
        self._register_cost(1)  # warm the caches (ormcache, views)
        one, small = self._register_cost(1)
        many, large = self._register_cost(25)
        self.assertEqual(one, many, "register: 1 line vs 25 lines")
        self._decide_cost(self._register_cost(1)[1])
        self.assertEqual(
            self._decide_cost(small), self._decide_cost(large), "decide: 1 vs 25 lines"
        )
        # Measured 118 and 29 on Odoo 18.0 (activities for each reviewer,
        # chatter note, deadline on the working calendar).
        self.assertLessEqual(one, 125)
        self.assertLessEqual(self._decide_cost(self._register_cost(1)[1]), 35)

    def test_register_does_not_grow_with_other_orders(self):
        self._register_cost(1)
        before, _order = self._register_cost(2)
        for _i in range(20):
            self._new_order().action_op_register()
        after, _order = self._register_cost(2)
        self.assertEqual(before, after)

    def test_confirm_overhead_is_constant(self):
        """Odoo's own procurement costs queries per line; what the process
        adds to confirmation (signature, D2 to PMC) does not."""
        plain_company = self.env["res.company"].create({"name": "Plain Co."})

        def add_lines(order, lines):
            order.order_line = [
                Command.create({"product_id": self.product.id, "product_uom_qty": 1})
                for _i in range(lines - 1)
            ]

        def with_process(lines):
            order = self._answered_order(lines=lines)
            attachment = self.env["ir.attachment"].create({"name": "s", "raw": b"s"})
            signer = order.with_user(self.users["customer_mgmt"])
            return self._queries(
                lambda: signer._op_record_signed_scan(
                    attachment, "Chen", fields.Datetime.now()
                )
            )

        def without_process(lines):
            plain = self._create_order(company=plain_company)
            add_lines(plain, lines)
            return self._queries(plain.action_confirm)

        with_process(1), without_process(1)  # warm the caches
        process_slope = with_process(10) - with_process(1)
        odoo_slope = without_process(10) - without_process(1)
        self.assertLessEqual(
            process_slope, odoo_slope + 2, f"{process_slope} vs Odoo's {odoo_slope}"
        )
