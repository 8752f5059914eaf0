# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The steps of the order process (issue 20, item 1), declared once.

Test-only code, free of any odoo import: ``tests/driver.py`` runs these
steps in process (``records.with_user(role user)``), and ``scripts/load.py``
(a pure-Python client) runs the same declarations over RPC with
:func:`rpc_run`. A step that changes is changed here.

Each step: the role that performs it (ORDER_PROCESS.md; ``None``: the role
of the review's department, R2), the model and the method called on the
record, and, for a step made through a form (a wizard), the form's model:
the form is created with the step's values, then the method is called on
it.
"""

from typing import NamedTuple


class Step(NamedTuple):
    name: str
    role: str | None  # None: the reviewing department's role (R2)
    model: str  # the model the method is called on
    method: str
    spec: str = ""  # the rules / forms of ORDER_PROCESS.md it performs


STEPS = {
    step.name: step
    for step in (
        # Intake and review (R1-R5, D1, D2)
        Step("create", "customer_mgmt", "sale.order", "create", "R1 D1"),
        Step("register", "customer_mgmt", "sale.order", "action_op_register", "R1"),
        Step("approve", None, "order.review", "action_approve", "R2 D2"),
        Step(
            "approve_with_conditions",
            None,
            "order.review",
            "action_approve_with_conditions",
            "R2 D2",
        ),
        Step("reject", None, "order.review", "action_reject", "R3 D2"),
        Step("answer", "pmc_planner", "sale.order", "action_op_answer", "R6"),
        # Signature: the signed scan through its form (R7-R9)
        Step("sign", "customer_mgmt", "order.signature.wizard", "action_confirm", "R8"),
        # Cancellation and commitment changes (R10, R11, R24)
        Step("cancel_quotation", "customer_mgmt", "sale.order", "action_cancel", "R10"),
        Step("cancel", "customer_mgmt", "sale.order", "action_op_cancel", "R10"),
        Step(
            "change_date",
            "pmc_planner",
            "order.commitment.change.wizard",
            "action_confirm",
            "R24",
        ),
        # Planning (R12-R14, D3, D4)
        Step(
            "material_plan",
            "pmc_material",
            "sale.order",
            "action_op_material_plan",
            "D3",
        ),
        Step(
            "submit_material_plan",
            "pmc_material",
            "order.material.plan",
            "action_submit",
            "D3",
        ),
        Step(
            "approve_material_plan",
            "pmc_manager",
            "order.material.plan",
            "action_approve",
            "D3",
        ),
        Step("create_production", "pmc_planner", "mrp.production", "create", "R12"),
        Step("confirm_production", "pmc_planner", "mrp.production", "action_confirm"),
        Step("create_plan", "pmc_planner", "order.production.plan", "create", "D4"),
        Step("submit_plan", "pmc_planner", "order.production.plan", "action_submit"),
        Step("approve_plan", "pmc_manager", "order.production.plan", "action_approve"),
        Step(
            "release_plan",
            "pmc_planner",
            "order.production.plan",
            "action_release",
            "R13 R14",
        ),
        # Production, final test, receipt (R15-R17, D5-D8)
        Step("start", "production", "mrp.production", "action_start", "R15"),
        Step("final_test", "quality", "order.final.test", "create", "R16"),
        Step("sign_test", "quality", "order.final.test", "action_sign", "R16"),
        Step(
            "deliver",
            "production",
            "mrp.production",
            "_op_deliver_to_warehouse",
            "R17 D8",
        ),
        Step(
            "count_receipt",
            "fg_warehouse",
            "order.fg.receipt",
            "action_count_and_sign",
            "R17 D8",
        ),
        Step("finish", "production", "mrp.production", "button_mark_done"),
        # Shipping (R21-R27, D10, D11)
        Step(
            "new_d10",
            "customer_mgmt",
            "stock.picking",
            "action_op_new_shipping_order",
            "R23 D10",
        ),
        Step("issue_d10", "customer_mgmt", "order.shipping.order", "action_issue"),
        Step("approve_d10", "pmc_clerk", "order.shipping.order", "action_approve"),
        Step(
            "book_carrier",
            "fg_warehouse",
            "stock.picking",
            "action_op_book_carrier",
            "R27",
        ),
        Step(
            "vehicle_arrived",
            "fg_warehouse",
            "stock.picking",
            "action_op_confirm_vehicle_arrival",
            "R27",
        ),
        Step(
            "start_loading",
            "fg_warehouse",
            "stock.picking",
            "action_op_start_loading",
            "R26 D11",
        ),
        Step(
            "sign_loader",
            "fg_warehouse",
            "order.loading.check",
            "action_sign_loader",
            "R26 D11",
        ),
        Step(
            "sign_keeper",
            "fg_warehouse",
            "order.loading.check",
            "action_sign_keeper",
            "R26 D11",
        ),
        Step("gate_check", "administration", "order.gate.check", "create", "R27"),
        Step("ship", "fg_warehouse", "stock.picking", "button_validate", "R25"),
        # The day's shipment statistics (R28, D12)
        Step(
            "prepare_d12",
            "fg_warehouse",
            "order.shipment.statistics",
            "action_prepare",
            "R28 D12",
        ),
        Step("sign_d12", "pmc_manager", "order.shipment.statistics", "action_sign"),
        # Late-order analysis (R30, D13): the responsible department's
        # user writes and submits it (role given), the PMC manager accepts.
        Step("submit_d13", None, "order.late.analysis", "action_submit", "R30 D13"),
        Step("accept_d13", "pmc_manager", "order.late.analysis", "action_accept"),
        # Money (R19, R20)
        Step("invoice", "finance", "sale.order", "_create_invoices", "R19"),
        Step("post_invoice", "finance", "account.move", "action_post", "R19"),
    )
}


def rpc_form(execute, name, values):
    """Over RPC: the form (wizard) of step ``name`` created with ``values``;
    returns its id. ``execute(model, method, args, kwargs)`` is the
    client's ``execute_kw``."""
    return execute(STEPS[name].model, "create", [values], {})


def rpc_run(execute, name, ids, kwargs=None):
    """Over RPC: step ``name`` on the records ``ids`` (a list; for a
    ``create`` step, the values); returns what the server answers."""
    step = STEPS[name]
    return execute(step.model, step.method, [ids], kwargs or {})
