"""Times said the way each reader says them: Babel's CLDR patterns, in the
event's zone, with the zone's abbreviation, across a daylight-saving change."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale

from meetup import create_app, dates, i18n

#: Sat 28 Nov 2026, 7:30 pm in New York (EST); and 14 Mar, after the clocks moved.
WINTER = datetime(2026, 11, 29, 0, 30, tzinfo=UTC)
SPRING = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
NEW_YORK = "America/New_York"


@pytest.fixture(scope="module")
def babel_app():
    """Only Flask-Babel is needed here, not a database."""
    app = create_app("testing", env={"SECRET_KEY": "x" * 32, "GEOCODER": "none"})
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("locale", "winter", "spring"),
    [
        ("en_US", "Sat, Nov 28 · 7:30 PM EST", "Sat, Mar 14 · 7:30 PM EDT"),
        ("en_GB", "Sat 28 Nov · 19:30 EST", "Sat 14 Mar · 19:30 EDT"),
        ("es", "sáb, 28 nov · 19:30 EST", "sáb, 14 mar · 19:30 EDT"),
        ("fr", "sam. 28 nov. · 19:30 EST", "sam. 14 mars · 19:30 EDT"),
    ],
)
def test_each_locale_says_the_same_moment_its_own_way(
    babel_app, locale, winter, spring
):
    with force_locale(locale):
        assert dates.when(WINTER, NEW_YORK) == winter
        assert dates.when(SPRING, NEW_YORK) == spring  # after the clocks went forward


@pytest.mark.parametrize(
    ("locale", "evening", "overnight"),
    [
        # CLDR's own spacing: thin spaces round the dash, a narrow one before PM.
        ("en_US", "Sat, Nov 28 · 7:30\u2009–\u200910:00\u202fPM EST",
         "Sat, Nov 28 · 7:30 PM – Sun, Nov 29 · 3:30 AM EST"),
        ("en_GB", "Sat 28 Nov · 19:30–22:00 EST",
         "Sat 28 Nov · 19:30 – Sun 29 Nov · 03:30 EST"),
        ("es", "sáb, 28 nov · 19:30–22:00 EST",
         "sáb, 28 nov · 19:30 – dom, 29 nov · 3:30 EST"),
        ("fr", "sam. 28 nov. · 19:30\u2009–\u200922:00 EST",
         "sam. 28 nov. · 19:30 – dim. 29 nov. · 03:30 EST"),
    ],
)  # fmt: skip
def test_ranges_on_one_evening_and_overnight(babel_app, locale, evening, overnight):
    with force_locale(locale):
        assert dates.when_range(WINTER, WINTER + timedelta(hours=2.5), NEW_YORK) == (
            evening
        )
        assert dates.when_range(WINTER, WINTER + timedelta(hours=8), NEW_YORK) == (
            overnight
        )


@pytest.mark.parametrize(
    ("locale", "ahead", "said"),
    [
        ("en_US", timedelta(minutes=20), "in 20 minutes"),
        ("en_US", timedelta(hours=5), "in 5 hours"),
        ("en_US", timedelta(days=1), "tomorrow"),
        ("en_US", timedelta(days=3), "in 3 days"),
        ("en_US", timedelta(days=-1), "yesterday"),
        ("en_US", timedelta(days=-5), "5 days ago"),
        ("en_US", timedelta(days=100), "in 3 months"),
        ("es", timedelta(days=1), "mañana"),
        ("es", timedelta(days=3), "dentro de 3 días"),
        ("fr", timedelta(days=1), "demain"),
        ("fr", timedelta(days=-5), "il y a 5 jours"),
    ],
)
def test_relative_times_in_words_and_plurals(babel_app, locale, ahead, said):
    now = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    with force_locale(locale):
        assert dates.relative(now + ahead, now, "Europe/London") == said


class Reader:
    def __init__(self, locale, clock):
        self.locale, self.clock = locale, clock


def test_a_members_clock_choice_beats_her_locales_habit(babel_app):
    with i18n.as_reader(Reader("en_US", "24")):
        assert dates.when(WINTER, NEW_YORK) == "Sat, Nov 28 · 19:30 EST"
    with i18n.as_reader(Reader("fr", "12")):
        assert dates.clock(WINTER, NEW_YORK) == "7:30\u202fPM"
    with i18n.as_reader(Reader("en_GB", None)):
        assert dates.clock(WINTER, NEW_YORK) == "19:30"


def test_dates_and_card_leaves(babel_app):
    with force_locale("en_US"):
        assert dates.date(WINTER) == "Nov 29, 2026"
        assert dates.month(WINTER, NEW_YORK) == "Nov"
        assert dates.day_of_month(WINTER, NEW_YORK) == "28"
    with force_locale("fr"):
        assert dates.date(WINTER) == "29 nov. 2026"
