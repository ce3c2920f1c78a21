"""Settings: read from the environment, checked, one clear line when wrong."""

import os
import subprocess
import sys

import pytest

import config
from config import ConfigError, from_environment

ROOT = config.ROOT
SITE = "https://hearth.example.org"


def start_wsgi(**env) -> subprocess.CompletedProcess:
    """Import the production entry point in a fresh process, as gunicorn would."""
    base = {key: value for key, value in os.environ.items() if key in ("PATH", "HOME")}
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env={**base, "SECRET_KEY": "x" * 32, "PUBLIC_URL": SITE, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("DATABASE_URL", "not a url at all"),
        ("DATABASE_URL", "mysql://root@localhost/hearth"),
        ("GEOCODER", "google"),
        ("MAIL_URL", "ftp://mail.example.org"),
        ("MAIL_URL", "smtp://mail.example.org:notaport"),
        ("MAIL_URL", "smtp://mail.example.org?timeout=abc"),
        ("MAIL_URL", "smtp://mail.example.org?starttls=on"),
        ("PUBLIC_URL", "hearth.example.org"),
        ("NOMINATIM_URL", "localhost:8080"),
        ("RATELIMIT_STORAGE_URI", "carrier-pigeon://loft"),
        ("MAIL_FROM", "nobody"),
        ("TRUSTED_PROXIES", "yes"),
        ("REPLY_DOMAIN", "replies@example.org"),
        ("REPLY_DOMAIN", "localhost"),
        ("INBOUND_MAIL_SECRET", "short"),
    ],
)
def test_bad_setting_stops_start_up_with_one_clear_line(setting, value):
    result = start_wsgi(**{setting: value})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert setting in lines[0]
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = start_wsgi(SECRET_KEY="")
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == "Hearth cannot start: SECRET_KEY must be set in production"
    )


def test_production_refuses_a_short_secret_key():
    result = start_wsgi(SECRET_KEY="x" * 31)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Hearth cannot start: SECRET_KEY must be at least 32 bytes in production"
    )
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_public_url():
    result = start_wsgi(PUBLIC_URL="")
    assert result.returncode == 1
    assert result.stderr.startswith("Hearth cannot start: PUBLIC_URL must be set")
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_starts_with_good_settings():
    result = start_wsgi(DATABASE_URL="sqlite://", MAIL_URL="smtp://u:p@localhost:2525")
    assert result.returncode == 0, result.stderr


def test_defaults_match_the_design():
    settings = from_environment({"SECRET_KEY": "s"}, production=False)
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["SQLALCHEMY_DATABASE_URI"].endswith("instance/hearth.db")
    assert settings["PUBLIC_URL"] is None  # development: follows the served host
    assert settings["GEOCODER"] == "nominatim"
    assert settings["NOMINATIM_URL"] == "https://nominatim.openstreetmap.org"
    assert settings["GEOCODER_USER_AGENT"].startswith("hearth/")
    production = from_environment({"SECRET_KEY": "s" * 32, "PUBLIC_URL": SITE},
                                  production=True)  # fmt: skip
    assert SITE in production["GEOCODER_USER_AGENT"]
    assert settings["MAIL_URL"] == "console"
    assert settings["MAIL_FROM"] == "Hearth <noreply@localhost>"
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["REPLY_DOMAIN"] is None and settings["INBOUND_MAIL_SECRET"] is None
    named = from_environment(
        {"SECRET_KEY": "s", "REPLY_DOMAIN": " Réponses.Example.org "}, production=False
    )
    assert named["REPLY_DOMAIN"] == "xn--rponses-bya.example.org"


def test_postgres_urls_use_the_installed_driver():
    settings = from_environment(
        {"SECRET_KEY": "s", "DATABASE_URL": "postgres://u:p@db/hearth"},
        production=False,
    )
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@db/hearth"


def test_development_generates_a_secret_key_once(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE", tmp_path / "instance")
    first = from_environment({}, production=False)["SECRET_KEY"]
    second = from_environment({}, production=False)["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE", tmp_path)
    assert (
        from_environment({"SECRET_KEY": "mine"}, production=False)["SECRET_KEY"]
        == "mine"
    )
    assert not (tmp_path / "secret_key").exists()


def test_config_error_names_the_setting():
    with pytest.raises(ConfigError, match="GEOCODER"):
        from_environment({"SECRET_KEY": "s", "GEOCODER": "bing"}, production=False)


@pytest.mark.parametrize(
    ("value", "kept"),
    [(None, "file://"), ("file:///srv/hearth/uploads", "file:///srv/hearth/uploads"),
     ("s3://covers?endpoint=https://s3.example.org&region=eu", "s3://covers")],
)  # fmt: skip
def test_uploads_url_is_a_folder_or_a_bucket(value, kept):
    assert config.uploads_url(value).startswith(kept)


def test_a_relative_file_url_is_refused_not_read_as_a_host():
    with pytest.raises(config.ConfigError, match="UPLOADS_URL"):
        config.uploads_url("file://instance/uploads")


@pytest.mark.parametrize("value", ["ftp://x", "s3://", "s3://b?endpoint=ftp://x", "x"])
def test_an_uploads_url_hearth_cannot_use_is_refused(value):
    with pytest.raises(config.ConfigError, match="UPLOADS_URL"):
        config.uploads_url(value)
