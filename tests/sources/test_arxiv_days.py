"""arXiv's schedule: each submission in exactly one weekday's listing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from generator.archive.sources.arxiv_days import listing_day, submission_window


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_cutoff_is_14_00_eastern_in_winter_and_in_summer() -> None:
    assert listing_day(utc("2026-01-05T18:59:59")) == date(2026, 1, 6)  # 13:59:59 EST
    assert listing_day(utc("2026-01-05T19:00:00")) == date(2026, 1, 7)  # 14:00 EST
    assert listing_day(utc("2025-07-01T17:59:59")) == date(2025, 7, 2)  # 13:59:59 EDT
    assert listing_day(utc("2025-07-01T18:00:00")) == date(2025, 7, 3)  # 14:00 EDT


def test_friday_afternoon_and_the_weekend_go_to_tuesday() -> None:
    tuesday = date(2026, 1, 13)
    for stamp in ("2026-01-09T19:00:00", "2026-01-10T12:00:00", "2026-01-12T18:59:00"):
        assert listing_day(utc(stamp)) == tuesday
    assert listing_day(utc("2026-01-08T19:00:00")) == date(2026, 1, 12)  # Thu late: Monday


def test_the_window_of_a_week_runs_from_cutoff_to_cutoff() -> None:
    start, end = submission_window(date(2026, 1, 5), date(2026, 1, 9))
    assert (start, end) == (utc("2026-01-01T19:00:00"), utc("2026-01-08T19:00:00"))
    # A weekend asks for the weekdays around it only.
    assert submission_window(date(2026, 1, 10), date(2026, 1, 13)) == submission_window(
        date(2026, 1, 12), date(2026, 1, 13)
    )


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1)))
def test_every_moment_is_in_the_window_of_its_listing_day_and_no_other(moment: datetime) -> None:
    submitted = moment.replace(tzinfo=UTC)
    day = listing_day(submitted)
    assert day.weekday() < 5
    start, end = submission_window(day, day)
    assert start <= submitted < end
    for other in (day - timedelta(days=1), day + timedelta(days=1)):
        if other.weekday() < 5:
            low, high = submission_window(other, other)
            assert not low <= submitted < high
