"""arXiv API responses read as papers: every field, the announcement day, refusals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.archive.sources import arxiv_atom
from generator.errors import SourceError
from generator.models import Links

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv"


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_every_field_arxiv_gives_is_read() -> None:
    result = arxiv_atom.parse(read("2026-01-05.atom"), "listing.atom")
    assert result.problems == []
    papers = {p.id: p for p in result.papers}
    paper = papers["2601.03112"]
    assert paper.title == "Sparse Mixture Routing for Long-Context Retrieval"  # wrap undone
    assert paper.authors == ("Ana Ribeiro", "Tomás Leal", "Wen Zhou")
    assert paper.abstract is not None and paper.abstract.startswith("We study how token routing")
    assert "\n" not in paper.abstract
    assert (paper.primary_category, paper.categories) == ("cs.CL", ("cs.CL", "cs.LG"))
    assert (paper.published, paper.updated, paper.arxiv_version) == (
        date(2026, 1, 5),
        date(2026, 1, 10),
        2,
    )
    assert paper.arxiv_comment == "14 pages, 5 figures; v2 adds ablations"
    assert paper.sources == ("arxiv",)
    # Versionless links to arXiv; no Hugging Face page is claimed for an arXiv paper.
    assert paper.links == Links(
        arxiv="https://arxiv.org/abs/2601.03112", pdf="https://arxiv.org/pdf/2601.03112"
    )
    assert paper.fetched_at == "2026-01-12T00:00:00Z"  # the day the feed says it was made
    splat = papers["2601.01500"]
    assert splat.journal_ref == "IEEE Trans. Vis. Comput. Graph. 32 (2026) 101-114"
    assert splat.doi == "10.1109/TVCG.2026.0001"
    assert splat.updated is None  # v1 only: arXiv's <updated> repeats <published>
    assert len(papers["2601.03300"].authors) == 12
    # MSC classes are not arXiv categories.
    assert papers["2601.03900"].categories == ("math.OC", "stat.ML")


def test_markup_in_a_title_is_kept_as_text() -> None:
    papers = {p.id: p for p in arxiv_atom.parse(read("2026-01-05.atom"), "t").papers}
    assert papers["2601.04400"].title == (
        "When <tags> & $\\alpha$-Routing Meet: Markup in Titles Is Text"
    )


@pytest.mark.parametrize(
    ("paper_id", "day"),
    [
        ("2601.01500", date(2026, 1, 6)),  # Friday after the cutoff: Tuesday
        ("2601.02001", date(2026, 1, 6)),  # Saturday: Tuesday, not a weekend day
        ("2601.03112", date(2026, 1, 6)),  # Monday 12:02 ET, before the cutoff: Tuesday
        ("2601.03300", date(2026, 1, 7)),  # Monday 14:10 ET, after it: Wednesday
        ("2601.04400", date(2026, 1, 9)),  # Thursday 13:30 ET: Friday
        ("2601.05010", date(2026, 1, 13)),  # Friday 14:30 ET: the next Tuesday
    ],
)
def test_each_paper_is_filed_on_its_announcement_day(paper_id: str, day: date) -> None:
    papers = {p.id: p for p in arxiv_atom.parse(read("2026-01-05.atom"), "t").papers}
    assert papers[paper_id].day == day


def test_old_style_ids_are_papers_with_their_version_dropped() -> None:
    papers = {p.id: p for p in arxiv_atom.parse(read("old-style.atom"), "t").papers}
    assert sorted(papers) == ["hep-th/0601001", "math.GT/0309136"]
    perelman = papers["math.GT/0309136"]
    assert (perelman.arxiv_version, perelman.updated) == (2, date(2004, 3, 10))
    assert perelman.links.arxiv == "https://arxiv.org/abs/math.GT/0309136"
    assert papers["hep-th/0601001"].journal_ref == "Phys. Lett. B 630 (2006) 1-10"


def test_an_error_response_is_refused_in_arxivs_words() -> None:
    with pytest.raises(SourceError, match="arXiv answered with an error: max_results must be"):
        arxiv_atom.parse(read("error.atom"), "error.atom")


def entry(body: str) -> str:
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><entry>{body}</entry></feed>'


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("<id>http://arxiv.org/abs/2601.00001v1</id><title>T</title>", "published"),
        (
            "<id>http://arxiv.org/abs/2601.00001</id><published>2026-01-05</published>"
            "<title>T</title>",
            "published",
        ),  # no time zone: the day cannot be told
        (
            "<id>http://arxiv.org/abs/2601.00001v1</id><published>2026-01-05T10:00:00Z</published>",
            "title",
        ),
        ("<id>https://example.org/abs/2601.00001</id><title>T</title>", "id"),
    ],
)
def test_a_bad_entry_is_a_problem_naming_its_field_and_the_rest_is_kept(
    body: str, field: str
) -> None:
    good = "<id>http://arxiv.org/abs/2601.00002v1</id><published>2026-01-05T10:00:00Z</published><title>Good</title>"
    text = entry(body).replace("</feed>", f"<entry>{good}</entry></feed>")
    result = arxiv_atom.parse(text, "feed.atom")
    assert [p.id for p in result.papers] == ["2601.00002"]
    (problem,) = result.problems
    assert problem.field == field and problem.path == "feed.atom"
    assert str(problem).startswith("feed.atom: ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Rate exceeded.", "malformed XML"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"><entry>', "malformed XML"),
        ("<html><body>Service Unavailable</body></html>", "not an Atom feed"),
        ('<!DOCTYPE feed [<!ENTITY a "b">]><feed/>', "DOCTYPE or ENTITY"),
        (
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:o="http://a9.com/-/spec/opensearch/1.1/">'
            "<o:totalResults>many</o:totalResults></feed>",
            "totalResults is not a number",
        ),
    ],
)
def test_what_is_not_an_api_feed_is_refused(text: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        arxiv_atom.parse(text, "t")
