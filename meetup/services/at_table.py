"""Who's eating, who's little: an answer's children and dietary needs, checked,
kept on the answer and remembered on her profile for the next one.

Children are counted apart from the places (`rsvps` never seats them); a
gathering for adults only takes none.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from meetup.errors import InvalidInput, NotAllowed
from meetup.models import Children, Diet, Event, Rsvp, User
from meetup.services import attendees

MAX_CHILDREN = 10
NOTE_LENGTH = 120


def checked(event: Event, children: int, diets: frozenset[Diet], note: str) -> str:
    """Refuse children at a gathering for adults only, and counts or notes out
    of shape; the note as kept (trimmed)."""
    if not 0 <= children <= MAX_CHILDREN:
        raise InvalidInput(
            "children",
            ngettext(
                "Bring %(num)d child at most.",
                "Bring %(num)d children at most.",
                MAX_CHILDREN,
            ),
        )
    if children and event.children is Children.ADULTS_ONLY:
        raise NotAllowed(
            _("This gathering is for adults only: please come without children.")
        )
    if not all(isinstance(diet, Diet) for diet in diets):
        raise InvalidInput("diets", _("Choose dietary needs from the list."))
    return checked_note(note)


def require_room_for_children(event: Event, children: Children) -> None:
    """A gathering turns adults only only when no standing answer brings a
    child: they said yes to a gathering where children were welcome."""
    if children is not Children.ADULTS_ONLY or event.children is Children.ADULTS_ONLY:
        return
    parties = attendees.parties_with_children(event)
    if parties:
        raise InvalidInput(
            "children",
            ngettext(
                "%(num)d answer brings children. Ask them first, then make it "
                "adults only.",
                "%(num)d answers bring children. Ask them first, then make it "
                "adults only.",
                parties,
            ),
        )


def checked_note(note: str) -> str:
    """The note about what she eats, trimmed; refused when too long."""
    note = note.strip()
    if len(note) > NOTE_LENGTH:
        raise InvalidInput(
            "diet_note",
            _("Keep the note to %(num)d characters.", num=NOTE_LENGTH),
        )
    return note


def keep(
    rsvp: Rsvp, user: User, children: int, diets: frozenset[Diet], note: str
) -> None:
    """A yes carries them; her diets and note are remembered for next time."""
    rsvp.children = children
    rsvp.diets = frozenset(diets)
    rsvp.diet_note = note
    user.diets = frozenset(diets)
    user.diet_note = note


def clear(rsvp: Rsvp) -> None:
    """A no (or being taken off the list) brings no one and eats nothing; her
    profile keeps what she eats."""
    rsvp.children = 0
    rsvp.diets = frozenset()
    rsvp.diet_note = ""


def from_words(codes, note: object = "") -> tuple[frozenset[Diet], str]:
    """Diets from stored words (an answer given before she could answer: the
    `then` of a code or a join request); unknown words are dropped."""
    known = {diet.value: diet for diet in Diet}
    words = codes if isinstance(codes, list | tuple) else []
    diets = frozenset(known[word] for word in words if word in known)
    return diets, str(note or "")[:NOTE_LENGTH]
