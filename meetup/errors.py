"""Domain errors raised by services; each message can be shown to the user as is."""


class MeetupError(Exception):
    """A rule said no. The message says why, in words a member understands."""


class NotAllowed(MeetupError):
    """The actor may not do this."""


class NotFound(MeetupError):
    """The thing does not exist, or the actor may not know that it does."""


class Conflict(MeetupError):
    """The change clashes with what is already there (a taken email, say)."""


class LastOrganiser(MeetupError):
    """A group must always keep at least one organiser."""


class InvalidToken(MeetupError):
    """A link from a mail or an invite is wrong, used, revoked or expired."""


class RSVPClosed(MeetupError):
    """Answers are not taken now: past, cancelled, or after the deadline."""


class NoRoom(MeetupError):
    """The change needs more places than are free."""


class InvalidInput(MeetupError):
    """A value the form let through but the rules refuse; names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


class AlreadyPlanned(MeetupError):
    """The same planning form came twice; `event` is what the first one made."""

    def __init__(self, event, message: str):
        super().__init__(message)
        self.event = event


class WeakPassword(MeetupError):
    """A new password that is easy to guess or holds the address."""


class LooksLikeAMove(MeetupError):
    """A host's message seems to announce a new time or place, which a message
    cannot move in anyone's calendar: sent only once she confirms."""
