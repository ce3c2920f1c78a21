"""Event pages: planning through the form, RSVP wiring, privacy on every surface."""

import csv
import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from meetup.extensions import db
from meetup.models import Event, EventVisibility, VenueType, Visibility
from meetup.services import attendees, events, groups, memberships, rsvps
from meetup.services.events import EventDetails
from tests import mailbox
from tests.conftest import HOME_ADDRESS as ADDRESS
from tests.conftest import NOW, form_errors, redirect_path
from tests.scenes import edited, organiser_of


def form_data(**overrides):
    start = (NOW + timedelta(days=7)).strftime("%Y-%m-%d")
    return {
        "title": "Supper at the church hall",
        "description": "Bring a dish",
        "venue_type": "church",
        "venue_name": "St Columba's hall",
        "address": "1 Church Street",
        "area": "Morningside, Edinburgh",
        "starts_at": f"{start}T19:30",
        "ends_at": f"{start}T22:00",
        "timezone": "America/New_York",
        "capacity": "20",
        "max_guests": "1",
        "visibility": "public",
        "question": "Any dietary needs?",
        "tell_members": "y",  # ticked when the form is shown, as a browser sends it
        **overrides,
    }


def test_organiser_plans_an_event_in_its_local_time(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    response = client.post(
        f"/groups/{group.slug}/events/new", data=form_data(host_id=str(maria.id))
    )
    event = db.session.scalar(db.select(Event))
    assert response.headers["Location"] == f"/events/{event.id}"
    local = event.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("America/New_York")
    )
    assert (local.hour, local.minute) == (19, 30)
    assert event.timezone == "America/New_York"
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    # EST or EDT, from the zone itself; the spacing is CLDR's (thin, narrow).
    assert "7:30\u2009–\u200910:00\u202fPM E" in page


def test_bad_event_form_keeps_input_and_says_why(
    client, make_user, make_group, login, db
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(
        ends_at=form_data()["starts_at"], capacity="0", host_id=str(maria.id)
    )
    response = client.post(f"/groups/{group.slug}/events/new", data=data)
    errors = form_errors(response.get_data(as_text=True))
    assert any("1 to 10,000 places" in e for e in errors), errors
    assert 'value="Supper at the church hall"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Event)) is None


def test_event_in_the_past_is_refused_by_the_field(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(starts_at="2020-01-01T19:00", ends_at="2020-01-01T21:00")
    data["host_id"] = str(maria.id)
    response = client.post(f"/groups/{group.slug}/events/new", data=data)
    assert "Pick a start time in the future." in form_errors(response.get_data(True))


def test_members_cannot_plan_events(client, make_user, make_group, add_member, login):
    group = make_group()
    ana = make_user()
    add_member(group, ana)
    login(ana)
    assert client.get(f"/groups/{group.slug}/events/new").status_code == 403


def test_visitor_sees_the_area_not_the_home_address(client, home_event):
    html = client.get(f"/events/{home_event.id}").get_data(as_text=True)
    assert "A member&#39;s home in Leith, Edinburgh" in html
    assert "Canary" not in html and "Ring the bell" not in html
    og = re.findall(r'<meta (?:property|name)="(?:og|twitter):[^>]+>', html)
    assert og and not any("Canary" in tag for tag in og)


def test_going_member_host_and_organiser_see_the_address(
    client, home_event, make_user, login
):
    ana = make_user()
    login(ana)
    client.post(f"/events/{home_event.id}/rsvp", data={"response": "going"})
    assert ADDRESS in client.get(f"/events/{home_event.id}").get_data(as_text=True)
    client.post("/auth/logout")
    login(home_event.host)
    assert ADDRESS in client.get(f"/events/{home_event.id}").get_data(as_text=True)


def test_waitlisted_and_declined_members_do_not_see_the_address(
    client, home_event, make_user, login
):
    for person in (make_user(), make_user()):
        rsvps.respond(home_event, person, going=True, now=NOW)
    db.session.commit()
    waiting, declined = make_user(), make_user()
    rsvps.respond(home_event, waiting, going=True, now=NOW)
    rsvps.respond(home_event, declined, going=False, now=NOW)
    db.session.commit()
    for person in (waiting, declined):
        login(person)
        html = client.get(f"/events/{home_event.id}").get_data(as_text=True)
        assert "Canary" not in html
        client.post("/auth/logout")


def test_lists_never_show_a_home_address(client, home_event, make_user, login):
    ana = make_user()
    login(ana)
    client.post(f"/events/{home_event.id}/rsvp", data={"response": "going"})
    for path in ("/", "/events/", f"/groups/{home_event.group.slug}", "/me/events"):
        assert "Canary" not in client.get(path).get_data(as_text=True), path


def test_rsvp_with_guest_and_answer(client, home_event, make_user, login):
    ana = make_user()
    login(ana)
    response = client.post(
        f"/events/{home_event.id}/rsvp",
        data={"response": "going", "guests": "1", "answer": "Lemon cake"},
    )
    assert redirect_path(response) == f"/events/{home_event.id}"
    rsvp = attendees.rsvp_of(ana, home_event)
    assert (rsvp.status.value, rsvp.guests, rsvp.answer) == ("going", 1, "Lemon cake")
    page = client.get(f"/events/{home_event.id}").get_data(as_text=True)
    assert "You're going with 1 guest" in page


def test_refused_rsvp_says_why(client, home_event, make_user, login):
    ana = make_user()
    login(ana)
    response = client.post(
        f"/events/{home_event.id}/rsvp",
        data={"response": "going", "guests": "3"},
        follow_redirects=True,
    )
    assert "1 guest at most" in response.get_data(as_text=True)
    assert attendees.rsvp_of(ana, home_event) is None


def test_bad_rsvp_values_get_a_message_not_a_500(client, home_event, make_user, login):
    login(make_user())
    for data in ({"response": "maybe"}, {"response": "going", "guests": "-1"}, {}):
        response = client.post(f"/events/{home_event.id}/rsvp", data=data)
        assert redirect_path(response) == f"/events/{home_event.id}"


@pytest.mark.parametrize("kind", ["members-event", "private-group"])
def test_non_members_get_404_on_every_surface(
    client, make_user, make_group, make_event, login, kind
):
    if kind == "members-event":
        event = make_event(visibility=EventVisibility.MEMBERS, title="Secret supper")
    else:
        event = make_event(
            make_group(visibility=Visibility.PRIVATE), title="Secret supper"
        )
    paths = [
        f"/events/{event.id}{suffix}"
        for suffix in ("", "/attendees", "/attendees.csv", "/edit")
    ]
    for who in ("visitor", "non-member"):
        if who == "non-member":
            login(make_user())
        for path in paths:
            response = client.get(path)
            if who == "visitor":  # login_required first, then the 404
                assert redirect_path(response) in (None, "/auth/login"), path
            assert response.status_code == 404 or redirect_path(response), (who, path)
        rsvp = client.post(f"/events/{event.id}/rsvp", data={"response": "going"})
        assert rsvp.status_code == 404
        for listing in (
            "/",
            "/events/",
            "/events/?q=Secret",
            f"/groups/{event.group.slug}",
        ):
            assert "Secret supper" not in client.get(listing).get_data(as_text=True)


def test_attendee_page_is_for_the_host_and_organisers(
    client, home_event, make_user, add_member, login
):
    ana = make_user()
    add_member(home_event.group, ana)
    login(ana)
    assert client.get(f"/events/{home_event.id}/attendees").status_code == 404
    assert client.get(f"/events/{home_event.id}/attendees.csv").status_code == 404
    client.post("/auth/logout")
    login(home_event.host)
    assert client.get(f"/events/{home_event.id}/attendees").status_code == 200


def test_csv_export_neutralises_formulas(client, home_event, make_user, login):
    evil = make_user(name='=HYPERLINK("http://evil.example","click")')
    rsvps.respond(home_event, evil, going=True, answer="+SUM(A1:A2)", now=NOW)
    db.session.commit()
    login(home_event.host)
    response = client.get(f"/events/{home_event.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel then reads UTF-8 names right
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:8] == ["name", "email", "state", "guests", "answer",
                           "responded at", "checked in", "didn't come"]  # fmt: skip
    assert rows[1][0] == "Maria"  # hosting: going, and the first to answer
    assert rows[2][0].startswith("'=") and rows[2][4] == "'+SUM(A1:A2)"
    assert all(
        not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row
    )


def test_host_checks_someone_in(client, home_event, make_user, login, db):
    ana = make_user()
    rsvp = rsvps.respond(home_event, ana, going=True, now=NOW)
    db.session.commit()
    login(home_event.host)
    client.post(f"/events/{home_event.id}/attendees/{rsvp.id}/arrived")
    db.session.refresh(rsvp)
    assert rsvp.checked_in_at is not None
    page = client.get(f"/events/{home_event.id}/attendees").get_data(as_text=True)
    assert "1 of 2 arrived" in page  # Ana, of Ana and Maria (hosting)


def test_cancelled_event_stays_visible_with_the_reason(client, home_event, login, db):
    login(home_event.host)
    client.post(f"/events/{home_event.id}/cancel", data={"reason": "Maria has flu"})
    html = client.get(f"/events/{home_event.id}").get_data(as_text=True)
    assert "This gathering is cancelled." in html and "Maria has flu" in html
    # Maria hosts, so she was counted as going: her calendar entry is gone.
    assert "Removed from your calendar." in html


def test_public_event_page_invites_visitors_to_sign_in(client, make_event):
    event = make_event(title="Picnic")
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Your first name" in html and "No password needed" in html
    assert 'property="og:title" content="Picnic"' in html


def test_my_events_lists_upcoming_answers(client, make_event, make_user, login):
    event = make_event(title="Wine tasting")
    ana = make_user()
    login(ana)
    client.post(f"/events/{event.id}/rsvp", data={"response": "going"})
    assert "Wine tasting" in client.get("/me/events").get_data(as_text=True)


def test_events_search_by_text_and_kind_of_place(client, make_event):
    make_event(title="Picnic in the park", venue_type=VenueType.PARK)
    make_event(title="Wine tasting", venue_type=VenueType.WINE_BAR)
    assert "Picnic" not in client.get("/events/?q=wine").get_data(as_text=True)
    html = client.get("/events/?venue=park").get_data(as_text=True)
    assert "Picnic" in html and "Wine tasting" not in html
    moon = client.get("/events/?venue=moon")
    assert moon.status_code == 200 and "Not a valid choice" in moon.get_data(True)


def _fill(event, make_user, n):
    for _ in range(n):
        rsvps.respond(event, make_user(), going=True, now=NOW)
    db.session.commit()


@pytest.mark.parametrize(
    "path",
    ["/events/{id}", "/events/{id}/attendees", "/groups/{slug}", "/events/"],
)
def test_pages_run_a_fixed_number_of_queries(
    client, make_user, make_group, make_event, login, path, count_queries
):
    counts = []
    for size in (1, 40):
        organiser = make_user()
        group = make_group(organiser)
        event = make_event(group, capacity=size // 2 or None)
        _fill(event, make_user, size)
        for _ in range(size - 1):
            make_event(group)
        login(organiser)
        url = path.format(id=event.id, slug=group.slug)
        client.get(url)  # warm caches
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
        client.post("/auth/logout")
    print(f"\n{path}: queries with 1 and 40 rows: {counts}")
    assert counts[0] == counts[1], counts


def test_dates_at_the_edge_of_the_calendar_get_a_field_error(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(starts_at="9999-12-31T20:00", ends_at="9999-12-31T23:00")
    data["host_id"] = str(maria.id)
    response = client.post(f"/groups/{group.slug}/events/new", data=data)
    assert response.status_code == 200
    assert any("Pick a date" in e for e in form_errors(response.get_data(True)))


def test_my_events_forgets_a_private_groups_events_after_leaving(
    client, make_user, make_group, make_event, add_member, login
):
    group = make_group(visibility=Visibility.PRIVATE)
    event = make_event(group, title="Secret supper")
    ana = make_user()
    add_member(group, ana)
    rsvps.respond(event, ana, going=True, now=NOW)
    groups.leave(memberships.membership_of(ana, group), NOW)
    db.session.commit()
    login(ana)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert "Secret supper" not in client.get("/me/events").get_data(as_text=True)


class FormValues(HTMLParser):
    """What a browser would submit for the page's main form, untouched."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "y")
            else:
                self.values.setdefault(name, attrs.get("value", ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs["value"]
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            # Browsers drop the newline that follows <textarea>.
            text = self.values[self._textarea]
            self.values[self._textarea] = text.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None


def test_saving_the_edit_form_unchanged_changes_nothing(client, make_event, login, db):
    event = make_event(
        title="Church supper",
        venue_type=VenueType.CHURCH,
        visibility=EventVisibility.MEMBERS,
        timezone="America/New_York",
        capacity=12,
        max_guests=2,
    )
    events.update_event(
        organiser_of(event.group),
        event,
        edited(event, host_id=organiser_of(event.group).user_id),
        NOW,
    )
    db.session.commit()  # the form's host list has no "nobody"
    before = EventDetails.of(event)
    login(organiser_of(event.group).user)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    form = FormValues()
    form.feed(page[: page.index('action="/events/')])  # the edit form, not Cancel
    response = client.post(f"/events/{event.id}/edit", data=form.values)
    assert redirect_path(response) == f"/events/{event.id}", form_errors(
        response.get_data(True)
    )
    db.session.refresh(event)
    assert EventDetails.of(event) == before


def test_an_impossible_event_id_is_a_404(client):
    assert client.get("/events/9223372036854775808").status_code == 404
    assert client.get("/events/0").status_code == 404


def test_a_home_needs_its_address_and_all_errors_show_at_once(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(venue_type="home", address="", title="  ")
    data.update(ends_at=data["starts_at"], host_id=str(maria.id))
    errors = form_errors(
        client.post(f"/groups/{group.slug}/events/new", data=data).get_data(True)
    )
    assert any("A home needs its street address" in e for e in errors)
    assert "Give the gathering a name." in errors
    assert "The end must come after the start." in errors


def test_visitors_are_not_told_whose_home_it_is(client, home_event):
    html = client.get(f"/events/{home_event.id}").get_data(as_text=True)
    assert "Maria" not in html.replace("Maria&#39;s flat", "")


def test_my_rsvps_lists_what_i_organise(client, make_event, login):
    event = make_event(title="Planned by me")
    login(organiser_of(event.group).user)
    html = client.get("/me/events").get_data(as_text=True)
    assert "You&#39;re organising" in html or "You're organising" in html
    assert "Planned by me" in html


def test_form_problems_are_summed_up_at_the_top(client, make_user, make_group, login):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(title="", capacity="0", host_id=str(maria.id))
    html = client.post(f"/groups/{group.slug}/events/new", data=data).get_data(True)
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert 'href="#title"' in summary and 'href="#capacity"' in summary


def test_a_gathering_longer_than_a_week_is_refused_by_the_field(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    data = form_data(host_id=str(maria.id))
    start = NOW + timedelta(days=7)
    data.update(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(f"/groups/{group.slug}/events/new", data=data)
    assert response.status_code == 200
    assert any("7 days at most" in e for e in form_errors(response.get_data(True)))


def test_a_four_thousand_digit_number_is_refused_not_a_500(
    client, home_event, make_user, login
):
    """Found by the fuzzer: WTForms' NumberRange made a float of it and failed."""
    login(make_user())
    huge = "1" * 4000
    reply = client.post(f"/events/{home_event.id}/rsvp",
                        data={"response": "going", "guests": huge})  # fmt: skip
    assert redirect_path(reply) == f"/events/{home_event.id}"
    page = client.get(f"/events/{home_event.id}").get_data(as_text=True)
    assert "Enter a smaller number." in page


def test_a_blank_kind_of_place_in_the_search_means_anywhere(client, make_event):
    make_event(title="Picnic")
    for blank in (" ", "%20%20", "%09"):
        reply = client.get(f"/events/?venue={blank}")
        assert reply.status_code == 200 and "Picnic" in reply.text, blank


@pytest.mark.parametrize("minor", [False, True])
def test_new_words_mail_those_going_unless_only_a_small_fix(
    client, make_event, make_user, add_member, login, minor
):
    event = make_event(title="Church supper", venue_type=VenueType.CHURCH)
    event.host_id = organiser_of(event.group).user_id  # the form lists no "nobody"
    ana = make_user(email="ana@example.org")
    add_member(event.group, ana)
    rsvps.respond(event, ana, going=True, now=NOW)
    db.session.commit()
    login(organiser_of(event.group).user)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert "Only a small fix: don't mail the people going</label>" in page
    form = FormValues()
    form.feed(page[: page.index('action="/events/')])
    data = {**form.values, "description": "Bring a dish, and a chair"}
    if minor:
        data["minor"] = "y"
    response = client.post(f"/events/{event.id}/edit", data=data)
    assert redirect_path(response) == f"/events/{event.id}", form_errors(
        response.get_data(True)
    )
    assert len(mailbox.queued(ana.email, kind="updated")) == (0 if minor else 1)
    db.session.refresh(event)
    assert event.description == "Bring a dish, and a chair" and event.sequence == 0


def test_a_new_gathering_has_no_small_fix_to_tick(client, make_user, make_group, login):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    page = client.get(f"/groups/{group.slug}/events/new").get_data(as_text=True)
    assert 'name="minor"' not in page
