"""Forms for accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from meetup import i18n
from meetup.forms import Form, strip
from meetup.forms.table import DietFields
from meetup.models import HostNews
from meetup.services.accounts import ProfileDetails

PASSWORD_HELP = _l("At least 10 characters. A few words you'll remember work well.")


def email_field(label=None, description=None):
    return EmailField(
        label if label is not None else _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Length(max=254),
            # Plain SMTP servers can't take accents before the @ (SMTPUTF8).
            Email(
                message=_l("Enter an email address like name@example.com."),
                allow_smtputf8=False,
            ),
        ],
        description=description,
        render_kw={"autocomplete": "email"},
    )


def _new_password(label=None):
    return PasswordField(
        label if label is not None else _l("Password"),
        validators=[
            InputRequired(),
            Length(
                min=10, max=128, message=_l("Use 10 characters or more (128 at most).")
            ),
        ],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )


def _remember():
    return BooleanField(_l("Keep me signed in on this device"), default=True)


def _name():
    return StringField(
        _l("Your name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=80)],
        description=_l("How other members will see you, e.g. Maria G."),
        render_kw={"autocomplete": "name"},
    )


class CodeRequestForm(Form):
    """Sign in, or sign up, or forgot the password: all start with a code."""

    email = email_field()
    remember = _remember()


class SignUpForm(CodeRequestForm):
    display_name = _name()


class CodeForm(Form):
    code = StringField(
        _l("The 6-digit code from the mail"),
        filters=[strip],
        validators=[DataRequired(_l("Enter the code from the mail.")), Length(max=20)],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
        },
    )


class LoginForm(Form):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = _remember()


class ProfileForm(DietFields):
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in i18n.NAMES.items()],
        validators=[Optional()],
        description=_l("For pages, mail and your calendar link."),
    )
    clock = RadioField(
        _l("Times"),
        choices=[
            SelectChoice("", _l("As usual in my language")),
            SelectChoice("12", _l("12-hour clock (7:30 PM)")),
            SelectChoice("24", _l("24-hour clock (19:30)")),
        ],
        default="",
        validators=[Optional()],
    )
    current_password = PasswordField(
        _l("Current password (only to change your email)"),
        validators=[Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    display_name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=80)],
    )
    email = email_field()

    def details(self) -> ProfileDetails:
        return ProfileDetails(
            display_name=self.display_name.data,
            email=self.email.data,
            current_password=self.current_password.data or "",
            locale=self.locale.data or None,
            clock=self.clock.data or None,
            diets=self.diet_set(),
            diet_note=self.diet_note.data or "",
        )


class PasswordChangeForm(Form):
    """Set or change the password (PasswordRemoveForm removes it)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password(_l("New password"))


class PasswordRemoveForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )


class MailChoicesForm(Form):
    wants_reminders = BooleanField(
        _l("Remind me the day before a gathering I'm going to")
    )
    wants_announcements = BooleanField(
        _l("Tell me when my groups plan a new gathering")
    )
    #: Shown to people who host or organise; absent from the post, unchanged.
    host_news = RadioField(
        _l("When people answer at gatherings I host or organise"),
        choices=[
            SelectChoice(HostNews.EACH.value, _l("Tell me each time")),
            SelectChoice(HostNews.DAILY.value, _l("Once a day")),
            SelectChoice(HostNews.NONE.value, _l("Don't tell me")),
        ],
        coerce=lambda value: value.value if isinstance(value, HostNews) else value,
        validators=[Optional()],
    )

    def host_news_choice(self) -> HostNews | None:
        """Her choice, or None when the form did not ask. A blank answer counts
        as none (Optional lets "  " through without checking it)."""
        choice = (self.host_news.data or "").strip()
        return HostNews(choice) if choice else None


class CalendarCopyForm(Form):
    """One copy of each gathering per calendar: which one she keeps."""

    copy = RadioField(
        _l("How gatherings reach your calendar"),
        choices=[
            SelectChoice("mail", _l("Invitations by mail")),
            SelectChoice("feed", _l("My Hearth calendar feed")),
        ],
        description=_l(
            "Pick one: with both, your calendar shows each gathering twice."
        ),  # fmt: skip
        validators=[InputRequired(_l("Choose one of the two."))],
    )
