"""Generate, build and serve the site: the orchestration around MkDocs and Pagefind.

- `generate` reads data/, builds the Archive, renders every page and the search records,
  and writes only what changed (docs/ generated folders; the record tree in the build
  folder). Each file is written as soon as it is rendered, so only the archive and the
  file at hand are in memory, never the whole site. The search records are written one
  shard (quarter) at a time and handed to an index job as each is written, so Pagefind
  starts long before the pages are done.
- `build` generates, runs Pagefind on the changed shards *while* MkDocs builds the site,
  and puts the index into site/pagefind. With nothing new since the last build it only
  checks, and writes nothing.
- `serve` runs `mkdocs serve`; the MkDocs hook (generator/hooks.py) generates and indexes
  before each build and puts the index into each built site, which is also what makes
  plain `mkdocs build` / `mkdocs serve` work. `recent_days` previews only the archive's
  last days (also ALMANAC_RECENT_DAYS), for a fast preview of a big archive.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from . import api, render, stamps, store
from .archive import Archive, build_archive
from .errors import AlmanacError
from .mkdocs_glue import HOOKS_OFF_ENV, hooks_off, mkdocs_build, mkdocs_logging
from .models import Paper
from .progress import Progress
from .project import Project
from .search_index import (
    MANIFEST,
    RECORDS,
    IndexJob,
    index_digest,
    install_index,
    install_shards,
    shard_trees,
)
from .siteconf import DEFAULT_SITE_URL, site_url
from .topiccache import CachedClassifier, taxonomy_key
from .topics import OTHER, Classifier
from .write import TreeWriter, WriteReport, gather, write_tree

__all__ = ["HOOKS_OFF_ENV", "build", "generate", "load", "mkdocs_build", "serve"]

# docs/ entries that generation owns; everything else in docs/ is hand-written.
GENERATED_DOCS = (
    "index.md",
    "feed.xml",
    "feed.json",
    "days",
    "topics",
    "trending",
    "stats",
    *api.OWNED,
)
RECENT_ENV = "ALMANAC_RECENT_DAYS"


@dataclass(frozen=True)
class Scope:
    """The part of the archive a site shows: all of it, or only its last days."""

    recent_days: int | None = None

    def __post_init__(self) -> None:
        if self.recent_days is not None and self.recent_days < 1:
            raise AlmanacError(f"a recent window must be at least one day: {self.recent_days}")

    @property
    def key(self) -> str:
        return "all" if self.recent_days is None else f"recent:{self.recent_days}"


FULL = Scope()


def scope_from_env() -> Scope:
    value = os.environ.get(RECENT_ENV, "").strip()
    if not value:
        return FULL
    if not value.isdigit():
        raise AlmanacError(f"{RECENT_ENV} must be a number of days, not {value!r}")
    return Scope(int(value))


def work_dir(project: Project, scope: Scope = FULL) -> Path:
    """Where a scope keeps its records, index and stamp (a preview never spoils the full)."""
    return project.build_dir if scope == FULL else project.build_dir / "recent"


def search_tree(project: Project, scope: Scope = FULL) -> Path:
    return work_dir(project, scope) / "search"


def index_root(project: Project, scope: Scope = FULL) -> Path:
    return work_dir(project, scope) / "pagefind"


@dataclass(frozen=True)
class Loaded:
    archive: Archive
    problems: tuple[str, ...]


def load(project: Project, scope: Scope = FULL, *, cache: bool = False) -> Loaded:
    """Everything the pages need, from data/. Bad records are reported, not fatal.

    With `cache`, parsed day files and each paper's topics are kept in the build folder
    between runs, so that only what changed is parsed and classified again.
    """
    data = store.read_archive(project, cache=project.records_cache if cache else None)
    topics = store.read_topics(project)
    # With the archive, entries keyed by an old (title-derived or versioned) id still apply.
    curation = store.read_curation(project, topics, archive=data)
    classifier: Any = Classifier(topics)
    if cache:
        path = project.build_dir / "topics.cache"
        classifier = CachedClassifier(classifier, path, taxonomy_key(topics))
    papers = _in_scope(data.papers, scope)
    archive = build_archive(papers, topics, curation, classifier, OTHER)
    if cache:
        classifier.save(keep_unseen=scope != FULL)
    return Loaded(archive, tuple(str(p) for p in data.problems) + archive.problems)


def _in_scope(papers: Sequence[Paper], scope: Scope) -> Sequence[Paper]:
    if scope.recent_days is None or not papers:
        return papers
    # The archive's own latest day, not the clock: a preview is the same on any day.
    first = max(p.day for p in papers) - timedelta(days=scope.recent_days - 1)
    return [p for p in papers if p.day >= first]


def iter_docs(archive: Archive, url: str = DEFAULT_SITE_URL) -> Iterator[tuple[str, str]]:
    """docs/ text files as (path, Markdown, feed or BibTeX), each rendered when asked for.

    `url` is the published site's address, for the feeds' absolute links.
    """
    for page in render.pages(archive):
        yield page.path, page.markdown()
    yield from render.feeds(archive, url).items()  # a few recent papers each: small
    yield from render.iter_bib_files(archive)


def render_docs(archive: Archive, url: str = DEFAULT_SITE_URL) -> dict[str, str]:
    """docs/ text files (path -> text), all at once; raises on a path collision."""
    return gather(iter_docs(archive, url))


def render_records(archive: Archive) -> dict[str, str]:
    """The search record tree: one record (HTML) per paper, by shard, and the manifest."""
    records = {f"{RECORDS}/{path}": text for path, text in render.search_records(archive).items()}
    records[MANIFEST] = render.search_manifest(archive)
    return records


def render_all(archive: Archive) -> tuple[dict[str, str], dict[str, str]]:
    return render_docs(archive), render_records(archive)


def generate(
    project: Project,
    progress: Progress,
    *,
    force: bool = False,
    index: IndexJob | None = None,
    scope: Scope = FULL,
) -> WriteReport:
    """Write docs/ and the search records from data/; only changed files are written.

    When data/, the generator's code and the generated files are all as the last run
    left them, nothing is read or rendered (the stamp in the build folder says so).
    `index`, if given, is offered each shard of search records once it is on disk.
    """
    started = time.perf_counter()
    tree = search_tree(project, scope)
    stamp_path = work_dir(project, scope) / "generate.json"
    url = site_url(project)  # feeds and the API link to it: a new address is new output
    inputs = stamps.data_digest(project, f"{scope.key}\n{url}")
    stamp = stamps.read(stamp_path)
    intact = stamp.get("outputs") == _outputs(tree, project)  # as the last run left them
    if intact and stamp.get("inputs") == inputs and not force:
        for problem in stamp.get("problems", []):
            progress.warn(f"warning: {problem}")
        progress.step("pages are up to date with data/: nothing to generate")
        if index is not None:
            for shard in shard_trees(tree):
                index.offer(shard)
            index.close()
        return WriteReport(unchanged=int(stamp.get("files", 0)))
    stamps.forget(stamp_path)  # a run stopped half-way must not look complete
    loaded = load(project, scope, cache=True)
    for problem in loaded.problems:
        progress.warn(f"warning: {problem}")
    archive = loaded.archive
    progress.step(
        f"read {archive.total} papers on {len(archive.days)} days, "
        f"{len(archive.topics)} topics ({time.perf_counter() - started:.1f} s)"
    )
    # Shards whose records are made of the same data as last time are left as they are
    # (their files are intact, and the code is the same: `inputs` covers it).
    same_code = stamp.get("code") == stamps.code_digest()
    previous = stamp.get("shards", {}) if intact and same_code and not force else {}
    written = write_outputs(project, archive, url, tree=tree, index=index, previous=previous)
    report, docs = written.report, written.docs
    files = docs + archive.total + 1
    stamps.write(
        stamp_path,
        {
            "inputs": inputs,
            "outputs": _outputs(tree, project),
            "code": stamps.code_digest(),
            "shards": written.shards,
            "files": files,
            "problems": list(loaded.problems),  # repeated on runs that skip the work
        },
    )
    progress.step(
        f"generated {docs} pages and {archive.total} search records: {report} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return report


@dataclass(frozen=True)
class Written:
    report: WriteReport
    docs: int  # docs/ files generated (pages, feeds, BibTeX, API), written or not
    shards: dict[str, str]  # each search shard's digest


def write_outputs(
    project: Project,
    archive: Archive,
    url: str,
    *,
    tree: Path,
    index: IndexJob | None = None,
    previous: dict[str, str] | None = None,
) -> Written:
    """Render and write the search records into `tree` and the docs/ files, each file as
    soon as it is made; stale files are deleted only once all went well. `index` and
    `previous` are as in `_write_records`."""
    docs = TreeWriter(project.docs, GENERATED_DOCS)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The JSON API is mostly gzip, which runs outside the GIL: it is made and written
        # beside the search records and the pages rather than after them.
        api_done = pool.submit(docs.put_all, api.iter_api_files(archive, url))
        report, shards = _write_records(project, tree, archive, index, previous or {})
        docs.put_all(iter_docs(archive, url))
        api_done.result()
    report = docs.finish().prefixed("docs/") + report
    return Written(report, docs.count, shards)


def _write_records(
    project: Project,
    tree: Path,
    archive: Archive,
    index: IndexJob | None,
    previous: dict[str, str],
) -> tuple[WriteReport, dict[str, str]]:
    """The record tree, shard by shard (biggest first), each offered to `index` once
    written; a shard whose digest is in `previous` is not rendered again. Returns the
    report and each shard's digest."""
    prefix = project.relative(tree) + "/"
    shards = render.shard_days(archive)
    gone = [f"{RECORDS}/{name}" for name in shard_trees(tree) if name not in shards]
    report = WriteReport()
    digests: dict[str, str] = {}
    for shard in sorted(shards, key=lambda s: (-render.shard_size(archive, shards[s]), s)):
        days = shards[shard]
        digests[shard] = render.shard_digest(archive, days)
        if previous.get(shard) == digests[shard]:
            report += WriteReport(unchanged=render.shard_size(archive, days))
        else:
            records = render.shard_records(archive, days)
            files = {f"{RECORDS}/{shard}/{path}": text for path, text in records.items()}
            report += write_tree(tree, files, (f"{RECORDS}/{shard}",)).prefixed(prefix)
        if index is not None:
            index.offer(shard)
    manifest = {MANIFEST: render.search_manifest(archive)}
    report += write_tree(tree, manifest, (MANIFEST, *gone)).prefixed(prefix)
    if index is not None:
        index.close()
    return report, digests


def _outputs(tree: Path, project: Project) -> str:
    owned = [project.docs / entry for entry in GENERATED_DOCS]
    return stamps.tree_digest([*owned, tree])


def build(project: Project, progress: Progress) -> None:
    """Generate, `mkdocs build --strict` into site/, and Pagefind into site/pagefind.

    Pagefind starts on each shard of search records as soon as it is written, and runs
    beside the rest of the generation and the MkDocs build.
    """
    started = time.perf_counter()
    tree, root = search_tree(project), index_root(project)
    job = IndexJob(root, tree)
    try:
        report = generate(project, progress, index=job)
        if not report.changed and not job.shards and _site_is_current(project):
            job.finish()
            progress.summary(
                f"build: site/ is up to date, nothing to do ({time.perf_counter() - started:.1f} s)"
            )
            return
        if job.shards:
            progress.step(f"indexing {len(job.shards)} search shards with Pagefind")
        # The installed index is kept out of MkDocs' way (it empties site/ first) and
        # put back after, so only the shards that changed are linked again.
        stash = _stash_index(project)
        with hooks_off(), mkdocs_logging(progress):
            mkdocs_build(project)
    except BaseException:
        job.cancel()
        raise
    progress.step(f"built site with MkDocs ({time.perf_counter() - started:.1f} s)")
    # Shards already indexed go into the site while Pagefind finishes the others.
    dest = project.site / "pagefind"
    installed = install_index(root, dest, link=False, skip=job.pending(), reuse=stash)
    seconds = job.finish()
    install_shards(root, dest, [s for s in shard_trees(tree) if s not in installed])
    if job.shards:
        progress.step(f"indexed {len(job.shards)} search shards with Pagefind ({seconds:.1f} s)")
    stamps.write(_site_stamp_path(project), _site_stamp(project))
    progress.summary(
        f"build: site/ is ready and searchable ({time.perf_counter() - started:.1f} s); "
        "open it with: python -m http.server -d site"
    )


def _stash_index(project: Project) -> Path:
    installed, stash = project.site / "pagefind", project.build_dir / "site-pagefind"
    if stash.exists():
        shutil.rmtree(stash)
    if installed.is_dir() and not installed.is_symlink():
        installed.rename(stash)
    return stash


def _site_stamp_path(project: Project) -> Path:
    return project.build_dir / "site.json"


def _site_stamp(project: Project) -> dict[str, str]:
    inputs = stamps.site_inputs(project, index_digest(index_root(project)))
    return {"inputs": inputs, "site": stamps.site_digest(project.site)}


def _site_is_current(project: Project) -> bool:
    old = stamps.read(_site_stamp_path(project))
    return bool(old) and project.site.is_dir() and old == _site_stamp(project)


def serve(
    project: Project,
    progress: Progress,
    dev_addr: str | None = None,
    recent_days: int | None = None,
) -> None:
    """`mkdocs serve` with live reload; the hook generates, indexes and installs search.

    Rebuilds are dirty (only changed pages are rebuilt), which generation makes safe: it
    writes exactly the pages whose text changed. `recent_days` previews the archive's last
    days only.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    Scope(recent_days)  # refuses a window of no days before anything starts
    if recent_days is not None:
        os.environ[RECENT_ENV] = str(recent_days)  # read by the hook, in this process
        progress.step(f"previewing the last {recent_days} days of the archive")
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with mkdocs_logging(progress, level=logging.INFO):
        mkdocs_serve(
            config_file=str(project.mkdocs_yml), livereload=True, build_type="dirty", **options
        )


def index_job(project: Project, scope: Scope) -> IndexJob:
    """An index job for the scope's records, to hand to `generate` (the hook's way in)."""
    return IndexJob(index_root(project, scope), search_tree(project, scope))


def install(project: Project, scope: Scope, dest: Path, *, link: bool) -> None:
    install_index(index_root(project, scope), dest, link=link)
