"""Who's eating, who's little: the fields an answer and a profile share (how
many children, dietary needs and a note), and a gathering's word to parents.
Shape only; `services.at_table` decides."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from meetup.forms import Form, Limit, WholeNumberField, strip
from meetup.models import Children, Diet
from meetup.models.event import CHILDREN_LABELS
from meetup.models.user import DIET_LABELS
from meetup.services.at_table import MAX_CHILDREN, NOTE_LENGTH


def _value(value):
    """A choice's value from a stored enum member (obj= and copied forms) or text."""
    return value.value if isinstance(value, Children | Diet) else value


def children_field() -> SelectField:
    """What a gathering (or a series' dates) says to parents."""
    return SelectField(
        _l("Children"),
        choices=[SelectChoice(c.value, CHILDREN_LABELS[c]) for c in Children],
        default=Children.WELCOME.value,
        coerce=_value,
        validators=[Optional()],  # a form from before the choice: welcome
        description=_l(
            "Children are counted apart: they never take one of the places."
        ),
    )


def children_choice(field: SelectField) -> Children:
    return Children(field.data or Children.WELCOME.value)


class DietFields(Form):
    """Dietary needs and a note: on the answer, and remembered on the profile."""

    diets = SelectMultipleField(
        _l("Dietary needs"),
        choices=[SelectChoice(d.value, DIET_LABELS[d]) for d in Diet],
        coerce=_value,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        # No Optional(): it would wave through a "" that matches no choice.
        description=_l(
            "Offered with your next answer. The host sees what her guests eat; "
            "others going see only how many."
        ),
    )
    diet_note = StringField(
        _l("Anything else the host should know"),
        filters=[strip],
        validators=[Optional(), Limit(NOTE_LENGTH)],
        description=_l("For example: no pork, lactose intolerant."),
    )

    def diet_set(self) -> frozenset[Diet]:
        return frozenset(Diet(code) for code in self.diets.data or ())

    def remembered(self, user) -> None:
        """Show what she said last (a fresh form only)."""
        if not self.is_submitted():
            self.diets.data = [diet.value for diet in user.diets]
            self.diet_note.data = user.diet_note


class TableFields(DietFields):
    """An answer's children (counted apart from the places) and what her party eats."""

    children = WholeNumberField(
        _l("Children"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_CHILDREN)],
    )
