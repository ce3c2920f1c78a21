"""Group rules: slugs, joining, requests, invites, roles and the last organiser."""

import pytest

from meetup.errors import InvalidToken, LastOrganiser, NotAllowed
from meetup.extensions import db
from meetup.models import JoinRequest, Membership, Role, Visibility
from meetup.services import groups, memberships
from tests.conftest import NOW
from tests.scenes import edited_group


def test_creator_becomes_the_organiser(make_user, make_group):
    maria = make_user()
    group = make_group(maria)
    assert memberships.membership_of(maria, group).role is Role.ORGANISER


def test_slugs_are_readable_unique_and_never_shadow_a_url(make_group):
    assert make_group(name="Book & Wine Club").slug == "book-wine-club"
    assert make_group(name="Book & Wine Club").slug == "book-wine-club-2"
    assert make_group(name="Café Crème").slug == "cafe-creme"
    assert make_group(name="New").slug == "new-group"
    assert make_group(name="!!!").slug == "group"


def test_slug_stays_when_the_group_is_renamed(make_user, make_group):
    maria = make_user()
    group = make_group(maria, name="Supper Club")
    organiser = memberships.membership_of(maria, group)
    groups.update_group(organiser, group, edited_group(group, name="Sunday Suppers"))
    assert (group.slug, group.name) == ("supper-club", "Sunday Suppers")


def test_only_organisers_edit_a_group(make_user, make_group, add_member):
    group = make_group()
    member = add_member(group, make_user())
    with pytest.raises(NotAllowed):
        groups.update_group(member, group, edited_group(group, name="Taken over"))


def test_joining_a_public_group_is_immediate(make_user, make_group):
    group = make_group(visibility=Visibility.PUBLIC)
    result = groups.join(make_user(), group)
    assert isinstance(result, Membership) and result.role is Role.MEMBER


def test_joining_a_private_group_makes_a_request(make_user, make_group):
    group = make_group(visibility=Visibility.PRIVATE)
    ana = make_user()
    result = groups.join(ana, group, "  I'm in the Facebook group ")
    assert isinstance(result, JoinRequest)
    assert result.message == "I'm in the Facebook group"
    assert memberships.membership_of(ana, group) is None
    assert groups.join(ana, group) == result  # asking twice changes nothing


def test_organiser_approves_a_request(make_user, make_group):
    maria = make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    ana = make_user()
    request = groups.join(ana, group)
    groups.approve(memberships.membership_of(maria, group), request, NOW)
    assert memberships.membership_of(ana, group).role is Role.MEMBER
    assert memberships.pending_request(ana, group) is None


def test_co_organiser_may_answer_requests_but_not_change_roles(
    make_user, make_group, add_member
):
    group = make_group(visibility=Visibility.PRIVATE)
    co = add_member(group, make_user(), Role.CO_ORGANISER)
    ana = make_user()
    groups.decline(co, groups.join(ana, group))
    assert memberships.pending_request(ana, group) is None
    member = add_member(group, make_user())
    with pytest.raises(NotAllowed):
        groups.set_role(co, member, Role.CO_ORGANISER)


def test_member_cannot_answer_requests(make_user, make_group, add_member):
    group = make_group(visibility=Visibility.PRIVATE)
    member = add_member(group, make_user())
    request = groups.join(make_user(), group)
    with pytest.raises(NotAllowed):
        groups.approve(member, request, NOW)


def test_organisers_of_another_group_have_no_say(make_user, make_group):
    maria = make_user()
    other = make_group(maria)
    group = make_group(visibility=Visibility.PRIVATE)
    request = groups.join(make_user(), group)
    with pytest.raises(NotAllowed):
        groups.approve(memberships.membership_of(maria, other), request, NOW)


def test_the_last_organiser_cannot_leave(make_user, make_group):
    maria = make_user()
    group = make_group(maria)
    with pytest.raises(LastOrganiser):
        groups.leave(memberships.membership_of(maria, group), NOW)
    db.session.rollback()
    assert memberships.membership_of(maria, group) is not None


def test_the_last_organiser_cannot_be_demoted_or_removed(
    make_user, make_group, add_member
):
    maria = make_user()
    group = make_group(maria)
    organiser = memberships.membership_of(maria, group)
    with pytest.raises(LastOrganiser):
        groups.set_role(organiser, organiser, Role.MEMBER)
    with pytest.raises(LastOrganiser):
        groups.remove_member(organiser, organiser, NOW)


def test_an_organiser_may_leave_once_another_exists(make_user, make_group, add_member):
    maria = make_user()
    group = make_group(maria)
    add_member(group, make_user(), Role.ORGANISER)
    groups.leave(memberships.membership_of(maria, group), NOW)
    assert memberships.membership_of(maria, group) is None


def test_organiser_promotes_demotes_and_removes(make_user, make_group, add_member):
    maria = make_user()
    group = make_group(maria)
    organiser = memberships.membership_of(maria, group)
    ana = add_member(group, make_user())
    groups.set_role(organiser, ana, Role.CO_ORGANISER)
    assert ana.role is Role.CO_ORGANISER
    groups.set_role(organiser, ana, Role.MEMBER)
    assert ana.role is Role.MEMBER
    groups.remove_member(organiser, ana, NOW)
    assert memberships.member_count(group) == 1


def test_invite_link_joins_a_private_group_without_approval(make_user, make_group):
    group = make_group(visibility=Visibility.PRIVATE)
    ana = make_user()
    membership = groups.join_with_invite(ana, group, group.invite_token)
    assert membership.role is Role.MEMBER


def test_revoked_and_renewed_invite_links_stop_working(make_user, make_group):
    maria = make_user()
    group = make_group(maria, visibility=Visibility.PRIVATE)
    organiser = memberships.membership_of(maria, group)
    old = group.invite_token
    groups.renew_invite(organiser, group)
    assert group.invite_token != old
    with pytest.raises(InvalidToken):
        groups.join_with_invite(make_user(), group, old)
    groups.revoke_invite(organiser, group)
    with pytest.raises(InvalidToken):
        groups.join_with_invite(make_user(), group, "")


def test_search_matches_name_area_and_description_words(make_group):
    make_group(name="Book Circle", area="Leith, Edinburgh")
    make_group(name="Supper Club", description="We cook in the church hall")
    make_group(name="100% Swimmers")

    def names(text):
        return sorted(g.name for g in db.session.scalars(groups.search(text)))

    assert names("leith") == ["Book Circle"]
    assert names("CHURCH hall") == ["Supper Club"]
    assert names("%") == ["100% Swimmers"]  # a literal percent, not a wildcard
    assert len(names("")) == 3


def test_members_are_listed_organisers_first(make_user, make_group, add_member):
    group = make_group(make_user(name="Zoe"))
    add_member(group, make_user(name="Anna"))
    add_member(group, make_user(name="Bea"), Role.CO_ORGANISER)
    assert [m.user.display_name for m in memberships.members(group)] == [
        "Zoe",
        "Bea",
        "Anna",
    ]
