"""One benchmark stage per run: `python -m bench.stages STAGE PROJECT [ARGS]`.

Each stage runs in its own process (so its peak memory is its own) and prints one JSON
line with what it measured inside; bench/run.py measures the process from outside.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import site
from generator.progress import Progress
from generator.project import Project
from generator.search_index import start_index
from generator.write import write_tree

QUIET = Progress(quiet=True)


def load(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    loaded = site.load(project)
    return {"papers": loaded.archive.total, "seconds": time.perf_counter() - started}


def render(project: Project) -> dict[str, Any]:
    """Render and write docs/ and the search records from an archive already loaded."""
    from generator import api
    from generator.siteconf import site_url
    from generator.write import gather

    archive = site.load(project).archive
    url = site_url(project)
    t0 = time.perf_counter()
    # What `generate` writes into docs/: the pages, feeds and the JSON API.
    docs = gather([*site.render_docs(archive, url).items(), *api.api_files(archive, url).items()])
    t1 = time.perf_counter()
    records = site.render_records(archive)
    t2 = time.perf_counter()
    written = write_tree(project.docs, docs, site.GENERATED_DOCS)
    written += write_tree(site.search_tree(project), records, (site.RECORDS, site.MANIFEST))
    t3 = time.perf_counter()
    return {
        "render_docs_s": t1 - t0,
        "render_records_s": t2 - t1,
        "write_s": t3 - t2,
        "seconds": t3 - t0,
        "written": len(written.written),
        "docs_bytes": sum(len(t.encode() if isinstance(t, str) else t) for t in docs.values()),
    }


def mkdocs(project: Project) -> dict[str, Any]:
    os.environ[site.HOOKS_OFF_ENV] = "1"  # pages are generated already; no indexing here
    started = time.perf_counter()
    site.mkdocs_build(project)
    return {"seconds": time.perf_counter() - started}


def pagefind(project: Project) -> dict[str, Any]:
    import shutil

    shutil.rmtree(site.index_root(project), ignore_errors=True)
    started = time.perf_counter()
    job = start_index(site.index_root(project), site.search_tree(project))
    shards = len(job.shards) if job else 0
    if job:
        job.finish()
    return {"seconds": time.perf_counter() - started, "shards": shards}


def build(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    site.build(project, QUIET)
    return {"seconds": time.perf_counter() - started}


def generate(project: Project) -> dict[str, Any]:
    started = time.perf_counter()
    report = site.generate(project, QUIET)
    return {
        "seconds": time.perf_counter() - started,
        "written": list(report.written),
        "deleted": list(report.deleted),
        "unchanged": report.unchanged,
    }


STAGES: dict[str, Callable[[Project], dict[str, Any]]] = {
    "load": load,
    "render": render,
    "mkdocs": mkdocs,
    "pagefind": pagefind,
    "build": build,
    "generate": generate,
}


def main() -> None:
    stage, root = sys.argv[1], Path(sys.argv[2])
    result = STAGES[stage](Project(root.resolve()))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
