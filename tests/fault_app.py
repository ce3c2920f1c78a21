"""Entry for the killed-request test: the real app, whose RSVP stops half-way
through its transaction while a hold file exists, so the test can kill the
worker there."""

import os
import time
from pathlib import Path

from meetup import create_app
from meetup.services import notices

app = create_app("development", env=os.environ)
HOLD = Path(os.environ["TEST_HOLD_FILE"])
_answered = notices.answered


def answered(rsvp, before, now, **kwargs):
    """Runs after the RSVP row, the seats and the mail are written, before commit."""
    _answered(rsvp, before, now, **kwargs)
    if HOLD.exists():
        HOLD.with_suffix(".reached").write_text(str(os.getpid()))
        time.sleep(60)


notices.answered = answered
