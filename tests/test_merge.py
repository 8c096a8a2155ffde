from __future__ import annotations

from datetime import date

from helpers import make_paper
from hypothesis import given
from hypothesis import strategies as st
from strategies import papers

from generator.archive.merge import fetched, merge_all, merge_paper
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
    archived = make_paper(upvotes=3, fetched_at="2026-01-09T08:00:00Z")
    older = make_paper(upvotes=3, fetched_at="2026-01-06T08:00:00Z")
    assert merge_paper(archived, older) is archived
    assert merge_paper(archived, archived) is archived


def test_a_refetch_with_the_same_values_still_counts_as_the_newest() -> None:
    # Otherwise a capture from between the two fetches would win over the later one.
    early = make_paper(upvotes=3, fetched_at="2026-01-06T08:00:00Z")
    late = make_paper(upvotes=3, fetched_at="2026-01-09T08:00:00Z")
    between = make_paper(upvotes=5, fetched_at="2026-01-07T08:00:00Z")
    assert merge_paper(merge_paper(early, late), between).upvotes == 3
    assert merge_paper(merge_paper(early, between), late).upvotes == 3


def test_a_value_from_an_older_fetch_keeps_its_own_time() -> None:
    first = make_paper(comments=1, fetched_at="2026-01-06T08:00:00Z")
    latest = make_paper(comments=None, fetched_at="2026-01-09T08:00:00Z")
    merged = merge_paper(first, latest)
    assert merged.comments == 1
    assert merged.field_fetched_at == (("comments", "2026-01-06T08:00:00Z"),)
    # A capture from between them knows better than the first, though it is not the latest.
    between = make_paper(comments=4, fetched_at="2026-01-07T08:00:00Z")
    assert merge_paper(merged, between).comments == 4


def test_a_paper_featured_again_is_on_both_days_with_its_first_as_its_day() -> None:
    archived = {"2601.00001": make_paper(day=DAY)}
    result = merge_all(archived, [make_paper(day=date(2026, 1, 9), upvotes=8)])
    paper = result.papers["2601.00001"]
    assert (paper.day, paper.featured_again, paper.upvotes) == (DAY, (date(2026, 1, 9),), 8)
    assert result.changed_days == {DAY}
    assert result.refeatured == ["2601.00001"]
    assert result.notices == [
        "paper 2601.00001: featured on 2026-01-06 and again on 2026-01-09; its card is on "
        "each of those days, its permalink on 2026-01-06"
    ]


def test_an_earlier_listing_found_later_moves_the_paper_to_its_first_day() -> None:
    later = date(2026, 1, 9)
    result = merge_all({"2601.00001": make_paper(day=later)}, [make_paper(day=DAY)])
    paper = result.papers["2601.00001"]
    assert (paper.day, paper.featured_again) == (DAY, (later,))
    assert result.changed_days == {DAY, later} and result.shrunk_days == {later}


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


@given(st.lists(papers(paper_id="2601.00001"), min_size=1, max_size=5), st.randoms())
def test_merging_gives_the_same_paper_in_any_order(batch: list, random) -> None:  # type: ignore[no-untyped-def]
    def merged(order: list) -> object:
        paper = order[0]
        for other in order[1:]:
            paper = merge_paper(paper, other)
        # A record merged with nothing new is itself, even if it never said when it was
        # fetched; the import stamps every record, so data/ never holds the difference.
        return paper.with_changes(fetched_at=fetched(paper))

    shuffled = list(batch)
    random.shuffle(shuffled)
    assert merged(shuffled) == merged(batch)


def test_sources_add_up_and_another_sources_day_is_not_news() -> None:
    arxiv = make_paper(day=date(2026, 1, 6), sources=("arxiv",), categories=("cs.CL",))
    hf = make_paper(day=date(2026, 2, 3), sources=("hf-daily",), upvotes=41)
    result = merge_all({arxiv.id: arxiv}, [hf])
    merged = result.papers[arxiv.id]
    assert merged.sources == ("arxiv", "hf-daily")
    assert (merged.day, merged.featured_again) == (date(2026, 1, 6), (date(2026, 2, 3),))
    assert (merged.upvotes, merged.categories) == (41, ("cs.CL",))
    assert result.refeatured == [] and result.notices == []
    # Hugging Face featuring it again is news, as before.
    again = make_paper(day=date(2026, 2, 10), sources=("hf-daily",))
    later = merge_all(result.papers, [again])
    assert later.refeatured == [arxiv.id] and len(later.notices) == 1
