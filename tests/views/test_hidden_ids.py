"""Ids of a group's members and join requests tell an outsider nothing.

Organiser-only POSTs that take a membership or join-request id decide who may
act before they load the row, so a real id of a private group answers exactly
as a made-up one does: the same 404, byte for byte.
"""

import re

import pytest

from meetup.models import JoinRequest, Membership, Role, Visibility
from meetup.services import groups
from tests.conftest import PASSWORD, CSRFClient
from tests.world import snapshot

#: The organiser-only POSTs that take an id, and a sensible form for each.
ACTIONS = [
    ("members/{id}/role", {"role": "organiser"}, "member"),
    ("members/{id}/remove", {}, "member"),
    ("requests/{id}/approve", {}, "request"),
    ("requests/{id}/decline", {}, "request"),
]


@pytest.fixture
def private_group(make_user, make_group, add_member, db):
    """A private group with a member and a waiting join request; another group."""
    group = make_group(make_user(), name="Quiet Suppers", visibility=Visibility.PRIVATE)
    member = add_member(group, make_user(name="Mo Member"))
    join_request = groups.join(make_user(name="Rae Request"), group, "Hello")
    other_organiser = make_user(name="Otto Other")
    other = make_group(other_organiser, name="Other Circle")
    other_member = add_member(other, make_user(name="Oona"))
    db.session.commit()
    return {
        "group": group,
        "ids": {"member": member.id, "request": join_request.id},
        "other": other,
        "other_organiser": other_organiser,
        "other_member_id": other_member.id,
    }


def _signed_in(app, user) -> CSRFClient:
    app.test_client_class = CSRFClient
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    client.get("/")  # the welcome is said here, not on the pages compared
    return client


#: The form tokens in the page's footer are signed with the time: two answers
#: a second boundary apart differ there and nowhere else.
_TOKEN = re.compile(rb'(name="csrf_token" value=")[^"]+"')


def page(reply) -> bytes:
    return _TOKEN.sub(rb'\1-"', reply.get_data())


def _missing(db, kind: str) -> int:
    model = Membership if kind == "member" else JoinRequest
    return (db.session.scalar(db.select(db.func.max(model.id))) or 0) + 1000


@pytest.mark.parametrize(("action", "form", "kind"), ACTIONS)
def test_an_outsider_cannot_tell_a_real_id_from_a_missing_one(
    app, db, make_user, private_group, action, form, kind
):
    slug = private_group["group"].slug
    real, missing = private_group["ids"][kind], _missing(db, kind)
    for who in (make_user(name="Stranger"), private_group["other_organiser"]):
        client = _signed_in(app, who)
        before = snapshot()
        for_real = client.post(f"/groups/{slug}/{action.format(id=real)}", data=form)
        made_up = client.post(f"/groups/{slug}/{action.format(id=missing)}", data=form)
        assert for_real.status_code == made_up.status_code == 404, who.display_name
        assert page(for_real) == page(made_up)
        assert snapshot() == before


def test_another_groups_ids_are_missing_ids_to_its_organiser(app, db, private_group):
    """The other group's organiser manages her own group: its URL with the
    private group's ids answers as with made-up ones."""
    client = _signed_in(app, private_group["other_organiser"])
    other = private_group["other"].slug
    before = snapshot()
    for action, form, kind in ACTIONS:
        real = private_group["ids"][kind]
        for_real = client.post(f"/groups/{other}/{action.format(id=real)}", data=form)
        made_up = client.post(
            f"/groups/{other}/{action.format(id=_missing(db, kind))}", data=form
        )
        assert for_real.status_code == made_up.status_code == 404, action
        assert page(for_real) == page(made_up)
    assert snapshot() == before


def test_a_member_who_does_not_run_the_group_gets_the_same_404(
    app, db, make_user, add_member, private_group
):
    ana = make_user(name="Ana")
    add_member(private_group["group"], ana, Role.MEMBER)
    db.session.commit()
    client = _signed_in(app, ana)
    slug, real = private_group["group"].slug, private_group["ids"]["member"]
    for_real = client.post(f"/groups/{slug}/members/{real}/remove")
    made_up = client.post(f"/groups/{slug}/members/{_missing(db, 'member')}/remove")
    assert for_real.status_code == made_up.status_code == 404
    assert page(for_real) == page(made_up)
