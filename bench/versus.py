"""This checkout's build against an earlier commit's, on the same synthetic archive.

    python -m bench.versus --baseline REV [--papers 30000] [--rounds 2] [--out bench/VERSUS.md]

Each side is a scratch copy of its code that makes its own project (bench/workspace.py:
the same papers of real text, with that side's pages and theme) and builds it with this
interpreter: a first build from nothing, then one new day. The sides take turns, each
build waits for a quiet machine, and the fastest of each side's rounds counts (noise only
adds time): what one change costs, measured in one run, where bench/RESULTS.md compares
with the peers. The baseline must have bench/workspace.py and bench/stages.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import measure
from bench.weight import REPO, code_at

HERE = Path(__file__).parent


def _run(tree: Path, *args: str) -> measure.Measured:
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_MKDOCS_2_WARNING": "1"}
    return measure.run([sys.executable, *args], cwd=tree, env=env)


def _call(tree: Path, project: Path, statement: str) -> None:
    _run(
        tree,
        "-c",
        "from pathlib import Path; from generator.project import Project; "
        f"from bench.workspace import add_day, clean, make_project; p = Path({str(project)!r}); "
        + statement,
    )


def _build(tree: Path, project: Path) -> dict[str, float]:
    measure.wait_for_quiet()
    m = _run(tree, "-m", "bench.stages", "build", str(project))
    site = sum(f.stat().st_size for f in (project / "site").rglob("*") if f.is_file())
    return {"s": m.seconds, "cpu": m.cpu_seconds, "tree_mb": m.peak_tree_mb, "site_mb": site / 1e6}


def measure_sides(baseline: str, papers: int, rounds: int, work: Path) -> dict[str, list[Any]]:
    # A side's synthetic text comes from ../shared beside its code, as beside the repo's.
    (work / "shared").symlink_to(REPO.parent / "shared", target_is_directory=True)
    sides = {baseline: code_at(baseline, work), "this checkout": code_at(None, work)}
    projects = {name: work / f"project-{i}" for i, name in enumerate(sides)}
    for name, tree in sides.items():
        _call(tree, projects[name], f"make_project(p, {papers})")
    # One archive for both: this checkout's (each side's bench/ may make another, as when
    # the archive's last day moved); the rest of each project is its side's own.
    ours = projects["this checkout"]
    for project in projects.values():
        if project != ours:
            shutil.rmtree(project / "data")
            shutil.copytree(ours / "data", project / "data")
        shutil.copytree(project / "data", project / "data.kept")
    runs: dict[str, list[Any]] = {name: [] for name in sides}
    for attempt in range(rounds):
        for name, tree in sides.items():
            project = projects[name]
            shutil.rmtree(project / "data")
            shutil.copytree(project / "data.kept", project / "data")
            _call(tree, project, "clean(Project(p))")
            cold = _build(tree, project)
            _call(tree, project, "add_day(Project(p))")
            day = _build(tree, project)
            runs[name].append({"first": cold, "new_day": day, "noop": _build(tree, project)})
            print(f"{name} ({attempt + 1}/{rounds}): {runs[name][-1]}", flush=True)
    return runs


def report(baseline: str, papers: int, runs: dict[str, list[Any]]) -> str:
    names = list(runs)
    cpu = measure.machine().get("cpu", "this machine")
    lines = [
        f"# This checkout against {baseline}",
        "",
        f"Made by `python -m bench.versus --baseline {baseline} --papers {papers} "
        f"--rounds {len(runs[names[0]])}` on {cpu}: the same "
        f"{papers:,} papers of real text built by each side in turn, the fastest round of "
        "each; the CPU seconds and memory are that round's.",
        "",
        "| build | " + " | ".join(names) + " | this ÷ baseline |",
        "|---|---|---|---|",
    ]
    steps = (("first", "first build"), ("new_day", "one new day"), ("noop", "nothing new"))
    for step, label in steps:
        if not all(step in r for n in names for r in runs[n]):
            continue  # a step this run did not take
        best = {n: min((r[step] for r in runs[n]), key=lambda m: m["s"]) for n in names}
        for key, unit, what in (
            ("s", "s", "time"),
            ("cpu", "s", "CPU"),
            ("tree_mb", "MB", "whole-tree peak memory"),
            ("site_mb", "MB", "site"),
        ):
            a, b = best[names[0]][key], best[names[1]][key]
            lines.append(f"| {label}, {what} | {a:,.1f} {unit} | {b:,.1f} {unit} | {b / a:.2f} |")
    lines += ["", "Every round, seconds (first build, one new day, nothing new):", ""]
    for n in names:
        rounds = ", ".join(
            " + ".join(f"{r[step]['s']:.1f}" for step, _ in steps if step in r) for r in runs[n]
        )
        lines.append(f"- {n}: {rounds}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.versus")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--papers", type=int, default=30000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "VERSUS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        runs = measure_sides(args.baseline, args.papers, args.rounds, Path(scratch))
    args.out.write_text(report(args.baseline, args.papers, runs), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
