"""Every generated file as a job: its path, a key for what it is made from, and how to make it.

A daily build changes one day of a large archive, and most files (the other days, their
BibTeX and JSON, past months of each topic) come out byte for byte as before. Rendering
them again only to find that costs most of a rebuild, so each such file carries a **key**:
a digest of exactly the arguments its pure renderer is called with (the papers it shows,
as digests of their whole records and decided topics, and its neighbours), plus what every
page reads (the topic names, the site's address). Generation renders a job only when its
key differs from the one recorded for that path by the last complete generation
(generate.py); the code itself is covered by the build key, which voids every record.
A paper's record is digested through its day file's digest where the build folder knows
it (Keys): the keys of 100,000 papers are then made without writing out every record.
A month's and a year's pages, and each topic's page of a month, are keyed by their
days, each day's part made once.

Files whose inputs are spread over the whole archive (home, indexes, stats, trending, the
API's index and export) have no key and are made every time.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

import orjson

from generator.site.arranged import Archive, Entry
from generator.site.digest import hasher
from generator.site.render.card import Ctx
from generator.site.render.days import archive_page, day_page, month_page, year_page
from generator.site.render.home import home_page
from generator.site.render.page import Page
from generator.site.render.related_lists import day_file as related_day_file
from generator.site.render.related_lists import file_url as related_file_url
from generator.site.render.ris import day_file
from generator.site.render.ris import file_name as ris_name
from generator.site.render.stats import stats_page
from generator.site.render.syndication import all_feeds, atom, json_feed
from generator.site.render.topics import topic_month_page, topic_page, topics_index
from generator.site.render.trending import trending_page
from generator.site.render.urls import (
    ATOM_FEED,
    DAYS,
    HOME,
    JSON_FEED,
    STATS,
    TOPICS,
    TRENDING,
    day_url,
    month_url,
    page_path,
    topic_month_url,
    topic_url,
    year_url,
)

Content = str | bytes
# An entry's paper's id, read in C (keys read it a million times a build).
_id_of = attrgetter("paper.id")


@dataclass(frozen=True)
class Job:
    path: str  # relative to docs/
    key: str | None  # None: made every time
    make: Callable[[], Content]


class Keys:
    """Digests of entries (each computed once) and of the arguments of a renderer."""

    def __init__(self, *shared: object, days: Mapping[date, str] | None = None) -> None:
        self._shared = repr(shared).encode("utf-8", "surrogatepass")
        # The digest of each day's file, where known: a paper is made of its day's file
        # alone (under the build key), so the file's digest, the paper's id and what the
        # archive decided (topics, pin) stand for the whole entry, without writing out
        # every field of every paper on every build.
        self._days = days or {}
        self._entries: dict[str, bytes] = {}
        # Digests of whole groups (a day's entries serve its page, BibTeX and JSON), by
        # the group object, which is kept so that its id cannot be reused.
        self._groups: dict[int, tuple[Sequence[Entry], bytes]] = {}

    def entry(self, entry: Entry) -> bytes:
        paper_id = entry.paper.id
        digest = self._entries.get(paper_id)
        if digest is None:
            day = self._days.get(entry.paper.day)
            made = _entry_bytes(entry) if day is None else _decided_bytes(day, entry)
            digest = self._entries[paper_id] = hasher(made).digest()
        return digest

    def joined(self, entries: Sequence[Entry]) -> bytes:
        """The entries' digests one after another (what a group's digest is made of): in
        C loops once each entry is digested (a build joins a million of them)."""
        try:
            return b"".join(map(self._entries.__getitem__, map(_id_of, entries)))
        except KeyError:
            return b"".join([self.entry(e) for e in entries])

    def lists(self, entries: Sequence[Entry], lists: Mapping[str, Sequence[Entry]]) -> bytes:
        """Each entry's list of other entries (its related papers) as their digests: the
        lists' lengths, then the digests, so lists cannot run into each other."""
        listed = list(map(lists.get, map(_id_of, entries), repeat(())))
        # The lengths first, then every listed digest: two C loops a day, not one a paper.
        lengths = array("I", map(len, listed))
        return lengths.tobytes() + self.joined(list(chain.from_iterable(listed)))

    def group(self, entries: Sequence[Entry]) -> bytes:
        cached = self._groups.get(id(entries))
        if cached is not None and cached[0] is entries:
            return cached[1]
        digest = hasher(self.joined(entries)).digest()
        self._groups[id(entries)] = (entries, digest)
        return digest

    def of(self, kind: str, args: object, entries: Sequence[Entry] = (), more: bytes = b"") -> str:
        """The key of a `kind` of file made of `args` and `entries`; `more`: bytes that
        stand for whatever else it shows (other papers' digests, as `joined` gives them)."""
        digest = hasher(self._shared)
        digest.update(b"\0%s\0%s\0" % (kind.encode(), _args_bytes(args)))
        digest.update(self.group(entries))
        digest.update(more)
        return digest.hexdigest()


def _args_bytes(args: object) -> bytes:
    """A renderer's arguments as bytes: JSON (dates as ISO text), which orjson writes in
    a fraction of `repr`'s time on the long tuples of a large archive's keys
    (bench/VERSUS-32.md); `repr` for what JSON cannot hold."""
    try:
        return orjson.dumps(args)
    except orjson.JSONEncodeError:
        return repr(args).encode("utf-8", "surrogatepass")


def _decided_bytes(day_digest: str, entry: Entry) -> bytes:
    """The entry as its day file's digest, its id and what the archive decided of it."""
    decided = f"{day_digest}\0{entry.paper.id}\0{' '.join(entry.topics)}\0{entry.pinned:d}"
    return decided.encode("utf-8", "surrogatepass")


def _entry_bytes(entry: Entry) -> bytes:
    """Every field of the entry and its paper: as JSON, a third of the time of `repr`
    (every entry of the archive is digested on every build that renders); `repr` for
    what orjson cannot write (a count past 64 bits, which a record may hold)."""
    try:
        return orjson.dumps(entry)
    except orjson.JSONEncodeError:
        return repr(entry).encode("utf-8", "surrogatepass")


def keys_for(archive: Archive, site_url: str, days: Mapping[date, str] | None = None) -> Keys:
    """The keys of a build; `days`: the digest of each day's file, where known."""
    return Keys(archive.topics, site_url, days=days)


def docs_jobs(
    archive: Archive,
    site_url: str,
    keys: Keys,
    related: Mapping[str, Sequence[Entry]] | None = None,
) -> Iterator[Job]:
    """Every generated docs/ file but the JSON API's, in a fixed order. `related`: each
    paper's related papers, shown on its cards (none if not given)."""
    names = {t.slug: t.name for t in archive.topics}
    nearest = related or {}

    def page(url: str, render: Callable[..., Page], *args: Any, key: str | None = None) -> Job:
        return Job(page_path(url), key, lambda: render(*args, Ctx(url, names, nearest)).markdown())

    def linked(entries: Sequence[Entry]) -> bytes:
        """Which cards of `entries` link their related papers: part of a page's key (the
        lists themselves are in the day's related.html, so they do not move the page)."""
        return bytes(map(bool, map(nearest.get, map(_id_of, entries))))

    made_of_day: dict[date, bytes] = {}

    def of_days(days: Sequence[date]) -> bytes:
        """What a page made of whole days (a month's, a year's) shows of them: each day,
        its papers' digest and which of their cards link related papers; each day's once,
        rather than every paper again for each page that counts it."""
        out = []
        for day in days:
            part = made_of_day.get(day)
            if part is None:
                own = archive.by_day[day]
                head = f"{day.isoformat()}\0{len(own)}\0".encode()
                part = made_of_day[day] = head + keys.group(own) + linked(own)
            out.append(part)
        return b"".join(out)

    yield page(HOME, home_page, archive)
    yield page(DAYS, archive_page, archive)
    years = archive.years
    for i, year in enumerate(years):
        # A year's page shows its papers (counts, calendars, the most upvoted) and links
        # its neighbours: a past year's is made once.
        after_year = years[i + 1] if i + 1 < len(years) else None
        around_year = (year, years[i - 1] if i > 0 else None, after_year)
        key = keys.of("year", around_year, (), of_days(archive.year_days(year)))
        yield page(year_url(year), year_page, archive, year, key=key)
    for month in archive.months:
        around_month = (month, archive.previous_month(month), archive.next_month(month))
        key = keys.of("month", around_month, (), of_days(archive.month_days(month)))
        yield page(month_url(*month), month_page, archive, month, key=key)
    days = archive.days
    for i, day in enumerate(days):
        shown = archive.cards_on(day)  # the page's cards, and the RIS file's records
        entries, shown_all = shown.own, shown.all
        before: date | None = days[i - 1] if i > 0 else None
        after: date | None = days[i + 1] if i + 1 < len(days) else None
        around = (day, before, after, len(shown.again))
        key = keys.of("day", around, shown_all, linked(shown_all))
        yield page(day_url(day), day_page, day, shown, before, after, key=key)
        # What the day's related.html shows of each paper's related papers: their records.
        key = keys.of("related", day, entries, keys.lists(entries, nearest))
        yield Job(related_file_url(day), key, partial(related_day_file, day, entries, nearest))
        papers = [e.paper for e in shown_all]
        key = keys.of("ris", day, shown_all)
        yield Job(day_url(day) + ris_name(day), key, partial(day_file, papers))
    yield page(TOPICS, topics_index, archive)
    for topic in archive.topics:
        months = archive.topic_months(topic.slug)
        yield page(topic_url(topic.slug), topic_page, archive, topic, months)
        ordered = sorted(months)
        for i, month in enumerate(ordered):
            neighbours = (
                ordered[i - 1] if i > 0 else None,
                ordered[i + 1] if i + 1 < len(ordered) else None,
            )
            in_month = months[month]
            # Keyed by the month's days (each day's part made once for every topic and
            # the month's page), not by the topic's papers again: an edit of a paper of
            # the month makes each topic's page of that month again, which is cheap; past
            # months' pages are not made.
            args = (topic.slug, month, neighbours)
            key = keys.of("topic-month", args, (), of_days(archive.month_days(month)))
            url = topic_month_url(topic.slug, *month)
            yield page(url, topic_month_page, topic, month, in_month, neighbours, key=key)
    yield page(TRENDING, trending_page, archive)
    yield page(STATS, stats_page, archive)
    for feed in all_feeds(archive):
        key = keys.of("feed", (feed.here, feed.title, feed.description), feed.entries)
        yield Job(feed.here + ATOM_FEED, key, partial(atom, feed, names, site_url))
        yield Job(feed.here + JSON_FEED, key, partial(json_feed, feed, names, site_url))
