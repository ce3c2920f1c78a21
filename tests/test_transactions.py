"""A rollback undoes everything, on SQLite as on PostgreSQL: a savepoint that is
a transaction's first write goes with the rest, and so does the mail queued
after it (the outbox's promise: mail goes if and only if the change is saved).
"""

from sqlalchemy import Engine, event, func, select

from meetup import extensions
from meetup.models import JoinRequest, OutboxMail, User, Visibility
from meetup.services import groups


def rows(db, model) -> int:
    """Counted on a connection of its own: what others would see."""
    with db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_a_savepoint_that_is_the_first_write_is_rolled_back_with_the_rest(db):
    with db.session.begin_nested():
        db.session.add(User(display_name="Ana", email="ana@example.org",
                            password_hash="x"))  # fmt: skip
    db.session.rollback()
    assert rows(db, User) == 0


def test_a_refused_request_leaves_neither_the_join_request_nor_its_mail(
    db, make_user, make_group
):
    group = make_group(name="Quiet Readers", visibility=Visibility.PRIVATE)
    asking = make_user(name="Bea")
    groups.join(asking, group, "May I come?")  # begin_nested, then the mail
    db.session.flush()
    in_session = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (JoinRequest, OutboxMail)
    ]
    assert in_session == [1, 1]  # the request, and the organiser's mail
    db.session.rollback()  # as a request that fails after the service ran
    assert (rows(db, JoinRequest), rows(db, OutboxMail)) == (0, 0)


def test_control_without_the_fix_only_sqlite_keeps_the_savepoint(db, database_url):
    """The bug the fix is for, shown: without it SQLite keeps the row after the
    rollback; PostgreSQL never needed the fix."""
    fix = extensions._sqlite_savepoint_in_a_transaction
    event.remove(Engine, "savepoint", fix)
    try:
        with db.session.begin_nested():
            db.session.add(User(display_name="Cy", email="cy@example.org",
                                password_hash="x"))  # fmt: skip
        db.session.rollback()
        assert rows(db, User) == (1 if database_url.startswith("sqlite") else 0)
    finally:
        event.listen(Engine, "savepoint", fix)
