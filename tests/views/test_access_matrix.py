"""Who may open what: every route × eleven identities × every state of its object.

The routes come from `app.url_map`, so a new route without a row in `GET_RULES`
or `POST_RULES` fails `test_every_route_is_in_the_matrix`. Each rule says, in
the words of DESIGN.md, what each identity should get; the tests ask the app.
State-changing routes must refuse GET and a POST without a CSRF token, and a
refused POST must change nothing at all in the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from tests.conftest import CSRFClient
from tests.world import (
    IDENTITIES,
    MANAGERS,
    MEMBERS,
    STATES,
    World,
    build,
    client_for,
    routes,
    snapshot,
    urls,
)


@dataclass(frozen=True)
class Redirect:
    """Any redirect (Flask 3.2 moves 302 to 303) to a path matching `to`."""

    to: str

    def __str__(self) -> str:
        return f"a redirect to {self.to}"


SIGN_IN = Redirect("/auth/login")
HOME = Redirect("/")
EVENT_PAGE = Redirect(r"/events/\d+")
GROUP_PAGE = Redirect(r"/groups/[\w-]+")
MEMBERS_PAGE = Redirect(r"/groups/[\w-]+/members")
ONE_TAP_PAGE = Redirect(r"/a/[\w.-]+")
DELETE_PAGE = Redirect("/me/delete")
Expected = int | Redirect


def meets(reply, want: Expected) -> bool:
    if isinstance(want, int):
        return reply.status_code == want
    path = urlsplit(reply.headers.get("Location", "")).path
    return 300 <= reply.status_code < 400 and re.fullmatch(want.to, path) is not None


def seen(reply) -> str:
    where = reply.headers.get("Location")
    return f"{reply.status_code}" + (f" to {where}" if where else "")


def sees(identity: str, state: str) -> bool:
    """DESIGN.md, Visibility: private groups' and members-only events: members.
    A draft: its group's organisers (not its host); a date that needs a host:
    members."""
    rule = STATES[state]
    if rule.get("draft"):
        return identity in MANAGERS
    if rule.get("host_needed"):
        return identity in MEMBERS
    if rule["group"] == "private" or rule["visibility"] == "members":
        return identity in MEMBERS
    return True


def hosts(identity: str, state: str) -> bool:
    """Gets the host's tools: the organisers, and the host (a date that needs
    one has none)."""
    return identity in MANAGERS or (
        identity == "host" and not STATES[state].get("host_needed")
    )


def answerable(state: str) -> bool:
    return not (STATES[state].get("draft") or STATES[state].get("host_needed"))


def signed_in(identity: str, code: Expected) -> Expected:
    """What a sign-in-only page gives: the login redirect for visitors."""
    return SIGN_IN if identity == "visitor" else code


# --- GET: the expected status for each identity ------------------------------


def _event_page(who, state):
    return 200 if sees(who, state) else 404


def _host_tools(who, state):
    if who == "visitor":
        return SIGN_IN
    return 200 if sees(who, state) and hosts(who, state) else 404


def _event_edit(who, state):
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    if who not in MANAGERS:
        return 403
    return EVENT_PAGE if state.startswith("cancelled") else 200  # told why


def _share_link(who, state):
    """Who may see it goes to it; the rest get the page naming the group, but
    for a draft, whose link never left the organisers."""
    if sees(who, state):
        return EVENT_PAGE
    return 404 if STATES[state].get("draft") else 200


def _event_poster(who, state):
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    return 200 if who in MANAGERS else 403


def _group_feed(who, _):
    return 200  # private groups' feeds hold only what the reader may see (none)


def _members_page(who, _):
    return 200 if who in MEMBERS else 404


def _group_manage(who, _):
    return signed_in(who, 200 if who in MANAGERS else 403)


def _series_page(who, group):
    """A series is seen like its group's public gatherings (the book night's
    are public): everyone in a public group, members in a private one."""
    return 200 if group == "public" or who in MEMBERS else 404


def _series_manage(who, group):
    if who == "visitor":
        return SIGN_IN
    if _series_page(who, group) == 404:
        return 404
    return 200 if who in MANAGERS else 403


def _not_a_series_date(who, state):
    """The matrix's gatherings are one-offs: the host slot's pages refuse."""
    if who == "visitor":
        return SIGN_IN
    return 403 if sees(who, state) else 404


def _report_person(who, _):
    """Members report someone else to the organisers (who act instead); the
    matrix's person is "member", so she may not report herself."""
    if who == "visitor":
        return SIGN_IN
    if who not in MEMBERS:
        return 404  # as the members page
    return 403 if who in MANAGERS or who == "member" else 200


def _report_event(who, state):
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    return 200 if who in MEMBERS and who not in MANAGERS else 403


def _write_to_attendees(who, state):
    """The host's word to the people coming: the organisers and the host; other
    members (and strangers to a gathering they may see) are refused."""
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    return 200 if hosts(who, state) else 403


GET_RULES: dict[str, Callable[[str, str | None], Expected]] = {
    "messages.write": _write_to_attendees,
    "safety.report_person": _report_person,
    "safety.report_event": _report_event,
    "series.new": _group_manage,
    "series.show": _series_page,
    "series.rota_page": _series_page,
    "series.edit": _series_manage,
    "series.where": _not_a_series_date,
    "main.index": lambda who, _: 200,
    "main.healthz": lambda who, _: 200,
    "main.readyz": lambda who, _: 200,
    "main.unsubscribe": lambda who, _: 200,  # the signed token is the key
    # Anyone holding the link sees the page (what *they* may see of the event:
    # the leak hunt checks); an ended gathering's link is gone.
    "one_tap.answer": lambda who, state: 410 if state == "past-home" else 200,
    "sharing.shared": _share_link,
    # The card is what a visitor may see, the same for everyone; else 404.
    "sharing.event_card": lambda who, state: 200 if sees("visitor", state) else 404,
    "sharing.group_card": lambda who, _: 200,
    # Posters hang where anyone passes: the organisers print them.
    "sharing.event_poster": _event_poster,
    "sharing.group_poster": _group_manage,
    # A website's widget: a public group's next public gatherings, for anyone.
    "sharing.embed": lambda who, group: 200 if group == "public" else 404,
    "groups.cover_picture": lambda who, _: 404,  # the world's groups have none
    "static": lambda who, _: 200,
    "auth.login": lambda who, _: 200 if who == "visitor" else HOME,
    "auth.register": lambda who, _: 200 if who == "visitor" else HOME,
    "auth.reset_request": lambda who, _: 200,
    "auth.code_request": lambda who, _: 200,
    # No code asked for in this browser, or a made-up link: ask for one.
    "auth.code_check": lambda who, _: Redirect("/auth/code"),
    "auth.code_link": lambda who, _: Redirect("/auth/code"),
    "groups.index": lambda who, _: 200,
    "groups.new": lambda who, _: signed_in(who, 200),
    "groups.show": lambda who, _: 200,  # private: name and description only
    "groups.edit": _group_manage,
    "groups.members": _members_page,
    "groups.invite": lambda who, _: 200,
    "planning.new": _group_manage,
    "events.index": lambda who, _: 200,
    "events.show": _event_page,
    "calendars.event_file": _event_page,
    "calendars.group_feed": _group_feed,
    "calendars.personal_feed": lambda who, _: 200,  # the token is the key
    "calendars.mine": lambda who, _: signed_in(who, 200),
    "attendees.index": _host_tools,
    "attendees.export": _host_tools,
    "planning.edit": _event_edit,
    "me.my_events": lambda who, _: signed_in(who, 200),
    "me.profile": lambda who, _: signed_in(who, 200),
    "devices.index": lambda who, _: signed_in(who, 200),
    # No code asked for in this browser: back to the profile to ask.
    "me.confirm_email": lambda who, _: signed_in(who, Redirect("/me/profile")),
    "my_data.export": lambda who, _: signed_in(who, 200),
    "my_data.delete": lambda who, _: signed_in(who, 200),  # a last organiser: why not
    "my_data.confirm_delete": lambda who, _: signed_in(who, DELETE_PAGE),  # no code yet
}

# --- POST: who is refused, and with what -------------------------------------


def _refuse_managing_event(who, state):
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    return None if who in MANAGERS else 403


def _refuse_host_tools(who, state):
    if who == "visitor":
        return SIGN_IN
    return None if sees(who, state) and hosts(who, state) else 404


def _refuse_managing_group(who, _):
    if who == "visitor":
        return SIGN_IN
    return None if who in MANAGERS else MEMBERS_PAGE  # told why


def _refuse_changing_roles(who, _):
    if who == "visitor":
        return SIGN_IN
    if who not in MANAGERS:
        return 404  # a member's id tells those who don't run the group nothing
    return None if who == "organiser" else MEMBERS_PAGE  # told why


def _refuse_answering_requests(who, _):
    if who == "visitor":
        return SIGN_IN
    return None if who in MANAGERS else 404  # as a missing request's id


def _refuse_answering(who, state):
    if not sees(who, state):
        return 404
    if who == "visitor":
        return 400  # she may answer with a name and an email; here there are none
    if not answerable(state) or who == "blocked":
        return EVENT_PAGE  # told why: a draft, a date that needs a host, a block
    return None


def _refuse_bringing(who, state):
    """Only those going claim (the host too): others are told why; a visitor
    signs in; a gathering one may not see is not there."""
    if who == "visitor":
        return SIGN_IN
    if not sees(who, state):
        return 404
    rule = STATES[state]
    open_now = answerable(state) and not rule.get("cancelled") and not rule.get("past")
    return None if who in ("going", "host") and open_now else EVENT_PAGE


def _refuse_joining(who, _):
    if who == "visitor":
        return SIGN_IN
    return GROUP_PAGE if who == "blocked" else None  # told why


def _refuse_reporting(report_rule):
    def refuse(who, state):
        want = report_rule(who, state)
        return None if want == 200 else want

    return refuse


def _tap_going_again(who, state):
    """The links are the "going" person's "I'm going": whoever taps one, it
    answers for her, and she is going already, so nothing changes (idempotent);
    a cancelled date refuses with a message, an ended one is gone."""
    return 410 if state == "past-home" else ONE_TAP_PAGE


def _self_service(who, _):
    return SIGN_IN if who == "visitor" else None


def _refuse_series_manage(who, group):
    want = _series_manage(who, group)
    return None if want == 200 else want


def _refuse_series_member(who, group):
    if who == "visitor":
        return SIGN_IN
    if _series_page(who, group) == 404:
        return 404
    return None if who in MEMBERS else 403


def _refuse_one_off_slot(who, state):
    """A host slot's button with no action chosen: a bad request."""
    if who == "visitor":
        return SIGN_IN
    return 400 if sees(who, state) else 404


#: None: this identity may do it (not tried here: the feature tests do it).
POST_RULES: dict[str, Callable[[str, str | None], Expected | None]] = {
    "messages.write": _refuse_reporting(_write_to_attendees),
    "safety.block": _refuse_changing_roles,
    "safety.unblock": _refuse_changing_roles,
    "safety.close_report": _refuse_answering_requests,
    "safety.report_person": _refuse_reporting(_report_person),
    "safety.report_event": _refuse_reporting(_report_event),
    "series.new": lambda who, _: _group_manage(who, _) if who not in MANAGERS else None,
    "series.edit": _refuse_series_manage,
    "series.change": _refuse_series_manage,
    "series.put_me_down": _refuse_series_member,
    "series.hosting_requests": _refuse_series_member,
    "series.stop_putting_me_down": _refuse_series_member,
    "series.host": _refuse_one_off_slot,
    "series.skip": _not_a_series_date,
    "series.where": _not_a_series_date,
    "planning.cancel": _refuse_managing_event,
    "planning.edit": _refuse_managing_event,
    "planning.publish": _refuse_managing_event,
    "sharing.new_code": _refuse_managing_event,
    "attendees.act": _refuse_host_tools,
    "events.rsvp": _refuse_answering,
    "events.bring_list": _refuse_bringing,
    "groups.edit": lambda who, _: (
        _group_manage(who, _) if who not in MANAGERS else None
    ),
    "groups.manage_invite": _refuse_managing_group,
    "groups.cover": lambda who, _: (
        _group_manage(who, _) if who not in MANAGERS else None
    ),
    "groups.remove_cover": lambda who, _: (
        _group_manage(who, _) if who not in MANAGERS else None
    ),
    "groups.answer_request": _refuse_answering_requests,
    "groups.set_role": _refuse_changing_roles,
    "groups.remove_member": _refuse_changing_roles,
    "planning.new": lambda who, _: (
        _group_manage(who, _) if who not in MANAGERS else None
    ),
    "groups.join": _refuse_joining,
    "groups.leave": _self_service,
    "groups.new": _self_service,
    # The token is the key, but not for the blocked.
    "groups.invite": lambda who, _: GROUP_PAGE if who == "blocked" else None,
    "me.profile": _self_service,
    "me.change_password": _self_service,
    "me.mail_choices": _self_service,
    "my_data.delete": _self_service,
    # Without a code asked for in this browser: back to ask for one.
    "my_data.confirm_delete": lambda who, _: signed_in(who, DELETE_PAGE),
    "calendars.new_link": _self_service,
    "calendars.choose_copy": _self_service,
    "auth.logout": lambda who, _: HOME if who == "visitor" else None,
    "auth.login": lambda who, _: None,
    "auth.register": lambda who, _: None,
    "auth.reset_request": lambda who, _: None,
    "auth.code_request": lambda who, _: None,
    "auth.code_check": lambda who, _: None,
    "auth.code_link": lambda who, _: None,
    # The member's own device: anyone else's id answers like a missing one.
    "devices.end": lambda who, _: (
        SIGN_IN if who == "visitor" else None if who == "member" else 404
    ),
    "devices.end_all": _self_service,
    "me.confirm_email": _self_service,
    "me.remove_password": _self_service,
    "main.unsubscribe": lambda who, _: None,
    "one_tap.answer": _tap_going_again,
    "main.language": lambda who, _: None,  # anyone may choose a language
    # A mail provider's webhook: not there without REPLY_DOMAIN and its secret
    # (as here); with them, a session is nothing and the secret everything
    # (tests/test_inbound_replies.py).
    "inbound.mail": lambda who, _: 404,
}
#: One-click unsubscribe (RFC 8058) and one-tap answers: mail apps and browsers
#: that never saw Hearth POST with no session; the signed token is the proof.
#: The inbound-mail webhook: a server posts, with the shared secret.
CSRF_EXEMPT = {"main.unsubscribe", "one_tap.answer", "inbound.mail"}


# --- the tests -----------------------------------------------------------------


@pytest.fixture
def world(app) -> World:
    return build()


@pytest.fixture
def clients(app, world) -> dict[str, CSRFClient]:
    return {who: client_for(app, world, who) for who in IDENTITIES}


def test_every_route_is_in_the_matrix(app):
    for endpoint, methods in routes(app).items():
        if "GET" in methods:
            assert endpoint in GET_RULES, f"{endpoint}: add a GET rule to the matrix"
        if "POST" in methods:
            assert endpoint in POST_RULES, f"{endpoint}: add a POST rule to the matrix"
    assert set(GET_RULES) | set(POST_RULES) <= set(routes(app)), "rules for old routes"


def test_each_identity_gets_what_the_rules_say(app, world, clients, record_property):
    wrong, cells = [], 0
    for endpoint, methods in sorted(routes(app).items()):
        if "GET" not in methods:
            continue
        for identity in IDENTITIES:
            for cell in urls(app, world, endpoint, identity):
                want = GET_RULES[endpoint](identity, cell.state)
                with clients[identity].get(cell.url) as reply:  # closes static files
                    if not meets(reply, want):
                        wrong.append(f"{identity} GET {cell.url} [{cell.state}]: "
                                     f"{seen(reply)}, expected {want}")  # fmt: skip
                cells += 1
    record_property("get_cells", cells)
    print(f"{cells} GET cells")
    assert not wrong, "\n".join(wrong)


def test_state_changing_routes_refuse_get_and_forged_posts(app, world, clients):
    wrong = []
    # /me/calendar shows the link (GET) and makes a new one (POST): two views.
    readable = {r.rule for r in app.url_map.iter_rules() if "GET" in r.methods}
    for endpoint, methods in sorted(routes(app).items()):
        if "POST" not in methods:
            continue
        for identity in ("visitor", "organiser"):
            for cell in urls(app, world, endpoint, identity):
                client = clients[identity]
                if "GET" not in methods and cell.url not in readable:
                    got = client.get(cell.url).status_code
                    if got != 405:
                        wrong.append(f"GET {cell.url}: {got}, expected 405")
                if endpoint in CSRF_EXEMPT:
                    continue
                got = client.post(cell.url, csrf=False).status_code
                if got != 400:
                    wrong.append(f"{identity} POST {cell.url} without CSRF: {got}")
    assert not wrong, "\n".join(wrong)


def test_refused_posts_change_nothing(app, world, clients, record_property):
    before, wrong, tried = snapshot(), [], 0
    for endpoint, methods in sorted(routes(app).items()):
        if "POST" not in methods:
            continue
        for identity in IDENTITIES:
            for cell in urls(app, world, endpoint, identity):
                want = POST_RULES[endpoint](identity, cell.state)
                if want is None:
                    continue
                tried += 1
                got = clients[identity].post(cell.url, data=FORMS.get(endpoint, {}))
                if not meets(got, want):
                    wrong.append(f"{identity} POST {cell.url} [{cell.state}]: "
                                 f"{seen(got)}, expected {want}")  # fmt: skip
                after = snapshot()
                if after != before:
                    changed = [t for t in after if after[t] != before[t]]
                    wrong.append(f"{identity} POST {cell.url} changed {changed}")
                    before = after
    record_property("refused_posts", tried)
    print(f"{tried} refused POSTs")
    assert not wrong, "\n".join(wrong)


#: Forms filled in as the rightful user would, so a refusal is about who, not what.
FORMS = {
    "planning.cancel": {"reason": "Refused, surely"},
    "planning.publish": {"tell_members": "y"},
    "events.rsvp": {"response": "going"},
    "events.bring_list": {"action": "claim", "thing": "Dessert"},
    "safety.report_person": {"text": "Refused, surely"},
    "safety.report_event": {"text": "Refused, surely"},
    "my_data.confirm_delete": {"code": "123456"},
    "groups.set_role": {"role": "organiser"},
    "groups.edit": {"name": "Taken over", "area": "Leith, Edinburgh",
                    "timezone": "Europe/London", "visibility": "public"},
}  # fmt: skip
