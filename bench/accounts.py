"""Does any way in take longer for an address that has an account? Prints
medians; asserts nothing (a timing is a measurement, not a unit test).

    .venv/bin/python -m bench.accounts [DATABASE_URL] [ROUNDS]

For each route that takes an address (ask for a code, sign up, forgotten
password, a wrong password), it alternates an address with an account and one
without, ROUNDS times each, in one process against one database, with the
production argon2 parameters. It reports each side's median and the gap with a
95% bootstrap interval: an interval that straddles zero is a gap no one can
tell from noise.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time

from flask_migrate import upgrade

import config
from meetup.extensions import db
from meetup.models.base import utcnow
from meetup.services import accounts
from tests.conftest import CSRFClient, make_test_app

ROUTES = {
    "ask for a code": ("/auth/code", lambda email: {"email": email}),
    "sign up": ("/auth/register",
                lambda email: {"email": email, "display_name": "Ana"}),
    "forgot password": ("/auth/reset", lambda email: {"email": email}),
    "wrong password": ("/auth/login",
                       lambda email: {"email": email, "password": "not her password"}),
}  # fmt: skip


def bootstrap_gap(known: list[float], unknown: list[float], draws: int = 2000):
    rng = random.Random(7)
    gaps = sorted(
        statistics.median(rng.choices(known, k=len(known)))
        - statistics.median(rng.choices(unknown, k=len(unknown)))
        for _ in range(draws)
    )
    return gaps[int(draws * 0.025)], gaps[int(draws * 0.975)]


def main(url: str | None, rounds: int) -> None:
    url = url or f"sqlite:///{tempfile.mkdtemp()}/bench-accounts.db"
    app = make_test_app(url, ARGON2=config.Config.ARGON2)
    app.test_client_class = CSRFClient
    with app.app_context():
        upgrade()
        people = [
            accounts.register(f"Member {n}", f"member{n}@example.org",
                              "correct horse battery", verified_at=utcnow())
            for n in range(rounds)
        ]  # fmt: skip
        db.session.commit()
        print(f"{rounds} rounds per route and side, {url.split(':')[0]}")
        print(f"{'route':<16} {'known ms':>9} {'unknown ms':>11} {'gap ms':>8}"
              "  95% interval")  # fmt: skip
        for name, (path, form) in ROUTES.items():
            times = {"known": [], "unknown": []}
            for n in range(rounds):
                pair = [
                    ("known", people[n].email),
                    ("unknown", f"nobody{n}@example.org"),
                ]
                random.Random(n).shuffle(pair)  # neither side always goes first
                for side, email in pair:
                    client = app.test_client()
                    client.get(path)  # a browser has the page before it posts
                    started = time.perf_counter()
                    client.post(path, data=form(email))
                    times[side].append((time.perf_counter() - started) * 1000)
            known, unknown = (
                statistics.median(times["known"]),
                statistics.median(times["unknown"]),
            )
            low, high = bootstrap_gap(times["known"], times["unknown"])
            print(f"{name:<16} {known:>9.2f} {unknown:>11.2f} {known - unknown:>8.2f}"
                  f"  [{low:.2f}, {high:.2f}]")  # fmt: skip
        db.engine.dispose()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else None,
        int(sys.argv[2]) if len(sys.argv) > 2 else 200,
    )
