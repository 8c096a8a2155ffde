"""Page weight against an earlier commit: what every page costs a reader who uses none of
the reader's tools, on the shipped archive (real papers).

    python -m bench.weight --baseline REV [--out bench/WEIGHT.md]

Both commits build the same data/ (this checkout's) in a scratch copy of their code. For
each page of the site: its HTML, and the scripts and style sheets it loads from the site
(what a first visit downloads before any image or font), raw and gzipped (-6, as GitHub
Pages serves them). The report gives the growth per page type, median and largest.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HERE = Path(__file__).parent
_ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"#?]+)')


def code_at(rev: str | None, work: Path) -> Path:
    """A scratch copy of `rev`'s files (None: this checkout's files as they are)."""
    tree = work / (rev or "current").replace("/", "_")
    tree.mkdir(parents=True)
    if rev is None:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        for name in listed:
            if (REPO / name).is_file():
                (tree / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, tree / name)
    else:
        archive = subprocess.run(["git", "archive", rev], cwd=REPO, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def build_at(rev: str | None, work: Path) -> Path:
    """The site of `rev`'s code (None: this checkout's) over this checkout's data/."""
    tree = code_at(rev, work)
    shutil.rmtree(tree / "data")
    shutil.copytree(REPO / "data", tree / "data")
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--quiet"], cwd=tree, env=env, check=True
    )
    return tree / "site"


def kind(path: str) -> str:
    if re.fullmatch(r"days/\d{4}/\d{2}/\d{2}/index\.html", path):
        return "day page"
    if re.fullmatch(r"topics/[^/]+/\d{4}/\d{2}/index\.html", path):
        return "topic month page"
    if re.fullmatch(r"topics/[^/]+/index\.html", path):
        return "topic page"
    if path == "index.html":
        return "home page"
    if path.startswith("search/"):
        return "search page"
    return "other pages"


def _sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, 6, mtime=0))


def weigh(site: Path) -> dict[str, dict[str, Any]]:
    """Page path -> its HTML's and its first visit's bytes, raw and gzipped."""
    out = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_bytes()
        assets = 0, 0
        for ref in _ASSET.findall(html.decode("utf-8", "replace")):
            target = (page.parent / ref).resolve()
            if target.is_file() and site.resolve() in target.parents:
                raw, gz = _sizes(target.read_bytes())
                assets = assets[0] + raw, assets[1] + gz
        raw, gz = _sizes(html)
        out[page.relative_to(site).as_posix()] = {
            "html": raw,
            "html_gz": gz,
            "first": raw + assets[0],
            "first_gz": gz + assets[1],
        }
    return out


def report(rev: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    groups: dict[str, list[dict[str, int]]] = defaultdict(list)
    for path in sorted(set(before) & set(after)):
        growth = {k: after[path][k] - before[path][k] for k in after[path]}
        groups[kind(path)].append(growth)
    lines = [
        "# Page weight: the reader's tools for a reader who uses none of them",
        "",
        f"Made by `python -m bench.weight --baseline {rev}`: the shipped archive (real papers)",
        f"built by {rev} and by this checkout; growth per page in KB (1,000 bytes) of its HTML",
        "and of a first visit (the HTML with the scripts and style sheets it loads), raw and",
        "gzipped as GitHub Pages serves them; median and largest over the pages of each type.",
        "",
        "| pages | count | HTML, gzipped | HTML, raw | first visit, gzipped | first visit, raw |",
        "|---|---|---|---|---|---|",
    ]

    def cell(rows: list[dict[str, int]], key: str) -> str:
        values = [r[key] / 1000 for r in rows]
        return f"{statistics.median(values):+.1f} / {max(values):+.1f}"

    for name in ("day page", "topic month page", "topic page", "home page", "search page"):
        rows = groups.get(name, [])
        if rows:
            keys = ("html_gz", "html", "first_gz", "first")
            lines.append(
                f"| {name} | {len(rows)} | " + " | ".join(cell(rows, k) for k in keys) + " |"
            )
    new = sorted(set(after) - set(before))
    if new:
        names = sorted({p.rsplit("/", 1)[-1] for p in new})
        lines += ["", f"New HTML files: {len(new)} ({', '.join(f'`{n}`' for n in names)})."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.weight")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--out", type=Path, default=HERE / "WEIGHT.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        before = weigh(build_at(args.baseline, Path(scratch)))
        after = weigh(build_at(None, Path(scratch)))
    args.out.write_text(report(args.baseline, before, after), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
