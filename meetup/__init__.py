"""The application factory: create_app() and its short register_* steps."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, Request, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

import config

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: The catalogs: .po files committed, .mo files compiled by make (see Makefile).
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def create_app(
    config_name: str = "development",
    overrides: Mapping | None = None,
    env: Mapping[str, str] | None = None,
) -> Flask:
    """Build the app from a named config, the environment, then explicit overrides."""
    app = Flask(
        __name__, template_folder=str(TEMPLATES), instance_path=str(config.INSTANCE)
    )
    app.request_class = _Request
    settings = config.CONFIGS[config_name]
    app.config.from_object(settings)
    try:
        app.config.update(
            config.from_environment(
                os.environ if env is None else env, production=settings.PRODUCTION
            )
        )
    except config.ConfigError as error:
        # One clear line instead of a traceback, for make run, flask and gunicorn.
        raise SystemExit(f"Hearth cannot start: {error}") from None
    app.config.update(overrides or {})
    if app.config["TRUSTED_PROXIES"]:
        # Behind a proxy, rate limits must key on the client, not the proxy.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_templates(app)
    register_errors(app)
    register_headers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    from meetup import log_privacy

    log_privacy.install(app.logger)


def register_extensions(app: Flask) -> None:
    from meetup import auth_session, i18n
    from meetup.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    # Batch mode lets SQLite alter tables; compare_type catches column type drift.
    migrate.init_app(
        app,
        db,
        directory=str(config.ROOT / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.chosen_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.after_request(i18n.vary_by_language)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth_session.configure(app, login_manager)


class _Request(Request):
    """A picture's upload may be bigger than any form (MAX_UPLOAD_LENGTH); the
    limit is known from the route before anything reads the body."""

    @property
    def max_content_length(self) -> int | None:
        if self.endpoint in UPLOADS:
            return current_app.config["MAX_UPLOAD_LENGTH"]
        return current_app.config["MAX_CONTENT_LENGTH"]


#: The routes that take a file.
UPLOADS = ("groups.cover",)


def register_blueprints(app: Flask) -> None:
    from meetup.urls import RowId
    from meetup.views import (
        attendees,
        auth,
        calendars,
        devices,
        events,
        groups,
        inbound,
        main,
        me,
        messages,
        my_data,
        one_tap,
        planning,
        safety,
        series,
        sharing,
    )

    app.url_map.converters["id"] = RowId
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp, url_prefix="/auth")
    app.register_blueprint(groups.bp, url_prefix="/groups")
    app.register_blueprint(me.bp, url_prefix="/me")
    app.register_blueprint(devices.bp, url_prefix="/me")
    app.register_blueprint(my_data.bp, url_prefix="/me")
    app.register_blueprint(events.bp)
    app.register_blueprint(attendees.bp)
    app.register_blueprint(planning.bp)
    app.register_blueprint(series.bp)
    app.register_blueprint(calendars.bp)
    app.register_blueprint(one_tap.bp)
    app.register_blueprint(safety.bp)
    app.register_blueprint(messages.bp)
    app.register_blueprint(inbound.bp)
    app.register_blueprint(sharing.bp)


def register_templates(app: Flask) -> None:
    from meetup import template_helpers

    template_helpers.register(app)


def register_errors(app: Flask) -> None:
    from meetup.views import errors

    errors.register(app)


def register_headers(app: Flask) -> None:
    from meetup import security_headers

    security_headers.register(app)


def register_commands(app: Flask) -> None:
    from meetup import cli

    cli.register(app)
