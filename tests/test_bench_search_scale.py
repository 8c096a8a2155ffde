"""bench/search_scale.py's report and results file, on hand-made results (no building)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.search_scale import QUERIES, merge, read_entries, report, verdicts, write_results


def _entry(papers: int, side: str, kb: float, *, run: str = "r1", big: float = 0) -> dict[str, Any]:
    searches = [
        {
            "label": label,
            "query": words.format(rare="zyzzyva", oldest="quokka"),
            "search_kb": kb + (big if i == 0 else 0),
            "first_results_s": 0.5,
            "requests": 7,
            "status": "12 papers found",
        }
        for i, (label, words) in enumerate(QUERIES)
    ]
    return {
        "papers": papers,
        "side": side,
        "rev": "934c5b2" if side == "baseline" else "working tree at abc",
        "run": run,
        "date": f"2026-02-01 ({run})",
        "command": "python -m bench.search_scale --papers 30000",
        "machine": {"cores": 2, "cpu": "test", "memory_gb": 8},
        "data_digest": "d",
        "first": {"s": 100.0, "cpu": 150.0, "tree_mb": 900},
        "index_first_cpu": 60.0,
        "new_day": {"s": 20.0, "cpu": 30.0, "tree_mb": 800},
        "daily_index_cpu": 4.0 if side == "baseline" else None,
        "index": {"files": 1000, "mb": 80.0, "folders": {"pagefind": {"files": 1000, "mb": 80.0}}},
        "site_files": 50_000,
        "site_mb": 400.0,
        "searches": searches,
        "steps": {"first build": 100.0},
    }


def _section(text: str, papers: int) -> str:
    return text.split(f"## {papers:,} papers")[1].split("\n## ")[0]


def test_a_median_over_the_budget_does_not_hold() -> None:
    assert verdicts(_entry(30_000, "now", 240))[0].endswith(": holds")
    assert "does not hold" in verdicts(_entry(30_000, "now", 260))[0]
    # 100,000 papers have a budget of 300 KB.
    assert verdicts(_entry(100_000, "now", 260))[0].endswith(": holds")
    over = verdicts(_entry(30_000, "now", 100, big=450))  # one search of 550 KB
    assert over[0].endswith(": holds")
    assert "does not hold" in over[1] and "diffusion" in over[1]


def test_report_sets_the_sides_side_by_side() -> None:
    text = report([_entry(30_000, "baseline", 290), _entry(30_000, "now", 120)])
    part = _section(text, 30_000)
    assert "| first build, time | 100.0 s | 100.0 s | 1.00 |" in part
    assert "| search KB, median | 290 KB | 120 KB | 0.41 |" in part
    assert "| index CPU, one new day | 4.00 s | – | – |" in part
    assert "| index CPU per paper, first build | 2.00 ms | 2.00 ms | 1.00 |" in part
    assert "- baseline: median 290 KB ≤ 250 KB: **does not hold**" in part
    assert "- now: median 120 KB ≤ 250 KB: holds" in part
    assert "rare word of the newest day: `zyzzyva`" in part
    assert "not measured in the same run" not in part


def test_merge_keeps_the_other_side_and_flags_another_run(tmp_path: Path) -> None:
    path = tmp_path / "search_scale.json"
    write_results(path, [_entry(30_000, "baseline", 290), _entry(30_000, "now", 200)])
    entries = merge(read_entries(path), [_entry(30_000, "now", 120, run="r2")])
    assert [(e["side"], e["run"]) for e in entries] == [("baseline", "r1"), ("now", "r2")]
    # Another size is added beside, sorted by size.
    entries = merge(entries, [_entry(10_000, "now", 90, run="r2")])
    assert [(e["papers"], e["side"]) for e in entries] == [
        (10_000, "now"),
        (30_000, "baseline"),
        (30_000, "now"),
    ]
    part = _section(report(entries), 30_000)
    assert "not measured in the same run" in part
    assert "baseline (934c5b2) on 2026-02-01 (r1)" in part
    assert "now (working tree at abc) on 2026-02-01 (r2)" in part
