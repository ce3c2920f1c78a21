"""Mail about membership and the account: join requests and approvals, codes
to sign in with; and the signed one-click links that turn optional mail off."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from meetup import dates, i18n, permissions
from meetup.extensions import db
from meetup.models import Event, Group, JoinRequest, Membership, Report, User
from meetup.models.base import utcnow
from meetup.services import memberships, outbox
from meetup.services.mail import Letter
from meetup.urls import public_url

#: Mail people may turn off, and how to name it to them.
OPTIONAL_MAIL = {
    "reminders": _l("reminders"),
    "announcements": _l("news of new gatherings"),
    "host_news": _l("news of answers at gatherings you host or organise"),
}


def join_requested(request: JoinRequest) -> None:
    """Organisers hear that someone asks to join their private group."""
    group, person = request.group, request.user
    for membership in memberships.members(group):
        if not permissions.can_manage_group(membership):
            continue
        with i18n.as_reader(membership.user):
            asks = _("%(name)s asks to join %(group)s.",
                     name=person.display_name, group=group.name)  # fmt: skip
            wrote = [_("They wrote: “%(message)s”", message=request.message)]
            letter = Letter(
                subject=asks.rstrip("."),
                greeting=_("Hello %(name)s,", name=membership.user.display_name),
                paragraphs=[asks, *(wrote if request.message else [])],
                action=(
                    _("Say yes or no"),
                    public_url("groups.members", slug=group.slug),
                ),
                signature=_("— %(group)s, on Hearth", group=group.name),
            )
            outbox.send_letter(
                membership.user, letter, None, utcnow(), "join-request", group=group
            )


def reported(report: Report, group: Group, event: Event | None, now: datetime) -> None:
    """The group's organisers hear of a report, once each, in their language:
    who wrote, about what, in her words (a gathering by its title and date,
    never its place)."""
    reporter, person = report.reporter, report.person
    for membership in memberships.members(group):
        if not permissions.can_manage_group(membership):
            continue
        if person is not None and membership.user_id == person.id:
            continue  # an organiser reported: the others hear of it
        with i18n.as_reader(membership.user):
            if event is not None:
                about = _("%(name)s reported the gathering “%(title)s” (%(date)s).",
                          name=reporter.display_name, title=event.title,
                          date=dates.when(event.starts_at, event.timezone))  # fmt: skip
            else:
                about = _("%(name)s reported %(person)s.",
                          name=reporter.display_name,
                          person=person.display_name)  # fmt: skip
            letter = Letter(
                subject=_("A report to the organisers of %(group)s", group=group.name),
                greeting=_("Hello %(name)s,", name=membership.user.display_name),
                paragraphs=[
                    about,
                    _("They wrote: “%(message)s”", message=report.text),
                    _(
                        "Only the organisers see reports. Mark it dealt with on the "
                        "members page when you have."
                    ),  # fmt: skip
                ],
                action=(
                    _("See open reports"),
                    public_url("groups.members", slug=group.slug),
                ),
                signature=_("— %(group)s, on Hearth", group=group.name),
            )
            outbox.send_letter(
                membership.user, letter, None, now, "report",
                once_key=f"report-{report.id}-{membership.user_id}", group=group,
            )  # fmt: skip


def join_approved(membership: Membership) -> None:
    """Tell someone their request to join was accepted."""
    group, user = membership.group, membership.user
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("Welcome to %(group)s", group=group.name),
            greeting=_("Hello %(name)s,", name=user.display_name),
            paragraphs=[
                _(
                    "The organisers said yes: you're a member of %(group)s.",
                    group=group.name,
                )
            ],
            action=(
                _("See the group's gatherings"),
                public_url("groups.show", slug=group.slug),
            ),
            signature=_("— %(group)s, on Hearth", group=group.name),
        )
        outbox.send_letter(user, letter, None, utcnow(), "join-approved", group=group)


def mail_code(
    email: str,
    code: str,
    link: str,
    minutes: int,
    now: datetime,
    also: str | None = None,
) -> None:
    """The code and the link to sign in with: said the same whether or not the
    address has an account, in the language of the page that asked. `also`:
    what else using it says (an answer given with it)."""
    letter = Letter(
        subject=_("%(code)s is your Hearth code", code=code),
        greeting=_("Hello,"),
        paragraphs=[
            *([also] if also else []),
            ngettext(
                "Your code is %(code)s. Type it on the page where you asked for "
                "it. It works once, for %(num)d minute.",
                "Your code is %(code)s. Type it on the page where you asked for "
                "it. It works once, for %(num)d minutes.",
                minutes,
                code=code,
            ),
            _("Reading this on another device? Press the button to sign in there."),
            _("If you didn't ask for it, ignore this mail: nothing happens."),
        ],
        action=(_("Sign in to Hearth"), link),
        signature=_("— Hearth"),
    )
    outbox.send_to_address(email, letter, now, "mail-code")


def email_change_code(
    user: User, address: str, code: str, minutes: int, now: datetime
) -> None:
    """The code that makes `address` hers, sent there (in her language): no
    link, it is typed on her profile, in the browser that asked."""
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("%(code)s is your code to change your Hearth email", code=code),
            greeting=_("Hello %(name)s,", name=user.display_name),
            paragraphs=[
                ngettext(
                    "Your code is %(code)s. Type it on your profile to make this "
                    "your Hearth email. It works once, for %(num)d minute.",
                    "Your code is %(code)s. Type it on your profile to make this "
                    "your Hearth email. It works once, for %(num)d minutes.",
                    minutes,
                    code=code,
                ),
                _("If you didn't ask for it, ignore this mail: nothing happens."),
            ],
            signature=_("— Hearth"),
        )
        outbox.send_to_address(address, letter, now, "mail-code", user.display_name)


def deletion_code(user: User, code: str, minutes: int, now: datetime) -> None:
    """The code that deletes her account: no link (it must be typed where she
    asked), and a word in case someone else is signed in as her."""
    with i18n.as_reader(user):
        letter = Letter(
            subject=_("%(code)s is your code to delete your Hearth account", code=code),
            greeting=_("Hello %(name)s,", name=user.display_name),
            paragraphs=[
                ngettext(
                    "Your code is %(code)s. Type it on the page where you asked "
                    "to delete your account. It works once, for %(num)d minute.",
                    "Your code is %(code)s. Type it on the page where you asked "
                    "to delete your account. It works once, for %(num)d minutes.",
                    minutes,
                    code=code,
                ),
                _(
                    "If you didn't ask, don't type it anywhere: your account stays. "
                    "Someone may be signed in as you; on your profile, sign out "
                    "everywhere."
                ),  # fmt: skip
            ],
            signature=_("— Hearth"),
        )
        outbox.send_letter(user, letter, None, now, "mail-code")


def unsubscriber(token: str) -> tuple[User, str] | None:
    """Whose optional mail a one-click link turns off, and which; None if forged."""
    try:
        user_id, kind = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return (user, kind) if user is not None and kind in OPTIONAL_MAIL else None


def unsubscribe_link(user: User, kind: str) -> str:
    return public_url("main.unsubscribe", token=_signer().dumps([user.id, kind]))


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")
