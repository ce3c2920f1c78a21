"""The app as `make bench` serves it: production settings, plus a response
header counting the SQL statements each request ran."""

import os

from flask import g, has_request_context
from sqlalchemy import event

from meetup import create_app
from meetup.extensions import db

app = create_app(
    "production",
    {
        # Load from one machine looks like one client: limits would measure themselves.
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,  # plain http on 127.0.0.1
        "REMEMBER_COOKIE_SECURE": False,
    },
    env=os.environ,
)

with app.app_context():

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context() and "queries" in g:
            g.queries += 1


@app.before_request
def _start_count():
    g.queries = 0


@app.after_request
def _report_count(response):
    response.headers["X-SQL-Queries"] = str(g.get("queries", 0))
    return response
