"""The per-paper search records Pagefind indexes."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pytest

from generator.models import Topic
from generator.site.arranged import Archive
from generator.site.render import search
from generator.site.render.search import (
    TOP,
    search_manifest,
    search_records,
    shard_of,
    top_entries,
)

HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, list[str]] = {"meta": [], "filter": [], "sort": []}
        self.body_text: list[str] = []
        self.tags: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        for kind in self.values:
            value = found.get(f"data-pagefind-{kind}")
            if value and ":" in value:
                self.values[kind].append(value)
        if "data-pagefind-body" in found or self._depth:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.body_text.append(data)


def parse(text: str) -> Tags:
    tags = Tags()
    tags.feed(text)
    tags.close()
    return tags


def quarters(archive: Archive) -> dict[str, str]:
    return {p: t for p, t in search_records(archive).items() if not p.startswith(f"{TOP}/")}


def test_one_record_per_visible_paper(fixture_archive: Archive) -> None:
    records = quarters(fixture_archive)
    ids = sorted(path.rsplit("/", 1)[1].removesuffix(".html") for path in records)
    assert ids == sorted(fixture_archive.entries)
    assert all(re.fullmatch(r"\d{4}-q[1-4]/\d{2}/\d{2}/[^/]+\.html", p) for p in records)
    for path in records:
        shard, month, day = path.split("/")[:3]
        assert shard == shard_of(date(int(shard[:4]), int(month), int(day)))


def test_record_points_at_the_permalink_and_carries_filters_and_sorts(
    fixture_archive: Archive,
) -> None:
    record = parse(search_records(fixture_archive)["2026-q1/01/05/2601.05001.html"])
    assert "url:days/2026/01/05/#2601.05001" in record.values["meta"]
    assert "day:2026-01-05" in record.values["meta"]
    assert set(record.values["filter"]) == {
        "topic:Agents",
        "topic:Vision & <Images>",
        "month:2026-01",
        "category:cs.RO",  # its arXiv categories, for the category filter
        "category:cs.CV",
    }
    assert set(record.values["sort"]) == {"date:2026-01-05", "upvotes:23"}
    text = " ".join(record.body_text)
    assert "Vision-Language Agents for Robotic Manipulation" in text
    assert "agent loop" in text


def test_every_record_has_both_sort_keys(fixture_archive: Archive) -> None:
    # Pagefind leaves out results that lack the sort key in use: unknown upvotes are 0.
    for text in search_records(fixture_archive).values():
        sorts = parse(text).values["sort"]
        assert [s.split(":")[0] for s in sorts] == ["date", "upvotes"]


def test_hostile_record_text_stays_text(fixture_archive: Archive) -> None:
    record = parse(search_records(fixture_archive)["2026-q1/01/02/2601.00101.html"])
    assert "script" not in record.tags and "img" not in record.tags
    assert HOSTILE in record.body_text
    assert any("<img src=x onerror=alert(2)>" in v for v in record.values["meta"])


def test_shards_are_calendar_quarters() -> None:
    assert shard_of(date(2025, 1, 1)) == "2025-q1"
    assert shard_of(date(2025, 3, 31)) == "2025-q1"
    assert shard_of(date(2025, 4, 1)) == "2025-q2"
    assert shard_of(date(2025, 12, 31)) == "2025-q4"


def test_the_manifest_lists_shards_newest_first_and_counts_filter_values(
    fixture_archive: Archive,
) -> None:
    manifest = json.loads(search_manifest(fixture_archive))
    records = quarters(fixture_archive)
    shards = manifest["shards"]
    assert [s["key"] for s in shards] == sorted({p.split("/")[0] for p in records}, reverse=True)
    for shard in shards:
        assert shard["papers"] == sum(p.startswith(shard["key"] + "/") for p in records)
        assert shard["first"] <= shard["last"]
        assert shard_of(date.fromisoformat(shard["first"])) == shard["key"]
        assert shard_of(date.fromisoformat(shard["last"])) == shard["key"]
        assert str(shard["year"]) == shard["key"][:4]
    filters = manifest["filters"]
    assert sum(filters["year"].values()) == sum(filters["month"].values()) == len(records)
    topics = [v for text in records.values() for v in parse(text).values["filter"]]
    for name, count in filters["topic"].items():
        assert topics.count(f"topic:{name}") == count


def test_the_manifest_maps_each_topic_slug_to_its_filter_value(fixture_archive: Archive) -> None:
    # The search page offers topics and carries them in its address by slug
    # (`?topic=vision`), and filters by the name the slug stands for.
    manifest = json.loads(search_manifest(fixture_archive))
    assert manifest["topics"] == {
        "reasoning": "Reasoning",
        "agents": "Agents",
        "vision": "Vision & <Images>",
        "other": "Other",
    }
    # Every topic filter value of the records has its slug, and only those.
    assert sorted(manifest["topics"].values()) == sorted(manifest["filters"]["topic"])
    values = {
        value.removeprefix("topic:")
        for text in search_records(fixture_archive).values()
        for value in parse(text).values["filter"]
        if value.startswith("topic:")
    }
    assert values == set(manifest["topics"].values())


def test_the_manifest_lists_only_topics_with_papers(fixture_archive: Archive) -> None:
    # A topic of the taxonomy that no paper has is no choice on the search page.
    empty = Topic(slug="empty", name="Retrieval, memory & recommendation", description="")
    archive = replace(fixture_archive, topics=(*fixture_archive.topics, empty))
    manifest = json.loads(search_manifest(archive))
    assert "empty" not in manifest["topics"]
    assert "Retrieval, memory & recommendation" not in manifest["filters"]["topic"]


def test_the_top_index_holds_every_paper_with_its_least_upvotes_or_more(
    fixture_archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "TOP_PAPERS", 3)
    least, entries = top_entries(fixture_archive)
    upvotes = sorted((e.upvotes for e in fixture_archive.entries.values()), reverse=True)
    assert least == upvotes[2]
    assert sorted(e.id for e in entries) == sorted(
        e.id for e in fixture_archive.entries.values() if e.upvotes >= least
    )
    top = {p: t for p, t in search_records(fixture_archive).items() if p.startswith(f"{TOP}/")}
    assert sorted(p.rsplit("/", 1)[1].removesuffix(".html") for p in top) == sorted(
        e.id for e in entries
    )
    for entry in entries:
        path = f"{TOP}/{entry.day:%Y/%m/%d}/{entry.id}.html"
        assert (
            top[path]
            == search_records(fixture_archive)[
                f"{shard_of(entry.day)}/{entry.day:%m/%d}/{entry.id}.html"
            ]
        )
    manifest = json.loads(search_manifest(fixture_archive))
    assert manifest["top"] == {"key": TOP, "least_upvotes": least, "papers": len(entries)}


def test_a_record_is_found_by_its_arxiv_categories() -> None:
    from helpers import make_paper

    from generator.site.arranged import Entry
    from generator.site.render.search import search_record

    paper = make_paper("2601.00001", primary_category="cs.RO", categories=("cs.AI", "cs.RO"))
    record = parse(search_record(Entry(paper, ()), {}))
    assert "cs.RO cs.AI" in " ".join(record.body_text)
