"""Forms for groups and their members."""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from meetup import i18n
from meetup.forms import (
    Form,
    Limit,
    add_scheme,
    check_pin,
    latitude_field,
    longitude_field,
    strip,
)
from meetup.models import Role, Visibility
from meetup.models.group import ROLE_LABELS
from meetup.services.groups import GroupDetails


@cache
def timezone_choices() -> list[SelectChoice]:
    names = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith("Etc/")
    )
    return [SelectChoice(name, name.replace("_", " ")) for name in names + ["UTC"]]


def web_link(form, field) -> None:
    if field.data and not field.data.lower().startswith(("https://", "http://")):
        raise ValidationError(_("Paste the full link, starting with https://"))


class GroupForm(Form):
    name = StringField(
        _l("Group name"),
        filters=[strip],
        validators=[DataRequired(_l("Give the group a name.")), Length(max=100)],
    )
    description = TextAreaField(
        _l("About the group"),
        validators=[Optional(), Length(max=10_000)],
        description=_l(
            "Who it is for and what you do together. "
            "Blank lines start new paragraphs; *stars* around words make them italic."
        ),
    )
    online_url = URLField(
        _l("Where the group lives online"),
        filters=[add_scheme],
        validators=[Optional(), Length(max=500), web_link],
        description=_l(
            "Your Facebook group, Discord server, WhatsApp community or "
            "mailing list, so members can find their way back. In a private group "
            "only members see it."
        ),
    )
    area = StringField(
        _l("Where you meet"),
        filters=[strip],
        validators=[Optional(), Length(max=120)],
        description=_l("Neighbourhood and city, e.g. Leith, Edinburgh."),
    )
    latitude = latitude_field()
    longitude = longitude_field()
    timezone = SelectField(
        _l("Time zone"),
        choices=timezone_choices,
        validators=[InputRequired()],
        default="Europe/London",
        description=_l("Times are shown in this zone unless a place has its own."),
    )
    visibility = RadioField(
        _l("Who can join"),
        choices=[
            SelectChoice(
                Visibility.PUBLIC.value, _l("Public — anyone can join straight away")
            ),
            SelectChoice(
                Visibility.PRIVATE.value,
                _l(
                    "Private — people ask to join and an organiser approves; "
                    "gatherings are for members only"
                ),
            ),
        ],
        default=Visibility.PUBLIC.value,
        validators=[InputRequired()],
    )

    locale = SelectField(
        _l("Language of the group"),
        choices=[SelectChoice(code, name) for code, name in i18n.NAMES.items()],
        validators=[Optional()],
        description=_l(
            "What the group's calendar feed and its gatherings' calendar files are "
            "written in. Each member reads pages and mail in her own language."
        ),
    )

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and check_pin(self)

    def details(self) -> GroupDetails:
        """What the service takes: the group's details, typed."""
        return GroupDetails(
            name=self.name.data,
            description=self.description.data or "",
            online_url=self.online_url.data,
            area=self.area.data or "",
            timezone=self.timezone.data,
            visibility=Visibility(self.visibility.data),
            locale=self.locale.data or str(get_locale() or "en_US"),
            latitude=self.latitude.data,
            longitude=self.longitude.data,
        )


class JoinForm(Form):
    message = TextAreaField(
        _l("A note for the organisers (optional)"),
        validators=[Optional(), Length(max=500)],
        description=_l("Say how you know the group, e.g. “I'm in the Facebook group.”"),
    )


class RoleForm(Form):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, ROLE_LABELS[role]) for role in Role],
        validators=[InputRequired()],
    )


class ReportForm(Form):
    """A member's word to the organisers: shape only (the rule says who may)."""

    text = TextAreaField(
        _l("What happened?"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say what happened, in a few words.")),
            Limit(1000),
        ],
        description=_l(
            "Only the group's organisers read this. Don't write anyone's address."
        ),
    )


class CoverForm(Form):
    """A cover picture: read and checked by `services.covers`, not here."""

    picture = FileField(
        _l("Cover picture"),
        description=_l(
            "A JPEG, PNG or WebP photo of up to 5 MB. It shows on the "
            "group's page and when its links are shared; Hearth keeps "
            "a copy without the photo's hidden details (like where it "
            "was taken)."
        ),  # fmt: skip
        validators=[FileRequired(_l("Choose a picture first."))],
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
