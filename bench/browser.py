"""How many bytes a search downloads, measured in headless Chromium on a built site.

The site is served the way GitHub Pages serves it: HTML, CSS, JavaScript and JSON
gzip-compressed, everything else (the word index's and Pagefind's files, compressed at
rest) as is. The server counts the bytes it sends; a search's cost is everything sent
from the first key press until the results are on screen, in a fresh browser (empty
cache).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[tuple[str, int]] = []

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            out, self.sent = self.sent, []
        return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    counter: _Counter

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix in _COMPRESSED
            and path.is_file()
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.counter.add(self.path, len(body))
            return
        size = path.stat().st_size if path.is_file() else 0
        super().do_GET()
        self.counter.add(self.path, size)


@contextmanager
def serve_site(site: Path) -> Iterator[tuple[str, _Counter]]:
    counter = _Counter()
    handler = type("Handler", (_Handler,), {"counter": counter})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", counter
    finally:
        server.shutdown()
        server.server_close()


# (label, filters to choose on the search page, then words to type or None)
SEARCHES: list[tuple[str, dict[str, str], str | None]] = [
    ("one common word", {}, "video"),
    ("two words", {}, "reward model"),
    ("rare word of a recent paper", {}, "{rare}"),
    ("rare word of the oldest day only", {}, "{oldest}"),
    ("author name", {}, "{author}"),
    ("an old paper's exact title", {}, "{title}"),
    ("an author's full name (3-6 papers)", {}, "{fullname}"),
    ("topic filter, no words", {"topic": "{topic}"}, None),
    ("words, newest first", {"sort": "date:desc"}, "diffusion"),
    ("words in one year", {"year": "{year}"}, "agent"),
    ("words, most upvoted", {"sort": "upvotes:desc"}, "video"),
]


# On an archive an arXiv feed lists papers of (bench/search.py --listed): its filters.
LISTED_SEARCHES: list[tuple[str, dict[str, str], str | None]] = [
    ("category filter, no words", {"category": "cs.RO"}, None),
    ("words in a category", {"category": "cs.CV"}, "video"),
    ("words from one source", {"source": "arxiv"}, "reward model"),
]


def measure_searches(
    site: Path, fill: dict[str, str], *, listed: bool = False
) -> list[dict[str, Any]]:
    """Bytes sent for the page, then for each search, in a fresh browser each time."""
    from playwright.sync_api import sync_playwright

    results = []
    with serve_site(site) as (base, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for label, selects, words in SEARCHES + (LISTED_SEARCHES if listed else []):
                chosen = {k: v.format(**fill) for k, v in selects.items()}
                typed = words.format(**fill) if words else None
                results.append(_one(browser, base, counter, label, chosen, typed))
        finally:
            browser.close()
    return results


def _one(
    browser: Any,
    base: str,
    counter: _Counter,
    label: str,
    selects: dict[str, str],
    words: str | None,
) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(base + "search/")
        page.wait_for_load_state("networkidle")
        page_bytes = sum(size for _, size in counter.take())
        page.locator(".pa-search__form input[type=search]").click()  # loads the manifest
        for name, value in selects.items():
            page.locator(f"select[name={name}] option[value='{value}']").wait_for(state="attached")
            page.select_option(f"select[name={name}]", value)
        if words is not None:
            field = page.locator(".pa-search__form input[type=search]")
            field.press_sequentially(words[:-1], delay=60)
            typed = time.perf_counter()
            field.press(words[-1])
        else:
            typed = time.perf_counter()
        _wait_for_results(page)
        first = time.perf_counter() - typed
        page.wait_for_load_state("networkidle")
        sent = counter.take()
        status = page.locator(".pa-search__status").inner_text()
        shown = page.locator(".pa-result").count()
    finally:
        context.close()
    return {
        "label": label,
        "query": words or "",
        "filters": selects,
        "status": status,
        "shown": shown,
        "page_kb": page_bytes / 1024,
        "search_kb": sum(size for _, size in sent) / 1024,
        # From the last key press (or the last filter chosen) to the results on screen,
        # the search page's 200 ms pause after typing included.
        "first_results_s": first,
        "requests": len(sent),
        "shards": len({m.group(1) for p, _ in sent if (m := re.search(r"/(\d{4}-q\d)/", p))}),
    }


def _wait_for_results(page: Any) -> None:
    page.wait_for_function(
        """() => {
          const s = document.querySelector('.pa-search__status');
          const text = s ? s.textContent : '';
          return text && !text.startsWith('Searching') && !text.startsWith('Type a word');
        }"""
    )
