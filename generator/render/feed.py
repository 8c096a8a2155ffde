"""Atom feeds of newly archived papers: the whole archive and one per topic.

Deterministic like the pages: a feed's `updated` is its newest paper's day, never the
clock. Links are relative to the feed's own URL, so they work under any base path. Text
goes through XML escaping only (no CDATA, so a `]]>` in a title is just text).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..archive import Archive, Entry
from .html import rel, strip_controls
from .urls import HOME, paper_url, topic_url

FEED_SIZE = 50
FEED_NAME = "feed.xml"


def feeds(archive: Archive) -> dict[str, str]:
    """docs/ path -> Atom XML, for the site feed and every topic's feed."""
    latest = [e for day in reversed(archive.days) for e in archive.by_day[day]][:FEED_SIZE]
    out = {FEED_NAME: _feed(archive, HOME, "Paper Almanac", "site", latest)}
    for topic in archive.topics:
        entries = archive.by_topic[topic.slug][:FEED_SIZE]
        here = topic_url(topic.slug)
        out[here + FEED_NAME] = _feed(
            archive, here, f"Paper Almanac: {topic.name}", f"topic:{topic.slug}", entries
        )
    return out


def _text(value: str) -> str:
    # XML 1.0 cannot carry control characters at all, not even as references.
    return escape(" ".join(strip_controls(value).split()))


def _feed(archive: Archive, here: str, title: str, key: str, entries: Sequence[Entry]) -> str:
    names = {t.slug: t.name for t in archive.topics}
    updated = entries[0].day.isoformat() if entries else "2000-01-01"
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{_text(title)}</title>",
        f"<id>urn:paper-almanac:feed:{escape(key)}</id>",
        f"<updated>{updated}T00:00:00Z</updated>",
        f'<link rel="self" href="{FEED_NAME}"/>',
        '<link href="./"/>',
    ]
    parts += [_entry(entry, here, names) for entry in entries]
    parts.append("</feed>")
    return "\n".join(parts) + "\n"


def _entry(entry: Entry, here: str, names: dict[str, str]) -> str:
    paper = entry.paper
    lines = [
        "<entry>",
        f"<title>{_text(paper.title)}</title>",
        f"<id>urn:paper-almanac:paper:{escape(paper.id)}</id>",
        f"<link href={quoteattr(rel(here, paper_url(paper.id, paper.day)))}/>",
        f"<updated>{paper.day.isoformat()}T00:00:00Z</updated>",
    ]
    authors = paper.authors or ("Unknown authors",)
    lines += [f"<author><name>{_text(name)}</name></author>" for name in authors[:10]]
    lines += [f"<category term={quoteattr(names[slug])}/>" for slug in entry.topics]
    summary = paper.ai_summary or paper.abstract
    if summary:
        lines.append(f"<summary>{_text(summary)}</summary>")
    lines.append("</entry>")
    return "\n".join(lines)
