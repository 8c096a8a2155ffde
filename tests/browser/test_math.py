"""Math, BibTeX (a card's copy, a day's download) and feed discovery in headless Chromium,
on the built fixture site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import PageWatch

pytestmark = pytest.mark.browser

STRAY = "a licence costs $5 and $10 a month for "
HOSTILE_HEAD = "<script>alert(1)</script> {{ x }} {% raw %} **b** "


def _annotations(page: Any, selector: str) -> list[str]:
    """The TeX source of each rendered formula (KaTeX keeps it in its MathML)."""
    return page.locator(f"{selector} annotation").all_text_contents()


def test_math_renders_and_stray_dollars_stay_text(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url + "days/2026/01/06/")
    abstract = "article[id='2601.06002'] .pa-card__abstract"
    page.locator(f"{abstract} .katex").first.wait_for()
    assert _annotations(page, abstract) == [r"\mathcal{O}(n^2)", r"O(n \log n)", "k"]
    text = page.locator(f"{abstract} p").evaluate(
        """p => Array.from(p.childNodes)
            .filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.data).join("|")"""
    )
    assert STRAY in text  # the dollars of prices are left as they are
    assert text.endswith(" users.")
    # The vendored fonts and stylesheet load from the site itself.
    fonts = page.evaluate(
        "() => performance.getEntriesByType('resource').map(r => r.name)"
        ".filter(n => n.includes('/assets/vendor/katex/'))"
    )
    assert any(n.endswith("katex.min.js") for n in fonts)
    assert any(n.endswith("katex.min.css") for n in fonts)
    assert all(n.startswith(site_url) for n in fonts)
    assert watch.dialogs == [] and watch.errors == []


def test_math_in_a_hostile_title_is_math_and_the_rest_stays_text(
    page: Any, site_url: str, watch: PageWatch
) -> None:
    page.goto(site_url + "days/2026/01/02/")
    title = "article[id='2601.00101'] h2"
    page.locator(f"{title} .katex").wait_for()
    assert _annotations(page, title) == ["x_1"]
    pieces = page.locator(title).evaluate(
        """h => { const out = []; const walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
            for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                if (!n.parentElement.closest('.katex')) out.push(n.data);
            }
            return out; }"""
    )
    assert pieces == [HOSTILE_HEAD, " ]]>"]
    assert page.locator("article[id='2601.00101'] script").count() == 0
    page.wait_for_timeout(200)
    assert watch.dialogs == [] and watch.errors == []


def test_folded_abstracts_render_when_opened_and_pages_without_math_load_no_katex(
    page: Any, site_url: str
) -> None:
    page.goto(site_url + "topics/reasoning/")
    # By its title: other cards name it too, in their related papers.
    title = page.locator(".pa-card__title", has_text="Tied Upvotes Break By Id")
    card = page.locator("article.pa-card", has=title)
    abstract = card.locator(".pa-card__abstract")
    assert abstract.locator(".katex").count() == 0
    abstract.locator("summary").click()
    abstract.locator(".katex").first.wait_for()
    assert (
        len(
            _annotations(
                page,
                "article.pa-card:has(.pa-card__title:has-text('Tied Upvotes')) .pa-card__abstract",
            )
        )
        == 3
    )
    page.goto(site_url + "about/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.katex") == "undefined"


def test_the_rules_for_dollars(page: Any, site_url: str) -> None:
    page.goto(site_url)
    found = page.evaluate(
        """() => Object.fromEntries([
            "costs $5 and $10 a month", "US$5 and CA$6", "$ x $", "\\\\$x$", "$x$5",
            "we show $x_1$ and $y^2$", "inline \\\\(a+b\\\\)", "$$\\\\sum_i x_i$$",
        ].map(t => [t, window.almanacFindMath(t).map(s => s.tex)]))"""
    )
    assert found == {
        "costs $5 and $10 a month": [],
        "US$5 and CA$6": [],
        "$ x $": [],
        "\\$x$": [],
        "$x$5": [],
        "we show $x_1$ and $y^2$": ["x_1", "y^2"],
        "inline \\(a+b\\)": ["a+b"],
        "$$\\sum_i x_i$$": ["\\sum_i x_i"],
    }


def test_copy_bibtex_puts_the_entry_on_the_clipboard(browser: Any, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        # Clipboard access needs a secure context: localhost is one.
        page.goto(site_url.replace("127.0.0.1", "localhost") + "days/2026/01/02/")
        card = page.locator("article[id='2601.00102']")
        card.locator("button.pa-cite__copy").click()
        card.locator("button.pa-cite__copy", has_text="Copied").wait_for()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied.startswith("@misc{hopper2025-2601.00102,\n")
        assert "  eprint = {2601.00102},\n" in copied
        assert copied == card.locator(".pa-card__bib pre").text_content()
    finally:
        context.close()


def test_a_day_page_saves_every_card_s_bibtex_as_one_file(page: Any, site_url: str) -> None:
    import bibtexparser

    page.goto(site_url + "days/2026/01/02/")
    button = page.locator(".pa-feeds button.pa-cite__all")
    assert button.inner_text() == "BibTeX of every paper"
    with page.expect_download() as caught:
        button.click()
    download = caught.value
    assert download.suggested_filename == "papers-2026-01-02.bib"
    text = Path(download.path()).read_text(encoding="utf-8")
    cards = page.locator(".pa-cards > article.pa-card")
    shown = page.locator(".pa-cards .pa-card__bib pre").all_text_contents()
    assert text == "\n\n".join(shown) + "\n"
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks
    ids = [card.get_attribute("id") for card in cards.all()]
    assert [e.fields_dict["eprint"].value for e in parsed.entries] == ids


def test_pages_link_their_feeds_in_the_head(page: Any, site_url: str) -> None:
    def alternates() -> list[tuple[str, str]]:
        found = page.locator("head link[rel~=alternate]").evaluate_all(
            "links => links.map(l => [l.type, l.href])"
        )
        return [(kind, href) for kind, href in found]

    page.goto(site_url + "topics/vision/")
    links = alternates()
    assert links[:2] == [
        ("application/atom+xml", site_url + "topics/vision/feed.xml"),
        ("application/feed+json", site_url + "topics/vision/feed.json"),
    ]
    assert ("application/atom+xml", site_url + "feed.xml") in links
    page.goto(site_url + "days/2026/01/02/")
    assert alternates() == [
        ("application/atom+xml", site_url + "feed.xml"),
        ("application/feed+json", site_url + "feed.json"),
    ]
    for _, href in links:
        assert page.request.get(href).ok, href
