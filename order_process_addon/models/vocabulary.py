# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The vocabulary of the Order Process: its departments, its roles and how
they map onto each other (R30, R36).

Plain Python, no model: every model, wizard, tool and test imports these
names from here, and nothing else defines them. It imports nothing of the
addon, so any module may import it without a cycle."""

# The departments of the process: who a stage, a delay or a D13 belongs to
# (R29, R30). "customer" is the one that is not the company's.
DEPARTMENTS = [
    ("customer", "Customer"),
    ("sales", "Sales"),
    ("customer_mgmt", "Customer Management"),
    ("technical", "Technical Center"),
    ("pmc", "PMC"),
    ("purchasing", "Purchasing"),
    ("production", "Production"),
    ("quality", "Quality"),
    ("warehouse", "Finished-Goods Warehouse"),
    ("administration", "Administration"),
    ("finance", "Finance"),
]

# The roles of the process: each is the group ``order_process_addon.group_<role>``.
ROLES = (
    "sales",
    "customer_mgmt",
    "technical",
    "pmc_planner",
    "pmc_material",
    "pmc_clerk",
    "fg_warehouse",
    "pmc_manager",
    "purchasing",
    "production",
    "quality",
    "administration",
    "finance",
    "audit",
    "general_manager",
)

# The roles that write a department's D13, and the manager role a missing
# D13 escalates to (R30). The customer's delays are explained by Customer
# Management, who deals with the customer.
DEPARTMENT_ROLES = {
    "customer": ("customer_mgmt",),
    "sales": ("sales",),
    "customer_mgmt": ("customer_mgmt",),
    "technical": ("technical",),
    "pmc": ("pmc_planner", "pmc_material", "pmc_clerk", "pmc_manager"),
    "purchasing": ("purchasing",),
    "production": ("production",),
    "quality": ("quality",),
    "warehouse": ("fg_warehouse",),
    "administration": ("administration",),
    "finance": ("finance",),
}
DEPARTMENT_MANAGER = {"pmc": "pmc_manager", "warehouse": "pmc_manager"}

# The department of each role (R30): the inverse of ``DEPARTMENT_ROLES``
# but for "customer", whose D13 Customer Management writes while its own
# department is "customer_mgmt". Audit and the general manager belong to
# no department.
ROLE_DEPARTMENT = {
    role: department
    for department, roles in DEPARTMENT_ROLES.items()
    if department != "customer"
    for role in roles
}

# The roles that handle prices and amounts (R36): they see the money of sale
# and purchase orders; a user with only other roles does not.
MONEY_ROLES = (
    "sales",
    "customer_mgmt",
    "finance",
    "purchasing",
    "pmc_manager",
    "general_manager",
    "audit",
)
# Field ``groups`` of the prices and amounts: every user but those (the
# group's members are kept by ``res.users._op_sync_amounts_visible``).
AMOUNTS_GROUPS = "order_process_addon.group_amounts_visible"
