"""How to find each paper's five nearest: the ways we measured, on the same papers.

    python -m bench.related [--sizes 3000,10000,30000] [--out bench/RELATED.md]

The papers are the benchmark's synthetic archive (bench/synth.py: real abstract
sentences). Every way is given the same integer vectors (generator/site/related.py's) and must
find the same lists; each is timed from the vectors to the lists, then the vectors
themselves are timed, ours against scikit-learn's TfidfVectorizer. The pure-Python
inverted index is the code we would write without a library; it is measured up to
PURE_MAX papers only (it grows with the square of the archive).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.synth import synth_papers
from generator.site import related
from generator.site.related import SHOWN, Scored, document, matrix, nearest, ranked, vectors

HERE = Path(__file__).parent
PURE_MAX = 10_000
BLOCK = 1000


def pure_python(rows: Sequence[related.Vector], ids: Sequence[str]) -> dict[str, list[Scored]]:
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, row in enumerate(rows):
        for word, weight in row:
            postings[word].append((i, weight))
    out = {}
    for i, row in enumerate(rows):
        scores: dict[int, int] = defaultdict(int)
        for word, weight in row:
            for j, other in postings[word]:
                scores[j] += weight * other
        scores.pop(i, None)
        out[ids[i]] = ranked((s, ids[j]) for j, s in scores.items())
    return out


def scipy_blocks(rows: Sequence[related.Vector], ids: Sequence[str]) -> dict[str, list[Scored]]:
    """scipy's whole product a block of rows at a time, each block's best by argpartition
    (what scikit-learn's brute-force NearestNeighbors does, in integers)."""
    x = matrix(rows)
    xt = x.T.tocsr()
    out = {}
    for start in range(0, x.shape[0], BLOCK):
        scores = (x[start : start + BLOCK] @ xt).toarray()
        for k in range(scores.shape[0]):
            scores[k, start + k] = -1
        best = np.argpartition(-scores, SHOWN + 3, axis=1)[:, : SHOWN + 4]
        for k in range(scores.shape[0]):
            row = scores[k]
            top = sorted(((int(row[j]), ids[j]) for j in best[k]), key=lambda c: (-c[0], c[1]))
            if int(row[best[k]].min()) == top[SHOWN - 1][0]:  # a tie at the cut: all of it
                top = [(int(s), ids[j]) for j, s in enumerate(row)]
            out[ids[start + k]] = ranked(top)
    return out


def topn(rows: Sequence[related.Vector], ids: Sequence[str]) -> dict[str, list[Scored]]:
    """Ours: sparse_dot_topn's product kept to the top rows (generator/site/related.py)."""
    return nearest(matrix(rows), range(len(ids)), ids)


WAYS: dict[str, Callable[[Sequence[related.Vector], Sequence[str]], dict[str, list[Scored]]]] = {
    "sparse_dot_topn, top rows of the product in C++ (ours)": topn,
    "scipy: whole product in blocks, argpartition": scipy_blocks,
    "pure Python: inverted index": pure_python,
}


def sklearn_vectors(texts: Sequence[str]) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer

    started = time.perf_counter()
    TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    return time.perf_counter() - started


def measure(n: int) -> dict[str, Any]:
    papers = synth_papers(n)
    texts = [document(p) for p in papers]
    ids = [p.id for p in papers]
    started = time.perf_counter()
    rows = vectors(texts)
    ours_vectors = time.perf_counter() - started
    out: dict[str, Any] = {"papers": n, "vectors_s": ours_vectors, "ways": {}}
    try:
        out["sklearn_vectors_s"] = sklearn_vectors(texts)
    except ImportError:
        out["sklearn_vectors_s"] = None
    expected = None
    for name, way in WAYS.items():
        if way is pure_python and n > PURE_MAX:
            out["ways"][name] = None
            continue
        started = time.perf_counter()
        found = way(rows, ids)
        out["ways"][name] = time.perf_counter() - started
        if expected is None:
            expected = found
        elif found != expected:
            raise SystemExit(f"{name} found other lists than {next(iter(WAYS))} at {n} papers")
    out["daily"] = daily(papers, expected)
    return out


def daily(papers: Sequence[Any], expected: Any) -> dict[str, Any]:
    """Our code as builds run it (bench/stages.py): from nothing, then a new day merged
    into a build folder's lists of the days before it."""
    import tempfile

    from bench.stages import related_timings
    from generator.project import Project
    from generator.site.buildfolder import BuildFolder

    with tempfile.TemporaryDirectory() as scratch:
        return related_timings(papers, BuildFolder(Project(Path(scratch))), expected)


def report(results: list[dict[str, Any]]) -> str:
    lines = [
        "# Related papers: how the five nearest are found",
        "",
        "Made by `python -m bench.related`. Seconds on this machine, from the vectors to",
        "every paper's list (the same lists each way; a way that found others would stop",
        "the run), then for the vectors themselves. The pure-Python index is measured up to",
        f"{PURE_MAX:,} papers.",
        "",
        "| papers | " + " | ".join(WAYS) + " |",
        "|---|" + "---|" * len(WAYS),
    ]
    for r in results:
        first = r["ways"][next(iter(WAYS))]
        cells = []
        for name in WAYS:
            s = r["ways"][name]
            cells.append("–" if s is None else f"{s:.2f} ({s / first:.1f}×)")
        lines.append(f"| {r['papers']:,} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| papers | our vectors s (str.split, numpy) | scikit-learn TfidfVectorizer s |",
        "|---|---|---|",
    ]
    for r in results:
        sk = r["sklearn_vectors_s"]
        lines.append(
            f"| {r['papers']:,} | {r['vectors_s']:.2f} | {'–' if sk is None else f'{sk:.2f}'} |"
        )
    lines += [
        "",
        "Our code as a build runs it (generator/site/related_cache.py): from nothing, and one new",
        "day merged into the build folder's matrix and lists of the days before (the same",
        "lists as from nothing, checked).",
        "",
        "| papers | from nothing s | one new day s (new papers) | one new day ÷ from nothing |",
        "|---|---|---|---|",
    ]
    for r in results:
        d = r["daily"]
        lines.append(
            f"| {r['papers']:,} | {d['cold_s']:.2f} | {d['daily_s']:.2f} ({d['new_papers']}) | "
            f"{d['daily_s'] / d['cold_s']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.related")
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[3000, 10000, 30000]
    )
    parser.add_argument("--out", type=Path, default=HERE / "RELATED.md")
    args = parser.parse_args()
    results = []
    for n in args.sizes:
        print(f"{n:,} papers", flush=True)
        results.append(measure(n))
    args.out.write_text(report(results), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
