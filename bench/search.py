"""What a reader means, measured in headless Chromium on a synthetic archive of real text:
bytes and time per search, and how often an exact title comes first and an author's
papers all come in the first ten. Writes bench/SEARCH.md and bench/search.json.

    python -m bench.search --papers 30000 --work /tmp/bench-search [--baseline REV]

`--baseline REV` measures the same searches, on the same site in the same run, with the
search page of git revision REV (its assets/almanac/search.js swapped in), so the report
sets the search as it is against the one before it; REV must read the same search index
(e303293 or later). bench/search_scale.py sets the search against an older design, each
side on its own site.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import measure
from bench.browser import CHROMIUM, CHROMIUM_ARGS, measure_searches, serve_site
from bench.run import search_fill
from bench.workspace import make_project
from generator.progress import Progress
from generator.project import Project
from generator.site import load as inputs
from generator.site.arranged import Archive
from generator.site.build import build_site
from generator.site.buildfolder import BuildFolder
from generator.site.render import catalog
from generator.site.render.search import SEARCH_FOLDER
from generator.site.render.urls import paper_url

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = 17
DRAWN = 40
TYPICAL_KB = 300
ANY_KB = 600
FIRST_RESULTS_S = 1.0


def drawn(archive: Archive) -> tuple[list[tuple[str, str]], list[tuple[str, set[str]]]]:
    """DRAWN titles no other paper has (with their permalinks), and DRAWN authors with 3
    to 6 papers (with theirs), by a fixed seed."""
    count: dict[str, int] = defaultdict(int)
    by_author: dict[str, set[str]] = defaultdict(set)
    for entry in archive.entries.values():
        count[entry.paper.title.casefold()] += 1
        for name in entry.paper.authors:
            by_author[name].add(paper_url(entry.paper.id, entry.paper.day))
    titles = sorted(
        (e.paper.title, paper_url(e.paper.id, e.paper.day))
        for e in archive.entries.values()
        if count[e.paper.title.casefold()] == 1
    )
    authors = sorted((n, p) for n, p in by_author.items() if 3 <= len(p) <= 6)
    rng = random.Random(SEED)
    return rng.sample(titles, min(DRAWN, len(titles))), rng.sample(
        authors, min(DRAWN, len(authors))
    )


def ranking(site: Path, archive: Archive) -> dict[str, Any]:
    """Titles and authors through the search page, one fresh page each."""
    from playwright.sync_api import sync_playwright

    titles, authors = drawn(archive)
    out: dict[str, Any] = {"titles": len(titles), "authors": len(authors)}
    with serve_site(site) as (base, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        page.set_default_timeout(180_000)
        try:
            first = in_twenty = zero = 0
            for title, url in titles:
                status, found = _search(page, base, title)
                first += bool(found) and found[0] == url
                in_twenty += url in found[:20]
                zero += status.startswith("0 papers found") or " 0 papers found" in status
            complete = share = 0.0
            for name, urls in authors:
                _status, found = _search(page, base, name)
                complete += urls <= set(found[:10])
                share += len(urls & set(found[:10])) / len(urls)
            counter.take()
        finally:
            browser.close()
    out.update(
        title_first=first,
        title_in_20=in_twenty,
        title_zero_found=zero,
        author_all_in_10=int(complete),
        author_share_in_10=share / len(authors),
    )
    return out


def _search(page: Any, base: str, query: str) -> tuple[str, list[str]]:
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_function(
        """() => {
          const s = document.querySelector('.pa-search__status');
          const text = s ? s.textContent : '';
          return text && !text.startsWith('Searching');
        }"""
    )
    status = str(page.locator(".pa-search__status").inner_text())
    hrefs = page.locator(".pa-result__title a").evaluate_all("els => els.map(e => e.href)")
    return status, [h.removeprefix(base) for h in hrefs]


def measure_site(
    site: Path, archive: Archive, project: Project, *, listed: bool = False
) -> dict[str, Any]:
    return {
        "searches": measure_searches(site, search_fill(project), listed=listed),
        "ranking": ranking(site, archive),
    }


def with_search_page(site: Path, rev: str) -> Path:
    """Swap in the search page of git revision `rev`; returns the file to restore."""
    target = site / "assets" / "almanac" / "search.js"
    saved = target.with_suffix(".js.now")
    shutil.copy2(target, saved)
    old = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:docs/assets/almanac/search.js"],
        capture_output=True,
        check=True,
    ).stdout
    target.unlink()  # hard-linked from the build: write a new file, not through the link
    target.write_bytes(old)
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--papers", type=int, default=30_000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--baseline", help="git revision whose search page to measure too")
    parser.add_argument(
        "--listed",
        type=float,
        default=0.0,
        help="share of papers an arXiv feed lists too, with categories; their filters are "
        "measured (the report goes to SEARCH-listed.md)",
    )
    args = parser.parse_args()
    root = args.work / (f"n{args.papers}" + (f"-listed{args.listed}" if args.listed else ""))
    if (root / "site" / "search" / "index.html").is_file():
        project = Project(root)
        # A project kept from an earlier run: this checkout's search page and theme.
        shutil.copytree(REPO / "docs" / "assets", root / "docs" / "assets", dirs_exist_ok=True)
        shutil.copytree(REPO / "overrides", root / "overrides", dirs_exist_ok=True)
    else:
        project = make_project(root, args.papers, listed=args.listed)
    build_site(project, Progress(quiet=True))  # nothing to do when it was built already
    archive = inputs.load(project, BuildFolder(project)).archive
    catalogs = [project.site / SEARCH_FOLDER / tree for tree, _ in catalog.segments(archive)]
    result: dict[str, Any] = {
        "papers": archive.total,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": measure.machine(),
        "catalog_mb": sum(_size(p) for p in catalogs) / 1e6,
        "catalog_files": sum(1 for c in catalogs for p in c.rglob("*") if p.is_file()),
        "index_mb": _size(project.site / SEARCH_FOLDER) / 1e6,
        "site_mb": _size(project.site) / 1e6,
    }
    result["listed"] = args.listed
    result["now"] = measure_site(project.site, archive, project, listed=bool(args.listed))
    if args.baseline:
        saved = with_search_page(project.site, args.baseline)
        try:
            result["baseline"] = {
                "rev": args.baseline,
                **measure_site(project.site, archive, project),
            }
        finally:
            saved.replace(project.site / "assets" / "almanac" / "search.js")
    name = "SEARCH-listed" if args.listed else "SEARCH"
    (HERE / f"{name.lower()}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    (HERE / f"{name}.md").write_text(report(result))
    print((HERE / f"{name}.md").read_text())


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def report(r: dict[str, Any]) -> str:
    now, base = r["now"], r.get("baseline")
    rank = now["ranking"]
    out = [
        "# Search: what a reader means",
        "",
        f"- Command: `python -m bench.search --papers {r['papers']}"
        + (f" --listed {r['listed']}" if r.get("listed") else "")
        + (f" --baseline {base['rev']}`" if base else "`")
        + " (`make bench-search`)",
        f"- Machine: {_machine(r['machine'])}; {r['date']}",
        f"- Archive: bench/synth.py, {r['papers']:,} papers of real text; site "
        f"{r['site_mb']:,.1f} MB, of which the catalog {r['catalog_mb']:.1f} MB "
        f"({r['catalog_files']:,} files), the whole search index {r.get('index_mb', 0):.1f} MB"
        + (
            f"; {r['listed']:.0%} of the papers an arXiv feed lists too, with 1-3 categories"
            if r.get("listed")
            else ""
        ),
        "",
        "## Titles and authors",
        "",
        f"{rank['titles']} titles and {rank['authors']} authors with 3 to 6 papers, drawn "
        f"with seed {SEED}, each typed into `/search/?q=`"
        + (
            f"; the baseline is the search page of `{base['rev']}` on the same site."
            if base
            else "."
        ),
        "",
    ]
    rows = [
        ("exact title ranked first", "title_first", rank["titles"]),
        ("exact title in the first 20", "title_in_20", rank["titles"]),
        ('a title query showing "0 papers found"', "title_zero_found", rank["titles"]),
        ("all of an author's papers in the first 10", "author_all_in_10", rank["authors"]),
    ]
    head = ["", "now"] + (["baseline"] if base else [])
    out += [_row(head), _row(["---"] * len(head))]
    for label, key, total in rows:
        cells = [label, f"{now['ranking'][key]} of {total}"]
        if base:
            cells.append(f"{base['ranking'][key]} of {total}")
        out.append(_row(cells))
    share = [f"{now['ranking']['author_share_in_10']:.0%}"]
    if base:
        share.append(f"{base['ranking']['author_share_in_10']:.0%}")
    out.append(_row(["share of an author's papers in the first 10", *share]))
    out += [
        "",
        "## Bytes and time per search",
        "",
        f"Budget: a typical search ≤ {TYPICAL_KB} KB, any search ≤ {ANY_KB} KB, first results "
        f"≤ {FIRST_RESULTS_S:.0f} s (from the last key press, the page's 200 ms pause included). "
        "Fresh browser each, gzip as GitHub Pages serves it.",
        "",
    ]
    head = ["search", "typed / chosen", "KB", "first results s", "requests", "status"]
    if base:
        head[3:3] = ["KB, baseline"]
    out += [_row(head), _row(["---"] * len(head))]
    old = {s["label"]: s for s in base["searches"]} if base else {}
    for s in now["searches"]:
        cells = [
            s["label"],
            f"`{s['query']}`" + (f" {s['filters']}" if s["filters"] else ""),
            f"{s['search_kb']:,.0f}",
        ]
        if base:
            b = old.get(s["label"])
            cells.append(f"{b['search_kb']:,.0f}" if b else "–")
        cells += [f"{s['first_results_s']:.2f}", str(s["requests"]), s["status"]]
        out.append(_row(cells))
    worst_any = max(s["search_kb"] for s in now["searches"])
    typical = [s for s in now["searches"] if "upvoted" not in s["label"]]
    worst_typical = max(s["search_kb"] for s in typical)
    slowest = max(s["first_results_s"] for s in now["searches"])
    out += [
        "",
        f"- typical searches: at most {worst_typical:,.0f} KB "
        f"({'holds' if worst_typical <= TYPICAL_KB else '**does not hold**'})",
        f"- any search: at most {worst_any:,.0f} KB "
        f"({'holds' if worst_any <= ANY_KB else '**does not hold**'})",
        f"- first results: at most {slowest:.2f} s "
        f"({'holds' if slowest <= FIRST_RESULTS_S else '**does not hold**'})",
        "",
    ]
    return "\n".join(out)


def _machine(m: dict[str, Any]) -> str:
    return f"{m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gb')} GB"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


if __name__ == "__main__":
    main()
