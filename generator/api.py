"""The static JSON API: the archive as files others can build on without scraping.

- `api/index.json`: what exists (days with their counts, topics, the export, the feeds);
- `api/days/YYYY-MM-DD.json`: one day's papers, in the day page's order;
- `api/topics/<slug>.json`: a topic's most recent papers;
- `api/papers.jsonl.gz`: every paper, one JSON object per line, oldest day first.

Every document carries `version` (the schema's major version); docs/api/schema-v1.json
is the published JSON Schema and docs/api.md documents it. Pure like the renderers:
Archive in, (docs/ path, bytes) out, one file at a time. Papers are serialised a day at a
time and each day's document and its lines of the export are put together from those
strings, so neither every paper's JSON nor the export's text is ever held whole; gzip's
header holds no time or name, so the same archive gives the same bytes.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import date
from typing import Any

from .archive import Archive, Entry
from .models import Links, Paper
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
_GZIP_HEADER = 10  # bytes: magic, method, flags, mtime, extra flags, OS


def day_path(day: date) -> str:
    return f"api/days/{day.isoformat()}.json"


def topic_path(slug: str) -> str:
    return f"api/topics/{slug}.json"


def api_files(archive: Archive, site_url: str) -> dict[str, bytes]:
    """docs/ path -> bytes of every API file."""
    return dict(iter_api_files(archive, site_url))


def iter_api_files(archive: Archive, site_url: str) -> Iterator[tuple[str, bytes]]:
    """(docs/ path, bytes) of every API file, each made when it is asked for; the export
    comes last, as it grows with every day."""
    yield INDEX, _document(index(archive, site_url))
    export = _GzipText(GZIP_LEVEL)
    for day in archive.days:
        papers = {e.id: paper_json(e, site_url) for e in archive.by_day[day]}
        head: dict[str, Any] = {
            "day": day.isoformat(),
            "url": absolute(site_url, day_url(day)),
            "count": len(archive.by_day[day]),
        }
        yield day_path(day), _with_papers("day", head, (papers[e.id] for e in archive.by_day[day]))
        export.write("".join(papers[e.id] + "\n" for e in _by_id(archive, day)))
    for topic in archive.topics:
        entries = archive.by_topic[topic.slug]
        head = {
            "topic": {"slug": topic.slug, "name": topic.name, "description": topic.description},
            "url": absolute(site_url, topic_url(topic.slug)),
            "count": len(entries),
        }
        # Serialised again rather than kept from the days: a few hundred papers, not all.
        recent = (paper_json(e, site_url) for e in entries[:TOPIC_RECENT])
        yield topic_path(topic.slug), _with_papers("topic", head, recent)
    yield EXPORT, export.close()


class _GzipText:
    """`gzip.compress(text, level, mtime=0)` of text given in pieces, to the same bytes.

    zlib's deflate stream does not depend on how its input is cut, and only the compressed
    bytes are held, never the text. The 10-byte header is gzip.compress's own: its OS byte
    is not zlib's on every Python version.
    """

    def __init__(self, level: int) -> None:
        self._zip = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: the gzip format
        self._parts = [gzip.compress(b"", level, mtime=0)[:_GZIP_HEADER]]
        self._skip = _GZIP_HEADER  # zlib's header, replaced by the one above

    def write(self, text: str) -> None:
        self._add(self._zip.compress(text.encode("utf-8")))

    def close(self) -> bytes:
        self._add(self._zip.flush())
        data = b"".join(self._parts)
        self._parts.clear()
        return data

    def _add(self, data: bytes) -> None:
        if self._skip:
            cut = min(self._skip, len(data))
            data, self._skip = data[cut:], self._skip - cut
        self._parts.append(data)


def _by_id(archive: Archive, day: date) -> list[Entry]:
    return sorted(archive.by_day[day], key=lambda e: e.id)


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
