"""Generation: data/ into the generated folders of docs/ and the search trees.

Each file is written as soon as it is made, and only when its bytes differ (fileio), so
only the archive and the file at hand are in memory and a rerun with nothing new writes
nothing. Three things spare work on a daily build, all recorded in the completion stamp
(`generate.json` in the build folder) and trusted only while the files they vouch for are
as the last generation left them (a digest of their names, sizes and times):

- nothing at all is read when data/, the code and the configuration are unchanged;
- a file whose job key (render/jobs.py) is the one recorded is not rendered again;
- a search tree (the catalog, a segment of the word index) made of the same papers is
  not either: a new day re-indexes the newest segment of the word index.

Without `search` (`almanac generate`) no search tree is made. The stamp is forgotten
before anything is written and recorded once everything is: a generation killed midway
is redone in full by the next.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from generator.memory import collector_held, give_back_memory, kept_for_good
from generator.processes import Beside
from generator.progress import Progress
from generator.site import load, render
from generator.site.arranged import Archive, Entry
from generator.site.buildfolder import BuildFolder, data_digest
from generator.site.digest import Listing, hasher, listing_bytes, tree_stats
from generator.site.memo import Changes, Memo
from generator.site.render import api, catalog
from generator.site.render.jobs import Job, Keys, docs_jobs, keys_for
from generator.site.render.urls import GENERATED_DOCS, is_generated
from generator.site.search_index import finish_trees, index_is_current, put_tree, tree_details
from generator.site.siteconf import site_url
from generator.site.write import TreeWriter, WriteReport

# Related papers and the word index need numpy and scipy, whose import is a third of a
# second: a build with nothing new never needs them (bench/RESULTS.md: "nothing new"),
# so the functions that do import them.
if TYPE_CHECKING:
    from generator.site.render import wordindex

# docs/ entries that generation owns; everything else in docs/ is hand-written.
STAMP = "generate"


@dataclass(frozen=True)
class Memos:
    """The keys of what the last complete generation made (memo.py): docs/ files by their
    job key (render/jobs.py) and search trees (the catalog, the word index's segments) by
    the key of their papers, with the digest of the files each tree was made of."""

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


def outputs_digest(folder: BuildFolder, docs: Listing | None = None) -> str:
    """The generated files of docs/ by name, size and time; `docs`: a listing of docs/
    as it is now (tree_stats), if the caller has one."""
    listing = tree_stats(folder.project.docs) if docs is None else docs
    return hasher(listing_bytes(f for f in listing if is_generated(f[0]))).hexdigest()


def generate(
    folder: BuildFolder,
    progress: Progress,
    *,
    force: bool = False,
    search: bool = False,
    docs: Listing | None = None,
) -> WriteReport:
    """Write docs/ and, with `search`, the search trees from data/; only changed files
    are written. `docs`: a listing of docs/ as it is now (tree_stats), if the caller has
    one, spares walking it again."""
    started = time.perf_counter()
    project = folder.project
    url = site_url(project)  # feeds and the API link to it: a new address is new output
    inputs_now = data_digest(project, f"{folder.scope.key}\n{url}")
    done = folder.stamp(STAMP)
    stamp = done.recorded()
    outputs = outputs_digest(folder, docs)
    intact = done.made(outputs)
    same = done.is_current(inputs_now, outputs) and not force
    if same and (not search or _trees_current(folder, stamp, Memos.of(folder).trees)):
        for problem in stamp.get("problems", []):
            progress.warn(f"warning: {problem}")
        progress.step("pages are up to date with data/: nothing to generate")
        return WriteReport(unchanged=int(stamp.get("files", 0)))
    done.forget()  # a run stopped half-way must not look complete
    with kept_for_good():  # the archive: no collection walks it while pages are made
        with collector_held(freeze=True):
            loaded = load.load(project, folder, folder.scope)
        give_back_memory()  # what reading data/ took, before the pages are rendered
        for problem in loaded.problems:
            progress.warn(f"warning: {problem}")
        archive = loaded.archive
        progress.step(
            f"read {archive.total} papers on {len(archive.days)} days, "
            f"{len(archive.topics)} topics ({time.perf_counter() - started:.1f} s)"
        )
        memos = Memos.of(folder, trusted=intact and not force)
        related, related_changes = related_papers(folder, archive, progress)
        written = write_outputs(
            folder,
            archive,
            url,
            memos,
            search=search,
            related=related,
            days=loaded.day_digests,
        )
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
        search=search,
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
    from generator.site import related_cache
    from generator.site.related import entries_of

    started = time.perf_counter()
    papers = [entry.paper for entry in catalog.ordered(archive)]
    with collector_held(freeze=True):  # the memo's JSON: a million objects, none cyclic
        memo = related_cache.memo_of(folder)
        found = related_cache.neighbours(papers, memo)
    give_back_memory()  # the vectors, the products and the memo's JSON, before rendering
    progress.step(f"found related papers ({time.perf_counter() - started:.1f} s)")
    return entries_of(archive, found), memo.changes()


def _trees_current(folder: BuildFolder, stamp: dict[str, Any], trees: Memo) -> bool:
    """Whether the last generation made the search trees, and every tree it made is
    still as it was made."""
    return stamp.get("search") is True and all(
        (recorded := trees.recorded(tree)) is not None
        and index_is_current(folder, tree, recorded[1])
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
    *,
    search: bool = False,
    related: Mapping[str, Sequence[Entry]] | None = None,
    days: Mapping[date, str] | None = None,
) -> Written:
    """Render and write the docs/ files (and, with `search`, the search trees), each file
    as soon as it is made, sparing what `memos` say is unchanged; stale files are deleted
    only once all went well. `days`: the digest of each day's file, where known."""
    keys = keys_for(archive, url, days)
    docs = TreeWriter(folder.project.docs, GENERATED_DOCS)
    # The search trees are made in a second process, forked before any thread starts,
    # while this one renders the pages, when all of them are made anew (a first build):
    # the two share nothing but the archive already read. A day's trees (the newest
    # segment) are too little work to pay for a second process's memory.
    trees = (
        Beside(
            lambda: write_search_trees(folder, archive, keys, memos.trees),
            "the search index",
            apart=not memos.trees.old,
        )
        if search
        else None
    )
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The JSON API is mostly gzip and JSON, which run outside the GIL or in C: it
            # is made and written beside the pages rather than after.
            api_done = pool.submit(_put, docs, api.api_jobs(archive, url, keys), memos.api)
            rendered = _put(docs, docs_jobs(archive, url, keys, related), memos.pages)
            rendered += api_done.result()
    except BaseException:
        if trees is not None:
            trees.stop()
        raise
    if trees is not None:
        memos.trees.absorb(trees.result())
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


def write_search_trees(folder: BuildFolder, archive: Archive, keys: Keys, trees: Memo) -> Memo:
    """The catalog's and the word index's segments and the manifest; a tree made of the
    same papers as before is left as it is, and trees no longer made are dropped. Returns
    `trees` as it was used (from a worker process, the parent takes it back)."""
    catalogs = _write_catalog(folder, archive, keys, trees)
    segments = _write_words(folder, archive, keys, trees)
    manifest = render.search_manifest(archive, segments, catalogs)
    finish_trees(folder, manifest, [*catalogs, *segments])
    return trees


def _write_catalog(folder: BuildFolder, archive: Archive, keys: Keys, trees: Memo) -> list[str]:
    """The search catalog's segments beside the word index's (render/catalog.py): each
    made again, whole, when one of its papers changed. Returns their trees."""
    entries = catalog.ordered(archive)
    spans = _spans(catalog.segments(archive), len(entries))
    by_source = catalog.by_source_listed(archive)
    for tree, first, end in spans:
        key = keys.of("catalog", (catalog.VERSION, tree, first, by_source), entries[first:end])
        if _kept(folder, tree, key, trees):
            continue
        files = catalog.catalog_files(archive, entries[first:end], first)
        digest = json.loads(files["index.json"])["v"]
        _store_tree(folder, tree, key, trees, files, digest)
    return [tree for tree, _, _ in spans]


def _write_words(folder: BuildFolder, archive: Archive, keys: Keys, trees: Memo) -> list[str]:
    """The word index's segments (render/wordindex.py): each re-indexed only when one of
    its papers changed, the newer scored with the older's statistics so the two add up.
    Returns the segments' trees."""
    from generator.site.render import wordindex

    entries = catalog.ordered(archive)
    spans = _spans(wordindex.segments(archive), len(entries))
    before: wordindex.Stats | None = None
    key = ""
    for tree, first, end in spans:
        key = keys.of("words", (wordindex.VERSION, tree, key), entries[first:end])
        before = _words_segment(folder, tree, key, trees, entries[first:end], first, before)
    return [tree for tree, _, _ in spans]


def _spans(parts: Sequence[tuple[str, int]], papers: int) -> list[tuple[str, int, int]]:
    """Each segment's tree, the number of its first paper and the number after its last."""
    ends = [first for _, first in parts[1:]] + [papers]
    return [(tree, first, end) for (tree, first), end in zip(parts, ends, strict=True)]


def _words_segment(
    folder: BuildFolder,
    tree: str,
    key: str,
    trees: Memo,
    entries: Sequence[Entry],
    first: int,
    before: wordindex.Stats | None,
) -> wordindex.Stats:
    """One segment of the word index, kept when made of the same papers; its statistics
    (recorded with its stamp, never published) either way."""
    from generator.site.render import wordindex

    if _kept(folder, tree, key, trees):
        stats = _stats(tree_details(folder, tree).get("stats"))
        if stats is not None:
            return stats
    files, stats = wordindex.segment_files(entries, first, before)
    digest = wordindex.files_digest(files)
    _store_tree(folder, tree, key, trees, files, digest, stats=dataclasses.asdict(stats))
    return stats


def _stats(value: object) -> wordindex.Stats | None:
    from generator.site.render import wordindex

    try:
        return wordindex.Stats(**value)  # type: ignore[arg-type]
    except TypeError:
        return None


def _store_tree(
    folder: BuildFolder,
    tree: str,
    key: str,
    trees: Memo,
    files: Mapping[str, str | bytes],
    digest: str,
    **details: Any,
) -> None:
    """Remember that `key` made files of `digest`, and put them in place unless the tree
    there is already those files (made again of other papers, it came out the same)."""
    trees.put(tree, key, digest)
    if not index_is_current(folder, tree, digest):
        put_tree(folder, tree, files, digest, **details)


def _kept(folder: BuildFolder, tree: str, key: str, trees: Memo) -> bool:
    """Whether `tree` is made of the same papers as last time and is still there as it
    was made: then it is kept, unrendered."""
    found = trees.get(tree, key)
    return found is not None and index_is_current(folder, tree, str(found.value))
