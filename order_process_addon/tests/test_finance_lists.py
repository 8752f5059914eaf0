# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finance through accounting (issue 9, R28 and D12's Finance side): the
process's invoices follow the delivered quantities through Odoo's own
invoicing policy, and Finance works from two lists read from accounting,
shipped but not invoiced, invoiced but not paid (due and overdue)."""

from datetime import date, timedelta

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from . import test_payment
from .test_production_quality import QualityCase

SHIPPED = "order_process_addon.sale_order_line_action_shipped_not_invoiced"
UNPAID = "order_process_addon.account_move_action_invoiced_not_paid"


@tagged("post_install", "-at_install")
class TestFinanceLists(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        # The shared test product was made outside the company; its own
        # products invoice what is delivered (see the first test).
        cls.product.invoice_policy = "delivery"
        cls.finance = cls.users["finance"]

    # ------------------------------------------------------------ helpers
    _invoice = test_payment.TestPayment._invoice
    _pay = test_payment.TestPayment._pay
    _delivery = test_payment.TestPayment._delivery

    def _order(self):
        order = self._answered_order(user_id=self.users["sales"].id)
        self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        return order

    def _ship(self, order, qty):
        picking = self._delivery(order)
        picking.move_ids.quantity = qty
        picking.with_user(self.users["fg_warehouse"]).with_context(
            skip_backorder=True
        ).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _list(self, xmlid, *domain):
        """What Finance sees in the list of the action ``xmlid``."""
        action = self.env.ref(xmlid)
        model = self.env[action.res_model].with_user(self.finance)
        return model.search(safe_eval(action.domain) + list(domain))

    def _filter(self, xmlid, name):
        """The domain of the search filter ``name`` of the action's search
        view, as the web client evaluates it."""
        action = self.env.ref(xmlid)
        arch = action.search_view_id.arch
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(
            node.get("domain"),
            {
                "uid": self.finance.id,
                "context_today": lambda: date.today(),
            },
        )

    def test_r28_finance_opens_both_lists(self):
        for xmlid in (SHIPPED, UNPAID):
            action = self.env.ref(xmlid)
            model = self.env[action.res_model].with_user(self.finance)
            list_view = (
                action.view_id
                or action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
            )
            views = model.get_views(
                [(list_view.id, "list"), (action.search_view_id.id, "search")]
            )
            arch = views["views"]["list"]["arch"]
            self.assertIn("op_merchandiser_id", arch)
            self.assertIn('name="group_partner"', views["views"]["search"]["arch"])
            self.assertIn("search_default_group_partner", action.context)

    # ------------------------------------------------------------ policy
    def test_r28_process_products_invoice_the_delivered_quantities(self):
        product = (
            self.env["product.template"]
            .with_company(self.company)
            .create({"name": "New Gasket", "type": "consu"})
        )
        self.assertEqual(product.invoice_policy, "delivery")
        # A company without the process keeps Odoo's default.
        plain = self.env["res.company"].create({"name": "Plain Co."})
        other = (
            self.env["product.template"]
            .with_company(plain)
            .create({"name": "Plain Gasket", "type": "consu"})
        )
        self.assertEqual(other.invoice_policy, "order")
        # Odoo's own invoicing invoices the 4 shipped of 10 ordered.
        order = self._order()
        self._ship(order, 4)
        invoice = self._invoice(order)
        self.assertEqual(invoice.invoice_line_ids.quantity, 4)
        self.assertEqual(order.order_line.qty_invoiced, 4)

    # ------------------------------------------------------------ lists
    def test_r28_shipped_not_invoiced_list(self):
        order = self._order()
        line = order.order_line
        self.assertNotIn(line, self._list(SHIPPED), "nothing shipped yet")
        self._ship(order, 4)
        found = self._list(SHIPPED)
        self.assertIn(line, found)
        self.assertEqual(line.op_qty_shipped_not_invoiced, 4)
        self.assertEqual(
            line.op_amount_shipped_not_invoiced, 4 * line.price_reduce_taxexcl
        )
        # Filtered by sales person and merchandiser, grouped by customer.
        for name in ("my_sales", "my_merchandising"):
            self.assertNotIn(line, self._list(SHIPPED, *self._filter(SHIPPED, name)))
        for user, name in (
            (self.users["sales"], "salesman_id"),
            (order.op_merchandiser_id, "op_merchandiser_id"),
        ):
            self.assertTrue(user)
            self.assertIn(line, self._list(SHIPPED, (name, "=", user.id)))
        action = self.env.ref(SHIPPED)
        self.assertIn("search_default_group_partner", action.context)
        groups = (
            self.env["sale.order.line"]
            .with_user(self.finance)
            ._read_group(
                safe_eval(action.domain),
                ["order_partner_id"],
                ["op_amount_shipped_not_invoiced:sum"],
            )
        )
        self.assertIn(
            (self.customer, line.op_amount_shipped_not_invoiced),
            [(p, a) for p, a in groups if p == self.customer],
        )
        # Exportable as Finance.
        rows = found.filtered(lambda x: x == line).export_data(
            ["order_partner_id", "order_id", "op_amount_shipped_not_invoiced"]
        )["datas"]
        self.assertEqual(rows[0][:2], [self.customer.name, order.name])
        # Invoiced: gone; an order outside the process never shows.
        self._invoice(order)
        self.assertNotIn(line, self._list(SHIPPED))
        self.company.op_scope = "teams"
        outside = self._create_order()
        self.company.op_scope = "all"
        outside.action_confirm()
        self._ship(outside, 10)
        self.assertTrue(outside.order_line.qty_delivered)
        self.assertNotIn(outside.order_line, self._list(SHIPPED))

    def test_r28_invoiced_not_paid_list_with_due_and_overdue(self):
        order = self._order()
        self._ship(order, 10)
        today = date.today()
        late = self._invoice(
            order,
            invoice_date=today - timedelta(days=40),
            invoice_date_due=today - timedelta(days=10),
        )
        self.assertTrue(late.op_active)
        self.assertEqual(late.op_merchandiser_id, order.op_merchandiser_id)
        self.assertEqual(late.invoice_user_id, self.users["sales"])
        self.assertIn(late, self._list(UNPAID))
        self.assertEqual(late.op_amount_overdue, late.amount_residual_signed)
        self.assertIn(late, self._list(UNPAID, *self._filter(UNPAID, "overdue")))
        for name, user in (
            ("invoice_user_id", self.users["sales"]),
            ("op_merchandiser_id", order.op_merchandiser_id),
        ):
            self.assertIn(late, self._list(UNPAID, (name, "=", user.id)))
        # Half paid: still listed, with what is still due.
        self._pay(late, late.amount_residual / 2)
        self.assertEqual(late.payment_state, "partial")
        self.assertIn(late, self._list(UNPAID))
        self.assertAlmostEqual(late.op_amount_overdue, late.amount_residual_signed)
        groups = (
            self.env["account.move"]
            .with_user(self.finance)
            ._read_group(
                safe_eval(self.env.ref(UNPAID).domain),
                ["partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        self.assertIn((self.customer, late.amount_residual_signed), groups)
        rows = late.with_user(self.finance).export_data(
            ["partner_id", "name", "invoice_date_due", "amount_residual_signed"]
        )["datas"]
        self.assertEqual(rows[0][1], late.name)
        # Paid: gone.
        self._pay(late)
        self.assertNotIn(late, self._list(UNPAID))
        self.assertFalse(late.op_amount_overdue)

    def test_r28_an_invoice_not_yet_due_is_not_overdue(self):
        order = self._order()
        self._ship(order, 10)
        invoice = self._invoice(
            order, invoice_date_due=date.today() + timedelta(days=30)
        )
        self.assertIn(invoice, self._list(UNPAID))
        self.assertFalse(invoice.op_amount_overdue)
        self.assertNotIn(invoice, self._list(UNPAID, *self._filter(UNPAID, "overdue")))
