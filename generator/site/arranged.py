"""The whole archive in memory, arranged the ways the site shows it.

`build_archive` takes papers, the taxonomy, the curation and a classifier and returns an
`Archive`: hidden papers removed, each paper's topics decided once, and every grouping the
pages need (by day, month, year and topic) computed up front. It is pure and linear in the
number of papers, so rendering never has to search.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Protocol

from generator.models import Curation, Paper, Topic

Month = tuple[int, int]  # (year, month)

WEEK_DAYS = 7
TOP_COUNT = 10


class Classifier(Protocol):
    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Entry:
    """One visible paper with what the archive decided about it."""

    paper: Paper
    topics: tuple[str, ...]  # slugs, in taxonomy order
    pinned: bool = False

    @property
    def id(self) -> str:
        return self.paper.id

    @property
    def day(self) -> date:
        return self.paper.day

    @property
    def upvotes(self) -> int:
        return self.paper.upvotes or 0


def day_rank(entry: Entry) -> tuple[bool, int, str]:
    """Order within a day: pinned first, then most upvoted, ties by id."""
    return (not entry.pinned, -entry.upvotes, entry.id)


def period_rank(entry: Entry) -> tuple[int, int, str]:
    """Order of a period's top papers: most upvoted, then most recent, ties by id."""
    return (-entry.upvotes, -entry.day.toordinal(), entry.id)


@dataclass(frozen=True)
class DayCards:
    """The cards of a day's page, in the page's order: the papers first featured that day
    (`own`), then those featured again that day (`again`), whose permalinks are on their
    first day. The page and every file made for the day's cards (its RIS) take them from
    here, so that they cannot disagree."""

    own: tuple[Entry, ...]
    again: tuple[Entry, ...] = ()

    @property
    def all(self) -> tuple[Entry, ...]:
        """Every card of the page, in order (the day's own tuple itself when none is
        featured again: the pages' keys digest a tuple once, by its identity)."""
        return (*self.own, *self.again) if self.again else self.own


@dataclass(frozen=True)
class Archive:
    topics: tuple[Topic, ...]
    entries: Mapping[str, Entry]
    days: tuple[date, ...]  # ascending; only days with visible papers
    by_day: Mapping[date, tuple[Entry, ...]]  # day_rank order
    by_topic: Mapping[str, tuple[Entry, ...]]  # newest day first, then day_rank; all topics
    # Papers featured again on a later day (of `days`), in day_rank order: shown there too.
    again: Mapping[date, tuple[Entry, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    _months: tuple[Month, ...] = field(default=(), repr=False)

    # --- days ---------------------------------------------------------------------------

    @property
    def latest_day(self) -> date | None:
        return self.days[-1] if self.days else None

    def previous_day(self, day: date) -> date | None:
        i = bisect.bisect_left(self.days, day)
        return self.days[i - 1] if i > 0 else None

    def next_day(self, day: date) -> date | None:
        i = bisect.bisect_right(self.days, day)
        return self.days[i] if i < len(self.days) else None

    def days_between(self, first: date, last: date) -> tuple[date, ...]:
        lo = bisect.bisect_left(self.days, first)
        hi = bisect.bisect_right(self.days, last)
        return self.days[lo:hi]

    def cards_on(self, day: date) -> DayCards:
        """What the day's page shows: its own papers, then those featured again on it."""
        return DayCards(tuple(self.by_day.get(day, ())), tuple(self.again.get(day, ())))

    def entries_between(self, first: date, last: date) -> list[Entry]:
        return [e for d in self.days_between(first, last) for e in self.by_day[d]]

    def earlier_this_week(self, count: int = TOP_COUNT) -> list[Entry]:
        """Most upvoted of the six days before the latest day (not the clock): the latest
        day's own papers are shown in full beside it, and repeating them says nothing."""
        last = self.latest_day
        if last is None:
            return []
        first = last - timedelta(days=WEEK_DAYS - 1)
        return top(self.entries_between(first, last - timedelta(days=1)), count)

    # --- months and years -----------------------------------------------------------------

    @property
    def months(self) -> tuple[Month, ...]:
        return self._months

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({y for y, _ in self._months}))

    def month_days(self, month: Month) -> tuple[date, ...]:
        first, last = _month_bounds(month)
        return self.days_between(first, last)

    def year_days(self, year: int) -> tuple[date, ...]:
        return self.days_between(date(year, 1, 1), date(year, 12, 31))

    def previous_month(self, month: Month) -> Month | None:
        i = bisect.bisect_left(self._months, month)
        return self._months[i - 1] if i > 0 else None

    def next_month(self, month: Month) -> Month | None:
        i = bisect.bisect_right(self._months, month)
        return self._months[i] if i < len(self._months) else None

    @cached_property
    def month_counts(self) -> dict[Month, int]:
        counts: dict[Month, int] = {}
        for day in self.days:
            key = (day.year, day.month)
            counts[key] = counts.get(key, 0) + len(self.by_day[day])
        return counts

    def count_on(self, day: date) -> int:
        return len(self.by_day.get(day, ()))

    # --- topics ---------------------------------------------------------------------------

    def topic_months(self, slug: str) -> dict[Month, list[Entry]]:
        """A topic's papers by month, newest month first."""
        return self._topic_months[slug]

    @cached_property
    def _topic_months(self) -> dict[str, dict[Month, list[Entry]]]:
        out: dict[str, dict[Month, list[Entry]]] = {}
        for slug, entries in self.by_topic.items():
            months: dict[Month, list[Entry]] = out.setdefault(slug, {})
            for entry in entries:
                day = entry.paper.day
                months.setdefault((day.year, day.month), []).append(entry)
        return out

    @property
    def total(self) -> int:
        return len(self.entries)


def top(entries: Iterable[Entry], count: int = TOP_COUNT) -> list[Entry]:
    return sorted(entries, key=period_rank)[:count]


def _month_bounds(month: Month) -> tuple[date, date]:
    year, m = month
    first = date(year, m, 1)
    following = date(year + m // 12, m % 12 + 1, 1)
    return first, following - timedelta(days=1)


def build_archive(
    papers: Iterable[Paper],
    topics: Sequence[Topic],
    curation: Mapping[str, Curation],
    classifier: Classifier,
    other: Topic,
) -> Archive:
    """Arrange `papers` for the site. `other` is the topic for papers no rule matched."""
    taxonomy = list(topics)
    if all(t.slug != other.slug for t in taxonomy):
        taxonomy.append(other)
    order = {t.slug: i for i, t in enumerate(taxonomy)}
    problems: list[str] = []
    entries: dict[str, Entry] = {}
    for paper in papers:
        cur = curation.get(paper.id)
        if cur is not None and cur.hide:
            continue
        if paper.id in entries:
            problems.append(f"paper {paper.id}: appears twice; kept {entries[paper.id].day}")
            continue
        slugs = _known_topics(paper, classifier.classify(paper, cur), order, other, problems)
        entries[paper.id] = Entry(paper, slugs, pinned=bool(cur and cur.pin))
    return _arrange(tuple(taxonomy), entries, tuple(problems))


def _known_topics(
    paper: Paper,
    slugs: Iterable[str],
    order: Mapping[str, int],
    other: Topic,
    problems: list[str],
) -> tuple[str, ...]:
    known = []
    for slug in dict.fromkeys(slugs):
        if slug in order:
            known.append(slug)
        else:
            problems.append(f"paper {paper.id}: unknown topic {slug!r} ignored")
    return tuple(sorted(known, key=order.__getitem__)) or (other.slug,)


def _arrange(
    topics: tuple[Topic, ...], entries: dict[str, Entry], problems: tuple[str, ...]
) -> Archive:
    grouped: defaultdict[date, list[Entry]] = defaultdict(list)
    for entry in entries.values():
        grouped[entry.paper.day].append(entry)
    days = tuple(sorted(grouped))
    by_day = {d: tuple(sorted(grouped[d], key=day_rank)) for d in days}
    again: defaultdict[date, list[Entry]] = defaultdict(list)
    for entry in entries.values():
        for day in entry.paper.featured_again:
            if day in grouped:  # a day with no first-featured paper has no page
                again[day].append(entry)
    # Newest day first, each day in its page's order, without sorting again.
    by_topic: dict[str, list[Entry]] = {t.slug: [] for t in topics}
    for day in reversed(days):
        for entry in by_day[day]:
            for slug in entry.topics:
                by_topic[slug].append(entry)
    return Archive(
        topics=topics,
        entries=entries,
        days=days,
        by_day=by_day,
        by_topic={s: tuple(es) for s, es in by_topic.items()},
        again={d: tuple(sorted(es, key=day_rank)) for d, es in sorted(again.items())},
        problems=problems,
        _months=tuple(sorted({(d.year, d.month) for d in days})),
    )
