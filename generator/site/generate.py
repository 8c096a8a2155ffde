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

import dataclasses
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.fileio import write_if_changed
from generator.memory import give_back_memory
from generator.progress import Progress
from generator.site import load, related_cache, render
from generator.site.arranged import Archive, Entry
from generator.site.buildfolder import BuildFolder, data_digest
from generator.site.digest import tree_digest
from generator.site.memo import Changes, Memo
from generator.site.related import entries_of
from generator.site.render import api, catalog, wordindex
from generator.site.render.jobs import Job, Keys, docs_jobs, keys_for
from generator.site.render.urls import GENERATED_DOCS
from generator.site.search_index import (
    IndexJob,
    index_is_current,
    put_tree,
    records_digest,
    tree_details,
)
from generator.site.siteconf import site_url
from generator.site.write import TreeWriter, WriteReport

# docs/ entries that generation owns; everything else in docs/ is hand-written.
STAMP = "generate"


@dataclass(frozen=True)
class Memos:
    """The keys of what the last complete generation made (memo.py): docs/ files by their
    job key (render/jobs.py) and search trees (a shard, the top index, the catalog) by the
    key of their papers, with the digest of the records each index was built from."""

    pages: Memo
    api: Memo  # the JSON API's files: written beside the pages, by another thread
    trees: Memo

    @classmethod
    def of(cls, folder: BuildFolder, *, trusted: bool = True) -> Memos:
        def memo(name: str) -> Memo:
            return Memo(folder, folder.work / f"{name}.json", trusted=trusted)

        return cls(memo("pages"), memo("api"), memo("trees"))

    def save(self) -> None:
        for memo in (self.pages, self.api, self.trees):
            memo.save()


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
    if same and (index is None or _indexes_current(index, stamp, Memos.of(folder).trees)):
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
    memos = Memos.of(folder, trusted=intact and not force)
    related, related_changes = related_papers(folder, archive, progress)
    written = write_outputs(folder, archive, url, memos, index, related)
    memos.save()
    changes = {
        **loaded.changes,
        "related papers": related_changes,
        "pages": memos.pages.changes() + memos.api.changes(),
        "search trees": memos.trees.changes(),
    }
    done.record(
        inputs_now,
        outputs_digest(folder),
        search=index is not None,
        files=written.docs,
        problems=list(loaded.problems),  # repeated on runs that skip the work
    )
    progress.step(
        f"generated {written.docs} pages and files ({written.rendered} rendered): "
        f"{written.report} ({time.perf_counter() - started:.1f} s)"
    )
    progress.step(
        "changed since the last build: "
        + "; ".join(change.said(what) for what, change in changes.items())
    )
    return written.report


def related_papers(
    folder: BuildFolder, archive: Archive, progress: Progress
) -> tuple[Mapping[str, Sequence[Entry]], Changes]:
    started = time.perf_counter()
    papers = [entry.paper for entry in catalog.ordered(archive)]
    memo = related_cache.memo_of(folder)
    found = related_cache.neighbours(papers, memo)
    give_back_memory()  # the vectors, the products and the memo's JSON, before rendering
    progress.step(f"found related papers ({time.perf_counter() - started:.1f} s)")
    return entries_of(archive, found), memo.changes()


def _indexes_current(index: IndexJob, stamp: dict[str, Any], trees: Memo) -> bool:
    """Whether the last generation made the search records (it had an index job), and
    every tree it made has its index, built from those records."""
    return stamp.get("search") is True and all(
        (recorded := trees.recorded(tree)) is not None
        and index_is_current(index.folder, tree, recorded[1])
        for tree in trees.old
    )


@dataclass(frozen=True)
class Written:
    report: WriteReport
    docs: int  # docs/ files generated (pages, feeds, BibTeX, API), written or not
    rendered: int  # of which made anew (the others' keys were unchanged)


def write_outputs(
    folder: BuildFolder,
    archive: Archive,
    url: str,
    memos: Memos,
    index: IndexJob | None = None,
    related: Mapping[str, Sequence[Entry]] | None = None,
) -> Written:
    """Render and write the search records and the docs/ files, each file as soon as it is
    made, sparing what `memos` say is unchanged; stale files are deleted only once all
    went well."""
    keys = keys_for(archive, url)
    docs = TreeWriter(folder.project.docs, GENERATED_DOCS)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The JSON API is mostly gzip and JSON, which run outside the GIL or in C: it is
        # made and written beside the search records and the pages rather than after.
        api_done = pool.submit(_put, docs, api.api_jobs(archive, url, keys), memos.api)
        if index is not None:
            write_search_records(archive, keys, index, memos.trees)
        rendered = _put(docs, docs_jobs(archive, url, keys, related), memos.pages)
        rendered += api_done.result()
    report = docs.finish().prefixed("docs/")
    return Written(report, docs.count, rendered)


def _put(writer: TreeWriter, jobs: Iterable[Job], memo: Memo) -> int:
    """Each job's file: kept when its key is the recorded one, else made and written."""
    made = 0
    for job in jobs:
        if job.key is not None:
            if memo.get(job.path, job.key) is not None:
                writer.keep(job.path)
                continue
            memo.put(job.path, job.key, None)
        writer.put(job.path, job.make())
        made += 1
    return made


def write_search_records(archive: Archive, keys: Keys, index: IndexJob, trees: Memo) -> None:
    """Each shard's records, biggest shard first, then the top index's, handed to `index`
    once written; a shard made of the same papers as its index, or whose records come out
    as its index's, is left as it is."""
    shards = render.shard_days(archive)
    for shard in sorted(shards, key=lambda s: (-render.shard_size(archive, shards[s]), s)):
        days = shards[shard]
        key = keys.of("shard", shard, [e for d in days for e in archive.by_day[d]])
        _offer(index, shard, key, partial(render.shard_records, archive, days), trees)
    least, top = render.top_entries(archive)
    if top:
        key = keys.of("shard", (render.TOP, least), top)
        _offer(index, render.TOP, key, partial(render.top_records, archive), trees)
    _write_catalog(index, archive, keys, trees)
    segments = _write_words(index, archive, keys, trees)
    trees_made = [*shards, *([render.TOP] if top else []), catalog.FOLDER, *segments]
    index.close(render.search_manifest(archive, segments), trees_made)


def _write_catalog(index: IndexJob, archive: Archive, keys: Keys, trees: Memo) -> None:
    """The search catalog beside the indexes: made from every paper at once, so made
    again, whole, when any paper changed."""
    key = keys.of("catalog", catalog.VERSION, catalog.ordered(archive))
    if _kept(index, catalog.FOLDER, key, trees):
        return
    files = catalog.catalog_files(archive)
    digest = json.loads(files["index.json"])["v"]
    trees.put(catalog.FOLDER, key, digest)
    if not index_is_current(index.folder, catalog.FOLDER, digest):
        put_tree(index.folder, catalog.FOLDER, files, digest)


def _write_words(index: IndexJob, archive: Archive, keys: Keys, trees: Memo) -> list[str]:
    """The word index's segments (render/wordindex.py): each re-indexed only when one of
    its papers changed, the newer scored with the older's statistics so the two add up.
    Returns the segments' trees."""
    entries = catalog.ordered(archive)
    parts = wordindex.segments(archive)
    before: wordindex.Stats | None = None
    key = ""
    for (tree, first), (_, end) in zip(parts, [*parts[1:], ("", len(entries))], strict=True):
        key = keys.of("words", (wordindex.VERSION, tree, key), entries[first:end])
        before = _words_segment(index, tree, key, trees, entries[first:end], first, before)
    return [tree for tree, _ in parts]


def _words_segment(
    index: IndexJob,
    tree: str,
    key: str,
    trees: Memo,
    entries: Sequence[Entry],
    first: int,
    before: wordindex.Stats | None,
) -> wordindex.Stats:
    """One segment of the word index, kept when made of the same papers; its statistics
    (recorded with its stamp, never published) either way."""
    if _kept(index, tree, key, trees):
        stats = _stats(tree_details(index.folder, tree).get("stats"))
        if stats is not None:
            return stats
    files, stats = wordindex.segment_files(entries, first, before)
    digest = wordindex.files_digest(files)
    trees.put(tree, key, digest)
    put_tree(index.folder, tree, files, digest, stats=dataclasses.asdict(stats))
    return stats


def _stats(value: object) -> wordindex.Stats | None:
    try:
        return wordindex.Stats(**value)  # type: ignore[arg-type]
    except TypeError:
        return None


def _kept(index: IndexJob, tree: str, key: str, trees: Memo) -> bool:
    """Whether `tree` (a shard, the catalog) is made of the same papers as last time and
    is still there as it was made: then it is kept, unrendered."""
    found = trees.get(tree, key)
    return found is not None and index_is_current(index.folder, tree, str(found.value))


def _offer(
    index: IndexJob,
    shard: str,
    key: str,
    make: Callable[[], dict[str, str]],
    trees: Memo,
) -> None:
    if _kept(index, shard, key, trees):
        return
    records = {path: text.encode("utf-8") for path, text in make().items()}
    digest = records_digest(records)
    trees.put(shard, key, digest)
    if index_is_current(index.folder, shard, digest):
        return
    folder = index.records_dir(shard)
    for path, data in records.items():
        write_if_changed(folder / path, data)
    index.offer(shard, digest)
