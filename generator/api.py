"""The static JSON API: the archive as files others can build on without scraping.

- `api/index.json`: what exists (days with their counts, topics, the export, the feeds);
- `api/days/YYYY-MM-DD.json`: one day's papers, in the day page's order;
- `api/topics/<slug>.json`: a topic's most recent papers;
- `api/papers.jsonl.gz`: every paper, one JSON object per line, oldest day first.

Every document carries `version` (the schema's major version); docs/api/schema-v1.json
is the published JSON Schema and docs/api.md documents it. Pure like the renderers:
Archive in, jobs (docs/ path, key, bytes when asked for) out, one file at a time; the
export is one gzip member per month (`export_member`), which generation keeps between
builds so that a new day recompresses one month.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date
from functools import partial
from typing import Any

from .archive import Archive, Entry, Month
from .models import Links, Paper, Topic
from .render.jobs import Job, Keys, keys_for
from .render.syndication import entry_id
from .render.urls import (
    ATOM_FEED,
    JSON_FEED,
    absolute,
    day_url,
    paper_url,
    topic_url,
)

VERSION = 1
# A paper's stored fields, in their order; `source` (which fetcher wrote the record) is
# bookkeeping, not data.
_FIELDS = tuple(f.name for f in fields(Paper) if f.name != "source")
SCHEMA = f"api/schema-v{VERSION}.json"
INDEX = "api/index.json"
EXPORT = "api/papers.jsonl.gz"
OWNED = (INDEX, "api/days", "api/topics", EXPORT)  # docs/ entries generation owns
TOPIC_RECENT = 100
# Measured on 75 MB of JSON Lines (30,000 papers): level 4 took 0.9 s for 22.6 MB, level 6
# 2.4 s for 21.4 MB; the export is rebuilt every day, so the faster level wins.
GZIP_LEVEL = 4


def day_path(day: date) -> str:
    return f"api/days/{day.isoformat()}.json"


def topic_path(slug: str) -> str:
    return f"api/topics/{slug}.json"


def api_files(archive: Archive, site_url: str) -> dict[str, bytes]:
    """docs/ path -> bytes of every API file."""
    keys = keys_for(archive, site_url)
    files = {job.path: _bytes(job.make()) for job in api_jobs(archive, site_url, keys)}
    files[EXPORT] = b"".join(export_member(es, site_url) for _, es in export_months(archive))
    return files


def api_jobs(archive: Archive, site_url: str, keys: Keys) -> Iterator[Job]:
    """Every API file but the export (see `export_months`), each made when asked for."""
    yield Job(INDEX, None, lambda: _document(index(archive, site_url)))
    for day in archive.days:
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


def export_months(archive: Archive) -> Iterator[tuple[Month, list[Entry]]]:
    """The export's parts: each month's papers, oldest day first, then by id."""
    for month in archive.months:
        entries = [
            e for day in archive.month_days(month) for e in sorted(archive.by_day[day], key=_id)
        ]
        yield month, entries


def export_member(entries: Sequence[Entry], site_url: str) -> bytes:
    """One month of the export: a gzip member of its JSON Lines. Members joined are one
    gzip file (RFC 1952), so a new day recompresses its month, not the whole archive; the
    header holds no time or name, so the same papers give the same bytes."""
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

    return {
        "kind": "index",
        "version": VERSION,
        "schema": api(SCHEMA),
        "site_url": site_url,
        "papers": archive.total,
        "first_day": archive.days[0].isoformat() if archive.days else None,
        "latest_day": archive.days[-1].isoformat() if archive.days else None,
        "days": [
            {"day": d.isoformat(), "count": archive.count_on(d), "api": api(day_path(d))}
            for d in archive.days
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
        "export": {"url": api(EXPORT), "format": "jsonl+gzip", "papers": archive.total},
        "feeds": {"atom": api(ATOM_FEED), "json": api(JSON_FEED)},
    }


def _with_papers(kind: str, head: dict[str, Any], papers: Iterable[str]) -> bytes:
    """A document whose `papers` are already-serialised JSON objects."""
    start = _dumps({"kind": kind, "version": VERSION, **head})
    return f'{start[:-1]},"papers":[{",".join(papers)}]}}\n'.encode()


def _document(data: dict[str, Any]) -> bytes:
    return (_dumps(data) + "\n").encode("utf-8")


# Line breaks to Unicode (and to Python's str.splitlines) that JSON may leave raw: escaped,
# so that one paper is always one line of the export, however it is read.
_LINE_BREAKS = (("\x85", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _dumps(data: object) -> str:
    # Non-ASCII as itself (UTF-8 files); json.dumps escapes what JSON needs escaped.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _LINE_BREAKS:
        if char in text:
            text = text.replace(char, escaped)
    return text
