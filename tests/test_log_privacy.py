"""A personal calendar link's secret never reaches gunicorn's access log."""

import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from meetup import create_app
from meetup.extensions import db
from meetup.services import accounts, calendar_links
from tests.conftest import PASSWORD, free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorns_access_log_hides_feed_secrets(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/hearth.db", "SECRET_KEY": "x" * 32}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "flask", "--app", "meetup", "db", "upgrade"],
        cwd=ROOT, env={"PATH": str(bin_dir), **env}, check=True, capture_output=True,
    )  # fmt: skip
    app = create_app("development", env=env)
    with app.app_context():
        user = accounts.register("Ana", "ana@example.org", PASSWORD)
        token = calendar_links.new_feed_token(user)
        db.session.commit()
    secret = token.partition(".")[2]

    port = free_port()
    log_path = tmp_path / "access.log"
    server = subprocess.Popen(
        [bin_dir / "gunicorn", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", str(log_path), "meetup:create_app()"],
        cwd=ROOT, env={"PATH": str(bin_dir), **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        with urllib.request.urlopen(f"{base}/calendar/{token}.ics") as response:
            assert response.status == 200
        try:
            urllib.request.urlopen(f"{base}/calendar/{token}x.ics").close()
        except urllib.error.HTTPError as error:
            error.close()
            assert error.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log_path.read_text()
    assert logged.count("GET /calendar/[secret].ics") == 2
    assert secret not in logged
