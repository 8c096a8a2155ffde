"""Pagefind over the search records: one index per shard, built in parallel, cached.

The record tree (render/search.py) holds one folder per shard (a calendar quarter) and a
manifest of the shards. Each shard is indexed by the Pagefind binary that the
`pagefind-bin` wheel ships (`python -m pagefind_bin`, offline), in child processes, a few
at a time, beside the MkDocs build. Pagefind holds a whole index in memory while it
builds it (2.2 GB or more for one index of 30,000 papers), so small shards also keep peak
memory low; the search page merges them in the browser.

Each shard's index is kept in the build folder with a stamp of the records it indexed:
only shards whose records changed are indexed again (a new day re-indexes one quarter),
and the indexes are linked (or copied) into each freshly built site. The stamp is a digest
of the records' bytes, so an index restored from a CI cache, a fresh checkout or a copy
(new modification times, same records) is still taken as current; a digest of names,
sizes and times beside it spares reading the records when nothing touched them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Collection, Iterable
from importlib import metadata
from pathlib import Path

from .errors import AlmanacError
from .write import fingerprint, tree_files, write_tree

RECORDS = "papers"  # the shard folders, inside the record tree
MANIFEST = "shards.json"  # the shards and filter values, beside them
STAMP = ".tree-stamp"  # digest of the records' bytes: what the index was built from
STAT_STAMP = ".tree-stat"  # names, sizes and times of those records when last checked
LOG_TAIL = 2000
MAX_WORKERS = 4
WORKERS_ENV = "ALMANAC_PAGEFIND_WORKERS"
# What the search page needs from a shard's Pagefind output; the rest (Pagefind's own
# UIs, the WebAssembly for unknown languages) is left out of the site.
_KEEP = frozenset(
    {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"}
    | {"fragment", "index", "filter", STAMP, STAT_STAMP}
)


def default_workers() -> int:
    """Pagefind processes at once: one per core (at most MAX_WORKERS), or
    ALMANAC_PAGEFIND_WORKERS. Each holds its shard's index in memory (300-400 MB)."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return min(MAX_WORKERS, os.cpu_count() or 2)


def shard_trees(tree: Path) -> dict[str, Path]:
    """Shard name -> its folder of records, for every shard in the record tree."""
    folder = tree / RECORDS
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_dir()}


def shard_is_current(root: Path, shard: str, records: Path) -> bool:
    """Whether the index of `shard` in `root` was built from `records` as they are."""
    out = root / shard
    stamp = _read_stamp(out / STAMP)
    if not stamp or not (out / "pagefind.js").is_file():
        return False
    now = fingerprint([records])
    if _read_stamp(out / STAT_STAMP) == now:
        return True
    if stamp != records_digest(records):
        return False
    with contextlib.suppress(OSError):  # only spares the next check the reading
        (out / STAT_STAMP).write_text(now, encoding="utf-8")  # same bytes, new times
    return True


def _read_stamp(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def records_digest(records: Path) -> str:
    """A digest of every record's path and bytes below `records`, and of the Pagefind
    that indexes them (another version builds another index from the same records)."""
    digest = hashlib.sha256(f"pagefind-bin {_pagefind_version()}\0".encode())
    for rel, path in tree_files(records):
        data = Path(path).read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class IndexJob:
    """Pagefind over the shards offered to it, at most `workers` at a time.

    Shards are offered as their records are written (`offer`), so indexing starts while
    the rest of the site is still being generated; `close` says no more will come.
    """

    def __init__(self, root: Path, tree: Path, workers: int | None = None) -> None:
        self.tree = tree
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self.shards: list[str] = []  # offered and not current: being indexed
        self.done: set[str] = set()
        self.errors: list[str] = []
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()
        self.queue: queue.Queue[tuple[str, Path] | None] = queue.Queue()
        self.cancelled = self.closed = False
        self.started = time.perf_counter()
        self.workers = max(1, workers or default_workers())
        # Started with the first shard: until then the process has no other thread (the
        # store may fork workers to parse data/ meanwhile).
        self.threads: list[threading.Thread] = []

    def offer(self, shard: str) -> bool:
        """Index `shard` unless its index matches its records; True when it will be."""
        records = self.tree / RECORDS / shard
        if shard_is_current(self.root, shard, records):
            return False
        if not self.threads:
            self.started = time.perf_counter()
            self.threads = [
                threading.Thread(target=self._work, daemon=True) for _ in range(self.workers)
            ]
            for thread in self.threads:
                thread.start()
        self.shards.append(shard)
        self.queue.put((shard, records))
        return True

    def close(self) -> None:
        """No more shards: bring the manifest up to date and drop shards that are gone."""
        if self.closed:
            return
        self.closed = True
        for _ in self.threads:
            self.queue.put(None)
        sync_index(self.root, self.tree)

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.cancelled or self.errors:
                continue
            try:
                self._index(*item)
            except (OSError, AlmanacError) as exc:
                with self.lock:
                    self.errors.append(f"shard {item[0]}: {exc}")

    def _index(self, shard: str, records: Path) -> None:
        stat, stamp = fingerprint([records]), records_digest(records)
        temp = self.root / f"{shard}.new"
        log = self.root / f"{shard}.log"
        shutil.rmtree(temp, ignore_errors=True)
        command = [sys.executable, "-m", "pagefind_bin", "--site", str(records)]
        command += ["--output-path", str(temp), "--force-language", "en", "--quiet"]
        with open(log, "wb") as out:
            with self.lock:
                if self.cancelled:
                    return
                process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
                self.processes[shard] = process
            code = process.wait()
        if code != 0 or not (temp / "pagefind.js").is_file():
            tail = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:].strip()
            shutil.rmtree(temp, ignore_errors=True)
            if code in (-9, 137) and self._stopped():  # killed by cancel(): not a failure
                return
            raise AlmanacError(f"Pagefind failed (exit code {code}): {tail or 'no output'}")
        log.unlink(missing_ok=True)
        _prune_extras(temp)
        (temp / STAMP).write_text(stamp, encoding="utf-8")
        (temp / STAT_STAMP).write_text(stat, encoding="utf-8")
        _swap(temp, self.root / shard)
        with self.lock:
            self.done.add(shard)

    def pending(self) -> set[str]:
        """Shards offered and not indexed yet."""
        with self.lock:
            return set(self.shards) - self.done

    def _stopped(self) -> bool:
        with self.lock:
            return self.cancelled

    def finish(self) -> float:
        """Wait for every shard; returns the seconds it took. Raises if one failed."""
        self.close()
        for thread in self.threads:
            thread.join()
        if self.errors:
            raise AlmanacError("search index: " + "; ".join(self.errors))
        return time.perf_counter() - self.started

    def cancel(self) -> None:
        with self.lock:
            self.cancelled = True
            for process in self.processes.values():
                if process.poll() is None:
                    process.kill()
        if not self.closed:
            self.closed = True
            for _ in self.threads:
                self.queue.put(None)
        for thread in self.threads:
            thread.join()
        for leftover in self.root.glob("*.new"):
            shutil.rmtree(leftover, ignore_errors=True)


def sync_index(root: Path, tree: Path) -> None:
    """The index folder's manifest as the tree's, and no index of a shard that is gone."""
    manifest = tree / MANIFEST
    if manifest.is_file():
        write_tree(root, {MANIFEST: manifest.read_text(encoding="utf-8")}, (MANIFEST,))
    shards = shard_trees(tree)
    for old in root.iterdir():
        if old.is_dir() and old.name not in shards and not old.name.endswith(".new"):
            shutil.rmtree(old, ignore_errors=True)


def start_index(root: Path, tree: Path, workers: int | None = None) -> IndexJob | None:
    """Start indexing into `root` every shard of `tree` whose records changed; None when
    none did. Shards go biggest first, so that the last to finish is a small one."""
    job = IndexJob(root, tree, workers)
    for shard, _ in sorted(shard_trees(tree).items(), key=lambda s: -_count_files(s[1])):
        job.offer(shard)
    job.close()
    if job.shards:
        return job
    job.finish()
    return None


def index_digest(root: Path) -> str:
    """A digest of the indexes in `root`: the manifest and each shard's stamp."""
    digest = hashlib.sha256()
    for path in sorted([root / MANIFEST, *root.glob(f"*/{STAMP}")]):
        try:
            digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
        except OSError:
            digest.update(f"{path.relative_to(root)} missing\0".encode())
    return digest.hexdigest()


def install_index(
    root: Path,
    dest: Path,
    *,
    link: bool,
    skip: Collection[str] = (),
    reuse: Path | None = None,
) -> list[str]:
    """Put the indexes and manifest of `root` at `dest` (a site's pagefind/ folder).

    `link=True` makes a symbolic link (preview servers rebuild the site on every change);
    otherwise the files are hard-linked where possible, else copied, so the built site
    stands alone. `reuse` is a previous install (moved away while MkDocs rebuilt the
    site): its shards that are still current are kept, so a new day re-links one shard,
    not 30,000 files. Shards in `skip` (still being indexed) are left for
    `install_shards`. Returns the shards installed.
    """
    if not (root / MANIFEST).is_file():
        raise AlmanacError(f"{root}: no search index to install")
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        dest.symlink_to(root.resolve(), target_is_directory=True)
        return []
    if reuse is not None and reuse.is_dir() and not reuse.is_symlink():
        reuse.rename(dest)
    dest.mkdir(exist_ok=True)
    (dest / MANIFEST).unlink(missing_ok=True)
    _link_or_copy(root / MANIFEST, dest / MANIFEST)
    shards = {p.name for p in root.iterdir() if p.is_dir() and "." not in p.name}
    for old in dest.iterdir():
        if old.is_dir() and old.name not in shards:
            shutil.rmtree(old)
    return install_shards(root, dest, sorted(shards - set(skip)))


def install_shards(root: Path, dest: Path, shards: Iterable[str]) -> list[str]:
    """Link each shard's index into `dest`, unless the one there is already it."""
    done = []
    for shard in shards:
        if not _same_install(root / shard, dest / shard):
            shutil.rmtree(dest / shard, ignore_errors=True)
            _link_tree(root / shard, dest / shard)
        done.append(shard)
    return done


def _same_install(source: Path, installed: Path) -> bool:
    # Pagefind writes every file of a shard anew, so one hard-linked file that is still
    # the same file tells the whole shard is (copies are never taken as current).
    try:
        return (source / "pagefind-entry.json").samefile(installed / "pagefind-entry.json")
    except OSError:
        return False


def _link_tree(source: Path, dest: Path) -> None:
    # os.walk and os.link directly: shutil.copytree's per-file stat and copystat calls
    # made this the slowest step of a rebuild at 30,000 papers.
    for folder, _dirs, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name not in (STAMP, STAT_STAMP):
                _link_or_copy(Path(folder) / name, target / name)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _prune_extras(output: Path) -> None:
    for path in output.iterdir():
        if path.name in _KEEP or path.suffix == ".pf_meta":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _swap(temp: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    temp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


@functools.cache
def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:  # run from a checkout without the wheel's metadata
        return "unknown"


def _count_files(folder: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(folder))
