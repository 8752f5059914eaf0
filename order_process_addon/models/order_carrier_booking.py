# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_job, as_messenger, as_process, process_write, read_across
from .order_process_guard import Editable, Guard, Roles

_lt = LazyTranslate(__name__)

LATE_ACTIVITY = "order_process_addon.mail_activity_type_carrier_late"


class OrderCarrierBooking(models.Model):
    """R25: the vehicle booked for a process delivery under a valid carrier
    contract (plate, driver, planned arrival). The shipping group confirms
    the arrival; a vehicle not confirmed by its planned arrival is late and
    escalated once to the PMC manager (the FG warehouse's manager). A
    booking is never deleted: it is voided with a reason, and a new one may
    then be made; every booking stays on the delivery."""

    _name = "order.carrier.booking"
    _description = "Carrier Booking"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the shipping group books (creates) it;
    # then only the driver's name and phone may be corrected while booked.
    # Another vehicle or time is a new booking: void this one (R25, R35).
    _op_guard = Guard(
        # The shipping group books, as themselves, a delivery of the process
        # that needs a vehicle (R25).
        create=(Roles("fg_warehouse"), "_op_check_one_booking"),
        process=frozenset(
            {
                "company_id",
                "carrier_id",
                "carrier_partner_id",
                "booked_by_id",
                "booked_on",
                "state",
                "arrived_on",
                "arrival_confirmed_by_id",
                "void_reason",
                "voided_by_id",
                "voided_on",
                "late_escalated_on",
            }
        ),
        fixed=frozenset(
            {"picking_id", "contract_id", "vehicle_plate", "planned_arrival"}
        ),
        editable={"booked": Editable(only={"driver_name", "driver_phone"})},
        deletable=frozenset(),
    )

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    contract_id = fields.Many2one(
        "order.carrier.contract",
        string="Carrier Contract",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        readonly=True,
    )
    carrier_id = fields.Many2one(
        related="contract_id.carrier_id", string="Delivery Method", store=True
    )
    carrier_partner_id = fields.Many2one(
        related="contract_id.partner_id", string="Carrier Company", store=True
    )
    # Required by the booking's check (a clear error), not by the database.
    vehicle_plate = fields.Char(readonly=True, tracking=True)
    driver_name = fields.Char(tracking=True)
    driver_phone = fields.Char(tracking=True)
    planned_arrival = fields.Datetime(readonly=True, index=True, tracking=True)
    booked_by_id = fields.Many2one("res.users", readonly=True)
    booked_on = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("booked", "Booked"), ("arrived", "Arrived"), ("voided", "Voided")],
        default="booked",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    arrived_on = fields.Datetime(readonly=True, tracking=True)
    arrival_confirmed_by_id = fields.Many2one("res.users", readonly=True)
    void_reason = fields.Text(readonly=True)
    voided_by_id = fields.Many2one("res.users", readonly=True)
    voided_on = fields.Datetime(readonly=True)
    late_escalated_on = fields.Datetime(
        string="Late Vehicle Escalated On",
        readonly=True,
        help="When the late vehicle was escalated to the PMC manager (once).",
    )
    is_late = fields.Boolean(
        string="Vehicle Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Booked, not confirmed as arrived, and its planned arrival has "
        "passed while the delivery is still to ship.",
    )

    _sql_constraints = [
        (
            "one_active_per_picking",
            "EXCLUDE (picking_id WITH =) WHERE (state <> 'voided')",
            "This delivery already has a carrier booking: void it first to book "
            "another vehicle.",
        ),
    ]

    @api.depends_context("lang")
    @api.depends("picking_id", "vehicle_plate")
    def _compute_display_name(self):
        for booking in self:
            booking.display_name = self.env._(
                "%(delivery)s: %(plate)s",
                delivery=booking.picking_id.name or "",
                plate=booking.vehicle_plate or "",
            )

    @api.depends("state", "planned_arrival", "picking_id.state")
    def _compute_is_late(self):
        now = fields.Datetime.now()
        for booking in self:
            booking.is_late = bool(
                booking.state == "booked"
                and booking.planned_arrival
                and booking.planned_arrival < now
                and booking.picking_id.state not in ("done", "cancel")
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late vehicles with = or != only."))
        late = self._op_late_domain()
        if (operator == "=") == value:
            return late
        return [("id", "not in", read_across(self)._search(late))]

    @api.model
    def _op_late_domain(self):
        return [
            ("state", "=", "booked"),
            ("planned_arrival", "<", fields.Datetime.now()),
            ("picking_id.state", "not in", ("done", "cancel")),
        ]

    # ------------------------------------------------------------ book
    def _op_check_one_booking(self, vals):
        """Before inserting: one booking at a time per delivery (the database
        constraint then only stops concurrent bookings). A contract of
        another company is refused by Odoo's company check."""
        self.flush_model(["state"])
        picking = self.env["stock.picking"].browse(vals.get("picking_id"))
        read_across(picking)._op_check_no_carrier_booking()

    @api.model_create_multi
    def create(self, vals_list):
        """Booking is a step of the shipping group (R25): the user books, as
        themselves, a delivery of their companies (see the guard)."""
        bookings = super().create(vals_list)
        # What a booking needs, whoever books (the superuser too).
        bookings._check_can_book()
        for booking in as_process(bookings):
            # Odoo's own carrier field: the delivery slip shows it.
            if booking.carrier_id:
                booking.picking_id.carrier_id = booking.carrier_id
            booking.picking_id.message_post(
                body=self.env._(
                    "Carrier booked: %(carrier)s, vehicle %(plate)s, driver "
                    "%(driver)s, planned arrival %(arrival)s (R25).",
                    carrier=booking.contract_id.display_name,
                    plate=booking.vehicle_plate,
                    driver=booking.driver_name or "-",
                    arrival=booking._op_format_datetime(booking.planned_arrival),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return bookings

    def _op_complete_vals(self, vals):
        if isinstance(vals.get("vehicle_plate"), str):
            vals["vehicle_plate"] = " ".join(vals["vehicle_plate"].split()).upper()
        vals["booked_by_id"] = self.env.user.id
        vals["booked_on"] = fields.Datetime.now()

    def _check_can_book(self):
        """R25, R37: what a booking needs, read as the process (the user may
        not read the order behind the delivery). Hook: override with
        ``super()`` to add a condition (e.g. an approved shipping order)."""
        now = fields.Datetime.now()
        for booking in read_across(self):
            picking = booking.picking_id
            contract = booking.contract_id
            if not picking.op_process_delivery:
                raise UserError(
                    self.env._(
                        "%(delivery)s is not a delivery of the Order Process: its "
                        "carrier is set on the delivery as usual.",
                        delivery=picking.name,
                    )
                )
            if picking.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "%(delivery)s is done or cancelled: no carrier is booked "
                        "for it.",
                        delivery=picking.name,
                    )
                )
            if not (booking.vehicle_plate or "").strip():
                raise UserError(self.env._("Give the vehicle's plate number."))
            if not booking.planned_arrival:
                raise UserError(self.env._("Give the vehicle's planned arrival."))
            if booking.planned_arrival < now:
                raise UserError(
                    self.env._(
                        "The planned arrival %(arrival)s is in the past.",
                        arrival=booking._op_format_datetime(booking.planned_arrival),
                    )
                )
            if not contract.active:
                raise UserError(
                    self.env._(
                        "Carrier contract %(contract)s is archived: it cannot be "
                        "booked.",
                        contract=contract.display_name,
                    )
                )
            day = booking._op_local_date(booking.planned_arrival)
            if day > contract.date_end:
                raise UserError(
                    self.env._(
                        "Carrier contract %(contract)s expired on %(end)s: it "
                        "cannot be booked for an arrival on %(day)s.",
                        contract=contract.display_name,
                        end=contract.date_end,
                        day=day,
                    )
                )
            if not contract._op_valid_on(day):
                raise UserError(
                    self.env._(
                        "Carrier contract %(contract)s is valid from %(start)s: it "
                        "cannot be booked for an arrival on %(day)s.",
                        contract=contract.display_name,
                        start=contract.date_start,
                        day=day,
                    )
                )

    # ------------------------------------------------------------ steps
    def action_confirm_arrival(self):
        """The shipping group confirms that the vehicle arrived (R25)."""
        self._op_check_role("fg_warehouse")
        self._check_can_confirm_arrival()
        now = fields.Datetime.now()
        process_write(
            self,
            {
                "state": "arrived",
                "arrived_on": now,
                "arrival_confirmed_by_id": self.env.user.id,
            },
        )
        self._op_done_activities(
            LATE_ACTIVITY, feedback=self.env._("Vehicle arrival confirmed")
        )
        for booking in as_messenger(self):
            booking.picking_id.message_post(
                body=self.env._(
                    "Vehicle %(plate)s arrived at %(time)s, confirmed by %(user)s "
                    "(R25).",
                    plate=booking.vehicle_plate,
                    time=booking._op_format_datetime(now),
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_can_confirm_arrival(self):
        for booking in self:
            if booking.state != "booked":
                raise UserError(
                    self.env._(
                        "%(booking)s is %(state)s: only a booked vehicle's arrival "
                        "is confirmed.",
                        booking=booking.display_name,
                        state=booking._op_state_label(),
                    )
                )
            if read_across(booking).picking_id.state == "cancel":
                raise UserError(
                    self.env._(
                        "%(delivery)s is cancelled.",
                        delivery=read_across(booking).picking_id.name,
                    )
                )

    def action_void(self, reason):
        """Void the booking with a reason (another vehicle, another time):
        it stays on the delivery, and a new booking may be made (R25, R35)."""
        self._op_check_role("fg_warehouse")
        self._check_can_void(reason)
        process_write(
            self,
            {
                "state": "voided",
                "void_reason": reason.strip(),
                "voided_by_id": self.env.user.id,
                "voided_on": fields.Datetime.now(),
            },
        )
        self._op_drop_activities(LATE_ACTIVITY)
        for booking in as_process(self):
            picking = booking.picking_id
            if booking.carrier_id and picking.carrier_id == booking.carrier_id:
                picking.carrier_id = False
            picking.message_post(
                body=self.env._(
                    "Carrier booking %(booking)s voided: %(reason)s",
                    booking=booking.display_name,
                    reason=booking.void_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _check_can_void(self, reason):
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for voiding the booking."))
        for booking in self:
            if booking.state == "voided":
                raise UserError(
                    self.env._(
                        "%(booking)s is already voided.", booking=booking.display_name
                    )
                )
            if read_across(booking).picking_id.state == "done":
                raise UserError(
                    self.env._(
                        "%(delivery)s has shipped: its booking is kept as it is.",
                        delivery=read_across(booking).picking_id.name,
                    )
                )

    # ------------------------------------------------------------ late
    @api.model
    def _cron_escalate_late_vehicles(self, batch_size=200):
        """R25: each vehicle not confirmed by its planned arrival is escalated
        once to the PMC manager (the FG warehouse's manager) of its company,
        in batches: the scheduler calls again while some remain."""
        domain = self._op_late_domain() + [("late_escalated_on", "=", False)]
        bookings = as_job(self).search(
            domain, order="planned_arrival, id", limit=batch_size
        )
        for booking in bookings:
            booking.message_post(
                body=self.env._(
                    "Vehicle %(plate)s was due at %(arrival)s and its arrival is "
                    "not confirmed. Escalated to the PMC manager (R25).",
                    plate=booking.vehicle_plate,
                    arrival=booking._op_format_datetime(booking.planned_arrival),
                ),
                subtype_xmlid="mail.mt_note",
            )
        bookings._op_notify_group(
            "pmc_manager",
            _lt("Late vehicle: its arrival is not confirmed"),
            activity_xmlid=LATE_ACTIVITY,
            robot_event="vehicle_late",
        )
        bookings.write({"late_escalated_on": fields.Datetime.now()})
        remaining = as_job(self).search_count(domain) if bookings else 0
        self.env["ir.cron"]._notify_progress(done=len(bookings), remaining=remaining)
        return bookings

    # ------------------------------------------------------------ helpers
    def _op_calendar_tz(self):
        return self.env["res.company"]._op_calendar(self.company_id).tz or "UTC"

    def _op_local_date(self, value):
        """The date of ``value`` (naive UTC) in the company's time zone."""
        return fields.Datetime.context_timestamp(
            self.with_context(tz=self._op_calendar_tz()), value
        ).date()
