"""The search catalog: every title, author and id of the archive, found by its key."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Paper
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render import catalog
from generator.site.render.catalog import author_key, catalog_files, id_key, title_key, words
from generator.site.render.urls import paper_url
from tests import strategies
from tests.helpers import AllOther, lookup, make_paper

SEARCH_JS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "almanac" / "search.js"


def archive_of(papers: list[Paper]) -> Archive:
    return build_archive(papers, [], {}, AllOther(), OTHER)


def row(files: Mapping[str, str], number: int) -> list[object]:
    index = json.loads(files["index.json"])
    rows = json.loads(files[f"papers/{number // index['chunk']}.json"])
    return list(rows[number % index["chunk"]])


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Free2Guide: gradient-free guidance", "Free$^2$Guide: Gradient-Free Guidance"),
        ("free²guide gradient free guidance", "Free$^2$Guide: Gradient-Free Guidance"),
        ("O(n) attention", r"$\mathcal{O}(n)$ Attention"),
        ("Naive Bayes, revisited", "Naïve Bayes — Revisited"),
        ("100% accuracy", r"100\% Accuracy"),
    ],
)
def test_a_title_typed_as_a_reader_types_it_has_the_titles_key(typed: str, title: str) -> None:
    assert title_key(typed) == title_key(title)


def test_names_are_matched_as_names() -> None:
    assert author_key("Kaiming  He") == author_key("kaiming he") == "a kaiming he"
    assert author_key("José Álvarez") == "a jose alvarez"
    assert author_key("Kaiming He") != author_key("Kaiming Head")
    assert words(r"\emph{Deep} résumé_2") == ["deep", "resume", "2"]


def test_every_paper_of_the_archive_is_found_by_title_author_and_id(
    fixture_archive: Archive,
) -> None:
    files = catalog_files(fixture_archive)
    entries = catalog.ordered(fixture_archive)
    for number, entry in enumerate(entries):
        paper = entry.paper
        assert number in lookup(files, title_key(paper.title)), paper.id
        assert lookup(files, id_key(paper.id)) == [number]
        for name in paper.authors:
            assert number in lookup(files, author_key(name)), (paper.id, name)
        pid, title, day, upvotes, _authors, _topics = row(files, number)
        # The search page's permalink of a row: "days/" + its day with slashes + "/#" + id.
        assert paper_url(paper.id, paper.day) == "days/" + str(day).replace("-", "/") + "/#" + pid
        assert (pid, title, day, upvotes) == (
            paper.id,
            paper.title,
            paper.day.isoformat(),
            paper.upvotes,
        )
    assert lookup(files, title_key("No such paper in the archive")) == []


def test_an_authors_papers_are_all_under_their_name_in_date_order() -> None:
    start = date(2024, 1, 1)
    papers = [
        make_paper(f"24{i:02d}.0000{i}", day=start + timedelta(days=40 * i), authors=authors)
        for i, authors in enumerate(
            [
                ("Kaiming He", "A B"),
                ("Head Lee",),
                ("kaiming he",),
                ("He Kaiming",),
                ("Kaiming He",),
            ]
        )
    ]
    files = catalog_files(archive_of(papers))
    assert lookup(files, author_key("Kaiming He")) == [0, 2, 4]
    index = json.loads(files["index.json"])
    assert [m for m, _ in index["months"]] == sorted({f"{p.day:%Y-%m}" for p in papers})


def test_buckets_stay_small_and_the_catalog_is_deterministic() -> None:
    start = date(2025, 1, 1)
    papers = [
        make_paper(
            f"25{i // 1000:02d}.{i % 1000:05d}",
            title=f"Study {i} of models for task {i * 7}",
            day=start + timedelta(days=i // 20),
            authors=(f"Author {i % 97} Name", f"Other {i % 13} Person"),
        )
        for i in range(2000)
    ]
    files = catalog_files(archive_of(papers))
    assert files == catalog_files(archive_of(list(reversed(papers))))
    buckets = {k: v for k, v in files.items() if k.startswith("keys/")}
    assert len(buckets) > 10
    for path, text in buckets.items():
        if len(json.loads(text)) > 1:
            assert len(text.encode()) <= catalog.BUCKET_BYTES * 1.5, path


def test_a_long_archive_is_two_segments_and_a_new_day_changes_only_the_newer() -> None:
    start = date(2025, 9, 1)
    papers = [
        make_paper(
            f"25{9 + i // 300:02d}.{i:05d}",
            title=f"Paper {i} on topic {i % 7}",
            day=start + timedelta(days=i // 3),
            authors=(f"Author {i % 11}",),
        )
        for i in range(450)
    ]
    archive = archive_of(papers)
    parts = catalog.segments(archive)
    assert [tree for tree, _ in parts] == [catalog.FOLDER, catalog.NEWER]
    entries = catalog.ordered(archive)
    sets = [
        catalog.catalog_files(archive, entries[first:end], first)
        for (_, first), (_, end) in zip(parts, [*parts[1:], ("", len(entries))], strict=True)
    ]
    indexes = [json.loads(files["index.json"]) for files in sets]
    assert entries[-1].day == date(2026, 1, 28)
    assert entries[parts[1][1]].day == date(2025, 12, 1)  # the last two months
    assert sum(i["papers"] for i in indexes) == len(entries)
    assert sum(sum(i["day_sizes"]) for i in indexes) == len(entries)
    whole = json.loads(catalog_files(archive)["index.json"])
    assert [m for i in indexes for m in i["months"]] == whole["months"]
    assert [n for i in indexes for n in i["day_sizes"]] == whole["day_sizes"]
    for number, entry in enumerate(entries):
        found = [n for files in sets for n in lookup(files, id_key(entry.paper.id))]
        assert found == [number]
        texts = sets[number >= parts[1][1]]
        local = number - parts[1][1] * (number >= parts[1][1])
        chunk = json.loads(gzip.decompress(texts[f"texts/{local // catalog.TEXT_CHUNK}.bin"]))
        assert chunk[local % catalog.TEXT_CHUNK] == entry.paper.abstract
    later = make_paper("2602.99999", day=papers[-1].day + timedelta(days=1))
    grown = archive_of([*papers, later])
    assert catalog.segments(grown) == parts
    grown_entries = catalog.ordered(grown)
    first = parts[1][1]
    assert catalog.catalog_files(grown, grown_entries[:first], 0) == sets[0]
    assert catalog.catalog_files(grown, grown_entries[first:], first) != sets[1]


def test_titles_that_start_alike_share_a_bucket_with_a_short_name() -> None:
    start = date(2025, 1, 1)
    head = "Ünïcode everywhere: a very long shared beginning of many titles that goes on"
    papers = [
        make_paper(f"2501.{i:05d}", title=f"{head} and on, part {i}", day=start) for i in range(600)
    ]
    files = catalog_files(archive_of(papers))
    assert max(len(Path(path).name.encode()) for path in files) < 255
    for number, entry in enumerate(catalog.ordered(archive_of(papers))):
        assert number in lookup(files, title_key(entry.paper.title))


@settings(max_examples=60, deadline=None)
@given(st.lists(strategies.papers(), min_size=1, max_size=8, unique_by=lambda p: p.id))
def test_any_record_is_found_by_its_title_and_names(papers: list[Paper]) -> None:
    archive = archive_of(papers)
    files = catalog_files(archive)
    for number, entry in enumerate(catalog.ordered(archive)):
        paper = entry.paper
        if words(paper.title):
            assert number in lookup(files, title_key(paper.title))
        for name in paper.authors:
            if words(name):
                assert number in lookup(files, author_key(name))


def _js_words() -> str:
    source = SEARCH_JS.read_text(encoding="utf-8")
    match = re.search(r"  function catalogWords\(text\) \{.*?\n  \}\n", source, re.DOTALL)
    assert match, "catalogWords is gone from search.js"
    return match.group(0)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run search.js's code")
def test_the_search_page_splits_words_as_the_catalog_does() -> None:
    samples = [
        "Free$^2$Guide: Gradient-Free",
        r"$\mathcal{O}(n)$ attention \emph{x}",
        "Naïve Bayes — Ålesund ﬁne Straße",
        "Kaiming He, 李飞飞 and Σοφία",
        "x_1 + y^2 = ½ · 3²",
        "e\u0301cole Ｆｕｌｌ width 𝐁𝐨𝐥𝐝",
    ]
    script = _js_words() + f"console.log(JSON.stringify({json.dumps(samples)}.map(catalogWords)));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [words(s) for s in samples]
