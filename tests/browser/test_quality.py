"""Every page type of the sample site (the archive shipped in data/) as a reader meets it.

On a phone (390 px) no page type scrolls sideways, nor any day page or topic page of the
sample in either colour scheme, with their abstracts and BibTeX entries open; no page
logs a console error or fails a request; axe-core finds no serious or critical violation
in either colour scheme, nor in the open search dialog; the Nu HTML Checker finds no
error. The checkers come from npm (`make browser-tools`, pinned in tools/browser-tools/);
without them these tests skip, unless ALMANAC_REQUIRE_BROWSER=1 (CI), where that is a
failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.project import Project

from .conftest import SAMPLE_MOUNTS, sideways, unavailable
from .support import DESKTOP, TOOLS, Visit

pytestmark = pytest.mark.browser

VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
PHONE = {"width": 390, "height": 844}


def page_types(site: Path) -> dict[str, str]:
    """One page of each type of the built site: name -> path under the site's root."""

    def first(pattern: str) -> str:
        found = sorted(site.glob(pattern))
        assert found, f"no page {pattern} in the sample site"
        return found[-1].parent.relative_to(site).as_posix() + "/"

    return {
        "home": "",
        "days": "days/",
        "year": first("days/[0-9][0-9][0-9][0-9]/index.html"),
        "month": first("days/*/[0-9][0-9]/index.html"),
        "day": first("days/*/*/[0-9][0-9]/index.html"),
        "topics": "topics/",
        # The longest topic name: the one most likely to be cut or to widen a page.
        "topic": "topics/retrieval/",
        "topic month": first("topics/retrieval/*/*/index.html"),
        "trending": "trending/",
        "stats": "stats/",
        "search": "search/?q=reasoning",
        "reading list": "saved/",
        "open data": "api/",
        "about": "about/",
        "cite": "cite/",
        "404": "no/such/page/",
    }


def day_and_topic_pages(site: Path) -> list[str]:
    """Every day page and every topic page (each topic, its months and the list of topics)
    of the built site, as paths under its root: read from the site, so none is left out."""
    found = [*site.glob("days/*/*/*/index.html"), *site.glob("topics/**/index.html")]
    return sorted(page.parent.relative_to(site).as_posix() + "/" for page in found)


@pytest.fixture(scope="module")
def types(sample_site: Project) -> dict[str, str]:
    return page_types(sample_site.site)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def make(viewport: dict[str, int] = DESKTOP, scheme: str = "light") -> Visit:
        opened.append(Visit(browser, viewport=viewport, scheme=scheme))
        return opened[-1]

    yield make
    for tab in opened:
        tab.close()


def test_no_page_type_scrolls_sideways_on_a_phone_or_cuts_text(
    visit: Any, sample_site_url: str, types: dict[str, str]
) -> None:
    tab = visit(PHONE)
    wide, cut = {}, {}
    for name, path in types.items():
        tab.open(sample_site_url + path, not_found=name == "404")
        too_wide = sideways(tab.page)
        if too_wide:
            wide[name] = too_wide
        truncated = tab.page.evaluate(
            """() => [...document.querySelectorAll('.md-content *')]
                .filter(e => getComputedStyle(e).textOverflow === 'ellipsis'
                        && e.scrollWidth > e.clientWidth)
                .map(e => e.textContent.trim()).concat(
                [...document.querySelectorAll('.md-content svg text')]
                .map(t => t.textContent).filter(t => t.endsWith('…')))"""
        )
        if truncated:
            cut[name] = truncated[:3]
    assert wide == {} and cut == {}
    assert tab.problems == []


# The folds a reader opens on a phone: abstracts (open on day pages, folded elsewhere) and
# BibTeX entries. Figures are left folded: they would be fetched from Hugging Face.
OPEN_FOLDS = (
    "document.querySelectorAll('details:not(.pa-card__media)').forEach(d => { d.open = true; })"
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_day_or_topic_page_scrolls_sideways_on_a_phone(
    visit: Any, sample_site: Project, sample_site_url: str, scheme: str
) -> None:
    pages = day_and_topic_pages(sample_site.site)
    days = {
        f"days/{f.stem[:4]}/{f.stem[5:7]}/{f.stem[8:]}/"
        for f in sample_site.papers_dir.glob("*/*/*.yaml")
    }
    assert days and {p for p in pages if p.startswith("days/")} == days
    assert any(p.startswith("topics/") and p.count("/") == 2 for p in pages)
    tab = visit(PHONE, scheme)  # one tab for every page: each page only loads and lays out
    wide = {}
    for path in pages:
        tab.page.goto(sample_site_url + path, wait_until="load")
        too_wide = sideways(tab.page)
        tab.page.evaluate(OPEN_FOLDS)
        too_wide = too_wide or sideways(tab.page)
        if too_wide:
            wide[path] = too_wide
    palette = tab.page.locator("body").get_attribute("data-md-color-scheme")
    assert palette == ("slate" if scheme == "dark" else "default")
    assert wide == {}, "\n".join(f"{path}: {why}" for path, why in wide.items())


def test_the_charts_text_is_readable_on_a_phone(visit: Any, sample_site_url: str) -> None:
    tab = visit(PHONE)
    tab.open(sample_site_url + "stats/")
    heights = tab.page.evaluate(
        "() => [...document.querySelectorAll('svg.pa-chart text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 10  # CSS px: drawn at 10px, never scaled down


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_or_console_error_on_any_page_type(
    visit: Any, sample_site_url: str, types: dict[str, str], axe_source: str, scheme: str
) -> None:
    tab = visit(DESKTOP, scheme)
    found = {}
    for name, path in types.items():
        tab.open(sample_site_url + path, not_found=name == "404")
        palette = tab.page.locator("body").get_attribute("data-md-color-scheme")
        assert palette == ("slate" if scheme == "dark" else "default"), name
        violations = tab.axe(axe_source)
        if violations:
            found[name] = violations
    assert found == {}
    assert tab.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_dialog_has_no_serious_accessibility_violation(
    visit: Any, sample_site_url: str, axe_source: str, scheme: str
) -> None:
    tab = visit(DESKTOP, scheme)
    tab.open(sample_site_url)
    tab.page.click("[data-almanac-search-open]")
    tab.page.keyboard.type("reasoning")
    tab.page.locator("dialog .pa-search__status").filter(has_text=re.compile("found")).wait_for()
    assert tab.page.locator("dialog .pa-result").count() > 0
    assert tab.axe(axe_source, "dialog.pa-dialog") == []
    assert tab.problems == []


def test_the_skip_link_is_the_first_tab_stop_and_leads_to_the_papers(
    visit: Any, sample_site_url: str, types: dict[str, str]
) -> None:
    tab = visit()
    for name in ("home", "day"):
        tab.open(sample_site_url + types[name])
        tab.page.keyboard.press("Tab")
        focused = tab.page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to content", name
        tab.page.keyboard.press("Enter")
        # The next tab stop is inside the content: the first card's first link, or earlier.
        tab.page.keyboard.press("Tab")
        inside = tab.page.evaluate(
            "document.getElementById('pa-content').contains(document.activeElement)"
        )
        assert inside, name


@pytest.mark.parametrize("mount", SAMPLE_MOUNTS)
def test_the_404_page_is_styled_and_its_links_work_wherever_the_site_is_served(
    visit: Any, sample_site_url: str, mount: str
) -> None:
    tab = visit()
    root = sample_site_url.replace(f"/{SAMPLE_MOUNTS[0]}/", f"/{mount}/")
    missing = root + "days/2031/13/"
    tab.open(missing, not_found=True)
    assert tab.page.evaluate("document.baseURI") == root
    # Material's stylesheet is applied (its header is fixed-height, coloured), not raw HTML.
    assert tab.page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    tab.page.locator("a.md-nav__link", has_text="Days").first.click()
    tab.page.wait_for_url(root + "days/")
    assert tab.page.locator("h1").inner_text() == "All days"
    assert tab.problems == []


def test_the_html_checker_finds_no_error_on_any_page_type(
    sample_site: Project, types: dict[str, str]
) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        unavailable(f"java or {VNU} not found (install a JRE; run `make browser-tools`)")
    site = sample_site.site
    files = sorted(
        {
            str(site / "404.html")
            if name == "404"
            else str(site / path.split("?")[0] / "index.html")
            for name, path in types.items()
        }
    )
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{os.path.relpath(m.get('url', '?').removeprefix('file:'), site)}"
        f":{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors[:20])
