"""Forms for events and RSVPs: shape only; times are turned into UTC here, and
the event form hands the service an EventDetails."""

from __future__ import annotations

import re
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
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
from meetup.forms import check_pin, latitude_field, longitude_field, strip
from meetup.forms.groups import timezone_choices
from meetup.models import Event, EventVisibility, VenueType
from meetup.services.events import EventDetails

LAT_LON = re.compile(r"\s*(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)\s*")
MAX_CAPACITY = 10_000
MAX_GUESTS = 20


class EventForm(FlaskForm):
    title = StringField(
        "What's happening",
        filters=[strip],
        validators=[DataRequired("Give the gathering a name."), Length(max=120)],
    )
    description = TextAreaField(
        "Details",
        validators=[Optional(), Length(max=10_000)],
        description="What to expect, what to bring. A blank line starts a paragraph.",
    )
    venue_type = SelectField(
        "Kind of place",
        choices=[SelectChoice(v.value, v.label) for v in VenueType],
        validators=[InputRequired()],
        description="At a home, the address is shown only to the host, the organisers "
        "and people who are going. Everyone else sees the area.",
    )
    venue_name = StringField(
        "Name of the place",
        validators=[Optional(), Length(max=120)],
        description="e.g. Maria's flat, St Columba's church hall, The Vine.",
    )
    address = StringField(
        "Street address", validators=[Optional(), Length(max=300)],
        render_kw={"autocomplete": "street-address"},
    )  # fmt: skip
    area = StringField(
        "Area shown to everyone",
        validators=[Optional(), Length(max=120)],
        description="Neighbourhood and city, e.g. Stockbridge, Edinburgh.",
    )
    access_notes = TextAreaField(
        "Getting in",
        validators=[Optional(), Length(max=2_000)],
        description="Parking, stairs, which bell to ring, step-free access, "
        "whether children or pets are welcome.",
    )
    starts_at = DateTimeLocalField("Starts", validators=[InputRequired()])
    ends_at = DateTimeLocalField("Ends", validators=[InputRequired()])
    timezone = SelectField(
        "Time zone", choices=timezone_choices, validators=[InputRequired()]
    )
    capacity = IntegerField(
        "Places",
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=MAX_CAPACITY,
                message="Enter 1 to 10,000 places, or leave it empty for no limit.",
            ),
        ],
        description="Members and their guests together. Leave empty for no limit.",
    )
    max_guests = IntegerField(
        "Guests per member",
        default=0,
        validators=[InputRequired(), NumberRange(min=0, max=MAX_GUESTS)],
    )
    rsvp_deadline = DateTimeLocalField(
        "RSVPs close",
        validators=[Optional()],
        description="Leave empty to take answers until it starts.",
    )
    visibility = RadioField(
        "Who can see it",
        choices=[
            SelectChoice(EventVisibility.PUBLIC.value, "Anyone who can see the group"),
            SelectChoice(EventVisibility.MEMBERS.value, "Members of the group only"),
        ],
        default=EventVisibility.PUBLIC.value,
        validators=[InputRequired()],
    )
    host_id = SelectField("Host", coerce=int, validators=[InputRequired()])
    latitude = latitude_field()
    longitude = longitude_field()
    question = StringField(
        "A question for people who RSVP",
        validators=[Optional(), Length(max=200)],
        description="Optional, e.g. “What will you bring?” or “Any dietary needs?”",
    )

    def validate(self, extra_validators=None) -> bool:
        """Every field, then the times (real in their zone, in order) and the
        address of a home, so that all problems show at once."""
        fields_ok = super().validate(extra_validators)
        home = self.venue_type.data == VenueType.HOME.value
        if home and not self.address.data:
            self.address.errors.append(
                "A home needs its street address. Only the host, the organisers and "
                "people who are going will see it."
            )
        times_ok = self._check_times()
        pin_ok = check_pin(self)
        return fields_ok and times_ok and pin_ok and not self.address.errors

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
                field.errors.append(str(error))
                return False
        if self.utc["ends_at"] and self.utc["ends_at"] <= self.utc["starts_at"]:
            self.ends_at.errors.append("The end must come after the start.")
            return False
        if self.utc["ends_at"] - self.utc["starts_at"] > Event.LONGEST:
            self.ends_at.errors.append(
                f"A gathering lasts {Event.LONGEST.days} days at most. "
                "For longer, plan one a day."
            )
            return False
        deadline = self.utc["rsvp_deadline"]
        if deadline and deadline > self.utc["starts_at"]:
            self.rsvp_deadline.errors.append("RSVPs must close by the start.")
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
            area=self.area.data or "",
            access_notes=self.access_notes.data or "",
            starts_at=self.utc["starts_at"],
            ends_at=self.utc["ends_at"],
            rsvp_deadline_at=self.utc["rsvp_deadline"],
            timezone=self.timezone.data,
            capacity=self.capacity.data,
            max_guests=self.max_guests.data,
            visibility=EventVisibility(self.visibility.data),
            host_id=self.host_id.data,
            question=self.question.data or "",
            latitude=self.latitude.data,
            longitude=self.longitude.data,
        )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why (shown on the page)",
        validators=[Optional(), Length(max=500)],
        description="e.g. “Maria is unwell — we'll find a new date soon.”",
    )


class RsvpForm(FlaskForm):
    #: Which button was pressed: "going" or "declined".
    response = StringField(validators=[InputRequired(), AnyOf(["going", "declined"])])
    guests = IntegerField(
        "Guests", default=0, validators=[Optional(), NumberRange(min=0, max=MAX_GUESTS)]
    )
    answer = StringField("Your answer", validators=[Optional(), Length(max=500)])

    @property
    def going(self) -> bool:
        return self.response.data == "going"


class EventSearchForm(FlaskForm):
    """The /events/ filters, from the query string (no CSRF on a GET)."""

    class Meta:
        csrf = False

    q = StringField("Search", filters=[strip], validators=[Optional(), Length(max=200)])
    venue = SelectField(
        "Kind of place",
        choices=[SelectChoice("", "Anywhere")]
        + [SelectChoice(v.value, v.label) for v in VenueType],
        validators=[Optional()],
    )
    near = StringField(
        "Near",
        filters=[strip],
        validators=[Optional(), Length(max=200)],
        description="A town, a postcode, or latitude,longitude",
    )
    within_km = IntegerField(
        "Within (km)",
        default=25,
        validators=[
            Optional(),
            NumberRange(min=2, max=200, message="Choose 2 to 200 km."),
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
