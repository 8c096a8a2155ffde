"""Headless Chromium (Debian's, driven by Playwright) against the built fixture site.

Without /usr/bin/chromium the tests skip, unless ALMANAC_REQUIRE_BROWSER=1 (CI), where
a missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("ALMANAC_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The site is served under a sub-path, as on GitHub Pages project sites.
MOUNT = "paper-almanac"


def unavailable(reason: str) -> None:
    if os.environ.get("ALMANAC_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (ALMANAC_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} not found (install Debian's chromium package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    from helpers import build_fixture_site

    project, _ = build_fixture_site(tmp_path_factory.mktemp("browser") / "project")
    return project


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # As GitHub Pages does: a missing path under a mounted site answers with its 404.html.
    not_found_pages: ClassVar[dict[str, Path]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = next(
            (p for mount, p in self.not_found_pages.items() if self.path.startswith(mount)), None
        )
        if code != 404 or page is None or self.command != "GET":
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path, not_found: dict[str, Path] | None = None) -> Iterator[str]:
    """folder over HTTP on localhost; not_found maps a path prefix to its 404 page."""
    handler_class = type("Handler", (_QuietHandler,), {"not_found_pages": not_found or {}})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample archive shipped in data/, built as a fresh clone's `make site` builds it."""
    from helpers import QUIET, make_site_project

    from generator.site.build import build_site

    project = make_site_project(tmp_path_factory.mktemp("sample") / "project", REPO / "data")
    build_site(project, QUIET)
    return project


# The sample site under its usual path and under another (as another repository's Pages).
SAMPLE_MOUNTS = ("paper-almanac", "another-name")


@pytest.fixture(scope="session")
def sample_site_url(
    sample_site: Project, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The sample site on localhost under /paper-almanac/ (and /another-name/), answering
    missing paths with its 404 page as GitHub Pages does."""
    root = tmp_path_factory.mktemp("sample-www")
    for mount in SAMPLE_MOUNTS:
        (root / mount).symlink_to(sample_site.site, target_is_directory=True)
    pages = {f"/{mount}/": sample_site.site / "404.html" for mount in SAMPLE_MOUNTS}
    for base in serve_folder(root, pages):
        yield f"{base}{SAMPLE_MOUNTS[0]}/"


def serve_site(site: Path, www: Path) -> Iterator[str]:
    """A built site on localhost under /paper-almanac/ (through the empty folder `www`)."""
    www.mkdir(exist_ok=True)
    (www / MOUNT).symlink_to(site, target_is_directory=True)
    for base in serve_folder(www):
        yield f"{base}{MOUNT}/"


@pytest.fixture(scope="session")
def site_url(built_site: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built fixture site, served on localhost under /paper-almanac/."""
    yield from serve_site(built_site.site, tmp_path_factory.mktemp("www"))


# How far a page reaches past the right edge of its viewport; the element that reaches
# farthest (followed into its child that reaches farthest, while one does), named by its
# tag, classes and the nearest id around it (a card's is its paper's id); and the widest
# unbroken word of the page's text (a URL or id that does not wrap is the usual cause).
_SIDEWAYS_JS = """() => {
  const edge = document.documentElement.clientWidth;
  const width = document.documentElement.scrollWidth;
  if (width <= edge) return null;
  const right = e => e.getBoundingClientRect().right;
  const past = e => e.getBoundingClientRect().width > 0 && right(e) > edge + 0.5;
  const name = e => {
    const classes = typeof e.className === 'string' && e.className.trim()
      ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    const holder = e.parentElement && e.parentElement.closest('[id]');
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : classes)
      + (holder ? ` in #${holder.id}` : '');
  };
  let widest = null;
  for (const e of document.body.querySelectorAll('*')) {
    if (past(e) && (!widest || right(e) > right(widest) + 0.5)) widest = e;
  }
  if (!widest) return `${width} px wide`;
  for (;;) {
    const next = [...widest.children].filter(past).sort((a, b) => right(b) - right(a))[0];
    if (!next) break;
    widest = next;
  }
  const text = (widest.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50);
  let said = `${width} px wide: ${name(widest)} reaches ${Math.round(right(widest))} px`
    + (text ? ` ("${text}")` : '');
  let word = null;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walk.nextNode());) {
    if (!node.parentElement || node.parentElement.closest('pre')) continue;
    for (const m of node.data.matchAll(/\\S{12,}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const w = range.getBoundingClientRect().width;
      if (!word || w > word.w) word = {w, text: m[0], at: node.parentElement};
    }
  }
  if (word) said += `; widest word ${Math.round(word.w)} px in ${name(word.at)}: ${word.text}`;
  return said;
}"""


def sideways(tab: Any) -> str | None:
    """None if the page in tab is no wider than its viewport; else how wide it is and the
    element that reaches farthest past the viewport's right edge."""
    result: str | None = tab.evaluate(_SIDEWAYS_JS)
    return result


class PageWatch:
    """Collects what must never happen on a page: dialogs (alert) and script errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(browser: Any, watch: PageWatch) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    tab = context.new_page()
    tab.set_default_timeout(10_000)

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    from .support import AXE

    if not AXE.is_file():
        unavailable(f"{AXE} not found (run `make browser-tools`)")
    return AXE.read_text(encoding="utf-8")
