# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The delivery note (D11) of a process delivery on the customer portal
(R26): Odoo's own ``/my/picking/pdf/<id>`` route, with its access check (the
customer's own deliveries, or the order's access token)."""

from werkzeug.exceptions import NotFound

from odoo import exceptions
from odoo.http import request, route
from odoo.osv import expression

from odoo.addons.sale_stock.controllers.portal import SaleStockPortal

from ..models.elevation import portal_read


class OrderProcessPortal(SaleStockPortal):
    def _prepare_quotations_domain(self, partner):
        """An order of the process is the customer's quotation from its
        registration to the customer's signature (R3-R8), whether or not
        Customer Management sent it by e-mail (issue 18, item 4): the
        customer finds there the order to sign."""
        return expression.OR(
            [
                super()._prepare_quotations_domain(partner),
                [
                    (
                        "message_partner_ids",
                        "child_of",
                        [partner.commercial_partner_id.id],
                    ),
                    ("op_active", "=", True),
                    ("state", "in", ("draft", "sent")),
                    ("op_state", "!=", "draft"),
                ],
            ]
        )

    def _stock_picking_check_access(self, picking_id, access_token=None):
        """A delivery of the process is the customer's to read once it has
        left (before, its loading check is the warehouse's work in
        progress), by whoever of the customer may read the order."""
        try:
            picking_sudo = super()._stock_picking_check_access(
                picking_id, access_token=access_token
            )
        except exceptions.AccessError:
            # Odoo's rule knows the order's partner itself only: a contact of
            # the customer company who may read the order reads its
            # deliveries of the process too.
            picking_sudo = portal_read(request.env["stock.picking"]).browse(picking_id)
            order = picking_sudo.sale_id
            if not (
                picking_sudo.op_process_delivery
                and order
                and request.env["sale.order"].browse(order.id).has_access("read")
            ):
                raise
        if (
            request.env.user.share
            and picking_sudo.op_process_delivery
            and picking_sudo.state != "done"
        ):
            raise exceptions.AccessError(
                request.env._("This delivery has not left yet.")
            )
        return picking_sudo

    @route()
    def portal_my_picking_report(
        self, picking_id, access_token=None, report_type=None, **kw
    ):
        """The delivery note as PDF (Odoo's default) or, with
        ``report_type=html``, as a web page."""
        if report_type != "html":
            return super().portal_my_picking_report(
                picking_id, access_token=access_token, **kw
            )
        try:
            picking_sudo = self._stock_picking_check_access(
                picking_id, access_token=access_token
            )
        except (exceptions.AccessError, exceptions.MissingError):
            return NotFound()
        html = portal_read(request.env["ir.actions.report"])._render_qweb_html(
            "stock.action_report_delivery", picking_sudo.ids
        )[0]
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8")]
        )
