# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 19, item 6: every public step of the process is an API an
integrator calls over XML-RPC. Each step of the access matrix (ACTIONS,
which fails when a step has no row) is called over real XML-RPC by a role
that may take it: it answers with a value XML-RPC carries (an action, True
or False), or with a clear business refusal (a warning or an access fault),
never with a marshalling fault or a Python error."""

import contextlib
import xmlrpc.client

from odoo import models
from odoo.tests import HttpCase, tagged

from . import test_role_matrix
from .test_role_matrix import ACTIONS, DemoUsersCase, _Rollback

# XML-RPC fault codes of Odoo's business refusals (odoo/addons/base/
# controllers/rpc.py): a warning (UserError, ValidationError), access
# denied, access error.
REFUSALS = {2, 3, 4}


def _rpc_value(value):
    """An argument as an RPC client sends it: records as ids."""
    if isinstance(value, models.BaseModel):
        return value.id if len(value) == 1 else value.ids
    return value


@tagged("post_install", "-at_install")
class TestRpcSteps(DemoUsersCase, HttpCase):
    _fixtures = test_role_matrix.TestRoleMatrix._fixtures

    def _uid(self, login):
        return self.xmlrpc_common.authenticate(self.env.cr.dbname, login, login, {})

    def test_every_step_answers_over_xmlrpc(self):
        fixtures = self._fixtures()
        args = fixtures["_args"]
        self.env.flush_all()
        uids = {}
        faults = []
        called = answered = 0
        for (model, method), roles in sorted(ACTIONS.items()):
            records = fixtures[model]
            record = records.get(method, records[None])
            role = sorted(roles)[0]
            user = self.users[role]
            if user.login not in uids:
                uids[user.login] = self._uid(user.login)
            call_args = [record.ids] + [
                _rpc_value(a) for a in args.get((model, method), ())
            ]
            # Tried, then rolled back whatever it did.
            with contextlib.suppress(_Rollback), self.env.cr.savepoint():
                try:
                    result = self.xmlrpc_object.execute_kw(
                        self.env.cr.dbname,
                        uids[user.login],
                        user.login,
                        model,
                        method,
                        call_args,
                        {"context": {"allowed_company_ids": self.company.ids}},
                    )
                    self.assertIsInstance(
                        result, (dict, bool), f"{model}.{method} returned {result!r}"
                    )
                    answered += 1
                except xmlrpc.client.Fault as fault:
                    if fault.faultCode not in REFUSALS:
                        faults.append(
                            f"{model}.{method} as {role}: "
                            f"{fault.faultString.strip().splitlines()[-1]}"
                        )
                called += 1
                raise _Rollback
            self.env.invalidate_all()
        self.assertEqual(called, len(ACTIONS))
        self.assertFalse(faults, "\n".join(faults))
        # Most steps went through on their fixture (the others said no for
        # a business reason): their answers were carried.
        self.assertGreater(answered, len(ACTIONS) // 2, answered)
