"""Forms for events and RSVPs: shape only; times are turned into UTC here, and
the event form hands the service an EventDetails."""

from __future__ import annotations

import enum
import re
from datetime import datetime, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
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

from meetup import times
from meetup.forms import (
    Form,
    Limit,
    WholeNumberField,
    check_pin,
    latitude_field,
    longitude_field,
    strip,
)
from meetup.forms.auth import email_field
from meetup.forms.bring import bring_list_field
from meetup.forms.groups import timezone_choices
from meetup.forms.table import TableFields, children_choice, children_field
from meetup.models import Admission, Event, EventVisibility, GuestList, VenueType
from meetup.models.event import VENUE_LABELS
from meetup.services.events import EventDetails

LAT_LON = re.compile(r"\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*")
MAX_CAPACITY = 10_000
MAX_GUESTS = 20
#: How long a gathering lasts when the organiser gives no end.
USUAL_LENGTH = timedelta(hours=2, minutes=30)


def enum_value(value):
    """A radio's value from a stored enum member (obj= and copied forms) or text."""
    return value.value if isinstance(value, enum.Enum) else value


class WhoComesFields(Form):
    """Who gets in, when the street is shown, who sees who's going: the host's
    say over her own home, on a gathering and on a series alike."""

    admission = RadioField(
        _l("Who gets in"),
        choices=[
            SelectChoice(Admission.ANYONE.value, _l("Anyone in the group")),
            SelectChoice(Admission.NEWCOMERS.value, _l("I'll approve newcomers")),
            SelectChoice(Admission.EACH.value, _l("I'll approve each person")),
        ],
        default=Admission.ANYONE.value,
        coerce=enum_value,
        validators=[Optional()],  # a form from before the choice: the default
        description=_l(
            "A newcomer hasn't been to one of the group's gatherings yet. People "
            "waiting for your yes get no place and no address."
        ),
    )
    street_day_before = BooleanField(
        _l("Share the street only the day before"),
        description=_l(
            "At a home: people going see the area until 24 hours before the "
            "start, then the street, which their reminder carries."
        ),
    )
    guest_list = RadioField(
        _l("Who sees who's going"),
        choices=[
            SelectChoice(GuestList.MEMBERS.value, _l("Members: names")),
            SelectChoice(GuestList.GOING.value, _l("Only people going: names")),
            SelectChoice(GuestList.COUNT.value, _l("Nobody: only how many")),
        ],
        default=GuestList.MEMBERS.value,
        coerce=enum_value,
        validators=[Optional()],  # a form from before the choice: the default
        description=_l("The host and organisers always see the list."),
    )
    children = children_field()

    def suggest_for(self, group) -> None:
        """A new form in a public group suggests approving newcomers at a home
        (the first kind of place; the page's script follows a change of kind)."""
        at_home = getattr(self, "venue_type", None)
        if at_home is not None and at_home.data not in (None, VenueType.HOME.value):
            return
        if not group.is_private and not self.is_submitted():
            self.admission.data = Admission.NEWCOMERS.value

    def who_comes(self) -> dict:
        return {
            "admission": Admission(self.admission.data or Admission.ANYONE.value),
            "street_day_before": bool(self.street_day_before.data),
            "guest_list": GuestList(self.guest_list.data or GuestList.MEMBERS.value),
            "children": children_choice(self.children),
        }


class EventForm(WhoComesFields):
    #: One-time token, made when the empty form is shown: see events.create_event.
    once = HiddenField(validators=[Optional(), Length(max=32)])
    #: A series date only: change it alone, or it and the dates after it.
    scope = RadioField(
        _l("Change"),
        choices=[
            SelectChoice("alone", _l("This date only")),
            SelectChoice("following", _l("This and following dates")),
        ],
        default="alone",
        validators=[Optional()],
    )
    title = StringField(
        _l("What's happening"),
        filters=[strip],
        validators=[DataRequired(_l("Give the gathering a name.")), Limit(120)],
    )
    description = TextAreaField(
        _l("Details"),
        validators=[Optional(), Limit(10_000)],
        description=_l(
            "What to expect, what to bring. A blank line starts a paragraph."
        ),
    )
    venue_type = SelectField(
        _l("Kind of place"),
        choices=[SelectChoice(v.value, VENUE_LABELS[v]) for v in VenueType],
        validators=[InputRequired()],
        description=_l(
            "At a home, the address is shown only to the host, the organisers "
            "and people who are going. Everyone else sees the area."
        ),
    )
    venue_name = StringField(
        _l("Name of the place"),
        validators=[Optional(), Limit(120)],
        description=_l("e.g. Maria's flat, St Columba's church hall, The Vine."),
    )
    address = StringField(
        _l("Street address"), validators=[Optional(), Limit(300)],
        render_kw={"autocomplete": "street-address"},
    )  # fmt: skip
    area = StringField(
        _l("Area shown to everyone"),
        validators=[Optional(), Limit(120)],
        description=_l("Neighbourhood and city, e.g. Stockbridge, Edinburgh."),
    )
    #: Where the pin is, when that is another town than the area says; the
    #: organiser then chooses (`area_choice`) which one people see.
    found_area = HiddenField(validators=[Optional(), Limit(300)])
    area_choice = RadioField(
        _l("Which area should people see?"),
        # The labels name both areas: templates/events/form.html writes them.
        choices=[SelectChoice("typed", "typed"), SelectChoice("found", "found")],
        validators=[Optional()],
    )  # fmt: skip
    access_notes = TextAreaField(
        _l("Getting in"),
        validators=[Optional(), Limit(2_000)],
        description=_l(
            "Parking, stairs, which bell to ring, step-free access, "
            "whether children or pets are welcome."
        ),
    )
    starts_at = DateTimeLocalField(_l("Starts"), validators=[InputRequired()])
    #: Empty: USUAL_LENGTH after the start (the page says so under the pair).
    ends_at = DateTimeLocalField(_l("Ends"), validators=[Optional()])
    timezone = SelectField(
        _l("Time zone"), choices=timezone_choices, validators=[InputRequired()]
    )
    capacity = WholeNumberField(
        _l("Places, including the host"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message=_l("Enter 1 to 10,000 places, or leave it empty for no limit."),
            ),
        ],
        description=_l(
            "The host, members and their guests together. Leave empty for no limit."
        ),
    )
    max_guests = WholeNumberField(
        _l("Guests per member"),
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_GUESTS)],
    )
    rsvp_deadline = DateTimeLocalField(
        _l("RSVPs close"),
        validators=[Optional()],
        description=_l("Leave empty to take answers until it starts."),
    )
    visibility = RadioField(
        _l("Who can see it"),
        choices=[
            SelectChoice(
                EventVisibility.PUBLIC.value, _l("Anyone who can see the group")
            ),
            SelectChoice(
                EventVisibility.MEMBERS.value, _l("Members of the group only")
            ),
        ],
        default=EventVisibility.PUBLIC.value,
        validators=[InputRequired()],
    )
    host_id = SelectField(_l("Host"), coerce=int, validators=[InputRequired()])
    latitude = latitude_field()
    longitude = longitude_field()
    question = StringField(
        _l("A question for people who RSVP"),
        validators=[Optional(), Limit(200)],
        description=_l("Optional, e.g. “What will you bring?” or “Any dietary needs?”"),
    )
    bring_list = bring_list_field()
    #: Publishing a new gathering: announce it by mail (unticked: quietly).
    tell_members = BooleanField(
        _l("Tell members now"),
        default=True,
        description=_l("Members who asked for news of new gatherings get an email."),
    )
    #: The second button: kept for the organisers, in no list, feed or mail.
    save_draft = SubmitField(_l("Save as draft"))
    #: Editing: new words go to those going, with their calendar's copy.
    minor = BooleanField(
        _l("Only a small fix: don't mail the people going"),
        description=_l("For a typo in the details or the getting-in notes. A new "
                       "time or place is always sent."),
    )  # fmt: skip

    def validate(self, extra_validators=None) -> bool:
        """Every field, then the times (real in their zone, in order) and the
        address of a home, so that all problems show at once."""
        fields_ok = super().validate(extra_validators)
        home = self.venue_type.data == VenueType.HOME.value
        if home and not self.address.data:
            self.address.errors.append(
                _(
                    "A home needs its street address. Only the host, the organisers "
                    "and people who are going will see it."
                )
            )
        if self.found_area.data and not self.area_choice.data:
            self.area.errors.append(self._which_area())
        times_ok = self._check_times()
        pin_ok = check_pin(self)
        return (
            fields_ok and times_ok and pin_ok
            and not self.address.errors and not self.area.errors
        )  # fmt: skip

    def offer_area(self, found: str, asking: bool = False) -> None:
        """Ask which area people see: the one in the form, or `found`, where the
        pin is ("": nothing to ask). `asking`: the organiser tried to save."""
        self.found_area.data, self.found_area.raw_data = found, None
        self.area_choice.data, self.area_choice.raw_data = None, None
        if found and asking:
            self.area.errors = [*self.area.errors, self._which_area()]

    def asked_area(self) -> str:
        """The found area the organiser already chose about ("" if none)."""
        return (self.found_area.data or "") if self.area_choice.data else ""

    def _which_area(self) -> str:
        return _(
            "The pin is in %(found)s: choose which area people see.",
            found=self.found_area.data,
        )

    def _check_times(self) -> bool:
        timed = (self.starts_at, self.ends_at, self.rsvp_deadline, self.timezone)
        if any(field.errors for field in timed) or not self.starts_at.data:
            return False
        self.utc: dict[str, datetime | None] = {}
        for field in timed[:3]:
            try:
                self.utc[field.name] = (
                    times.to_utc(field.data, self.timezone.data) if field.data else None
                )
            except times.NonexistentTime as error:
                field.errors.append(_skipped(error))
                return False
        if self.utc["ends_at"] is None:
            self.utc["ends_at"] = self.utc["starts_at"] + USUAL_LENGTH
        if self.utc["ends_at"] <= self.utc["starts_at"]:
            self.ends_at.errors.append(_("The end must come after the start."))
            return False
        if self.utc["ends_at"] - self.utc["starts_at"] > Event.LONGEST:
            self.ends_at.errors.append(
                _(
                    "A gathering lasts %(days)d days at most. For longer, plan one "
                    "a day.",
                    days=Event.LONGEST.days,
                )
            )
            return False
        deadline = self.utc["rsvp_deadline"]
        if deadline and deadline > self.utc["starts_at"]:
            self.rsvp_deadline.errors.append(_("RSVPs must close by the start."))
            return False
        return True

    def details(self) -> EventDetails:
        """What the service takes: UTC times and enum members."""
        return EventDetails(
            title=self.title.data,
            description=self.description.data or "",
            venue_type=VenueType(self.venue_type.data),
            venue_name=self.venue_name.data or "",
            address=self.address.data or "",
            area=self._area(),
            access_notes=self.access_notes.data or "",
            starts_at=self.utc["starts_at"],
            ends_at=self.utc["ends_at"],
            rsvp_deadline_at=self.utc["rsvp_deadline"],
            timezone=self.timezone.data,
            capacity=self.capacity.data,
            max_guests=self.max_guests.data,
            visibility=EventVisibility(self.visibility.data),
            **self.who_comes(),
            host_id=self.host_id.data,
            question=self.question.data or "",
            bring_list=self.bring_list.data or "",
            latitude=self.latitude.data,
            longitude=self.longitude.data,
        )

    def _area(self) -> str:
        if self.area_choice.data == "found" and self.found_area.data:
            return self.found_area.data
        return self.area.data or ""


def _skipped(error: times.NonexistentTime) -> str:
    """Why a wall-clock time cannot be taken, in the organiser's words."""
    if error.local is None:
        return _("Pick a date between the years 2 and 9998.")
    locale = get_locale() or "en_US"
    return _(
        "%(time)s does not exist on %(day)s in %(zone)s: the clocks change then. "
        "Pick a time an hour later.",
        time=format_skeleton("Hm", error.local, locale=locale),
        day=format_skeleton("MMMd", error.local, locale=locale),
        zone=error.zone,
    )


class PublishForm(Form):
    """A draft's "Publish" button, with the choice to announce it now."""

    tell_members = BooleanField(
        _l("Tell members now"),
        default=True,
        description=_l("Members who asked for news of new gatherings get an email."),
    )


class CancelForm(Form):
    reason = TextAreaField(
        _l("Why (shown on the page)"),
        validators=[Optional(), Length(max=500)],
        description=_l("e.g. “Maria is unwell — we'll find a new date soon.”"),
    )


class RsvpForm(TableFields):
    #: Which button was pressed: "going" or "declined".
    response = StringField(validators=[InputRequired(), AnyOf(["going", "declined"])])
    guests = WholeNumberField(
        _l("Guests"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=MAX_GUESTS)],
    )
    answer = StringField(_l("Your answer"), validators=[Optional(), Length(max=500)])

    @property
    def going(self) -> bool:
        return self.response.data == "going"


class StrangerRsvpForm(RsvpForm):
    """ "I'm going" from someone not signed in: who she is, then a code by mail."""

    display_name = StringField(
        _l("Your first name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    email = email_field(
        _l("Your email"), _l("We'll email you a code to confirm. No password needed.")
    )

    remember = BooleanField(_l("Keep me signed in on this device"), default=True)

    def then(self, event_id: int) -> dict:
        """The answer to place once the code is used."""
        return {
            "event_id": event_id,
            "guests": self.guests.data or 0,
            "children": self.children.data or 0,
            "diets": sorted(self.diets.data or ()),
            "diet_note": self.diet_note.data or "",
            "answer": self.answer.data or "",
        }


class EventSearchForm(Form):
    """The /events/ filters, from the query string (no CSRF on a GET)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    venue = SelectField(
        _l("Kind of place"),
        # Stripped: Optional() takes " " for empty and skips the choice check.
        filters=[strip],
        choices=[SelectChoice("", _l("Anywhere"))]
        + [SelectChoice(v.value, VENUE_LABELS[v]) for v in VenueType],
        validators=[Optional()],
    )
    near = StringField(
        _l("Near"),
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description=_l("A town, a postcode, or latitude,longitude"),
    )
    within_km = WholeNumberField(
        _l("Within (km)"),
        default=25,
        validators=[
            Optional(),
            NumberRange(min=2, max=200, message=_l("Choose 2 to 200 km.")),
        ],
    )

    def point(self) -> tuple[float, float] | None:
        """`near` as coordinates when it was typed as "lat,lon"."""
        match = LAT_LON.fullmatch(self.near.data or "")
        if not match:
            return None
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        return lat, lon
