# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The answer, the commitment and the customer's signature (R7-R9, R24,
R37), and the hand-off of the effective order to planning (R11, R12): PMC
answers with the committed date, the customer signs on the portal or on a
scan, and the signed order (D2) goes to PMC and the material controller."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_process, process_create, process_write, read_across
from .sale_order import ANSWER, MATERIAL, PLAN, RUSH, SIGNATURE

_lt = LazyTranslate(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _op_check_committed_date(self, committed_date):
        """R37: a committed date is neither in the past nor before the order."""
        self.ensure_one()
        self._op_check_commitment(committed_date, self.date_order)

    def _check_can_answer(self):
        self._op_check_role("pmc_planner")
        for order in self:
            if order.op_state != "reviewed":
                raise UserError(
                    self.env._(
                        "%(order)s can be answered only when every review is done.",
                        order=order.name,
                    )
                )
            order._op_check_gm_approval()

    def _op_check_gm_approval(self):
        """R9: an untried new product needs the General Manager's approval."""
        for order in self:
            if order.op_has_untried_product and not order.op_gm_approved_by_id:
                raise UserError(
                    self.env._(
                        "%(order)s contains a new product without a trial run: "
                        "the General Manager must approve it first.",
                        order=order.name,
                    )
                )

    def _check_can_sign(self):
        for order in self.filtered("op_active"):
            if order.op_state != "answered":
                raise UserError(
                    self.env._(
                        "%(order)s can be signed only after every review is done "
                        "and PMC has answered.",
                        order=order.name,
                    )
                )
            if order.signature or order.op_signed_scan_id:
                raise UserError(
                    self.env._("%(order)s is already signed.", order=order.name)
                )

    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error or not self.op_active:
            return error
        if self.op_state != "answered" or not (self.signed_on and self.signed_by):
            return self.env._(
                "%(order)s takes effect only once the customer has signed it (R8): "
                "finish the reviews, answer the customer and record the signature.",
                order=self.name,
            )
        if self.op_has_untried_product and not self.op_gm_approved_by_id:
            return self.env._(
                "%(order)s contains a new product without a trial run: the General "
                "Manager must approve it first.",
                order=self.name,
            )
        return False

    def _has_to_be_paid(self):
        if self.op_active and self.op_state != "answered":
            return False
        return super()._has_to_be_paid()

    def _has_to_be_signed(self):
        if self.op_active and self.op_state != "answered":
            return False
        return super()._has_to_be_signed()

    def action_op_answer(self, committed_date=None, conditions=None):
        """R7: PMC records the result (committed date, conditions) on D1."""
        self._check_can_answer()
        conditions = self._op_text(conditions)
        for order in self:
            pmc_review = order.op_review_ids.filtered(
                lambda r, order=order: (
                    r.round == order.op_review_round
                    and r.records_delivery_date
                    and r.state in ("approved", "conditional")
                )
            )[:1]
            date = (
                self._op_date(committed_date, self.env._("Committed Date"))
                or pmc_review.committed_date
            )
            order._op_check_committed_date(date)
            # The customer signs the conditions (R8): its steps are named in
            # the customer's language (issue 18, item 4).
            customer_lang = order.partner_id.lang or self.env.lang
            review_conditions = "\n".join(
                f"{r.step_id.with_context(lang=customer_lang).name}: {r.reason}"
                for r in order.op_review_ids
                if r.round == order.op_review_round and r.state == "conditional"
            )
            as_process(order).write(
                {
                    "op_state": "answered",
                    "op_committed_date": date,
                    "op_first_committed_date": date,
                    "commitment_date": fields.Datetime.to_datetime(date),
                    "op_answer_conditions": "\n".join(
                        c for c in (review_conditions, conditions) if c
                    )
                    or False,
                    "op_answered_by_id": self.env.user.id,
                    "op_answered_on": fields.Datetime.now(),
                    "require_signature": True,
                }
            )
            order._op_done_activities(
                [ANSWER, RUSH],
                feedback=self.env._(
                    "Answered by PMC: committed date %(date)s", date=date
                ),
            )
            order._op_notify_user(
                order.op_merchandiser_id,
                _lt(
                    "Confirm %(order)s with the customer (committed %(date)s) and "
                    "get it signed",
                    order=order.name,
                    date=date,
                ),
                activity_xmlid=SIGNATURE,
            )
        return True

    def action_op_open_answer_wizard(self):
        self._check_can_answer()
        return self._op_wizard_action(
            "order.answer.wizard", self.env._("Answer the Review Result")
        )

    def action_op_open_signature_wizard(self):
        self._op_check_role("customer_mgmt")
        self._check_can_sign()
        return self._op_wizard_action(
            "order.signature.wizard", self.env._("Record the Customer's Signature")
        )

    def action_op_open_commitment_wizard(self):
        self._op_check_role("pmc_planner", "customer_mgmt")
        return self._op_wizard_action(
            "order.commitment.change.wizard", self.env._("Change Committed Date")
        )

    def _op_change_committed_date(self, new_date, reason, department):
        """R24, R29: a later change of the committed date needs a reason and a
        responsible department, and is kept as history."""
        self.ensure_one()
        self._op_check_role("pmc_planner", "customer_mgmt")
        if self.op_state not in ("answered", "effective"):
            raise UserError(
                self.env._("Only an answered or effective order has a committed date.")
            )
        if not self._op_text(reason) or not department:
            raise UserError(
                self.env._("A reason and a responsible department are required.")
            )
        new_date = fields.Date.to_date(new_date)
        self._op_check_committed_date(new_date)
        if new_date == self.op_committed_date:
            raise UserError(self.env._("The new date is the current committed date."))
        process_create(
            self.env["order.commitment.change"],
            {
                "order_id": self.id,
                "old_date": self.op_committed_date,
                "new_date": new_date,
                "reason": reason,
                "department": department,
            },
        )
        vals = {
            "op_committed_date": new_date,
            "commitment_date": fields.Datetime.to_datetime(new_date),
        }
        if self.op_state == "answered" and not self.signed_on:
            vals["op_first_committed_date"] = new_date
        as_process(self).write(vals)

    def _op_wizard_action(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _op_record_signed_scan(self, attachment, signed_by, signed_on):
        """R8: Customer Management records the customer's signed scan (fax,
        e-mail) with who and when, then the order takes effect."""
        self._op_check_role("customer_mgmt")
        self._check_can_sign()
        if not attachment:
            raise UserError(self.env._("Attach the signed order."))
        if not (signed_by or "").strip():
            raise UserError(self.env._("Give the name of the customer's signer."))
        signed_on = fields.Datetime.to_datetime(signed_on).replace(microsecond=0)
        if signed_on > fields.Datetime.now():
            raise UserError(self.env._("The signature date cannot be in the future."))
        if self.op_answered_on and signed_on < self.op_answered_on:
            raise UserError(
                self.env._("The customer cannot have signed before PMC's answer.")
            )
        attachment.write({"res_model": self._name, "res_id": self.id})
        process_write(
            self,
            {
                "signed_by": signed_by,
                "signed_on": signed_on,
                "op_signature_source": "scan",
                "op_signed_scan_id": attachment.id,
                "op_signature_recorded_by_id": self.env.user.id,
            },
        )
        return self.action_confirm()

    def action_confirm(self):
        op_orders = self.filtered("op_active")
        if op_orders and not self.env.su:
            op_orders._op_check_role("customer_mgmt")
        for order in op_orders:
            order._op_lock()
        # The role and the signature are checked: Odoo's confirmation writes
        # the protected state as the process (the uid is kept).
        others = self - op_orders
        res = True
        if others:
            res = super(SaleOrder, others).action_confirm()
        if op_orders:
            res = super(SaleOrder, as_process(op_orders)).action_confirm()
        if op_orders:
            op_orders._op_after_effective()
        return res

    def _op_after_effective(self):
        """R8: the signed D2 goes to PMC."""
        now = fields.Datetime.now()
        for order in self:
            products = order.order_line.product_id
            boms = read_across(self.env["mrp.bom"])._bom_find(
                products, company_id=order.company_id.id
            )
            made = any(boms[p] and not p.op_is_oem for p in products)
            bought = any(p.op_is_oem for p in products)
            calendar = self.env["res.company"]._op_calendar(order.company_id)
            # Only what is made here is planned on D4 (R12).
            plan_deadline = (
                calendar.op_plan_working_time(now, days=1) if made else False
            )
            vals = {
                "op_state": "effective",
                "op_effective_on": now,
                "op_plan_deadline": plan_deadline,
            }
            if order.signature and not order.op_signature_source:
                vals["op_signature_source"] = "portal"
            process_write(order, vals)
            order.message_post(
                body=self.env._(
                    "The customer signed (%(signer)s, %(date)s): the order is "
                    "effective. The product order form (D2) goes to PMC.",
                    signer=order.signed_by,
                    date=order._op_format_datetime(order.signed_on),
                ),
                subtype_xmlid="mail.mt_comment",
            )
            order._op_done_activities(
                SIGNATURE,
                feedback=self.env._(
                    "Signed by the customer (%(signer)s)", signer=order.signed_by
                ),
            )
            # R12: the production plan follows within 1 working day of D2.
            if made:
                order._op_notify_group(
                    "pmc_planner",
                    _lt("D2 of %(order)s received: plan it (R12)", order=order.name),
                    plan_deadline,
                    PLAN,
                )
            # R11: what is bought in (OEM) and the components of what is
            # made here go to the material controller, who writes D3 for
            # Purchasing, when there is something to buy for the order.
            if (made or bought) and self.env["order.material.plan"]._op_needed_for(
                order
            ):
                order._op_notify_group(
                    "pmc_material",
                    _lt(
                        "D2 of %(order)s received: check materials and write D3 (R11)",
                        order=order.name,
                    ),
                    plan_deadline or calendar.op_plan_working_time(now, days=1),
                    MATERIAL,
                )

    def action_op_material_plan(self):
        """R11: the material controller opens the order's D3, drafting it from
        the order, its BoMs and the warehouse's forecast on first use."""
        self.ensure_one()
        self._op_check_role("pmc_material", "pmc_manager", "purchasing", "audit")
        plans = self.op_material_plan_ids.filtered(lambda p: p.state != "voided")
        if not plans and self.env.user.has_group(
            "order_process_addon.group_pmc_material"
        ):
            plans = self.env["order.material.plan"].create({"sale_order_id": self.id})
            plans.action_compute()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "order_process_addon.order_material_plan_action"
        )
        if len(plans) == 1:
            action.update({"res_id": plans.id, "views": [(False, "form")]})
        else:
            action["domain"] = [("sale_order_id", "=", self.id)]
        return action
