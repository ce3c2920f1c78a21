"""Bad input, generated: every form and URL parameter, and no 5xx, no half-writes.

The forms are found, not listed: each page of the site is read as a signed-in
organiser or a visitor, and every `<form method="post">` on it is posted again
and again with hypothesis-generated values (huge strings, unicode edge cases,
NUL and control characters, impossible dates, enormous and negative numbers,
wrong types, missing fields). A new form is therefore fuzzed as soon as a page
shows it. An answer that is not a redirect (a form shown again with its
errors, or a 4xx) must leave every table exactly as it was.
"""

from __future__ import annotations

import json
from datetime import time
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetup.models import Admission, EventState, Role, Rule, User, VenueType
from meetup.services import bring, rota, rsvps, series
from meetup.services.series import SeriesDetails
from tests import scenes
from tests.conftest import NOW, PASSWORD, CSRFClient, redirect_path
from tests.world import snapshot

SPECIAL = [
    "", " ", "\x00", "a\x00b", "\x01\x02\x1b[31m", "\r\n\r\nX-Injected: 1", "\u202e",
    "\ufeff", "\u2028\u2029", "\u0085", "e\u0301\u0301\u0301", "𝕳𝖊𝖆𝖗𝖙𝖍 👩‍👩‍👧‍👦",
    "' OR 1=1 --", "\"; DROP TABLE users; --", "../../etc/passwd", "%00", "%s%n",
    "{{ 7*7 }}", "${7*7}", "NaN", "inf", "-inf", "-1", "0", "1e309", "0x10",
    "99999999999999999999999", "-2147483649", "9223372036854775808",
    "9999-12-31T23:59", "0001-01-01T00:00", "2026-02-30T10:00", "2026-13-01T25:61",
    "1970-01-01T00:00", "Europe/Atlantis", "UTC", "true", "[]", "{}", "null",
    "javascript:alert(1)", "http://", "https://" + "a" * 300 + ".example",
]  # fmt: skip
#: Tried in every field of every form, the rest of the form filled in as shown.
SWEEP = ["\x00", "\x01\x1b[31m", "\r\nX-Injected: 1", "\u202e\u2028", "𝕳 👩‍👩‍👧‍👦",
         "x" * 100_000, "-1", "99999999999999999999999", "1e309", "NaN",
         "9999-12-31T23:59", "2026-02-30T10:00", "", "{{ 7*7 }}"]  # fmt: skip
NASTY = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=3).map(
        lambda s: s * 4000
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: Signing out would sign the fuzzing client out; it takes no input anyway.
SIGNS_OUT = ("/auth/logout",)
#: Forms that end something (the event, a membership): fuzzed last, so the
#: others still meet a live event and its members.
ENDINGS = ("/cancel", "/remove", "/leave", "/revoke", "/end", "/delete", "/skip",
           "/give-up", "/block")  # fmt: skip


class Forms(HTMLParser):
    """The post forms on a page: action, and each field's name and shown value."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", {})
        if self._form is None:
            return
        fields, name = self._form[1], attrs.get("name")
        if tag == "option" and self._select:
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value") or ""
        elif not name or name == "csrf_token":
            return
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "button" or attrs.get("type") in ("checkbox", "radio"):
            if name not in fields or "checked" in attrs:
                fields[name] = attrs.get("value") or "y"
        elif tag == "input":
            fields[name] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea and self._form:
            self._form[1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form:
            self.found.append(self._form)
            self._form = None


def forms_on(client, url: str) -> list[tuple[str, dict[str, str]]]:
    reply = client.get(url)
    assert reply.status_code == 200, url
    parser = Forms()
    parser.feed(reply.get_data(as_text=True))
    return [(action or url, fields) for action, fields in parser.found]


@pytest.fixture
def site(app, make_user, make_group, add_member, make_event, db):
    """An organiser's group with a member, a home event with answers, a client each."""
    organiser = make_user(name="Olive")
    group = make_group(organiser, name="Fuzz Circle")
    member = make_user(name="Mo")
    add_member(group, member)
    co = add_member(group, make_user(name="Co"), Role.CO_ORGANISER)
    event = make_event(
        group, venue_type=VenueType.HOME, address="1 Test Row", capacity=2,
        max_guests=2, question="What will you bring?",
    )  # fmt: skip
    rhythm = series.create_series(
        scenes.organiser_of(group), group,
        SeriesDetails(title="Book night", rule=Rule.MONTHLY_WEEKDAY, weekday=3,
                      starts_on=NOW.date(), start_time=time(19, 30), horizon=2),
        NOW,
    )  # fmt: skip
    hosted = series.coming_dates(rhythm, NOW)[0]
    rota.claim(scenes.organiser_of(group), hosted, NOW)
    hosted.bring_list = "Dessert ×2\nIce"  # the host, going, sees the claim forms
    draft = make_event(group, title="A draft")  # its page holds the Publish form
    draft.state = EventState.DRAFT
    # A request waiting for the host: her list holds the yes and no forms.
    event.admission = Admission.EACH
    rsvps.respond(event, add_member(group, make_user(name="Asa")).user,
                  going=True, now=NOW)  # fmt: skip
    db.session.commit()
    app.test_client_class = CSRFClient
    signed_in = app.test_client()
    reply = signed_in.post(
        "/auth/login", data={"email": organiser.email, "password": PASSWORD}
    )
    assert redirect_path(reply) == "/"
    as_member = app.test_client()
    reply = as_member.post(
        "/auth/login", data={"email": member.email, "password": PASSWORD}
    )
    assert redirect_path(reply) == "/"
    return {"group": group, "event": event, "organiser": signed_in, "app": app,
            "series": rhythm, "date": hosted, "draft": draft, "member": as_member,
            "co": co}  # fmt: skip


def member_pages(site) -> list[str]:
    """The report forms: a member's, about a gathering and about a person."""
    slug, event_id = site["group"].slug, site["event"].id
    return [f"/events/{event_id}/report",
            f"/groups/{slug}/members/{site['co'].id}/report"]  # fmt: skip


def organiser_pages(site) -> list[str]:
    slug, event_id = site["group"].slug, site["event"].id
    return [
        "/", f"/groups/{slug}", f"/groups/{slug}/edit", f"/groups/{slug}/events/new",
        f"/groups/{slug}/members", f"/events/{event_id}", f"/events/{event_id}/edit",
        f"/events/{event_id}/attendees", "/me/profile", "/me/calendar", "/me/events",
        "/groups/new", f"/groups/{slug}/series/new", f"/series/{site['series'].id}",
        f"/series/{site['series'].id}/edit", f"/events/{site['date'].id}",
        f"/events/{site['date'].id}/where", f"/events/{site['draft'].id}",
        f"/events/{event_id}/message",
    ]  # fmt: skip


def all_forms(site) -> dict:
    """Every post form on the organiser's and the visitor's pages: its action
    (a visitor's as ("visitor", action)) and its fields as shown."""
    client, forms = site["organiser"], {}
    for page in organiser_pages(site):
        for action, fields in forms_on(client, page):
            if action not in SIGNS_OUT:
                forms.setdefault(action, {}).update(fields)
    visitor = site["app"].test_client()
    for page in ("/auth/login", "/auth/register", "/auth/reset"):
        for action, fields in forms_on(visitor, page):
            forms.setdefault(("visitor", action), {}).update(fields)
    for page in member_pages(site):
        for action, fields in forms_on(site["member"], page):
            if action == page:
                forms.setdefault(("member", action), {}).update(fields)
    assert len(forms) >= 15, sorted(map(str, forms))
    return forms


def test_every_form_survives_generated_input(site, record_property):
    client, forms = site["organiser"], all_forms(site)
    posts = 0

    def ending_last(item):
        action = item[0][1] if isinstance(item[0], tuple) else item[0]
        return (action.endswith(ENDINGS), str(item[0]))

    for target, fields in sorted(forms.items(), key=ending_last):
        who, action = target if isinstance(target, tuple) else ("organiser", target)
        sender = {
            "visitor": site["app"].test_client,
            "member": lambda: site["member"],
        }.get(who, lambda: client)
        posts += fuzz_form(sender, action, fields)
    record_property("fuzzed_posts", posts)
    print(f"{len(forms)} forms, {posts} generated posts")


def fuzz_form(sender, action: str, shown: dict[str, str]) -> int:
    """Post bad values to one form, each field in turn in an otherwise sensible
    form (as the page filled it in), then generated ones; how many posts."""
    posts = 0

    def check(values):
        nonlocal posts
        before = snapshot()
        reply = sender().post(action, data=values)
        posts += 1
        assert reply.status_code < 500, (action, values)
        if not 300 <= reply.status_code < 400:  # not done and redirected: refused
            assert snapshot() == before, f"{action} wrote half of {values!r}"

    for name in shown:
        for value in SWEEP:
            check({**shown, name: value})

    @FUZZ
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(shown, NASTY)))
    def generated(values):
        check(values)

    generated()
    return posts


def test_the_bring_forms_survive_generated_input(site, make_event, db, record_property):
    """Each of the bring list's forms as the page shows them: claim a unit, let
    hers go, add something else. They share one action, so `all_forms` keeps
    only the last (and the series date's list is not open yet): here the
    organiser hosts a gathering with a list, so she is going, and claims."""
    organiser = scenes.organiser_of(site["group"]).user
    event = make_event(site["group"], host_id=organiser.id,
                       bring_list="Dessert ×2\nIce\nSalad")  # fmt: skip
    bring.claim(organiser, event, "Ice", "Crushed", NOW)
    db.session.commit()
    variants = {}
    for action, fields in forms_on(site["organiser"], f"/events/{event.id}"):
        if action.endswith("/bring"):
            variants.setdefault((fields["action"], fields["thing"]), (action, fields))
    assert {kind for kind, _thing in variants} == {"claim", "unclaim", "own"}, variants
    posts = sum(
        fuzz_form(lambda: site["organiser"], action, fields)
        for action, fields in variants.values()
    )
    record_property("fuzzed_posts", posts)


URL_PARAMS = ("q", "near", "within_km", "venue", "page", "next")


def test_every_url_parameter_survives_generated_input(site, record_property):
    client = site["organiser"]
    slug, event_id = site["group"].slug, site["event"].id
    pages = organiser_pages(site) + [
        "/events/", "/groups/", "/auth/login", f"/events/{event_id}.ics",
        f"/groups/{slug}/calendar.ics", f"/events/{event_id}/attendees.csv",
    ]  # fmt: skip
    gets = 0
    for page in pages:  # each known troublemaker in each parameter
        for name in URL_PARAMS:
            for value in SWEEP:
                reply = client.get(f"{page}?{urlencode({name: value})}")
                gets += 1
                assert reply.status_code < 500, (page, name, value)

    @settings(FUZZ, max_examples=150)
    @given(
        st.sampled_from(pages),
        st.fixed_dictionaries({}, optional=dict.fromkeys(URL_PARAMS, NASTY)),
    )
    def get(page, params):
        nonlocal gets
        for sender in (client, site["app"].test_client()):
            reply = sender.get(f"{page}?{urlencode(params)}")
            gets += 1
            assert reply.status_code < 500, (page, params)

    get()

    @settings(FUZZ, max_examples=60)
    @given(NASTY, st.sampled_from(["/events/", "/groups/", "/calendar/", "/me/"]))
    def get_path(part, prefix):
        nonlocal gets
        reply = client.get(prefix + part.replace("?", "%3F").replace("#", "%23"))
        gets += 1
        assert reply.status_code < 500, (prefix, part)

    get_path()
    record_property("fuzzed_gets", gets)
    print(f"{gets} generated requests")


def test_nul_bytes_in_a_json_body_are_refused_by_every_form(site):
    """Forms read form fields only: a JSON body (here with a valid CSRF token in
    the header, as a script would send it) is refused, never read, never a 500."""
    client = site["organiser"]
    for target, fields in sorted(all_forms(site).items(), key=str):
        who, action = target if isinstance(target, tuple) else ("organiser", target)
        sender = site["app"].test_client() if who == "visitor" else client
        body = {name: f"a\x00{value}" for name, value in fields.items()}
        before = snapshot()
        reply = sender.post(
            action, data=json.dumps(body), content_type="application/json",
            headers={"X-CSRFToken": sender.csrf_token()}, csrf=False,
        )  # fmt: skip
        assert 400 <= reply.status_code < 500, (action, reply.status_code)
        assert snapshot() == before, f"{action} took a JSON body"


#: More digits than any column holds, or Python's int() takes (4,300).
HUGE_NUMBERS = ["9" * 310, "9" * 5000, "-" + "9" * 310, "1e309", "-1e309", "NaN",
                "0x10", "1_000", "٣", " 25 ", "25.5", "-0", "+30",
                "2147483648"]  # fmt: skip


def test_huge_and_odd_numbers_in_the_search_are_no_500(site):
    """A 310-digit `within_km` (and its kin in every parameter of /events/)."""
    for sender in (site["organiser"], site["app"].test_client()):
        for value in HUGE_NUMBERS:
            for params in (
                {"within_km": value, "near": "55.95,-3.19"},
                {"within_km": value},
                {"page": value},
                {"page": value, "near": "55.95,-3.19"},
                {"near": f"{value},{value}"},
                {"near": f"55.{value},-3"},
            ):
                reply = sender.get(f"/events/?{urlencode(params)}")
                assert reply.status_code < 500, params
    reply = site["organiser"].get(
        f"/events/?{urlencode({'within_km': '9' * 310, 'near': '55.95,-3.19'})}"
    )
    assert reply.status_code == 200
    assert "Enter a smaller number." in reply.get_data(as_text=True)


#: Ids past the database's integer (2**31 - 1 on PostgreSQL), in every place an
#: id is read from a path: a calendar feed's token, events, members, requests.
TOO_BIG = [2**31, 9_999_999_999, 2**63, 10**30]


def test_ids_too_large_for_the_database_are_404(site):
    client, slug = site["organiser"], site["group"].slug
    event_id = site["event"].id
    for n in TOO_BIG:
        for path in (
            f"/calendar/{n}.x.ics",
            f"/calendar/{n}.{'x' * 43}.ics",
            f"/events/{n}",
            f"/events/{n}.ics",
            f"/events/{n}/attendees",
        ):
            for sender in (client, site["app"].test_client()):
                assert sender.get(path).status_code == 404, path
        for path in (
            f"/groups/{slug}/members/{n}/role",
            f"/groups/{slug}/members/{n}/remove",
            f"/groups/{slug}/members/{n}/block",
            f"/groups/{slug}/members/{n}/unblock",
            f"/groups/{slug}/members/{n}/report",
            f"/groups/{slug}/reports/{n}/close",
            f"/events/{n}/report",
            f"/groups/{slug}/requests/{n}/approve",
            f"/events/{event_id}/attendees/{n}/arrived",
        ):
            assert client.post(path, data={"role": "member"}).status_code == 404

    @settings(FUZZ, max_examples=40)
    @given(st.integers(min_value=2**31 - 1, max_value=10**40), st.text(max_size=50))
    def feed(number, secret):
        reply = client.get(f"/calendar/{number}.{quote(secret, safe='')}.ics")
        assert reply.status_code in (400, 404), (number, secret)  # 400: a NUL

    feed()


@pytest.mark.parametrize(
    "asking, path",
    [
        ({"path": "/auth/code", "data": {"email": "fuzz@example.org"}},
         "/auth/code/check"),
        ({"path": "/me/profile", "data": {"profile-display_name": "Dee",
          "profile-email": "new-fuzz@example.org",
          "profile-current_password": PASSWORD}}, "/me/email"),
        ({"path": "/me/delete", "data": {}}, "/me/delete/code"),
    ],
)  # fmt: skip
def test_the_code_forms_survive_generated_input(site, make_user, db, asking, path):
    """Where a mailed code is typed (signing in, a new email, deleting the
    account), posted with a live code each time: a wrong one counts
    (mail_codes.tries), so that table alone may change; no one is signed in,
    changed or deleted."""
    person = make_user(name="Dee")
    client = site["app"].test_client()
    if path != "/auth/code/check":
        client.post("/auth/login", data={"email": person.email, "password": PASSWORD})

    def ask():
        assert redirect_path(client.post(asking["path"], data=asking["data"])) == path

    def others(tables):
        return {name: rows for name, rows in tables.items() if name != "mail_codes"}

    ask()
    [shown] = [fields for _action, fields in forms_on(client, path)
               if "code" in fields]  # fmt: skip

    def check(values):
        ask()
        before = others(snapshot())
        reply = client.post(path, data=values)
        assert reply.status_code < 500, values
        assert others(snapshot()) == before, values
        assert db.session.get(User, person.id) is not None

    for value in SWEEP:
        check({**shown, "code": value})

    @FUZZ
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(shown, NASTY)))
    def generated(values):
        check(values)

    generated()
