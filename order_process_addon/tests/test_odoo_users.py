# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 19, item 0: Odoo's own users keep working with the addon installed.

A user with only Odoo's standard rights (Sales / User, Inventory / User and
Administrator, Manufacturing / User, Invoicing, Purchase / User, Settings)
opens, saves and prints every view the addon extends (order, delivery, MO,
invoice, product, partner, purchase order, sales team, settings), in a company
where the process is off and in one where it is on, through the web client's
own calls over JSON-RPC: ``get_views`` (with the print menu), then
``web_read`` / ``web_search_read`` with the fields the view shows, then
``web_save``, then each report of the print menu. The process's fields are
for the process's roles; nobody else may get an access error for them."""

import json

from lxml import etree

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .test_shipping import ShippingCase

# Odoo's standard groups, none of the process's roles.
STANDARD_GROUPS = {
    "odoo_sales": "sales_team.group_sale_salesman",
    "odoo_stock": "stock.group_stock_user",
    "odoo_stock_admin": "stock.group_stock_manager",
    "odoo_mrp": "mrp.group_mrp_user",
    "odoo_invoicing": "account.group_account_invoice",
    "odoo_purchase": "purchase.group_purchase_user",
    "odoo_settings": "base.group_system",
}

# What each group works on in Odoo (its app's documents, the products and
# partners it picks from): the matrix the test walks.
WORKS_ON = {
    "odoo_sales": ("sale.order", "res.partner", "product.template", "crm.team"),
    "odoo_stock": ("stock.picking", "res.partner", "product.template"),
    "odoo_stock_admin": ("stock.picking", "res.partner", "product.template"),
    "odoo_mrp": ("mrp.production", "product.template"),
    "odoo_invoicing": ("account.move", "res.partner", "product.template"),
    "odoo_purchase": ("purchase.order", "res.partner", "product.template"),
    "odoo_settings": ("res.partner",),
}

# A harmless field per model, written by the save as the web client would.
SAVED_FIELD = {
    "sale.order": "client_order_ref",
    "stock.picking": "origin",
    "mrp.production": "origin",
    "account.move": "ref",
    "product.template": "description",
    "res.partner": "comment",
    "purchase.order": "partner_ref",
    "crm.team": "name",
}


class RpcError(Exception):
    pass


@tagged("post_install", "-at_install")
class TestOdooUsers(ShippingCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.off_company = cls.env.ref("base.main_company")
        cls.off_company.op_enabled = False
        companies = cls.off_company | cls.company
        cls.odoo_users = {
            login: new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,{group}",
                company_id=cls.off_company.id,
                company_ids=[Command.set(companies.ids)],
            )
            for login, group in STANDARD_GROUPS.items()
        }
        cls.sales_user = cls.odoo_users["odoo_sales"]
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )

    # ------------------------------------------------------------ records
    def _records(self, company):
        """One record of each model whose views the addon extends, in
        ``company``: a confirmed order with its delivery, an MO, a posted
        invoice, a purchase order, the product, the customer, the team."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        if company.op_enabled:
            picking = self._received_delivery()
            order = picking.sale_id
        else:
            order = env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 3}
                        )
                    ],
                }
            )
            order.action_confirm()
            picking = order.picking_ids
        order.sudo().user_id = self.sales_user
        production = env["mrp.production"].create(
            {"product_id": self.product.id, "company_id": company.id}
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "company_id": company.id,
                "invoice_user_id": self.sales_user.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "quantity": 1, "price_unit": 5}
                    )
                ],
            }
        )
        invoice.action_post()
        purchase = env["purchase.order"].create(
            {
                "partner_id": self.customer.id,
                "company_id": company.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_qty": 2})
                ],
            }
        )
        team = env["crm.team"].create({"name": f"Team {company.name}"})
        self.assertTrue(picking)
        return [
            order,
            picking,
            production,
            invoice,
            purchase,
            self.product.product_tmpl_id,
            self.customer,
            team,
        ]

    # ------------------------------------------------------------ the client
    def _call(self, company, model, method, *args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": list(args),
                        "kwargs": {
                            "context": {
                                "lang": "en_US",
                                "allowed_company_ids": company.ids,
                            },
                            **kwargs,
                        },
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        body = response.json()
        if body.get("error"):
            raise RpcError(body["error"]["data"]["message"])
        return body["result"]

    @classmethod
    def _spec(cls, arch, model, models):
        """What the web client reads for a view: the fields its arch shows
        (those of groups the user lacks are already gone), and for an
        x2many the fields of its inline list."""
        node = etree.fromstring(arch) if isinstance(arch, str) else arch
        return cls._spec_of(node, model, models)

    @classmethod
    def _spec_of(cls, node, model, models):
        spec = {}
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag != "field":
                spec.update(cls._spec_of(child, model, models))
                continue
            name = child.get("name")
            description = models[model]["fields"].get(name)
            if not description:
                continue
            comodel = description.get("relation")
            if description["type"] in ("one2many", "many2many"):
                sub = next(
                    (c for c in child if c.tag in ("list", "kanban")),
                    None,
                )
                spec[name] = {
                    "fields": cls._spec_of(sub, comodel, models)
                    if sub is not None and comodel in models
                    else {"display_name": {}}
                }
            elif description["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def _open(self, company, record, user):
        """The list and the form of ``record`` as the web client shows them,
        its save and its prints; a list of what failed."""
        failures = []
        model = record._name

        def attempt(what, func):
            try:
                return func()
            except RpcError as error:
                failures.append(f"{user.login} {model} {what}: {error}")
                return None

        lst = attempt(
            "list",
            lambda: self._call(company, model, "get_views", [[False, "list"]]),
        )
        if lst:
            attempt(
                "web_search_read",
                lambda: self._call(
                    company,
                    model,
                    "web_search_read",
                    specification=self._spec(
                        lst["views"]["list"]["arch"], model, lst["models"]
                    ),
                    domain=[("id", "=", record.id)],
                ),
            )
        form = attempt(
            "form",
            lambda: self._call(
                company,
                model,
                "get_views",
                [[False, "form"]],
                options={"toolbar": True},
            ),
        )
        if not form:
            return failures
        spec = self._spec(form["views"]["form"]["arch"], model, form["models"])
        attempt(
            "web_read",
            lambda: self._call(company, model, "web_read", [record.id], spec),
        )
        field = SAVED_FIELD[model]
        if record.with_user(user).has_access("write") and field in spec:
            attempt(
                "web_save",
                lambda: self._call(
                    company,
                    model,
                    "web_save",
                    [record.id],
                    {field: f"{record.display_name} (saved)"},
                    specification=spec,
                ),
            )
        for binding in form["views"]["form"].get("toolbar", {}).get("print", []):
            # The print menu's entry, loaded as the client loads it.
            report = self.make_jsonrpc_request(
                "/web/action/load", {"action_id": binding["id"]}
            )
            if report.get("report_type") not in ("qweb-pdf", "qweb-html"):
                continue
            response = self.url_open(
                f"/report/html/{report['report_name']}/{record.id}"
                f"?context={json.dumps({'allowed_company_ids': company.ids})}"
            )
            self.printed.add(
                (user.login, report["report_name"], bool(company.op_enabled))
            )
            if response.status_code != 200:
                failures.append(
                    f"{user.login} {model} print {report['report_name']}: "
                    f"HTTP {response.status_code}"
                )
        return failures

    def _open_settings(self, company, user):
        """Settings as the client opens and saves them: the form, its
        defaults, a save, then *Save* (``execute``)."""
        model = "res.config.settings"
        try:
            views = self._call(company, model, "get_views", [[False, "form"]])
            arch = views["views"]["form"]["arch"]
            spec = self._spec(arch, model, views["models"])
            self._call(company, model, "onchange", [], {}, [], spec)
            saved = self._call(company, model, "web_save", [], {}, specification={})
            self._call(company, model, "execute", [saved[0]["id"]])
        except RpcError as error:
            return [f"{user.login} settings: {error}"]
        return []

    # ------------------------------------------------------------ the test
    def test_odoo_standard_groups_open_save_and_print_what_the_addon_extends(self):
        failures = []
        opened = set()
        self.printed = set()
        for company in (self.off_company, self.company):
            records = self._records(company)
            self.env.flush_all()
            for login, user in self.odoo_users.items():
                self.authenticate(login, login)
                for record in records:
                    if record._name not in WORKS_ON[login]:
                        continue
                    self.assertTrue(
                        record.with_user(user).with_company(company).has_access("read"),
                        f"{login} reads {record._name} in Odoo",
                    )
                    opened.add((login, record._name, bool(company.op_enabled)))
                    failures += self._open(company, record, user)
                # Settings: Odoo's form, the addon's section in it.
                if user.has_group("base.group_system"):
                    opened.add((login, "res.config.settings", bool(company.op_enabled)))
                    failures += self._open_settings(company, user)
        self.maxDiff = None
        self.assertEqual(failures, [], "\n".join(f.split("\n")[0] for f in failures))
        # The whole matrix was walked, in both companies.
        expected = {
            (login, model, process)
            for login, models in WORKS_ON.items()
            for model in models
            for process in (False, True)
        } | {("odoo_settings", "res.config.settings", p) for p in (False, True)}
        self.assertEqual(opened, expected)
        # ... and printed what Odoo's print menus offer, D11 among them.
        for process in (False, True):
            for login, report in (
                ("odoo_stock", "stock.report_deliveryslip"),
                ("odoo_sales", "sale.report_saleorder"),
                ("odoo_mrp", "mrp.report_mrporder"),
                ("odoo_invoicing", "account.report_invoice"),
                ("odoo_purchase", "purchase.report_purchaseorder"),
            ):
                self.assertIn((login, report, process), self.printed)
