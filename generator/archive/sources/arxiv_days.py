"""arXiv's announcement schedule: which day's listing a submission appears in.

arXiv announces new submissions once each weekday evening (20:00 US Eastern, Sunday to
Thursday), as the listing of the next weekday: submissions made before the 14:00 Eastern
cutoff of a weekday are in the listing of the weekday after it, and everything from
Friday's cutoff to Monday's is in Tuesday's. So every submission has exactly one listing
day, a weekday, and nothing is listed twice or on a weekend.

Two things the rule cannot know, and files by the schedule all the same: arXiv's holidays
(no announcement; the papers appear in the next listing) and papers held for moderation
(announced later than their submission time says). `published` in arXiv's API is when
the first version was submitted, so a new version never moves a paper.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from generator.errors import AlmanacError

CUTOFF = time(14, 0)
_SATURDAY = 5


def _eastern() -> ZoneInfo:
    try:
        return ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:  # a system without a time zone database (Windows)
        raise AlmanacError(
            "no time zone data for America/New_York, needed for arXiv's schedule: "
            "pip install tzdata"
        ) from None


def next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    return day


def previous_weekday(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= _SATURDAY:
        day -= timedelta(days=1)
    return day


def listing_day(submitted: datetime) -> date:
    """The weekday whose listing holds a submission made at `submitted` (aware)."""
    local = submitted.astimezone(_eastern())
    cutoff_day = local.date()
    if cutoff_day.weekday() >= _SATURDAY or local.time() >= CUTOFF:
        cutoff_day = next_weekday(cutoff_day)
    return next_weekday(cutoff_day)


def is_listing_day(day: date) -> bool:
    return day.weekday() < _SATURDAY


def submission_window(first: date, last: date) -> tuple[datetime, datetime]:
    """The UTC span [start, end) of submissions listed on the weekdays first..last."""
    zone = _eastern()
    start = datetime.combine(previous_weekday(previous_weekday(_on_or_after(first))), CUTOFF, zone)
    end = datetime.combine(previous_weekday(_on_or_before(last)), CUTOFF, zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def _on_or_after(day: date) -> date:
    return day if is_listing_day(day) else next_weekday(day)


def _on_or_before(day: date) -> date:
    return day if is_listing_day(day) else previous_weekday(day)
