"""Times: typed in the event's zone, stored in UTC (saying them: test_dates.py)."""

from datetime import UTC, datetime

import pytest

from meetup import times


def test_local_time_is_stored_as_utc_across_daylight_saving():
    winter = times.to_utc(datetime(2026, 1, 15, 19, 30), "Europe/Berlin")
    summer = times.to_utc(datetime(2026, 7, 15, 19, 30), "Europe/Berlin")
    assert winter == datetime(2026, 1, 15, 18, 30, tzinfo=UTC)
    assert summer == datetime(2026, 7, 15, 17, 30, tzinfo=UTC)


def test_a_time_skipped_by_the_clocks_is_refused():
    with pytest.raises(times.NonexistentTime) as refused:
        times.to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    assert (refused.value.local, refused.value.zone) == (
        datetime(2026, 3, 29, 2, 30),
        "Europe/Berlin",
    )


def test_a_repeated_time_takes_the_first():
    first = times.to_utc(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # still summer time
