# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .elevation import as_process, process_write, read_across
from .order_process_guard import NOTES_ONLY, Editable, Guard, Roles

_lt = LazyTranslate(__name__)

MATERIAL = "order_process_addon.mail_activity_type_material"
APPROVE = "order_process_addon.mail_activity_type_material_approve"
SEND_RFQ = "order_process_addon.mail_activity_type_send_rfq"


class OrderMaterialPlan(models.Model):
    """D3, the material requirements plan of one effective order (R11, R13).

    The PMC material controller drafts it from Odoo's own data: the order's
    bought-in (OEM) products and the components of its bills of materials,
    against the warehouse's forecast and the RFQs Odoo's procurement already
    prepared. The PMC manager approves it; only then are the purchase RFQs
    created by Odoo's procurement (Buy rule of the warehouse) or, when Odoo
    had already prepared them, released to Purchasing."""

    _name = "order.material.plan"
    _description = "Material Requirements Plan (D3)"
    _inherit = ["mail.thread", "mail.activity.mixin", "order.process.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # Guard (order.process.guard): the material controller drafts the
    # requirements; the steps submit, approve and void (R11, R13).
    _op_guard = Guard(
        # The material controller writes it for a signed order (R11).
        create=(Roles("pmc_material"), "_op_check_can_write_d3"),
        process=frozenset(
            {
                "state",
                "company_id",
                "submitted_by_id",
                "submitted_on",
                "approved_by_id",
                "approved_on",
                "void_reason",
                "purchase_order_ids",
            }
        ),
        fixed=frozenset({"name", "sale_order_id"}),
        editable={
            "draft": Editable(only={"warehouse_id", "line_ids", "notes"}),
            "submitted": NOTES_ONLY,
            "approved": NOTES_ONLY,
            "voided": NOTES_ONLY,
        },
        deletable=frozenset(),
    )

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Customer Order",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    partner_id = fields.Many2one(related="sale_order_id.partner_id", string="Customer")
    committed_date = fields.Date(
        related="sale_order_id.op_committed_date", string="Committed Delivery Date"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse", required=True, check_company=True, tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("voided", "Voided"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "order.material.plan.line", "plan_id", string="Requirements", copy=False
    )
    purchase_order_ids = fields.One2many(
        "purchase.order", "op_material_plan_id", string="Purchase RFQs", readonly=True
    )
    purchase_count = fields.Integer(compute="_compute_purchase_count")
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    void_reason = fields.Text(readonly=True, copy=False)
    notes = fields.Html()

    @api.depends("purchase_order_ids")
    def _compute_purchase_count(self):
        for plan in self:
            plan.purchase_count = len(plan.purchase_order_ids)

    def _op_check_can_write_d3(self, vals):
        """R8, R11: a D3 is written for an effective order, one at a time."""
        order = read_across(self.env["sale.order"]).browse(vals.get("sale_order_id"))
        if not order.op_active or order.op_state != "effective":
            raise UserError(
                self.env._(
                    "A material requirements plan (D3) is written for an "
                    "effective order, signed by the customer (R8, R11)."
                )
            )
        if order.op_material_plan_ids.filtered(lambda p: p.state != "voided"):
            raise UserError(
                self.env._(
                    "%(order)s already has a material requirements plan "
                    "(D3): change it, or void it and write a new one.",
                    order=order.name,
                )
            )

    def _op_complete_vals(self, vals):
        order = read_across(self.env["sale.order"]).browse(vals.get("sale_order_id"))
        vals["company_id"] = order.company_id.id
        vals.setdefault("warehouse_id", order.warehouse_id.id)
        self._op_assign_name(vals)

    # ------------------------------------------------------------ flow
    def action_submit(self):
        self._op_check_role("pmc_material")
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("%(plan)s is already submitted.", plan=plan.name)
                )
            if not plan.line_ids:
                raise UserError(
                    self.env._(
                        "%(plan)s lists no requirement: compute it from the "
                        "order first.",
                        plan=plan.name,
                    )
                )
            missing = plan.line_ids.filtered(
                lambda line: line.qty_to_order > 0 and not line.vendor_id
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Choose a vendor for %(products)s.",
                        products=", ".join(missing.product_id.mapped("display_name")),
                    )
                )
            for line in plan.line_ids.filtered(lambda line: line.qty_to_order > 0):
                if not line._op_seller():
                    raise UserError(
                        self.env._(
                            "%(vendor)s has no price for %(product)s in this "
                            "company: Purchasing adds it on the product's "
                            "Purchase tab first.",
                            vendor=line.vendor_id.display_name,
                            product=line.product_id.display_name,
                        )
                    )
        process_write(
            self,
            {
                "state": "submitted",
                "submitted_by_id": self.env.user.id,
                "submitted_on": fields.Datetime.now(),
            },
        )
        for plan in self:
            plan.sale_order_id._op_done_activities(
                MATERIAL,
                feedback=self.env._("%(plan)s submitted", plan=plan.name),
            )
            plan._op_notify_group(
                "pmc_manager",
                _lt("Approve material requirements plan %(plan)s", plan=plan.name),
                activity_xmlid=APPROVE,
                exclude=self.env.user,
            )
        return True

    def action_approve(self):
        """R13: the PMC manager approves; then Odoo's procurement creates the
        RFQs, and the RFQs it had prepared are released to Purchasing."""
        self._op_check_role("pmc_manager")
        for plan in self:
            if plan.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted material requirements plan can be approved."
                    )
                )
        self._op_check_not_submitter()
        for plan in self:
            as_process(plan)._op_release_to_purchasing()
            process_write(
                plan,
                {
                    "state": "approved",
                    "approved_by_id": self.env.user.id,
                    "approved_on": fields.Datetime.now(),
                },
            )
            plan._op_done_activities(
                APPROVE,
                feedback=self.env._("%(plan)s approved", plan=plan.name),
            )
            plan._op_notify_purchasing()
        return True

    def _op_release_to_purchasing(self):
        self.ensure_one()
        # The RFQs Odoo prepared for the order go to Purchasing with the plan
        # (one shared with other orders waits for their D3 too: see
        # purchase.order._op_check_released_by_d3).
        self._op_prepared_rfq_lines().order_id.filtered(
            lambda po: not po.op_material_plan_id
        ).write({"op_material_plan_id": self.id})
        procurements = []
        group = self.sale_order_id.procurement_group_id
        location = self.warehouse_id.lot_stock_id
        route = self.env.ref("purchase_stock.route_warehouse0_buy")
        date_planned = fields.Datetime.now()
        for line in self.line_ids.filtered(lambda line: line.qty_to_order > 0):
            values = {
                "company_id": self.company_id,
                "warehouse_id": self.warehouse_id,
                "route_ids": route,
                "date_planned": date_planned,
                "group_id": group,
                "op_material_plan_id": self,
                "supplierinfo_id": line._op_seller(),
            }
            procurements.append(
                self.env["procurement.group"].Procurement(
                    line.product_id,
                    line.qty_to_order,
                    line.product_id.uom_id,
                    location,
                    line.product_id.display_name,
                    self.name,
                    self.company_id,
                    values,
                )
            )
        if procurements:
            self.env["procurement.group"].run(procurements)
        self.invalidate_recordset(["purchase_order_ids"])
        for line in self.line_ids:
            line.purchase_line_id = self.purchase_order_ids.order_line.filtered(
                lambda pol, line=line: pol.product_id == line.product_id
            )[:1]

    def _op_notify_purchasing(self):
        for plan in self:
            plan.message_post(
                body=self.env._(
                    "Approved by %(user)s: %(count)s RFQ(s) go to Purchasing.",
                    user=self.env.user.name,
                    count=len(plan.purchase_order_ids),
                ),
                subtype_xmlid="mail.mt_comment",
            )
            # Ended when the RFQ is sent or confirmed, removed when it is
            # cancelled (purchase.order.write).
            plan.purchase_order_ids.filtered(
                lambda po: po.state == "draft"
            )._op_notify_group(
                "purchasing",
                _lt("Send RFQ of %(plan)s to the vendor", plan=plan.name),
                activity_xmlid=SEND_RFQ,
            )

    def action_void(self, reason=None):
        self._op_check_role("pmc_material", "pmc_manager")
        if not self._op_text(reason):
            raise UserError(self.env._("Give the reason for voiding the plan."))
        if any(plan.state == "voided" for plan in self):
            raise UserError(self.env._("The plan is already voided."))
        if any(plan.state == "approved" for plan in self):
            # An approved plan's RFQs are with Purchasing: its approver's level.
            self._op_check_role("pmc_manager")
        confirmed = self.purchase_order_ids.filtered(
            lambda po: po.state in ("purchase", "done")
        )
        if confirmed:
            raise UserError(
                self.env._(
                    "Purchase orders %(orders)s are confirmed: cancel them in "
                    "Purchase first.",
                    orders=", ".join(confirmed.mapped("name")),
                )
            )
        as_process(self.purchase_order_ids).filtered(
            lambda po: po.state in ("draft", "sent")
        ).button_cancel()
        process_write(self, {"state": "voided", "void_reason": reason})
        self._op_drop_activities()
        return True

    def action_open_void(self):
        self.ensure_one()
        return self.env["order.reason.wizard"]._op_action(
            self, "action_void", self.env._("Void the Material Requirements Plan")
        )

    def action_view_purchases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("purchase.purchase_rfq")
        action["domain"] = [("id", "in", self.purchase_order_ids.ids)]
        action["context"] = {"create": False}
        return action
