"""npm packages the tests use (axe-core, ical.js), pinned, installed once
beside the virtualenv; never a downloaded browser."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

VENV = Path(__file__).resolve().parents[1] / ".venv"


def installed(folder: str, package: str, version: str, purpose: str) -> Path:
    """`node_modules` under .venv/<folder> holding package@version; without
    npm, the test fails in CI and is skipped (saying so) elsewhere."""
    home = VENV / folder
    if not (home / "node_modules" / package).exists():
        npm = shutil.which("npm")
        if npm is None or shutil.which("node") is None:
            message = f"NO NPM: {purpose} NOT run (apt-get install npm)"
            if IN_CI:
                pytest.fail(message)
            pytest.skip(message)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(home),
             f"{package}@{version}"],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
    return home / "node_modules"
