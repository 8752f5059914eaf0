# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 18, item 5: one name per form, the spec's (section 2: D1..D13), in
both languages; one convention for brackets in the Chinese user interface
(full-width, as Chinese text writes them); generated document names read in
the reader's language."""

import re
from collections import defaultdict
from datetime import date

import polib
from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .test_production_quality import QualityCase

MODULE = "order_process_addon"
FORM = re.compile(r"\bD(\d{1,2})\b")
CJK = re.compile(r"[\u3400-\u9fff]")
# What a bracket may legitimately sit in: Python placeholders, markup.
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|<[^<>]*>")
# The spec's Chinese name of each form (ORDER_PROCESS.md, section 2) that
# has a model of its own here (D1 and D2 are the order; D11 Odoo's delivery
# slip, checked at loading).
SPEC_CHINESE = {
    "order.material.plan": "物料需求计划",
    "order.production.plan": "生产计划表",
    "order.production.daily.report": "生产日报表",
    "order.fg.receipt": "入库单",
    "order.inbound.statistics": "每日成品入库统计表",
    "order.shipping.order": "出货单",
    "order.shipment.statistics": "每日出货统计表",
    "order.late.analysis": "原因分析报告",
}


@tagged("post_install", "-at_install")
class TestNames(QualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            [MODULE], ["zh_CN"], overwrite=True
        )

    # ------------------------------------------------------------ helpers
    def _labels(self):
        """(label, model) of every model, window action, report and menu of
        the addon, in English and in Chinese."""
        data = self.env["ir.model.data"].search([("module", "=", MODULE)])
        ids = defaultdict(list)
        for row in data:
            ids[row.model].append(row.res_id)
        labels = []
        for lang in ("en_US", "zh_CN"):
            env = self.env(context=dict(self.env.context, lang=lang))
            for model in env["ir.model"].browse(ids["ir.model"]):
                labels.append((model.name, model.model))
            for action in env["ir.actions.act_window"].browse(
                ids["ir.actions.act_window"]
            ):
                labels.append((action.name, action.res_model))
            for report in env["ir.actions.report"].browse(ids["ir.actions.report"]):
                labels.append((report.name, report.model))
            for menu in env["ir.ui.menu"].browse(ids["ir.ui.menu"]):
                if menu.action and menu.action._name == "ir.actions.act_window":
                    labels.append((menu.name, menu.action.res_model))
        return labels

    @staticmethod
    def _form_of(model, models):
        """A line or wizard model belongs to its document's form
        (``order.material.plan.line`` to ``order.material.plan``)."""
        parents = [m for m in models if model.startswith(f"{m}.")]
        return min(parents, key=len) if parents else model

    # ------------------------------------------------------------ forms
    def test_r16_no_two_forms_share_a_number(self):
        """Each D-number in a label (model, action, report, menu; English
        and Chinese) names one document: the final test is not D7, which is
        the production daily report Quality signs (R16)."""
        labels = self._labels()
        models = {model for label, model in labels if FORM.search(label or "")}
        forms = defaultdict(set)
        for label, model in labels:
            for number in FORM.findall(label or ""):
                forms[int(number)].add(self._form_of(model, models))
        shared = {n: sorted(m) for n, m in forms.items() if len(m) > 1}
        # D1 and D2 are both the order (sale.order): one document, two forms.
        self.assertEqual(shared, {}, "one document per form number")
        self.assertEqual(forms[7], {"order.production.daily.report"})
        test_labels = [label for label, model in labels if model == "order.final.test"]
        self.assertTrue(test_labels)
        self.assertFalse(
            [label for label in test_labels if FORM.search(label)],
            "the final test carries no form number",
        )

    def test_r37_forms_carry_the_specs_chinese_names(self):
        """The model, its actions and menus say the spec's Chinese name with
        the form's number, full-width brackets: 生产日报表（D7）."""
        wrong = []
        for label, model in self._labels():
            if model in SPEC_CHINESE and CJK.search(label or ""):
                numbers = FORM.findall(label)
                if numbers and SPEC_CHINESE[model] not in label:
                    wrong.append(f"{model}: {label}")
        self.assertFalse(wrong, "\n".join(wrong))
        report = self.env.ref(f"{MODULE}.order_production_daily_report_action")
        self.assertEqual(report.with_context(lang="zh_CN").name, "生产日报表（D7）")
        final = self.env.ref(f"{MODULE}.order_final_test_action")
        self.assertEqual(final.with_context(lang="zh_CN").name, "最终检测")

    # ------------------------------------------------------------ brackets
    def test_r37_chinese_text_uses_full_width_brackets(self):
        """Every Chinese term of zh_CN.po writes its brackets full-width
        （…）, placeholders and markup aside (Python expressions of report
        file names are code, not text)."""
        po = polib.pofile(f"{get_module_path(MODULE)}/i18n/zh_CN.po")
        half = []
        for entry in po:
            if any("print_report_name" in where for where, _line in entry.occurrences):
                continue
            text = PLACEHOLDER.sub("", entry.msgstr)
            if "(" in text or ")" in text:
                half.append(entry.msgstr)
        self.assertFalse(half, "\n".join(half))
        full = [e.msgstr for e in po if "（" in e.msgstr]
        self.assertGreater(len(full), 100)

    def test_r37_views_and_prints_have_no_half_width_bracket_in_chinese(self):
        """Brackets outside any term (``(<span t-field=…/>)``) are not
        translated: no view or print of the addon writes one where Chinese
        readers see it."""
        views = self.env["ir.ui.view"].browse(
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        found = []
        for view in views.with_context(lang="zh_CN"):
            root = etree.fromstring(view.arch_db.encode())
            for node in root.iter():
                if not isinstance(node.tag, str):
                    continue
                for text in (node.text, node.tail):
                    text = (text or "").strip()
                    if ("(" in text or ")" in text) and (
                        CJK.search(text) or not re.search(r"[A-Za-z]", text)
                    ):
                        found.append(f"{view.key or view.name}: {text!r}")
        self.assertFalse(found, "\n".join(found))

    # ------------------------------------------------------------ generated
    def test_r31_generated_names_in_the_readers_language(self):
        """A monthly review frozen by the scheduled action (in no language)
        is named in each reader's language; what is stored is its period,
        the same in every language."""
        review = (
            self.env["order.monthly.review"]
            .sudo()
            .create({"company_id": self.company.id, "month_start": date(2025, 1, 1)})
        )
        self.assertEqual(review.name, "2025-01")
        english = review.with_context(lang="en_US").display_name
        chinese = review.with_context(lang="zh_CN").display_name
        self.assertEqual(english, "Monthly Achievement Review 2025-01")
        self.assertEqual(chinese, "月度达成率评审 2025-01")
        # As the Chinese user reads it (the web client's context).
        manager = self.users["pmc_manager"]
        manager.lang = "zh_CN"
        context = manager.with_user(manager).context_get()
        as_manager = review.with_user(manager).with_context(**context)
        self.assertEqual(as_manager.display_name, "月度达成率评审 2025-01")
        evaluation = (
            self.env["order.process.evaluation"]
            .sudo()
            .create({"company_id": self.company.id, "year": 2025, "quarter": "1"})
        )
        self.assertEqual(evaluation.name, "2025 Q1")
        self.assertEqual(
            evaluation.with_context(lang="zh_CN").display_name,
            "流程评估 2025 年第 1 季度",
        )
        # Records that had no name of their own: their document's, not
        # "order.final.test,12".
        production = self._released_production()
        test = self._test(production, "pass")
        self.assertEqual(
            test.with_context(lang="zh_CN").display_name,
            f"最终检测 {production.name}",
        )
        self.assertEqual(
            test.with_context(lang="en_US").display_name,
            f"Final Test {production.name}",
        )
        receipt = self._signed_receipt()
        self.assertEqual(
            receipt.with_context(lang="zh_CN").display_name,
            f"D8 {receipt.production_id.name}",
        )
