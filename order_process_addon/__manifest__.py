# Copyright 2026 Order Process Addon contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Order Process",
    "summary": "Make-to-order process: intake, multi-department review, "
    "planning, production, shipping and the order achievement rate",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/order-process/order_process_addon",
    "author": "Order Process Addon contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "mail",
        "portal",
        "resource",
        "sale_management",
        "sale_stock",
        "sale_mrp",
        "mrp",
        "purchase",
        "purchase_stock",
        "stock_delivery",
        "account",
    ],
    "data": [
        "security/order_process_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/crm_team_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/product_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "order_process_addon/static/tests/tours/*.js",
        ],
    },
}
