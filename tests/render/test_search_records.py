"""The per-paper search records Pagefind indexes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from generator.archive import Archive
from generator.render.search import search_records

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


def test_one_record_per_visible_paper(fixture_archive: Archive) -> None:
    records = search_records(fixture_archive)
    ids = sorted(path.rsplit("/", 1)[1].removesuffix(".html") for path in records)
    assert ids == sorted(fixture_archive.entries)
    assert all(re.fullmatch(r"\d{4}/\d{2}/\d{2}/[^/]+\.html", p) for p in records)


def test_record_points_at_the_permalink_and_carries_filters_and_sorts(
    fixture_archive: Archive,
) -> None:
    record = parse(search_records(fixture_archive)["2026/01/05/2601.05001.html"])
    assert "url:days/2026/01/05/#2601.05001" in record.values["meta"]
    assert "day:2026-01-05" in record.values["meta"]
    assert set(record.values["filter"]) == {
        "topic:Agents",
        "topic:Vision & <Images>",
        "year:2026",
        "month:2026-01",
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
    record = parse(search_records(fixture_archive)["2026/01/02/2601.00101.html"])
    assert "script" not in record.tags and "img" not in record.tags
    assert HOSTILE in record.body_text
    assert any("<img src=x onerror=alert(2)>" in v for v in record.values["meta"])
