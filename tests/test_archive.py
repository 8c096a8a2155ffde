from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from helpers import make_paper

from generator.models import Curation, Paper, Topic
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER

TOPICS = [Topic("a", "A", "Topic A."), Topic("b", "B", "Topic B.")]


class ByTitle:
    """Classifies by the title's first word (a, b, or anything else -> other)."""

    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]:
        first = paper.title.split()[0]
        slugs = tuple(s for s in ("b", "a", "zzz") if s in first.split("+"))
        return slugs or ("other",)


def archive_of(papers: list[Paper], curation: dict[str, Curation] | None = None) -> Archive:
    return build_archive(papers, TOPICS, curation or {}, ByTitle(), OTHER)


D1, D2, D3 = date(2026, 1, 5), date(2026, 1, 6), date(2026, 2, 2)


def test_hidden_papers_are_removed_and_pinned_ones_lead_their_day() -> None:
    papers = [
        make_paper("2601.00001", day=D1, upvotes=5),
        make_paper("2601.00002", day=D1, upvotes=50),
        make_paper("2601.00003", day=D1, upvotes=1),
        make_paper("2601.00004", day=D1, upvotes=99),
    ]
    curation = {
        "2601.00003": Curation("2601.00003", pin=True),
        "2601.00004": Curation("2601.00004", hide=True),
    }
    archive = archive_of(papers, curation)
    assert [e.id for e in archive.by_day[D1]] == ["2601.00003", "2601.00002", "2601.00001"]
    assert "2601.00004" not in archive.entries
    assert archive.by_day[D1][0].pinned


def test_ties_break_by_id_and_unknown_upvotes_count_as_zero() -> None:
    papers = [
        make_paper("2601.00009", day=D1, upvotes=3),
        make_paper("2601.00001", day=D1, upvotes=3),
        make_paper("2601.00005", day=D1),
    ]
    assert [e.id for e in archive_of(papers).by_day[D1]] == [
        "2601.00001",
        "2601.00009",
        "2601.00005",
    ]


def test_topics_in_taxonomy_order_and_other_when_nothing_matched() -> None:
    archive = archive_of(
        [
            make_paper("2601.00001", day=D1, title="b+a paper"),
            make_paper("2601.00002", day=D1, title="plain paper"),
            make_paper("2601.00003", day=D1, title="zzz paper"),
        ]
    )
    assert archive.entries["2601.00001"].topics == ("a", "b")
    assert archive.entries["2601.00002"].topics == ("other",)
    assert archive.entries["2601.00003"].topics == ("other",)  # unknown slug dropped
    assert any("unknown topic 'zzz'" in p for p in archive.problems)
    assert [t.slug for t in archive.topics] == ["a", "b", "other"]
    assert [e.id for e in archive.by_topic["other"]] == ["2601.00002", "2601.00003"]
    assert archive.by_topic["b"][0].id == "2601.00001"


def test_days_months_and_neighbours() -> None:
    archive = archive_of(
        [make_paper(f"2601.0000{i}", day=d) for i, d in enumerate([D3, D1, D2, D2], start=1)]
    )
    assert archive.days == (D1, D2, D3)
    assert archive.latest_day == D3
    assert archive.previous_day(D1) is None
    assert archive.previous_day(D3) == D2
    assert archive.next_day(D1) == D2
    assert archive.next_day(D3) is None
    assert archive.next_day(date(2026, 1, 20)) == D3  # between days: the next with papers
    assert archive.months == ((2026, 1), (2026, 2))
    assert archive.month_counts == {(2026, 1): 3, (2026, 2): 1}
    assert archive.month_days((2026, 1)) == (D1, D2)
    assert archive.next_month((2026, 1)) == (2026, 2)
    assert archive.previous_month((2026, 1)) is None
    assert archive.years == (2026,)
    assert archive.total == 4


def test_earlier_this_week_is_the_six_days_before_the_latest_day() -> None:
    latest = date(2026, 3, 10)
    papers = [
        make_paper("2603.00001", day=latest, upvotes=1),
        make_paper("2603.00002", day=latest - timedelta(days=6), upvotes=10),
        make_paper("2603.00003", day=latest - timedelta(days=7), upvotes=100),
    ]
    papers.append(make_paper("2603.00004", day=latest - timedelta(days=1), upvotes=5))
    assert [e.id for e in archive_of(papers).earlier_this_week()] == ["2603.00002", "2603.00004"]


def test_a_paper_listed_twice_is_kept_once_and_reported() -> None:
    archive = archive_of([make_paper("2601.00001", day=D1), make_paper("2601.00001", day=D2)])
    assert archive.entries["2601.00001"].day == D1
    assert archive.problems and "appears twice" in archive.problems[0]


def test_empty_archive() -> None:
    archive = archive_of([])
    assert archive.latest_day is None
    assert archive.earlier_this_week() == []
    assert archive.months == ()
    assert archive.by_topic == {"a": (), "b": (), "other": ()}


@pytest.mark.parametrize("count", [30_000])
def test_thirty_thousand_papers_arrange_in_under_a_second(count: int) -> None:
    start = date(2023, 1, 1)
    papers = [
        make_paper(
            f"{2300 + i // 100_000}.{i % 100_000:05d}",
            day=start + timedelta(days=i // 25),
            title=("a" if i % 3 else "b+a") + f" paper {i}",
            upvotes=i % 97,
        )
        for i in range(count)
    ]
    began = time.perf_counter()
    archive = archive_of(papers)
    archive.month_counts  # noqa: B018 - computed lazily; part of the cost
    elapsed = time.perf_counter() - began
    assert archive.total == count
    assert elapsed < 1.0, f"{elapsed:.2f} s"
