"""The Atom feeds: well-formed, deterministic, escaped, links that resolve."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from datetime import date

from helpers import make_paper

from generator.archive import Archive, build_archive
from generator.render.feed import FEED_SIZE, feeds
from generator.site import render_docs
from generator.topics import OTHER

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"


def test_site_and_topic_feeds_are_atom_with_the_newest_papers(fixture_archive: Archive) -> None:
    out = feeds(fixture_archive)
    expected = ["feed.xml"] + [f"topics/{t.slug}/feed.xml" for t in fixture_archive.topics]
    assert sorted(out) == sorted(expected)
    root = ET.fromstring(out["feed.xml"])
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}updated") == "2026-01-06T00:00:00Z"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == fixture_archive.total  # fewer than FEED_SIZE in the fixture
    assert entries[0].findtext(f"{ATOM}id") == "urn:paper-almanac:paper:2601.06001"


def test_feed_text_is_escaped_and_links_resolve(fixture_archive: Archive) -> None:
    docs = render_docs(fixture_archive)
    for path in ("feed.xml", "topics/other/feed.xml"):
        root = ET.fromstring(docs[path])
        titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
        assert HOSTILE in titles
        here = posixpath.dirname(path)
        for entry in root.findall(f"{ATOM}entry"):
            href = str(entry.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
            target = posixpath.normpath(posixpath.join(here, href.split("#")[0]))
            assert f"{target}/index.md" in docs, href


def test_feeds_hold_at_most_the_feed_size_and_drop_control_characters() -> None:
    papers = [
        make_paper(f"2601.{i:05d}", day=date(2026, 1, 1 + i % 28), title=f"T\x02 {i}")
        for i in range(FEED_SIZE + 5)
    ]
    archive = build_archive(papers, [], {}, _Nothing(), OTHER)
    root = ET.fromstring(feeds(archive)["feed.xml"])
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == FEED_SIZE
    assert all("\x02" not in (e.findtext(f"{ATOM}title") or "") for e in entries)


class _Nothing:
    def classify(self, paper: object, curation: object) -> tuple[str, ...]:
        return ("other",)
