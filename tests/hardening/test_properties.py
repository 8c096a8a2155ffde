"""Property tests over the importers, the store and the merge, with arbitrary text."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from helpers import parse_day
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import arxiv_ids, nonblank, papers, text

from generator.archive import store
from generator.archive.merge import merge_all
from generator.archive.sources import hf_json, scraped
from generator.archive.sources.base import ParseResult
from generator.errors import RecordError, SourceError
from generator.models import Paper, normalise_title, title_id
from generator.project import Project

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAY = date(2026, 1, 6)
ARXIV = re.compile(r"[0-9]{4}\.[0-9]{5}(?:v2)?")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the well-formed value, sometimes anything JSON can hold."""
    return st.one_of(strategy, strategy, strategy, json_values)


@st.composite
def hf_records(draw: st.DrawFn) -> dict[str, Any]:
    paper = {
        "id": draw(maybe(st.tuples(arxiv_ids, st.sampled_from(["", "v2"])).map("".join))),
        "title": draw(maybe(nonblank)),
        "summary": draw(maybe(text)),
        "authors": draw(maybe(st.lists(st.fixed_dictionaries({"name": text}), max_size=3))),
        "upvotes": draw(maybe(st.integers(min_value=0, max_value=10**6))),
        "ai_summary": draw(maybe(text)),
        "ai_keywords": draw(maybe(st.lists(text, max_size=3))),
        "githubRepo": draw(maybe(st.sampled_from(["https://github.com/a/b", "javascript:x"]))),
        "submittedOnDailyAt": draw(maybe(st.just("2026-01-06T08:00:00.000Z"))),
    }
    record = {"paper": paper, "numComments": draw(maybe(st.integers(0, 99)))}
    record["organization"] = draw(maybe(st.fixed_dictionaries({"fullname": text})))
    return record


def stored_again(found: list[Paper]) -> list[Paper]:
    """The papers after a trip through a day file and back."""
    out: list[Paper] = []
    for day in sorted({p.day for p in found}):
        batch = [p for p in found if p.day == day]
        text_ = store.dump_day(day, batch)
        out += parse_day(store.parse_yaml(text_, "t.yaml"), "t.yaml", day)
    return out


@SETTINGS
@given(st.lists(hf_records(), max_size=5, unique_by=lambda r: str(r["paper"]["id"])[:10]))
def test_hf_records_of_any_text_are_archived_as_that_text(records: list[dict[str, Any]]) -> None:
    result = hf_json.parse(records, "t.json", day=DAY)
    by_id = {p.id: p for p in result.papers}
    assert sorted(stored_again(result.papers), key=lambda p: p.id) == sorted(
        by_id.values(), key=lambda p: p.id
    )
    reasons = " | ".join(str(p) for p in result.problems)
    seen: set[str] = set()
    for index, record in enumerate(records):
        inner = record["paper"]
        raw_id = inner["id"]
        paper_id = raw_id[:10] if isinstance(raw_id, str) and ARXIV.fullmatch(raw_id) else None
        if paper_id is None or paper_id in seen or paper_id not in by_id:
            # Not archived: never silently; a one-line reason names the record.
            assert f"item {index}:" in reasons
            continue
        seen.add(paper_id)
        paper = by_id[paper_id]
        assert paper.title == " ".join(inner["title"].split())
        for key, value in (("summary", paper.abstract), ("ai_summary", paper.ai_summary)):
            given_text = inner[key]
            if isinstance(given_text, str):
                assert value == (given_text.strip() or None)


def check_outcome(parse: Callable[[], ParseResult], origin: str) -> ParseResult | None:
    """What a parser makes of any input: a SourceError naming the input in one line, or a
    result whose papers are valid and store unchanged and whose problems each name the
    input (and its line, for page text) in one line."""
    try:
        result = parse()
    except SourceError as exc:
        assert exc.origin == origin
        assert str(exc).startswith(f"{origin}: ") and "\n" not in str(exc) and exc.message
        return None
    assert isinstance(result, ParseResult) and result.origin == origin
    assert all(isinstance(p, Paper) for p in result.papers)
    assert len({p.id for p in result.papers}) == len(result.papers)
    assert stored_again(result.papers) == sorted(result.papers, key=lambda p: (p.day, p.id))
    for problem in [*result.problems, *result.repairs]:
        assert isinstance(problem, RecordError)
        assert (problem.path or "").startswith(origin) and "\n" not in str(problem)
    return result


@SETTINGS
@given(json_values)
def test_any_json_is_a_result_or_a_source_error(data: object) -> None:
    result = check_outcome(lambda: hf_json.parse(data, "t.json", day=DAY), "t.json")
    if result is not None:
        assert isinstance(data, list)  # anything else is refused whole
        assert all(p.day == DAY for p in result.papers)


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    line = st.text(
        st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
    )
    titles = draw(
        st.lists(line.filter(lambda t: t.strip() and t.strip() != "·"), min_size=1, max_size=4)
    )
    blocks = [
        f"{title}\n\n{draw(line)}\n\n  • {draw(st.integers(1, 50))} authors\n·\nJan 2, 2026 {n}\n"
        for n, title in enumerate(titles)
    ]
    return "Daily Papers\n\nJan 6\n\n" + "\n".join(blocks), titles


@SETTINGS
@given(pages())
def test_scraped_pages_of_any_text_keep_their_titles(page: tuple[str, list[str]]) -> None:
    body, titles = page
    try:
        result = scraped.parse(body, "page.txt")
    except SourceError:
        return  # a title that reads as a heading or date line: the page is refused whole
    assert stored_again(result.papers) == sorted(result.papers, key=lambda p: (p.day, p.id))
    folded = {" ".join(t.split()) for t in titles}
    assert {p.title for p in result.papers} <= folded
    for paper in result.papers:
        assert paper.id == title_id(paper.title)


@SETTINGS
@given(st.text(max_size=300))
def test_any_page_text_is_a_result_or_a_source_error(body: str) -> None:
    result = check_outcome(lambda: scraped.parse(body, "page.txt"), "page.txt")
    if result is not None:
        # Every paper of a page is known by its title alone, and on the page's one day.
        assert all(p.id == title_id(p.title) for p in result.papers)
        assert len({p.day for p in result.papers}) <= 1
        assert all(p.sources == ("hf-page",) for p in result.papers)


@SETTINGS
@given(st.lists(papers(), max_size=8, unique_by=lambda p: p.id))
def test_the_store_gives_back_what_it_was_given(batch: list[Paper]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        grouped = {d: [p for p in batch if p.day == d] for d in {p.day for p in batch}}
        assert sorted(store.save_days(project, grouped)) == sorted(grouped)
        archive = store.read_archive(project)
        assert archive.problems == []
        assert archive.papers == sorted(batch, key=lambda p: (p.day, p.id))
        assert store.save_days(project, grouped) == []  # same bytes: nothing written


@st.composite
def same_papers_under_two_ids(draw: st.DrawFn) -> list[Paper]:
    """Papers, some also listed under the title id of their (re-spaced, re-cased) title."""
    found = draw(st.lists(papers(day=DAY), max_size=5, unique_by=lambda p: p.id))
    extra = []
    for paper in found:
        if draw(st.booleans()) and normalise_title(paper.title):
            shown = draw(st.sampled_from([paper.title.upper(), f"  {paper.title} ", paper.title]))
            if normalise_title(shown) == normalise_title(paper.title) and shown.strip():
                extra.append(
                    Paper(
                        id=title_id(shown),
                        title=shown,
                        day=DAY,
                        upvotes=draw(st.none() | st.integers(0, 9)),
                    )
                )
    return draw(st.permutations(found + extra))


@SETTINGS
@given(same_papers_under_two_ids(), same_papers_under_two_ids())
def test_merging_is_idempotent_and_loses_no_identity(
    first: list[Paper], second: list[Paper]
) -> None:
    once = merge_all({}, first)
    both = merge_all(once.papers, second)
    again = merge_all(both.papers, second)
    assert again.papers == both.papers and not again.changed_days
    for batch, result in ((first, once), (second, both)):
        # Every record is in the result: by its id, an alias, or as its title's paper.
        known = {i for p in result.papers.values() for i in (p.id, *p.aliases)}
        titles = {normalise_title(p.title) for p in result.papers.values()}
        for paper in batch:
            assert paper.id in known or normalise_title(paper.title) in titles
    aliases = [a for p in both.papers.values() for a in p.aliases]
    assert len(aliases) == len(set(aliases)) and not set(aliases) & set(both.papers)
