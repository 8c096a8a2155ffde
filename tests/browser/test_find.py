"""What a reader means, through the site's own search page: a paper's exact title finds
that paper first, an author's full name finds all their papers first, no title in the
archive is ever "0 found", and a paper of any age is found by three words a reader
remembers of its abstract.

Two sites: the sample in data/ (our importer's archive of the real Hugging Face captures)
and, when the captures are beside the clone, an archive of 10,000 papers over two years:
forty real papers of the captures, twenty among the oldest and twenty among the newest,
and bench/synth.py's papers of real text around them, made of the other captures'
sentences only (so no synthetic paper repeats a real one's), whose authors recur across
quarters. Forty titles and forty authors with 3 to 6 papers are drawn with a fixed seed
from each (bench/search.py's draw, which measures the same on 30,000 papers).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from bench.search import DRAWN, drawn
from generator.models import Paper
from generator.project import Project
from generator.site import load as inputs
from generator.site.arranged import Archive
from generator.site.build import build_site
from generator.site.buildfolder import BuildFolder
from generator.site.render import wordindex
from generator.site.render.catalog import ordered
from generator.site.render.urls import paper_url

from .conftest import serve_site

pytestmark = pytest.mark.browser

SYNTHETIC_PAPERS = 10_000
# Never said of a title that is in the archive: older quarters may be unsearched.
NOT_FOUND = re.compile(r"\b0 papers? found|No papers match")


def archive_of(project: Project) -> Archive:
    return inputs.load(project, BuildFolder(project)).archive


def search(page: Any, base: str, query: str) -> tuple[str, list[str]]:
    """The status line and the results' permalinks (relative to the site) for `query`."""
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_function(
        """() => {
          const s = document.querySelector('.pa-search__status');
          return s && s.textContent && !s.textContent.startsWith('Searching');
        }"""
    )
    status = str(page.locator(".pa-search__status").inner_text())
    hrefs = page.locator(".pa-result__title a").evaluate_all("els => els.map(e => e.href)")
    return status, [h.removeprefix(base) for h in hrefs]


def check(page: Any, base: str, archive: Archive) -> None:
    titles, authors = drawn(archive)
    assert len(titles) == DRAWN
    first = 0
    for title, url in titles:
        status, found = search(page, base, title)
        assert not NOT_FOUND.search(status), (title, status)
        first += bool(found) and found[0] == url
    assert first >= 0.95 * len(titles), f"exact title first for {first} of {len(titles)}"
    assert len(authors) >= 10, "too few authors with 3 to 6 papers to judge"
    complete = 0
    for name, urls in authors:
        _status, found = search(page, base, name)
        complete += urls <= set(found[:10])
    assert complete >= 0.9 * len(authors), f"all papers first for {complete} of {len(authors)}"


def test_titles_and_authors_of_the_sample_are_found_first(
    page: Any, sample_site: Project, sample_site_url: str
) -> None:
    check(page, sample_site_url, archive_of(sample_site))


KNOWN = 20  # real papers among the oldest, and as many among the newest


def known_and_synthetic() -> tuple[list[Paper], list[Paper], list[Paper]]:
    """The oldest real papers, the newest real papers, and the synthetic rest."""
    from bench.synth import NoRealText, real_papers, real_text, synth_papers

    real = list(real_papers())
    if len(real) < 2 * KNOWN:
        pytest.skip("needs the real captures in ../shared/hf-daily")
    known = random.Random(31).sample(real, 2 * KNOWN)
    try:
        text = real_text(excluding=frozenset(p.id for p in known))
        synthetic = synth_papers(SYNTHETIC_PAPERS, seed=5, text=text)
    except NoRealText as exc:
        pytest.skip(f"needs the real captures in ../shared/hf-daily: {exc}")
    days = sorted({p.day for p in synthetic})
    oldest = [p.with_changes(day=days[i % 5]) for i, p in enumerate(known[:KNOWN])]
    newest = [p.with_changes(day=days[-1 - i % 5]) for i, p in enumerate(known[KNOWN:])]
    return oldest, newest, synthetic


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    from helpers import QUIET, make_site_project

    from bench.synth import write_archive

    oldest, newest, synthetic = known_and_synthetic()
    papers = [*synthetic, *oldest, *newest]
    root = tmp_path_factory.mktemp("synthetic")
    (root / "data").mkdir()
    project = make_site_project(root / "project", root / "data")
    write_archive(project, papers)
    build_site(project, QUIET)
    for base in serve_site(project.site, root / "www"):
        yield project, base


def remembered(paper: Paper, used_by: Counter[str], draw: random.Random) -> str:
    """Three words of the paper's abstract that 5 to 300 papers use and its title lacks."""
    title = set(wordindex.terms(paper.title))
    words = [
        w
        for w in dict.fromkeys(wordindex.words(paper.abstract or ""))
        if w not in wordindex.STOPWORDS
        and wordindex.stem(w) not in title
        and 5 <= used_by[wordindex.stem(w)] <= 300
    ]
    return " ".join(draw.sample(words, 3))


def test_papers_old_and_new_are_found_by_three_remembered_words(
    page: Any, synthetic_site: tuple[Project, str]
) -> None:
    project, base = synthetic_site
    archive = archive_of(project)
    used_by: Counter[str] = Counter()
    for entry in ordered(archive):
        used_by.update(set(wordindex.weighted_terms(entry)))
    oldest, newest, _ = known_and_synthetic()
    draw = random.Random(7)
    for group in (oldest, newest):
        found = 0
        for paper in group:
            query = remembered(paper, used_by, draw)
            _status, urls = search(page, base, query)
            found += paper_url(paper.id, paper.day) in urls[:10]
        assert found >= 0.9 * len(group), f"{found} of {len(group)} found by remembered words"


def test_titles_and_authors_of_ten_thousand_papers_are_found_first(
    page: Any, synthetic_site: tuple[Project, str]
) -> None:
    project, base = synthetic_site
    archive = archive_of(project)
    assert archive.total >= SYNTHETIC_PAPERS
    years = {d.year for d in archive.days}
    assert len(years) >= 2
    check(page, base, archive)


def test_an_author_on_a_card_links_to_their_papers(
    page: Any, sample_site: Project, sample_site_url: str
) -> None:
    latest = archive_of(sample_site).days[-1]
    page.goto(f"{sample_site_url}days/{latest:%Y/%m/%d}/")
    link = page.locator(".pa-card__authors a[href*='search/?q=']").first
    name = link.inner_text()
    link.click()
    page.locator(".pa-search__status").filter(has_text="by this author").wait_for()
    metas: Sequence[str] = page.locator(".pa-result__meta").all_inner_texts()
    assert metas and all(name in m for m in metas if m.startswith("Author match"))
