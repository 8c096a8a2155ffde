"""What a reader means, through the site's own search page: a paper's exact title finds
that paper first, an author's full name finds all their papers first, and no title in the
archive is ever "0 found".

Two sites: the sample in data/ (our importer's archive of the real Hugging Face captures)
and, when the captures are beside the clone, bench/synth.py's archive of 10,000 papers of
real text over two years, whose authors recur across quarters. Forty titles and forty
authors with 3 to 6 papers are drawn with a fixed seed from each (bench/search.py's
draw, which measures the same on 30,000 papers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

import pytest

from bench.search import DRAWN, drawn
from generator.project import Project
from generator.site import load as inputs
from generator.site.arranged import Archive
from generator.site.build import build_site
from generator.site.buildfolder import BuildFolder

from .conftest import MOUNT, serve_folder

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


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    from helpers import QUIET, make_site_project

    from bench.synth import NoRealText, synth_papers, write_archive

    try:
        papers = synth_papers(SYNTHETIC_PAPERS, seed=5)
    except NoRealText as exc:
        pytest.skip(f"needs the real captures in ../shared/hf-daily: {exc}")
    root = tmp_path_factory.mktemp("synthetic")
    (root / "data").mkdir()
    project = make_site_project(root / "project", root / "data")
    write_archive(project, papers)
    build_site(project, QUIET)
    www = root / "www"
    www.mkdir()
    (www / MOUNT).symlink_to(project.site, target_is_directory=True)
    for base in serve_folder(www):
        yield project, f"{base}{MOUNT}/"


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
