"""Flask-WTF forms: they check shape only; services decide the rules.

POST-only buttons need no form class: CSRFProtect checks every POST, and the
`post_button` macro puts the token in. Every form class subclasses `Form`.
"""

from flask import request
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from wtforms import FloatField, IntegerField
from wtforms.validators import NumberRange, Optional, ValidationError

_POSTED = object()


def posted() -> MultiDict | None:
    """What a form reads from this request: the posted form fields, or None when
    none were posted. Never a JSON body: Flask-WTF would read one, past the NUL
    guard and the sign-in limit; so they all read this (views/errors.py refuses
    a body that is not a form)."""
    if request.method in SUBMIT_METHODS and (request.form or request.files):
        # Uploaded files too (a cover picture), never a JSON body.
        return CombinedMultiDict([request.form, request.files])
    return None


class Form(FlaskForm):
    """The base of every form: filled from `posted()` unless given formdata."""

    def __init__(self, formdata=_POSTED, **kwargs):
        super().__init__(formdata=posted() if formdata is _POSTED else formdata,
                         **kwargs)  # fmt: skip


class WholeNumberField(IntegerField):
    """A whole number of at most nine digits. Longer ones are refused here:
    WTForms' NumberRange turns a 4,000-digit number into a float and fails."""

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip()) > 9:
            self.data = None
            raise ValueError(_("Enter a smaller number."))
        super().process_formdata(valuelist)


class Limit:
    """At most `most` characters. The form says so by the field before it bites
    (the `limit` flag: macros/forms.html) and refuses more with a message, all of
    the text kept; never an HTML maxlength, which cuts pasted text without a word.
    """

    def __init__(self, most: int):
        self.most = most
        self.field_flags = {"limit": most}

    def __call__(self, form, field) -> None:
        length = len(field.data or "")
        if length > self.most:
            raise ValidationError(
                _(
                    "That is %(length)s characters; up to %(most)s fit here. "
                    "Shorten it a little: everything you typed is kept.",
                    length=format_number(length),
                    most=format_number(self.most),
                )
            )


def strip(value):
    """Surrounding spaces never count: "   " is not a name."""
    return value.strip() if isinstance(value, str) else value


def add_scheme(value):
    """People paste "facebook.com/groups/x"; we know they mean https://."""
    value = strip(value)
    if value and "://" not in value and "." in value:
        return "https://" + value
    return value


def check_pin(form) -> bool:
    """Coordinates come as a pair: a latitude alone is no place."""
    if (form.latitude.data is None) != (form.longitude.data is None):
        missing = form.longitude if form.longitude.data is None else form.latitude
        missing.errors.append(_("Give both latitude and longitude, or neither."))
        return False
    return True


def latitude_field() -> FloatField:
    return FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])


def longitude_field() -> FloatField:
    return FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
