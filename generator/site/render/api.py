"""The static JSON API: the archive as files others can build on without scraping.

- `api/index.json`: what exists (days with their counts, months, topics, the feeds);
- `api/months/YYYY-MM.jsonl.gz`: every paper of a month, one JSON object per line, oldest
  day first: the whole archive, a month at a time;
- `api/days/YYYY-MM-DD.json`: one day's papers, in the day page's order, for the days of
  the last `DAY_DOCUMENT_DAYS` days (older days are in their month's file);
- `api/topics/<slug>.json`: a topic's most recent papers.

Every document carries `version` (the schema's major version); docs/api/schema-v2.json
is the published JSON Schema and docs/api.md documents it. Each paper is in its month's
file once; day documents exist only for recent days because they repeat the papers
uncompressed (version 1 had one for every day: 80 MB of a 366 MB site at 30,000 papers,
and a 100,000-paper site over GitHub Pages' 1 GB). Pure like the renderers: Archive in,
jobs (docs/ path, key, bytes when asked for) out, one file at a time; a month's file is
made again only when its papers change.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date, timedelta
from functools import partial
from typing import Any

from generator.models import Links, Paper, Topic
from generator.site.arranged import Archive, Entry, Month
from generator.site.render.jobs import Job, Keys
from generator.site.render.syndication import entry_id
from generator.site.render.urls import (
    API_INDEX,
    ATOM_FEED,
    JSON_FEED,
    absolute,
    day_url,
    month_data_url,
    paper_url,
    topic_url,
)

VERSION = 2
# A paper's stored fields, in their order; `field_fetched_at` and `title_page_fields`
# (when and where each value was fetched, for merging) are bookkeeping, not data.
_FIELDS = tuple(
    f.name for f in fields(Paper) if f.name not in ("field_fetched_at", "title_page_fields")
)
SCHEMA = f"api/schema-v{VERSION}.json"
INDEX = API_INDEX
# A topic's document is a "what is new here" view; the month files hold the rest.
TOPIC_RECENT = 50
# Days with a day document: the latest day and those up to this many days before it.
DAY_DOCUMENT_DAYS = 60
# Measured on 75 MB of JSON Lines (30,000 papers): level 4 took 0.9 s for 22.6 MB, level 6
# 2.4 s for 21.4 MB; a cold build compresses every month, so the faster level wins.
GZIP_LEVEL = 4


def day_path(day: date) -> str:
    return f"api/days/{day.isoformat()}.json"


def month_path(month: Month) -> str:
    return month_data_url(*month)


def topic_path(slug: str) -> str:
    return f"api/topics/{slug}.json"


def documented_days(archive: Archive) -> list[date]:
    """The days that have a day document: the last DAY_DOCUMENT_DAYS days of the archive."""
    if not archive.days:
        return []
    first = archive.days[-1] - timedelta(days=DAY_DOCUMENT_DAYS)
    return [day for day in archive.days if day >= first]


def api_jobs(archive: Archive, site_url: str, keys: Keys) -> Iterator[Job]:
    """Every API file, each made when asked for."""
    yield Job(INDEX, None, lambda: _document(index(archive, site_url)))
    for month, papers in months(archive):
        key = keys.of("api-month", month, papers)
        yield Job(month_path(month), key, partial(month_file, papers, site_url))
    for day in documented_days(archive):
        entries = archive.by_day[day]
        key = keys.of("api-day", day, entries)
        yield Job(day_path(day), key, partial(_day_document, day, entries, site_url))
    for topic in archive.topics:
        entries = archive.by_topic[topic.slug]
        recent = entries[:TOPIC_RECENT]
        key = keys.of("api-topic", (topic, len(entries)), recent)
        yield Job(topic_path(topic.slug), key, partial(_topic_document, topic, entries, site_url))


def _day_document(day: date, entries: Sequence[Entry], site_url: str) -> bytes:
    head: dict[str, Any] = {
        "day": day.isoformat(),
        "url": absolute(site_url, day_url(day)),
        "count": len(entries),
    }
    return _with_papers("day", head, (paper_json(e, site_url) for e in entries))


def _topic_document(topic: Topic, entries: Sequence[Entry], site_url: str) -> bytes:
    head = {
        "topic": {"slug": topic.slug, "name": topic.name, "description": topic.description},
        "url": absolute(site_url, topic_url(topic.slug)),
        "count": len(entries),
    }
    recent = (paper_json(e, site_url) for e in entries[:TOPIC_RECENT])
    return _with_papers("topic", head, recent)


def months(archive: Archive) -> Iterator[tuple[Month, list[Entry]]]:
    """Each month's papers, oldest day first, then by id."""
    for month in archive.months:
        entries = [
            e for day in archive.month_days(month) for e in sorted(archive.by_day[day], key=_id)
        ]
        yield month, entries


def month_file(entries: Sequence[Entry], site_url: str) -> bytes:
    """A month's papers as gzip-compressed JSON Lines. The header holds no time or name,
    so the same papers give the same bytes; the month files joined one after another are
    one gzip file (RFC 1952) of the whole archive."""
    text = "".join(paper_json(e, site_url) + "\n" for e in entries)
    return gzip.compress(text.encode("utf-8"), GZIP_LEVEL, mtime=0)


def _id(entry: Entry) -> str:
    return entry.id


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def paper_json(entry: Entry, site_url: str) -> str:
    """One paper as compact JSON: its stored fields, its permalink, topics and feed id."""
    paper = entry.paper
    data: dict[str, Any] = {}
    for name in _FIELDS:  # Paper.to_mapping's form, without its per-call overhead
        value = getattr(paper, name)
        if value is None or value == ():
            continue
        if isinstance(value, Links):
            value = value.to_mapping()
            if not value:
                continue
        elif isinstance(value, date):
            value = value.isoformat()
        elif name == "featured_again":
            value = [d.isoformat() for d in value]
        elif name == "author_handles":
            value = dict(value)
        elif isinstance(value, tuple):
            value = list(value)
        data[name] = value
    data["author_count"] = max(paper.author_count or 0, len(paper.authors))
    data["url"] = absolute(site_url, paper_url(paper.id, paper.day))
    data["topics"] = list(entry.topics)
    data["pinned"] = entry.pinned
    data["feed_id"] = entry_id(paper)
    return _dumps(data)


def index(archive: Archive, site_url: str) -> dict[str, Any]:
    def api(path: str) -> str:
        return absolute(site_url, path)

    documented = set(documented_days(archive))

    return {
        "kind": "index",
        "version": VERSION,
        "schema": api(SCHEMA),
        "site_url": site_url,
        "papers": archive.total,
        "first_day": archive.days[0].isoformat() if archive.days else None,
        "latest_day": archive.days[-1].isoformat() if archive.days else None,
        "days": [
            _day_entry(d, archive.count_on(d), api(day_path(d)) if d in documented else None)
            for d in archive.days
        ],
        "months": [
            {
                "month": f"{month[0]:04d}-{month[1]:02d}",
                "papers": sum(archive.count_on(d) for d in archive.month_days(month)),
                "api": api(month_path(month)),
            }
            for month in archive.months
        ],
        "topics": [
            {
                "slug": t.slug,
                "name": t.name,
                "description": t.description,
                "count": len(archive.by_topic[t.slug]),
                "url": api(topic_url(t.slug)),
                "api": api(topic_path(t.slug)),
                "feeds": {
                    "atom": api(topic_url(t.slug) + ATOM_FEED),
                    "json": api(topic_url(t.slug) + JSON_FEED),
                },
            }
            for t in archive.topics
        ],
        "feeds": {"atom": api(ATOM_FEED), "json": api(JSON_FEED)},
    }


def _day_entry(day: date, count: int, document: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"day": day.isoformat(), "count": count, "month": day.strftime("%Y-%m")}
    if document is not None:
        entry["api"] = document
    return entry


def _with_papers(kind: str, head: dict[str, Any], papers: Iterable[str]) -> bytes:
    """A document whose `papers` are already-serialised JSON objects."""
    start = _dumps({"kind": kind, "version": VERSION, **head})
    return f'{start[:-1]},"papers":[{",".join(papers)}]}}\n'.encode()


def _document(data: dict[str, Any]) -> bytes:
    return (_dumps(data) + "\n").encode("utf-8")


# Line breaks to Unicode (and to Python's str.splitlines) that JSON may leave raw: escaped,
# so that one paper is always one line of a month's file, however it is read.
_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _dumps(data: object) -> str:
    # Non-ASCII as itself (UTF-8 files); json.dumps escapes what JSON needs escaped.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _LINE_BREAKS:
        if char in text:
            text = text.replace(char, escaped)
    return text
