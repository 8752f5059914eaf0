# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R37: every refusal the spec and the issues name, as one table. Each is
tried as the role user would, in English and in Simplified Chinese: the
message is clear and in the user's language, and nothing changed (the
record's fields and the number of process records)."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_kpi, test_late_analysis, test_payment
from .test_production_quality import DURING_DAY, QualityCase

COUNTED_MODELS = (
    "sale.order",
    "sale.order.line",
    "order.review",
    "order.commitment.change",
    "order.production.plan",
    "order.final.test",
    "order.inspection",
    "order.fg.receipt",
    "stock.picking",
    "mail.activity",
    "order.payment.override",
    "order.shipping.order",
    "order.loading.check",
    "order.gate.check",
    "order.carrier.booking",
    "order.shipment.statistics",
    "order.kpi.fact",
    "order.late.analysis",
    "order.monthly.review",
    "order.monthly.review.line",
    "order.improvement.plan",
    "order.improvement.suggestion",
)
TUESDAY = "2026-12-01 02:00:00"  # 10:00 in Shanghai


@tagged("post_install", "-at_install")
class TestBadInput(QualityCase):
    # The achievement-rate fixtures (R29, R30): signed orders shipped late.
    _shipping_steps_done = test_payment.TestPayment._shipping_steps_done
    _loaded_as_shipped = test_payment.TestPayment._loaded_as_shipped
    _signed = test_kpi.KpiCase._signed
    _ship = test_kpi.KpiCase._ship
    _fact = test_kpi.KpiCase._fact
    _open = test_late_analysis.TestLateAnalysis._open

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["order_process_addon"], ["zh_CN"], overwrite=True
        )

    # ------------------------------------------------------------ cases
    # Each returns (record the call changes, the call as a function of the
    # record in the user's language).
    def _sign_twice(self):
        order = self._effective_order()
        attachment = self.env["ir.attachment"].create(
            {"name": "again.pdf", "raw": b"%PDF-1.4 again"}
        )
        return order, lambda o: o.with_user(
            self.users["customer_mgmt"]
        )._op_record_signed_scan(attachment, "Chen", datetime.now())

    def _decide_own_order(self):
        order = self._new_order(user_id=self.users["sales"].id)
        order.with_user(self.users["customer_mgmt"]).action_op_register()
        self.users["customer_mgmt"].groups_id = [
            Command.link(self.env.ref("order_process_addon.group_finance").id)
        ]
        review = self._review(order, "finance")
        return review, lambda r: r.with_user(
            self.users["customer_mgmt"]
        ).action_approve()

    def _approve_own_plan(self):
        plan = self._plan(self._production(self._effective_order()))
        plan.with_user(self.users["pmc_manager"]).action_submit()
        return plan, lambda p: p.with_user(self.users["pmc_manager"]).action_approve()

    def _confirm_unsigned(self):
        order = self._answered_order()
        return order, lambda o: o.with_user(
            self.users["customer_mgmt"]
        ).action_confirm()

    def _ship_unsigned(self):
        order = self._answered_order()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        group = self.env["procurement.group"].create(
            {"name": order.name, "sale_id": order.id}
        )
        picking = (
            self.env["stock.picking"]
            .with_company(self.company)
            .create(
                {
                    "picking_type_id": warehouse.out_type_id.id,
                    "group_id": group.id,
                    "sale_id": order.id,
                    "partner_id": self.customer.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": self.env.ref(
                                    "stock.stock_location_customers"
                                ).id,
                            }
                        )
                    ],
                }
            )
        )
        self.assertEqual(picking.sale_id, order)
        return picking, lambda p: p.with_user(
            self.users["fg_warehouse"]
        ).button_validate()

    def _zero_quantity(self):
        order = self._new_order()
        return order.order_line[:1], lambda line: line.with_user(
            self.users["customer_mgmt"]
        ).write({"product_uom_qty": 0})

    def _date_in_the_past(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "pmc_planner")
        return review, lambda r: r.with_user(self.users["pmc_planner"]).action_approve(
            committed_date=date.today() - timedelta(days=1)
        )

    def _mismatch_as_matching(self):
        production = self._released_production()
        self._test(production, "pass")
        receipt = production.with_user(
            self.users["production"]
        )._op_deliver_to_warehouse()

        def count(r):
            with freeze_time(DURING_DAY):
                r.with_user(self.users["fg_warehouse"]).action_count_and_sign(
                    r.qty_delivered - 1, self.users["production"]
                )

        return receipt, count

    def _decide_twice(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "quality")
        review.with_user(self.users["quality"]).action_approve()
        return review, lambda r: r.with_user(self.users["quality"]).action_reject("no")

    def _change_signed_content(self):
        order = self._effective_order()
        return order.order_line[:1], lambda line: line.with_user(
            self.users["customer_mgmt"]
        ).write({"product_uom_qty": 1})

    def _forge_a_signature(self):
        order = self._answered_order()
        return order, lambda o: o.with_user(self.users["customer_mgmt"]).write(
            {"signed_by": "Forger", "signed_on": datetime.now()}
        )

    def _cancel_signed_without_reason(self):
        order = self._effective_order()
        return order, lambda o: o.with_user(
            self.users["customer_mgmt"]
        ).action_op_cancel("", "customer")

    def _prepay_order(self):
        partner = self.env["res.partner"].create({"name": "Prepaying Customer"})
        partner.with_company(self.company).op_payment_before_shipment = True
        order = self._answered_order(partner_id=partner.id)
        self._sign_with_scan(order)
        return order

    def _ship_unpaid_prepay_order(self):
        order = self._prepay_order()
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking, lambda p: p.with_user(
            self.users["fg_warehouse"]
        ).button_validate()

    def _override_without_reason(self):
        order = self._prepay_order()
        return order, lambda o: o.with_user(
            self.users["general_manager"]
        ).action_op_override_payment("")

    # ------------------------------------------------------------ shipping
    def _delivery_of(self, order):
        return order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def _draft_d10(self, picking, ship_date):
        merchandiser = self.users["customer_mgmt"]
        action = picking.with_user(merchandiser).action_op_new_shipping_order()
        d10 = self.env["order.shipping.order"].with_user(merchandiser)
        d10 = d10.browse(action["res_id"])
        d10.ship_date = ship_date
        return d10

    def _approved_d10(self):
        picking = self._delivery_of(self._signed_receipt().sale_order_id)
        with freeze_time(TUESDAY):
            d10 = self._draft_d10(picking, date(2026, 12, 2))
            d10.action_issue()
            d10.with_user(self.users["pmc_clerk"]).action_approve()
        return d10

    def _loading(self):
        d10 = self._approved_d10()
        picking = d10.picking_id
        check = self.env["order.loading.check"].browse(
            picking.with_user(self.users["fg_warehouse"]).action_op_start_loading()[
                "res_id"
            ]
        )
        check.line_ids.write({"checked": True})
        return check

    def _frozen(self, moment, call):
        with freeze_time(moment):
            return call()

    def _d10_on_the_ship_date(self):
        picking = self._delivery_of(self._signed_receipt().sale_order_id)
        with freeze_time(TUESDAY):
            d10 = self._draft_d10(picking, date(2026, 12, 1))
        return d10, lambda d: self._frozen(TUESDAY, d.action_issue)

    def _d10_without_signed_receipt(self):
        picking = self._delivery_of(self._released_production().op_sale_order_id)
        with freeze_time(TUESDAY):
            d10 = self._draft_d10(picking, date(2026, 12, 2))
        return d10, lambda d: self._frozen(TUESDAY, d.action_issue)

    def _d11_signed_twice(self):
        check = self._loading()
        keeper = self.users["fg_warehouse"]
        check.with_user(keeper).action_sign_loader()
        return check, lambda c: c.with_user(keeper).action_sign_keeper()

    def _d11_difference_as_match(self):
        check = self._loading()
        check.line_ids.with_user(self.users["fg_warehouse"]).qty_loaded = 8
        return check, lambda c: c.with_user(
            self.users["fg_warehouse"]
        ).action_sign_loader()

    def _recall_without_reason(self):
        return self._approved_d10(), lambda d: d.with_user(
            self.users["customer_mgmt"]
        ).action_recall("", "customer")

    def _recall_to_a_past_date(self):
        return self._approved_d10(), lambda d: d.with_user(
            self.users["customer_mgmt"]
        ).action_recall("Customer asked", "customer", date(2020, 1, 6))

    def _gate_before_loading(self):
        picking = self._loading().picking_id
        return (
            picking,
            lambda p: (
                self.env["order.gate.check"]
                .with_user(self.users["administration"])
                .with_context(lang=p.env.context.get("lang"))
                .create(
                    {"picking_id": p.id, "vehicle_plate": "沪A 12345", "result": "pass"}
                )
            ),
        )

    def _book_expired_contract(self):
        order = self._answered_order()
        self._sign_with_scan(order)
        picking = self._delivery_of(order)
        carrier = self.env["res.partner"].create({"name": "Old Carrier"})
        expired = self.env["order.carrier.contract"].create(
            {
                "name": "CT-EXPIRED",
                "partner_id": carrier.id,
                "company_id": self.company.id,
                "date_start": date.today() - timedelta(days=400),
                "date_end": date.today() - timedelta(days=1),
            }
        )
        keeper = self.users["fg_warehouse"]

        def book(p):
            wizard = (
                self.env["order.carrier.booking.wizard"]
                .with_user(keeper)
                .with_context(lang=p.env.context.get("lang"))
                .create(
                    {
                        "picking_id": p.id,
                        "contract_id": expired.id,
                        "vehicle_plate": "沪A 12345",
                    }
                )
            )
            return wizard.action_book()

        return picking, book

    def _edit_signed_d12(self):
        d12 = self.env["order.shipment.statistics"]._op_build(
            self.company, date(2026, 10, 13)
        )
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        d12.with_user(self.users["pmc_manager"]).action_sign()
        return d12, lambda r: r.with_user(self.users["pmc_manager"]).write(
            {"date": date(2026, 10, 14)}
        )

    def _d13_without_cause(self):
        self._failed_fact().with_user(
            self.users["pmc_manager"]
        ).action_set_responsibility("The die broke", "production")
        analysis = self._open()
        self.assertEqual(analysis.department, "production")
        return analysis, lambda a: a.with_user(self.users["production"]).action_submit()

    def _failed_fact(self):
        order = self._signed()
        self._ship(order, test_kpi.ONE_DAY_LATE)
        return self._fact(order)

    def _charge_without_role(self):
        return self._failed_fact(), lambda f: f.with_user(
            self.users["pmc_planner"]
        ).action_set_responsibility("The die broke", "production")

    def _charge_without_reason(self):
        return self._failed_fact(), lambda f: f.with_user(
            self.users["pmc_manager"]
        ).action_set_responsibility("  ", "production")

    def _settings(self, vals):
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        return self.company, lambda c: c.with_user(admin).write(vals)

    def _target_over_100(self):
        return self._settings({"op_kpi_target": 101.0})

    def _negative_tolerance(self):
        return self._settings({"op_kpi_day_tolerance": -1})

    def _negative_quantity_tolerance(self):
        return self._settings({"op_kpi_qty_tolerance": -5.0})

    def _edit_frozen_monthly_review(self):
        review = (
            self.env["order.monthly.review"]
            .sudo()
            .create({"company_id": self.company.id, "month_start": date(2026, 9, 1)})
        )
        review._op_freeze()
        return review, lambda r: r.with_user(self.users["pmc_manager"]).write(
            {"analysis": "Rewritten after the fact"}
        )

    def _improvement_plan(self):
        return (
            self.env["order.improvement.plan"]
            .with_user(self.users["pmc_manager"])
            .create(
                {
                    "description": "Spare dies for repeat orders",
                    "owner_id": self.users["production"].id,
                    "deadline": date(2026, 12, 18),
                }
            )
        )

    def _plan_without_owner(self):
        return self._improvement_plan(), lambda p: p.with_user(
            self.users["pmc_manager"]
        ).create({"description": "Faster reviews", "deadline": date(2026, 12, 18)})

    def _plan_deadline_removed(self):
        return self._improvement_plan(), lambda p: p.with_user(
            self.users["general_manager"]
        ).write({"deadline": False})

    def _suggestion_evaluated_by_its_author(self):
        author = self.users["pmc_manager"]
        suggestion = (
            self.env["order.improvement.suggestion"]
            .with_user(author)
            .create({"name": "Shared die calendar", "content": "Book dies on it."})
        )
        return suggestion, lambda s: s.with_user(author).write(
            {"evaluation": "Excellent", "reward": True}
        )

    CASES = [
        (
            "signing twice",
            _sign_twice,
            "can be signed only after every review",
            "须在所有评审完成且 PMC 回复后才能签回",
        ),
        (
            "approving one's own order where forbidden",
            _decide_own_order,
            "someone else decides",
            "由他人",
        ),
        (
            "approving one's own plan",
            _approve_own_plan,
            "submitted by you",
            "由您提交",
        ),
        (
            "confirming an unsigned order",
            _confirm_unsigned,
            "takes effect only once the customer has signed",
            "须经客户签回后才生效",
        ),
        (
            "shipping an unsigned order",
            _ship_unsigned,
            "nothing may be shipped",
            "不得为其出货",
        ),
        (
            "a zero quantity",
            _zero_quantity,
            "must be positive",
            "必须为正数",
        ),
        (
            "a delivery date in the past",
            _date_in_the_past,
            "is in the past",
            "已过去",
        ),
        (
            "a count mismatch marked as matching",
            _mismatch_as_matching,
            "record the reason of the difference",
            "请记录差异原因",
        ),
        (
            "deciding a review twice",
            _decide_twice,
            "was already decided",
            "已由",
        ),
        (
            "changing what the customer signed",
            _change_signed_content,
            "can no longer change",
            "不能再更改",
        ),
        (
            "writing a signature past the steps",
            _forge_a_signature,
            "never by direct writing",
            "不能直接写入",
        ),
        (
            "cancelling a signed order without a reason",
            _cancel_signed_without_reason,
            "reason of the cancellation",
            "取消原因",
        ),
        (
            "shipping an unpaid order paid before shipment, not released",
            _ship_unpaid_prepay_order,
            "is paid before shipment and not paid yet",
            "款到发货订单",
        ),
        (
            "shipping before payment without a reason",
            _override_without_reason,
            "reason for shipping before payment",
            "未付款先发货的原因",
        ),
        (
            "a shipping order on the ship date (less than 1 working day ahead)",
            _d10_on_the_ship_date,
            "is issued at least 1 working day before shipping",
            "至少提前 1 个工作日",
        ),
        (
            "a shipping order before the finished-goods receipt is signed",
            _d10_without_signed_receipt,
            "No finished-goods receipt (D8)",
            "入库单（D8）",
        ),
        (
            "a loading check signed twice by the same user",
            _d11_signed_twice,
            "two different people",
            "两个不同的人",
        ),
        (
            "a loaded quantity difference passed as matching",
            _d11_difference_as_match,
            "record the reason of the difference",
            "请记录差异原因",
        ),
        (
            "a shipment moved without a reason",
            _recall_without_reason,
            "needs a reason and a responsible department",
            "原因和责任部门",
        ),
        (
            "a shipment moved to a past date",
            _recall_to_a_past_date,
            "is not after today",
            "不晚于今天",
        ),
        (
            "a gate check before loading",
            _gate_before_loading,
            "is not loaded yet",
            "尚未装车",
        ),
        (
            "booking an expired carrier contract",
            _book_expired_contract,
            "expired on",
            "已于",
        ),
        (
            "editing a signed D12 (R28)",
            _edit_signed_d12,
            "never by direct writing",
            "不能直接写入",
        ),
        (
            "a D13 without cause or measures (R30)",
            _d13_without_cause,
            "before it is submitted",
            "提交前须填写",
        ),
        (
            "charging a failed order without the PMC manager's role (R30)",
            _charge_without_role,
            "may do this",
            "可以执行此操作",
        ),
        (
            "charging a failed order without a reason (R30)",
            _charge_without_reason,
            "Give the reason of the correction",
            "请填写更正原因",
        ),
        (
            "a target achievement rate over 100 % (R29)",
            _target_over_100,
            "must be between 0 % and 100 %",
            "必须在 0 % 到 100 % 之间",
        ),
        (
            "a negative delivery tolerance (R29)",
            _negative_tolerance,
            "cannot be negative",
            "不能为负数",
        ),
        (
            "a negative quantity tolerance (R29)",
            _negative_quantity_tolerance,
            "quantity tolerance must be between",
            "数量容差必须在",
        ),
        (
            "editing a frozen monthly review (R31)",
            _edit_frozen_monthly_review,
            "can no longer change",
            "不能再更改",
        ),
        (
            "an improvement plan without an owner (R33)",
            _plan_without_owner,
            "needs an owner and a deadline",
            "须有负责人和期限",
        ),
        (
            "an improvement plan's deadline removed (R33)",
            _plan_deadline_removed,
            "needs an owner and a deadline",
            "须有负责人和期限",
        ),
        (
            "a suggestion evaluated by its author (R33)",
            _suggestion_evaluated_by_its_author,
            "submitted by you",
            "由您提交",
        ),
    ]

    # ------------------------------------------------------------ as RPC sends them
    # Issue 19, item 5: values of the wrong kind, as a JSON-RPC or XML-RPC
    # client sends them (strings where dates and numbers are expected).
    def _draft_d10_as_merchandiser(self):
        picking = self._delivery_of(self._signed_receipt().sale_order_id)
        with freeze_time(TUESDAY):
            d10 = self._draft_d10(picking, date(2026, 12, 2))
        return d10.with_user(self.users["customer_mgmt"])

    def _ship_date_not_a_date(self):
        return self._draft_d10_as_merchandiser(), lambda d: d.write(
            {"ship_date": "not-a-date"}
        )

    def _ship_date_that_does_not_exist(self):
        return self._draft_d10_as_merchandiser(), lambda d: d.write(
            {"ship_date": "2026-02-30"}
        )

    def _counted_quantity_not_a_number(self):
        receipt, _count = self._mismatch_as_matching()
        return receipt, lambda r: r.with_user(
            self.users["fg_warehouse"]
        ).action_count_and_sign("ten", self.users["production"].id)

    def _proposed_date_not_a_date(self):
        return self._approved_d10(), lambda d: d.with_user(
            self.users["customer_mgmt"]
        ).action_recall("Customer asked", "customer", "soon")

    def _committed_date_not_a_date(self):
        order = self._new_order()
        order.action_op_register()
        review = self._review(order, "pmc_planner")
        return review, lambda r: r.with_user(self.users["pmc_planner"]).action_approve(
            committed_date="next week"
        )

    def _department_not_offered(self):
        return self._approved_d10(), lambda d: d.with_user(
            self.users["customer_mgmt"]
        ).action_recall("Customer asked", ["customer"])

    def _urgency_not_offered(self):
        order = self._new_order()
        return order, lambda o: o.with_user(self.users["customer_mgmt"]).write(
            {"op_urgency": "yesterday"}
        )

    def _merchandiser_that_does_not_exist(self):
        order = self._new_order()
        return order, lambda o: o.with_user(self.users["customer_mgmt"]).write(
            {"op_merchandiser_id": 987654321}
        )

    def _oversize_gate_note(self):
        check = self._loading()
        # The PMC manager holds the warehouse's role: the second signer.
        check.with_user(self.users["pmc_manager"]).action_sign_loader()
        check.with_user(self.users["fg_warehouse"]).action_sign_keeper()
        picking = check.picking_id
        return (
            picking,
            lambda p: (
                self.env["order.gate.check"]
                .with_user(self.users["administration"])
                .with_context(lang=p.env.context.get("lang"))
                .create(
                    {
                        "picking_id": p.id,
                        "vehicle_plate": "沪A 12345",
                        "result": "pass",
                        "note": "x" * (10 * 1024 * 1024),
                    }
                )
            ),
        )

    def _oversize_reason(self):
        return self._approved_d10(), lambda d: d.with_user(
            self.users["customer_mgmt"]
        ).action_recall("x" * 30000, "customer")

    CASES += [
        (
            "a ship date that is not a date, over RPC",
            _ship_date_not_a_date,
            "is not a date",
            "不是日期",
        ),
        (
            "a ship date that does not exist (2026-02-30), over RPC",
            _ship_date_that_does_not_exist,
            "is not a date",
            "不是日期",
        ),
        (
            "a counted quantity that is not a number, over RPC",
            _counted_quantity_not_a_number,
            "must be a number",
            "必须是",
        ),
        (
            "a proposed ship date that is not a date, over RPC",
            _proposed_date_not_a_date,
            "is not a date",
            "不是日期",
        ),
        (
            "a committed date that is not a date, over RPC",
            _committed_date_not_a_date,
            "is not a date",
            "不是日期",
        ),
        (
            "a responsible department that is not offered, over RPC",
            _department_not_offered,
            "Choose a responsible department",
            "请选择责任部门",
        ),
        (
            "a choice that is not offered, over RPC",
            _urgency_not_offered,
            "is not one of the choices",
            "不在可选项",
        ),
        (
            "a record that does not exist, over RPC",
            _merchandiser_that_does_not_exist,
            "with the id 987654321",
            "987654321",
        ),
        (
            "a 10 MiB note on a gate check, over RPC",
            _oversize_gate_note,
            "at most 20000",
            "最多 20000",
        ),
        (
            "a 30,000-character reason, over RPC",
            _oversize_reason,
            "at most 20000",
            "最多 20000",
        ),
    ]

    # ------------------------------------------------------------ checks
    def _snapshot(self, record):
        names = [
            name
            for name, field in record._fields.items()
            if field.store
            and field.type not in ("one2many", "many2many", "binary")
            and name not in ("write_date", "__last_update")
        ]
        record.invalidate_recordset()
        counts = {m: self.env[m].sudo().search_count([]) for m in COUNTED_MODELS}
        return record.sudo().read(names)[0], counts

    def test_r37_every_refusal_is_clear_translated_and_changes_nothing(self):
        for name, build, english, chinese in self.CASES:
            with self.subTest(case=name):
                record, call = build(self)
                before = self._snapshot(record)
                for lang, expected in (("en_US", english), ("zh_CN", chinese)):
                    with self.assertRaises(UserError) as caught:
                        call(record.with_context(lang=lang))
                    self.assertIn(expected, str(caught.exception), f"{name} {lang}")
                    self.assertEqual(self._snapshot(record), before, name)
