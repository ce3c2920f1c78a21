"""The schema comes from the migrations, and they match the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from meetup.extensions import db


def test_migrations_match_the_models(app):
    # The `database_url` fixture built this database with `flask db upgrade`.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_upgrading_keeps_every_row_that_points_at_a_changed_table(tmp_path):
    """SQLite's batch mode rebuilds `users` in 0009; with foreign keys on, the
    drop used to cascade: every membership, answer and request went with it."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from tests.conftest import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path}/old.db")
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, display_name, email, password_hash,"
                " session_version, wants_reminders, wants_announcements, created_at)"
                " VALUES (1, 'Ana', 'ana@example.org', 'x', 1, 1, 1, '2026-01-01')"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO groups (id, slug, name, description, visibility, area,"
                " timezone, created_at, locale)"
                " VALUES (1, 'g', 'G', '', 'public', '', 'UTC', '2026-01-01', 'en_US')"
            ))  # fmt: skip
            connection.execute(text(
                "INSERT INTO memberships (id, group_id, user_id, role, joined_at)"
                " VALUES (1, 1, 1, 'organiser', '2026-01-01')"
            ))  # fmt: skip
        upgrade()
        count = "SELECT count(*) FROM memberships"
        with db.engine.connect() as connection:
            assert connection.execute(text(count)).scalar() == 1
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert foreign_keys == 1  # on again for the app
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            assert connection.execute(text(count)).scalar() == 1
        db.engine.dispose()
