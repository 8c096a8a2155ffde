"""One benchmark stage per run: `python -m bench.stages STAGE PROJECT [ARGS]`.

Each stage runs in its own process (so its peak memory is its own) and prints one JSON
line with what it measured inside; bench/run.py measures the process from outside.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.models import Paper
from generator.progress import Progress
from generator.project import Project
from generator.site import build as gen_build
from generator.site import load as inputs
from generator.site.buildfolder import BuildFolder
from generator.site.generate import Memos, write_outputs, write_search_trees
from generator.site.mkdocs_glue import mkdocs_build
from generator.site.render.urls import GENERATED_DOCS

QUIET = Progress(quiet=True)


def load(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    loaded = inputs.load(project)
    return {"papers": loaded.archive.total, "seconds": time.perf_counter() - started}


def render(project: Project) -> dict[str, Any]:
    """Render and write docs/ from an archive already loaded, as
    `generate` does: each file written as soon as it is rendered, the JSON API beside the
    rest. Rendering and writing are interleaved, so they are timed together."""
    from generator.site.siteconf import site_url

    archive = inputs.load(project).archive
    url = site_url(project)
    t0 = time.perf_counter()
    folder = BuildFolder(project)
    written = write_outputs(folder, archive, url, Memos.of(folder, trusted=False))
    seconds = time.perf_counter() - t0
    return {
        # Not separable any more (kept for the report, which reads them).
        "render_docs_s": None,
        "render_records_s": None,
        "write_s": None,
        "seconds": seconds,
        "written": len(written.report.written),
        "docs_bytes": _tree_bytes(project.docs, GENERATED_DOCS),
    }


def _tree_bytes(root: Path, entries: tuple[str, ...]) -> int:
    """Bytes of the files under `entries` of `root`: what generation wrote into docs/."""
    total = 0
    for entry in entries:
        top = root / entry
        files = [top] if top.is_file() else (p for p in top.rglob("*") if p.is_file())
        total += sum(p.stat().st_size for p in files)
    return total


def related(project: Project) -> dict[str, Any]:
    """Related papers of the project's archive, timed as builds compute them."""
    from generator.site.render.catalog import ordered

    papers = [entry.paper for entry in ordered(inputs.load(project).archive)]
    folder = BuildFolder(project)
    try:
        return related_timings(papers, folder)
    finally:
        # The cold build after this starts from nothing.
        folder.related.unlink(missing_ok=True)
        folder.related_vectors.unlink(missing_ok=True)


def related_timings(
    papers: Sequence[Paper], folder: BuildFolder, expected: Any = None
) -> dict[str, Any]:
    """From nothing (a first build), then as a daily build does, from `folder`'s lists of
    every day but the last; the two must agree (and with `expected` lists, if given)."""
    from generator.site import related_cache

    t0 = time.perf_counter()
    cold = related_cache.neighbours(papers, None)
    cold_s = time.perf_counter() - t0
    folder.related.unlink(missing_ok=True)
    folder.related_vectors.unlink(missing_ok=True)
    last = max(p.day for p in papers)
    before = related_cache.neighbours(
        [p for p in papers if p.day < last], related_cache.memo_of(folder)
    )
    t0 = time.perf_counter()
    daily = related_cache.neighbours(papers, related_cache.memo_of(folder))
    daily_s = time.perf_counter() - t0
    if daily.lists != cold.lists:
        raise SystemExit("related papers: the daily merge differs from computing anew")
    if expected is not None and cold.lists != expected:
        raise SystemExit("related papers: the build's lists differ from the expected ones")
    moved = sum(1 for p in papers if p.day < last and before.of(p.id) != daily.of(p.id))
    return {
        "papers": len(papers),
        "cold_s": cold_s,
        "daily_s": daily_s,
        "new_papers": sum(1 for p in papers if p.day == last),
        "lists_moved": moved,
    }


def mkdocs(project: Project) -> dict[str, Any]:
    """MkDocs alone over docs/ as generated already: a Build drives it, so the hooks stand
    aside (no generation, no indexing)."""
    started = time.perf_counter()
    mkdocs_build(project, driver=gen_build.Build(project, QUIET))
    return {"seconds": time.perf_counter() - started}


def search(project: Project) -> dict[str, Any]:
    """The search trees (the catalog, the word index, the manifest) from scratch, through
    the build's own path (generate.write_search_trees) with no memo to spare work."""
    import shutil

    folder = BuildFolder(project)
    shutil.rmtree(folder.index, ignore_errors=True)
    return _search_trees(project, folder, trusted=False)


def search_daily(project: Project) -> dict[str, Any]:
    """The search trees as a build makes them after the last one: only the trees whose
    papers changed (on a new day, the newest segment of the word index and the catalog)."""
    return _search_trees(project, BuildFolder(project), trusted=True)


def _search_trees(project: Project, folder: BuildFolder, *, trusted: bool) -> dict[str, Any]:
    from generator.site.render.jobs import keys_for
    from generator.site.siteconf import site_url

    archive = inputs.load(project, folder).archive
    started = time.perf_counter()
    memos = Memos.of(folder, trusted=trusted)
    write_search_trees(folder, archive, keys_for(archive, site_url(project)), memos.trees)
    memos.trees.save()
    return {"seconds": time.perf_counter() - started, "made": memos.trees.changes().made}


def build(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    gen_build.Build(project, QUIET).run()
    return {"seconds": time.perf_counter() - started}


def generate(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    report = gen_build.generate_only(project, QUIET)
    return {
        "seconds": time.perf_counter() - started,
        "written": list(report.written),
        "deleted": list(report.deleted),
        "unchanged": report.unchanged,
    }


STAGES: dict[str, Callable[[Project], dict[str, Any]]] = {
    "load": load,
    "render": render,
    "related": related,
    "mkdocs": mkdocs,
    "search": search,
    "search_daily": search_daily,
    "build": build,
    "generate": generate,
}


def main() -> None:
    stage, root = sys.argv[1], Path(sys.argv[2])
    result = STAGES[stage](Project(root.resolve()))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
