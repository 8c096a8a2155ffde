"""Every search covers the whole archive: ranked, sorted and filtered, never a paper twice.

An archive of 135 papers of the sample in data/ (real text) moved onto six quarters of two
years, each paper with the word "zebra", so a search for it matches every paper and needs
"Show more" to list them all; the oldest quarter's papers also have the word
"umbrellabird", which no other paper has. (Not bench/synth.py's archive: that needs the HF
captures beside the clone, and these tests must run in any clone.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from helpers import save_day

from generator.archive import store
from generator.models import Paper
from generator.project import Project
from generator.site.build import build_site as build

from .conftest import REPO, serve_site

pytestmark = pytest.mark.browser

TOPICS = REPO / "data" / "topics.yaml"
QUARTERS = [
    (date(2026, 1, 5), 60),
    (date(2025, 11, 3), 40),
    (date(2025, 8, 4), 20),
    (date(2025, 5, 5), 5),
    (date(2025, 2, 3), 5),
    (date(2024, 11, 4), 5),
]
TOTAL = sum(n for _, n in QUARTERS)
RARE = "umbrellabird"


def papers() -> list[Paper]:
    out: list[Paper] = []
    sample = sorted(store.read_archive(Project(REPO)).papers, key=lambda p: p.id)
    assert len(sample) >= TOTAL, "the sample archive in data/ is too small for this test"
    pool = iter(sample[::2] + sample[1::2])  # both months of the sample, not one
    for start, count in QUARTERS:
        for i in range(count):
            paper = next(pool)
            day = start + timedelta(days=i % 5)
            out.append(
                paper.with_changes(
                    id=f"{day:%y%m}.{len(out):05d}",
                    aliases=(),
                    featured_again=(),
                    day=day,
                    abstract=f"A zebra appears{f' near an {RARE}' if day.year == 2024 else ''}. "
                    f"{paper.abstract}",
                    upvotes=(len(out) * 37) % 101,
                    **_listed(len(out)),
                )
            )
    return out


# Every fourth paper an arXiv feed lists too, in cs.RO and cs.LG: the category and source
# filters' papers, in every quarter.
def _listed(n: int) -> dict[str, Any]:
    if n % 4:
        return {"sources": ("hf-daily",)}
    return {"sources": ("arxiv", "hf-daily"), "categories": ("cs.RO", "cs.LG")}


LISTED = sum(1 for n in range(TOTAL) if n % 4 == 0)


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from helpers import QUIET, make_site_project

    root = tmp_path_factory.mktemp("archive")
    data = root / "data"
    (data / "papers").mkdir(parents=True)
    (data / "topics.yaml").write_text(TOPICS.read_text(encoding="utf-8"), encoding="utf-8")
    project = make_site_project(root / "project", data)
    for day in {p.day for p in papers()}:
        save_day(project, day, [p for p in papers() if p.day == day])
    build(project, QUIET)
    yield from serve_site(project.site, root / "www")


def status(page: Any) -> str:
    return str(page.locator(".pa-search__status").inner_text())


def show_all(page: Any, total: int = TOTAL) -> None:
    more = page.locator(".pa-search__more")
    while more.is_visible():
        count = page.locator(".pa-result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.pa-result').length > {count}")
    assert status(page) == f"{total} papers found"
    assert page.locator(".pa-result").count() == total


def urls(page: Any) -> list[str]:
    return list(page.locator(".pa-result__title a").evaluate_all("els => els.map(e => e.href)"))


def meta(page: Any) -> list[str]:
    return list(page.locator(".pa-result__meta").all_inner_texts())


def upvotes(page: Any) -> list[int]:
    found = [re.search(r"(\d+) upvotes?", m) for m in meta(page)]
    return [int(m.group(1)) if m else 0 for m in found]


def test_best_match_ranks_the_whole_archive_with_the_word_index(
    page: Any, archive_site: str
) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(archive_site + "search/?q=zebra")
    page.locator(".pa-search__status").filter(
        has_text=re.compile("whole archive|papers found")
    ).wait_for()
    assert page.locator(".pa-result").count() == 10  # ten at a time: each loads its text
    assert [u for u in requested if "/words-" in u]  # the word index ranked them
    show_all(page)
    found = urls(page)
    assert len(found) == len(set(found)) == TOTAL
    assert not [u for u in requested if "pagefind" in u]


def test_a_rare_word_finds_the_oldest_papers_at_once(page: Any, archive_site: str) -> None:
    page.goto(archive_site + "search/?q=" + RARE)
    page.locator(".pa-search__status").filter(has_text=re.compile("papers found$")).wait_for()
    assert status(page) == "5 papers found"
    assert len([m for m in meta(page) if m.split(" · ")[0].endswith("2024")]) == 5
    assert not page.locator(".pa-search__more").is_visible()
    marks = page.locator(".pa-result__excerpt mark").all_inner_texts()
    assert marks and all(m.lower() == RARE for m in marks)  # quoted where it was found


def test_sorted_searches_sort_the_whole_archive(page: Any, archive_site: str) -> None:
    page.goto(archive_site + "search/?q=zebra&sort=date:asc")
    page.locator(".pa-search__status").filter(has_text="papers found").wait_for()
    assert status(page) == f"{TOTAL} papers found"  # counted at once: every match is known
    show_all(page)
    days = [datetime.strptime(m.split(" · ")[0], "Featured %d %b %Y") for m in meta(page)]
    assert days == sorted(days) and len(days) == TOTAL
    page.goto(archive_site + "search/?q=zebra&sort=date:desc")
    page.locator(".pa-search__status").filter(has_text="papers found").wait_for()
    show_all(page)
    days = [datetime.strptime(m.split(" · ")[0], "Featured %d %b %Y") for m in meta(page)]
    assert days == sorted(days, reverse=True)
    # Within a day, the day's own order (as its page shows it: most upvoted first).
    votes = upvotes(page)
    for i in range(1, TOTAL):
        assert days[i] != days[i - 1] or votes[i] <= votes[i - 1], i
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(archive_site + "search/?q=zebra&sort=upvotes:desc")
    page.locator(".pa-search__status").filter(has_text="papers found").wait_for()
    assert [u for u in requested if "/catalog/upvotes/" in u]
    show_all(page)
    votes = upvotes(page)
    assert votes == sorted(votes, reverse=True) and len(votes) == TOTAL
    assert len(set(urls(page))) == TOTAL


def test_the_category_and_source_filters_hold_every_quarter(page: Any, archive_site: str) -> None:
    robotics = {p.id for n, p in enumerate(papers()) if n % 4 == 0}
    page.goto(archive_site + "search/?q=zebra&category=cs.RO")
    page.locator(".pa-search__status").filter(has_text=re.compile("found")).wait_for()
    show_all(page, LISTED)
    assert {u.rsplit("#", 1)[1] for u in urls(page)} == robotics
    options = page.locator("select[name=category] option").all_inner_texts()
    assert options == ["All categories", f"cs.LG ({LISTED})", f"cs.RO ({LISTED})"]
    # No words: the filter alone lists the papers, newest first; the other source's
    # papers are the rest.
    page.goto(archive_site + "search/?source=huggingface")
    page.locator(".pa-search__status").filter(has_text=re.compile("found")).wait_for()
    show_all(page, TOTAL)
    page.goto(archive_site + "search/?source=arxiv&sort=date:desc")
    page.locator(".pa-search__status").filter(has_text=re.compile("found")).wait_for()
    show_all(page, LISTED)
    assert page.locator("select[name=source]").is_visible()


def test_a_title_match_is_held_to_the_category(page: Any, archive_site: str) -> None:
    listed = papers()[4]  # an arXiv paper
    other = papers()[5]
    for paper, kept in ((listed, True), (other, False)):
        page.goto(archive_site + "search/?" + urlencode({"q": paper.title, "category": "cs.RO"}))
        # The catalog names the paper by its title, or nothing matches in the category.
        page.locator(".pa-search__status").filter(
            has_text=re.compile("title|No papers match")
        ).wait_for()
        found = {u.rsplit("#", 1)[1] for u in urls(page)}
        assert (paper.id in found) is kept, (paper.id, status(page))


def test_a_year_filter_searches_that_year_only(page: Any, archive_site: str) -> None:
    page.goto(archive_site + "search/?q=zebra&year=2025")
    page.locator(".pa-search__status").filter(has_text=re.compile("found")).wait_for()
    show_all(page, 70)
    assert all(m.split(" · ")[0].endswith("2025") for m in meta(page))
