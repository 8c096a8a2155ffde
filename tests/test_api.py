"""The static JSON API: every document validates against the published schema, holds the
archive's papers, and is the same bytes on every run."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date, timedelta
from typing import Any

import jsonschema
import pytest
from helpers import FIXTURE, REPO, SCHEMA_FILE, AllOther, api_files, make_paper
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.models import Links
from generator.project import Project
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.load import load
from generator.site.render.api import (
    DAY_DOCUMENT_DAYS,
    INDEX,
    TOPIC_RECENT,
    VERSION,
    day_path,
    month_path,
    topic_path,
)

SITE = "https://example.org/paper-almanac/"
HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


@pytest.fixture(scope="module")
def archive() -> Archive:
    return load(Project(FIXTURE)).archive


def _validate(schema: dict[str, Any], kind: str, doc: object) -> None:
    """Against the whole schema (any document) and against the definition of `kind`."""
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    part = {**schema, "$ref": f"#/$defs/{kind}"}
    part.pop("oneOf")
    jsonschema.validate(doc, part, cls=jsonschema.Draft202012Validator)


def _month_files(files: dict[str, bytes]) -> list[str]:
    """The month files, in the index's order."""
    index = json.loads(files[INDEX])
    return [m["api"].removeprefix(SITE) for m in index["months"]]


def _papers_jsonl(files: dict[str, bytes]) -> list[dict[str, Any]]:
    """Every paper, read as a reader of the whole archive does: the month files joined."""
    joined = b"".join(files[path] for path in _month_files(files))
    lines = gzip.decompress(joined).decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_document_validates_against_the_published_schema(
    schema: dict[str, Any], archive: Archive
) -> None:
    files = api_files(archive, SITE)
    expected = {INDEX}
    expected |= {day_path(d) for d in archive.days}
    expected |= {month_path(m) for m in archive.months}
    expected |= {topic_path(t.slug) for t in archive.topics}
    assert set(files) == expected
    for path, data in files.items():
        if path.endswith(".gz"):
            continue
        doc = json.loads(data)
        assert doc["version"] == VERSION
        _validate(schema, doc["kind"], doc)
    for paper in _papers_jsonl(files):
        _validate(schema, "paper", paper)


def test_the_index_lists_what_exists(archive: Archive) -> None:
    files = api_files(archive, SITE)
    index = json.loads(files[INDEX])
    assert index["papers"] == archive.total
    assert [d["day"] for d in index["days"]] == [d.isoformat() for d in archive.days]
    assert sum(d["count"] for d in index["days"]) == archive.total
    links = [d["api"] for d in index["days"]] + [t["api"] for t in index["topics"]]
    for link in links + [m["api"] for m in index["months"]]:
        assert link.removeprefix(SITE) in files, link
    assert [m["month"] for m in index["months"]] == [f"{y}-{m:02d}" for y, m in archive.months]
    assert {d["month"] for d in index["days"]} == {m["month"] for m in index["months"]}
    assert sum(m["papers"] for m in index["months"]) == archive.total
    assert index["schema"] == SITE + f"api/schema-v{VERSION}.json"
    assert SCHEMA_FILE.relative_to(REPO / "docs").as_posix() == f"api/schema-v{VERSION}.json"


def test_days_topics_and_months_hold_the_archives_papers(archive: Archive) -> None:
    files = api_files(archive, SITE)
    for day in archive.days:
        doc = json.loads(files[day_path(day)])
        assert [p["id"] for p in doc["papers"]] == [e.id for e in archive.by_day[day]]
    for topic in archive.topics:
        doc = json.loads(files[topic_path(topic.slug)])
        assert doc["count"] == len(archive.by_topic[topic.slug])
        assert [p["id"] for p in doc["papers"]] == [e.id for e in archive.by_topic[topic.slug]]
    exported = _papers_jsonl(files)
    assert sorted(p["id"] for p in exported) == sorted(archive.entries)
    assert [p["day"] for p in exported] == sorted(p["day"] for p in exported)
    hostile = next(p for p in exported if p["id"] == "2601.00101")
    assert hostile["title"] == HOSTILE
    assert hostile["url"] == SITE + "days/2026/01/02/#2601.00101"
    assert "2601.00104" not in {p["id"] for p in exported}  # hidden by curation
    for month in archive.months:
        lines = gzip.decompress(files[month_path(month)]).splitlines()
        days = [e.id for d in archive.month_days(month) for e in archive.by_day[d]]
        assert sorted(json.loads(line)["id"] for line in lines) == sorted(days)


def test_only_recent_days_have_a_day_document_and_every_day_its_month(
    schema: dict[str, Any],
) -> None:
    latest = date(2026, 3, 31)
    days = [latest - timedelta(days=n) for n in (0, DAY_DOCUMENT_DAYS, DAY_DOCUMENT_DAYS + 1, 400)]
    papers = [make_paper(f"2601.{i:05d}", day=day) for i, day in enumerate(days)]
    files = api_files(build_archive(papers, [], {}, AllOther(), OTHER), SITE)
    index = json.loads(files[INDEX])
    _validate(schema, "index", index)
    documented = {d["day"] for d in index["days"] if "api" in d}
    assert documented == {days[0].isoformat(), days[1].isoformat()}
    assert {p for p in files if p.startswith("api/days/")} == {day_path(d) for d in days[:2]}
    assert [d["month"] for d in index["days"]] == [f"{d:%Y-%m}" for d in sorted(days)]
    assert sorted(p["id"] for p in _papers_jsonl(files)) == sorted(p.id for p in papers)


def test_a_paper_keeps_every_field_it_has(schema: dict[str, Any]) -> None:
    paper = make_paper(
        "2601.00042",
        authors=("Ada Lovelace",),
        author_count=3,
        published=date(2025, 12, 30),
        upvotes=4,
        comments=1,
        links=Links.for_arxiv("2601.00042", code="https://github.com/a/b"),
        github_stars=10,
        organization="Org",
        organization_handle="org-hf",
        author_handles=(("Ada Lovelace", "ada"),),
        ai_summary_model="Some/Model",
        media_urls=("https://cdn-uploads.huggingface.co/production/uploads/u/fig.png",),
        submitted_by="ada",
        submitted_by_name="Ada L.",
        authors_participating=True,
        ai_summary="S",
        ai_keywords=("k",),
        primary_category="cs.CL",
        categories=("cs.CL", "cs.LG"),
        arxiv_comment="10 pages",
        journal_ref="J",
        doi="10.1/x",
        fetched_at="2026-01-06T10:00:00Z",
        field_fetched_at=(("comments", "2026-01-05T10:00:00Z"),),
        featured_again=(date(2026, 1, 13),),
        aliases=("t-0a1b2c3d4e5f",),
        sources=("arxiv", "hf-daily"),
        arxiv_version=3,
        updated=date(2026, 1, 8),
    )
    archive = build_archive([paper], [], {}, AllOther(), OTHER)
    [exported] = _papers_jsonl(api_files(archive, SITE))
    _validate(schema, "paper", exported)
    stored = paper.to_mapping()
    stored.pop("field_fetched_at")
    assert {k: exported[k] for k in stored} == stored
    assert exported["author_count"] == 3
    assert exported["feed_id"] == "urn:paper-almanac:paper:t-0a1b2c3d4e5f"


def test_each_paper_is_its_stored_form_plus_what_the_site_decided(archive: Archive) -> None:
    added = {"url", "topics", "pinned", "feed_id", "author_count"}
    papers = [make_paper("t-0a1b2c3d4e5f", links=Links(), upvotes=0)]
    papers += [e.paper for e in archive.entries.values()]
    small = build_archive(papers, [], {}, AllOther(), OTHER)
    for exported in _papers_jsonl(api_files(small, SITE)):
        stored = small.entries[exported["id"]].paper.to_mapping()
        assert {k: v for k, v in exported.items() if k not in added} == {
            k: v for k, v in stored.items() if k != "author_count"
        }


def test_a_topic_file_holds_only_the_most_recent(schema: dict[str, Any]) -> None:
    papers = [make_paper(f"2601.{i:05d}", day=date(2026, 1, 1 + i % 28)) for i in range(150)]
    archive = build_archive(papers, [], {}, AllOther(), OTHER)
    doc = json.loads(api_files(archive, SITE)[topic_path("other")])
    _validate(schema, "topic", doc)
    assert doc["count"] == 150 and len(doc["papers"]) == TOPIC_RECENT
    assert schema["$defs"]["topic"]["properties"]["papers"]["maxItems"] == TOPIC_RECENT
    assert doc["papers"][0]["day"] == "2026-01-28"


def test_the_same_archive_gives_the_same_bytes(archive: Archive) -> None:
    first = api_files(archive, SITE)
    assert first == api_files(archive, SITE)
    for path in _month_files(first):
        assert first[path][4:8] == b"\0\0\0\0"  # gzip's modification time: none


def test_an_empty_archive_is_valid(schema: dict[str, Any]) -> None:
    files = api_files(build_archive([], [], {}, AllOther(), OTHER), SITE)
    index = json.loads(files[INDEX])
    _validate(schema, "index", index)
    assert index["days"] == index["months"] == []
    assert not [path for path in files if path.endswith(".gz") or "/days/" in path]


_TEXT = st.text(st.characters(codec="utf-8"), min_size=1).filter(lambda t: t.strip())


@settings(max_examples=100, deadline=None)
@given(title=_TEXT, abstract=_TEXT, author=_TEXT)
def test_any_text_round_trips_through_the_json(title: str, abstract: str, author: str) -> None:
    paper = make_paper("2601.00001", title=title, abstract=abstract, authors=(author,))
    files = api_files(build_archive([paper], [], {}, AllOther(), OTHER), SITE)
    [exported] = _papers_jsonl(files)
    assert (exported["title"], exported["abstract"], exported["authors"]) == (
        title,
        abstract,
        [author],
    )
    day = json.loads(files[day_path(paper.day)])
    assert day["papers"][0]["title"] == title
    assert not re.search(rb"[\x00-\x1f]", files[day_path(paper.day)].rstrip(b"\n"))
