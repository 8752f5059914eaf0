# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""D12, the daily shipment statistics (R28): built from the validated
deliveries of the process's orders by one aggregation, prepared by the
finished-goods keeper, signed by the PMC manager, then read-only; sent to
Finance with its PDF before the configured time, or escalated once to the
PMC manager when not signed by then."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from . import test_payment
from .test_production_quality import QualityCase

# Tuesday 13 October 2026, on the test calendar (Asia/Shanghai, Mon-Fri).
DAY = date(2026, 10, 13)
SHIPPED_ON_DAY = "2026-10-13 02:00:00"  # 10:00 local
SHIPPED_NEXT_DAY = "2026-10-14 02:00:00"
SHIPPED_SATURDAY = "2026-10-17 02:00:00"
MONDAY = date(2026, 10, 19)
# Wednesday 14 October: the 09:00 local deadline (R28) is 01:00 UTC.
BEFORE_DEADLINE = "2026-10-14 00:30:00"
AT_DEADLINE = "2026-10-14 01:00:00"
LATER = "2026-10-14 03:00:00"


@tagged("post_install", "-at_install")
class TestShipmentStatistics(QualityCase):
    _shipping_steps_done = test_payment.TestPayment._shipping_steps_done
    _loaded_as_shipped = test_payment.TestPayment._loaded_as_shipped

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.D12 = cls.env["order.shipment.statistics"]
        # A second PMC manager: the one who prepares never signs (R37).
        cls.other_manager = new_test_user(
            cls.env,
            login="op_pmc_manager_2",
            groups="base.group_user,order_process_addon.group_pmc_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    # ------------------------------------------------------------ helpers
    def _order(self, lines=1, **vals):
        order = self._answered_order(
            lines=lines, user_id=self.users["sales"].id, **vals
        )
        self._sign_with_scan(order)
        self.assertEqual(order.op_state, "effective")
        return order

    def _ship(self, order, when=SHIPPED_ON_DAY, moves=None):
        """Validate the open delivery of ``order`` (only ``moves`` of it,
        the rest in a backorder) as the keeper at ``when``."""
        picking = test_payment.TestPayment._delivery(self, order)
        if moves is not None:
            (picking.move_ids - moves).write({"quantity": 0, "picked": False})
        self._loaded_as_shipped(picking)
        with freeze_time(when):
            picking.with_user(self.users["fg_warehouse"]).with_context(
                skip_backorder=True
            ).button_validate()
        self.assertEqual(picking.state, "done")
        return picking

    def _build(self, day=DAY):
        return self.D12._op_build(self.company, day)

    def _lines_snapshot(self, d12):
        return d12.sudo().line_ids.read(["product_id", "qty_done", "amount"])

    def _mails_to_finance(self, d12):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", d12._name), ("res_id", "=", d12.id)])
            .filtered(
                # Not the activity's "assigned to you" notice.
                lambda m: (
                    self.users["finance"].partner_id in m.recipient_ids
                    and m.message_type != "user_notification"
                )
            )
        )

    def _activities(self, d12, xmlid):
        kind = self.env.ref(f"order_process_addon.{xmlid}")
        return d12.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def _prepared_and_signed(self):
        self._ship(self._order())
        d12 = self._build()
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        d12.with_user(self.users["pmc_manager"]).action_sign()
        return d12

    # ------------------------------------------------------------ building
    def test_r28_d12_built_from_the_days_validated_deliveries(self):
        first = self._order()
        second = self._order(lines=2)
        late = self._order()
        self._ship(first)
        self._ship(second)
        self._ship(late, when=SHIPPED_NEXT_DAY)
        # Odoo's own order outside the process does not count.
        self._open_order_delivered_outside_the_process()
        d12 = self._build()
        self.assertTrue(d12.name.startswith("D12/"))
        self.assertEqual((d12.date, d12.date_from), (DAY, DAY))
        lines = d12.sudo().line_ids
        self.assertEqual(lines.sale_order_id, first | second)
        self.assertEqual(len(lines), 3, "one per customer, order line and product")
        self.assertEqual(lines.partner_id, self.customer)
        self.assertEqual(lines.product_id, self.product)
        self.assertEqual(sum(lines.mapped("qty_done")), 30)
        line = lines.filtered(lambda x: x.sale_order_id == first)
        self.assertEqual(line.price_unit, first.order_line.price_reduce_taxexcl)
        self.assertEqual(line.amount, 10 * first.order_line.price_reduce_taxexcl)
        self.assertEqual(d12.sudo().amount_total, sum(lines.mapped("amount")))
        # The next day's delivery is on the next day's statistics.
        self.assertEqual(self._build(date(2026, 10, 14)).line_ids.sale_order_id, late)

    def _open_order_delivered_outside_the_process(self):
        # The process applies to the enabled sales teams only for a moment.
        self.company.op_scope = "teams"
        order = self._create_order()
        self.company.op_scope = "all"
        self.assertFalse(order.op_active)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        picking.move_ids.picked = True
        with freeze_time(SHIPPED_ON_DAY):
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.op_process_delivery)

    def test_r28_a_saturday_shipment_counts_on_the_next_working_day(self):
        self._ship(self._order(), when=SHIPPED_SATURDAY)
        d12 = self._build(MONDAY)
        self.assertEqual(d12.date_from, date(2026, 10, 17))
        self.assertEqual(sum(d12.line_ids.mapped("qty_done")), 10)

    def test_r28_only_amount_roles_read_the_amounts(self):
        self._ship(self._order())
        d12 = self._build()
        d12.with_user(self.users["fg_warehouse"]).read(["qty_total", "line_ids"])
        with self.assertRaises(AccessError):
            d12.with_user(self.users["fg_warehouse"]).read(["amount_total"])
        d12.with_user(self.users["finance"]).read(["amount_total"])

    def test_r28_d12_prints_amounts_for_the_money_roles_only(self):
        d12 = self._prepared_and_signed()
        report = self.env.ref("order_process_addon.action_report_order_d12")
        amount = f"{d12.sudo().line_ids.amount:.2f}"
        for role, shown in (("fg_warehouse", False), ("finance", True)):
            html = (
                self.env["ir.actions.report"]
                .with_user(self.users[role])
                ._render_qweb_html(report.report_name, d12.ids)[0]
                .decode()
            )
            self.assertIn(d12.name, html)
            self.assertIn(d12.line_ids.sale_order_id.name, html)
            self.assertIn(self.users["pmc_manager"].name, html)
            self.assertEqual("Unit Price" in html, shown, role)
            self.assertEqual(amount in html, shown, role)
        # The form opens for the keeper without the amounts.
        views = d12.with_user(self.users["fg_warehouse"]).get_views([(False, "form")])
        self.assertNotIn("amount_total", views["models"][d12._name]["fields"])
        views = d12.with_user(self.users["finance"]).get_views([(False, "form")])
        self.assertIn("amount_total", views["models"][d12._name]["fields"])

    # ------------------------------------------------------------ steps
    def test_r28_keeper_prepares_pmc_manager_signs_then_read_only(self):
        self._ship(self._order())
        d12 = self._build()
        keeper, manager = self.users["fg_warehouse"], self.users["pmc_manager"]
        # Wrong roles: nothing changes.
        for role in ("sales", "finance", "audit"):
            with self.assertRaises(AccessError):
                d12.with_user(self.users[role]).action_prepare()
        with self.assertRaises(AccessError):
            d12.with_user(keeper).action_sign()
        self.assertFalse(d12.prepared_by_id)
        with self.assertRaisesRegex(UserError, "prepares .* first"):
            d12.with_user(manager).action_sign()
        self.assertEqual(d12.state, "draft")
        d12.with_user(keeper).action_prepare()
        self.assertEqual(d12.prepared_by_id, keeper)
        self.assertEqual(len(self._activities(d12, "mail_activity_type_d12_sign")), 2)
        d12.with_user(manager).action_sign()
        self.assertEqual(d12.state, "signed")
        self.assertEqual(d12.signed_by_id, manager)
        self.assertTrue(d12.signed_on)
        self.assertFalse(self._activities(d12, "mail_activity_type_d12_sign"))
        # Read-only once signed: nothing changes.
        before = self._lines_snapshot(d12)
        with self.assertRaisesRegex(UserError, "already signed"):
            d12.with_user(manager).action_sign()
        with self.assertRaisesRegex(UserError, "read-only"):
            d12.with_user(keeper).action_prepare()
        with self.assertRaises(UserError):
            self._build()
        with self.assertRaises(AccessError):
            d12.with_user(manager).write({"date": date(2026, 1, 1)})
        with self.assertRaises(AccessError):
            d12.line_ids.with_user(manager).write({"qty_done": 1})
        with self.assertRaises(UserError):
            d12.with_user(manager).unlink()
        with self.assertRaises(UserError):
            d12.unlink()  # never deleted (R35), not even by the system
        self.assertEqual((d12.state, d12.date), ("signed", DAY))
        self.assertEqual(self._lines_snapshot(d12), before)

    def test_r28_the_preparer_does_not_sign_own_d12(self):
        self._ship(self._order())
        d12 = self._build()
        manager = self.users["pmc_manager"]
        d12.with_user(manager).action_prepare()  # holds the keeper's role too
        with self.assertRaisesRegex(UserError, "prepared by you"):
            d12.with_user(manager).action_sign()
        self.assertEqual(d12.state, "draft")
        self.assertFalse(d12.signed_by_id)
        d12.with_user(self.other_manager).action_sign()
        self.assertEqual(d12.signed_by_id, self.other_manager)

    def test_r28_prepare_rebuilds_the_draft(self):
        first = self._order()
        self._ship(first)
        d12 = self._build()
        self.assertEqual(d12.line_ids.sale_order_id, first)
        second = self._order()
        self._ship(second)
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        self.assertEqual(d12.line_ids.sale_order_id, first | second)

    # ------------------------------------------------------------ crons
    def test_r28_cron_drafts_the_previous_working_day_for_the_keeper(self):
        self._ship(self._order())
        with freeze_time(BEFORE_DEADLINE):
            self.D12._cron_build_previous_day()
            self.D12._cron_build_previous_day()
        d12 = self.D12.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(d12), 1)
        self.assertEqual((d12.date, d12.state), (DAY, "draft"))
        self.assertEqual(sum(d12.line_ids.mapped("qty_done")), 10)
        todo = self._activities(d12, "mail_activity_type_d12_prepare")
        # The keepers (the PMC managers hold the keeper's role too).
        self.assertIn(self.users["fg_warehouse"], todo.user_id)
        # Monday's draft is Friday's (the weekend is off).
        with freeze_time("2026-10-19 00:30:00"):
            self.D12._cron_build_previous_day()
        self.assertTrue(
            self.D12.search(
                [("company_id", "=", self.company.id), ("date", "=", "2026-10-16")]
            )
        )

    def test_r28_cron_sends_the_signed_d12_to_finance_once(self):
        d12 = self._prepared_and_signed()
        with freeze_time(AT_DEADLINE):
            self.D12._cron_send_to_finance()
        self.assertTrue(d12.sent_on)
        self.assertFalse(d12.escalated_on)
        mail = self._mails_to_finance(d12)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.users["finance"].partner_id, mail.recipient_ids)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(mail.attachment_ids.name, f"{d12.name.replace('/', '-')}.pdf")
        self.assertIn(d12.name, mail.subject)
        # The printed D12 (the test mode renders its HTML) lists the order.
        content = mail.attachment_ids.raw.decode()
        self.assertIn(d12.line_ids.sale_order_id.name, content)
        todo = self._activities(d12, "mail_activity_type_d12_finance")
        self.assertEqual(todo.user_id, self.users["finance"])
        # Once.
        with freeze_time(LATER):
            self.D12._cron_send_to_finance()
        self.assertEqual(len(self._mails_to_finance(d12)), 1)
        finance_todo = self._activities(d12, "mail_activity_type_d12_finance")
        self.assertEqual(len(finance_todo), 1)
        self.assertFalse(self._activities(d12, "mail_activity_type_d12_escalation"))

    def test_r28_r34_unsigned_d12_escalates_once_to_the_pmc_manager(self):
        self._ship(self._order())
        d12 = self._build()
        d12.with_user(self.users["fg_warehouse"]).action_prepare()
        with freeze_time(BEFORE_DEADLINE):
            self.D12._cron_send_to_finance()
        self.assertFalse(d12.escalated_on)
        self.assertFalse(self._activities(d12, "mail_activity_type_d12_escalation"))
        with freeze_time(AT_DEADLINE):
            self.D12._cron_send_to_finance()
        with freeze_time(LATER):
            self.D12._cron_send_to_finance()
        escalation = self._activities(d12, "mail_activity_type_d12_escalation")
        self.assertEqual(
            escalation.user_id, self.users["pmc_manager"] | self.other_manager
        )
        self.assertTrue(d12.escalated_on)
        self.assertFalse(d12.sent_on)
        self.assertFalse(self._mails_to_finance(d12))
        # Signed late, it goes to Finance at the next run.
        d12.with_user(self.users["pmc_manager"]).action_sign()
        self.assertFalse(self._activities(d12, "mail_activity_type_d12_escalation"))
        with freeze_time("2026-10-14 03:15:00"):
            self.D12._cron_send_to_finance()
        self.assertTrue(d12.sent_on)
        self.assertEqual(len(self._mails_to_finance(d12)), 1)

    def test_r28_the_sending_time_is_a_setting_in_the_company_time_zone(self):
        self.company.op_shipment_stats_time = 10.5  # 10:30 Shanghai, 02:30 UTC
        self._ship(self._order())
        d12 = self._build()
        with freeze_time("2026-10-14 02:00:00"):
            self.D12._cron_send_to_finance()
        self.assertFalse(d12.escalated_on)
        with freeze_time("2026-10-14 02:30:00"):
            self.D12._cron_send_to_finance()
        self.assertTrue(d12.escalated_on)
        self.assertEqual(
            d12.escalated_on, datetime(2026, 10, 14, 2, 30), "stored in UTC"
        )

    # ------------------------------------------------------------ cost
    def test_r28_building_d12_costs_the_same_for_1_or_20_deliveries(self):
        def build_cost():
            self._build()  # warm: the same record, the same lines
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self._build()
            self.env.flush_all()
            cost = self.cr.sql_log_count - before
            self.env.invalidate_all()
            with self.assertQueryCount(BUILD_QUERIES):  # the same bound
                self._build()
            return cost

        order = self._order(lines=20)
        moves = test_payment.TestPayment._delivery(self, order).move_ids.sorted("id")
        self._ship(order, moves=moves[0])
        self.assertEqual(len(self._build().line_ids), 1)
        one = build_cost()
        for move in moves[1:]:
            self._ship(order, moves=move)
        self.assertEqual(
            len(order.picking_ids.filtered(lambda p: p.state == "done")), 20
        )
        self.assertEqual(len(self._build().line_ids), 20)
        twenty = build_cost()
        self.assertEqual(twenty, one)


# One aggregation, one read of the sale lines, one batched insert: 17
# measured for 1 and for 20 deliveries.
BUILD_QUERIES = 20
