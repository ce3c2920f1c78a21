"""Codes by mail: tries counted under concurrency, on SQLite and PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

from meetup.errors import InvalidToken
from meetup.extensions import db
from meetup.models import MailCode
from meetup.services import mail_codes
from tests.conftest import NOW

GUESSES = 12


def test_guesses_sent_side_by_side_get_five_tries_between_them(app):
    issued = mail_codes.issue("ana@example.org", mail_codes.SIGN_IN, NOW)
    db.session.commit()
    row_id, wrong = issued.row.id, f"{(int(issued.code) + 1) % 10**6:06d}"
    barrier = threading.Barrier(GUESSES)

    def guess(_) -> str:
        with app.app_context():
            barrier.wait()
            try:
                mail_codes.use_code(row_id, mail_codes.SIGN_IN, wrong, NOW)
            except InvalidToken as error:
                said = str(error)
            db.session.commit()  # as the view does, wrong or not
            db.session.remove()
            return said

    with ThreadPoolExecutor(max_workers=GUESSES) as pool:
        said = list(pool.map(guess, range(GUESSES)))
    db.session.expire_all()
    assert db.session.get(MailCode, row_id).tries == mail_codes.MAX_WRONG
    # Four are told how many tries are left; the fifth and every later one,
    # that there are none: never more than five compared.
    assert sum("not right" in answer for answer in said) == mail_codes.MAX_WRONG - 1
    try:
        mail_codes.use_code(row_id, mail_codes.SIGN_IN, issued.code, NOW)
    except InvalidToken:
        pass
    else:
        raise AssertionError("the right code still worked after five wrong ones")
