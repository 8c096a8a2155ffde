"""Pagefind over the search records: one index per shard, built in parallel, kept.

The search records (render/search.py) are one small HTML file per paper, a folder per
shard (a calendar quarter). They are only Pagefind's input: generation renders the records
of a shard whose papers changed, and they are written to a scratch folder (in memory,
/dev/shm, where the system has it) only for as long as Pagefind reads them. Each shard is
indexed by the Pagefind binary that the `pagefind-bin` wheel ships (`python -m
pagefind_bin`, offline), in child processes, a few at a time, beside the rest of the
build. Pagefind holds a whole index in memory while it builds it (2.2 GB or more for one
index of 30,000 papers), so small shards also keep peak memory low; the search page merges
them in the browser.

Each shard's index is kept in the build folder with its stamp inside it (buildfolder's
Stamp, under the build key): the digest of the records' bytes it was built from (and of
the Pagefind version), and of the index's entry file as Pagefind wrote it. A shard whose
records come out the same is not indexed again, whatever else changed (a new day
re-indexes one quarter); the indexes are linked (or copied) into each freshly built site.
"""

from __future__ import annotations

import functools
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Collection, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.errors import AlmanacError
from generator.fileio import write_if_changed
from generator.site.buildfolder import TREE_STAMP, BuildFolder
from generator.site.digest import hasher

MANIFEST = "shards.json"  # the shards and filter values, beside the shards' indexes
LOG_TAIL = 2000
MAX_WORKERS = 4
WORKERS_ENV = "ALMANAC_PAGEFIND_WORKERS"
# Memory-backed where the system has it (else the build folder); folders in it are made
# with mkdtemp, private to this user.
SCRATCH_ROOT = Path("/dev/shm")  # noqa: S108
# What the search page needs from a shard's Pagefind output; the rest (Pagefind's own
# UIs, the WebAssembly for unknown languages) is left out of the site.
_KEEP = frozenset(
    {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"}
    | {"fragment", "index", "filter", TREE_STAMP}
)


def default_workers() -> int:
    """Pagefind processes at once: one per core (at most MAX_WORKERS), or
    ALMANAC_PAGEFIND_WORKERS. Each holds its shard's index in memory (300-400 MB)."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    return min(MAX_WORKERS, os.cpu_count() or 2)


def shard_indexes(root: Path) -> list[str]:
    """The shards that have an index in `root`."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and "." not in p.name)


def index_is_current(folder: BuildFolder, shard: str, digest: str) -> bool:
    """Whether the index of `shard` was built from records of this digest, and is as it
    was made."""
    tree = folder.index / shard
    identity = _identity(tree)
    return identity.is_file() and folder.tree_stamp(tree).is_current(digest, _made(identity))


def _stamp(folder: BuildFolder, tree: Path, digest: str, **details: Any) -> None:
    folder.tree_stamp(tree).record(digest, _made(_identity(tree)), **details)


def tree_details(folder: BuildFolder, name: str) -> dict[str, Any]:
    """What was recorded with the stamp of the tree `name` besides its digests ({} when
    it has none, or it is from another build key)."""
    return folder.tree_stamp(folder.index / name).recorded()


def _made(identity: Path) -> str:
    """The tree as made, by its entry file's bytes (small; and times change when a CI
    cache is restored, while the index is the same)."""
    try:
        return hasher(identity.read_bytes()).hexdigest()
    except OSError:
        return ""


def _identity(tree: Path) -> Path:
    """The file that stands for a whole tree: Pagefind's entry, or a tree's own index
    (the catalog's `index.json`, a word index's `meta.json`: its files' digest is in it)."""
    names = ("pagefind-entry.json", "index.json", "meta.json")
    return next((tree / n for n in names if (tree / n).is_file()), tree / names[0])


def put_tree(
    folder: BuildFolder,
    name: str,
    files: Mapping[str, str | bytes],
    digest: str,
    **details: Any,
) -> None:
    """A tree that is not Pagefind's (the search catalog, the word index), beside the
    indexes, with its stamp (and `details` recorded with it): made whole in a scratch
    folder and swapped in, as an index is."""
    root = folder.index
    temp = root / f"{name}.new"
    shutil.rmtree(temp, ignore_errors=True)
    for rel, content in files.items():
        path = temp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    _stamp(folder, temp, digest, **details)
    _swap(temp, root / name)


def records_digest(records: Mapping[str, bytes]) -> str:
    """A digest of a shard's records (path -> bytes) and of the Pagefind that indexes them
    (another version builds another index from the same records)."""
    digest = hasher(f"pagefind-bin {_pagefind_version()}\0".encode())
    for rel in sorted(records):
        data = records[rel]
        digest.update(f"{rel}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


class IndexJob:
    """Pagefind over the shards offered to it, at most `workers` at a time.

    Shards are offered as their records are written (`records_dir`, then `offer`), so
    indexing starts while the rest of the site is still being generated; `close` says no
    more will come. Each shard's records are deleted once indexed.
    """

    def __init__(self, folder: BuildFolder, workers: int | None = None) -> None:
        self.folder = folder
        self.root = folder.index
        self.root.mkdir(parents=True, exist_ok=True)
        self.shards: list[str] = []  # offered: being indexed
        self.done: set[str] = set()
        self.errors: list[str] = []
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()
        self.queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.cancelled = self.closed = False
        self.started = time.perf_counter()
        self.workers = max(1, workers or default_workers())
        self._scratch: Path | None = None
        # Started with the first shard: until then the process has no other thread (the
        # store may fork workers to parse data/ meanwhile).
        self.threads: list[threading.Thread] = []

    def records_dir(self, shard: str) -> Path:
        """Where to write `shard`'s records before offering it (emptied first)."""
        if self._scratch is None:
            self._scratch = _scratch_folder(self.root)
        folder = self._scratch / shard
        shutil.rmtree(folder, ignore_errors=True)
        return folder

    def offer(self, shard: str, digest: str) -> None:
        """Index `shard` from the records just written to `records_dir(shard)`."""
        if not self.threads:
            self.started = time.perf_counter()
            self.threads = [
                threading.Thread(target=self._work, daemon=True) for _ in range(self.workers)
            ]
            for thread in self.threads:
                thread.start()
        self.shards.append(shard)
        self.queue.put((shard, digest))

    def close(self, manifest: str | None = None, shards: Collection[str] | None = None) -> None:
        """No more shards. `manifest` is the search page's list of shards, written beside
        the indexes; indexes of shards not in `shards` are dropped."""
        if self.closed:
            return
        self.closed = True
        for _ in self.threads:
            self.queue.put(None)
        if manifest is not None:
            write_if_changed(self.root / MANIFEST, manifest.encode("utf-8"))
        if shards is not None:
            for old in shard_indexes(self.root):
                if old not in shards:
                    shutil.rmtree(self.root / old, ignore_errors=True)

    def _work(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.cancelled or self.errors:
                continue
            try:
                self._index(*item)
            except (OSError, AlmanacError) as exc:
                with self.lock:
                    self.errors.append(f"shard {item[0]}: {exc}")

    def _index(self, shard: str, digest: str) -> None:
        records = self.records_dir_of(shard)
        temp = self.root / f"{shard}.new"
        log = self.root / f"{shard}.log"
        shutil.rmtree(temp, ignore_errors=True)
        command = [sys.executable, "-m", "pagefind_bin", "--site", str(records)]
        command += ["--output-path", str(temp), "--force-language", "en", "--quiet"]
        try:
            with open(log, "wb") as out:
                with self.lock:
                    if self.cancelled:
                        return
                    process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
                    self.processes[shard] = process
                code = process.wait()
        finally:
            shutil.rmtree(records, ignore_errors=True)
        if code != 0 or not (temp / "pagefind.js").is_file():
            tail = log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:].strip()
            shutil.rmtree(temp, ignore_errors=True)
            if code in (-9, 137) and self._stopped():  # killed by cancel(): not a failure
                return
            raise AlmanacError(f"Pagefind failed (exit code {code}): {tail or 'no output'}")
        log.unlink(missing_ok=True)
        _prune_extras(temp)
        _stamp(self.folder, temp, digest)
        _swap(temp, self.root / shard)
        with self.lock:
            self.done.add(shard)

    def records_dir_of(self, shard: str) -> Path:
        if self._scratch is None:
            raise AlmanacError(f"shard {shard}: offered with no records written")
        return self._scratch / shard

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
        self._drop_scratch()
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
        self._drop_scratch()

    def _drop_scratch(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def _scratch_folder(root: Path) -> Path:
    """A fresh folder for records: in memory where the system has it (records are written
    and read once, and 30,000 small files on a slow disk cost seconds), else beside the
    indexes. Folders left by runs that were killed are removed first."""
    base = SCRATCH_ROOT if SCRATCH_ROOT.is_dir() and os.access(SCRATCH_ROOT, os.W_OK) else root
    prefix = f"almanac-records-{os.getuid()}-"
    for old in base.glob(f"{prefix}*"):
        pid = old.name.removeprefix(prefix).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def index_digest(root: Path) -> str:
    """A digest of the indexes in `root`: the manifest and each shard's stamp."""
    digest = hasher()
    for path in sorted([root / MANIFEST, *root.glob(f"*/{TREE_STAMP}")]):
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
    shards = set(shard_indexes(root))
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
    identity = _identity(source)
    try:
        return identity.samefile(installed / identity.name)
    except OSError:
        return False


def _link_tree(source: Path, dest: Path) -> None:
    # os.walk and os.link directly: shutil.copytree's per-file stat and copystat calls
    # made this the slowest step of a rebuild at 30,000 papers.
    for folder, _dirs, names in os.walk(source):
        target = dest / Path(folder).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name != TREE_STAMP:
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
