"""Forms for a series, the host's "Where?" and an organiser's choice of host:
shape only; they hand the services typed details."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from meetup.forms import Form, WholeNumberField, strip
from meetup.forms.bring import bring_list_field
from meetup.forms.events import MAX_CAPACITY, MAX_GUESTS, WhoComesFields
from meetup.models import EventVisibility, Rule, VenueType
from meetup.models.event import VENUE_LABELS
from meetup.services.rota import Place
from meetup.services.series import SeriesDetails

WHICH = [
    SelectChoice(1, _l("first")), SelectChoice(2, _l("second")),
    SelectChoice(3, _l("third")), SelectChoice(4, _l("fourth")),
    SelectChoice(-1, _l("last")),
]  # fmt: skip
LENGTHS = [
    SelectChoice(60, _l("1 hour")), SelectChoice(90, _l("1½ hours")),
    SelectChoice(120, _l("2 hours")), SelectChoice(150, _l("2½ hours")),
    SelectChoice(180, _l("3 hours")), SelectChoice(240, _l("4 hours")),
]  # fmt: skip


def _venue_choices():
    return [SelectChoice(v.value, VENUE_LABELS[v]) for v in VenueType]


class PlaceFields(Form):
    venue_type = SelectField(
        _l("Kind of place"), choices=_venue_choices(), default=VenueType.HOME.value,
        validators=[InputRequired()],
        description=_l("At a home, the address is shown only to the host, the "
                       "organisers and people who are going."),
    )  # fmt: skip
    venue_name = StringField(
        _l("Name of the place"), filters=[strip],
        validators=[Optional(), Length(max=120)],
        description=_l("Up to 120 characters, e.g. Fiona's flat."),
    )  # fmt: skip
    address = StringField(
        _l("Street address"), filters=[strip], validators=[Optional(), Length(max=300)],
        render_kw={"autocomplete": "street-address"},
    )  # fmt: skip
    area = StringField(
        _l("Area shown to everyone"), filters=[strip],
        validators=[Optional(), Length(max=120)],
        description=_l("Neighbourhood and city, e.g. Stockbridge, Edinburgh."),
    )  # fmt: skip
    access_notes = TextAreaField(
        _l("Getting in"), validators=[Optional(), Length(max=2_000)],
        description=_l("Which bell to ring, stairs, parking, pets."),
    )  # fmt: skip


class HostPlaceForm(PlaceFields):
    def validate(self, extra_validators=None) -> bool:
        fields_ok = super().validate(extra_validators)
        if self.venue_type.data == VenueType.HOME.value and not self.address.data:
            self.address.errors.append(
                _l("A home needs its street address. Only the host, the organisers "
                   "and people who are going will see it.")
            )  # fmt: skip
            return False
        return fields_ok

    def place(self) -> Place:
        return Place(
            venue_type=VenueType(self.venue_type.data),
            venue_name=self.venue_name.data or "",
            address=self.address.data or "",
            area=self.area.data or "",
            access_notes=self.access_notes.data or "",
        )


class SeriesForm(PlaceFields, WhoComesFields):
    title = StringField(
        _l("Name"), filters=[strip],
        validators=[DataRequired(_l("Give the series a name.")), Length(max=120)],
        description=_l("Up to 120 characters, e.g. Book night."),
    )  # fmt: skip
    description = TextAreaField(
        _l("Details"), validators=[Optional(), Length(max=10_000)],
        description=_l("What to expect, what to bring. Every date starts with it."),
    )  # fmt: skip
    rule = RadioField(
        _l("How often"),
        choices=[
            SelectChoice(Rule.MONTHLY_WEEKDAY.value, _l("Monthly, on a weekday")),
            SelectChoice(Rule.WEEKLY.value, _l("Every week or every few weeks")),
            SelectChoice(Rule.MONTHLY_DAY.value, _l("Monthly, on a date")),
        ],
        default=Rule.MONTHLY_WEEKDAY.value, validators=[InputRequired()],
    )  # fmt: skip
    week_of_month = SelectField(
        _l("Which one"), choices=WHICH, coerce=int, default=1,
        validators=[InputRequired()],
    )  # fmt: skip
    weekday = SelectField(
        _l("Weekday"), coerce=int, default=3, validators=[InputRequired()],
        choices=[],  # in the reader's language, from Babel: see views.series
    )  # fmt: skip
    every_weeks = SelectField(
        _l("Every how many weeks"), coerce=int, default=1,
        choices=[SelectChoice(n, str(n)) for n in range(1, 9)],
        validators=[InputRequired()],
    )  # fmt: skip
    day_of_month = WholeNumberField(
        _l("Day of the month"), default=1,
        validators=[InputRequired(), NumberRange(min=1, max=28)],
        description=_l("1 to 28: every month has them."),
    )  # fmt: skip
    starts_on = DateField(
        _l("From"), default=date.today, validators=[InputRequired()],
        description=_l("No date before this one."),
    )  # fmt: skip
    start_time = TimeField(_l("Starts at"), validators=[InputRequired()])
    minutes = SelectField(
        _l("Lasts"), choices=LENGTHS, coerce=int, default=150,
        validators=[InputRequired()],
    )  # fmt: skip
    is_rota = RadioField(
        _l("Who hosts"),
        choices=[
            SelectChoice("rota", _l("Members take turns: each date waits for a host")),
            SelectChoice("fixed", _l("The same host and place every time")),
        ],
        default="rota", validators=[InputRequired()],
    )  # fmt: skip
    host_id = SelectField(_l("Host"), coerce=int, validators=[Optional()])
    capacity = WholeNumberField(
        _l("Places, including the host"),
        validators=[Optional(), NumberRange(min=1, max=MAX_CAPACITY)],
        description=_l("Leave empty for no limit."),
    )  # fmt: skip
    max_guests = WholeNumberField(
        _l("Guests per member"), default=0,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_GUESTS)],
    )  # fmt: skip
    question = StringField(
        _l("A question for people who RSVP"), filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("Up to 200 characters, e.g. “What will you bring?”"),
    )  # fmt: skip
    bring_list = bring_list_field()
    visibility = RadioField(
        _l("Who can see the dates"),
        choices=[
            SelectChoice(EventVisibility.PUBLIC.value,
                         _l("Anyone who can see the group")),
            SelectChoice(EventVisibility.MEMBERS.value,
                         _l("Members of the group only")),
        ],
        default=EventVisibility.PUBLIC.value, validators=[InputRequired()],
    )  # fmt: skip
    horizon = SelectField(
        _l("Dates open ahead"), coerce=int, default=3,
        choices=[SelectChoice(n, str(n)) for n in range(1, 7)],
        validators=[InputRequired()],
    )  # fmt: skip

    def details(self) -> SeriesDetails:
        fixed = self.is_rota.data == "fixed"
        return SeriesDetails(
            title=self.title.data,
            description=self.description.data or "",
            rule=Rule(self.rule.data),
            every_weeks=self.every_weeks.data,
            weekday=self.weekday.data,
            week_of_month=self.week_of_month.data,
            day_of_month=self.day_of_month.data,
            starts_on=self.starts_on.data,
            start_time=self.start_time.data,
            minutes=self.minutes.data,
            is_rota=not fixed,
            host_id=self.host_id.data if fixed else None,
            horizon=self.horizon.data,
            venue_type=VenueType(self.venue_type.data),
            venue_name=(self.venue_name.data or "") if fixed else "",
            address=(self.address.data or "") if fixed else "",
            area=(self.area.data or "") if fixed else "",
            access_notes=(self.access_notes.data or "") if fixed else "",
            capacity=self.capacity.data,
            max_guests=self.max_guests.data,
            question=self.question.data or "",
            bring_list=self.bring_list.data or "",
            visibility=EventVisibility(self.visibility.data),
            **self.who_comes(),
        )


class HostSlotForm(Form):
    """A date's host slot: claim it, give it up, or (organisers) give it to a
    member; whether she is one is the rota's to say."""

    do = HiddenField(validators=[AnyOf(("claim", "give-up", "assign"))])
    user_id = SelectField(_l("Host"), coerce=int, choices=[], validate_choice=False,
                          validators=[Optional()])  # fmt: skip
