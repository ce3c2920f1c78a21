"""The host's word to the people coming: shape only (the rule says who may,
how often and to whom)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired

from meetup.forms import Form, Limit, strip
from meetup.models import HostMessage


class MessageForm(Form):
    body = TextAreaField(
        _l("Your message"),
        filters=[strip],
        validators=[
            DataRequired(_l("Write a few words first.")),
            Limit(HostMessage.LONGEST),
        ],
        description=_l(
            "Plain text. It goes by mail and shows on the gathering's page."
        ),
    )
    to_going = BooleanField(_l("Going"), default=True)
    to_waitlisted = BooleanField(_l("Waitlisted"))
    to_requested = BooleanField(_l("Waiting for a yes"))
    reply_to_sender = BooleanField(_l("Let them reply to my address"))
    #: "Send anyway": she read that a message moves no calendar.
    confirmed = BooleanField()
