"""The data model, one module per aggregate; import models from here."""

from meetup.models.group import Group, JoinRequest, Membership, Role, Visibility
from meetup.models.user import User

__all__ = ["Group", "JoinRequest", "Membership", "Role", "User", "Visibility"]
