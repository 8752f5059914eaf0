# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class OrderRobotEvent(models.Model):
    """A moment of the process the group robots hear of (issue 21, item 2):
    the same moments that give a to-do or an escalation. The records are
    data (``data/order_robot_data.xml``); a robot chooses the events it
    receives.

    Each event says, per kind of record it is raised on, what its card
    tells (``_op_values_<code>``: the sentence in the robot's language, the
    record the card links to, the deadline, whether a rush order is
    concerned) and whether its work is still to do when the message goes
    out (``_op_due_<code>``): a message whose work was done, cancelled or
    voided before it was sent is dropped, not sent late."""

    _name = "order.robot.event"
    _description = "Group Robot Event"
    _order = "sequence, id"

    code = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    rules = fields.Char(help="The rules of the procedure this event follows.")
    description = fields.Text(translate=True)
    level = fields.Selection(
        [("info", "Information"), ("warning", "Warning"), ("alert", "Alert")],
        default="info",
        required=True,
        help="How the card stands out where the platform colours it (Feishu).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "An event code is used once."),
    ]

    @api.model
    def _op_by_code(self):
        return {
            event.code: event
            for event in self.with_context(active_test=False).search([])
        }

    # ------------------------------------------------------------ the API
    def _op_values(self, record):
        """What the card says of ``record`` for this event, in the
        language of the environment: ``text``, ``link`` (a record),
        ``deadline`` (naive UTC or False), ``rush`` and ``key`` (what makes
        two raisings of the event on one record two messages)."""
        self.ensure_one()
        values = getattr(self, f"_op_values_{self.code}")(record)
        values.setdefault("link", record)
        values.setdefault("deadline", False)
        values.setdefault("rush", False)
        values.setdefault("key", "")
        return values

    def _op_still_due(self, record):
        """Whether the work the event asks for is still to do."""
        self.ensure_one()
        return bool(record.exists()) and getattr(self, f"_op_due_{self.code}")(record)

    @staticmethod
    def _op_rush(orders):
        return any(orders.mapped("op_is_rush"))

    # ------------------------------------------------------------ R4, R6
    def _op_values_review_assigned(self, review):
        order = review.order_id
        return {
            "text": self.env._(
                "%(order)s of %(customer)s: review for %(step)s.",
                order=order.name,
                customer=order.partner_id.name,
                step=review.step_id.name,
            ),
            "link": order,
            "deadline": review.deadline,
            "rush": order.op_is_rush,
        }

    def _op_due_review_assigned(self, review):
        return review.state == "pending"

    def _op_values_rush_order(self, order):
        return {
            "text": self.env._(
                "Rush order %(order)s of %(customer)s: evaluate and answer at "
                "once (R6).",
                order=order.name,
                customer=order.partner_id.name,
            ),
            "deadline": order.op_review_deadline,
            "rush": True,
            "key": str(order.op_review_round),
        }

    def _op_due_rush_order(self, order):
        return order.op_state in ("review", "reviewed")

    def _op_values_review_overdue(self, review):
        order = review.order_id
        return {
            "text": self.env._(
                "The review of %(order)s for %(step)s is overdue: escalated to "
                "the PMC manager (R4).",
                order=order.name,
                step=review.step_id.name,
            ),
            "link": order,
            "deadline": review.deadline,
            "rush": order.op_is_rush,
        }

    def _op_due_review_overdue(self, review):
        return review.state == "pending"

    # ------------------------------------------------------------ R12, R13
    def _op_values_plan_late(self, record):
        if record._name == "sale.order":
            return {
                "text": self.env._(
                    "No production plan (D4) was submitted for %(order)s 1 "
                    "working day after D2 (R12).",
                    order=record.name,
                ),
                "deadline": record.op_plan_deadline,
                "rush": record.op_is_rush,
            }
        return {
            "text": self.env._(
                "Production plan %(plan)s is not released (R13).", plan=record.name
            ),
            "deadline": record.release_deadline,
            "rush": self._op_rush(record.production_ids.op_sale_order_id),
        }

    def _op_due_plan_late(self, record):
        if record._name == "sale.order":
            return record.op_state == "effective" and not record.op_planned_on
        return record.state != "released"

    # ------------------------------------------------------------ R23
    def _op_values_d10_late(self, picking):
        orders = picking._op_sale_orders()
        return {
            "text": self.env._(
                "The shipping order (D10) of %(delivery)s for %(orders)s is not "
                "issued: it was due the working day before shipping (R23).",
                delivery=picking.name,
                orders=", ".join(orders.mapped("name")),
            ),
            "deadline": picking.op_d10_deadline,
            "rush": self._op_rush(orders),
            "key": str(picking.op_d10_deadline or ""),
        }

    def _op_due_d10_late(self, picking):
        return picking.op_shipping_step == "to_issue"

    # ------------------------------------------------------------ R25, R27
    def _op_values_vehicle_late(self, booking):
        picking = booking.picking_id
        return {
            "text": self.env._(
                "Vehicle %(plate)s for %(delivery)s has not arrived (R25).",
                plate=booking.vehicle_plate,
                delivery=picking.name,
            ),
            "link": picking,
            "deadline": booking.planned_arrival,
            "rush": self._op_rush(picking._op_sale_orders()),
        }

    def _op_due_vehicle_late(self, booking):
        return booking.state == "booked" and booking.picking_id.state not in (
            "done",
            "cancel",
        )

    def _op_values_gate_hold(self, gate):
        picking = gate.picking_id
        return {
            "text": self.env._(
                "%(delivery)s (vehicle %(plate)s) is held at the gate: %(reason)s "
                "(R27).",
                delivery=picking.name,
                plate=gate.vehicle_plate,
                reason=gate.hold_reason,
            ),
            "link": picking,
            "rush": self._op_rush(picking._op_sale_orders()),
        }

    def _op_due_gate_hold(self, gate):
        picking = gate.picking_id
        latest = picking.op_gate_check_ids.filtered(lambda g: g.state == "valid")[:1]
        return latest == gate and picking.state not in ("done", "cancel")

    # ------------------------------------------------------------ R28
    def _op_values_d12_signed(self, statistics):
        return {
            "text": self.env._(
                "The shipment statistics %(name)s of %(date)s are signed: Finance "
                "checks them (R28).",
                name=statistics.name,
                date=statistics.date,
            ),
        }

    def _op_due_d12_signed(self, statistics):
        return statistics.state == "signed"

    def _op_values_d12_late(self, statistics):
        company = statistics.company_id
        calendar = self.env["res.company"]._op_calendar(company)
        today = statistics._op_today(company)
        return {
            "text": self.env._(
                "The shipment statistics %(name)s of %(date)s are not signed: "
                "Finance waits for them (R28).",
                name=statistics.name,
                date=statistics.date,
            ),
            "deadline": calendar.op_local_datetime(
                today, company.op_shipment_stats_time
            ),
        }

    def _op_due_d12_late(self, statistics):
        return statistics.state != "signed"

    # ------------------------------------------------------------ R30
    def _op_values_d13_due(self, analysis):
        return {
            "text": self.env._(
                "%(order)s is late: %(department)s writes its cause analysis "
                "%(document)s within 24 working hours (R30).",
                order=analysis.order_id.name,
                department=analysis._op_department_label(),
                document=analysis.name,
            ),
            "deadline": analysis.deadline,
            "rush": analysis.order_id.op_is_rush,
            "key": analysis.department or "",
        }

    def _op_due_d13_due(self, analysis):
        return analysis.state == "draft"

    def _op_values_d13_overdue(self, analysis):
        return {
            "text": self.env._(
                "The cause analysis %(document)s of %(order)s by %(department)s "
                "is overdue (R30).",
                document=analysis.name,
                order=analysis.order_id.name,
                department=analysis._op_department_label(),
            ),
            "deadline": analysis.deadline,
            "rush": analysis.order_id.op_is_rush,
        }

    def _op_due_d13_overdue(self, analysis):
        return analysis.state == "draft"

    # ------------------------------------------------------------ R31
    def _op_values_below_target(self, line):
        review = line.review_id
        department = dict(line._fields["department"]._description_selection(self.env))
        return {
            "text": self.env._(
                "%(month)s: %(department)s delivered %(rate).1f %% of its "
                "%(due)s orders on time, below the target of %(target).1f %%; "
                "for performance review (R31).",
                # The review's name in the robot's language ("月度达成评审
                # 2026-10", "Monthly Achievement Review 2026-10").
                month=review.display_name,
                department=department.get(line.department, line.department),
                rate=line.rate,
                due=line.orders_due,
                target=review.target_rate,
            ),
            "link": review,
        }

    def _op_due_below_target(self, line):
        return line.below_target
