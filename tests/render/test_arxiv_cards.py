"""A paper from arXiv shows what arXiv says of it: its sources, version, comment, journal
and DOI, as text; a paper from Hugging Face alone looks as it did."""

from __future__ import annotations

from datetime import date

from helpers import AllOther, make_paper, render_all

from generator.models import Links
from generator.site.arranged import build_archive
from generator.site.classify import OTHER

DAY = date(2026, 1, 6)


def day_page(*papers: object) -> str:
    archive = build_archive(list(papers), [], {}, AllOther(), OTHER)  # type: ignore[arg-type]
    docs, _ = render_all(archive)
    return str(docs["days/2026/01/06/index.md"])


def test_an_arxiv_paper_shows_its_sources_version_comment_journal_and_doi() -> None:
    page = day_page(
        make_paper(
            "2601.03112",
            day=DAY,
            sources=("arxiv", "hf-daily"),
            arxiv_version=2,
            published=date(2026, 1, 5),
            updated=date(2026, 1, 10),
            arxiv_comment='14 pages; <script>alert("x")</script> & more',
            journal_ref="J. Things <b>1</b> (2026)",
            doi="10.1000/a<b>&c",
        )
    )
    assert "<li>Listed by arXiv and Hugging Face</li>" in page
    assert "<li>Updated 10 Jan 2026 (v2)</li>" in page
    assert "Comment: 14 pages; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page
    assert "Journal: J. Things &lt;b&gt;1&lt;/b&gt; (2026)" in page
    assert 'href="https://doi.org/10.1000/a%3Cb%3E%26c"' in page
    assert ">10.1000/a&lt;b&gt;&amp;c</a>" in page
    assert "<script>" not in page and "<b>1" not in page


def test_a_hugging_face_paper_adds_nothing() -> None:
    plain = day_page(make_paper("2601.00001", day=DAY, sources=("hf-daily",)))
    assert "Listed by" not in plain and "Comment:" not in plain and "DOI" not in plain
    only_arxiv = day_page(
        make_paper(
            "2601.00002", day=DAY, sources=("arxiv",), links=Links.for_arxiv("2601.00002", hf=None)
        )
    )
    assert "<li>Listed by arXiv</li>" in only_arxiv
    assert "huggingface.co/papers/2601.00002" not in only_arxiv


def test_categories_and_sources_are_filters_with_counts_and_catalog_lists() -> None:
    import json

    from generator.site.render.catalog import catalog_files, ordered
    from generator.site.render.search import search_manifest

    papers = [
        make_paper("2601.00010", day=DAY, sources=("arxiv",), categories=("cs.RO", "cs.LG")),
        make_paper("2601.00011", day=DAY, sources=("arxiv", "hf-daily"), categories=("cs.LG",)),
        make_paper("2601.00012", day=DAY, sources=("hf-page",)),
    ]
    archive = build_archive(papers, [], {}, AllOther(), OTHER)
    manifest = json.loads(search_manifest(archive))
    assert manifest["sources"] == {"arxiv": "arXiv", "huggingface": "Hugging Face"}
    assert manifest["filters"]["category"] == {"cs.LG": 2, "cs.RO": 1}
    assert manifest["filters"]["source"] == {"arxiv": 2, "huggingface": 2}
    files = catalog_files(archive)
    numbers = {e.id: n for n, e in enumerate(ordered(archive))}

    def listed(path: str) -> list[int]:
        deltas = json.loads(files[path])
        return [sum(deltas[: i + 1]) for i in range(len(deltas))]

    assert set(listed("categories/cs.LG.json")) == {numbers["2601.00010"], numbers["2601.00011"]}
    assert set(listed("sources/huggingface.json")) == {numbers["2601.00011"], numbers["2601.00012"]}
    # One source only: no source lists (the search page offers no source filter then).
    alone = build_archive(papers[2:], [], {}, AllOther(), OTHER)
    assert not any(p.startswith("sources/") for p in catalog_files(alone))
