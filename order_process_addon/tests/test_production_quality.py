# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_production_plan import BEFORE_DEADLINE, ProductionCase

DURING_DAY = "2026-10-12 03:00:00"  # 11:00 in Shanghai on the plan's day


class QualityCase(ProductionCase):
    """Helpers for released MOs, inspections and final tests."""

    def _released_production(self):
        driver = self._driver()
        production = self._production(self._effective_order())
        plan = self._plan(production)
        driver.run("submit_plan", plan)
        driver.run("approve_plan", plan)
        with driver.at(BEFORE_DEADLINE):
            driver.release(plan)
        driver.start(production)
        return production

    def _inspect(self, production, role, kind, **vals):
        return (
            self.env["order.inspection"]
            .with_user(self.users[role])
            .create(
                {
                    "kind": kind,
                    "production_id": production.id,
                    "qty_checked": 50,
                    "qty_defective": 1,
                    "result": "pass",
                    **vals,
                }
            )
        )

    def _test(self, production, result):
        return self._driver().final_test(production, result)

    def _signed_receipt(self, counted=5, reason=None):
        driver = self._driver()
        production = self._released_production()
        driver.final_test(production)
        receipt = driver.deliver(production)
        with driver.at(DURING_DAY):
            driver.count(receipt, counted, reason)
        return receipt


@tagged("post_install", "-at_install")
class TestProductionQuality(QualityCase):
    """Inspections (D5, D6), the final test (signed before D7) and the receipt
    (D8): R15-R17."""

    def test_r15_key_process_and_patrol_inspections(self):
        production = self._released_production()
        d5 = self._inspect(production, "production", "key_process")
        self.assertEqual(d5.inspector_id, self.users["production"])
        d6 = self._inspect(
            production,
            "quality",
            "patrol",
            spot_check_of_id=d5.id,
            finding="Full inspection done as required",
        )
        self.assertEqual(d6.spot_check_of_id, d5)
        self.assertEqual(production.op_inspection_ids, d5 | d6)

    def test_r15_inspections_by_their_roles_only(self):
        production = self._released_production()
        with self.assertRaises(AccessError):
            self._inspect(production, "quality", "key_process")
        with self.assertRaises(AccessError):
            self._inspect(production, "production", "patrol")
        self.assertFalse(production.op_inspection_ids)

    def test_r35_inspections_are_voided_not_deleted_nor_edited(self):
        production = self._released_production()
        d5 = self._inspect(production, "production", "key_process")
        as_production = d5.with_user(self.users["production"])
        with self.assertRaises(UserError):
            as_production.write({"qty_defective": 0})
        with self.assertRaises(UserError):
            as_production.unlink()
        with self.assertRaises(UserError):
            as_production.action_void("")
        as_production.action_void("Wrong work center")
        self.assertEqual(d5.state, "voided")
        self.assertEqual(d5.qty_defective, 1)

    def test_r37_inspection_quantities_are_checked(self):
        production = self._released_production()
        for vals in ({"qty_checked": 0}, {"qty_checked": 5, "qty_defective": 6}):
            with self.assertRaises(ValidationError):
                self._inspect(production, "production", "key_process", **vals)
        self.assertFalse(production.op_inspection_ids)

    def test_r16_failed_or_missing_test_blocks_the_receipt(self):
        production = self._released_production()
        deliver = production.with_user(self.users["production"])
        with self.assertRaisesRegex(UserError, "no passed final test"):
            deliver.action_op_deliver_to_warehouse()
        self._test(production, "fail")
        with self.assertRaisesRegex(UserError, "no passed final test"):
            deliver.action_op_deliver_to_warehouse()
        self.assertFalse(production.op_receipt_ids)
        # A re-test after rework is a new record; the failed one stays.
        self._test(production, "pass")
        self.assertEqual(len(production.op_final_test_ids), 2)
        receipt = deliver._op_deliver_to_warehouse()
        self.assertEqual(receipt.qty_delivered, 5)

    def test_r16_signed_test_is_not_edited(self):
        production = self._released_production()
        test = self._test(production, "pass")
        with self.assertRaises(UserError):
            test.with_user(self.users["quality"]).write({"result": "fail"})
        with self.assertRaises(UserError):
            test.with_user(self.users["quality"]).action_sign()
        with self.assertRaises(AccessError):
            self.env["order.final.test"].with_user(self.users["production"]).create(
                {"production_id": production.id, "result": "pass"}
            )
        self.assertEqual(test.result, "pass")

    def test_r17_joint_count_signed_by_the_keeper_then_finished(self):
        production = self._released_production()
        self._test(production, "pass")
        receipt = production.with_user(
            self.users["production"]
        )._op_deliver_to_warehouse()
        with self.assertRaisesRegex(UserError, "signed count"):
            production.button_mark_done()
        keeper = receipt.with_user(self.users["fg_warehouse"])
        with self.assertRaisesRegex(UserError, "two different people"):
            keeper.action_count_and_sign(5, self.users["fg_warehouse"])
        with self.assertRaisesRegex(UserError, "reason"):
            keeper.action_count_and_sign(4, self.users["production"])
        with self.assertRaisesRegex(UserError, "number"):
            keeper.action_count_and_sign(-1, self.users["production"])
        with self.assertRaises(AccessError):
            receipt.with_user(self.users["production"]).action_count_and_sign(
                5, self.users["production"]
            )
        self.assertEqual(receipt.state, "draft")
        keeper.action_count_and_sign(4, self.users["production"], "One strip torn")
        self.assertTrue(receipt.mismatch)
        self.assertEqual((receipt.qty_delivered, receipt.qty_counted), (5, 4))
        with self.assertRaises(UserError):
            keeper.action_count_and_sign(4, self.users["production"], "again")
        production.with_context(skip_backorder=True).button_mark_done()
        self.assertEqual(production.state, "done")
        self.assertEqual(production.qty_produced, 4)
