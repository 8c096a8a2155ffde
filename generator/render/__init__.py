"""Pure renderers: an `Archive` in, page texts out. Nothing here touches the disk."""

from __future__ import annotations

from collections.abc import Iterator

from ..archive import Archive
from .bibtex import bib_file
from .card import Ctx
from .days import archive_page, day_page, month_page, year_page
from .home import home_page
from .page import Page
from .search import (
    search_manifest,
    search_records,
    shard_days,
    shard_digest,
    shard_records,
    shard_size,
)
from .stats import stats_page
from .syndication import feeds
from .topics import topic_month_page, topic_page, topics_index
from .trending import trending_page
from .urls import (
    DAYS,
    HOME,
    STATS,
    TOPICS,
    TRENDING,
    day_bib_url,
    day_url,
    month_url,
    topic_month_url,
    topic_url,
    year_url,
)

__all__ = [
    "Page",
    "bib_files",
    "feeds",
    "iter_bib_files",
    "pages",
    "search_manifest",
    "search_records",
    "shard_days",
    "shard_digest",
    "shard_records",
    "shard_size",
]


def pages(archive: Archive) -> Iterator[Page]:
    """Every generated page of the site, in a fixed order."""
    names = {t.slug: t.name for t in archive.topics}

    def ctx(url: str) -> Ctx:
        return Ctx(url, names)

    yield home_page(archive, ctx(HOME))
    yield archive_page(archive, ctx(DAYS))
    for year in archive.years:
        yield year_page(archive, year, ctx(year_url(year)))
    for month in archive.months:
        yield month_page(archive, month, ctx(month_url(*month)))
    for day in archive.days:
        yield day_page(archive, day, ctx(day_url(day)))
    yield topics_index(archive, ctx(TOPICS))
    for topic in archive.topics:
        months = archive.topic_months(topic.slug)
        yield topic_page(archive, topic, months, ctx(topic_url(topic.slug)))
        ordered = sorted(months)
        for i, month in enumerate(ordered):
            neighbours = (
                ordered[i - 1] if i > 0 else None,
                ordered[i + 1] if i + 1 < len(ordered) else None,
            )
            url = topic_month_url(topic.slug, *month)
            yield topic_month_page(topic, month, months[month], neighbours, ctx(url))
    yield trending_page(archive, ctx(TRENDING))
    yield stats_page(archive, ctx(STATS))


def bib_files(archive: Archive) -> dict[str, str]:
    """docs/ path -> BibTeX of every paper of the day, for each day."""
    return dict(iter_bib_files(archive))


def iter_bib_files(archive: Archive) -> Iterator[tuple[str, str]]:
    """(docs/ path, BibTeX) for each day, each made when it is asked for."""
    for day in archive.days:
        yield day_bib_url(day), bib_file(e.paper for e in archive.by_day[day])
