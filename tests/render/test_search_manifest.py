"""The search manifest and the catalog's lists for the search page's filters and sorts."""

from __future__ import annotations

import json
from dataclasses import replace

from generator.models import Topic
from generator.site.arranged import Archive
from generator.site.render import catalog
from generator.site.render.catalog import catalog_files, ordered
from generator.site.render.search import search_manifest


def listed(files: dict[str, str], path: str) -> list[int]:
    deltas = json.loads(files[path])
    return [sum(deltas[: i + 1]) for i in range(len(deltas))]


def test_the_manifest_counts_every_filter_value_over_the_whole_archive(
    fixture_archive: Archive,
) -> None:
    manifest = json.loads(search_manifest(fixture_archive, ["words-newer"]))
    assert manifest["papers"] == fixture_archive.total
    assert manifest["words"] == ["words-newer"]
    filters = manifest["filters"]
    total = fixture_archive.total
    assert sum(filters["year"].values()) == sum(filters["month"].values()) == total
    files = catalog_files(fixture_archive)
    for slug, count in filters["topic"].items():
        assert len(listed(files, f"topics/{slug}.json")) == count


def test_the_manifest_maps_each_topic_slug_to_its_name(fixture_archive: Archive) -> None:
    # The search page offers topics and carries them in its address by slug
    # (`?topic=vision`); its filter reads the catalog's list of that slug.
    manifest = json.loads(search_manifest(fixture_archive))
    assert manifest["topics"] == {
        "reasoning": "Reasoning",
        "agents": "Agents",
        "vision": "Vision & <Images>",
        "other": "Other",
    }
    assert sorted(manifest["topics"]) == sorted(manifest["filters"]["topic"])


def test_the_manifest_lists_only_topics_with_papers(fixture_archive: Archive) -> None:
    # A topic of the taxonomy that no paper has is no choice on the search page.
    empty = Topic(slug="empty", name="Retrieval, memory & recommendation", description="")
    archive = replace(fixture_archive, topics=(*fixture_archive.topics, empty))
    manifest = json.loads(search_manifest(archive))
    assert "empty" not in manifest["topics"]
    assert "empty" not in manifest["filters"]["topic"]


def test_the_catalog_holds_every_papers_upvotes_by_number(fixture_archive: Archive) -> None:
    files = catalog_files(fixture_archive)
    index = json.loads(files["index.json"])
    size = index["upvote_chunk"]
    entries = ordered(fixture_archive)
    found = [json.loads(files[f"upvotes/{n // size}.json"])[n % size] for n in range(len(entries))]
    assert found == [e.upvotes for e in entries]
    assert len([p for p in files if p.startswith("upvotes/")]) == -(-len(entries) // size)


def test_the_catalog_counts_each_days_papers_so_a_sort_by_date_keeps_each_days_order(
    fixture_archive: Archive,
) -> None:
    index = json.loads(catalog_files(fixture_archive)["index.json"])
    sizes = index["day_sizes"]
    assert sizes == [len(fixture_archive.by_day[d]) for d in fixture_archive.days]
    assert sum(sizes) == fixture_archive.total
    # Months and days agree: each month starts at a day's first number.
    starts = {sum(sizes[:i]) for i in range(len(sizes))}
    assert all(first in starts for _month, first in index["months"])


def test_upvote_chunks_split_a_big_archive(fixture_archive: Archive, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(catalog, "UPVOTE_CHUNK", 2)
    files = catalog_files(fixture_archive)
    entries = ordered(fixture_archive)
    assert json.loads(files["upvotes/1.json"]) == [e.upvotes for e in entries[2:4]]
