"""`make bench`: seed at scale, serve with gunicorn, load each endpoint, print a table.

    make bench                                  # full scale, SQLite
    BENCH_SCALE=small make bench                # a twentieth, in a minute or two
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test make bench

Every figure is also a ratio to `/healthz` served by the same gunicorn in the same
run, because shared machines drift. Load comes from separate processes (a small
keep-alive HTTP client, since wrk is not on these machines). It reports; it
asserts nothing and is not part of `make test`.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = 1.0
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    signed_in: bool = False
    headers: dict | None = None
    rsvp: bool = False  # POST alternating going / declined


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "full")
    print(f"Hearth bench, scale {scale}, {os.cpu_count()} cores, {_cpu_model()}")
    print(
        f"gunicorn: {WORKERS} sync workers; load: {CLIENTS} client processes, "
        f"{SECONDS:g} s per run after {WARMUP:g} s warm-up, median of {REPEATS}"
    )
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{folder}/bench.db", None)]
        if os.environ.get("BENCH_DATABASE_URL"):
            targets.append(("PostgreSQL", *_fresh_postgres()))
        for name, url, cleanup in targets:
            try:
                _bench(name, url, scale)
            finally:
                if cleanup:
                    cleanup()
    return 0


def _bench(name: str, url: str, scale: str) -> None:
    planted, seconds = _prepare(url, scale)
    print(f"\n## {name}: seeded in {seconds:.0f} s")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-" + "x" * 30,
           "PUBLIC_URL": f"http://127.0.0.1:{port}",
           "GEOCODER": "none", "MAIL_URL": "console"}  # fmt: skip
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "--workers", str(WORKERS),
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "bench.app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"127.0.0.1:{port}"
    try:
        _wait(base)
        cookie, csrf = _sign_in(base, planted)
        rows = []
        for endpoint in _endpoints(planted):
            rows.append(_measure(base, endpoint, cookie, csrf, server.pid))
        _print_table(rows)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _endpoints(p) -> list[Endpoint]:
    feed = f"/groups/{p.feed_group_slug}/calendar.ics"
    return [
        Endpoint("/healthz", "/healthz"),
        Endpoint("/", "/"),
        Endpoint("/groups/<slug>", f"/groups/{p.feed_group_slug}"),
        Endpoint("/events/<id> visitor", f"/events/{p.big_event_id}"),
        Endpoint("/events/<id> going member", f"/events/{p.big_event_id}",
                 signed_in=True),
        Endpoint("/events/?q=", f"/events/?q={p.search_text}"),
        Endpoint("/events/?near=…&within_km=25",
                 f"/events/?near={p.near}&within_km=25"),
        Endpoint("group feed .ics", feed),
        Endpoint("group feed 304", feed, headers={"If-None-Match": "<etag>"}),
        Endpoint("/calendar/<token>.ics", f"/calendar/{p.feed_token}.ics"),
        Endpoint("POST /events/<id>/rsvp", f"/events/{p.big_event_id + 1}/rsvp",
                 method="POST", signed_in=True, rsvp=True),
    ]  # fmt: skip


def _measure(base, endpoint, cookie, csrf, master_pid) -> dict:
    headers = dict(endpoint.headers or {})
    if endpoint.signed_in:
        headers["Cookie"] = cookie
    if headers.get("If-None-Match") == "<etag>":
        headers["If-None-Match"] = _request(base, "GET", endpoint.path, {})[2]["etag"]
    status, queries, _ = _request(base, endpoint.method, endpoint.path, headers, csrf)
    runs = []
    for _ in range(REPEATS):
        runs.append(_load(base, endpoint, headers, csrf))
    best = sorted(runs, key=lambda run: run["rate"])[len(runs) // 2]
    latencies = sorted(best["latencies"])
    return {
        "name": endpoint.name,
        "status": status,
        "rate": statistics.median(run["rate"] for run in runs),
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": sum(run["errors"] for run in runs),
        "queries": queries,
        "memory": _peak_worker_mb(master_pid),
    }


def _load(base, endpoint, headers, csrf) -> dict:
    with multiprocessing.get_context("spawn").Pool(CLIENTS) as pool:
        results = pool.starmap(
            _client,
            [(base, endpoint.method, endpoint.path, headers, csrf, endpoint.rsvp, n)
             for n in range(CLIENTS)],
        )  # fmt: skip
    count = sum(len(r[0]) for r in results)
    return {
        "rate": count / SECONDS,
        "latencies": [t for r in results for t in r[0]],
        "errors": sum(r[1] for r in results),
    }


def _client(base, method, path, headers, csrf, rsvp, number):
    """One keep-alive connection, as fast as the server answers."""
    connection = http.client.HTTPConnection(base, timeout=30)
    latencies, errors, n = [], 0, number
    warm_until = time.perf_counter() + WARMUP
    stop = warm_until + SECONDS
    while True:
        started = time.perf_counter()
        if started >= stop:
            break
        body = None
        sent = dict(headers)
        if method == "POST":
            response = "going" if n % 2 == 0 else "declined"
            body = urllib.parse.urlencode({"csrf_token": csrf, "response": response})
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            n += 1
        try:
            connection.request(method, path, body=body, headers=sent)
            reply = connection.getresponse()
            reply.read()
            if reply.status >= 400:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(base, timeout=30)
            continue
        if started >= warm_until:
            latencies.append(time.perf_counter() - started)
    connection.close()
    return latencies, errors


def _request(base, method, path, headers, csrf=None):
    connection = http.client.HTTPConnection(base, timeout=60)
    body = None
    headers = dict(headers)
    if method == "POST":
        body = urllib.parse.urlencode({"csrf_token": csrf, "response": "going"})
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    reply = connection.getresponse()
    reply.read()
    result = (reply.status, int(reply.getheader("X-SQL-Queries", "0")),
              {k.lower(): v for k, v in reply.getheaders()})  # fmt: skip
    connection.close()
    return result


def _sign_in(base, planted) -> tuple[str, str]:
    """A browser's session: the cookie, and a CSRF token for the RSVP form."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"http://{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    opener.open(
        f"http://{base}/auth/login",
        urllib.parse.urlencode({"csrf_token": token,
                                "email": planted.going_member_email,
                                "password": "bench-password"}).encode(),
    )  # fmt: skip
    page = opener.open(f"http://{base}/events/{planted.big_event_id + 1}").read()
    csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page)[1].decode()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return cookie, csrf


def _prepare(url: str, scale: str):
    from flask_migrate import upgrade

    from bench.seed import seed
    from meetup import create_app
    from meetup.extensions import db
    from meetup.models.base import utcnow

    app = create_app("development", env={"DATABASE_URL": url, "SECRET_KEY": "bench",
                                         "GEOCODER": "none"})  # fmt: skip
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        planted = seed(scale, utcnow())
        seconds = time.perf_counter() - started
        if url.startswith("postgresql"):
            with db.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                connection.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return planted, seconds


def _fresh_postgres():
    server = make_url(os.environ["BENCH_DATABASE_URL"]).set(
        drivername="postgresql+psycopg"
    )
    name = f"hearth_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def _print_table(rows) -> None:
    health = rows[0]["rate"] or 1
    print(
        "\n| endpoint | status | req/s | p50 ms | p99 ms | ratio | SQL/req | errors "
        "| peak worker MB |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['name']} | {r['status']} | {r['rate']:.0f} | {r['p50']:.1f} | "
              f"{r['p99']:.1f} | {r['rate'] / health:.2f} | {r['queries']} | "
              f"{r['errors']} | {r['memory']:.0f} |")  # fmt: skip


def _peak_worker_mb(master_pid: int) -> float:
    try:
        children = subprocess.run(
            ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
        ).stdout.split()
    except FileNotFoundError:
        return 0.0
    peak = 0
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        peak = max(peak, int(match[1]) if match else 0)
    return peak / 1024


def _wait(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{base}/healthz", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu_model() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown CPU"
    match = re.search(r"model name\s*:\s*(.+)", info)
    return match[1].strip() if match else "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
