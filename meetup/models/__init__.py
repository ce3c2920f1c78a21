"""The data model, one module per aggregate; import models from here."""

from meetup.models.bring import BringClaim
from meetup.models.event import (
    Admission,
    Children,
    Event,
    EventState,
    EventVisibility,
    GuestList,
    VenueType,
)
from meetup.models.feed import BuiltFeed
from meetup.models.geocode import GeocodeCache, GeocoderThrottle
from meetup.models.group import (
    Block,
    Group,
    JoinRequest,
    Membership,
    Report,
    Role,
    Visibility,
)
from meetup.models.happening import Happening, HappeningKind
from meetup.models.host_message import HostMessage, HostMessageReader
from meetup.models.outbox import MailStatus, OutboxMail
from meetup.models.rsvp import Rsvp, RsvpStatus
from meetup.models.series import LAST, Rule, Series, SkippedDate, StandingRsvp
from meetup.models.sign_in import Device, MailCode
from meetup.models.user import Diet, HostNews, User

__all__ = [
    "LAST",
    "Admission",
    "Block",
    "BringClaim",
    "Children",
    "Diet",
    "HostMessage",
    "HostMessageReader",
    "GuestList",
    "Happening",
    "HappeningKind",
    "HostNews",
    "Report",
    "EventState",
    "Rule",
    "Series",
    "SkippedDate",
    "StandingRsvp",
    "BuiltFeed",
    "Device",
    "Event",
    "EventVisibility",
    "GeocodeCache",
    "GeocoderThrottle",
    "Group",
    "JoinRequest",
    "MailCode",
    "MailStatus",
    "Membership",
    "OutboxMail",
    "Role",
    "Rsvp",
    "RsvpStatus",
    "User",
    "VenueType",
    "Visibility",
]
