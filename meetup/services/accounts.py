"""Accounts: made and verified by a code by mail, signing in with a password
(optional), strong passwords, and changing one's details."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from meetup.errors import Conflict, NotAllowed, WeakPassword
from meetup.extensions import db
from meetup.models import Diet, HostNews, MailCode, User
from meetup.services import at_table, calendar_links, invitation_copies, passwords

#: Said only once the address is proven hers (the code sent there was used),
#: never at sign-up: no page tells a stranger whether an address has an account.
EMAIL_TAKEN = _l("Another account uses this email.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def register(
    display_name: str,
    email: str,
    password: str | None = None,
    locale: str | None = None,
    verified_at: datetime | None = None,
) -> User:
    """Create an account; an email is taken whatever its letter case. `locale`
    is the language she signed up in: her mail goes out in it."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict(EMAIL_TAKEN)
    user = User(
        display_name=display_name.strip(),
        email=email,
        password_hash=passwords.hash_password(password) if password else None,
        locale=locale,
        email_verified_at=verified_at,
    )
    _flush_or_conflict(user)
    return user


def account_for_code(code: MailCode, now: datetime, locale: str) -> tuple[User, bool]:
    """The account a used sign-in code proves its address for, made if it is
    new (and whether it is): the address is verified from now on."""
    user, is_new = find_by_email(code.email), False
    if user is None:
        name = code.display_name or code.email.partition("@")[0][:80]
        try:
            user, is_new = register(name, code.email, locale=locale), True
        except Conflict:  # the same address, signing up in two tabs at once
            user = find_by_email(code.email)
    if user.email_verified_at is None:
        user.email_verified_at = now
    db.session.flush()
    return user, is_new


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose password matches, upgrading an outdated hash."""
    user = find_by_email(email)
    if user is None or user.password_hash is None:
        passwords.spend_equal_time(password)
        return None
    matches, needs_rehash = passwords.verify_password(user.password_hash, password)
    if not matches:
        return None
    if needs_rehash:
        user.password_hash = passwords.hash_password(password)
        db.session.flush()
    return user


@dataclass(frozen=True)
class ProfileDetails:
    """What a member says about herself (ProfileForm.details() builds it)."""

    display_name: str
    email: str
    #: Needed only to change the email.
    current_password: str = ""
    #: None keeps her language as it is.
    locale: str | None = None
    #: "12", "24", or None for her language's habit.
    clock: str | None = None
    #: What she eats, offered with her next answer (services.at_table).
    diets: frozenset[Diet] = frozenset()
    diet_note: str = ""


def update_profile(user: User, details: ProfileDetails) -> str | None:
    """Change name, language and clock. A new email is returned, not set: it
    becomes hers when the code sent there is used (`change_email`), so no one
    can park an address they do not own on their account, nor learn here
    whether another account has it. Asking needs the password, if she has one
    (a borrowed session must not take over the account)."""
    email = normalise_email(details.email)
    user.display_name = details.display_name.strip()
    if details.locale is not None:
        user.locale = details.locale
    user.clock = details.clock or None
    user.diets, user.diet_note = details.diets, at_table.checked_note(details.diet_note)
    db.session.flush()
    if email == user.email:
        return None
    if (
        user.password_hash is not None
        and not passwords.verify_password(user.password_hash, details.current_password)[
            0
        ]
    ):
        raise NotAllowed(_("Enter your current password to change your email."))
    return email


def change_email(user: User, code: MailCode, now: datetime) -> None:
    """The code sent to her new address was used there: it is hers (and proven).
    Only now may she hear that another account has it: she owns that mailbox."""
    if code.user_id != user.id:
        raise NotAllowed(
            _("This code has expired or was already used. Ask for a new one.")
        )
    other = find_by_email(code.email)
    if other is not None and other.id != user.id:
        raise Conflict(EMAIL_TAKEN)
    old_email = user.email
    user.email = code.email
    user.email_verified_at = now
    _flush_or_conflict(user)
    invitation_copies.moved(user, old_email, now)


def change_password(user: User, current: str, new: str | None) -> None:
    """Set a new password (None: remove it, and sign in by code only) after
    checking the current one, if there is one. The caller ends other sessions."""
    if user.password_hash is not None:
        matches, _rehash = passwords.verify_password(user.password_hash, current)
        if not matches:
            raise NotAllowed(_("Your current password is not right."))
    if new is None:
        user.password_hash = None
        db.session.flush()
    else:
        set_password(user, new)


def set_password(user: User, new: str) -> None:
    """A password that is hard to guess (zxcvbn) and leaves her address out."""
    weakness = passwords.weakness(new, user.email, user.display_name)
    if weakness is not None:
        raise WeakPassword(weakness)
    user.password_hash = passwords.hash_password(new)
    db.session.flush()


def _flush_or_conflict(user: User) -> None:
    """The unique index is the authority when two sign-ups race for one email."""
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        raise Conflict(EMAIL_TAKEN) from None


def set_locale(user: User, locale: str) -> None:
    """Her language for pages, mail and her calendar link."""
    user.locale = locale
    db.session.flush()


def set_calendar_copy(user: User, by_mail: bool, now: datetime) -> None:
    """Invitations by mail, or her personal feed: one copy per calendar. The
    invitations already sent are taken back, or sent, to match."""
    if user.wants_invitations == by_mail:
        return
    if by_mail:
        user.wants_invitations = True  # the outbox drops invitations until then
    invitation_copies.chosen(user, by_mail, now)
    user.wants_invitations = by_mail
    if not by_mail and user.calendar_secret is None:
        calendar_links.new_feed_token(user)  # the feed she chose, ready to add
    db.session.flush()


def set_mail_choice(user: User, kind: str, wanted: bool) -> None:
    """Reminders, announcements and host news can be turned off; confirmations
    cannot. Host news turned back on comes each time (`set_host_news` chooses)."""
    if kind == "reminders":
        user.wants_reminders = wanted
    elif kind == "announcements":
        user.wants_announcements = wanted
    elif kind == "host_news":
        if not wanted:
            user.host_news = HostNews.NONE
        elif user.host_news is HostNews.NONE:
            user.host_news = HostNews.EACH
    else:
        raise ValueError(f"not optional mail: {kind}")
    db.session.flush()


def set_host_news(user: User, choice: HostNews, now: datetime) -> None:
    """How she hears of answers at gatherings she hosts or organises. A daily
    digest chosen now starts from now: what she was told already, or chose not
    to hear, is not told again."""
    if choice is HostNews.DAILY and user.host_news is not HostNews.DAILY:
        user.host_digest_at = now
    user.host_news = choice
    db.session.flush()
