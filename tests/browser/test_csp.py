"""The Content-Security-Policy of every page, in Chromium: the site works under it, an
injected inline script is blocked by it, and hostile records stay text with no script run.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import PageWatch, serve_site
from .support import RECORD_VIOLATIONS, violations

pytestmark = pytest.mark.browser

FIXTURE_DATA = Path(__file__).resolve().parents[1] / "fixtures" / "archive" / "data"

PAYLOAD = (
    "<script>window.__pwned = 1; alert('script')</script>"
    " <img src=x onerror=\"window.__pwned = 1; alert('img')\">"
    " <svg onload=alert(1)> javascript:window.__pwned=1"
    " [click](javascript:alert(1)) **bold** _em_ # not a heading"
    " {{ config.site_name }} {% if true %}jinja{% endif %} {# comment #}"
    " &amp; &lt;b&gt; ]]> --> <!-- "
    " - ? : | > ! % @ ` 'single' \"double\" null yes ~ *anchor &ref"
    " \u202etxet desrever\u202c e\u0301\u0302\u0303"
    " \u200f\u0627\u0644\u0639\u0631\u0628\u064a\u0629"
)


def hostile(field: str) -> str:
    return f"{field}: {PAYLOAD}"


HOSTILE_PAPERS: list[dict[str, Any]] = [
    {
        "id": f"2601.0700{n}",
        "day": "2026-01-07",
        "title": hostile(f"title {n}"),
        "abstract": hostile(f"abstract {n}"),
        "authors": [hostile(f"author {n}a"), hostile(f"author {n}b")],
        "ai_summary": hostile(f"summary {n}"),
        "ai_keywords": [hostile(f"keyword {n}a"), hostile(f"keyword {n}b")],
        "organization": hostile(f"organization {n}"),
        "upvotes": 10 - n,
        "links": {
            "arxiv": f"https://arxiv.org/abs/2601.0700{n}",
            "pdf": f"https://arxiv.org/pdf/2601.0700{n}",
        },
    }
    for n in (1, 2)
]


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def csp_page(page: Any) -> Iterator[Any]:
    """The page fixture, recording CSP violations and console errors."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield page


def assert_clean(page: Any, watch: PageWatch) -> None:
    page.wait_for_timeout(200)
    assert violations(page) == []
    assert page.console_errors == []
    assert watch.dialogs == [] and watch.errors == []


def test_every_page_carries_the_policy_without_unsafe_inline_scripts(
    csp_page: Any, site_url: str
) -> None:
    page = csp_page
    for path in ("", "days/2026/01/02/", "search/", "stats/", "404.html"):
        page.goto(site_url + path)
        metas = page.locator('head meta[http-equiv="Content-Security-Policy"]')
        assert metas.count() == 1, path
        policy = metas.get_attribute("content") or ""
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        assert directives["default-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        script_src = directives["script-src"]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert set(script_src) - {"'self'"} <= {s for s in script_src if s.startswith("'sha256-")}
        # The policy comes before anything that could run.
        first = page.evaluate("() => document.head.firstElementChild.outerHTML")
        assert "charset" in first or "Content-Security-Policy" in first
    # An injected inline script is blocked: it does not run, and the browser says why.
    page.goto(site_url + "days/2026/01/02/")
    with pytest.raises(Exception):  # noqa: B017 - Playwright's error for a blocked tag
        page.add_script_tag(content="window.__injected = 1")
    assert page.evaluate("() => window.__injected") is None
    assert any(v.startswith("script-src") for v in violations(page))


def test_the_site_works_under_the_policy(csp_page: Any, site_url: str, watch: PageWatch) -> None:
    page = csp_page
    page.goto(site_url)
    assert page.locator("h1").inner_text() == "Paper Almanac"
    assert_clean(page, watch)
    # A day page with math: KaTeX renders under the policy.
    page.goto(site_url + "days/2026/01/06/")
    page.locator(".katex").first.wait_for()
    assert_clean(page, watch)
    # Search (the catalog and the word index, fetched and inflated) and a filter.
    page.goto(site_url + "search/?q=zebrafish")
    page.locator(".pa-search__status").filter(has_text=re.compile("3 papers found")).wait_for()
    page.select_option("select[name=topic]", "vision")
    page.locator(".pa-search__status").filter(has_text=re.compile("^1 paper found")).wait_for()
    assert_clean(page, watch)
    # The search dialog from the header, then a link to another page.
    page.goto(site_url + "days/")
    page.click("[data-almanac-search-open]")
    page.keyboard.type("zebrafish")
    page.locator("dialog .pa-search__status").filter(has_text="3 papers found").wait_for()
    page.keyboard.press("Escape")
    page.locator("a[href$='stats/']").first.click()
    page.wait_for_url(re.compile(r"/stats/$"))
    page.locator("h1").wait_for()
    assert_clean(page, watch)
    page.goto(site_url + "stats/")
    assert_clean(page, watch)


def test_copy_bibtex_works_under_the_policy(browser: Any, site_url: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(RECORD_VIOLATIONS)
    try:
        page.goto(site_url.replace("127.0.0.1", "localhost") + "days/2026/01/02/")
        card = page.locator("article[id='2601.00102']")
        card.locator("button.pa-cite__copy").click()
        card.locator("button.pa-cite__copy", has_text="Copied").wait_for()
        assert page.evaluate("() => navigator.clipboard.readText()").startswith("@misc{")
        with page.expect_download() as caught:
            page.locator("button.pa-cite__all").click()
        assert caught.value.suggested_filename == "papers-2026-01-02.bib"
        assert violations(page) == [] and errors == []
    finally:
        context.close()


# A 1x1 PNG: what the fake upload CDN answers with.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


def test_a_card_s_figures_load_only_when_opened_and_under_the_policy(
    csp_page: Any, site_url: str, watch: PageWatch
) -> None:
    page = csp_page
    asked: list[str] = []

    def upload(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PIXEL)

    page.route("https://cdn-uploads.huggingface.co/**", upload)
    page.goto(site_url + "days/2025/12/31/")
    media = page.locator("article[id='2512.30001'] details.pa-card__media")
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    assert asked == []  # folded: nothing downloaded, whatever is scrolled into view
    media.locator("summary").click()
    figure = media.locator("img[alt='Figure 1']")
    figure.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 1", arg=figure.element_handle()
    )
    assert [u.rsplit("/", 1)[1] for u in asked] == ["flight-agent.png"]
    assert media.locator("video[preload='none'][aria-label='Video 1']").count() == 1
    assert_clean(page, watch)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture archive plus a day of hostile records, built and served."""
    from helpers import QUIET, make_site_project

    from generator.site.build import build_site as build

    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(FIXTURE_DATA, data)
    day_file = data / "papers" / "2026" / "01" / "2026-01-07.yaml"
    day_file.write_text(
        yaml.safe_dump({"day": "2026-01-07", "papers": HOSTILE_PAPERS}, allow_unicode=True),
        encoding="utf-8",
    )
    project = make_site_project(root / "project", data=data)
    build(project, QUIET)
    yield from serve_site(project.site, root / "www")


def test_hostile_records_run_nothing_and_show_as_text(
    csp_page: Any, hostile_site: str, watch: PageWatch
) -> None:
    page = csp_page
    page.goto(hostile_site + "days/2026/01/07/")
    for paper in HOSTILE_PAPERS:
        card = page.locator(f"article[id='{paper['id']}']")
        card.wait_for()
        assert fold(card.locator(".pa-card__title").inner_text()) == fold(paper["title"])
        assert fold(card.locator(".pa-card__abstract p").first.text_content() or "") == fold(
            paper["abstract"]
        )
        shown = fold(
            card.evaluate(
                """c => { const copy = c.cloneNode(true);
                    copy.querySelectorAll('.pa-card__bib').forEach(b => b.remove());
                    return copy.textContent; }"""
            )
        )
        # The card shows these; keywords and organization only feed search and the data.
        for text in [paper["ai_summary"], *paper["authors"]]:
            assert fold(text) in shown, text
        assert card.locator("script, img, svg:not(.md-icon svg), iframe, object").count() == 0
        assert card.locator("[onerror], [onload], a[href^='javascript:' i]").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert_clean(page, watch)
    # The same records in search results.
    page.goto(hostile_site + "search/?q=keyword")
    page.locator(".pa-search__status").filter(has_text="2 papers found").wait_for()
    page.wait_for_timeout(300)
    titles = [fold(t) for t in page.locator(".pa-result__title").all_inner_texts()]
    assert sorted(titles) == sorted(fold(p["title"]) for p in HOSTILE_PAPERS)
    assert page.locator(".pa-search__results script, .pa-search__results img").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert_clean(page, watch)
