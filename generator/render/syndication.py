"""Feeds of newly archived papers, for the whole archive and for each topic.

Each feed comes as Atom (`feed.xml`, written with feedgen, whose lxml tree escapes every
text) and as JSON Feed 1.1 (`feed.json`, written with json.dumps). Both are deterministic
like the pages: entries are dated by the day their paper was featured and a feed's
`updated` is its newest entry's day, never the clock. Links are absolute (feed readers
fetch a feed alone, away from the site), under the published `site_url`.

An entry's id is `urn:paper-almanac:paper:<id>`, where <id> is the first id the paper
was archived under (a paper first known by its title keeps that id when it gets its
arXiv id), so a reader never sees one paper twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from feedgen.feed import FeedGenerator

from ..archive import Archive, Entry
from ..models import Paper, Topic
from .html import long_date, strip_controls
from .urls import ATOM_FEED, HOME, JSON_FEED, absolute, paper_url, topic_url

FEED_SIZE = 50
FEED_AUTHORS = 10  # a paper can have hundreds; the feed names the first few
SITE_NAME = "Paper Almanac"
ID_PREFIX = "urn:paper-almanac:paper:"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EMPTY_DAY = date(1970, 1, 1)  # `updated` of a feed with no entries: it never changed
# Characters XML 1.0 cannot carry at all (not even as references), beyond the controls.
_NON_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Feed:
    here: str  # the folder URL the feed files live in ("" or "topics/<slug>/")
    title: str
    description: str
    entries: Sequence[Entry]


def feeds(archive: Archive, site_url: str) -> dict[str, str]:
    """docs/ path -> feed text: Atom and JSON Feed for the site and for every topic."""
    names = {t.slug: t.name for t in archive.topics}
    out: dict[str, str] = {}
    for feed in all_feeds(archive):
        out[feed.here + ATOM_FEED] = atom(feed, names, site_url)
        out[feed.here + JSON_FEED] = json_feed(feed, names, site_url)
    return out


def all_feeds(archive: Archive) -> list[Feed]:
    latest = [e for day in reversed(archive.days) for e in archive.by_day[day]][:FEED_SIZE]
    out = [Feed(HOME, SITE_NAME, "Research papers as they are archived, newest first.", latest)]
    out += [_topic_feed(topic, archive.by_topic[topic.slug]) for topic in archive.topics]
    return out


def _topic_feed(topic: Topic, entries: Sequence[Entry]) -> Feed:
    title = f"{SITE_NAME}: {topic.name}"
    return Feed(topic_url(topic.slug), title, topic.description, entries[:FEED_SIZE])


def text(value: str) -> str:
    """Record text fit for XML and feed readers: one line, no control characters."""
    return " ".join(_NON_XML.sub("", strip_controls(value)).split())


def entry_id(paper: Paper) -> str:
    first = paper.aliases[-1] if paper.aliases else paper.id
    return ID_PREFIX + first


def _stamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _updated(feed: Feed) -> date:
    return feed.entries[0].day if feed.entries else EMPTY_DAY


def _summary(paper: Paper) -> str | None:
    return paper.ai_summary or paper.abstract or None


def atom(feed: Feed, names: dict[str, str], site_url: str) -> str:
    fg = FeedGenerator()
    fg.id(absolute(site_url, feed.here + ATOM_FEED))
    fg.title(text(feed.title))
    fg.subtitle(text(feed.description) or SITE_NAME)
    fg.author({"name": SITE_NAME})  # entries without known authors fall back to this
    fg.link(href=absolute(site_url, feed.here + ATOM_FEED), rel="self")
    fg.link(href=absolute(site_url, feed.here), rel="alternate", type="text/html")
    fg.language("en")
    fg.generator(SITE_NAME)
    fg.updated(_stamp(_updated(feed)))
    for item in feed.entries:
        _atom_entry(fg, item, names, site_url)
    xml: bytes = fg.atom_str(pretty=True)
    return xml.decode("utf-8")


def _atom_entry(fg: FeedGenerator, item: Entry, names: dict[str, str], site_url: str) -> None:
    paper = item.paper
    fe = fg.add_entry(order="append")
    fe.id(entry_id(paper))
    fe.title(text(paper.title))
    fe.link(href=absolute(site_url, paper_url(paper.id, paper.day)), rel="alternate")
    fe.published(_stamp(paper.day))
    fe.updated(_stamp(paper.day))
    for name in _authors(paper):
        fe.author({"name": name})
    for slug in item.topics:
        fe.category(term=slug, label=text(names[slug]))
    if summary := _summary(paper):
        fe.summary(_described(paper, summary))


def _described(paper: Paper, summary: str) -> str:
    return f"Featured on {long_date(paper.day)}. {text(summary)}"


def _authors(paper: Paper) -> list[str]:
    names = [text(name) for name in paper.authors[:FEED_AUTHORS]]
    return [name for name in names if name]


def json_feed(feed: Feed, names: dict[str, str], site_url: str) -> str:
    data: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": text(feed.title),
        "home_page_url": absolute(site_url, feed.here),
        "feed_url": absolute(site_url, feed.here + JSON_FEED),
        "description": text(feed.description),
        "language": "en",
        "authors": [{"name": SITE_NAME}],
        "items": [_json_item(item, names, site_url) for item in feed.entries],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _json_item(item: Entry, names: dict[str, str], site_url: str) -> dict[str, object]:
    paper = item.paper
    stamp = _stamp(paper.day).isoformat().replace("+00:00", "Z")
    out: dict[str, object] = {
        "id": entry_id(paper),
        "url": absolute(site_url, paper_url(paper.id, paper.day)),
        "title": text(paper.title),
        "content_text": text(paper.abstract or "") or text(paper.title),
        "date_published": stamp,
        "date_modified": stamp,
        "tags": [text(names[slug]) for slug in item.topics],
    }
    if paper.ai_summary:
        out["summary"] = text(paper.ai_summary)
    if paper.links.arxiv:
        out["external_url"] = paper.links.arxiv
    if authors := _authors(paper):
        out["authors"] = [{"name": name} for name in authors]
    return out
