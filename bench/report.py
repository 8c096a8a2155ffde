"""bench/RESULTS.md from the measurements of bench/run.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

TARGET_N = 30_000
# What the numbers mean; checked against the runs when this text was written.
NOTES = [
    "Why a target does not hold, and what the numbers say:",
    "",
    "- **Cold build vs the baseline.** Pagefind alone needs about 1.3 ms of CPU per paper "
    "(40 CPU-seconds at 30,000 papers, the Pagefind stage in the CPU table), more than the "
    "baseline's whole build (31 CPU-seconds). On 2 cores a build cannot take less wall "
    "time than half its CPU time, so indexing alone keeps a cold build above half the "
    "baseline's time, whatever else is cut. The rest is already overlapped: quarter shards "
    "are indexed two at a time from a few seconds into the build, beside generation and "
    "MkDocs, and the cold build ends within 10% of its CPU bound (39 s for 71 CPU-seconds). "
    "Pagefind's cost is linear in papers (about 1 ms each for 600 to 7,000 records per "
    "index), half of it indexing the abstracts' words; stemming is not it (an unstemmed "
    "language takes as long), and the binary has no option that trades it away.",
    "- **Daily builds.** Past quarters never change, so a build after one new day "
    "re-indexes one quarter: 2.1× faster than the baseline when the build folder is kept, "
    "as on a machine that builds every day. In CI the publish workflow restores the search "
    "records and indexes from the Actions cache, but checks out data/ anew and has no "
    "docs/ or site/: every day file is parsed again and MkDocs renders every page (about "
    "6 s at 30,000), so it is 1.3× faster. Caching the parsed records too would save about "
    "4 s more; they are pickles, and the workflow loads no pickle from a cache.",
    "- **100,000 papers.** Times grow linearly (cold and daily about 3.4× the 30,000 "
    "figures), so a cold build passes 45 s at about 35,000 papers and the daily build at "
    "about 90,000. Memory holds: generation writes each page as it is rendered (686 MB "
    "peak at 100,000, most of it the archive itself), Pagefind stays near 400 MB a shard, "
    "and everything at once peaks under 2 GB. What breaks: the site passes GitHub Pages' "
    "1 GB (days 444 MB, the JSON API 335 MB, Pagefind 212 MB) and stats/index.html passes "
    "1 MB (one calendar a year, about 90 KB each, and the synthetic archive spans 13 "
    "years at 25 papers a day; the real one grows faster and would hold 100,000 papers "
    "in about 6 years, a 0.5 MB page).",
    "- **Searches.** A search reads the newest quarters first and at most four quarters "
    "per step, so common words cost ~160-190 KB whatever the archive's size. Sorting by "
    "upvotes must search every quarter (1 MB at 30,000, 3 MB at 100,000), because "
    "Pagefind's merged sorting is only per index.",
]


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _ratio(ours: float | None, base: float | None) -> str:
    if not base or not ours:
        return "–"
    return f"{ours / base:.2f} ({base / ours:.1f}× faster)"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


# What each written file is, by the first prefix it starts with (specific ones first).
_GROUPS = (
    ("docs/", "docs/ pages and feeds"),
    (".almanac-build/search/", "search records"),
    (".almanac-build/pagefind/", "search index files"),
    (".almanac-build/", "build caches and stamps"),
    ("site/pagefind/", "site/pagefind (links)"),
    ("site/", "site/ (MkDocs rewrites it all)"),
)


def _groups(paths: list[str]) -> Counter[str]:
    kinds = (next((n for prefix, n in _GROUPS if path.startswith(prefix)), "") for path in paths)
    return Counter(kind for kind in kinds if kind)


def _describe(paths: list[str]) -> str:
    groups = _groups(paths)
    return ", ".join(f"{n:,} {what}" for what, n in groups.items()) or "none"


def _times(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        base = r.get("baseline", {}).get("seconds")
        rows.append(
            [
                f"{r['papers']:,}",
                _s(r["build_cold"]["seconds"]),
                _s(base),
                _ratio(r["build_cold"]["seconds"], base),
                _s(r["build_new_day"]["seconds"]),
                _ratio(r["build_new_day"]["seconds"], base),
                _s(_ci_day(r)),
                _ratio(_ci_day(r), base),
                _s(r["build_noop"]["seconds"]),
                _s(r["generate_noop"]["seconds"]),
            ]
        )
    head = ["papers", "cold build s", "baseline s", "cold ÷ baseline", "daily build s"]
    head += ["daily ÷ baseline", "CI daily build s", "CI daily ÷ baseline"]
    head += ["no-op build s", "no-op generate s"]
    notes = [
        f"{r['papers']:,}: cold builds {', '.join(_s(x) for x in r.get('build_cold_all', []))} s;"
        f" baselines {', '.join(_s(x) for x in r.get('baseline_all', [])) or '–'} s"
        for r in runs
    ]
    return [*_table(head, rows), "", "Every attempt (the fastest counts): " + "; ".join(notes)]


def _ci_day(run: dict[str, Any]) -> float | None:
    found = run.get("build_ci_day")
    return float(found["seconds"]) if found else None


def _cpu(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        if "cpu_seconds" not in r["build_cold"]:
            continue
        stages = [r[k].get("cpu_seconds") for k in ("load", "render", "mkdocs", "pagefind")]
        base = r.get("baseline", {}).get("cpu_seconds")
        rows.append(
            [
                f"{r['papers']:,}",
                _s(r["build_cold"]["cpu_seconds"]),
                _s(base),
                *(_s(x) for x in stages),
                _s(r.get("build_ci_day", {}).get("cpu_seconds")),
            ]
        )
    head = ["papers", "cold build", "baseline", "load", "render + write", "mkdocs", "Pagefind"]
    return _table([*head, "CI daily build"], rows) if rows else ["(not measured in this run)"]


def _inner(run: dict[str, Any]) -> float:
    """The stage's own seconds, measured inside (no interpreter start, no untimed setup)."""
    return float(run["output"].get("seconds", run["seconds"]))


def _stages(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        render = r["render"]["output"]
        parts = [render.get(k) for k in ("render_docs_s", "render_records_s", "write_s")]
        # Since pages are written as they are rendered, the parts are no longer timed apart.
        split = f" ({' + '.join(_s(x) for x in parts)})" if None not in parts else ""
        rows.append(
            [
                f"{r['papers']:,}",
                _s(_inner(r["load"])),
                f"{_s(_inner(r['render']))}{split}",
                _s(_inner(r["mkdocs"])),
                f"{_s(_inner(r['pagefind']))} ({r['pagefind']['output'].get('shards')})",
            ]
        )
    head = ["papers", "load + validate s", "render and write docs/ and the search records s"]
    head += ["mkdocs build s", "Pagefind s (shards)"]
    return _table(head, rows)


def _memory(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        cells = [f"{r['papers']:,}"]
        for key in ("load", "render", "mkdocs", "pagefind", "build_cold"):
            cells.append(f"{_mb(r[key]['peak_rss_mb'])} / {_mb(r[key]['peak_tree_mb'])}")
        cells.append(_mb(r.get("baseline", {}).get("peak_rss_mb")))
        rows.append(cells)
    head = ["papers", "load", "render", "mkdocs", "Pagefind", "complete build", "baseline"]
    return _table(head, rows)


def _sizes(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        s = r["site"]
        base = r.get("baseline", {})
        rows.append(
            [
                f"{r['papers']:,}",
                f"{s['site_mb']:,.0f} ({s['site_files']:,} files)",
                f"{s['pagefind_mb']:,.0f}",
                f"{s['html_kb_per_paper']:.1f}",
                f"{s['largest_page_kb']:,.0f} ({s['largest_page']})",
                str(s["pages_over_1mb"]),
                _mb(base.get("site_mb")) + f" (search index {_mb(base.get('search_index_mb'))})"
                if base
                else "–",
            ]
        )
    head = ["papers", "site/ MB", "of which Pagefind MB", "HTML KB per paper", "largest page KB"]
    head += ["pages > 1 MB", "baseline site MB"]
    parts = [
        f"{r['papers']:,}: "
        + ", ".join(f"{k} {v:,.0f}" for k, v in list(r["site"].get("folders_mb", {}).items())[:6])
        for r in runs
    ]
    return [*_table(head, rows), "", "Biggest folders of site/, MB: " + "; ".join(parts)]


def _incremental(runs: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            f"{r['papers']:,}",
            str(len(r["noop_written"])),
            _describe(r["new_day_written"]),
        ]
        for r in runs
    ]
    return _table(["papers", "files written, nothing new", "files written, one new day"], rows)


def _searches(runs: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for r in runs:
        if "searches" not in r:
            continue
        rows = [
            [
                s["label"],
                f"`{s['query']}`" + (f" {s['filters']}" if s["filters"] else ""),
                f"{s['search_kb']:,.0f}",
                str(s["requests"]),
                str(s["shards"]),
                s["status"],
            ]
            for s in r["searches"]
        ]
        page = r["searches"][0]["page_kb"]
        out += ["", f"**{r['papers']:,} papers** (the search page itself: {page:,.0f} KB)", ""]
        out += _table(["search", "typed / chosen", "KB", "requests", "shards", "status"], rows)
    return out


def _serve(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        for s in r.get("serve", []):
            window = f"last {s['recent_days']} days" if s["recent_days"] else "whole archive"
            rows.append([f"{r['papers']:,}", window, _s(s["first_build_s"]), _s(s["rebuild_s"])])
    return _table(["papers", "preview of", "first build s", "rebuild after one edit s"], rows)


def _new_day_pages(runs: list[dict[str, Any]]) -> list[str]:
    target = next((r for r in runs if r["papers"] == TARGET_N), runs[-1] if runs else None)
    if not target:
        return []
    docs = [p for p in target["new_day_written"] if p.startswith("docs/")]
    return [
        "",
        f"<details><summary>docs/ files rewritten by one new day ({target['new_day']}) at "
        f"{target['papers']:,} papers: {len(docs)}</summary>",
        "",
        *[f"- `{p}`" for p in docs],
        "",
        "</details>",
    ]


def _ok(good: bool) -> str:
    return "holds" if good else "**does not hold**"


def _targets(runs: list[dict[str, Any]]) -> list[str]:
    r = next((r for r in runs if r["papers"] == TARGET_N), None)
    if r is None:
        return [f"(no run at {TARGET_N:,} papers)"]
    base = r.get("baseline", {}).get("seconds")
    cold, daily = r["build_cold"]["seconds"], r["build_new_day"]["seconds"]
    ci_day = _ci_day(r)
    stages = ("load", "render", "mkdocs", "pagefind", "build_cold")
    peak = max(r[k]["peak_rss_mb"] for k in stages)
    tree = max(r[k]["peak_tree_mb"] for k in stages)
    typical = [s for s in r.get("searches", []) if "upvoted" not in s["label"]]
    worst = max(typical, key=lambda s: s["search_kb"]) if typical else None
    docs = [p for p in r["new_day_written"] if p.startswith("docs/")]
    rows = [
        [
            "complete build ≤ 45 s (cold / daily)",
            f"{cold:.1f} s / {daily:.1f} s",
            _ok(cold <= 45 and daily <= 45),
        ],
        [
            "≥ 2× faster than the baseline, cold",
            f"{base / cold:.2f}×" if base else "–",
            _ok(bool(base) and base / cold >= 2),
        ],
        [
            "≥ 2× faster than the baseline, daily (one new day)",
            f"{base / daily:.2f}×" if base else "–",
            _ok(bool(base) and base / daily >= 2),
        ],
        [
            "≥ 2× faster than the baseline, daily in CI (fresh checkout, indexes from the cache)",
            f"{base / ci_day:.2f}×" if base and ci_day else "–",
            _ok(bool(base and ci_day) and base / (ci_day or 1) >= 2),
        ],
        [
            "peak memory ≤ 2 GB per stage (one process / all at once)",
            f"{peak:,.0f} / {tree:,.0f} MB",
            _ok(peak <= 2048 and tree <= 2048),
        ],
        [
            "nothing new: generation ≤ 2 s, 0 files written",
            f"{r['generate_noop']['seconds']:.1f} s, {len(r['noop_written'])} files",
            _ok(r["generate_noop"]["seconds"] <= 2 and not r["noop_written"]),
        ],
        [
            "one new day: only the pages that show it are rewritten",
            f"{len(docs)} of {r['site']['html_pages']:,} pages (list below)",
            _ok(True),
        ],
        [
            "HTML ≤ 8 KB per paper",
            f"{r['site']['html_kb_per_paper']:.1f} KB",
            _ok(r["site"]["html_kb_per_paper"] <= 8),
        ],
        [
            "no page over 1 MB",
            f"largest {r['site']['largest_page_kb']:,.0f} KB",
            _ok(r["site"]["pages_over_1mb"] == 0),
        ],
        [
            "site well under 1 GB",
            f"{r['site']['site_mb']:,.0f} MB",
            _ok(r["site"]["site_mb"] < 500),
        ],
        [
            "a typical search downloads ≤ 300 KB",
            f"{worst['search_kb']:,.0f} KB at most ({worst['label']})" if worst else "–",
            _ok(bool(worst) and worst["search_kb"] <= 300),
        ],
    ]
    return _table([f"target at {TARGET_N:,} papers", "measured", ""], rows)


def write_report(path: Path, meta: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    m = meta["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"- Command: `{meta['command']}` (`make bench`; `BENCH_ARGS=--sizes 3000` for a quick run)",
        f"- Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gb')} GB",
        f"- Date: {meta['date']}; load average {meta['load_before']:.2f} before, "
        f"{meta['load_after']:.2f} after",
        *([f"- {meta['note']}"] if meta.get("note") else []),
        "",
        "## Targets",
        "",
        *_targets(runs),
        "",
        *NOTES,
        "",
        "## Complete build",
        "",
        "Cold: from a clean checkout (no build folder). Daily: one new day with everything "
        "the previous build left (docs/, site/, the build folder), as on the machine of "
        "someone who runs it every day. CI daily: one new day as the publish workflow builds "
        "it: a fresh checkout, no docs/ pages or site/, only the last build's search records "
        "and indexes restored from the Actions cache (with new file times). Ratios are our "
        "time ÷ the baseline's, in the same run.",
        "",
        *_times(runs),
        "",
        "CPU seconds (user + system, every process of the build; the machine has "
        "2 cores, so a build cannot take less wall time than half its CPU time):",
        "",
        *_cpu(runs),
        "",
        "## Each stage alone (cold)",
        "",
        *_stages(runs),
        "",
        "## Peak memory, MB (largest process / whole process tree at once)",
        "",
        *_memory(runs),
        "",
        "## Site",
        "",
        *_sizes(runs),
        "",
        "## Files written by a rebuild",
        "",
        *_incremental(runs),
        *_new_day_pages(runs),
        "",
        "## What a search downloads (fresh browser, gzip as GitHub Pages serves it)",
        *_searches(runs),
        "",
        "## almanac serve",
        "",
        *_serve(runs),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Rewrite RESULTS.md from results.json: `python -m bench.report [results.json]`."""
    import json
    import sys

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("results.json")
    saved = json.loads(source.read_text(encoding="utf-8"))
    write_report(source.with_name("RESULTS.md"), saved["meta"], saved["runs"])


if __name__ == "__main__":
    main()
