"""Pure predicates: who may see and do what. No queries; callers pass what they loaded.

`membership` is the viewer's Membership in the group, or None for visitors and
non-members. Templates ask these instead of comparing roles.
"""

from __future__ import annotations

from meetup.models import Group, Membership, Role


def is_member(membership: Membership | None) -> bool:
    return membership is not None


def can_manage_group(membership: Membership | None) -> bool:
    """Organisers and co-organisers edit the group and answer join requests."""
    return membership is not None and membership.is_organiser


def can_change_roles(membership: Membership | None) -> bool:
    """Only full organisers promote, demote and remove people."""
    return membership is not None and membership.role is Role.ORGANISER


def can_see_members(membership: Membership | None) -> bool:
    """Names of members are for members: the group's word that it is private-first."""
    return membership is not None


def can_join_directly(group: Group) -> bool:
    return not group.is_private
