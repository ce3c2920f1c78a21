"""Command-line tasks: `flask seed-demo`."""

from __future__ import annotations

import click
from flask import Flask

from meetup.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)


@click.command("seed-demo")
@click.option(
    "--if-empty", is_flag=True, help="Only seed a database with no users yet."
)
def seed_demo(if_empty: bool) -> None:
    """Load believable demo groups and people; running it twice changes nothing."""
    from meetup import demo

    created = demo.seed(only_if_empty=if_empty)
    db.session.commit()
    if created:
        click.echo("Demo data loaded.")
    click.echo(
        f"Sign in as the demo organiser: {demo.ORGANISER_EMAIL} / {demo.PASSWORD}\n"
        f"(every demo member uses the same password)"
    )
