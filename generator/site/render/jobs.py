"""Every generated file as a job: its path, a key for what it is made from, and how to make it.

A daily build changes one day of a large archive, and most files (the other days, their
BibTeX and JSON, past months of each topic) come out byte for byte as before. Rendering
them again only to find that costs most of a rebuild, so each such file carries a **key**:
a digest of exactly the arguments its pure renderer is called with (the papers it shows,
as digests of their whole records and decided topics, and its neighbours), plus what every
page reads (the topic names, the site's address). Generation renders a job only when its
key differs from the one recorded for that path by the last complete generation
(generate.py); the code itself is covered by the build key, which voids every record.

Files whose inputs are spread over the whole archive (home, indexes, stats, trending, the
API's index and export) have no key and are made every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
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


@dataclass(frozen=True)
class Job:
    path: str  # relative to docs/
    key: str | None  # None: made every time
    make: Callable[[], Content]


class Keys:
    """Digests of entries (each computed once) and of the arguments of a renderer."""

    def __init__(self, *shared: object) -> None:
        self._shared = repr(shared).encode("utf-8", "surrogatepass")
        self._entries: dict[str, bytes] = {}
        # Digests of whole groups (a day's entries serve its page, BibTeX and JSON), by
        # the group object, which is kept so that its id cannot be reused.
        self._groups: dict[int, tuple[Sequence[Entry], bytes]] = {}

    def entry(self, entry: Entry) -> bytes:
        digest = self._entries.get(entry.id)
        if digest is None:
            digest = hasher(_entry_bytes(entry)).digest()
            self._entries[entry.id] = digest
        return digest

    def group(self, entries: Sequence[Entry]) -> bytes:
        cached = self._groups.get(id(entries))
        if cached is not None and cached[0] is entries:
            return cached[1]
        entry = self.entry
        digest = hasher(b"".join([entry(e) for e in entries])).digest()
        self._groups[id(entries)] = (entries, digest)
        return digest

    def of(self, kind: str, args: object, entries: Sequence[Entry] = ()) -> str:
        digest = hasher(self._shared)
        digest.update(f"\0{kind}\0{args!r}\0".encode("utf-8", "surrogatepass"))
        digest.update(self.group(entries))
        return digest.hexdigest()


def _entry_bytes(entry: Entry) -> bytes:
    """Every field of the entry and its paper: as JSON, a third of the time of `repr`
    (every entry of the archive is digested on every build that renders); `repr` for
    what orjson cannot write (a count past 64 bits, which a record may hold)."""
    try:
        return orjson.dumps(entry)
    except orjson.JSONEncodeError:
        return repr(entry).encode("utf-8", "surrogatepass")


def keys_for(archive: Archive, site_url: str) -> Keys:
    return Keys(archive.topics, site_url)


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

    def linked(entries: Sequence[Entry]) -> tuple[bool, ...]:
        """Which cards of `entries` link their related papers: part of a page's key (the
        lists themselves are in the day's related.html, so they do not move the page)."""
        return tuple(bool(nearest.get(e.id)) for e in entries)

    def listed(entries: Sequence[Entry]) -> tuple[object, ...]:
        """What the day's related.html shows of each paper's related papers."""
        return tuple(
            tuple((n.id, n.day, n.paper.title) for n in nearest.get(e.id, ())) for e in entries
        )

    yield page(HOME, home_page, archive)
    yield page(DAYS, archive_page, archive)
    for year in archive.years:
        yield page(year_url(year), year_page, archive, year)
    for month in archive.months:
        yield page(month_url(*month), month_page, archive, month)
    days = archive.days
    for i, day in enumerate(days):
        shown = archive.cards_on(day)  # the page's cards, and the RIS file's records
        entries, shown_all = shown.own, shown.all
        before: date | None = days[i - 1] if i > 0 else None
        after: date | None = days[i + 1] if i + 1 < len(days) else None
        key = keys.of("day", (day, before, after, len(shown.again), linked(shown_all)), shown_all)
        yield page(day_url(day), day_page, day, shown, before, after, key=key)
        key = keys.of("related", (day, listed(entries)), entries)
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
            args = (topic.slug, month, neighbours, linked(in_month))
            key = keys.of("topic-month", args, in_month)
            url = topic_month_url(topic.slug, *month)
            yield page(url, topic_month_page, topic, month, in_month, neighbours, key=key)
    yield page(TRENDING, trending_page, archive)
    yield page(STATS, stats_page, archive)
    for feed in all_feeds(archive):
        key = keys.of("feed", (feed.here, feed.title, feed.description), feed.entries)
        yield Job(feed.here + ATOM_FEED, key, partial(atom, feed, names, site_url))
        yield Job(feed.here + JSON_FEED, key, partial(json_feed, feed, names, site_url))
