# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Scoring an order (R26-R28): its KPI fact read from the order, its
deliveries and the company's working calendar (due date, tolerance,
working days late, delivery progress), refreshed for a batch of orders."""

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import float_compare

from .elevation import as_process, read_across


class OrderKpiFact(models.Model):
    _inherit = "order.kpi.fact"

    # ------------------------------------------------------------ refresh
    @api.model
    def _op_refresh(self, orders, today=None):
        """Bring the facts of ``orders`` up to date (create them for signed
        orders): the work of the steps that change them, on those orders
        only."""
        orders = read_across(orders).filtered(
            lambda o: o.op_active and o.op_first_committed_date
        )
        # Derived data: no chatter message per row (a million orders would
        # mean a million messages); the PMC manager's corrections are tracked.
        model = as_process(self).with_context(tracking_disable=True)
        facts = model.search([("order_id", "in", orders.ids)])
        by_order = {fact.order_id.id: fact for fact in facts}
        to_create = []
        for order in orders:
            fact = by_order.get(order.id)
            if not fact and not order.signed_on and not order.op_effective_on:
                # Never signed: outside the rate, no fact (R29).
                continue
            vals = model._op_fact_vals(order, today=today)
            if fact:
                if fact.responsibility_source == "manager":
                    for name in (
                        "responsible_department",
                        "responsibility_source",
                        "responsibility_stage",
                    ):
                        vals.pop(name, None)
                changed = {
                    name: value
                    for name, value in vals.items()
                    if fact._fields[name].convert_to_write(fact[name], fact) != value
                }
                if changed:
                    fact.write(changed)
            else:
                to_create.append(vals)
        if to_create:
            model.create(to_create)
        return True

    def _op_local_date(self, calendar, value):
        tz = pytz.timezone(calendar.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).date()

    def _op_deadline(self, calendar, due, tolerance):
        """The last on-time date: ``tolerance`` working days after ``due``."""
        if not tolerance:
            return due
        working = sorted(
            calendar.op_working_dates(
                due + timedelta(days=1), due + timedelta(days=tolerance * 3 + 14)
            )
        )
        return working[tolerance - 1] if len(working) >= tolerance else due

    def _op_working_days_late(self, calendar, due, until):
        if not until or until <= due:
            return 0
        return len(calendar.op_working_dates(due + timedelta(days=1), until))

    def _op_shipments(self, order):
        """The done shipments of the order to the customer, in order:
        [(local date, picking, {sale line: quantity in the line's unit})],
        returns from the customer counted negative; and whether some goods
        left outside the shipping steps (not counted)."""
        calendar = self.env["res.company"]._op_calendar(order.company_id)
        shipments = {}
        outside = False
        for move in order.order_line.move_ids:
            if move.state != "done":
                continue
            if move.location_dest_id.usage == "customer":
                sign = 1
            elif move.location_id.usage == "customer":
                sign = -1
            else:
                continue
            picking = move.picking_id
            if sign > 0 and not picking.op_left_through:
                # Not through the steps: flagged on the fact, never counted
                # (R29).
                outside = True
                continue
            # The transfer's date: the validation dates the moves it makes
            # done (before it dates the transfer itself), never a scheduled
            # date (a move forced to done keeps it, and is not stamped).
            done = picking.date_done or move.date
            key = (done, picking.id or move.id)
            qty = move.product_uom._compute_quantity(
                move.quantity, move.sale_line_id.product_uom, round=False
            )
            lines = shipments.setdefault(key, {})
            lines[move.sale_line_id] = lines.get(move.sale_line_id, 0.0) + sign * qty
        return [
            (self._op_local_date(calendar, done), lines)
            for (done, _id), lines in sorted(shipments.items())
        ], outside

    def _op_delivery_progress(self, order, lines, filled):
        """(shipments, delivered quantity per line, date delivered in full,
        index of the shipment that completed the order, whether goods left
        outside the steps)."""
        shipments, outside = self._op_shipments(order)
        shipments = [s for s in shipments if any(s[1].values())]
        delivered = dict.fromkeys(lines, 0.0)
        full_date = False
        full_at = None
        for index, (day, moved) in enumerate(shipments):
            for line, qty in moved.items():
                if line in delivered:
                    delivered[line] += qty
            if lines and all(filled(line, delivered[line]) for line in lines):
                if full_date is False:
                    full_date, full_at = day, index
            else:
                full_date, full_at = False, None
        return shipments, delivered, full_date, full_at, outside

    def _op_fact_vals(self, order, today=None):
        company = order.company_id
        calendar = self.env["res.company"]._op_calendar(company)
        today = today or fields.Date.context_today(
            self.with_context(tz=calendar.tz or "UTC")
        )
        tolerance_qty = company.op_kpi_qty_tolerance or 0.0
        tolerance_days = company.op_kpi_day_tolerance or 0
        lines = order.order_line.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.type == "consu"
                and line.product_uom_qty > 0
            )
        )

        def filled(line, qty):
            need = line.product_uom_qty * (1 - tolerance_qty / 100.0)
            return (
                float_compare(qty, need, precision_rounding=line.product_uom.rounding)
                >= 0
            )

        shipments, delivered, full_date, full_at, outside = self._op_delivery_progress(
            order, lines, filled
        )
        first_shipment = shipments[0][0] if shipments else False
        strict_full = full_at == 0

        first_due = order.op_first_committed_date
        current_due = order.op_committed_date or first_due
        basis = company.op_kpi_due_basis or "first"
        cancel_kind = False
        if order.state == "cancel" or order.op_state == "cancel":
            cancel_kind = (
                "customer" if order.op_cancel_department == "customer" else "company"
            )

        def score(due):
            """(counted, final ok, strict ok, days late, cause) for ``due``."""
            deadline = self._op_deadline(calendar, due, tolerance_days)
            if cancel_kind == "customer":
                return 0, 0, 0, 0, False
            if cancel_kind == "company":
                return 1, 0, 0, 0, "cancelled"
            if full_date:
                on_time = full_date <= deadline
                late = self._op_working_days_late(calendar, due, full_date)
                return (
                    1,
                    int(on_time),
                    int(on_time and strict_full),
                    0 if on_time else late,
                    False if on_time else "late",
                )
            if today > deadline:
                return 1, 0, 0, self._op_working_days_late(calendar, due, today), "open"
            return 0, 0, 0, 0, False

        first = score(first_due)
        current = score(current_due)
        chosen = first if basis == "first" else current
        due_flag, ok_final, ok_strict, days_late, cause = chosen
        if cancel_kind == "customer":
            status = "outside"
        elif not due_flag:
            status = "open"
        elif ok_final:
            status = "achieved"
        else:
            status = "failed"
        open_check = False
        if not full_date and not cancel_kind:
            open_check = min(
                self._op_deadline(calendar, first_due, tolerance_days),
                self._op_deadline(calendar, current_due, tolerance_days),
            )
        product_lines = lines[:1]
        vals = {
            "order_id": order.id,
            "company_id": company.id,
            "partner_id": order.partner_id.commercial_partner_id.id,
            "user_id": order.user_id.id,
            "merchandiser_id": order.op_merchandiser_id.id,
            "team_id": order.team_id.id,
            "categ_id": product_lines.product_id.categ_id.id,
            "signed_on": order.op_effective_on
            and self._op_local_date(calendar, order.op_effective_on),
            "first_due_date": first_due,
            "current_due_date": current_due,
            "due_date": first_due if basis == "first" else current_due,
            "reschedule_count": len(order.op_commitment_change_ids),
            "status": status,
            "cancel_kind": cancel_kind,
            "first_shipment_date": first_shipment,
            "last_shipment_date": shipments[-1][0] if shipments else False,
            "delivered_full_date": full_date,
            "shipment_count": len(shipments),
            "left_outside_steps": outside,
            "first_shipment_full": strict_full,
            "days_late": days_late,
            "failure_cause": cause if due_flag and not ok_final else False,
            "open_check_date": open_check,
            "stale": False,
            "target_rate": company.op_kpi_target,
            "checked_on": today,
            "due": due_flag,
            "ok_final": ok_final,
            "ok_strict": ok_strict,
            "due_first": first[0],
            "ok_final_first": first[1],
            "ok_strict_first": first[2],
            "due_current": current[0],
            "ok_final_current": current[1],
            "ok_strict_current": current[2],
            "lines_total_due": len(lines) if due_flag else 0,
            "lines_filled_due": (
                sum(1 for line in lines if filled(line, delivered[line]))
                if due_flag
                else 0
            ),
            "qty_ordered_due": sum(lines.mapped("product_uom_qty")) if due_flag else 0,
            "qty_filled_due": (
                sum(
                    max(0.0, min(delivered[line], line.product_uom_qty))
                    for line in lines
                )
                if due_flag
                else 0.0
            ),
        }
        if status != "open" or full_date:
            # Done or failed: no longer a matter of risk.
            vals.update(
                at_risk=False,
                projected_date=False,
                risk_stage=False,
                risk_department=False,
            )
        department, source, stage = False, False, False
        if vals["failure_cause"]:
            department, source, stage = self._op_responsibility(
                order, calendar, chosen_due=vals["due_date"], full_date=full_date
            )
        vals.update(
            {
                "responsible_department": department,
                "responsibility_source": source,
                "responsibility_stage": stage,
            }
        )
        return vals
