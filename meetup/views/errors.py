"""Error pages in the site's style, and domain errors that reach no view's handler."""

from flask import Flask, abort, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from limits import errors as limits_errors
from redis import exceptions as redis_errors
from sqlalchemy import exc as sql
from werkzeug import exceptions as http
from werkzeug.datastructures import MultiDict

from meetup import i18n
from meetup.errors import MeetupError, NotAllowed, NotFound
from meetup.extensions import db
from meetup.forms import posted

MESSAGES = {
    400: (
        _l("Something in that request was not right"),
        _l("Go back, check the form and try again."),
    ),
    403: (
        _l("That is not yours to do"),
        _l("Only the people who run this group can do that."),
    ),
    404: (
        _l("We can't find that page"),
        _l("It may have moved, or you may need to sign in."),
    ),
    405: (
        _l("That button doesn't work that way"),
        _l("Go back and use the page's buttons."),
    ),
    413: (_l("That was too much to send"), _l("Shorten what you typed and try again.")),
    415: (
        _l("That can't be sent here"),
        _l("This address takes a form filled in on its page. Send it from its page."),
    ),
    429: (
        _l("Slow down a moment"),
        _l("Too many tries in a short time. Wait a minute, then try again."),
    ),
    500: (_l("Something went wrong on our side"), _l("Please try again in a moment.")),
}
CSRF_HINT = _l(
    "This page was open for a long time or you signed in elsewhere. "
    "Reload it and try again."
)


def render_error(error: http.HTTPException):
    code = error.code or 500
    title, hint = MESSAGES.get(code, (error.name, ""))
    if isinstance(error, CSRFError):
        hint = CSRF_HINT
    elif code != 429 and error.description != type(error).description:
        hint = error.description  # written for people, as in abort(400, "...")
    try:
        # Plain text, so the template escapes it (a lazy string passes as markup);
        # saying it asks who is signed in, which needs the database.
        title, hint = str(title), str(hint)
        page = render_template("errors/error.html", code=code, title=title, hint=hint)
    except DATABASE_DOWN as down:  # the layout asks who is signed in
        return database_unavailable(down)
    return page, code


#: The database is down, restarting or overloaded (psycopg also reports
#: deadlocks and serialisation failures this way): nothing was saved, and the
#: same request a little later can work. The log keeps the traceback.
DATABASE_DOWN = (
    sql.OperationalError,
    sql.InterfaceError,
    sql.DisconnectionError,
    sql.TimeoutError,  # no pooled connection came free in time
)


#: The rate limits' store (Redis) is unreachable. Failing open would let a
#: script guess passwords unlimited; so the request waits, as for the database.
LIMITS_DOWN = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    limits_errors.StorageError,
)


def limits_unavailable(error: Exception):
    """503 with the same page, rather than a 500 with a traceback."""
    return database_unavailable(error, "Rate-limit storage unavailable")


def database_unavailable(error: Exception, what: str = "Database unavailable"):
    """503 with a page that needs no database, rather than a 500 with a traceback."""
    current_app.logger.error(what, exc_info=error)
    try:
        db.session.rollback()
    except sql.SQLAlchemyError:
        pass  # the connection is gone; the pool replaces it (pool_pre_ping)
    # Straight from the template: Flask-Login's context processor would ask the
    # database who is signed in.
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    # "Try again" repeats a page view; a form sent again must come from its page.
    again = request.full_path.rstrip("?") if request.method == "GET" else None
    with force_locale(i18n.browser_locale()):  # who is signed in needs the database
        page = template.render(again=again)
    return page, 503, {"Retry-After": "30", "Cache-Control": "no-store"}


#: How a browser posts a form; forms read nothing else (meetup.forms.posted).
FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_other_bodies() -> None:
    """A POST whose body is not a form (JSON, plain text) is refused, not read:
    no form reads it, so it must not count as an empty form either."""
    if request.method == "POST" and request.mimetype not in ("", *FORM_BODIES):
        abort(415)


def reject_nul_bytes() -> None:
    """No text we keep may hold NUL (PostgreSQL refuses it): say so before any work.
    It reads what the forms read, every value of every field."""
    fields = (request.args, posted() or MultiDict())
    # Text only: an uploaded file is a picture's bytes (and `in` would read it).
    values = [request.path, *(v for f in fields for _, v in f.items(multi=True)
                              if isinstance(v, str))]  # fmt: skip
    if any("\x00" in value for value in values):
        abort(
            400,
            _l("Something you sent contains an invisible NUL character. Retype it."),
        )


def register(app: Flask) -> None:
    app.before_request(refuse_other_bodies)
    app.before_request(reject_nul_bytes)
    app.register_error_handler(http.HTTPException, render_error)
    # A rule's refusal that no view caught is still the user's answer, not a 500.
    app.register_error_handler(
        MeetupError, lambda e: render_error(http.BadRequest(str(e)))
    )
    app.register_error_handler(
        NotAllowed, lambda e: render_error(http.Forbidden(str(e)))
    )
    app.register_error_handler(NotFound, lambda e: render_error(http.NotFound()))
    for error in DATABASE_DOWN:
        app.register_error_handler(error, database_unavailable)
    for error in LIMITS_DOWN:
        app.register_error_handler(error, limits_unavailable)
