# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""R36: nothing the process decides comes from a client, on create as well
as on write, for every field of every guarded model.

Each model of the addon declares at its top the fields only its steps
write (``_op_guard = Guard(process=...)``, see ``order_process_guard``).
This test reads those declarations, so that a field added to one is
attacked here without anyone writing a test for it: a user holding every
role of the process, in the demo company, logged in over JSON-RPC with
every context key a client may hope opens a door, gives each such field a
value that is not its default

- in ``create``: refused with an error that names the field, and no
  record created;
- in ``write``, on a record of that model in the demo company: refused with
  an error that names the field, and the value unchanged.

One2many/many2many fields are left to the guard's command checks (tested in
test_trust.py and test_last_door.py); the columns Odoo writes itself (id,
create/write dates and users) are left out."""

from odoo.models import MAGIC_COLUMNS
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ROLES, call_kw, demo_company
from .test_trust_rpc import CONTEXT

# Some values of the fields to try, by type, none of them a default.
FORGED = {
    "char": "forged",
    "text": "forged",
    "html": "<p>forged</p>",
    "boolean": True,
    "integer": 7,
    "float": 7.5,
    "monetary": 7.5,
    "date": "2030-01-02",
    "datetime": "2030-01-02 03:04:05",
}

# What a create of these needs besides the forged field, so that the guard,
# not a missing value, is what answers.
BASE = {
    "order.improvement.plan": lambda case: {
        "owner_id": case.user.id,
        "deadline": "2030-01-31",
    },
    "order.inspection": lambda case: {"kind": "key_process"},
}
# Refused before any field is read, for a reason of their own (so the
# error does not name the field); nothing is created all the same. Their
# process fields are attacked where such a record exists: the tests named.
ELSEWHERE = {
    # A D3 is written only for a signed order; the demo data holds none
    # (test_material_plan.py, test_trust.py).
    "order.material.plan",
    # Guarded on a process delivery only (test_last_door.py); the demo data
    # holds no confirmed order, hence no such delivery.
    "stock.move",
    "stock.move.line",
}


@tagged("post_install", "-at_install")
class TestForgeryMatrix(HttpCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref(
            "order_process_addon.company_demo", raise_if_not_found=False
        )
        if not cls.company:
            return
        cls.user = new_test_user(
            cls.env,
            login="op_forger",
            lang="en_US",
            groups=",".join(
                ["base.group_user"]
                + [f"order_process_addon.group_{role}" for role in ROLES]
            ),
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        demo_company(self)

    # ------------------------------------------------------------ helpers
    def _guarded_models(self):
        Guard = self.env.registry["order.process.guard"]
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract or model._transient or not isinstance(model, Guard):
                continue
            yield model

    def _forgeable(self, model):
        """The guard's process fields of ``model`` a client could send a
        value for, with such a value (not the field's default)."""
        for name in sorted(model._op_process_field_names()):
            field = model._fields.get(name)
            if not field or not field.store or name in MAGIC_COLUMNS:
                continue
            value = self._value(model, field)
            if value is not None:
                yield field, value

    def _value(self, model, field):
        if field.type in FORGED:
            return FORGED[field.type]
        if field.type == "selection":
            choices = [key for key, _label in field._description_selection(self.env)]
            default = field.default(model) if field.default else None
            others = [key for key in choices if key and key != default]
            return others[-1] if others else None
        if field.type == "many2one":
            comodel = (
                self.env[field.comodel_name].sudo().with_context(active_test=False)
            )
            # Not the default either (the user's own user, company...).
            default = (
                field.default(model.with_user(self.user)) if field.default else None
            )
            default = getattr(default, "id", default)
            domain = [("id", "!=", default or 0)]
            if "company_id" in comodel._fields:
                domain.append(("company_id", "in", [self.company.id, False]))
            return comodel.search(domain, limit=1, order="id desc").id or None
        return None

    def _rpc(self, model, method, *args):
        response = call_kw(self, "op_forger", model, method, args, {"context": CONTEXT})
        error = response.json().get("error")
        return error and (error["data"]["name"], error["data"]["message"])

    def _refusal(self, error, model, field, what):
        """What is wrong with the answer to the forged ``what``, or None
        when it was refused with an error that names the field."""
        label = field.get_description(self.env(context={"lang": "en_US"}))["string"]
        if not error:
            return f"{model._name}.{field.name}: {what} went through"
        name, message = error
        if name != "odoo.exceptions.AccessError" or label not in message:
            return f"{model._name}.{field.name}: {what}: {name}: {message[:120]}"
        return None

    # ------------------------------------------------------------ tests
    def test_r36_every_process_field_refused_on_create(self):
        tried, problems = 0, []
        for model in self._guarded_models():
            records = model.sudo().with_context(active_test=False)
            for field, value in self._forgeable(model):
                count = records.search_count([])
                base = BASE.get(model._name, lambda case: {})(self)
                error = self._rpc(model._name, "create", [{**base, field.name: value}])
                if model._name not in ELSEWHERE:
                    problems.append(self._refusal(error, model, field, "create"))
                elif not error:
                    problems.append(f"{model._name}.{field.name}: create went through")
                if records.search_count([]) != count:
                    problems.append(f"{model._name}.{field.name}: created")
                tried += 1
        self.assertEqual([p for p in problems if p], [])
        # Every guarded model of the addon and Odoo's it guards (40 at
        # 18.0.1.2.0) and their process fields, not a sample.
        self.assertGreater(tried, 300)

    def test_r36_every_process_field_refused_on_write(self):
        tried, models, problems = 0, 0, []
        for model in self._guarded_models():
            domain = []
            if "company_id" in model._fields:
                domain = [("company_id", "=", self.company.id)]
            record = (
                model.sudo()
                .with_context(active_test=False)
                .search(domain, limit=20, order="id desc")
                .with_user(self.user)
                ._op_guarded()[:1]
            )
            if not record:
                continue
            models += 1
            for field, value in self._forgeable(model):
                before = record.sudo()[field.name]
                error = self._rpc(model._name, "write", record.ids, {field.name: value})
                problems.append(self._refusal(error, model, field, "write"))
                record.invalidate_recordset()
                if record.sudo()[field.name] != before:
                    problems.append(f"{model._name}.{field.name}: written")
                tried += 1
        self.assertEqual([p for p in problems if p], [])
        # The models with a record of the demo company in the demo data: the
        # orders (sale.order, their lines) and their reviews; it holds no
        # confirmed order, so the later documents are tried on create here
        # and on write in their own tests.
        self.assertGreaterEqual(models, 3)
        self.assertGreater(tried, 50)
