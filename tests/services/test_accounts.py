"""Account rules: unique emails, password hashing and upgrades, strong
passwords, accounts made and verified by a used code."""

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

import config
from meetup.errors import Conflict, NotAllowed, WeakPassword
from meetup.services import accounts, mail_codes
from meetup.services.accounts import ProfileDetails
from tests.conftest import NOW, PASSWORD


def test_email_is_stored_lower_case_and_trimmed(make_user):
    user = make_user(email="  Maria.G@Example.ORG ")
    assert user.email == "maria.g@example.org"


def test_duplicate_email_in_another_case_is_refused(db, make_user):
    make_user(email="ana@example.org")
    with pytest.raises(Conflict, match="Another account"):
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


def test_a_new_email_waits_for_its_code_and_needs_the_password(make_user):
    user = make_user()
    with pytest.raises(NotAllowed, match="current password"):
        accounts.update_profile(
            user, ProfileDetails(user.display_name, "new@example.org", "wrong")
        )
    wanted = accounts.update_profile(
        user, ProfileDetails(user.display_name, "New@example.org", PASSWORD)
    )
    assert (wanted, user.email) == ("new@example.org", user.email)
    code = mail_codes.issue(wanted, mail_codes.CHANGE_EMAIL, NOW, user_id=user.id)
    accounts.change_email(user, code.row, NOW)
    assert (user.email, user.is_verified) == ("new@example.org", True)


def test_a_code_for_someone_elses_change_changes_nothing(make_user):
    ana, eve = make_user(), make_user()
    code = mail_codes.issue(
        "x@example.org", mail_codes.CHANGE_EMAIL, NOW, user_id=eve.id
    )
    with pytest.raises(NotAllowed):
        accounts.change_email(ana, code.row, NOW)


def test_taking_another_members_email_is_refused_once_proven(make_user):
    make_user(email="taken@example.org")
    user = make_user()
    code = mail_codes.issue(
        "taken@example.org", mail_codes.CHANGE_EMAIL, NOW, user_id=user.id
    )
    with pytest.raises(Conflict):
        accounts.change_email(user, code.row, NOW)


def test_change_password_needs_the_current_one(make_user):
    user = make_user()
    with pytest.raises(NotAllowed):
        accounts.change_password(user, "wrong password", "a brand new password")
    accounts.change_password(user, PASSWORD, "a brand new password")
    assert accounts.authenticate(user.email, "a brand new password") == user


def test_a_password_can_be_removed_and_set_again_without_one(make_user):
    user = make_user()
    accounts.change_password(user, PASSWORD, None)
    assert accounts.authenticate(user.email, PASSWORD) is None
    accounts.change_password(user, "", "lamp river biscuit")  # none to check now
    assert accounts.authenticate(user.email, "lamp river biscuit") == user


@pytest.mark.parametrize(
    "weak", ["1234567890", "          ", "member@example.org", "Member-Reads-42"]
)
def test_weak_passwords_are_refused(make_user, weak):
    user = make_user(email="member@example.org")
    with pytest.raises(WeakPassword):
        accounts.set_password(user, weak)
    assert accounts.authenticate(user.email, PASSWORD) == user


def test_a_used_code_verifies_the_address_and_makes_the_account(db, make_user):
    old = make_user(email="old@example.org", verified=False)
    code = mail_codes.issue("OLD@example.org", mail_codes.SIGN_IN, NOW).row
    user, is_new = accounts.account_for_code(code, NOW, "en_GB")
    assert (user, is_new, user.is_verified) == (old, False, True)
    code = mail_codes.issue("new@example.org", mail_codes.SIGN_IN, NOW,
                            display_name="Nora").row  # fmt: skip
    user, is_new = accounts.account_for_code(code, NOW, "es")
    assert (user.display_name, user.locale, is_new, user.is_verified) == (
        "Nora",
        "es",
        True,
        True,
    )
