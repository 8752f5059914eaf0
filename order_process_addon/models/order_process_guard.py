# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The one guard of the Order Process (R35-R37).

A model of the process declares its rules once, as data at its top
(``_op_guard = Guard(...)``); ``order.process.guard`` enforces them on
``create``, ``write`` and ``unlink``, and nowhere else:

- ``process``: the fields only the process's steps write (state, signatures,
  approvers, dates, links to other documents), or ``"__all__"``: no user
  gives them, on create (beyond their default) or on write;
- ``fixed``: given at creation, never changed afterwards;
- ``values``: ``{field: {values}}``, the only values a user gives a field
  (on create and write, and only while it holds one of them): e.g. Odoo's
  "mark as sent" of a quotation;
- ``create``: who may create a record (``Roles(...)``, or ``By(field,
  {value: Roles(...)})`` when it depends on a value, or the name of a
  method checking the values of a record to create, or a tuple of these);
  ``None``: Odoo's access rights decide;
- ``state`` (a field, a path, or the name of a method) and ``editable``:
  what may still change in which state, and by
  whom (``Editable(only=..., but=..., roles=..., check=...)``, or a tuple of
  them when different people write different fields); a state that is not
  listed is frozen; ``editable=None`` freezes nothing;
- ``deletable``: the states in which a record may be deleted (``None``: not
  the process's concern, Odoo decides; the default of the process's own
  documents is ``frozenset()``: never, they are voided);
- ``after_create``: the step's own check of a record a user creates as the
  step itself (a gate check, a carrier booking), run as that user;
- ``doors``: for Odoo's own documents (deliveries, their moves and move
  lines), whose fields Odoo's machinery writes as the user: the guard checks
  what a client asks (values, and the values inside its x2many commands);
  what Odoo's own stock methods then write, inside a *door*, follows from a
  request the guard (or the step) already checked.

The steps of the process check the role and the rules of their step
(``_check_can_<step>``), then write what they decided as the superuser
(the helpers of ``models/elevation.py``), which a client cannot become: no
context key opens the guard (a door is a Python context variable, which no
RPC value can set).

Bad values (R37) get a translated error before the ORM sees them: a date
that is not a date, a number that is not a number, a choice that is not
offered, a record that does not exist, a text over ``TEXT_LIMIT``
characters."""

import contextlib
import contextvars
import functools

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .elevation import next_number, read_across

# One documented limit for free text typed into a process document: a long
# note or requirement fits, a pasted file does not (R37).
TEXT_LIMIT = 20000

# Written by Odoo's chatter and activities on any document, whatever its state.
ALWAYS_WRITABLE = frozenset(
    {
        "message_main_attachment_id",
        "message_follower_ids",
        "message_ids",
        "activity_ids",
        "website_message_ids",
        "message_partner_ids",
    }
)


class Editable:
    """What may still change in one state: ``Editable(only={...})`` those
    fields and nothing else, ``Editable(but={...})`` every field but those;
    ``roles``: only the users of these roles (None: whoever Odoo lets write);
    ``check``: the name of a method of the record that raises when the user
    may not (e.g. "the plan's owner or a manager")."""

    __slots__ = ("only", "but", "roles", "check")

    def __init__(self, only=None, but=(), roles=None, check=None):
        self.only = None if only is None else frozenset(only)
        self.but = frozenset(but)
        self.roles = tuple(roles) if roles else None
        self.check = check

    def refused(self, names):
        names = set(names)
        if self.only is not None:
            return names - self.only
        return names & self.but

    def covers(self, names):
        return set(names) - self.refused(names)


ALL = Editable()
NOTHING = Editable(only=())
NOTES_ONLY = Editable(only={"notes"})


class Roles:
    """Who may create a record: the users of one of ``roles``."""

    __slots__ = ("roles",)

    def __init__(self, *roles):
        self.roles = roles


class By:
    """Who may create a record, by the value of one of its fields:
    ``By("kind", {"patrol": Roles("quality"), ...}, missing=...)``;
    ``missing(env)`` is the error when the value is none of them."""

    __slots__ = ("field", "choices", "missing")

    def __init__(self, field, choices, missing):
        self.field = field
        self.choices = choices
        self.missing = missing


class Guard:
    """The rules of a process model; see the module's documentation."""

    __slots__ = (
        "process",
        "fixed",
        "values",
        "create",
        "state",
        "editable",
        "deletable",
        "after_create",
        "doors",
    )

    def __init__(
        self,
        *,
        process=frozenset(),
        fixed=frozenset(),
        values=None,
        create=None,
        state="state",
        editable=None,
        deletable=frozenset(),
        after_create=None,
        doors=False,
    ):
        self.process = process if process == "__all__" else frozenset(process)
        self.fixed = frozenset(fixed)
        self.values = values or {}
        self.create = create if isinstance(create, tuple) else (create,)
        self.state = state
        self.editable = editable
        self.deletable = None if deletable is None else frozenset(deletable)
        self.after_create = after_create
        self.doors = doors


# ---------------------------------------------------------------- doors
_DOOR = contextvars.ContextVar("order_process_door", default=False)


@contextlib.contextmanager
def door():
    """Odoo's own machinery runs inside: what it writes on the documents
    guarded with ``doors`` follows from a request already checked."""
    token = _DOOR.set(True)
    try:
        yield
    finally:
        _DOOR.reset(token)


def in_door():
    return _DOOR.get()


def doorway(method):
    """Decorator of an override of Odoo's stock machinery (a private method
    no client calls directly): it runs inside a door."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with door():
            return method(self, *args, **kwargs)

    return wrapper


class OrderProcessGuard(models.AbstractModel):
    """Enforces the ``_op_guard`` of the model (see the module)."""

    _name = "order.process.guard"
    _description = "Order Process Guard"

    _op_guard = Guard(editable=None, deletable=None)

    # ------------------------------------------------------------ enforcement
    @api.model_create_multi
    def create(self, vals_list):
        guard = self._op_guard
        checked = not self.env.su and not (guard.doors and in_door())
        if checked:
            for vals in vals_list:
                if self._op_guarded_vals(vals):
                    self._op_check_values(vals)
                    self._op_check_create(vals)
        for vals in vals_list:
            self._op_complete_vals(vals)
        if checked and guard.doors:
            with door():
                records = super().create(vals_list)
        else:
            records = super().create(vals_list)
        if not self.env.su:
            records._op_check_created()
        return records

    def write(self, vals):
        guard = self._op_guard
        if self.env.su or (guard.doors and in_door()):
            return super().write(vals)
        guarded = self._op_guarded()
        if guarded:
            guarded._op_check_values(vals)
            guarded._op_check_write(vals)
        if guard.doors:
            with door():
                return super().write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_process_record(self):
        guard = self._op_guard
        if guard.deletable is None or (guard.doors and in_door()):
            # Kept even from the superuser; Odoo's stock machinery (merging
            # and cleaning moves) runs inside doors.
            return
        kept = self._op_guarded().filtered(
            lambda r: r._op_state() not in guard.deletable
        )
        if kept:
            raise UserError(
                self.env._(
                    "%(records)s: documents of the Order Process are voided or "
                    "cancelled, never deleted (R35).",
                    records=", ".join(kept.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ scope hooks
    def _op_guarded(self):
        """The records the guard applies to (hook): all of them."""
        return self

    def _op_guarded_vals(self, vals):
        """Whether a record created with ``vals`` is guarded (hook)."""
        return True

    def _op_complete_vals(self, vals):
        """What the process itself gives a new record (hook), after the
        client's values were checked: its number, its author, its company."""

    # ------------------------------------------------------------ create
    def _op_check_create(self, vals):
        """Who may create it, and nothing the process decides comes from the
        client: a process field is given at most with its default (an empty
        value, the first state). x2many commands of a guarded-with-doors
        document are checked as their own creates and writes."""
        self._op_check_create_role(vals)
        given = {
            name
            for name in self._op_process_field_names().intersection(vals)
            if not self._op_is_default(name, vals[name])
        }
        if given:
            self._op_refuse_process_fields(given)
        if self._op_guard.doors:
            self._op_check_commands(vals)

    def _op_check_create_role(self, vals):
        for rule in self._op_guard.create:
            if isinstance(rule, By):
                choice = rule.choices.get(vals.get(rule.field))
                if choice is None:
                    raise UserError(rule.missing(self.env))
                rule = choice
            if isinstance(rule, Roles):
                self._op_check_role(*rule.roles)
            elif isinstance(rule, str):
                getattr(self, rule)(vals)
        self._op_check_allowed_values(vals)

    def _op_check_allowed_values(self, vals, records=None):
        """The guard's ``values``: a field a user gives only some values,
        and only while it holds one of them."""
        for name, allowed in self._op_guard.values.items():
            if name not in vals:
                continue
            current = set((records or self.browse()).mapped(name))
            if vals[name] not in allowed or not current <= set(allowed):
                self._op_refuse_process_fields({name})

    def _op_check_created(self):
        """After creation: the step's own check of what the user created."""
        check = self._op_guard.after_create
        if check:
            for record in self:
                getattr(record, check)()

    def _op_is_default(self, name, value):
        field = self._fields[name]
        if not value:
            return True
        if field.type in ("one2many", "many2many"):
            return False
        if field.default is None:
            return False
        default = field.default(self)
        if isinstance(default, models.BaseModel):
            default = default.id
        return value == default

    # ------------------------------------------------------------ write
    def _op_check_write(self, vals):
        names = set(vals) - ALWAYS_WRITABLE
        if not self or not names:
            return
        guard = self._op_guard
        process = names & self._op_process_field_names()
        if process:
            self._op_refuse_process_fields(process)
        self._op_check_allowed_values(vals, records=self)
        fixed = names & guard.fixed
        if fixed:
            raise UserError(
                self.env._(
                    "%(fields)s of %(document)s are given when it is created and "
                    "do not change afterwards.",
                    fields=self._op_field_names(fixed),
                    document=self._description,
                )
            )
        if guard.editable is not None:
            for record in self:
                record._op_check_editable(names)
        if guard.doors:
            self._op_check_commands(vals)

    def _op_check_editable(self, names):
        """``names`` may change in the record's state, by this user."""
        self.ensure_one()
        rules = self._op_guard.editable.get(self._op_state(), NOTHING)
        if isinstance(rules, Editable):
            rules = (rules,)
        left = set(names)
        not_theirs = set()
        for rule in rules:
            covered = rule.covers(left)
            if not covered:
                continue
            if rule.roles and not self._op_has_role(*rule.roles):
                not_theirs |= covered
                continue
            if rule.check:
                getattr(self, rule.check)()
            left -= covered
        if left & not_theirs:
            roles = {r for rule in rules if rule.roles for r in rule.roles}
            self._op_check_role(*sorted(roles))
        if left:
            raise UserError(
                self.env._(
                    "%(record)s is %(state)s: %(fields)s can no longer change.",
                    record=self.display_name,
                    state=self._op_state_label(),
                    fields=self._op_field_names(left),
                )
            )

    def _op_check_commands(self, vals):
        """The x2many commands a client sends with a document guarded with
        doors are checked as the creates, writes and deletes they are, on
        the comodel's own guard, before Odoo applies them inside a door."""
        Command = fields.Command
        for name, value in vals.items():
            field = self._fields.get(name)
            if not field or field.type not in ("one2many", "many2many"):
                continue
            comodel = self.env[field.comodel_name]
            if not isinstance(comodel, self.pool["order.process.guard"]):
                continue
            one2many = field.type == "one2many"
            for command in value or ():
                if not isinstance(command, (list, tuple)) or not command:
                    continue
                code = command[0]
                if code == Command.CREATE:
                    sub = dict(command[2] or {})
                    if one2many:
                        for record in self[:1]:
                            sub.setdefault(field.inverse_name, record.id)
                    if comodel._op_guarded_vals(sub):
                        comodel._op_check_values(sub)
                        comodel._op_check_create(sub)
                elif code == Command.UPDATE:
                    comodel.browse(command[1])._op_guarded()._op_check_write_vals(
                        command[2] or {}
                    )
                elif code == Command.LINK and one2many:
                    comodel.browse(command[1])._op_guarded()._op_check_write_vals(
                        {field.inverse_name: self[:1].id}
                    )
                elif code == Command.DELETE or (one2many and code == Command.UNLINK):
                    comodel.browse(command[1])._op_guarded()._op_check_deletable()
                elif one2many and code in (Command.SET, Command.CLEAR):
                    kept = command[2] if code == Command.SET else []
                    gone = self[name].filtered(lambda r, kept=kept: r.id not in kept)
                    gone._op_guarded()._op_check_deletable()

    def _op_check_write_vals(self, vals):
        """The guard's checks of a write of ``vals`` (values, then rules),
        without writing."""
        if self:
            self._op_check_values(vals)
            self._op_check_write(vals)

    def _op_check_deletable(self):
        """What a delete of these records would be refused for (as
        ``unlink`` does), before any command is applied."""
        self._unlink_except_process_record()

    # ------------------------------------------------------------ helpers
    def _op_state(self):
        """The state that decides what may change (the guard's ``state``, a
        field or a path such as ``order_id.op_state``)."""
        self.ensure_one()
        path = self._op_guard.state
        if not path:
            return False
        if path.startswith("_"):
            return getattr(self, path)()
        values = read_across(self).mapped(path)
        return values[0] if values else False

    def _op_state_label(self):
        self.ensure_one()
        path = self._op_guard.state
        if not path:
            return ""
        if path.startswith("_"):
            path = "state"
        model = self
        *steps, last = path.split(".")
        for name in steps:
            model = self.env[model._fields[name].comodel_name]
        field = model._fields[last]
        value = self._op_state()
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        return str(value)

    def _op_field_names(self, names):
        return ", ".join(
            self._fields[name].get_description(self.env)["string"]
            for name in sorted(names)
            if name in self._fields
        )

    def _op_process_field_names(self):
        """The guard's ``process``, or every field but the chatter's when it
        is ``"__all__"``: a record only the process writes."""
        process = self._op_guard.process
        if process == "__all__":
            return frozenset(self._fields) - ALWAYS_WRITABLE
        return process

    def _op_refuse_process_fields(self, names):
        raise AccessError(
            self.env._(
                "%(document)s: %(fields)s only change through the steps of "
                "the Order Process (its buttons), never by direct writing.",
                fields=self._op_field_names(names),
                document=self._description,
            )
        )

    def _op_has_role(self, *roles):
        if self.env.su:
            return True
        user = self.env.user
        return any(user.has_group(f"order_process_addon.group_{r}") for r in roles)

    def _op_check_role(self, *roles):
        if not self._op_has_role(*roles):
            names = ", ".join(
                self.env.ref(f"order_process_addon.group_{r}").name for r in roles
            )
            raise AccessError(self.env._("Only %(roles)s may do this.", roles=names))

    def _op_lock(self):
        """Row lock on these records: concurrent steps on them (e.g. the
        decisions of one order's reviews, R10) wait in turn."""
        self.env.execute_query(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids) or (0,),
            )
        )

    # ------------------------------------------------------------ numbers
    def _op_assign_name(self, vals):
        """The document number from the sequence of the model's name (D3/,
        D4/, D7/...), whatever the client sent."""
        vals["name"] = next_number(self.env, self._name) or self.env._("New")

    def _op_check_not_submitter(self):
        """R13, R37: who approves or signs is not who submitted, even when
        one user holds both roles (segregation of duties)."""
        for record in self:
            if record.submitted_by_id == self.env.user:
                raise UserError(
                    self.env._(
                        "%(document)s was submitted by you: someone else approves "
                        "it (R13, R37).",
                        document=record.display_name,
                    )
                )
