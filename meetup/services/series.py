"""Series: a group's rhythm. Each date is an ordinary gathering with its own UID
and SEQUENCE, linked to the series and its slot date (unique together), so
opening a date twice is impossible and every calendar agrees on it.

Changes to one series queue on its row (`lock_series`), so a top-up racing an
edit sees the edit, or the edit sees the dates the top-up made.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice

from flask_babel import gettext as _
from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError

from meetup import permissions, privacy, rhythm, times
from meetup.errors import InvalidInput, MeetupError, NotAllowed
from meetup.extensions import db
from meetup.models import (
    Admission,
    Children,
    Event,
    EventState,
    EventVisibility,
    Group,
    GuestList,
    Membership,
    Rsvp,
    Rule,
    Series,
    SkippedDate,
    StandingRsvp,
    User,
    VenueType,
)
from meetup.services import events, memberships, news, rsvps


@dataclass(frozen=True)
class SeriesDetails:
    """What an organiser says about a series (SeriesForm.details() builds it)."""

    title: str
    rule: Rule
    starts_on: date
    start_time: time
    minutes: int = 150
    every_weeks: int = 1
    weekday: int = 0
    week_of_month: int = 1
    day_of_month: int = 1
    description: str = ""
    is_rota: bool = True
    host_id: int | None = None
    horizon: int = 3
    venue_type: VenueType = VenueType.HOME
    venue_name: str = ""
    address: str = ""
    area: str = ""
    access_notes: str = ""
    latitude: float | None = None
    longitude: float | None = None
    capacity: int | None = None
    max_guests: int = 0
    question: str = ""
    bring_list: str = ""
    children: Children = Children.WELCOME
    visibility: EventVisibility = EventVisibility.PUBLIC
    admission: Admission = Admission.ANYONE
    street_day_before: bool = False
    guest_list: GuestList = GuestList.MEMBERS

    @classmethod
    def of(cls, series: Series) -> SeriesDetails:
        return cls(**{field.name: getattr(series, field.name) for field in FIELDS})


FIELDS = dataclasses.fields(SeriesDetails)
#: What a date takes from its series; the place only when there is no rota
#: (in a rota each host places her own).
DATE_FIELDS = ("title", "description", "capacity", "max_guests", "question",
               "bring_list", "children", "visibility", "admission",
               "street_day_before", "guest_list")  # fmt: skip
PLACE_FIELDS = ("venue_type", "venue_name", "address", "area", "access_notes",
                "latitude", "longitude")  # fmt: skip
#: How far the rule is read ahead for open dates: years of a weekly rule.
LOOK_AHEAD = 400


def create_series(
    actor: Membership | None, group: Group, details: SeriesDetails, now: datetime
) -> Series:
    """Organisers set the rhythm; its first dates open at once (the first one
    announced, the others as they come)."""
    _require_manager(actor, group)
    values = _checked(group, details, actor)
    series = Series(group=group, timezone=group.timezone, **values)
    db.session.add(series)
    db.session.flush()
    top_up(series, now, announce=1)
    return series


def update_series(
    actor: Membership | None,
    series: Series,
    details: SeriesDetails,
    now: datetime,
    from_day: date | None = None,
) -> None:
    """Change the series and its dates from `from_day` on ("this and following";
    today by default). Dates changed on their own keep their changes; a date the
    new rule no longer has goes if nobody answered, else it stays as it is."""
    _require_manager(actor, series.group)
    lock_series(series)
    values = _checked(series.group, details, actor)
    for name, value in values.items():
        setattr(series, name, value)
    series.updated_at = now
    first = max(from_day or date.min, times.local(now, series.timezone).date())
    wanted = set(_rule_dates(series, first, until=_last_slot(series)))
    for event in _coming_dates(series, now, first):
        if event.is_changed_alone or event.is_cancelled:
            continue
        if event.slot_on not in wanted:
            _drop_or_keep(actor, event, now)
            continue
        _follow(actor, series, event, now)
    db.session.flush()
    top_up(series, now)


def change_following(
    actor: Membership | None, event: Event, details: events.EventDetails, now: datetime
) -> None:
    """ "This and following": the date's new title, time of day, length and
    answers-related settings (and the place, without a rota) become the
    series', for this date and the ones after it. Its day stays its slot's."""
    made = _series_of(event)
    minutes = int((details.ends_at - details.starts_at).total_seconds() // 60)
    if not 15 <= minutes <= 24 * 60:
        raise InvalidInput("ends_at", _("A date of a series lasts a day at most."))
    changes = {name: getattr(details, name) for name in DATE_FIELDS}
    if not made.is_rota:
        changes |= {name: getattr(details, name) for name in PLACE_FIELDS}
        changes["host_id"] = details.host_id
    new = dataclasses.replace(
        SeriesDetails.of(made),
        start_time=times.local(details.starts_at, made.timezone).time(),
        minutes=minutes,
        **changes,
    )
    event.is_changed_alone = False
    update_series(actor, made, new, now, from_day=event.slot_on)


def skip(actor: Membership | None, event: Event, now: datetime) -> None:
    """Skip one date: never opened again; cancelled the usual way if anyone had
    answered, else simply gone. The horizon opens a later date instead."""
    series = _series_of(event)
    _require_manager(actor, series.group)
    lock_series(series)
    db.session.merge(SkippedDate(series_id=series.id, slot_on=event.slot_on))
    _drop_or_cancel(actor, event, now, _("This date is skipped."))
    db.session.flush()
    top_up(series, now)


def pause(actor: Membership | None, series: Series, now: datetime) -> None:
    """The summer break: dates already open stay; no new ones until resumed."""
    _require_manager(actor, series.group)
    lock_series(series)
    if series.paused_at is None:
        series.paused_at = series.updated_at = now


def resume(actor: Membership | None, series: Series, now: datetime) -> None:
    _require_manager(actor, series.group)
    lock_series(series)
    if series.ended_at is not None:
        raise NotAllowed(_("This series has ended. Start a new one."))
    series.paused_at = None
    series.updated_at = now
    db.session.flush()
    top_up(series, now)


def end(actor: Membership | None, series: Series, now: datetime) -> None:
    """No more dates: coming ones nobody answered go; answered ones are
    cancelled the usual way (mail, calendars). Past dates stay as history."""
    _require_manager(actor, series.group)
    lock_series(series)
    if series.ended_at is not None:
        return
    series.ended_at = series.updated_at = now
    for event in _coming_dates(series, now):
        if not event.is_cancelled:
            _drop_or_cancel(actor, event, now, _("This series has ended."))


def delete(actor: Membership | None, series: Series) -> None:
    """Only a series none of whose dates anyone answered: others are ended."""
    _require_manager(actor, series.group)
    lock_series(series)
    answered = db.session.scalar(
        select(exists().where(Rsvp.event_id == Event.id, Event.series_id == series.id))
    )
    if answered:
        raise NotAllowed(
            _(
                "People have answered dates of this series, so it can't be deleted: "
                "end it instead (coming dates are cancelled, past ones kept)."
            )
        )
    for event in db.session.scalars(select(Event).filter_by(series_id=series.id)):
        db.session.delete(event)
    db.session.delete(series)
    db.session.flush()


def top_up(series: Series, now: datetime, announce: int | None = None) -> list[Event]:
    """Open dates until `horizon` coming ones are open: never a date twice,
    never a skipped one, none while paused or ended. `announce` limits how many
    of the new dates are announced (all by default)."""
    lock_series(series)
    if not series.is_running:
        return []
    today = times.local(now, series.timezone).date()
    taken = _taken_slots(series)
    open_dates = len([e for e in _coming_dates(series, now) if not e.is_cancelled])
    made = []
    for day in islice(rhythm.dates_from(_rule(series), today), LOOK_AHEAD):
        if open_dates + len(made) >= series.horizon:
            break
        starts_at = times.at(day, series.start_time, series.timezone)
        if day in taken or starts_at <= now:
            continue
        event = _new_date(series, day, starts_at, now)
        if event is not None:
            made.append(event)
    for number, event in enumerate(made):
        if event.is_open:
            opened(event, now, announce=announce is None or number < announce)
    return made


def top_up_all(now: datetime) -> int:
    """Every running series, for the worker; twice in a row makes nothing twice."""
    running = db.session.scalars(
        select(Series).where(Series.paused_at.is_(None), Series.ended_at.is_(None))
    ).all()
    return sum(len(top_up(series, now)) for series in running)


def opened(event: Event, now: datetime, announce: bool = True) -> None:
    """A date opens for answers: its host is seated, the members put down for
    each date answer in the order they asked, and members hear of it."""
    rsvps.seat_host(event, now)  # first: the host's place is never in doubt
    for standing in _standing(event.series_id):
        membership = memberships.membership_of(standing.user, event.group)
        if membership is None or rsvps_of(standing.user, event) is not None:
            continue
        try:
            rsvps.respond(event, standing.user, going=True, now=now, standing=True,
                          diets=standing.user.diets,
                          diet_note=standing.user.diet_note)  # fmt: skip
        except MeetupError:
            continue  # closed or too many guests: she answers herself
    if announce:
        news.announced(event, event.host, now)


def stand(user: User, series: Series, now: datetime) -> None:
    """ "Put me down for each one": members only; answers come as dates open."""
    memberships.require_not_blocked(user, series.group)
    if memberships.membership_of(user, series.group) is None:
        raise NotAllowed(_("Join the group to be put down for its dates."))
    if standing_of(user, series) is None:
        try:
            with db.session.begin_nested():
                db.session.add(
                    StandingRsvp(series_id=series.id, user=user, created_at=now)
                )
        except IntegrityError:
            pass  # the other tap got there first: the same wish


def sit_down(user: User, series: Series) -> None:
    """No longer put down for each date (answers already given stay)."""
    found = standing_of(user, series)
    if found is not None:
        db.session.delete(found)
        db.session.flush()


def standing_of(user: User | None, series: Series) -> StandingRsvp | None:
    if user is None:
        return None
    return db.session.scalar(
        select(StandingRsvp).filter_by(series_id=series.id, user_id=user.id)
    )


def rsvps_of(user: User, event: Event) -> Rsvp | None:
    return db.session.scalar(select(Rsvp).filter_by(event_id=event.id, user_id=user.id))


def running_in(group: Group, visible_to_visitors: bool) -> list[Series]:
    """The group's series that have not ended, for its page."""
    query = select(Series).where(Series.group_id == group.id, Series.ended_at.is_(None))
    if visible_to_visitors:
        if group.is_private:
            return []
        query = query.where(Series.visibility == EventVisibility.PUBLIC)
    return list(db.session.scalars(query.order_by(Series.id)))


def coming_dates(series: Series, now: datetime) -> list[Event]:
    """The series' dates still to come, cancelled ones included, by date."""
    return _coming_dates(series, now)


def lock_series(series: Series) -> None:
    """Queue changes to one series (a no-op UPDATE takes its row lock), then
    re-read what others changed."""
    db.session.execute(
        update(Series)
        .where(Series.id == series.id)
        .values(horizon=Series.horizon)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(series)


def answered(event: Event) -> bool:
    """Has anyone but the host answered this date?"""
    others = Rsvp.event_id == event.id
    if event.host_id is not None:
        others = others & (Rsvp.user_id != event.host_id)
    return bool(db.session.scalar(select(exists().where(others))))


def _new_date(
    series: Series, day: date, starts_at: datetime, now: datetime
) -> Event | None:
    place = {} if series.is_rota else {n: getattr(series, n) for n in PLACE_FIELDS}
    venue_type = place.pop("venue_type", series.venue_type)
    event = Event(
        group_id=series.group_id,
        series=series,
        slot_on=day,
        state=EventState.HOST_NEEDED if series.is_rota else EventState.OPEN,
        host_id=None if series.is_rota else series.host_id,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=series.minutes),
        timezone=series.timezone,
        venue_type=venue_type,
        created_at=now,
        updated_at=now,
        **place,
        **{name: getattr(series, name) for name in DATE_FIELDS},
    )
    event.public_latitude, event.public_longitude = privacy.public_point(
        event.venue_type, event.latitude, event.longitude
    )
    try:
        with db.session.begin_nested():
            db.session.add(event)
    except IntegrityError:  # the same date, opened by another worker just now
        return None
    return event


def _follow(
    actor: Membership | None, series: Series, event: Event, now: datetime
) -> None:
    """Bring one coming date in line with its series (the usual change mail if
    its time or place moved)."""
    starts_at = times.at(event.slot_on, series.start_time, series.timezone)
    if starts_at <= now:
        return  # today's date, moved to an hour gone: it stays as it was
    changes = {name: getattr(series, name) for name in DATE_FIELDS}
    if not series.is_rota:
        changes |= {name: getattr(series, name) for name in PLACE_FIELDS}
        changes["host_id"] = series.host_id
    details = dataclasses.replace(
        events.EventDetails.of(event),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=series.minutes),
        **changes,
    )
    events.update_event(actor, event, details, now, alone=False)
    if event.needs_host and not series.is_rota:  # the rota just ended: it opens
        event.state = EventState.OPEN
        db.session.flush()
        opened(event, now)


def _drop_or_keep(actor: Membership | None, event: Event, now: datetime) -> None:
    volunteered = event.series.is_rota and event.host_id is not None
    if answered(event) or volunteered:
        event.is_changed_alone = True  # answered or hosted on this date: it stays
    else:
        db.session.delete(event)


def _drop_or_cancel(
    actor: Membership | None, event: Event, now: datetime, reason: str
) -> None:
    if answered(event):
        events.cancel_event(actor, event, reason, now)
    else:
        db.session.delete(event)
    db.session.flush()


def _coming_dates(series: Series, now: datetime, first: date | None = None):
    query = select(Event).where(Event.series_id == series.id, Event.starts_at > now)
    if first is not None:
        query = query.where(Event.slot_on >= first)
    return list(db.session.scalars(query.order_by(Event.slot_on)))


def _taken_slots(series: Series) -> set[date]:
    made = select(Event.slot_on).where(Event.series_id == series.id)
    skipped = select(SkippedDate.slot_on).where(SkippedDate.series_id == series.id)
    return set(db.session.scalars(made.union(skipped)))


def _last_slot(series: Series) -> date:
    latest = db.session.scalar(
        select(Event.slot_on)
        .where(Event.series_id == series.id)
        .order_by(Event.slot_on.desc())
        .limit(1)
    )
    return latest or date.min


def _rule_dates(series: Series, first: date, until: date):
    for day in islice(rhythm.dates_from(_rule(series), first), LOOK_AHEAD):
        if day > until:
            return
        yield day


def _rule(series: Series) -> rhythm.Rule:
    return rhythm.Rule(
        kind=series.rule.value,
        starts_on=series.starts_on,
        every_weeks=series.every_weeks,
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        day_of_month=series.day_of_month,
    )


def _standing(series_id: int) -> list[StandingRsvp]:
    return list(
        db.session.scalars(
            select(StandingRsvp)
            .filter_by(series_id=series_id)
            .options(db.joinedload(StandingRsvp.user))
            .order_by(StandingRsvp.id)  # the order they asked in
        )
    )


def _series_of(event: Event) -> Series:
    if event.series is None:
        raise NotAllowed(_("This gathering is not part of a series."))
    return event.series


def _checked(group: Group, details: SeriesDetails, actor: Membership) -> dict:
    values = dataclasses.asdict(details)
    for name in ("title", "venue_name", "address", "area", "access_notes", "question"):
        values[name] = values[name].strip()
    if not values["title"]:
        raise InvalidInput("title", _("Give the series a name."))
    if not values["is_rota"]:
        values["host_id"] = values["host_id"] or actor.user_id
        host = db.session.get(User, values["host_id"])
        if memberships.membership_of(host, group) is None:
            raise InvalidInput("host_id", _("The host must be a member of the group."))
    else:
        values["host_id"] = None
    return values


def _require_manager(actor: Membership | None, group: Group) -> None:
    if not (permissions.can_manage_group(actor) and actor.group_id == group.id):
        raise NotAllowed(_("Only the group's organisers can plan and change series."))
