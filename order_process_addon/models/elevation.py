# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The named kinds of elevation of the Order Process (R35, issue 20).

Product code does not elevate with ``sudo`` itself: it says why it elevates,
through one of these helpers, so that a reader tells the deliberate
elevation from the accident. Each helper's documentation says what the
caller must have checked before; none of them checks a user (they add no
query), and ``process_write``/``process_create`` refuse, as a developer's
error, a record or field that is not the process's own.

========================  ====================================================
kind                      helpers
========================  ====================================================
the process writes        ``process_write``, ``process_create``,
its own records           ``as_process`` (after the step's ``_check_can_*``)
reading across            ``read_across`` (to notify, to compute, to check a
departments / companies   rule; what the user sees is the result, never the
                          elevated records)
the scheduled jobs        ``as_job`` (``ir.cron`` methods and what they start)
numbering                 ``next_number`` (``ir.sequence``)
the customer portal       ``portal_read`` (the customer's own documents, after
                          Odoo's portal access check)
mail and to-dos           ``as_messenger`` (posting, following, to-dos and
as the process            mails on documents the user may not write)
Odoo's settings kept      ``as_settings`` (groups, defaults, calendars, cron
in step                   triggers that follow the process's settings)
========================  ====================================================

TRUST (docs/TRUST.md): a step checks its role and the rules of its step in
``_check_can_<step>()``, then writes what it decided as the process, which
no RPC client can become; no context key opens the guard. Never pass a
client's values unchecked to an elevated create or write, and never return
elevated records to a client."""

ADDON = "order_process_addon"


def _refuse(records, what):
    raise AssertionError(
        f"{records._name}: {what} is not the Order Process's own; elevate it "
        "with the helper of its kind (models/elevation.py) or not at all."
    )


def _check_own_fields(records, names):
    """The process's own fields of ``records``: every field of a model of the
    addon; on Odoo's models, the fields the addon defines or extends, or the
    model's guard keeps for the process. No query."""
    if records._original_module == ADDON:
        return
    guard = getattr(records, "_op_guard", None)
    process = guard.process if guard is not None else frozenset()
    for name in names:
        field = records._fields.get(name)
        if field is None:
            _refuse(records, f"the field {name!r}")
        if (
            ADDON not in getattr(field, "_modules", ())
            and process != "__all__"
            and name not in process
        ):
            _refuse(records, f"the field {name!r}")


# ------------------------------------------------------------ the process
def as_process(records):
    """Kind "the process acts on its own records": ``records`` as the
    process, to take the rest of a step (call the step's own methods, drive
    Odoo's machinery the step asks for, write an Odoo field the step decides,
    e.g. a delivery's carrier or an order's commitment date, which
    ``process_write`` refuses) after the step checked its role and rules
    (``_check_can_<step>()``) as the user."""
    return records.sudo()


def process_write(records, vals):
    """Kind "the process writes its own records": write what the step
    decided (state, signer, dates, links) after ``_check_can_<step>()``
    checked the user's role and the step's rules. ``vals`` are the step's
    values, never a client's unchecked. Refuses a field that is not the
    process's own (a developer's error)."""
    _check_own_fields(records, vals)
    return records.sudo().write(vals)


def process_create(model, vals_list):
    """Kind "the process writes its own records": create records of the
    addon's models that a step decided (lines it computes, a release it
    records) after the step's check. Refuses a model that is not the
    addon's (a developer's error)."""
    if model._original_module != ADDON:
        _refuse(model, "the model")
    return model.sudo().create(vals_list)


# ------------------------------------------------------------ reading
def read_across(records):
    """Kind "reading across departments and companies": ``records`` as the
    process, to read what a user's role does not open (another department's
    documents, another company's settings, Odoo's documents behind a
    process document) in order to notify, compute or check a rule. The
    caller hands the user a result (a value, a decision, an error), never
    the elevated records, and writes nothing through them."""
    return records.sudo()


def portal_read(records):
    """Kind "the customer portal": the customer's own documents, read after
    Odoo's portal access check (``_document_check_access``, the access
    token, or the record being the portal user's own order) let them in;
    only what the portal shows is read."""
    return records.sudo()


# ------------------------------------------------------------ jobs
def as_job(records):
    """Kind "the scheduled jobs": ``records`` (usually a model) as the
    process inside an ``ir.cron`` method or what it starts (escalations,
    statistics, late-order analyses): no user is checked, the job acts for
    the company on what its domain finds."""
    return records.sudo()


# ------------------------------------------------------------ numbering
def next_number(env, code):
    """Kind "numbering": the next number of the sequence ``code`` of a
    document being created by a user the guard let create it."""
    return env["ir.sequence"].sudo().next_by_code(code)


# ------------------------------------------------------------ mail and to-dos
def as_messenger(records):
    """Kind "mail and to-dos as the process": ``records`` (documents, or the
    ``mail.activity``/``mail.mail`` model) as the process, to post a
    message, add followers, schedule or close to-dos, or send a mail that the
    step decided, on documents the user may read but not write. Only
    messaging goes through it, never a field of the document."""
    return records.sudo()


# ------------------------------------------------------------ settings
def as_settings(records):
    """Kind "Odoo's settings kept in step": ``records`` as the process to
    keep Odoo's configuration (group members, defaults, working calendars,
    a cron's trigger) in step with the process's settings or roles, after
    the settings step (or the install) checked the user may change them."""
    return records.sudo()
