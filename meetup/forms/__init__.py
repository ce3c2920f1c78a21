"""Flask-WTF forms: they check shape only; services decide the rules.

POST-only buttons need no form class: CSRFProtect checks every POST, and the
`post_button` macro puts the token in.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FloatField, IntegerField
from wtforms.validators import NumberRange, Optional


class WholeNumberField(IntegerField):
    """A whole number of at most nine digits. Longer ones are refused here:
    WTForms' NumberRange turns a 4,000-digit number into a float and fails."""

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip()) > 9:
            self.data = None
            raise ValueError(_("Enter a smaller number."))
        super().process_formdata(valuelist)


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
