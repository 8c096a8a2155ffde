"""Search at scale, today's design against this checkout's, in one run (issue 31).

    python -m bench.search_scale --papers 10000,30000,100000 --baseline 934c5b2 \
        --work /work/tmp_scale [--out bench/SEARCH-SCALE.md] [--sides baseline,now] \
        [--no-browser-above N] [--keep]

Two sides, as in bench/versus.py: "baseline" is a scratch copy of git revision REV,
"now" a scratch copy of this checkout's files as they are. Each side makes its own
project (its bench/workspace.py: the same synthetic papers of real text) and builds it
with this interpreter, the side's tree first on PYTHONPATH. For each size and side:

1. the index CPU of a first build: the side's own index stage from scratch (`search`,
   else `pagefind`, of its bench/stages.py) less a load of the archive made the same
   way (through an empty build folder);
2. the first build (`bench.stages build`): seconds and CPU, children included;
3. the site's search folder (site/search-index or site/pagefind): files and MB;
4. word searches in headless Chromium through the side's own site (bench/browser.py):
   KB sent (gzip as served), time to first results, requests, the status line;
5. one new day (bench/workspace.add_day), then the index CPU of the daily build: on a
   copy of the project (its site left out), the side's `search_daily` stage, or for
   today's design the build's own path (generate.write_search_records with the memos the
   first build left), less a load made the same way on the same copy; then the daily
   build itself, on the project, which finds its search trees stale as a real day does.

Results are merged by (size, side) into search_scale.json beside the report, so a later
`--sides now` run can be set against an earlier baseline; the report says when each side
was measured and flags sides not measured in the same run. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import measure
from bench.versus import _call, _run
from bench.weight import REPO, code_at

HERE = Path(__file__).resolve().parent
SIDES = ("baseline", "now")
SEARCH_FOLDERS = ("search-index", "pagefind")
ANY_KB = 500


def median_budget_kb(papers: int) -> int:
    """Issue 31: a median ≤ 250 KB at 30,000 papers and ≤ 300 KB at 100,000 (smaller
    archives are held to the 30,000 budget)."""
    return 250 if papers <= 30_000 else 300


# (label, words typed into the search page; {rare}/{oldest} from bench.run.search_fill)
QUERIES: list[tuple[str, str]] = [
    ("diffusion", "diffusion"),
    ("reinforcement learning reward", "reinforcement learning reward"),
    ("gaussian splatting", "gaussian splatting"),
    ("hallucination", "hallucination"),
    ("video generation benchmark", "video generation benchmark"),
    ("video", "video"),
    ("reward model", "reward model"),
    ("agent", "agent"),
    ("medical image segmentation", "medical image segmentation"),
    ("tokenizer", "tokenizer"),
    ("speculative decoding", "speculative decoding"),
    ("protein", "protein"),
    ("rare word of the newest day", "{rare}"),
    ("rare word of the oldest day", "{oldest}"),
]

# The daily index of today's design, as its build makes it (generate.write_search_records
# with the memos the last build left): `load` alone is measured the same way.
_LOAD = """
import json, sys, time
from pathlib import Path
from generator.project import Project
from generator.site import load as inputs
from generator.site.buildfolder import BuildFolder
project = Project(Path(sys.argv[1]))
started = time.perf_counter()
archive = inputs.load(project, BuildFolder(project)).archive
print(json.dumps({"papers": archive.total, "seconds": time.perf_counter() - started}))
"""
_RECORDS_DAILY = """
import json, resource, sys, time
from pathlib import Path
from generator.project import Project
from generator.site import load as inputs
from generator.site.buildfolder import BuildFolder
from generator.site.generate import Memos, write_search_records
from generator.site.render.jobs import keys_for
from generator.site.search_index import IndexJob
from generator.site.siteconf import site_url

def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime

project = Project(Path(sys.argv[1]))
folder = BuildFolder(project)
archive = inputs.load(project, folder).archive
started, cpu0 = time.perf_counter(), cpu()
job = IndexJob(folder)
write_search_records(archive, keys_for(archive, site_url(project)), job, Memos.of(folder).trees)
job.finish()
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_inside": cpu() - cpu0,
                  "shards": len(job.shards)}))
"""
_FILL = """
import json, sys
from pathlib import Path
from generator.project import Project
from bench.run import search_fill
print(json.dumps(search_fill(Project(Path(sys.argv[1])))))
"""


def log(message: str) -> None:
    print(
        f"[{time.strftime('%H:%M:%S')}] {message} (load {measure.load_average():.2f})",
        file=sys.stderr,
        flush=True,
    )


def stages_of(tree: Path) -> set[str]:
    """The stage names in STAGES of `tree`'s bench/stages.py (read, not imported)."""
    module = ast.parse((tree / "bench" / "stages.py").read_text(encoding="utf-8"))
    for node in module.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "STAGES":
            value = node.value
            if isinstance(value, ast.Dict):
                return {k.value for k in value.keys if isinstance(k, ast.Constant)}
    return set()


def _measured(steps: Steps, tree: Path, *args: str) -> dict[str, Any]:
    """One child process with `tree` first on PYTHONPATH, after a quiet machine."""
    started = time.perf_counter()
    busy = measure.wait_for_quiet()
    steps.waited(time.perf_counter() - started)
    m = _run(tree, *args)
    return {
        "s": m.seconds,
        "cpu": m.cpu_seconds,
        "tree_mb": m.peak_tree_mb,
        "busy_cores": busy,
        "output": m.output,
    }


def _fill(tree: Path, project: Path) -> dict[str, str]:
    """The words of bench.run.search_fill; a fixed hash seed, so that its ties (a set's
    order) fall the same way on both sides."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    return measure.run([sys.executable, "-c", _FILL, str(project)], cwd=tree, env=env).output


def _clean(tree: Path, project: Path) -> None:
    _call(tree, project, "clean(Project(p))")


def _size(files: list[Path]) -> int:
    return sum(f.stat().st_size for f in files)


def _files(folder: Path) -> list[Path]:
    return [f for f in folder.rglob("*") if f.is_file()] if folder.is_dir() else []


def site_metrics(site: Path) -> dict[str, Any]:
    """The site's search folder(s), and the whole site: files and MB."""
    folders = {}
    for name in SEARCH_FOLDERS:
        files = _files(site / name)
        if files:
            folders[name] = {"files": len(files), "mb": _size(files) / 1e6}
    every = _files(site)
    return {
        "index": {
            "folders": folders,
            "files": sum(f["files"] for f in folders.values()),
            "mb": sum(f["mb"] for f in folders.values()),
        },
        "site_files": len(every),
        "site_mb": _size(every) / 1e6,
    }


def data_digest(data: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(_files(data)):
        digest.update(path.relative_to(data).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def browser_searches(site: Path, fill: dict[str, str]) -> list[dict[str, Any]]:
    """Each query in a fresh browser, through bench/browser.py's own measure."""
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS, _one, serve_site

    out: list[dict[str, Any]] = []
    with serve_site(site) as (base, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for label, words in QUERIES:
                typed = words.format(**fill)
                try:
                    out.append(_one(browser, base, counter, label, {}, typed))
                except Exception as exc:  # one query's failure is reported
                    counter.take()
                    out.append({"label": label, "query": typed, "error": str(exc)[:300]})
                got = out[-1]
                log(
                    f"  {label} ({typed!r}): "
                    + (
                        f"{got['search_kb']:,.0f} KB, {got['first_results_s']:.2f} s, "
                        f"{got['status']!r}"
                        if "error" not in got
                        else f"error {got['error'][:80]}"
                    )
                )
        finally:
            browser.close()
    return out


class Steps:
    """Wall seconds of each step of one side, logged as they go, and of those the seconds
    spent waiting for a quiet machine."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.seconds: dict[str, float] = {}
        self.waits: dict[str, float] = {}
        self.current = ""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        log(f"{self.label}: {name}")
        self.current = name
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - started
            waited = self.waits.get(name, 0.0)
            log(
                f"{self.label}: {name} done in {self.seconds[name]:.1f} s"
                + (f" ({waited:.1f} s of it waiting for a quiet machine)" if waited > 2.5 else "")
            )

    def waited(self, seconds: float) -> None:
        self.waits[self.current] = self.waits.get(self.current, 0.0) + seconds


def measure_side(
    side: str, tree: Path, papers: int, work: Path, *, browser: bool, keep: bool
) -> dict[str, Any]:
    """Every figure of one side at one size; on a failure, what was measured and the error."""
    project = work / f"project-{side}-n{papers}"
    r: dict[str, Any] = {"papers": papers, "side": side}
    steps = Steps(f"{papers:,} {side}")
    r["steps"] = steps.seconds
    r["waits"] = steps.waits
    stages = stages_of(tree)
    index_stage = "search" if "search" in stages else "pagefind"
    r["index_stage"] = index_stage
    try:
        with steps.step("make the project"):
            _call(tree, project, f"make_project(p, {papers})")
        r["data_digest"] = data_digest(project / "data")
        with steps.step("words for the rare queries"):
            r["fill"] = _fill(tree, project)
        with steps.step("load (bench.stages load)"):
            _clean(tree, project)
            r["load_cold"] = _measured(steps, tree, "-m", "bench.stages", "load", str(project))
        with steps.step("load through an empty build folder"):
            _clean(tree, project)
            r["load_first"] = _measured(steps, tree, "-c", _LOAD, str(project))
        with steps.step(f"index from scratch (stage {index_stage})"):
            _clean(tree, project)
            r["index_first"] = _measured(
                steps, tree, "-m", "bench.stages", index_stage, str(project)
            )
            r["index_first_cpu"] = r["index_first"]["cpu"] - r["load_first"]["cpu"]
        with steps.step("first build"):
            _clean(tree, project)
            r["first"] = _measured(steps, tree, "-m", "bench.stages", "build", str(project))
        r.update(site_metrics(project / "site"))
        if browser:
            with steps.step("searches in Chromium"):
                r["searches"] = browser_searches(project / "site", r["fill"])
        else:
            r["searches"] = None
        with steps.step("add a day"):
            _call(tree, project, "add_day(Project(p))")
        daily = project.with_name(project.name + "-daily")
        with steps.step("daily index, on a copy"):
            shutil.rmtree(daily, ignore_errors=True)
            shutil.copytree(
                project,
                daily,
                symlinks=True,
                ignore=lambda folder, names: ["site"] if Path(folder) == project else [],
            )
            try:
                _run(tree, "-c", _LOAD, str(daily))  # the copy's new files, once
                r["daily_load"] = _measured(steps, tree, "-c", _LOAD, str(daily))
                if "search_daily" in stages:
                    r["daily_index_how"] = "stage search_daily"
                    r["daily_index"] = _measured(
                        steps, tree, "-m", "bench.stages", "search_daily", str(daily)
                    )
                elif "pagefind" in stages:
                    r["daily_index_how"] = "generate.write_search_records, memos of the build"
                    r["daily_index"] = _measured(steps, tree, "-c", _RECORDS_DAILY, str(daily))
                if "daily_index" in r:
                    r["daily_index_cpu"] = r["daily_index"]["cpu"] - r["daily_load"]["cpu"]
            finally:
                shutil.rmtree(daily, ignore_errors=True)
        with steps.step("daily build"):
            r["new_day"] = _measured(steps, tree, "-m", "bench.stages", "build", str(project))
    except Exception as exc:  # the other side and sizes still run
        r["error"] = f"{type(exc).__name__}: {exc}"[:4000]
        log(f"{papers:,} {side}: FAILED: {r['error'][:2000]}")
    finally:
        if not keep:
            shutil.rmtree(project, ignore_errors=True)
    return r


# -- results -------------------------------------------------------------------------


def merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`old` with each (papers, side) that `new` measured replaced by new's, sorted."""
    fresh = {(e["papers"], e["side"]) for e in new}
    kept = [e for e in old if (e["papers"], e["side"]) not in fresh]
    order = {s: i for i, s in enumerate(SIDES)}
    return sorted(kept + new, key=lambda e: (e["papers"], order.get(e["side"], 9), e["side"]))


def read_entries(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return list(json.loads(path.read_text(encoding="utf-8")).get("entries", []))


def write_results(path: Path, entries: list[dict[str, Any]]) -> None:
    text = json.dumps({"entries": entries}, indent=1, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


# -- report --------------------------------------------------------------------------


def _get(entry: dict[str, Any] | None, *keys: str) -> Any:
    value: Any = entry
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _ok(entry: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [s for s in (_get(entry, "searches") or []) if "error" not in s]


def _kbs(entry: dict[str, Any] | None) -> list[float]:
    return [s["search_kb"] for s in _ok(entry)]


def _firsts(entry: dict[str, Any] | None) -> list[float]:
    return [s["first_results_s"] for s in _ok(entry)]


def _per_paper_ms(entry: dict[str, Any] | None) -> float | None:
    cpu = _get(entry, "index_first_cpu")
    return None if cpu is None or entry is None else cpu * 1000 / entry["papers"]


def _stat(values: list[float], how: Callable[[list[float]], float]) -> float | None:
    return how(values) if values else None


# (row label, value of an entry, format)
ROWS: list[tuple[str, Callable[[dict[str, Any] | None], Any], str]] = [
    ("first build, time", lambda e: _get(e, "first", "s"), "{:,.1f} s"),
    ("first build, CPU", lambda e: _get(e, "first", "cpu"), "{:,.1f} s"),
    ("first build, whole-tree peak memory", lambda e: _get(e, "first", "tree_mb"), "{:,.0f} MB"),
    ("index CPU, first build", lambda e: _get(e, "index_first_cpu"), "{:,.1f} s"),
    ("index CPU per paper, first build", _per_paper_ms, "{:.2f} ms"),
    ("one new day, time", lambda e: _get(e, "new_day", "s"), "{:,.1f} s"),
    ("one new day, CPU", lambda e: _get(e, "new_day", "cpu"), "{:,.1f} s"),
    ("index CPU, one new day", lambda e: _get(e, "daily_index_cpu"), "{:,.2f} s"),
    ("index files", lambda e: _get(e, "index", "files"), "{:,}"),
    ("index MB", lambda e: _get(e, "index", "mb"), "{:,.1f} MB"),
    ("site files", lambda e: _get(e, "site_files"), "{:,}"),
    ("site MB", lambda e: _get(e, "site_mb"), "{:,.1f} MB"),
    ("search KB, median", lambda e: _stat(_kbs(e), statistics.median), "{:,.0f} KB"),
    ("search KB, largest", lambda e: _stat(_kbs(e), max), "{:,.0f} KB"),
    ("first results, median", lambda e: _stat(_firsts(e), statistics.median), "{:.2f} s"),
    ("first results, slowest", lambda e: _stat(_firsts(e), max), "{:.2f} s"),
]


def _cell(value: Any, fmt: str) -> str:
    return "–" if value is None else fmt.format(value)


def _ratio(a: Any, b: Any) -> str:
    if a is None or b is None or not a:
        return "–"
    return f"{b / a:.2f}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |"


def verdicts(entry: dict[str, Any]) -> list[str]:
    """The issue's budgets for one side's searches, each holding or not."""
    kbs = _kbs(entry)
    if not kbs:
        return ["no searches measured"]
    limit = median_budget_kb(entry["papers"])
    median, largest = statistics.median(kbs), max(kbs)
    over = [s["label"] for s in _ok(entry) if s["search_kb"] > ANY_KB]
    failed = len(_get(entry, "searches") or []) - len(kbs)

    def held(ok: bool) -> str:
        return "holds" if ok else "**does not hold**"

    out = [
        f"median {median:,.0f} KB ≤ {limit} KB: {held(median <= limit)}",
        f"none over {ANY_KB} KB (largest {largest:,.0f} KB): {held(largest <= ANY_KB)}"
        + (f" (over: {', '.join(over)})" if over else ""),
    ]
    if failed:
        out.append(f"**{failed} search(es) failed**")
    return out


def _who(entry: dict[str, Any]) -> str:
    return f"{entry['side']} ({entry.get('rev', '?')}) on {entry.get('date', '?')}"


def _size_section(papers: int, by_side: dict[str, dict[str, Any]]) -> list[str]:
    base, now = by_side.get("baseline"), by_side.get("now")
    out = [f"## {papers:,} papers", ""]
    out.append("Measured: " + "; ".join(_who(e) for e in by_side.values()) + ".")
    if base and now and base.get("run") != now.get("run"):
        out.append("**The two sides were not measured in the same run.**")
    if base and now and base.get("data_digest") != now.get("data_digest"):
        out.append("**The two sides' synthetic papers differ** (their data/ digests).")
    for e in by_side.values():
        if e.get("error"):
            out.append(f"**{e['side']} failed**: `{e['error'][:600]}`")
    out += ["", "| | baseline | now | now ÷ baseline |", "|---|---|---|---|"]
    for label, value, fmt in ROWS:
        a, b = value(base), value(now)
        out.append(_row([label, _cell(a, fmt), _cell(b, fmt), _ratio(a, b)]))
    out.append("")
    for e in by_side.values():
        out.append(f"- {e['side']}: " + "; ".join(verdicts(e)))
    out += ["", "Searches (default sort, best match; fresh browser each):", ""]
    head = ["query", "KB baseline", "KB now", "first results s baseline", "first results s now"]
    head += ["requests baseline / now", "status baseline", "status now"]
    out += [_row(head), _row(["---"] * len(head))]
    searches = {
        side: {s["label"]: s for s in (_get(e, "searches") or [])} for side, e in by_side.items()
    }
    for label, _words in QUERIES:
        found = {side: searches.get(side, {}).get(label) for side in SIDES}
        typed = {s["query"] for s in found.values() if s}
        name = label if typed == {label} else f"{label}: " + " / ".join(f"`{t}`" for t in typed)

        def val(side: str, key: str, fmt: str, found: dict[str, Any] = found) -> str:
            s = found.get(side)
            if not s:
                return "–"
            if "error" in s:
                return "error" if key != "status" else s["error"][:120]
            return fmt.format(s[key])

        out.append(
            _row(
                [
                    name,
                    val("baseline", "search_kb", "{:,.0f}"),
                    val("now", "search_kb", "{:,.0f}"),
                    val("baseline", "first_results_s", "{:.2f}"),
                    val("now", "first_results_s", "{:.2f}"),
                    f"{val('baseline', 'requests', '{}')} / {val('now', 'requests', '{}')}",
                    val("baseline", "status", "{}"),
                    val("now", "status", "{}"),
                ]
            )
        )
    out += ["", "How each side measured its index:", ""]
    for e in by_side.values():
        folders = ", ".join(
            f"site/{name} ({f['files']:,} files, {f['mb']:.1f} MB)"
            for name, f in (_get(e, "index", "folders") or {}).items()
        )
        out.append(
            f"- {e['side']}: first build's index by stage `{e.get('index_stage', '?')}`; "
            f"the daily one by {e.get('daily_index_how', 'nothing (–)')}; "
            f"search folder: {folders or 'none found'}"
        )
    out += ["", "Wall seconds of each step (of which waiting for a quiet machine):", ""]
    for e in by_side.values():
        waits = e.get("waits") or {}
        steps = " · ".join(
            f"{k} {v:,.1f}" + (f" ({waits[k]:,.1f})" if waits.get(k, 0) > 2.5 else "")
            for k, v in (e.get("steps") or {}).items()
        )
        out.append(f"- {e['side']}: {steps}")
        noisy = [k for k in MEASURED if (_get(e, k, "busy_cores") or 0) > QUIET_CORES]
        if noisy:
            out.append(
                f"- **{e['side']}: the machine was not quiet** (over {QUIET_CORES} cores busy "
                f"elsewhere after the wait) for: {', '.join(noisy)}"
            )
    return [*out, ""]


# The measured steps of an entry, each with the busy cores its wait ended on.
MEASURED = (
    "load_cold",
    "load_first",
    "index_first",
    "first",
    "daily_load",
    "daily_index",
    "new_day",
)
QUIET_CORES = 0.3  # measure.wait_for_quiet's default


NOTES = """\
How it is measured:

- Each side is a scratch copy of its code (bench/weight.code_at) that makes its own
  project of synthetic papers of real text (its bench/workspace.make_project) and runs
  every step in a child process with its tree first on PYTHONPATH; each timed step waits
  for a quiet machine first. CPU is user + system of the process and the children it
  waited for (Pagefind's processes included).
- Index CPU of a first build: the side's index stage from scratch (`search`, else
  `pagefind`, in its bench/stages.py) less the CPU of loading the archive the same way
  (through an empty build folder, which the stage also fills), both after a clean.
- Index CPU of a daily build: after the first build and one new day (add_day), on a copy
  of the project without its site (loaded once, unmeasured, so the copy's day files are
  known by their new inodes), the side's `search_daily` stage, or for today's design its
  build's own path (generate.write_search_records and IndexJob with the memos the first
  build left, so only the quarter of the new day, the top index and the catalog are
  made), less a load of the same copy. The daily build is then measured on the project
  itself, which finds its search trees stale as a real daily build does.
- Searches: each query typed into the search page's field at /search/ in a fresh
  headless Chromium (bench/browser.py), default sort; KB is everything the server sent
  (gzip as GitHub Pages serves it) from the click in the field to the network going
  idle after the results; first results from the last key press (the page's 200 ms
  pause included). Budgets from issue 31: median ≤ 250 KB at 30,000 papers (and below),
  ≤ 300 KB at 100,000, none over 500 KB.
"""


def report(entries: list[dict[str, Any]]) -> str:
    sizes = sorted({e["papers"] for e in entries})
    commands = sorted({e.get("command", "?") for e in entries})
    machines = {json.dumps(e.get("machine", {}), sort_keys=True) for e in entries}
    out = [
        "# Search at scale: today's design and this checkout's",
        "",
        "Made by " + "; ".join(f"`{c}`" for c in commands) + ".",
        "",
    ]
    for m in sorted(machines):
        info = json.loads(m)
        out.append(
            f"- Machine: {info.get('cores')} cores ({info.get('cpu')}), {info.get('memory_gb')} GB"
        )
    dates = sorted({e.get("date", "?") for e in entries})
    out += [f"- Date: {', '.join(dates)}", ""]
    for papers in sizes:
        by_side = {e["side"]: e for e in entries if e["papers"] == papers}
        out += _size_section(papers, by_side)
    return "\n".join([*out, NOTES])


# -- main ----------------------------------------------------------------------------


def _checkout() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain"))
    return f"working tree at {head}" + (", with changes" if dirty else "")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.search_scale", description=__doc__.split("\n")[0]
    )

    def ints(text: str) -> list[int]:
        return [int(s.replace("_", "").replace(",", "")) for s in text.split(",") if s.strip()]

    def sides(text: str) -> list[str]:
        names = [s.strip() for s in text.split(",") if s.strip()]
        unknown = [n for n in names if n not in SIDES]
        if unknown or not names:
            raise argparse.ArgumentTypeError(f"sides are {', '.join(SIDES)}")
        return names

    parser.add_argument("--papers", type=ints, default=[10_000, 30_000, 100_000])
    parser.add_argument("--baseline", help="git revision of today's search (side baseline)")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder")
    parser.add_argument("--out", type=Path, default=HERE / "SEARCH-SCALE.md")
    parser.add_argument("--sides", type=sides, default=list(SIDES))
    parser.add_argument(
        "--no-browser-above",
        type=int,
        default=None,
        metavar="N",
        help="skip the baseline's searches in Chromium above N papers (default: measure all)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the projects afterwards")
    args = parser.parse_args(argv)
    if "baseline" in args.sides and not args.baseline:
        parser.error("--baseline REV is needed to measure the baseline side")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    command = "python -m bench.search_scale " + " ".join(sys.argv[1:] if argv is None else argv)
    results = args.out.with_name("search_scale.json")
    run = time.strftime("%Y-%m-%dT%H:%M:%S")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    # A side's synthetic text comes from ../shared beside its code, as beside the repo's.
    shared = work / "shared"
    if not shared.is_symlink():
        shared.symlink_to(REPO.parent / "shared", target_is_directory=True)
    trees: dict[str, Path] = {}
    revs: dict[str, str] = {}
    for side in args.sides:
        rev = args.baseline if side == "baseline" else None
        shutil.rmtree(work / (rev or "current").replace("/", "_"), ignore_errors=True)
        trees[side] = code_at(rev, work)
        revs[side] = rev or _checkout()
    machine = measure.machine()
    for papers in args.papers:
        for side in args.sides:
            log(f"--- {papers:,} papers, {side} ({revs[side]})")
            browser = not (
                side == "baseline"
                and args.no_browser_above is not None
                and papers > args.no_browser_above
            )
            entry = {
                "rev": revs[side],
                "run": run,
                "date": time.strftime("%Y-%m-%d %H:%M %Z"),
                "command": command,
                "machine": machine,
                **measure_side(side, trees[side], papers, work, browser=browser, keep=args.keep),
            }
            entries = merge(read_entries(results), [entry])
            write_results(results, entries)
            args.out.write_text(report(entries), encoding="utf-8")
    log(f"wrote {args.out} and {results}")


if __name__ == "__main__":
    main()
