"""Feeds of newly archived papers, for the whole archive and for each topic.

Each feed comes as Atom (`feed.xml`, built as an ElementTree of the standard library,
which escapes every text and attribute) and as JSON Feed 1.1 (`feed.json`, written with
json.dumps). Both are deterministic
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
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from generator.models import Paper, Topic
from generator.site.arranged import Archive, Entry
from generator.site.render.card import arxiv_categories
from generator.site.render.html import long_date, strip_controls
from generator.site.render.tex import plain
from generator.site.render.urls import (
    ATOM_FEED,
    HOME,
    JSON_FEED,
    TOPICS,
    absolute,
    paper_url,
    topic_url,
)

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
FEED_AUTHORS = 10  # a paper can have hundreds; the feed names the first few
SITE_NAME = "Paper Almanac"
ID_PREFIX = "urn:paper-almanac:paper:"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# The schemes of an Atom entry's categories: the site's topics, its authors (the search
# page finds a name's papers), and arXiv's taxonomy (as in arXiv's own feeds).
AUTHORS_SCHEME = "search/?author"
ARXIV_SCHEME = "http://arxiv.org/schemas/atom"
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


def prose(value: str) -> str:
    """A record's title, abstract or summary for a feed: its TeX escapes ("100\\%") as the
    characters they stand for, as on the site's pages; math stays as the author wrote it."""
    return text(plain(value))


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
    """The feed as Atom (RFC 4287)."""
    self_url = absolute(site_url, feed.here + ATOM_FEED)
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "en"})
    _add(root, "id", self_url)
    _add(root, "title", text(feed.title))
    _add(root, "updated", _atom_date(_updated(feed)))
    _add(_add(root, "author"), "name", SITE_NAME)  # entries without known authors fall back
    _add(root, "link", href=self_url, rel="self")
    _add(root, "link", href=absolute(site_url, feed.here), rel="alternate", type="text/html")
    _add(root, "generator", SITE_NAME)
    _add(root, "subtitle", text(feed.description) or SITE_NAME)
    for item in feed.entries:
        root.append(_atom_entry(item, names, site_url))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return f"<?xml version='1.0' encoding='UTF-8'?>\n{body}\n"


def _add(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = value
    return element


def _atom_entry(item: Entry, names: dict[str, str], site_url: str) -> ET.Element:
    paper = item.paper
    entry = ET.Element("entry")
    _add(entry, "id", entry_id(paper))
    _add(entry, "title", prose(paper.title))
    _add(entry, "updated", _atom_date(paper.day))
    for name in _authors(paper):
        _add(_add(entry, "author"), "name", name)
    _add(entry, "link", href=absolute(site_url, paper_url(paper.id, paper.day)))
    if summary := _summary(paper):
        _add(entry, "summary", _described(paper, summary))
    # Categories let a feed reader filter the feed by topic, author or arXiv category
    # (the site cannot make a feed for each reader's watch list): one scheme for each.
    topics, authors = absolute(site_url, TOPICS), absolute(site_url, AUTHORS_SCHEME)
    for slug in item.topics:
        _add(entry, "category", term=slug, label=text(names[slug]), scheme=topics)
    for name in _all_authors(paper):
        _add(entry, "category", term=name, label=name, scheme=authors)
    for category in arxiv_categories(paper):
        _add(entry, "category", term=category, scheme=ARXIV_SCHEME)
    _add(entry, "published", _atom_date(paper.day))
    return entry


def _atom_date(day: date) -> str:
    return _stamp(day).isoformat()


def _described(paper: Paper, summary: str) -> str:
    return f"Featured on {long_date(paper.day)}. {prose(summary)}"


def _tags(item: Entry, names: dict[str, str]) -> list[str]:
    """A JSON Feed item's tags: its topics by name, then "author: <name>" for each author
    and "arXiv: <category>" for each category, for readers that filter by tag."""
    tags = [text(names[slug]) for slug in item.topics]
    tags += [f"author: {name}" for name in _all_authors(item.paper)]
    tags += [f"arXiv: {category}" for category in arxiv_categories(item.paper)]
    return tags


def _all_authors(paper: Paper) -> list[str]:
    return [name for name in map(text, paper.authors) if name]


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
        "title": prose(paper.title),
        "content_text": prose(paper.abstract or "") or prose(paper.title),
        "date_published": stamp,
        "date_modified": stamp,
        "tags": _tags(item, names),
    }
    if paper.ai_summary:
        out["summary"] = prose(paper.ai_summary)
    if paper.links.arxiv:
        out["external_url"] = paper.links.arxiv
    if authors := _authors(paper):
        out["authors"] = [{"name": name} for name in authors]
    return out
