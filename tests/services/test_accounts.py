"""Account rules: unique emails, password hashing and upgrades, reset links."""

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

import config
from meetup.auth_session import load_user
from meetup.errors import Conflict, InvalidToken, NotAllowed
from meetup.services import accounts
from meetup.services.accounts import ProfileDetails
from tests.conftest import PASSWORD


def test_email_is_stored_lower_case_and_trimmed(make_user):
    user = make_user(email="  Maria.G@Example.ORG ")
    assert user.email == "maria.g@example.org"


def test_duplicate_email_in_another_case_is_refused(db, make_user):
    make_user(email="ana@example.org")
    with pytest.raises(Conflict, match="already exists"):
        accounts.register("Another Ana", "ANA@Example.org", PASSWORD)


def test_authenticate_accepts_any_case_of_the_email(make_user):
    user = make_user(email="ana@example.org")
    assert accounts.authenticate("ANA@example.ORG", PASSWORD) == user


def test_authenticate_refuses_wrong_password_and_unknown_email(make_user):
    make_user(email="ana@example.org")
    assert accounts.authenticate("ana@example.org", "not the password") is None
    assert accounts.authenticate("nobody@example.org", PASSWORD) is None


def test_passwords_are_hashed_with_argon2id(make_user):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_production_hash_parameters_meet_owasp_minimums():
    # OWASP Password Storage Cheat Sheet: argon2id, m >= 19 MiB, t >= 2, p >= 1.
    params = config.ProductionConfig.ARGON2
    assert params["memory_cost"] >= 19 * 1024
    assert params["time_cost"] >= 2
    assert params["parallelism"] >= 1


def test_old_werkzeug_hash_is_upgraded_on_login(db, make_user):
    user = make_user()
    user.password_hash = generate_password_hash(PASSWORD)  # scrypt, pre-argon2
    db.session.commit()
    assert accounts.authenticate(user.email, PASSWORD) == user
    assert user.password_hash.startswith("$argon2id$")


def test_weaker_argon2_hash_is_upgraded_on_login(db, make_user):
    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
    db.session.commit()
    accounts.authenticate(user.email, PASSWORD)
    assert "m=8192,t=1,p=1" in user.password_hash  # the testing config's parameters


def test_taking_another_members_email_is_refused(make_user):
    make_user(email="taken@example.org")
    user = make_user()
    with pytest.raises(Conflict):
        accounts.update_profile(
            user, ProfileDetails("New Name", "TAKEN@example.org", PASSWORD)
        )


def test_changing_email_needs_the_password_and_ends_reset_links(make_user):
    user = make_user()
    token = accounts.make_reset_token(user)
    with pytest.raises(NotAllowed, match="current password"):
        accounts.update_profile(
            user, ProfileDetails(user.display_name, "new@example.org", "wrong")
        )
    accounts.update_profile(
        user, ProfileDetails(user.display_name, "new@example.org", PASSWORD)
    )
    assert user.email == "new@example.org"
    with pytest.raises(InvalidToken):
        accounts.user_for_reset_token(token)


def test_change_password_needs_the_current_one(make_user):
    user = make_user()
    with pytest.raises(NotAllowed):
        accounts.change_password(user, "wrong password", "a brand new password")
    accounts.change_password(user, PASSWORD, "a brand new password")
    assert accounts.authenticate(user.email, "a brand new password") == user


def test_changing_the_password_ends_other_sessions(make_user):
    user = make_user()
    old_login_id = user.get_id()
    accounts.set_password(user, "a brand new password")
    assert load_user(old_login_id) is None
    assert load_user(user.get_id()) == user


def test_reset_link_works_once(make_user):
    user = make_user()
    token = accounts.make_reset_token(user)
    assert accounts.user_for_reset_token(token) == user
    accounts.set_password(user, "a brand new password")
    with pytest.raises(InvalidToken):
        accounts.user_for_reset_token(token)


def test_reset_link_expires(app, make_user):
    user = make_user()
    token = accounts.make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    with pytest.raises(InvalidToken, match="expired"):
        accounts.user_for_reset_token(token)


def test_forged_reset_link_is_refused(make_user):
    make_user()
    with pytest.raises(InvalidToken):
        accounts.user_for_reset_token("bm90IGEgcmVhbCB0b2tlbg.forged.sig")
