"""Generation: data/ into the generated folders of docs/ and the search record tree.

Each file is written as soon as it is made, and only when its bytes differ (fileio), so
only the archive and the file at hand are in memory and a rerun with nothing new writes
nothing. Three things spare work on a daily build, all recorded in the completion stamp
(`generate.json` in the build folder) and trusted only while the files they vouch for are
as the last generation left them (a digest of their names, sizes and times):

- nothing at all is read when data/, the code and the configuration are unchanged;
- a file whose job key (render/jobs.py) is the one recorded is not rendered again;
- a search shard made of the same papers is not either.

The search records of a changed shard are made first, and handed to the index job as
soon as they are written (to its scratch folder: they are Pagefind's input, not kept), so
Pagefind starts while the pages are still being made; a shard whose records come out byte
for byte as its index's are not indexed again. Without an index job (`almanac generate`)
no records are made. The stamp is forgotten before anything is written and recorded once
everything is: a generation killed midway is redone in full by the next.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.fileio import write_if_changed
from generator.progress import Progress
from generator.site import load, related_cache, render
from generator.site.arranged import Archive, Entry
from generator.site.buildfolder import BuildFolder, data_digest, tree_digest
from generator.site.related import entries_of
from generator.site.render import api, catalog
from generator.site.render.jobs import Job, Keys, docs_jobs, keys_for
from generator.site.render.urls import GENERATED_DOCS
from generator.site.search_index import IndexJob, index_is_current, put_tree, records_digest
from generator.site.siteconf import site_url
from generator.site.write import TreeWriter, WriteReport

# docs/ entries that generation owns; everything else in docs/ is hand-written.
STAMP = "generate"


@dataclass
class Memo:
    """What the last complete generation recorded: keys of files and of shards."""

    pages: dict[str, str] = field(default_factory=dict)
    shards: dict[str, list[str]] = field(default_factory=dict)  # [key, records digest]

    @classmethod
    def of(cls, stamp: dict[str, Any]) -> Memo:
        parts = [stamp.get(name) for name in ("pages", "shards")]
        return cls(*(p if isinstance(p, dict) else {} for p in parts))


def outputs_digest(folder: BuildFolder) -> str:
    docs = folder.project.docs
    return tree_digest([docs / entry for entry in GENERATED_DOCS])


def generate(
    folder: BuildFolder,
    progress: Progress,
    *,
    force: bool = False,
    index: IndexJob | None = None,
) -> WriteReport:
    """Write docs/ and the search records from data/; only changed files are written.
    `index`, if given, is offered each shard of search records once it is on disk."""
    started = time.perf_counter()
    project = folder.project
    url = site_url(project)  # feeds and the API link to it: a new address is new output
    inputs_now = data_digest(project, f"{folder.scope.key}\n{url}")
    done = folder.stamp(STAMP)
    stamp = done.recorded()
    outputs = outputs_digest(folder)
    intact = done.made(outputs)
    same = done.is_current(inputs_now, outputs) and not force
    if same and (index is None or _indexes_current(index, stamp)):
        for problem in stamp.get("problems", []):
            progress.warn(f"warning: {problem}")
        progress.step("pages are up to date with data/: nothing to generate")
        if index is not None:
            index.close()
        return WriteReport(unchanged=int(stamp.get("files", 0)))
    done.forget()  # a run stopped half-way must not look complete
    loaded = load.load(project, folder, folder.scope)
    give_back_memory()  # what parsing data/ took, before Pagefind's indexes are built beside us
    for problem in loaded.problems:
        progress.warn(f"warning: {problem}")
    archive = loaded.archive
    progress.step(
        f"read {archive.total} papers on {len(archive.days)} days, "
        f"{len(archive.topics)} topics ({time.perf_counter() - started:.1f} s)"
    )
    memo = Memo.of(stamp) if intact and not force else Memo()
    related = related_papers(folder, archive, progress)
    written = write_outputs(folder, archive, url, memo, index, related)
    done.record(
        inputs_now,
        outputs_digest(folder),
        pages=written.memo.pages,
        shards=written.memo.shards,
        search=index is not None,
        files=written.docs,
        problems=list(loaded.problems),  # repeated on runs that skip the work
    )
    progress.step(
        f"generated {written.docs} pages and files ({written.rendered} rendered): "
        f"{written.report} ({time.perf_counter() - started:.1f} s)"
    )
    return written.report


def related_papers(
    folder: BuildFolder, archive: Archive, progress: Progress
) -> Mapping[str, Sequence[Entry]]:
    started = time.perf_counter()
    papers = [entry.paper for entry in catalog.ordered(archive)]
    found = related_cache.neighbours(papers, folder)
    give_back_memory()  # the vectors, the products and the cache's JSON, before rendering
    progress.step(f"found related papers ({time.perf_counter() - started:.1f} s)")
    return entries_of(archive, found)


def give_back_memory() -> None:
    """Return the memory freed after a big transient step to the system (glibc keeps it
    otherwise): a cold load of 30,000 papers leaves 75 MB that only this frees, and the
    build's processes, Pagefind's among them, must fit in 1 GB together (bench/)."""
    import ctypes
    import ctypes.util
    import gc

    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return
    if trim is not None:
        trim(0)


def _indexes_current(index: IndexJob, stamp: dict[str, Any]) -> bool:
    """Whether the last generation made the search records (it had an index job), and
    every shard it made has its index, built from those records."""
    return stamp.get("search") is True and all(
        isinstance(entry, list) and len(entry) == 2 and index_is_current(index.root, s, entry[1])
        for s, entry in Memo.of(stamp).shards.items()
    )


@dataclass(frozen=True)
class Written:
    report: WriteReport
    docs: int  # docs/ files generated (pages, feeds, BibTeX, API), written or not
    rendered: int  # of which made anew (the others' keys were unchanged)
    memo: Memo


def write_outputs(
    folder: BuildFolder,
    archive: Archive,
    url: str,
    memo: Memo | None = None,
    index: IndexJob | None = None,
    related: Mapping[str, Sequence[Entry]] | None = None,
) -> Written:
    """Render and write the search records and the docs/ files, each file as soon as it is
    made, sparing what `memo` says is unchanged; stale files are deleted only once all
    went well."""
    old = memo or Memo()
    new = Memo()
    keys = keys_for(archive, url)
    docs = TreeWriter(folder.project.docs, GENERATED_DOCS)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The JSON API is mostly gzip and JSON, which run outside the GIL or in C: it is
        # made and written beside the search records and the pages rather than after.
        api_done = pool.submit(_write_api, docs, archive, url, keys, old, new)
        if index is not None:
            _write_records(archive, keys, index, old.shards, new.shards)
        rendered = _put(docs, docs_jobs(archive, url, keys, related), old.pages, new.pages)
        rendered += api_done.result()
    report = docs.finish().prefixed("docs/")
    return Written(report, docs.count, rendered, new)


def _put(writer: TreeWriter, jobs: Iterable[Job], old: dict[str, str], new: dict[str, str]) -> int:
    """Each job's file: kept when its key is the recorded one, else made and written."""
    made = 0
    for job in jobs:
        if job.key is not None:
            new[job.path] = job.key
            if old.get(job.path) == job.key:
                writer.keep(job.path)
                continue
        writer.put(job.path, job.make())
        made += 1
    return made


def _write_api(
    docs: TreeWriter, archive: Archive, url: str, keys: Keys, old: Memo, new: Memo
) -> int:
    return _put(docs, api.api_jobs(archive, url, keys), old.pages, new.pages)


def _write_records(
    archive: Archive,
    keys: Keys,
    index: IndexJob,
    old: dict[str, list[str]],
    new: dict[str, list[str]],
) -> None:
    """Each shard's records, biggest shard first, then the top index's, handed to `index`
    once written; a shard made of the same papers as its index, or whose records come out
    as its index's, is left as it is."""
    shards = render.shard_days(archive)
    for shard in sorted(shards, key=lambda s: (-render.shard_size(archive, shards[s]), s)):
        days = shards[shard]
        key = keys.of("shard", shard, [e for d in days for e in archive.by_day[d]])
        _offer(index, shard, key, partial(render.shard_records, archive, days), old, new)
    least, top = render.top_entries(archive)
    if top:
        key = keys.of("shard", (render.TOP, least), top)
        _offer(index, render.TOP, key, partial(render.top_records, archive), old, new)
    _write_catalog(index, archive, keys, old, new)
    trees = [*shards, *([render.TOP] if top else []), catalog.FOLDER]
    index.close(render.search_manifest(archive), trees)


def _write_catalog(
    index: IndexJob,
    archive: Archive,
    keys: Keys,
    old: dict[str, list[str]],
    new: dict[str, list[str]],
) -> None:
    """The search catalog beside the indexes: made from every paper at once, so made
    again, whole, when any paper changed."""
    key = keys.of("catalog", catalog.VERSION, catalog.ordered(archive))
    if _kept(index, catalog.FOLDER, key, old, new):
        return
    files = catalog.catalog_files(archive)
    digest = json.loads(files["index.json"])["v"]
    new[catalog.FOLDER] = [key, digest]
    if not index_is_current(index.root, catalog.FOLDER, digest):
        put_tree(index.root, catalog.FOLDER, files, digest)


def _kept(
    index: IndexJob, tree: str, key: str, old: dict[str, list[str]], new: dict[str, list[str]]
) -> bool:
    """Whether `tree` (a shard, the catalog) is made of the same papers as last time and
    is still there as it was made: then it is kept, unrendered."""
    before = old.get(tree) or []
    if len(before) == 2 and before[0] == key and index_is_current(index.root, tree, before[1]):
        new[tree] = before
        return True
    return False


def _offer(
    index: IndexJob,
    shard: str,
    key: str,
    make: Callable[[], dict[str, str]],
    old: dict[str, list[str]],
    new: dict[str, list[str]],
) -> None:
    if _kept(index, shard, key, old, new):
        return
    records = {path: text.encode("utf-8") for path, text in make().items()}
    digest = records_digest(records)
    new[shard] = [key, digest]
    if index_is_current(index.root, shard, digest):
        return
    folder = index.records_dir(shard)
    for path, data in records.items():
        write_if_changed(folder / path, data)
    index.offer(shard, digest)
