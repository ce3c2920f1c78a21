"""Group pages: wiring, permissions, forms that keep input, and the invite link."""

import re

from meetup.models import Group, Role, Visibility
from meetup.services import groups, memberships
from tests.conftest import form_errors, redirect_path
from tests.scenes import mail_code


def test_create_group_makes_the_creator_organiser(client, make_user, login, db):
    maria = make_user()
    login(maria)
    response = client.post(
        "/groups/new",
        data={
            "name": "Leith Book Circle",
            "description": "We read *and* eat.",
            "online_url": "https://www.facebook.com/groups/leithbooks",
            "area": "Leith, Edinburgh",
            "timezone": "Europe/London",
            "visibility": "private",
        },
    )
    assert response.headers["Location"] == "/groups/leith-book-circle"
    group = db.session.scalar(db.select(Group))
    assert group.visibility is Visibility.PRIVATE
    assert memberships.membership_of(maria, group).role is Role.ORGANISER
    page = client.get("/groups/leith-book-circle").get_data(as_text=True)
    assert "<em>and</em>" in page and "Members &amp; requests" in page


def test_bad_group_form_keeps_input_and_says_why_by_the_field(client, make_user, login):
    login(make_user())
    response = client.post(
        "/groups/new",
        data={
            "name": "Supper Club",
            "online_url": "our facebook group",
            "timezone": "Mars/Olympus_Mons",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    errors = form_errors(html)
    assert any("https://" in e for e in errors)
    assert any("valid choice" in e for e in errors)
    assert 'value="Supper Club"' in html
    assert 'value="our facebook group"' in html


def test_group_name_of_spaces_is_refused_and_links_get_https(
    client, make_user, login, db
):
    login(make_user())
    blank = client.post(
        "/groups/new", data={"name": "   ", "timezone": "UTC", "visibility": "public"}
    )
    assert "Give the group a name." in form_errors(blank.get_data(as_text=True))
    client.post(
        "/groups/new",
        data={
            "name": " Supper ",
            "online_url": "facebook.com/groups/supper",
            "timezone": "UTC",
            "visibility": "public",
        },
    )
    group = db.session.scalar(db.select(Group))
    assert (group.name, group.online_url) == (
        "Supper",
        "https://facebook.com/groups/supper",
    )


def test_edit_form_shows_the_current_visibility_and_saves(
    client, make_user, make_group, login, db
):
    maria = make_user()
    group = make_group(maria, name="Quiet Ones", visibility=Visibility.PRIVATE)
    login(maria)
    page = client.get(f"/groups/{group.slug}/edit").get_data(as_text=True)
    [private_radio] = re.findall(r'<input[^>]*value="private"[^>]*>', page)
    assert "checked" in private_radio
    response = client.post(
        f"/groups/{group.slug}/edit",
        data={
            "name": "Quiet Ones Renamed",
            "timezone": "Europe/London",
            "visibility": "private",
        },
    )
    assert response.headers["Location"] == f"/groups/{group.slug}"
    db.session.refresh(group)
    assert (group.name, group.slug, group.visibility) == (
        "Quiet Ones Renamed",
        "quiet-ones",
        Visibility.PRIVATE,
    )


def test_private_groups_online_link_is_for_members(
    client, make_user, make_group, add_member, login
):
    group = make_group(
        visibility=Visibility.PRIVATE, online_url="https://chat.whatsapp.com/secret"
    )
    assert "chat.whatsapp.com/secret" not in client.get(
        f"/groups/{group.slug}"
    ).get_data(True)
    ana = make_user()
    add_member(group, ana)
    login(ana)
    assert "chat.whatsapp.com/secret" in client.get(f"/groups/{group.slug}").get_data(
        True
    )


def test_creating_a_group_needs_an_account(client):
    response = client.get("/groups/new")
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_group_description_is_sanitised_on_the_page(client, make_group):
    make_group(name="Safe", description="Hi <script>alert('x')</script>")
    html = client.get("/groups/safe").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_directory_searches_and_paginates(client, app, make_group):
    app.config["GROUPS_PER_PAGE"] = 2
    for n in range(3):
        make_group(name=f"Wine Walkers {n}")
    make_group(name="Sea Swimmers")
    first = client.get("/groups/?q=wine").get_data(as_text=True)
    assert "3 groups matching" in first and "Sea Swimmers" not in first
    assert "Page 1 of 2" in first
    second = client.get("/groups/?q=wine&page=2").get_data(as_text=True)
    assert second.count('class="card"') == 1
    assert client.get("/groups/?page=99").status_code == 404
    assert client.get("/groups/?page=abc").status_code == 200  # the first page
    assert client.get("/groups/?page=10000000000000000000").status_code == 404


def test_joining_a_public_group(client, make_user, make_group, login, db):
    group = make_group(visibility=Visibility.PUBLIC)
    ana = make_user()
    login(ana)
    response = client.post(f"/groups/{group.slug}/join")
    assert response.headers["Location"] == f"/groups/{group.slug}"
    assert memberships.membership_of(ana, group) is not None


def test_private_group_request_then_approval(client, make_user, make_group, login, db):
    maria = make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    ana = make_user(name="Ana Request")
    login(ana)
    client.post(f"/groups/{group.slug}/join", data={"message": "From the WhatsApp"})
    assert memberships.membership_of(ana, group) is None
    assert "with the organisers" in client.get(f"/groups/{group.slug}").get_data(True)
    assert client.get(f"/groups/{group.slug}/members").status_code == 404

    client.post("/auth/logout")
    login(maria)
    members_page = client.get(f"/groups/{group.slug}/members").get_data(True)
    assert "Ana Request" in members_page and "From the WhatsApp" in members_page
    request = memberships.pending_request(ana, group)
    client.post(f"/groups/{group.slug}/requests/{request.id}/approve")
    assert memberships.membership_of(ana, group).role is Role.MEMBER


def test_members_only_see_the_member_list(client, make_user, make_group, login):
    group = make_group(visibility=Visibility.PUBLIC)
    assert client.get(f"/groups/{group.slug}/members").status_code == 404
    login(make_user())
    assert client.get(f"/groups/{group.slug}/members").status_code == 404


def test_members_cannot_edit_or_manage(
    client, make_user, make_group, add_member, login
):
    group = make_group()
    ana = make_user()
    add_member(group, ana)
    login(ana)
    assert client.get(f"/groups/{group.slug}/edit").status_code == 403
    response = client.post(f"/groups/{group.slug}/invite-link/revoke")
    assert redirect_path(response) == f"/groups/{group.slug}/members"
    assert client.get(response.headers["Location"]).status_code == 200
    assert group.invite_token is not None


def test_last_organiser_cannot_leave_through_the_page(
    client, make_user, make_group, login
):
    maria = make_user()
    group = make_group(maria)
    login(maria)
    response = client.post(f"/groups/{group.slug}/leave", follow_redirects=True)
    assert "needs an organiser" in response.get_data(as_text=True)
    assert memberships.membership_of(maria, group) is not None


def test_organiser_changes_roles(client, make_user, make_group, add_member, login, db):
    maria = make_user()
    group = make_group(maria)
    ana = add_member(group, make_user())
    login(maria)
    client.post(
        f"/groups/{group.slug}/members/{ana.id}/role", data={"role": "co-organiser"}
    )
    db.session.refresh(ana)
    assert ana.role is Role.CO_ORGANISER
    bad = client.post(f"/groups/{group.slug}/members/{ana.id}/role", data={"role": "x"})
    assert bad.status_code == 400


def test_invite_link_lets_a_newcomer_sign_up_and_join(
    client, make_user, make_group, db
):
    group = make_group(name="Secret Suppers", visibility=Visibility.PRIVATE)
    invite = f"/groups/{group.slug}/invite/{group.invite_token}"
    page = client.get(invite).get_data(as_text=True)
    assert "You're invited" in page
    assert f"/auth/register?next={invite}" in page
    client.post(
        f"/auth/register?next={invite}",
        data={"display_name": "Newbie", "email": "new@example.org"},
    )
    code, _link = mail_code("new@example.org")
    response = client.post("/auth/code/check", data={"code": code})
    assert response.headers["Location"] == invite
    client.post(invite)
    newbie = db.session.scalar(
        db.select(groups.User).filter_by(email="new@example.org")
    )
    assert memberships.membership_of(newbie, group).role is Role.MEMBER


def test_revoked_invite_link_is_refused(client, make_user, make_group, login):
    maria = make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    token = group.invite_token
    login(maria)
    client.post(f"/groups/{group.slug}/invite-link/renew")
    client.post("/auth/logout")
    ana = make_user()
    login(ana)
    response = client.post(
        f"/groups/{group.slug}/invite/{token}", follow_redirects=True
    )
    assert "no longer works" in response.get_data(as_text=True)
    assert memberships.membership_of(ana, group) is None


def test_state_changes_refuse_get(client, make_group):
    group = make_group()
    for path in ("join", "leave", "invite-link/renew", "invite-link/revoke"):
        assert client.get(f"/groups/{group.slug}/{path}").status_code == 405


def test_a_long_list_stops_counting_and_says_so(client, make_group, monkeypatch):
    from meetup.views import paging

    monkeypatch.setattr(paging, "COUNT_UP_TO", 2)
    for n in range(4):
        make_group(name=f"Knitters {n}")
    page = client.get("/groups/?q=knitters").get_data(as_text=True)
    assert "2+ groups matching" in page
