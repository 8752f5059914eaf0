# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 21, item 2: each event of the process reaches the group robots of
the departments it concerns, in each robot's language, with the payload
its platform receives checked whole; the robots of other departments hear
nothing of it.

The events come from the real steps and scheduled jobs (the same fixtures
as their own tests); the rows are written at the step's commit and sent by
the job to the local platforms."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from . import test_deadlines, test_late_analysis, test_shipment_statistics
from .common import OrderProcessCase
from .robot_common import RobotFixture
from .test_monthly_review import MonthlyReviewCase
from .test_production_plan import ProductionCase
from .test_shipping import ShippingCase


def _wecom(lines, mobiles=()):
    text = {"content": "\n".join(lines)}
    if mobiles:
        text["mentioned_mobile_list"] = list(mobiles)
    return {"msgtype": "text", "text": text}


@tagged("post_install", "-at_install")
class TestRobotReviewEvents(RobotFixture, OrderProcessCase):
    """R4, R6: a review assigned, a rush order, a review overdue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls._robot("wecom", ["quality"], lang="zh_CN")
        cls.planners = cls._robot("dingtalk", ["pmc_planner"], lang="en_US")
        cls.manager = cls._robot("feishu", ["pmc_manager"], lang="zh_CN")
        cls.users["quality"].mobile = "13800138011"
        cls.users["pmc_manager"].email = "huang.yong@example.com"

    def test_r04_review_assigned_in_chinese_to_quality_only(self):
        order = self._new_order()
        order.action_op_register()
        self._commit()
        self._send()
        review = self._review(order, "quality")
        self.assertEqual(
            self._received(self.quality),
            [
                _wecom(
                    [
                        "【待评审】",
                        f"Test Customer Ltd. 的订单 {order.name}："
                        "请完成评审“品质与检测能力”。",
                        f"单据: {order.name}",
                        "截止日期: "
                        + self.Outbox._op_format_datetime(
                            self.company, review.deadline
                        ),
                        "处理人: Xu Li",
                        f"在 Odoo 中打开: {self.Outbox._op_url(order)}",
                    ],
                    ["13800138011"],
                )
            ],
        )
        # The planners' robot hears of PMC's review, the manager's of none.
        self.assertEqual(
            [p["markdown"]["title"] for p in self._received(self.planners)],
            ["Review Assigned"],
        )
        self.assertFalse(self._received(self.manager))

    def test_r06_rush_order_at_once_to_the_planners_in_english(self):
        order = self._new_order(op_urgency="rush")
        order.action_op_register()
        self._commit()
        self._send()
        deadline = self.Outbox._op_format_datetime(
            self.company, order.op_review_deadline
        )
        url = self.Outbox._op_url(order)
        rush = [
            p
            for p in self._received(self.planners)
            if p["markdown"]["title"] == "Rush Order"
        ]
        self.assertEqual(
            rush,
            [
                {
                    "msgtype": "markdown",
                    "markdown": {
                        "title": "Rush Order",
                        "text": "#### Rush Order\n\n"
                        f"Rush order {order.name} of Test Customer Ltd.: evaluate "
                        "and answer at once (R6).\n\n"
                        f"- **Document:** {order.name}\n"
                        f"- **Deadline:** {deadline}\n"
                        "- **Who must act:** Liu Yang, Huang Yong\n\n"
                        f"[Open in Odoo]({url})",
                    },
                    "at": {"atMobiles": [], "isAtAll": False},
                }
            ],
        )
        # Its PMC review is marked rush too.
        titles = sorted(p["markdown"]["title"] for p in self._received(self.planners))
        self.assertEqual(titles, ["Review Assigned (rush order)", "Rush Order"])

    def test_r04_overdue_review_escalated_to_the_pmc_manager(self):
        order = self._new_order()
        order.action_op_register()
        for role in ("pmc_planner", "finance"):
            self._review(order, role).with_user(self.users[role]).action_approve(
                committed_date=date.today() + timedelta(days=25)
                if role == "pmc_planner"
                else None
            )
        self._commit()
        review = self._review(order, "quality")
        with freeze_time(review.deadline + timedelta(hours=1)):
            self.env["order.review"]._cron_escalate_overdue()
            self._commit()
        self._send(review.deadline + timedelta(hours=1))
        deadline = self.Outbox._op_format_datetime(self.company, review.deadline)
        signed = self._received(self.manager)[0]
        self.assertEqual(
            self._received(self.manager),
            [
                {
                    "msg_type": "interactive",
                    "card": {
                        "config": {"wide_screen_mode": True},
                        "header": {
                            "template": "red",
                            "title": {"tag": "plain_text", "content": "评审逾期"},
                        },
                        "elements": [
                            {
                                "tag": "div",
                                "text": {
                                    "tag": "lark_md",
                                    "content": f"{order.name} 的评审“品质与检测能力”"
                                    "已逾期：已上报 PMC 经理（R4）。\n"
                                    f"**单据:** {order.name}\n"
                                    f"**截止日期:** {deadline}\n"
                                    "**处理人:** Huang Yong\n"
                                    "<at email=huang.yong@example.com></at>",
                                },
                            },
                            {
                                "tag": "action",
                                "actions": [
                                    {
                                        "tag": "button",
                                        "type": "primary",
                                        "text": {
                                            "tag": "plain_text",
                                            "content": "在 Odoo 中打开",
                                        },
                                        "url": self.Outbox._op_url(order),
                                    }
                                ],
                            },
                        ],
                    },
                    "timestamp": signed["timestamp"],
                    "sign": signed["sign"],
                }
            ],
        )


@tagged("post_install", "-at_install")
class TestRobotPlanEvents(RobotFixture, ProductionCase):
    """R12, R13: no D4 1 working day after D2; a D4 not released by 07:50."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._robot("wecom", ["pmc_manager"], lang="zh_CN")

    def test_r12_r13_late_plans_to_the_pmc_manager(self):
        with freeze_time("2026-10-12 02:00:00"):  # Monday 10:00 in Shanghai
            unplanned = self._effective_order()
            planned = self._effective_order()
            plan = self._plan(self._production(planned))
            plan.action_submit()
        with freeze_time("2026-10-13 03:00:00"):
            self.env["order.production.plan"]._cron_escalate_late_plans()
            self._commit()
        self._send()
        manager = "处理人: Huang Yong"
        received = self._received(self.manager)
        # Escalated together, in no particular order.
        self.assertEqual(
            sorted(received, key=lambda p: p["text"]["content"]),
            [
                _wecom(
                    [
                        "【生产计划表逾期（D4）】",
                        f"{unplanned.name} 在收到产品订货单 1 个工作日后"
                        "仍未提交生产计划表（D4）（R12）。",
                        f"单据: {unplanned.name}",
                        "截止日期: 2026-10-13 10:00 CST",
                        manager,
                        f"在 Odoo 中打开: {self.Outbox._op_url(unplanned)}",
                    ]
                ),
                _wecom(
                    [
                        "【生产计划表逾期（D4）】",
                        f"生产计划表 {plan.name} 未下达（R13）。",
                        f"单据: {plan.name}",
                        "截止日期: "
                        + self.Outbox._op_format_datetime(
                            self.company, plan.release_deadline
                        ),
                        manager,
                        f"在 Odoo 中打开: {self.Outbox._op_url(plan)}",
                    ]
                ),
            ],
        )


@tagged("post_install", "-at_install")
class TestRobotShippingEvents(RobotFixture, ShippingCase):
    """R23, R25, R27: a D10 not issued the day before shipping, a vehicle
    not arrived, a delivery held at the gate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._robot("dingtalk", ["pmc_manager"], lang="en_US")
        cls.warehouse = cls._robot("wecom", ["fg_warehouse"], lang="zh_CN")
        cls.customer_mgmt = cls._robot("feishu", ["customer_mgmt"], lang="en_US")

    def test_r23_shipping_order_not_issued_to_the_pmc_manager(self):
        picking = self._received_delivery()
        picking.sudo().scheduled_date = test_deadlines.MONDAY_SHIP
        self._commit()
        with freeze_time(test_deadlines.SATURDAY_MORNING):
            self.env["stock.picking"]._cron_escalate_missing_d10()
            self._commit()
        self._send()
        order = picking._op_sale_orders()
        self.assertEqual(
            self._received(self.manager),
            [
                {
                    "msgtype": "markdown",
                    "markdown": {
                        "title": "Shipping Order Not Issued (D10)",
                        "text": "#### Shipping Order Not Issued (D10)\n\n"
                        f"The shipping order (D10) of {picking.name} for {order.name} "
                        "is not issued: it was due the working day before shipping "
                        "(R23).\n\n"
                        f"- **Document:** {picking.name}\n"
                        "- **Deadline:** 2026-12-05 00:00 CST\n"
                        "- **Who must act:** Huang Yong\n\n"
                        f"[Open in Odoo]({self.Outbox._op_url(picking)})",
                    },
                    "at": {"atMobiles": [], "isAtAll": False},
                }
            ],
        )
        self.assertFalse(self._received(self.warehouse))

    def test_r25_vehicle_not_arrived_to_the_pmc_manager(self):
        picking = self._received_delivery()
        self._vehicle_arrived(picking)  # books (and confirms) a first vehicle
        booking = picking.op_carrier_booking_id
        arrival = datetime(2026, 12, 1, 2, 0)  # Tuesday 10:00 in Shanghai
        booking.sudo().write({"state": "booked", "planned_arrival": arrival})
        self._commit()
        with freeze_time(arrival + timedelta(minutes=20)):
            self.env["order.carrier.booking"]._cron_escalate_late_vehicles()
            self._commit()
        self._send()
        self.assertEqual(
            self._received(self.manager)[-1]["markdown"]["text"],
            "#### Vehicle Not Arrived\n\n"
            f"Vehicle 沪A 12345 for {picking.name} has not arrived (R25).\n\n"
            f"- **Document:** {picking.name}\n"
            "- **Deadline:** 2026-12-01 10:00 CST\n"
            "- **Who must act:** Huang Yong\n\n"
            f"[Open in Odoo]({self.Outbox._op_url(picking)})",
        )

    def test_r27_gate_hold_to_the_merchandiser_and_the_warehouse(self):
        picking = self._received_delivery()
        self._set_quantities(picking)
        self._approved_d10(picking)
        self._signed_check(picking)
        self._commit()
        self.platforms.clear()
        self._gate(picking, result="hold", hold_reason="Seal broken <at id=all>")
        self._commit()
        self._send()
        self.assertEqual(
            self._received(self.warehouse),
            [
                _wecom(
                    [
                        "【门卫扣留】",
                        f"{picking.name}（车辆 沪A 12345）在门卫检查处被扣留："
                        "Seal broken <at id=all>（R27）。",
                        f"单据: {picking.name}",
                        "处理人: Li Na, Zhao Lei, Huang Yong, Loader Li",
                        f"在 Odoo 中打开: {self.Outbox._op_url(picking)}",
                    ]
                )
            ],
        )
        feishu = self._received(self.customer_mgmt)
        self.assertEqual(len(feishu), 1)
        content = feishu[0]["card"]["elements"][0]["text"]["content"]
        self.assertIn("Seal broken &lt;at id=all&gt; (R27).", content)
        self.assertEqual(
            feishu[0]["card"]["header"]["title"]["content"], "Held at the Gate"
        )


@tagged("post_install", "-at_install")
class TestRobotStatisticsEvents(RobotFixture, test_shipment_statistics.QualityCase):
    """R28: D12 signed for Finance; D12 not signed at 09:00."""

    _order = test_shipment_statistics.TestShipmentStatistics._order
    _ship = test_shipment_statistics.TestShipmentStatistics._ship
    _build = test_shipment_statistics.TestShipmentStatistics._build
    _shipping_steps_done = (
        test_shipment_statistics.TestShipmentStatistics._shipping_steps_done
    )
    _loaded_as_shipped = (
        test_shipment_statistics.TestShipmentStatistics._loaded_as_shipped
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.D12 = cls.env["order.shipment.statistics"]
        cls.finance = cls._robot("feishu", ["finance"], lang="en_US")
        cls.manager = cls._robot("wecom", ["pmc_manager"], lang="zh_CN")

    def test_r28_signed_d12_to_finance(self):
        self._ship(self._order())
        d12 = self._build()
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        d12.with_user(self.users["pmc_manager"]).action_sign()
        with freeze_time(test_shipment_statistics.BEFORE_DEADLINE):
            self.D12._cron_send_to_finance()
            self._commit()
        self._send()
        (card,) = self._received(self.finance)
        self.assertEqual(
            card["card"]["elements"][0]["text"]["content"],
            f"The shipment statistics {d12.name} of 2026-10-13 are signed: Finance "
            "checks them (R28).\n"
            f"**Document:** {d12.name}\n"
            "**Who must act:** Ma Lin\n"
            "<at email=ma.lin@example.com></at>",
        )
        self.assertEqual(card["card"]["header"]["template"], "blue")
        self.assertFalse(self._received(self.manager))

    def test_r28_d12_unsigned_at_nine_to_the_pmc_manager(self):
        self._ship(self._order())
        d12 = self._build()
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        with freeze_time(test_shipment_statistics.LATER):
            self.D12._cron_send_to_finance()
            self._commit()
        self._send()
        self.assertEqual(
            self._received(self.manager),
            [
                _wecom(
                    [
                        "【每日出货统计表未签字（D12）】",
                        f"2026-10-13 的每日出货统计表 {d12.name} 未签字："
                        "财务部在等待（R28）。",
                        f"单据: {d12.name}",
                        "截止日期: 2026-10-14 09:00 CST",
                        "处理人: Huang Yong",
                        f"在 Odoo 中打开: {self.Outbox._op_url(d12)}",
                    ]
                )
            ],
        )
        self.assertFalse(self._received(self.finance))


@tagged("post_install", "-at_install")
class TestRobotLateAnalysisEvents(RobotFixture, test_late_analysis.KpiCase):
    """R30: a late order's D13 due, then overdue."""

    _late_order = test_late_analysis.TestLateAnalysis._late_order
    _open = test_late_analysis.TestLateAnalysis._open

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production = cls._robot("dingtalk", ["production"], lang="zh_CN")
        cls.management = cls._robot("wecom", ["general_manager", "audit"], lang="en_US")

    def test_r30_d13_due_to_the_department_then_overdue_to_its_managers(self):
        order = self._late_order()
        self._commit()
        analysis = self._open()
        self._commit()
        self._send()
        (due,) = self._received(self.production)
        self.assertEqual(due["markdown"]["title"], "原因分析报告待填写（D13）")
        self.assertEqual(
            due["markdown"]["text"],
            "#### 原因分析报告待填写（D13）\n\n"
            f"{order.name} 已延期：生产部 须在 24 个工作小时内填写原因分析报告 "
            f"{analysis.name}（R30）。\n\n"
            f"- **单据:** {analysis.name}\n"
            "- **截止日期:** 2026-11-05 10:00 CST\n"
            "- **处理人:** Wu Gang\n\n"
            f"[在 Odoo 中打开]({self.Outbox._op_url(analysis)})",
        )
        self.assertFalse(self._received(self.management))
        self._open(test_late_analysis.AFTER_DEADLINE)
        self._commit()
        self._send()
        (overdue,) = self._received(self.management)
        self.assertEqual(
            overdue["text"]["content"],
            "\n".join(
                [
                    "【Cause Analysis Overdue (D13)】",
                    f"The cause analysis {analysis.name} of {order.name} by Production "
                    "is overdue (R30).",
                    f"Document: {analysis.name}",
                    "Deadline: 2026-11-05 10:00 CST",
                    "Who must act: Zhu Jun, Hu Jianguo",
                    f"Open in Odoo: {self.Outbox._op_url(analysis)}",
                ]
            ),
        )


@tagged("post_install", "-at_install")
class TestRobotMonthlyReviewEvents(RobotFixture, MonthlyReviewCase):
    """R31: each department below target, to its robot and the General
    Manager's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.management = cls._robot("feishu", ["general_manager"], lang="en_US")
        cls.production = cls._robot("wecom", ["production"], lang="zh_CN")
        cls.quality = cls._robot("wecom", ["quality"], lang="zh_CN")

    def test_r31_departments_below_target(self):
        self._october()
        review = self._freeze_by_hand()
        self._commit()
        self._send()
        self.assertEqual(
            self._received(self.production),
            [
                _wecom(
                    [
                        "【部门未达目标】",
                        f"{review.with_context(lang='zh_CN').display_name}："
                        "生产部 的 20 张应交付订单按期达成 90.0 %，"
                        "低于目标 95.0 %，需进行绩效考核（R31）。",
                        f"单据: {review.with_context(lang='zh_CN').display_name}",
                        "处理人: Hu Jianguo",
                        f"在 Odoo 中打开: {self.Outbox._op_url(review)}",
                    ]
                )
            ],
        )
        self.assertFalse(self._received(self.quality), "Quality is on target")
        texts = [
            p["card"]["elements"][0]["text"]["content"].split("\n")[0]
            for p in self._received(self.management)
        ]
        self.assertEqual(
            texts,
            [
                "Monthly Achievement Review 2026-10: PMC delivered 90.0 % of its "
                "20 orders on time, below the target of 95.0 %; for performance "
                "review (R31).",
                "Monthly Achievement Review 2026-10: Production delivered 90.0 % "
                "of its 20 orders on time, below the target of 95.0 %; for "
                "performance review (R31).",
            ],
        )
