# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.sql import create_index

from .elevation import as_job, as_messenger, read_across

ISSUE_D10_ACTIVITY = "order_process_addon.mail_activity_type_issue_d10"
D10_ESCALATION_ACTIVITY = "order_process_addon.mail_activity_type_d10_escalation"

SHIPPING_STEPS = [
    ("to_issue", "Shipping Order to Issue"),
    ("d10_review", "Shipping Order in Review"),
    ("to_prepare", "To Prepare"),
    ("loading", "Loading"),
    ("at_gate", "At the Gate"),
    ("ready", "Ready to Leave"),
    ("left", "Left"),
    ("cancel", "Cancelled"),
]


class StockPicking(models.Model):
    """The shipping steps of a process delivery (R23-R27): D10 versions,
    the D11 loading check and the gate check, and the step the delivery is
    at, for the warehouse's kanban."""

    _name = "stock.picking"
    _inherit = ["stock.picking", "order.process.mixin"]

    op_shipping_order_ids = fields.One2many(
        "order.shipping.order",
        "picking_id",
        string="Shipping Orders (D10)",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_loading_check_ids = fields.One2many(
        "order.loading.check",
        "picking_id",
        string="Loading Checks (D11)",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_gate_check_ids = fields.One2many(
        "order.gate.check",
        "picking_id",
        string="Gate Checks",
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_shipping_step = fields.Selection(
        SHIPPING_STEPS,
        string="Shipping Step",
        compute="_compute_op_shipping_step",
        store=True,
        index="btree_not_null",
        group_expand="_group_expand_op_shipping_step",
    )
    op_ship_date = fields.Date(
        string="Ship Date",
        compute="_compute_op_shipping_step",
        store=True,
        help="The ship date of the current shipping order (D10).",
    )
    op_d10_deadline = fields.Datetime(
        string="Shipping Order Due",
        compute="_compute_op_d10_deadline",
        store=True,
        help="The merchandiser issues the shipping order (D10) by the end of the "
        "working day before the scheduled ship date (R23); after it, the PMC "
        "manager is told once.",
    )
    op_d10_escalated = fields.Boolean(
        string="Shipping Order Overdue Escalated", readonly=True, copy=False
    )

    def init(self):
        res = super().init()
        # R23, R34: the hourly job reads the process deliveries by the
        # deadline of their D10 (a small part of a company's transfers).
        create_index(
            self.env.cr,
            "stock_picking_op_d10_deadline_index",
            self._table,
            ["op_d10_deadline", "id"],
            where="op_process_delivery",
        )
        # The warehouse's shipments kanban ("To Ship") reads the process
        # deliveries still under way, a few dozen among every delivery ever
        # shipped (issue 11: a sequential scan of the pickings otherwise).
        create_index(
            self.env.cr,
            "stock_picking_op_to_ship_index",
            self._table,
            ["op_shipping_step", "id"],
            where="op_process_delivery AND op_shipping_step NOT IN ('left', 'cancel')",
        )
        return res

    @api.depends("op_process_delivery", "scheduled_date", "company_id")
    def _compute_op_d10_deadline(self):
        for picking in self:
            if not picking.op_process_delivery or not picking.scheduled_date:
                picking.op_d10_deadline = False
                continue
            calendar = self.env["res.company"]._op_calendar(picking.company_id)
            last_day = picking._op_d10_last_day(calendar)
            picking.op_d10_deadline = calendar.op_local_datetime(
                last_day + timedelta(days=1), 0.0
            )

    def _op_d10_last_day(self, calendar):
        """The last working day to issue the D10: the working day before the
        scheduled ship date, in the calendar's time zone (R23)."""
        self.ensure_one()
        ship_day = fields.Datetime.context_timestamp(
            self.with_context(tz=calendar.tz or "UTC"), self.scheduled_date
        ).date()
        return calendar.op_previous_working_date(ship_day)

    @api.depends(
        "op_process_delivery",
        "state",
        "op_shipping_order_ids.state",
        "op_shipping_order_ids.ship_date",
        "op_loading_check_ids.state",
        "op_gate_check_ids.state",
        "op_gate_check_ids.result",
    )
    def _compute_op_shipping_step(self):
        for picking in self:
            if not picking.op_process_delivery:
                picking.op_shipping_step = False
                picking.op_ship_date = False
                continue
            d10 = picking._op_current_shipping_order()
            picking.op_ship_date = d10.ship_date if d10 else False
            picking.op_shipping_step = picking._op_shipping_step(d10)

    def _op_shipping_step(self, d10):
        self.ensure_one()
        if self.state == "done":
            return "left"
        if self.state == "cancel":
            return "cancel"
        if not d10 or d10.state in ("draft", "returned", "void"):
            return "to_issue"
        if d10.state == "issued":
            return "d10_review"
        check = self._op_current_loading_check()
        if not check:
            return "to_prepare"
        if check.state != "signed":
            return "loading"
        if not self._op_gate_passed():
            return "at_gate"
        return "ready"

    @api.model
    def _group_expand_op_shipping_step(self, steps, domain):
        return [key for key, _label in SHIPPING_STEPS if key != "cancel"]

    # ------------------------------------------------------------ readers
    def _op_current_shipping_order(self):
        """The D10 version in force: the latest one."""
        self.ensure_one()
        return self.op_shipping_order_ids.sorted("version")[-1:]

    def _op_current_loading_check(self):
        self.ensure_one()
        return self.op_loading_check_ids.filtered(lambda c: c.state != "void")[:1]

    def _op_gate_passed(self):
        """A valid gate check of the current signed loading check says pass
        (the latest one decides: a hold after a pass holds)."""
        self.ensure_one()
        check = self._op_current_loading_check()
        gates = self.op_gate_check_ids.filtered(
            lambda g: g.state == "valid" and g.loading_check_id == check
        )
        return bool(check) and bool(gates) and gates.sorted("id")[-1].result == "pass"

    def _op_delivery_documents(self):
        return super()._op_delivery_documents() + [self.op_shipping_order_ids]

    def _op_vehicle_plate(self):
        """The plate of the vehicle booked for the delivery (hook of the
        carrier booking)."""
        return False

    # ------------------------------------------------------------ deadline
    def _op_ask_shipping_order(self):
        """R23, R34: the goods are in (D8 signed): the merchandiser of each
        open process delivery without a D10 gets a to-do due the last
        working day to issue it, once."""
        kind = self.env.ref(ISSUE_D10_ACTIVITY)
        for picking in as_messenger(self).filtered(
            lambda p: (
                p.op_process_delivery
                and p.state not in ("done", "cancel")
                and p.op_shipping_step == "to_issue"
                and p.op_d10_deadline
            )
        ):
            merchandiser = picking._op_sale_orders()[:1].op_merchandiser_id
            if not merchandiser or picking.activity_ids.filtered(
                lambda a, k=kind: a.activity_type_id == k
            ):
                continue
            calendar = self.env["res.company"]._op_calendar(picking.company_id)
            picking._op_notify_user(
                merchandiser,
                lambda env, p=picking: env._(
                    "Issue the shipping order (D10) of %(delivery)s by %(deadline)s "
                    "(R23)",
                    delivery=p.name,
                    deadline=p.with_env(env)._op_format_datetime(p.op_d10_deadline),
                ),
                deadline=picking._op_d10_last_day(calendar),
                activity_xmlid=ISSUE_D10_ACTIVITY,
            )

    @api.model
    def _cron_escalate_missing_d10(self):
        """R23, R34: each open process delivery whose D10 is not issued by its
        deadline is escalated once to the PMC manager, a batch a run."""
        domain = [
            ("op_process_delivery", "=", True),
            ("op_d10_deadline", "<", fields.Datetime.now()),
            ("op_d10_escalated", "=", False),
            ("op_shipping_step", "=", "to_issue"),
            ("state", "not in", ("done", "cancel")),
        ]
        batch = self._op_cron_batch_size()
        pickings = as_job(self).search(domain, order="op_d10_deadline, id", limit=batch)
        for picking in pickings:
            picking.message_post(
                body=self.env._(
                    "The shipping order (D10) was due by %(deadline)s and is not "
                    "issued. Escalated to the PMC manager (R23).",
                    deadline=picking._op_format_datetime(picking.op_d10_deadline),
                ),
                subtype_xmlid="mail.mt_note",
            )
        pickings._op_notify_group(
            "pmc_manager",
            lambda env: env._("Shipping order (D10) not issued in time (R23)"),
            activity_xmlid=D10_ESCALATION_ACTIVITY,
            robot_event="d10_late",
        )
        pickings.write({"op_d10_escalated": True})
        remaining = as_job(self).search_count(domain) if len(pickings) == batch else 0
        self.env["ir.cron"]._notify_progress(done=len(pickings), remaining=remaining)
        return pickings

    # ------------------------------------------------------------ steps
    def action_op_new_shipping_order(self):
        """R23, R24: the merchandiser opens the delivery's D10 (the next
        version after a recall)."""
        self._op_check_role("customer_mgmt")
        self.ensure_one()
        d10 = self.env["order.shipping.order"]._op_new_for_picking(self)
        return d10._op_form_action()

    def action_op_start_loading(self):
        """R26: the warehouse starts the loading check of the approved D10."""
        self._op_check_role("fg_warehouse")
        self.ensure_one()
        check = self.env["order.loading.check"]._op_new_for_picking(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": check._name,
            "res_id": check.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_op_gate_check(self):
        """R27: Administration records what it checked at the gate."""
        self._op_check_role("administration")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Gate Check"),
            "res_model": "order.gate.check",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_picking_id": self.id,
                "default_vehicle_plate": self._op_vehicle_plate() or False,
            },
        }

    # ------------------------------------------------------------ the gate
    def _op_check_ready_to_ship(self):
        """R23, R26, R27: a process delivery leaves with its approved D10,
        its D11 checked and signed by two people with the quantities it
        ships, and a passed gate check."""
        super()._op_check_ready_to_ship()
        for picking in read_across(self):
            d10 = picking._op_current_shipping_order()
            if not d10 or d10.state != "approved":
                raise UserError(
                    self.env._(
                        "%(delivery)s has no approved shipping order (D10): it "
                        "cannot be validated (R23).",
                        delivery=picking.name,
                    )
                )
            check = picking._op_current_loading_check()
            if not check or check.state != "signed":
                raise UserError(
                    self.env._(
                        "%(delivery)s: the loading check (D11) is not complete and "
                        "signed by the loader and the keeper (R26).",
                        delivery=picking.name,
                    )
                )
            picking._op_check_as_approved(d10)
            picking._op_check_quantities_as_loaded(check)
            if not picking._op_gate_passed():
                raise UserError(
                    self.env._(
                        "%(delivery)s has not passed the gate check (R27).",
                        delivery=picking.name,
                    )
                )
        return True

    def _op_check_as_approved(self, d10):
        """R23, R26: what leaves is what the approved D10 ships: to its
        address, its products, and no more than its quantities (within the
        company's documented tolerance; more needs a new version)."""
        self.ensure_one()
        if self.partner_id != d10.partner_shipping_id:
            raise UserError(
                self.env._(
                    "%(delivery)s goes to %(partner)s, but its approved shipping "
                    "order (D10) %(d10)s ships to %(address)s (R23).",
                    delivery=self.name,
                    partner=self.partner_id.display_name,
                    d10=d10.name,
                    address=d10.partner_shipping_id.display_name,
                )
            )
        tolerance = 1 + (self.company_id.op_ship_qty_tolerance or 0.0) / 100.0
        approved = {}
        for line in d10.line_ids:
            qty = line.uom_id._compute_quantity(line.quantity, line.product_id.uom_id)
            approved[line.product_id] = approved.get(line.product_id, 0.0) + qty
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            product = move.product_id
            shipped = sum(
                m.product_uom._compute_quantity(m.quantity, product.uom_id)
                for m in self.move_ids
                if m.product_id == product and m.state != "cancel"
            )
            if (
                float_compare(
                    shipped,
                    approved.get(product, 0.0) * tolerance,
                    precision_rounding=product.uom_id.rounding,
                )
                > 0
            ):
                raise UserError(
                    self.env._(
                        "%(delivery)s ships %(shipped)s of %(product)s: more than its "
                        "approved shipping order (D10) %(d10)s ships (%(approved)s, "
                        "tolerance %(tolerance)s %%). To ship more, recall it and "
                        "issue a new version (R23, R24).",
                        delivery=self.name,
                        shipped=shipped,
                        product=product.display_name,
                        d10=d10.name,
                        approved=approved.get(product, 0.0),
                        tolerance=self.company_id.op_ship_qty_tolerance or 0,
                    )
                )

    def _op_check_quantities_as_loaded(self, check):
        """What is validated is what was loaded and signed on D11."""
        self.ensure_one()
        loaded = {}
        for line in check.line_ids:
            loaded[line.product_id] = loaded.get(line.product_id, 0.0) + line.qty_loaded
        shipped = {}
        for move in self.move_ids.filtered(lambda m: m.state != "cancel"):
            qty = move.product_uom._compute_quantity(
                move.quantity, move.product_id.uom_id
            )
            shipped[move.product_id] = shipped.get(move.product_id, 0.0) + qty
        for product in set(loaded) | set(shipped):
            rounding = product.uom_id.rounding
            line_uom = check.line_ids.filtered(
                lambda ln, p=product: ln.product_id == p
            )[:1].uom_id
            expected = (
                line_uom._compute_quantity(loaded.get(product, 0.0), product.uom_id)
                if line_uom
                else 0.0
            )
            if (
                float_compare(
                    shipped.get(product, 0.0), expected, precision_rounding=rounding
                )
                != 0
            ):
                raise UserError(
                    self.env._(
                        "%(delivery)s ships %(shipped)s of %(product)s but %(loaded)s "
                        "were loaded and signed on the loading check (D11, R26).",
                        delivery=self.name,
                        shipped=shipped.get(product, 0.0),
                        product=product.display_name,
                        loaded=expected,
                    )
                )
