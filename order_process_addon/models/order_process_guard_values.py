# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Bad input (R37): the values a client sends to a process document or a
step get a clear, translated error before the ORM sees them, and change
nothing: a date that is not a date, a number that is not a number, a choice
that is not offered, a record that does not exist, a text over
``TEXT_LIMIT`` characters."""

from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from .elevation import read_across
from .order_process_guard import TEXT_LIMIT


class OrderProcessGuard(models.AbstractModel):
    _inherit = "order.process.guard"

    # ------------------------------------------------------------ values (R37)
    def _op_check_values(self, vals):
        """Each value a client sends is of its field's kind, or a translated
        error before the ORM sees it (no traceback, nothing changed)."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is False or value is None:
                continue
            error = self._op_value_error(field, value)
            if error:
                raise ValidationError(
                    self.env._(
                        "%(field)s: %(error)s",
                        field=field.get_description(self.env)["string"],
                        error=error,
                    )
                )

    def _op_value_error(self, field, value):
        """What is wrong with ``value`` for ``field`` (a translated text), or
        None."""
        check = {
            "date": self._op_date_error,
            "datetime": self._op_date_error,
            "integer": self._op_number_error,
            "float": self._op_number_error,
            "monetary": self._op_number_error,
            "selection": self._op_selection_error,
            "many2one": self._op_record_error,
            "char": self._op_text_error,
            "text": self._op_text_error,
            "html": self._op_text_error,
        }.get(field.type)
        return check(field, value) if check else None

    def _op_shown(self, value):
        return repr(value)[:40]

    def _op_date_error(self, field, value):
        if isinstance(value, (date, datetime)):
            return None
        try:
            if field.type == "date":
                fields.Date.to_date(value)
            else:
                fields.Datetime.to_datetime(value)
        except (ValueError, TypeError):
            return self.env._("%(value)s is not a date.", value=self._op_shown(value))
        return None

    def _op_number_error(self, field, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.env._("%(value)s is not a number.", value=self._op_shown(value))
        if field.type == "integer" and not isinstance(value, int):
            return self.env._(
                "%(value)s is not a whole number.", value=self._op_shown(value)
            )
        return None

    def _op_selection_error(self, field, value):
        allowed = dict(field._description_selection(self.env))
        if value in allowed:
            return None
        return self.env._(
            "%(value)s is not one of the choices (%(choices)s).",
            value=self._op_shown(value),
            choices=", ".join(allowed.values()),
        )

    def _op_record_error(self, field, value):
        if isinstance(value, models.BaseModel):
            value = value.id
        if isinstance(value, bool) or not isinstance(value, int):
            return self.env._("%(value)s is not a record.", value=self._op_shown(value))
        if not read_across(self.env[field.comodel_name]).browse(value).exists():
            return self.env._(
                "no %(model)s with the id %(id)s.",
                model=self.env[field.comodel_name]._description,
                id=value,
            )
        return None

    def _op_text_error(self, field, value):
        if not isinstance(value, str):
            return self.env._("%(value)s is not a text.", value=self._op_shown(value))
        if len(value) > TEXT_LIMIT:
            return self.env._(
                "%(length)s characters; at most %(limit)s.",
                length=len(value),
                limit=TEXT_LIMIT,
            )
        return None

    # ------------------------------------------------------------ step parameters
    # What a step takes from the client (a reason, a date, a quantity) is
    # read through these: a translated error for what is not of its kind.
    def _op_text(self, value):
        """A text a user gives a step (a reason, a comment), stripped; ""
        when none."""
        if value is None or value is False:
            return ""
        error = self._op_text_error(None, value)
        if error:
            raise ValidationError(error)
        return value.strip()

    def _op_date(self, value, label):
        """A date a user gives a step (a date or "YYYY-MM-DD"), or False."""
        if not value:
            return False
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return fields.Date.to_date(value)
        except (ValueError, TypeError):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not a date.",
                    field=label,
                    value=self._op_shown(value),
                )
            ) from None

    def _op_number(self, value, label):
        """A quantity a user gives a step."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not a number.",
                    field=label,
                    value=self._op_shown(value),
                )
            )
        return value

    def _op_check_commitment(self, committed_date, date_order):
        """R37: a committed delivery date is given, neither in the past nor
        before the order's date ``date_order`` (the answer, a review that
        records the date, a change of the committed date)."""
        today = fields.Date.context_today(self)
        if not committed_date:
            raise UserError(self.env._("Give the committed delivery date."))
        if committed_date < today:
            raise UserError(
                self.env._(
                    "The committed date %(date)s is in the past.", date=committed_date
                )
            )
        if date_order and committed_date < fields.Date.to_date(date_order):
            raise UserError(
                self.env._(
                    "The committed date %(date)s is before the order date.",
                    date=committed_date,
                )
            )
