"""Times: typed in the event's zone, stored in UTC, said the way people say them."""

from datetime import UTC, datetime, timedelta

import pytest

from meetup import times


def test_local_time_is_stored_as_utc_across_daylight_saving():
    winter = times.to_utc(datetime(2026, 1, 15, 19, 30), "Europe/Berlin")
    summer = times.to_utc(datetime(2026, 7, 15, 19, 30), "Europe/Berlin")
    assert winter == datetime(2026, 1, 15, 18, 30, tzinfo=UTC)
    assert summer == datetime(2026, 7, 15, 17, 30, tzinfo=UTC)


def test_a_time_skipped_by_the_clocks_is_refused():
    with pytest.raises(times.NonexistentTime, match="clocks change"):
        times.to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")


def test_a_repeated_time_takes_the_first():
    first = times.to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still summer time


def test_when_reads_like_people_speak():
    moment = datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert times.when(moment, "Europe/Berlin") == "Thu 12 Mar, 7:30 pm CET"
    assert times.when(moment, "America/New_York") == "Thu 12 Mar, 2:30 pm EDT"
    noon = datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert times.when(noon, "Europe/London") == "Wed 1 Jul, noon BST"


def test_when_range_on_one_evening_and_overnight():
    start = datetime(2026, 3, 12, 18, 30, tzinfo=UTC)
    assert (
        times.when_range(start, start + timedelta(hours=3), "Europe/London")
        == "Thu 12 Mar, 6:30 pm – 9:30 pm GMT"
    )
    assert times.when_range(start, start + timedelta(hours=8), "Europe/London") == (
        "Thu 12 Mar, 6:30 pm GMT – Fri 13 Mar, 2:30 am GMT"
    )


@pytest.mark.parametrize(
    ("delta", "said"),
    [
        (timedelta(minutes=20), "in 20 min"),
        (timedelta(hours=5), "in 5 hours"),
        (timedelta(days=1), "tomorrow"),
        (timedelta(days=3), "in 3 days"),
        (timedelta(days=30), "in 4 weeks"),
        (timedelta(days=-1), "yesterday"),
        (timedelta(days=-5), "5 days ago"),
        (timedelta(days=100), "in 3 months"),
        (timedelta(days=1700), "in 4 years"),
    ],
)
def test_relative_times(delta, said):
    now = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    assert times.relative(now + delta, now, "Europe/London") == said
