"""Forms for accounts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from meetup.forms import strip

PASSWORD_HELP = "At least 10 characters. A few words you'll remember work well."


def _email():
    return EmailField(
        "Email",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=254),
            # Plain SMTP servers can't take accents before the @ (SMTPUTF8).
            Email(
                message="Enter an email address like name@example.com.",
                allow_smtputf8=False,
            ),
        ],
        render_kw={"autocomplete": "email"},
    )


def _new_password(label: str = "Password"):
    return PasswordField(
        label,
        validators=[
            InputRequired(),
            Length(min=10, max=128, message="Use 10 characters or more (128 at most)."),
        ],
        description=PASSWORD_HELP,
        render_kw={"autocomplete": "new-password"},
    )


class RegisterForm(FlaskForm):
    display_name = StringField(
        "Your name",
        filters=[strip],
        validators=[DataRequired("Enter your name."), Length(max=80)],
        description="How other members will see you, e.g. Maria G.",
        render_kw={"autocomplete": "name"},
    )
    email = _email()
    password = _new_password()


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = _email()


class ResetPasswordForm(FlaskForm):
    password = _new_password("New password")


class ProfileForm(FlaskForm):
    current_password = PasswordField(
        "Current password (only to change your email)",
        validators=[Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    display_name = StringField(
        "Your name",
        filters=[strip],
        validators=[DataRequired("Enter your name."), Length(max=80)],
    )
    email = _email()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired(), Length(max=128)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password("New password")


class MailChoicesForm(FlaskForm):
    wants_reminders = BooleanField("Remind me the day before a gathering I'm going to")
    wants_announcements = BooleanField("Tell me when my groups plan a new gathering")
