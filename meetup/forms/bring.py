"""The bring list's fields: the organisers' list on the gathering and series
forms, and a going member's claim on the gathering's page. Shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Optional, ValidationError

from meetup.errors import InvalidInput
from meetup.forms import Form, Limit
from meetup.services import bring_lists


def _one_thing_per_line(form, field) -> None:
    try:
        bring_lists.check(field.data or "")
    except InvalidInput as error:
        raise ValidationError(str(error)) from None


def bring_list_field() -> TextAreaField:
    return TextAreaField(
        _l("What to bring"),
        validators=[Optional(), Limit(bring_lists.LONGEST_LIST), _one_thing_per_line],
        description=_l("One per line. Add ×2 for two."),
        render_kw={"rows": 5, "placeholder": _l("Salad\nDessert ×2\nDrinks")},
    )


class BringForm(Form):
    """One tap on the list: claim a thing, take it back, or add one's own."""

    action = HiddenField(
        validators=[InputRequired(), AnyOf(("claim", "unclaim", "own"))]
    )
    thing = StringField(
        _l("Something else"),
        validators=[InputRequired(), Limit(bring_lists.LONGEST_THING)],
    )
    note = StringField(
        _l("A note (optional)"),
        validators=[Optional(), Limit(bring_lists.LONGEST_NOTE)],
    )
