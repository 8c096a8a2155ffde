"""Parsed day files kept between runs, so an unchanged day file is not parsed again.

Parsing and validating 30,000 papers of YAML takes about seven seconds; unpickling them
well under one. The store (the only reader of data/) asks this cache for each day file:
a file whose size, modification time and inode are those recorded gets its papers (or
its problem) back from the cache, anything else is parsed and recorded. Entries live in
one pickle per month folder of data/papers, so a new day rewrites one small file.

The cache is ours (in the build folder) and versioned: it is only used by the same
version of the code that parses and validates records, and a damaged or foreign file is
ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .errors import RecordError

VERSION = 1
PARALLEL_FROM = 200  # stale day files from which parsing is spread over processes
_CODE = ("models.py", "store.py", "yamltext.py", "errors.py")

Key = tuple[int, int, int]  # size, mtime_ns, inode


def code_key() -> str:
    """The parsing code's digest: a change to it makes every cached entry stale."""
    digest = hashlib.sha256(str(VERSION).encode())
    here = Path(__file__).parent
    for name in _CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


class DayCache:
    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.root = root  # data/papers: entries are keyed by the path below it
        self.key = code_key()
        self.months: dict[str, dict[str, tuple[Key, Any]]] = {}
        self.dirty: set[str] = set()
        self.seen: dict[str, set[str]] = {}
        self.hits = self.misses = 0

    def prefetch(self, jobs: Sequence[tuple[Path, Callable[[], Any]]], workers: int) -> None:
        """Parse the changed files among `jobs` in `workers` processes, ahead of `get`.

        Worth it on a cold start (thousands of files; YAML parsing is CPU-bound and the
        other cores are idle then); a few changed files are parsed in this process.
        """
        stale = [(path, parse) for path, parse in jobs if self._stale(path)]
        if workers < 2 or len(stale) < PARALLEL_FROM:
            return
        try:
            # fork: a spawned worker would re-run the caller's main module first.
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: parse here, one by one
            return
        chunks = [stale[i :: workers * 4] for i in range(workers * 4)]
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parsed = pool.map(_parse_chunk, [[parse for _, parse in c] for c in chunks])
            for chunk, values in zip(chunks, parsed, strict=True):
                for (path, _), value in zip(chunk, values, strict=True):
                    self._record(path, value)

    def _stale(self, path: Path) -> bool:
        rel, month = self._names(path)
        cached = self._month(month).get(rel)
        return cached is None or cached[0] != _key(path)

    def _record(self, path: Path, value: tuple[str, Any]) -> None:
        rel, month = self._names(path)
        self._month(month)[rel] = (_key(path), value)
        self.dirty.add(month)

    def _names(self, path: Path) -> tuple[str, str]:
        rel = path.relative_to(self.root).as_posix()
        return rel, rel.rsplit("/", 1)[0] if "/" in rel else ""

    def get(self, path: Path, parse: Callable[[], Any]) -> Any:
        """What `parse()` gives for `path`, from the cache when the file is unchanged.

        `parse` returns a value or raises; a RecordError is recorded and raised the same
        way on later runs (a broken day file stays reported until it is fixed). Any
        other error is not recorded.
        """
        rel, month = self._names(path)
        self.seen.setdefault(month, set()).add(rel)
        cached = self._month(month).get(rel)
        if cached is not None and cached[0] == _key(path):
            self.hits += 1
            return _replay(cached[1])
        self.misses += 1
        value = _run(parse)
        self._record(path, value)
        return _replay(value)

    def save(self) -> None:
        """Write the months that changed; drop entries of day files that are gone."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for month, entries in self.months.items():
            seen = self.seen.get(month, set())
            if set(entries) - seen:
                for gone in set(entries) - seen:
                    del entries[gone]
                self.dirty.add(month)
        for month in sorted(self.dirty):
            path = self._path(month)
            temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(temp, "wb") as handle:
                pickle.dump((self.key, self.months[month]), handle, pickle.HIGHEST_PROTOCOL)
            temp.replace(path)
        for path in self.folder.glob("*.pickle"):
            month = "" if path.stem == "top" else path.stem.replace("-", "/")
            if month not in self.seen:  # a month folder no longer in data/
                path.unlink(missing_ok=True)

    def _month(self, month: str) -> dict[str, tuple[Key, Any]]:
        if month not in self.months:
            self.months[month] = self._load(month)
        return self.months[month]

    def _load(self, month: str) -> dict[str, tuple[Key, Any]]:
        try:
            with open(self._path(month), "rb") as handle:
                key, entries = pickle.load(handle)  # noqa: S301 - our own, versioned file
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            return {}
        except (AttributeError, ImportError, IndexError):  # written by other code
            return {}
        return entries if key == self.key and isinstance(entries, dict) else {}

    def _path(self, month: str) -> Path:
        return self.folder / f"{month.replace('/', '-') or 'top'}.pickle"


def _key(path: Path) -> Key:
    stat = path.stat()
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _run(parse: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", parse())
    except RecordError as exc:  # kept as fields: the exception itself does not pickle
        return ("error", (exc.path, exc.paper_id, exc.field, exc.message))


def _parse_chunk(parses: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    return [_run(parse) for parse in parses]


def _replay(value: tuple[str, Any]) -> Any:
    kind, payload = value
    if kind == "error":
        raise RecordError(*payload)
    return payload
