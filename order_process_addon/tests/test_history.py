# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R35, issue 12 item 7: nothing is lost. The documents the process keeps
(reviews, inspections, final tests, receipts, shipping order versions, D13,
commitment changes and every other process model that is voided rather than
deleted) refuse deletion for everyone, the administrator and the superuser
included, with a clear message; every state of a process document is
tracked in its chatter, with who and when."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_role_matrix

# The documents the spec names as kept (R35), by model.
SPEC_KEPT = {
    "order.review",
    "order.inspection",
    "order.final.test",
    "order.fg.receipt",
    "order.shipping.order",
    "order.late.analysis",
    "order.commitment.change",
}


@tagged("post_install", "-at_install")
class TestHistory(test_role_matrix.DemoUsersCase):
    _fixtures = test_role_matrix.TestRoleMatrix._fixtures

    def _kept_models(self):
        """The process models whose documents are deleted in no state, or
        only in some (a draft never issued)."""
        return {
            model
            for model in test_role_matrix.process_models(self.env)
            if self.env[model]._op_guard.deletable is not None
        }

    def test_r35_the_spec_kept_documents_are_kept_by_the_guard(self):
        kept = self._kept_models() | {"order.commitment.change"}
        self.assertLessEqual(SPEC_KEPT, kept)

    def test_r35_kept_documents_refuse_deletion_for_everyone(self):
        fixtures = self._fixtures()
        order = fixtures["sale.order"][None]
        with freeze_time(fields.Datetime.now() - timedelta(days=1)):
            order.with_user(self.users["pmc_planner"])._op_change_committed_date(
                order.op_committed_date + timedelta(days=7),
                "Die repair",
                "production",
            )
        records = {
            model: fixtures[model][None]
            for model in self._kept_models()
            if model in fixtures
        }
        records["order.commitment.change"] = order.op_commitment_change_ids[:1]
        self.assertLessEqual(SPEC_KEPT, set(records))
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        for model, record in sorted(records.items()):
            self.assertTrue(record, model)
            if record[:1]._op_state() in record._op_guard.deletable:
                # A draft never issued may go (e.g. D9 before it is passed on).
                self.assertNotIn(model, SPEC_KEPT, "the fixture is not kept yet")
                continue
            for label, env_record in (
                ("admin", record.with_user(admin)),
                ("superuser", record.sudo()),
            ):
                with self.subTest(model=model, who=label):
                    with self.assertRaises(UserError) as caught:  # AccessError too
                        env_record.unlink()
                    message = str(caught.exception)
                    if label == "superuser":
                        # No access right stops the superuser: the guard does.
                        self.assertIn("never deleted", message)
                    self.assertTrue(record.exists(), f"{model} deleted by {label}")

    def test_r35_every_state_of_a_process_document_is_tracked(self):
        untracked = []
        for model in test_role_matrix.process_models(self.env):
            name = self.env[model]._op_guard.state
            if not name or "." in name or name not in self.env[model]._fields:
                # No state of its own (a line follows its document's).
                continue
            if not self.env[model]._fields[name].tracking:
                untracked.append(f"{model}.{name}")
        self.assertFalse(untracked, "state changes not in the chatter")

    def test_r35_a_state_change_shows_who_and_when(self):
        fixtures = self._fixtures()
        # Tracking as in production (the test case turns it off).
        d10 = fixtures["order.shipping.order"][None].with_context(
            tracking_disable=False
        )
        clerk = self.users["pmc_clerk"]
        self.env.flush_all()
        self.env.cr.precommit.run()
        with freeze_time("2026-12-01 02:00:00"):
            d10.with_user(clerk).action_approve()
            self.env.flush_all()
            # The chatter's tracking is written when the transaction ends.
            self.env.cr.precommit.run()
        tracked = d10.message_ids.filtered(
            lambda m: m.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "state"
            )
        )[:1]
        self.assertEqual(tracked.author_id, clerk.partner_id)
        when = fields.Datetime.to_datetime("2026-12-01 02:00:00")
        self.assertEqual(tracked.date, when)
        value = tracked.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "state"
        )
        self.assertEqual(value.new_value_char, "Approved")
