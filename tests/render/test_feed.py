"""The feeds: Atom that feedparser reads without complaint, JSON Feed that meets its spec,
the newest papers, stable ids, absolute links to generated pages, escaped text."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import feedparser
import jsonschema
from helpers import AllOther, make_paper, render_all

from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render.syndication import FEED_SIZE, ID_PREFIX, feeds

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"
SITE = "https://example.org/paper-almanac/"
JSON_FEED_SCHEMA = json.loads(
    (Path(__file__).parent / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8")
)


def _atom_entries(xml: str) -> list[ET.Element]:
    return ET.fromstring(xml).findall(f"{ATOM}entry")


def test_site_and_topic_feeds_in_both_formats(fixture_archive: Archive) -> None:
    out = feeds(fixture_archive, SITE)
    folders = ["", *(f"topics/{t.slug}/" for t in fixture_archive.topics)]
    assert sorted(out) == sorted(
        f"{f}{name}" for f in folders for name in ("feed.xml", "feed.json")
    )
    newest = max(fixture_archive.days)
    for folder in folders:
        parsed = feedparser.parse(out[folder + "feed.xml"])
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert parsed.feed.links[0].href == SITE + folder + "feed.xml"
        data = json.loads(out[folder + "feed.json"])
        jsonschema.validate(data, JSON_FEED_SCHEMA)
        assert data["feed_url"] == SITE + folder + "feed.json"
        assert [e.id for e in parsed.entries] == [item["id"] for item in data["items"]]
    site = feedparser.parse(out["feed.xml"])
    assert site.feed.updated == f"{newest.isoformat()}T00:00:00+00:00"
    assert len(site.entries) == fixture_archive.total  # fewer than FEED_SIZE in the fixture


def test_entries_are_the_newest_papers_dated_by_their_day(fixture_archive: Archive) -> None:
    parsed = feedparser.parse(feeds(fixture_archive, SITE)["feed.xml"])
    ids = [e.id.removeprefix(ID_PREFIX) for e in parsed.entries]
    assert sorted(ids) == sorted(fixture_archive.entries)
    days = [fixture_archive.entries[i].day for i in ids]
    assert days == sorted(days, reverse=True)
    # Within a day, the day page's order: pinned first, then most upvoted.
    assert ids[ids.index("2601.00103") + 1] == "2601.00102"
    for item in parsed.entries:
        paper = fixture_archive.entries[item.id.removeprefix(ID_PREFIX)].paper
        assert item.published.startswith(paper.day.isoformat())
        assert item.updated.startswith(paper.day.isoformat())
        assert item.link == f"{SITE}days/{paper.day:%Y/%m/%d}/#{paper.id}"
        assert [a.name for a in item.get("authors", [])] == list(paper.authors[:10])
        if paper.ai_summary or paper.abstract:
            assert item.summary.startswith("Featured on ")


def test_feed_links_lead_to_generated_pages(fixture_archive: Archive) -> None:
    docs = render_all(fixture_archive)[0]
    generated = {p.removesuffix("index.md") for p in docs if p.endswith("index.md")}
    for path, text in feeds(fixture_archive, SITE).items():
        if path.endswith(".json"):
            links = [item["url"] for item in json.loads(text)["items"]]
            links.append(json.loads(text)["home_page_url"])
        else:
            links = [str(link.get("href")) for link in ET.fromstring(text).iter(f"{ATOM}link")]
        for link in links:
            assert link.startswith(SITE), link
            page = link.removeprefix(SITE).split("#")[0]
            assert page in generated or page.endswith(("feed.xml", "feed.json")), link


def test_hostile_text_stays_text_in_both_formats(fixture_archive: Archive) -> None:
    out = feeds(fixture_archive, SITE)
    for folder in ("", "topics/other/"):
        titles = [e.findtext(f"{ATOM}title") for e in _atom_entries(out[folder + "feed.xml"])]
        assert HOSTILE in titles
        assert "<script>" not in out[folder + "feed.xml"]
        assert "CDATA" not in out[folder + "feed.xml"]
        items = json.loads(out[folder + "feed.json"])["items"]
        assert HOSTILE in [item["title"] for item in items]
    vision = ET.fromstring(out["topics/vision/feed.xml"])
    assert vision.findtext(f"{ATOM}title") == "Paper Almanac: Vision & <Images>"


def test_feeds_hold_at_most_the_feed_size_and_only_xml_characters() -> None:
    papers = [
        make_paper(
            f"2601.{i:05d}",
            day=date(2026, 1, 1 + i % 28),
            title=f"T\x02\ufffe {i}",
            authors=(f"A\x1b{i}",),
        )
        for i in range(FEED_SIZE + 5)
    ]
    archive = build_archive(papers, [], {}, AllOther(), OTHER)
    out = feeds(archive, SITE)
    entries = _atom_entries(out["feed.xml"])
    assert len(entries) == FEED_SIZE
    assert len(json.loads(out["feed.json"])["items"]) == FEED_SIZE
    for entry in entries:
        assert (entry.findtext(f"{ATOM}title") or "").startswith("T ")
    assert "\x1b" not in out["feed.xml"] and "\\u001b" not in out["feed.json"]
    assert not feedparser.parse(out["feed.xml"]).bozo


def test_an_entry_keeps_the_id_of_its_first_archived_id() -> None:
    paper = make_paper("2601.00007", aliases=("t-0a1b2c3d4e5f",))
    archive = build_archive([paper], [], {}, AllOther(), OTHER)
    out = feeds(archive, SITE)
    assert feedparser.parse(out["feed.xml"]).entries[0].id == ID_PREFIX + "t-0a1b2c3d4e5f"
    assert json.loads(out["feed.json"])["items"][0]["id"] == ID_PREFIX + "t-0a1b2c3d4e5f"


def test_an_empty_feed_is_valid_and_dated_by_a_fixed_day() -> None:
    archive = build_archive([], [], {}, AllOther(), OTHER)
    out = feeds(archive, SITE)
    parsed = feedparser.parse(out["topics/other/feed.xml"])
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated.startswith("1970-01-01")
    jsonschema.validate(json.loads(out["feed.json"]), JSON_FEED_SCHEMA)


def test_feeds_are_deterministic(fixture_archive: Archive) -> None:
    assert feeds(fixture_archive, SITE) == feeds(fixture_archive, SITE)


def test_tex_escapes_read_as_their_characters_and_math_is_kept() -> None:
    paper = make_paper(
        "2601.00008",
        title=r"R\&D at 100\% for $x_1$",
        abstract=r"Accuracy rose by 5\% with $\alpha \% 2$ kept.",
    )
    archive = build_archive([paper], [], {}, AllOther(), OTHER)
    out = feeds(archive, SITE)
    entry = feedparser.parse(out["feed.xml"]).entries[0]
    assert entry.title == r"R&D at 100% for $x_1$"
    item = json.loads(out["feed.json"])["items"][0]
    assert item["title"] == entry.title
    assert item["content_text"] == r"Accuracy rose by 5% with $\alpha \% 2$ kept."


def test_entries_carry_topics_authors_and_arxiv_categories_to_filter_by() -> None:
    paper = make_paper(
        "2601.00001",
        authors=tuple(f"Author {n}" for n in range(14)),
        primary_category="cs.CL",
        categories=("cs.CL", "cs.AI"),
    )
    archive = build_archive([paper], [], {}, AllOther(), OTHER)
    out = feeds(archive, SITE)
    (entry,) = feedparser.parse(out["feed.xml"]).entries
    by_scheme: dict[str, list[str]] = {}
    for tag in entry.tags:
        by_scheme.setdefault(tag.scheme, []).append(tag.term)
    assert by_scheme[SITE + "topics/"] == ["other"]
    # Every author, not only the first ten the entry names as its authors.
    assert by_scheme[SITE + "search/?author"] == [f"Author {n}" for n in range(14)]
    assert by_scheme["http://arxiv.org/schemas/atom"] == ["cs.CL", "cs.AI"]
    (item,) = json.loads(out["feed.json"])["items"]
    assert item["tags"][:2] == ["Other", "author: Author 0"]
    assert item["tags"][-2:] == ["arXiv: cs.CL", "arXiv: cs.AI"]
