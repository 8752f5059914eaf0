# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The process's printed forms (D1-D13 and the monthly review, and Odoo's
delivery slip when it is the D11 of a delivery of the process): the
company's letterhead whatever PDF engine prints them, and times in the
company's time zone whoever prints them, a customer on the portal included.

Odoo's external layout puts the letterhead in a header that wkhtmltopdf
prints in the page margin from ``--header-html``, and prints several
documents in one run; only wkhtmltopdf built on its patched Qt does either
(the 0.12.6 packages of wkhtmltopdf.org). The builds of Debian and Ubuntu
ignore the header (an empty band) and print nothing at all for more than
one document. On such an engine the forms carry the letterhead in the page
body instead (``order_process_addon.external_layout``), once, and a print
of several records is made one record per run, then merged."""

import functools
import logging
import subprocess
from collections import OrderedDict

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

from .elevation import read_across

_logger = logging.getLogger(__name__)

MODULE = "order_process_addon"
D11_REPORT = "stock.report_deliveryslip"
# The top margin (mm) of a PDF whose letterhead is in the page body: the
# paper format's margin is the room of a header that is not printed.
BODY_LETTERHEAD_MARGIN_TOP = 10


def has_patched_qt(version_output):
    """Whether the wkhtmltopdf that answered ``version_output`` to
    ``--version`` is built on wkhtmltopdf's patched Qt, which prints header
    and footer HTML and several documents per run: such builds say so
    ("wkhtmltopdf 0.12.6 (with patched qt)")."""
    return "patched qt" in (version_output or "").lower()


@functools.cache
def wkhtmltopdf_has_patched_qt():
    """Whether this server's wkhtmltopdf is built on the patched Qt (asked
    once per process, as Odoo asks its version)."""
    try:
        result = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    patched = has_patched_qt(result.stdout)
    if not patched:
        _logger.info(
            "wkhtmltopdf is not built on a patched Qt: the process's forms "
            "print the company's letterhead in the page body, and a print of "
            "several records is made one record per run."
        )
    return patched


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _op_is_process_form(self, docids):
        """Whether this report prints a form of the process: one of the
        module's, or the delivery slip of a delivery of the process (D11)."""
        self.ensure_one()
        if self.report_name.startswith(f"{MODULE}."):
            return True
        if self.report_name == D11_REPORT and docids:
            # A count, not a read: the documents' values never reach the
            # cache as superuser (the user's own read checks their access).
            return bool(
                read_across(self.env["stock.picking"]).search_count(
                    [("id", "in", list(docids)), ("op_process_delivery", "=", True)],
                    limit=1,
                )
            )
        return False

    def _op_company(self, docids):
        """The company whose form this is: the documents' own when they
        have one (read without filling the documents' cache as superuser),
        else the user's current company."""
        self.ensure_one()
        records = read_across(self.env[self.model])
        field = records._fields.get("company_id")
        if docids and field and field.store:
            groups = records._read_group(
                [("id", "in", list(docids))], ["company_id"], limit=1
            )
            if groups and groups[0][0]:
                return groups[0][0]
        return self.env.company

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        """A form of the process in its company's time zone (R34): the
        times a customer reads on the portal are the factory's, not UTC."""
        report = self._get_report(report_ref)
        if report._op_is_process_form(docids):
            calendar = self.env["res.company"]._op_calendar(report._op_company(docids))
            tz_self = self.with_context(tz=calendar.tz or "UTC")
            return super(IrActionsReport, tz_self)._render_qweb_html(
                report_ref, docids, data=data
            )
        return super()._render_qweb_html(report_ref, docids, data=data)

    def _get_rendering_context(self, report, docids, data):
        """For a form of the process as PDF from a wkhtmltopdf that drops
        Odoo's header: the letterhead in the page body, and the page's top
        margin without the room of that header."""
        data = super()._get_rendering_context(report, docids, data)
        if report._op_is_process_form(docids):
            in_body = (
                data.get("report_type") == "pdf" and not wkhtmltopdf_has_patched_qt()
            )
            data["op_letterhead_in_body"] = in_body
            if in_body:
                data["data_report_margin_top"] = BODY_LETTERHEAD_MARGIN_TOP
        return data

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Several records on a wkhtmltopdf without the patched Qt, which
        prints nothing for more than one document (an empty PDF): one run
        per record, each record its own stream, as Odoo keeps them (the
        caller merges them, and saves each one where the report keeps
        attachments)."""
        ids = list(res_ids or [])
        if len(ids) < 2 or len(set(ids)) < len(ids) or wkhtmltopdf_has_patched_qt():
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        streams = OrderedDict()
        for res_id in ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
            )
        return streams
