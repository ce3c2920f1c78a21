"""Profile one bench endpoint in-process: where the server's own time goes.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.profile "/events/<id> going member" [requests]

Seeds a database named `hearth_profile` at full scale the first time (about a
minute) and keeps it, so later runs start at once; `--reseed` starts over. The
requests go through Flask's test client, so the figures have no load generator
and no network in them; the table `make bench` prints is the one to quote.
"""

from __future__ import annotations

import cProfile
import json
import os
import pstats
import re
import sys
import time

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.run import _endpoints, _prepare
from bench.seed import PASSWORD, Planted

NAME = "hearth_profile"


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--reseed"]
    if not args:
        print(__doc__)
        return 2
    url, planted = _database("--reseed" in sys.argv)
    endpoint = next(e for e in _endpoints(planted) if e.name == args[0])
    count = int(args[1]) if len(args) > 1 else 200
    from bench.app import app  # reads DATABASE_URL

    client = app.test_client()
    headers = dict(endpoint.headers or {})
    if endpoint.signed_in:
        _sign_in(client, planted)
    if headers.get("If-None-Match") == "<etag>":
        headers["If-None-Match"] = client.get(endpoint.path).headers["ETag"]
    csrf = _csrf(client, planted) if endpoint.method == "POST" else None

    def one(n: int):
        if endpoint.method == "POST":
            form = {"csrf_token": csrf, "response": "declined" if n % 2 else "going"}
            return client.post(endpoint.path, headers=headers, data=form)
        return client.get(endpoint.path, headers=headers)

    print("status", one(0).status_code, "SQL", one(1).headers.get("X-SQL-Queries"))
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for n in range(count):
        one(n)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{count} requests, {elapsed / count * 1000:.2f} ms each (profiled)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


def _database(reseed: bool) -> tuple[str, Planted]:
    server = make_url(os.environ["BENCH_DATABASE_URL"]).set(
        drivername="postgresql+psycopg"
    )
    url = server.set(database=NAME).render_as_string(hide_password=False)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 30)
    os.environ.setdefault("PUBLIC_URL", "http://127.0.0.1:5000")
    os.environ.update(GEOCODER="none", MAIL_URL="console")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": NAME}
        )
        if exists and reseed:
            connection.execute(text(f'DROP DATABASE "{NAME}" WITH (FORCE)'))
        if not exists or reseed:
            connection.execute(text(f'CREATE DATABASE "{NAME}"'))
    admin.dispose()
    saved = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{NAME}.json")
    if exists and not reseed and os.path.exists(saved):
        with open(saved) as file:
            return url, Planted(**json.load(file))
    planted, seconds = _prepare(url, "full")
    print(f"seeded in {seconds:.0f} s")
    with open(saved, "w") as file:
        json.dump(planted.__dict__, file)
    return url, planted


def _sign_in(client, planted: Planted) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    client.post("/auth/login", data={"csrf_token": token, "password": PASSWORD,
                                     "email": planted.going_member_email})  # fmt: skip


def _csrf(client, planted: Planted) -> str:
    page = client.get(f"/events/{planted.big_event_id + 1}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


if __name__ == "__main__":
    sys.exit(main())
