# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .elevation import as_process, process_create, read_across
from .order_process_guard import Guard


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "order.process.guard"]

    # Guard (order.process.guard): a manufacturing order joins a plan through
    # the plan (its planner, while the plan is a draft) or the PMC manager's
    # rush insertion, never by writing the link on the MO.
    _op_guard = Guard(
        process=frozenset({"op_plan_id", "op_inserted_by_id", "op_inserted_on"}),
        deletable=None,
    )

    op_plan_id = fields.Many2one(
        "order.production.plan",
        string="Production Plan (D4)",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        readonly=True,
        groups="order_process_addon.group_user",
    )
    op_sale_order_id = fields.Many2one(
        "sale.order",
        string="Order of the Process",
        compute="_compute_op_sale_order_id",
        store=True,
        index="btree_not_null",
        help="The customer order of the Order Process this manufacturing "
        "order was made for.",
    )
    op_inserted_by_id = fields.Many2one(
        "res.users", string="Inserted By", readonly=True, copy=False
    )
    op_inserted_on = fields.Datetime(string="Inserted On", readonly=True, copy=False)
    op_inspection_ids = fields.One2many(
        "order.inspection",
        "production_id",
        string="Inspections",
        groups="order_process_addon.group_user",
    )
    op_final_test_ids = fields.One2many(
        "order.final.test",
        "production_id",
        string="Final Tests",
        groups="order_process_addon.group_user",
    )
    op_receipt_ids = fields.One2many(
        "order.fg.receipt",
        "production_id",
        string="Finished-Goods Receipts",
        groups="order_process_addon.group_user",
    )
    op_inspection_count = fields.Integer(
        string="Inspection Count",
        compute="_compute_op_counts",
        groups="order_process_addon.group_user",
    )
    op_final_test_count = fields.Integer(
        string="Final Test Count",
        compute="_compute_op_counts",
        groups="order_process_addon.group_user",
    )
    op_receipt_count = fields.Integer(
        string="Receipt Count",
        compute="_compute_op_counts",
        groups="order_process_addon.group_user",
    )
    op_test_result = fields.Selection(
        [("none", "Not Tested"), ("pass", "Passed"), ("fail", "Failed")],
        string="Final Test",
        compute="_compute_op_test_result",
    )

    @api.depends(
        "procurement_group_id.sale_id.op_active", "sale_line_id.order_id.op_active"
    )
    def _compute_op_sale_order_id(self):
        for production in self:
            # Read as the process: manufacturing users need no sales rights.
            sudo = read_across(production)
            order = sudo.sale_line_id.order_id or sudo.procurement_group_id.sale_id
            production.op_sale_order_id = order.id if order.op_active else False

    @api.depends("op_inspection_ids", "op_final_test_ids", "op_receipt_ids")
    def _compute_op_counts(self):
        for production in self:
            production.op_inspection_count = len(production.op_inspection_ids)
            production.op_final_test_count = len(production.op_final_test_ids)
            production.op_receipt_count = len(production.op_receipt_ids)

    def _op_open_records(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("production_id", "=", self.id)]
        action["context"] = {"default_production_id": self.id}
        return action

    def action_op_view_inspections(self):
        return self._op_open_records("order_process_addon.order_inspection_action")

    def action_op_view_final_tests(self):
        return self._op_open_records("order_process_addon.order_final_test_action")

    def action_op_view_receipts(self):
        return self._op_open_records("order_process_addon.order_fg_receipt_action")

    @api.depends("op_final_test_ids.state", "op_final_test_ids.result")
    def _compute_op_test_result(self):
        for production in self:
            signed = production.op_final_test_ids.filtered(
                lambda t: t.state == "signed"
            )
            # The latest signed test counts: a re-test after rework replaces it.
            latest = signed.sorted("id")[-1:] if signed else signed
            production.op_test_result = latest.result or "none"

    def write(self, vals):
        if vals.get("qty_producing"):
            self._op_check_released()
        before = {}
        if "qty_producing" in vals:
            before = {p.id: p.qty_producing for p in self._op_day_recorded()}
        res = super().write(vals)
        # R16: the day's production, for D7 (order.production.day).
        for production in self.browse(list(before)):
            as_process(self.env["order.production.day"])._op_record(
                production, production.qty_producing - before[production.id]
            )
        return res

    def _op_day_recorded(self):
        """The MOs whose production is recorded day by day: those of the
        process (made for a process order or planned in a D4)."""
        return self.filtered(lambda p: p.op_plan_id or p.op_sale_order_id.op_active)

    def _op_check_released(self):
        """R8, R14: production and material issue follow the released plan."""
        for production in self:
            order = production.op_sale_order_id
            if not order:
                continue
            if order.op_state != "effective":
                raise UserError(
                    self.env._(
                        "%(order)s is not signed by the customer: %(mo)s cannot start.",
                        order=order.name,
                        mo=production.name,
                    )
                )
            if production.op_plan_id.state != "released":
                raise UserError(
                    self.env._(
                        "%(mo)s is in no released production plan: it cannot "
                        "start, nor can its materials be issued (R14).",
                        mo=production.name,
                    )
                )

    def action_op_deliver_to_warehouse(self):
        """R16, R17: Production delivers the tested goods with D8 (the
        button; the receipt is on the MO's Receipts)."""
        self._op_deliver_to_warehouse()
        return True

    def _op_deliver_to_warehouse(self):
        """The step: the new finished-goods receipt (D8)."""
        self.ensure_one()
        self._op_check_role("production")
        self._op_check_released()
        if self.op_test_result != "pass":
            raise UserError(
                self.env._(
                    "%(mo)s has no passed final test signed by Quality: the "
                    "goods cannot be received (R16).",
                    mo=self.name,
                )
            )
        if self.op_receipt_ids.filtered(lambda r: r.state == "draft"):
            raise UserError(self.env._("%(mo)s is already delivered.", mo=self.name))
        qty = self.qty_producing or self.product_qty
        if qty <= 0:
            raise UserError(self.env._("The delivered quantity must be positive."))
        return process_create(
            self.env["order.fg.receipt"],
            {
                "production_id": self.id,
                "qty_delivered": qty,
                "sale_order_id": self.op_sale_order_id.id,
                "delivered_on": fields.Datetime.now(),
            },
        )

    def _op_check_received(self):
        for production in self.filtered("op_sale_order_id"):
            receipt = production.op_receipt_ids.filtered(lambda r: r.state == "signed")[
                :1
            ]
            if production.op_test_result != "pass" or not receipt:
                raise UserError(
                    self.env._(
                        "%(mo)s is finished only after Quality's passed final test "
                        "and the keeper's signed count (R16, R17).",
                        mo=production.name,
                    )
                )
            # The counted quantity is what enters stock, with the matching
            # component consumption; D8 keeps both numbers.
            if production.qty_producing != receipt.qty_counted:
                as_process(production).qty_producing = receipt.qty_counted
                as_process(production)._set_qty_producing()

    def _op_check_production_role(self):
        """R14, R36: production of an order of the process is started and
        finished by Production or PMC, whoever else Odoo lets write MOs."""
        self.check_access("write")
        if self.filtered("op_sale_order_id"):
            self._op_check_role("production", "pmc_planner", "pmc_manager")

    def action_start(self):
        self._op_check_production_role()
        self._op_check_released()
        super().action_start()
        # A value every RPC client carries (Odoo's own returns None).
        return True

    def button_mark_done(self):
        self._op_check_production_role()
        self._op_check_released()
        self._op_check_received()
        recorded = self._op_day_recorded()
        before = {p.id: p.qty_producing for p in recorded}
        res = super().button_mark_done()
        # What is done beyond the quantity recorded as producing is today's.
        days = as_process(self.env["order.production.day"])
        for production in recorded:
            if production.state == "done":
                days._op_record(
                    production, production.qty_produced - before[production.id]
                )
        self._op_end_material_todos()
        return res

    def _op_end_material_todos(self):
        """Issue 18, item 1: once every MO of an order is done, its materials
        were issued (R14): nothing is left to check or buy for it, and the
        material controller's D3 to-do of the order (R11), if still open,
        is done."""
        done = self.filtered(lambda p: p.state == "done")
        orders = done.op_sale_order_id
        if not orders:
            return
        still_open = read_across(self.env["mrp.production"])._read_group(
            [
                ("op_sale_order_id", "in", orders.ids),
                ("state", "not in", ("done", "cancel")),
            ],
            ["op_sale_order_id"],
        )
        finished = orders - self.env["sale.order"].union(
            *(order for (order,) in still_open)
        )
        finished._op_done_activities(
            "order_process_addon.mail_activity_type_material",
            feedback=self.env._(
                "Produced (%(productions)s): its materials were issued",
                productions=", ".join(done.mapped("name")),
            ),
        )
