from __future__ import annotations

from datetime import date

from helpers import make_paper
from hypothesis import given
from hypothesis import strategies as st
from strategies import papers

from generator.merge import merge_all, merge_paper
from generator.models import Links

DAY = date(2026, 1, 6)


def test_newer_volatile_values_win_and_missing_fields_are_kept() -> None:
    early = make_paper(upvotes=3, comments=1, fetched_at="2026-01-06T08:00:00Z")
    late = make_paper(
        upvotes=40, ai_summary="It works.", abstract=None, fetched_at="2026-01-08T08:00:00Z"
    )
    merged = merge_paper(early, late)
    assert merged.upvotes == 40
    assert merged.ai_summary == "It works."
    assert merged.comments == 1  # the later fetch lacked it: kept
    assert merged.abstract == early.abstract
    assert merged.fetched_at == "2026-01-08T08:00:00Z"


def test_an_older_capture_does_not_roll_back_newer_values() -> None:
    archived = make_paper(upvotes=40, fetched_at="2026-01-08T08:00:00Z")
    stale = make_paper(upvotes=3, github_stars=7, fetched_at="2026-01-06T08:00:00Z")
    merged = merge_paper(archived, stale)
    assert merged.upvotes == 40
    assert merged.github_stars == 7  # the stale capture still fills a gap


def test_links_merge_one_by_one() -> None:
    archived = make_paper(links=Links(code="https://github.com/a/b"))
    incoming = make_paper(links=Links(project="https://example.org/p"))
    assert merge_paper(archived, incoming).links == Links(
        code="https://github.com/a/b", project="https://example.org/p"
    )


def test_nothing_new_returns_the_archived_record_itself() -> None:
    archived = make_paper(upvotes=3, fetched_at="2026-01-06T08:00:00Z")
    refetched = make_paper(upvotes=3, fetched_at="2026-01-09T08:00:00Z")
    assert merge_paper(archived, refetched) is archived  # fetched_at alone changes nothing


def test_a_paper_is_never_duplicated_onto_another_day() -> None:
    archived = {"2601.00001": make_paper(day=DAY)}
    result = merge_all(archived, [make_paper(day=date(2026, 1, 9), upvotes=8)])
    assert result.papers["2601.00001"].day == DAY
    assert result.papers["2601.00001"].upvotes == 8
    assert result.changed_days == {DAY}
    assert result.notices == [
        "paper 2601.00001: listed on 2026-01-09 but already archived on 2026-01-06; "
        "kept on 2026-01-06"
    ]


def test_merge_all_does_not_modify_its_input() -> None:
    archived = {"2601.00001": make_paper()}
    merge_all(archived, [make_paper("2601.00002")])
    assert list(archived) == ["2601.00001"]


@given(st.lists(papers(day=DAY), max_size=6))
def test_merging_the_same_records_twice_changes_nothing(batch: list) -> None:
    once = merge_all({}, batch)
    twice = merge_all(once.papers, batch)
    assert twice.papers == once.papers
    assert twice.added == [] and twice.updated == [] and twice.changed_days == set()


@given(papers(paper_id="2601.00001", day=DAY), papers(paper_id="2601.00001", day=DAY))
def test_a_field_set_in_either_record_is_never_lost(a, b) -> None:  # type: ignore[no-untyped-def]
    merged = merge_paper(a, b)
    for name in ("upvotes", "comments", "abstract", "ai_summary", "organization", "published"):
        if getattr(a, name) is not None or getattr(b, name) is not None:
            assert getattr(merged, name) is not None, name
