"""How a view answers once the rule has spoken: done, or refused.

Two kinds of refusal, one helper each. A button (join, leave, RSVP, check in)
goes back to its page with the rule's message as a flash (`refused`); a form
(plan a gathering, edit a group, change my details) is shown again with what
was typed and the message by its field (`form_refused`). Either way nothing of
the refused change is kept. "You may not be here" is not a refusal but an HTTP
answer, `abort(403)` or `abort(404)`, decided by a permissions predicate before
any service runs; a rule's refusal that no view expected still reaches the
person as a page (views/errors.py), never a 500.
"""

from flask import flash, redirect
from flask_babel import gettext
from flask_wtf import FlaskForm

from meetup.errors import InvalidInput, MeetupError
from meetup.extensions import db


def done(message: str, to: str, category: str = "success"):
    """Keep the change, say so, and go on to `to`."""
    db.session.commit()
    flash(str(message), category)  # a lazy string would be kept as trusted markup
    return redirect(to)


def refused(error: MeetupError, to: str):
    """A button's action was refused: keep nothing, go back, say why."""
    db.session.rollback()
    flash(str(error), "error")
    return redirect(to)


def form_refused(form: FlaskForm, error: MeetupError, field: str) -> None:
    """A form's save was refused: keep nothing; the message stands by the field
    the rule names (InvalidInput), else by `field`; the caller shows the form."""
    db.session.rollback()
    name = error.field if isinstance(error, InvalidInput) else field
    getattr(form, name, getattr(form, field)).errors.append(str(error))


def rsvp_said(rsvp) -> str:
    """What a person is told once her answer is placed."""
    if rsvp.event.host_id == rsvp.user_id:  # the host's own place
        if rsvp.is_going:
            return gettext("You're counted in: you're hosting, and one of the places.")
        if not rsvp.is_waitlisted:
            return gettext(
                "You've stepped back: your place is free; you're still the host."
            )
    if rsvp.is_going:
        return gettext("You're going! See you there.")
    if rsvp.is_waitlisted:
        return gettext(
            "It's full, so you're on the waitlist. We'll email you if a place frees up."
        )
    if rsvp.is_requested:
        return gettext(
            "Your request is in. We'll email you as soon as there's an answer."
        )
    return gettext("Thanks for letting the host know you can't come.")
