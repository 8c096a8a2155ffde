from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.archive.sources import scraped
from generator.errors import SourceError
from generator.models import Paper, title_id

from .conftest import SHARED

SEED = SHARED / "seeds" / "000_9e65165add5bb4b6.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="no seed page in ../shared/seeds")

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"


def block(
    title: str,
    meta: str = "  • 3 authors",
    when: str = "Oct 1, 2024",
    abstract: str = "An abstract.",
) -> str:
    parts = [title, abstract, meta, "·", when] if abstract else [title, meta, "·", when]
    return "\n\n".join(parts[:-2]) + "\n" + "\n".join(parts[-2:]) + "\n\n"


def page(heading: str, *blocks: str) -> str:
    return HEADER + heading + "\n\n" + "".join(blocks)


@needs_seed
def test_seed_page_gives_every_paper() -> None:
    text = SEED.read_text(encoding="utf-8")
    result = scraped.parse(text, str(SEED))
    assert [str(p) for p in result.problems] == []
    # 52 blocks end in a date line: 51 "N authors" blocks and one organization block.
    assert len(result.papers) == 52 == text.count("\n·\n")
    assert {p.day for p in result.papers} == {date(2026, 1, 6)}
    for paper in result.papers:
        assert paper.id == title_id(paper.title)
        assert paper.title and paper.abstract and paper.published
        assert (paper.author_count is None) != (paper.organization is None)
        assert Paper.from_mapping(paper.to_mapping()) == paper


@needs_seed
def test_seed_page_spot_checks() -> None:
    papers = scraped.parse_file(SEED).papers
    first = papers[0]
    assert first.title == "Investigating the Impact of Model Complexity in Large Language Models"
    assert first.author_count == 3
    assert first.published == date(2024, 10, 1)
    assert first.upvotes is None  # no number after the date
    assert first.abstract is not None and first.abstract.startswith("Large Language Models (LLMs)")
    by_title = {p.title.split(":")[0]: p for p in papers}
    adacot = by_title["AdaCoT"]
    assert (adacot.upvotes, adacot.author_count, adacot.published) == (3, 9, date(2025, 5, 17))
    swiss = by_title["LLM Swiss Round"]
    assert swiss.organization == "ByteDance Seed"
    assert (swiss.author_count, swiss.upvotes, swiss.published) == (None, 2, date(2025, 12, 24))
    assert (
        papers[-1].title == "The Benefits of Model-Based Generalization in Reinforcement Learning"
    )
    assert papers[-1].published == date(2022, 11, 3)  # the last line has no newline
    text = SEED.read_text(encoding="utf-8")
    shown = re.findall(r"^[A-Z][a-z]{2} [0-9]{1,2}, [0-9]{4} ([0-9]+)$", text, re.MULTILINE)
    assert [p.upvotes for p in papers if p.upvotes is not None] == [int(v) for v in shown]
    assert len(shown) == 12


@needs_seed
def test_same_page_twice_gives_the_same_ids() -> None:
    text = SEED.read_text(encoding="utf-8")
    first = [p.id for p in scraped.parse(text, "a").papers]
    again = [p.id for p in scraped.parse(text.replace("\n", "\r\n"), "b").papers]
    assert first == again
    assert len(set(first)) == len(first)


def test_year_is_the_first_matching_day_on_or_after_the_newest_paper() -> None:
    text = page("Jan 6", block("A", when="Dec 24, 2025 2"), block("B", when="Mar 1, 2020"))
    assert scraped.parse(text, "t").papers[0].day == date(2026, 1, 6)
    text = page("Jun 3", block("A", when="Jun 2, 2025"))
    assert scraped.parse(text, "t").papers[0].day == date(2025, 6, 3)
    text = page("Jun 3", block("A", when="Jun 3, 2025"))
    assert scraped.parse(text, "t").papers[0].day == date(2025, 6, 3)


def test_feb_29_finds_a_leap_year() -> None:
    text = page("Feb 29", block("A", when="Dec 30, 2026"))
    assert scraped.parse(text, "t").papers[0].day == date(2028, 2, 29)


def test_day_argument_overrides_the_heading() -> None:
    text = page("Jan 6", block("A", when="Dec 24, 2025"))
    result = scraped.parse(text, "t", day=date(2026, 1, 6))
    assert (result.papers[0].day, result.problems) == (date(2026, 1, 6), [])
    result = scraped.parse(text, "t", day=date(2026, 2, 1))
    assert result.papers[0].day == date(2026, 2, 1)
    assert "heading says Jan 6" in result.problems[0].message


def test_block_without_abstract_and_one_author() -> None:
    text = page("Jan 6", block("Short", meta="  • 1 author", abstract=""))
    paper = scraped.parse(text, "t").papers[0]
    assert (paper.title, paper.abstract, paper.author_count) == ("Short", None, 1)


def test_organization_line_is_kept_whole_when_name_and_handle_differ() -> None:
    text = page("Jan 6", block("T", meta="google Google DeepMind"))
    assert scraped.parse(text, "t").papers[0].organization == "google Google DeepMind"


def test_malformed_blocks_are_reported_with_line_numbers() -> None:
    text = page(
        "Jan 6",
        block("Good", when="Jan 2, 2026 5"),
        block("Bad votes", when="Jan 3, 2026 1.2k"),
        block("Bad date", when="Feb 30, 2025"),
        "Cut off\n\nAbstract that never ends\n\n  • 2 authors\n·\n",
    )
    result = scraped.parse(text, "page.txt")
    assert [p.title for p in result.papers] == ["Good", "Bad votes", "Bad date"]
    assert result.papers[1].upvotes is None
    assert result.papers[2].published is None
    problems = {(p.field, p.path) for p in result.problems}
    assert problems == {
        ("upvotes", "page.txt:19-25"),  # title line to date line
        ("published", "page.txt:27-33"),
        (None, "page.txt:35-40"),
    }


def test_duplicate_titles_are_kept_once() -> None:
    text = page("Jan 6", block("Same"), block("same "))
    result = scraped.parse(text, "t")
    assert len(result.papers) == 1
    assert "same title" in result.problems[0].message


def test_date_line_without_a_title() -> None:
    text = page("Jan 6", block("A"), "Oct 2, 2024 4\n\n")
    result = scraped.parse(text, "t")
    assert len(result.papers) == 1
    assert "without a title" in result.problems[0].message


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no day heading"),
        ('[{"paper": {}}]', "no day heading"),
        ("<html><body>Daily Papers</body></html>", "no day heading"),
        (HEADER + "Jan 6\n\nNothing here today.\n", "no paper blocks"),
        ("Title\n\nAbstract\n\n  • 2 authors\n·\nOct 1, 2024\n\nJan 6\n", "no day heading"),
        (page("Jan 6", block("A")) + "Jan 7\n\n" + block("B"), "second day heading"),
        (page("Feb 30", block("A")), "not a real day"),
    ],
)
def test_other_texts_are_rejected_whole(text: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        scraped.parse(text, "t")


def test_year_needs_a_dated_paper() -> None:
    text = page("Jan 6", block("A", when="Feb 31, 2025"))
    with pytest.raises(SourceError, match="cannot tell the year"):
        scraped.parse(text, "t")
    assert len(scraped.parse(text, "t", day=date(2026, 1, 6)).papers) == 1


HEADINGS = st.sampled_from(["Jan 6", "Feb 29", "Dec 31", "Jan 1"])
LINES = st.sampled_from(
    [
        "",
        "",
        "·",
        "  • 3 authors",
        "• 0 authors",
        "ByteDance-Seed ByteDance Seed",
        "Oct 1, 2024",
        "May 17, 2025 3",
        "Dec 31, 9999",
        "Jan 1, 0000 9",
        "Feb 29, 2023",
        "Title",
        "A much longer abstract line.",
    ]
)


def check_only_source_error(text: str) -> None:
    try:
        result = scraped.parse(text, "prop")
    except SourceError:
        return
    for paper in result.papers:
        assert Paper.from_mapping(paper.to_mapping()) == paper


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    check_only_source_error(text)


@settings(max_examples=300, deadline=None)
@given(HEADINGS, st.lists(LINES | st.text(max_size=20), max_size=40))
def test_page_like_text_never_crashes(heading: str, lines: list[str]) -> None:
    check_only_source_error("\n".join([heading, *lines]))


def test_source_and_fetch_time_are_stamped() -> None:
    text = page("Jan 6", block("A", when="Dec 24, 2025"))
    paper = scraped.parse(text, "t", fetched_at="2026-01-07T06:00:00Z").papers[0]
    assert (paper.sources, paper.fetched_at) == (("hf-page",), "2026-01-07T06:00:00Z")
