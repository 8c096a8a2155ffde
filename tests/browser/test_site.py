"""The built fixture site in headless Chromium: browse, search, filter, follow, escape."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, PageWatch

pytestmark = pytest.mark.browser

HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"


def result_titles(page: Any, scope: str = "") -> list[str]:
    return [t.strip() for t in page.locator(f"{scope} .pa-result__title").all_inner_texts()]


def wait_for_status(page: Any, pattern: str, scope: str = "") -> None:
    page.locator(f"{scope} .pa-search__status").filter(has_text=re.compile(pattern)).wait_for()


def test_search_filter_follow_dark_mode_and_next_day(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Paper Almanac"
    # Search from the header: the dialog opens on any page.
    page.click("[data-almanac-search-open]")
    dialog = page.locator("dialog.pa-dialog")
    assert dialog.is_visible()
    page.keyboard.type("zebrafish")
    wait_for_status(page, "3 papers found", "dialog")
    assert "Segment Anything in Zebrafish Microscopy Video" in result_titles(page, "dialog")
    # The full search page keeps the words; a topic filter narrows the results.
    dialog.locator("a.pa-dialog__full").click()
    page.wait_for_url(re.compile(r"/search/\?q=zebrafish$"))
    wait_for_status(page, "3 papers found")
    # The topic is chosen, and carried in the address, by its slug.
    page.select_option("select[name=topic]", "vision")
    wait_for_status(page, "^1 paper found")
    assert result_titles(page) == ["Segment Anything in Zebrafish Microscopy Video"]
    assert page.url.endswith("/search/?q=zebrafish&topic=vision")
    # The result lands on the paper's anchor on its day page.
    page.locator(".pa-result__title a").first.click()
    page.wait_for_url(re.compile(r"/days/2026/01/02/#2601\.00102$"))
    card = page.locator("article[id='2601.00102']")
    card.wait_for()
    page.wait_for_function(
        "() => document.getElementById('2601.00102').getBoundingClientRect().top < 400"
    )
    assert card.is_visible()
    # Dark mode, then the next day.
    page.click("label[title='Switch to dark mode']")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    page.locator("a.pa-pager__next").first.click()
    page.wait_for_url(re.compile(r"/days/2026/01/05/$"))
    assert page.locator("h1").inner_text() == "Papers of Monday, 5 January 2026"
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert watch.dialogs == [] and watch.errors == []


def test_the_search_page_offers_the_whole_archives_filters_with_counts(
    page: Any, site_url: str
) -> None:
    page.goto(site_url + "search/")
    topics = page.locator("select[name=topic] option")
    topics.nth(1).wait_for(state="attached")
    assert sorted(topics.all_inner_texts()) == [
        "Agents (2)",
        "All topics",
        "Other (4)",
        "Reasoning (3)",
        "Vision & <Images> (2)",
    ]
    years = page.locator("select[name=year] option").all_inner_texts()
    assert years == ["All years", "2026", "2025"]
    page.goto(site_url + "search/?q=zebrafish")
    wait_for_status(page, "^3 papers found")
    page.select_option("select[name=year]", "2025")
    wait_for_status(page, "^2 papers found")


def test_sorting_by_upvotes_and_date_on_the_search_page(page: Any, site_url: str) -> None:
    # The three papers are in two months of two years.
    page.goto(site_url + "search/?q=zebrafish&sort=upvotes:desc")
    wait_for_status(page, "3 papers found")
    upvotes = page.locator(".pa-result__meta").all_inner_texts()
    assert [int(re.search(r"(\d+) upvotes", u).group(1)) for u in upvotes] == [88, 41, 17]
    assert result_titles(page)[0] == "Segment Anything in Zebrafish Microscopy Video"
    page.select_option("select[name=sort]", "date:asc")
    page.wait_for_function(
        "() => document.querySelector('.pa-result__title')"
        "?.textContent.startsWith('Chain-of-Thought')"
    )
    days = page.locator(".pa-result__meta").all_inner_texts()
    assert [d.split(" · ")[0] for d in days] == [
        "Featured 30 Dec 2025",
        "Featured 31 Dec 2025",
        "Featured 2 Jan 2026",
    ]
    page.select_option("select[name=sort]", "date:desc")
    page.wait_for_function(
        "() => document.querySelector('.pa-result__meta')?.textContent.startsWith('Featured 2 Jan')"
    )
    page.select_option("select[name=year]", "2025")
    page.select_option("select[name=month]", "2025-12")
    wait_for_status(page, "2 papers found")


def test_a_filter_without_words_lists_its_papers_newest_first(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/?topic=reasoning")
    wait_for_status(page, "^3 papers found")
    metas = page.locator(".pa-result__meta").all_inner_texts()
    days = [datetime.strptime(m.split(" · ")[0], "Featured %d %b %Y") for m in metas]
    assert days == sorted(days, reverse=True) and days[-1].year == 2025
    assert page.locator(".pa-result__excerpt").count() == 0  # no words, nothing to excerpt
    page.select_option("select[name=year]", "2025")
    wait_for_status(page, "^1 paper found")


def test_hostile_title_is_text_on_the_day_page_and_in_search(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url + "days/2026/01/02/")
    heading = page.locator("article[id='2601.00101'] h2")
    heading.locator(".katex").wait_for()  # its $x_1$ is math: see test_math.py
    title = heading.evaluate(
        """h => { const copy = h.cloneNode(true);
            copy.querySelectorAll('.pa-math').forEach(m =>
                m.replaceWith('$' + m.querySelector('annotation').textContent + '$'));
            return copy.textContent; }"""
    )
    assert title == HOSTILE
    assert page.locator("article[id='2601.00101'] script").count() == 0
    assert page.locator("article[id='2601.00101'] img").count() == 0
    page.goto(site_url + "search/?q=alert")
    wait_for_status(page, "paper")
    assert HOSTILE in result_titles(page)
    assert page.locator(".pa-search__results script, .pa-search__results img").count() == 0
    excerpt = page.locator(".pa-result__excerpt").first.inner_text()
    assert "<script>alert(1)</script>" in excerpt
    page.goto(site_url + "topics/vision/")
    assert page.title() == "Vision & <Images> - Paper Almanac"
    page.wait_for_timeout(300)
    assert watch.dialogs == [] and watch.errors == []


def test_an_old_address_with_a_topic_name_still_filters_and_becomes_the_slug(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url + "search/?q=zebrafish&topic=Vision+%26+%3CImages%3E")
    wait_for_status(page, "^1 paper found")
    assert result_titles(page) == ["Segment Anything in Zebrafish Microscopy Video"]
    assert page.locator("select[name=topic]").input_value() == "vision"
    assert page.url.endswith("/search/?q=zebrafish&topic=vision")
    # A topic that is neither a slug nor a name is no filter.
    page.goto(site_url + "search/?q=zebrafish&topic=nonesuch")
    wait_for_status(page, "^3 papers found")
    assert page.locator("select[name=topic]").input_value() == ""
    assert watch.errors == []


def test_result_topics_are_a_list_of_one_item_per_topic(page: Any, site_url: str) -> None:
    page.goto(site_url + "search/?topic=agents")
    wait_for_status(page, "^2 papers found")
    result = page.locator(".pa-result").filter(
        has_text="Vision-Language Agents for Robotic Manipulation"
    )
    topics = result.locator("ul.pa-result__topics")
    assert topics.get_attribute("aria-label") == "Topics"
    assert sorted(topics.locator("li").all_inner_texts()) == ["Agents", "Vision & <Images>"]
    assert "Topics:" not in result.inner_text()


def test_a_topic_name_with_a_comma_is_one_item_of_the_result_topics(
    page: Any, sample_site_url: str
) -> None:
    # The sample archive's real taxonomy: "Retrieval, memory & recommendation".
    name = "Retrieval, memory & recommendation"
    page.goto(sample_site_url + "search/?topic=retrieval")
    wait_for_status(page, "papers? found")
    assert page.locator("select[name=topic] option:checked").inner_text().startswith(name)
    lists = page.locator(".pa-result ul.pa-result__topics")
    assert lists.count() == page.locator(".pa-result").count() > 0
    for i in range(lists.count()):
        items = [t.strip() for t in lists.nth(i).locator("li").all_inner_texts()]
        assert name in items
        assert "memory & recommendation" not in items and "Retrieval" not in items
    assert "topic=retrieval" in page.url


def focused(page: Any) -> str:
    """What has the focus: "input" for the search field, else a result link's href."""
    return str(
        page.evaluate(
            """() => { const a = document.activeElement;
                return a.type === "search" ? "input" : a.getAttribute("href"); }"""
        )
    )


def test_in_the_dialog_the_arrows_move_through_the_results_and_enter_opens_one(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url + "topics/")
    page.keyboard.press("/")
    page.locator("dialog.pa-dialog input[type=search]").wait_for()
    page.keyboard.type("zebrafish")
    wait_for_status(page, "^3 papers found", "dialog")
    links = page.locator("dialog .pa-result__title a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 3
    page.keyboard.press("ArrowDown")
    assert focused(page) == hrefs[0]
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page) == hrefs[2]
    page.keyboard.press("ArrowDown")  # the last stays
    assert focused(page) == hrefs[2]
    page.keyboard.press("ArrowUp")
    assert focused(page) == hrefs[1]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # from the first, back to the field
    assert focused(page) == "input"
    assert page.locator("dialog input[type=search]").input_value() == "zebrafish"
    # Enter in the field opens the first result.
    page.keyboard.press("Enter")
    page.wait_for_url(hrefs[0] or "")
    assert not page.locator("dialog.pa-dialog").is_visible()
    assert watch.dialogs == [] and watch.errors == []


def test_enter_in_the_dialog_without_results_opens_the_full_search(
    page: Any, site_url: str
) -> None:
    page.goto(site_url + "topics/")
    page.click("[data-almanac-search-open]")
    page.keyboard.type("qqqqq")
    wait_for_status(page, "No papers match", "dialog")
    page.keyboard.press("ArrowDown")  # no results: the focus stays in the field
    assert focused(page) == "input"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=qqqqq$"))
    wait_for_status(page, "No papers match")


def test_keyboard_opens_and_closes_search(page: Any, site_url: str) -> None:
    page.goto(site_url + "topics/")
    page.keyboard.press("/")
    field = page.locator("dialog.pa-dialog input[type=search]")
    field.wait_for()
    assert page.evaluate("document.activeElement.type") == "search"
    page.keyboard.type("distill")
    page.locator("dialog .pa-result__title a").first.wait_for()
    page.keyboard.press("Escape")
    assert not page.locator("dialog.pa-dialog").is_visible()


_COLOURS = """(selector) => {
    const el = document.querySelector(selector);
    const backgrounds = [];
    for (let node = el; node; node = node.parentElement) {
        backgrounds.push(getComputedStyle(node).backgroundColor);
    }
    backgrounds.push(getComputedStyle(document.body).backgroundColor);
    return {fg: getComputedStyle(el).color, backgrounds};
}"""


def _rgba(text: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", text)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def _over(top: tuple[float, ...], below: tuple[float, ...]) -> tuple[float, float, float, float]:
    a = top[3]
    return (*(top[i] * a + below[i] * (1 - a) for i in range(3)), 1.0)  # type: ignore[return-value]


def _luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])


def contrast(page: Any, selector: str) -> float:
    found = page.evaluate(_COLOURS, selector)
    background = (255.0, 255.0, 255.0, 1.0)
    for layer in reversed(found["backgrounds"]):
        background = _over(_rgba(layer), background)
    fg = _over(_rgba(found["fg"]), background)
    light, dark = sorted((_luminance(fg), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_in_both_palettes(
    browser: Any, site_url: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + "days/2026/01/")
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        for selector in (
            ".pa-lead",
            ".pa-card__title a",
            ".pa-card__facts li",
            ".pa-card__topics a",
            "td.pa-cal__empty",
            "td.pa-cal__full a",
            ".pa-pager a",
        ):
            ratio = contrast(page, selector)
            assert ratio >= 4.5, f"{scheme}: {selector} has contrast {ratio:.2f}"
    finally:
        context.close()


def test_the_site_also_works_from_the_root_of_a_plain_file_server(
    browser: Any, built_site: Any
) -> None:
    from .conftest import serve_folder

    page = browser.new_page()
    try:
        for base in serve_folder(built_site.site):
            page.goto(base + "search/?q=larvae")
            wait_for_status(page, "1 paper found")
            page.locator(".pa-result__title a").click()
            page.wait_for_url(base + "days/2026/01/02/#2601.00102")
    finally:
        page.close()


@pytest.mark.skipif(os.environ.get("SCREENSHOTS") != "1", reason="set SCREENSHOTS=1 to refresh")
def test_screenshots_for_the_readme(browser: Any, tmp_path: Path) -> None:
    """Home and search of the sample archive in data/ (the fixture if data/ is empty)."""
    from helpers import FIXTURE, QUIET, make_site_project

    from generator.site.build import build_site as build

    from .conftest import serve_folder

    data = REPO / "data"
    if not any((data / "papers").rglob("*.yaml")):
        data = FIXTURE / "data"
    project = make_site_project(tmp_path / "sample", data)
    build(project, QUIET)
    out = REPO / "docs" / "assets" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
    page = context.new_page()
    try:
        for base in serve_folder(project.site):
            page.goto(base)
            page.screenshot(path=str(out / "home.png"))
            page.goto(base + "search/?q=" + os.environ.get("SCREENSHOT_QUERY", "reasoning"))
            wait_for_status(page, "found|match")
            page.screenshot(path=str(out / "search.png"))
    finally:
        context.close()
    assert (out / "home.png").stat().st_size > 10_000
    assert (out / "search.png").stat().st_size > 10_000
