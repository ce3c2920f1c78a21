"""Per-person abuse limits: whose budget a request spends, and when it counts.

The numbers live in config.py (RATELIMIT_*) with the reason for each; README.md
lists them. Keyed on the signed-in person, so a shared Wi-Fi is not one budget
and a script cannot escape by changing address.
"""

from collections.abc import Callable

from flask import Response, current_app
from flask_limiter.util import get_remote_address

from meetup.auth_session import current_person
from meetup.extensions import limiter


def configured(name: str) -> Callable[[], str]:
    """The limit as configured when the request comes (tests set their own)."""
    return lambda: current_app.config[name]


def person_key() -> str:
    """Per person, so a flood from one account can't flood a group with mail."""
    person = current_person()
    return f"person:{person.id}" if person else "address:" + get_remote_address()


def made_something(response: Response) -> bool:
    """Only a save counts, not the form shown again or a "Find" on the map: a
    saved group or gathering answers with a redirect to it."""
    return 300 <= response.status_code < 400 and current_person() is not None


#: Asking to join and joining, by request or invite link, share one budget: a
#: join request mails the organisers text its sender wrote.
joining = limiter.shared_limit(
    configured("RATELIMIT_JOIN"), scope="join", key_func=person_key, methods=["POST"]
)
new_group = limiter.limit(
    configured("RATELIMIT_NEW_GROUP"), key_func=person_key, methods=["POST"],
    deduct_when=made_something,
)  # fmt: skip
new_gathering = limiter.limit(
    configured("RATELIMIT_NEW_GATHERING"), key_func=person_key, methods=["POST"],
    deduct_when=made_something,
)  # fmt: skip
#: A host's word to the people coming mails each of them: per person (a
#: hijacked account) and per client (many accounts from one script), counted
#: when sent; the rule's five a day per gathering stands behind both.
_messages_by_person = limiter.shared_limit(
    configured("RATELIMIT_MESSAGE"), scope="message-person", key_func=person_key,
    methods=["POST"], deduct_when=made_something,
)  # fmt: skip
_messages_by_client = limiter.shared_limit(
    configured("RATELIMIT_MESSAGE_CLIENT"), scope="message-client",
    key_func=get_remote_address, methods=["POST"], deduct_when=made_something,
)  # fmt: skip


def messages(view):
    return _messages_by_client(_messages_by_person(view))
