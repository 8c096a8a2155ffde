"""bench/RESULTS.md from the measurements of bench/run.py."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

TARGET_N = 30_000


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _ratio(ours: float, base: float | None) -> str:
    if not base:
        return "–"
    return f"{ours / base:.2f} ({base / ours:.1f}× faster)"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _groups(paths: list[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for path in paths:
        if path.startswith("docs/"):
            out["docs/ pages and feeds"] += 1
        elif path.startswith(".almanac-build/search/"):
            out["search records"] += 1
        elif path.startswith(".almanac-build/pagefind/"):
            out["search index files"] += 1
        elif path.startswith(".almanac-build/"):
            out["build caches and stamps"] += 1
        elif path.startswith("site/pagefind/"):
            out["site/pagefind (links)"] += 1
        elif path.startswith("site/"):
            out["site/ (MkDocs rewrites it all)"] += 1
    return out


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
                _s(r["build_noop"]["seconds"]),
                _s(r["generate_noop"]["seconds"]),
            ]
        )
    head = ["papers", "cold build s", "baseline s", "cold ÷ baseline", "daily build s"]
    head += ["daily ÷ baseline", "no-op build s", "no-op generate s"]
    notes = [
        f"{r['papers']:,}: cold builds {', '.join(_s(x) for x in r.get('build_cold_all', []))} s;"
        f" baselines {', '.join(_s(x) for x in r.get('baseline_all', [])) or '–'} s"
        for r in runs
    ]
    return [*_table(head, rows), "", "Every attempt (the fastest counts): " + "; ".join(notes)]


def _inner(run: dict[str, Any]) -> float:
    """The stage's own seconds, measured inside (no interpreter start, no untimed setup)."""
    return float(run["output"].get("seconds", run["seconds"]))


def _stages(runs: list[dict[str, Any]]) -> list[str]:
    rows = []
    for r in runs:
        render = r["render"]["output"]
        rows.append(
            [
                f"{r['papers']:,}",
                _s(_inner(r["load"])),
                f"{_s(_inner(r['render']))} ({render.get('render_docs_s', 0):.1f} + "
                f"{render.get('render_records_s', 0):.1f} + {render.get('write_s', 0):.1f})",
                _s(_inner(r["mkdocs"])),
                f"{_s(_inner(r['pagefind']))} ({r['pagefind']['output'].get('shards')})",
            ]
        )
    head = ["papers", "load + validate s", "render + write s (docs and API + records + write)"]
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
    return _table(head, rows)


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


def write_report(path: Path, meta: dict[str, Any], runs: list[dict[str, Any]]) -> None:
    m = meta["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"- Command: `{meta['command']}` (`make bench`; `BENCH_ARGS=--sizes 3000` for a quick run)",
        f"- Machine: {m.get('cores')} cores ({m.get('cpu', '?')}), {m.get('memory_gb')} GB",
        f"- Date: {meta['date']}; load average {meta['load_before']:.2f} before, "
        f"{meta['load_after']:.2f} after",
        "",
        "## Complete build",
        "",
        "Cold: from a clean checkout (no build folder). Daily: one new day with the build "
        "folder of the previous build (CI restores it from its cache). Ratios are our time ÷ "
        "the baseline's, in the same run.",
        "",
        *_times(runs),
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
