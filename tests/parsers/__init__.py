"""Calendar parsers other than Python's, run as the clients that use them do.

ical.js (Thunderbird, and many web calendars) from its npm package, pinned and
installed once beside the virtualenv, as axe-core is; libical (Evolution, GNOME
Calendar) through Debian's GObject bindings, with the system's python3
(`.ci/run` installs gir1.2-ical-3.0 and python3-gi).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests import npm
from tests.conftest import IN_CI

ICALJS_VERSION = "2.2.1"
READER = Path(__file__).resolve().parent / "icaljs_read.cjs"
LIBICAL_READER = Path(__file__).resolve().parent / "libical_read.py"
SYSTEM_PYTHON = "/usr/bin/python3"


def libical(data: bytes) -> list[dict]:
    """Each VEVENT as libical reads it: uid, sequence, start (aware UTC)."""
    done = subprocess.run(
        [SYSTEM_PYTHON, str(LIBICAL_READER)], input=data, capture_output=True,
        timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        message = f"NO LIBICAL: readings NOT checked ({done.stderr.decode()[-200:]})"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    events = json.loads(done.stdout)
    for event in events:
        event["start"] = datetime.strptime(event["start"], "%Y%m%dT%H%M%S%z")
    return events


def icaljs(data: bytes) -> list[dict]:
    """Each VEVENT as ical.js reads it: uid, sequence, start (aware UTC)."""
    modules = npm.installed("icaljs", "ical.js", ICALJS_VERSION, "ical.js readings")
    done = subprocess.run(
        [shutil.which("node"), str(READER)], input=data, capture_output=True,
        timeout=60, check=True, env={**os.environ, "NODE_PATH": str(modules)},
    )  # fmt: skip
    events = json.loads(done.stdout)
    for event in events:
        event["start"] = datetime.fromisoformat(event["start"].replace("Z", "+00:00"))
    return events
