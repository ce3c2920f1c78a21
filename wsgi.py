"""The production entry point: `gunicorn wsgi:app`."""

from meetup import create_app

app = create_app("production")
