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
