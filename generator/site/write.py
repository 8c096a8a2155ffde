"""Writing generated files: each as soon as it is made, and only when it changed.

A writer owns some entries of a folder (e.g. `index.md`, `days/` and `topics/` in docs/)
and never touches anything else there, so hand-written pages are safe. Inside what it
owns, files it was not given are stale and are deleted, once every file has been given.
Each file is written only when its bytes differ (fileio.write_if_changed: in place, no
temporary file; the build's completion stamp covers a run killed midway), so a rerun with
nothing new writes nothing and `mkdocs serve` sees no change.

`TreeWriter` takes the files one at a time, so a generation holds one page's text at a
time rather than the whole site's.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.errors import AlmanacError
from generator.fileio import write_if_changed

T = TypeVar("T")  # text or bytes


class PageCollisionError(AlmanacError):
    """Two generated pages would be written to the same path."""


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...] = ()  # relative paths, in the order written
    unchanged: int = 0
    deleted: tuple[str, ...] = ()

    def __add__(self, other: WriteReport) -> WriteReport:
        return WriteReport(
            self.written + other.written,
            self.unchanged + other.unchanged,
            self.deleted + other.deleted,
        )

    def prefixed(self, prefix: str) -> WriteReport:
        return WriteReport(
            tuple(prefix + p for p in self.written),
            self.unchanged,
            tuple(prefix + p for p in self.deleted),
        )

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)

    def __str__(self) -> str:
        return (
            f"{len(self.written)} files written, {self.unchanged} unchanged, "
            f"{len(self.deleted)} deleted"
        )


def gather(items: Iterable[tuple[str, T]]) -> dict[str, T]:
    """(path, text) pairs as a mapping; two texts for one path is an error, not a choice."""
    out: dict[str, T] = {}
    for path, text in items:
        if path in out:
            raise PageCollisionError(f"two generated pages share the path {path}")
        out[path] = text
    return out


class TreeWriter:
    """Makes the `owned` entries of `root` hold exactly the files given to `put`.

    Each file is written when it is put (if its bytes differ), so the caller need not hold
    them all; the writer keeps only their paths, to refuse a second file on one path and
    to know, in `finish`, which files are stale. Nothing is deleted before `finish`: a
    generation that fails half-way leaves every page it did not get to in place.
    `put` may be called from several threads (e.g. the JSON API beside the pages).
    """

    def __init__(self, root: Path, owned: Sequence[str]) -> None:
        self.root = root
        self.owned = tuple(owned)
        self._seen: set[str] = set()
        self._written: list[str] = []
        self._unchanged = 0
        self._finished = False
        self._lock = threading.Lock()

    def put(self, rel: str, content: str | bytes) -> None:
        """Write `content` (text, as UTF-8, or bytes) to `rel` unless it holds it already."""
        self._claim(rel)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        changed = write_if_changed(self.root / rel, data)
        with self._lock:
            if changed:
                self._written.append(rel)
            else:
                self._unchanged += 1

    def keep(self, rel: str) -> None:
        """Keep `rel` as it is on disk: given, but known to hold its content already."""
        self._claim(rel)
        with self._lock:
            self._unchanged += 1

    def _claim(self, rel: str) -> None:
        _check_owned(rel, self.owned)
        with self._lock:
            if self._finished:
                raise AlmanacError(f"{rel}: the tree in {self.root} is finished already")
            if rel in self._seen:
                raise PageCollisionError(f"two generated pages share the path {rel}")
            self._seen.add(rel)

    @property
    def count(self) -> int:
        """How many files were put so far."""
        return len(self._seen)

    def finish(self) -> WriteReport:
        """Delete the stale files (owned, not put) and report what this writer did."""
        with self._lock:
            self._finished = True
        deleted = _prune(self.root, self._seen, self.owned)
        return WriteReport(tuple(self._written), self._unchanged, tuple(deleted))


def _check_owned(rel: str, owned: Sequence[str]) -> None:
    parts = PurePosixPath(rel).parts
    if not parts or rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise AlmanacError(f"generated path {rel!r} is not a plain relative path")
    if not any(rel == o or rel.startswith(o.rstrip("/") + "/") for o in owned):
        raise AlmanacError(f"generated path {rel!r} is outside the generated folders {owned}")


def _prune(root: Path, keep: set[str], owned: Sequence[str]) -> list[str]:
    """Delete files under the owned entries that are not in `keep`, then empty folders."""
    deleted: list[str] = []
    for entry in owned:
        name = entry.rstrip("/")
        top = root / name
        if top.is_file() or top.is_symlink():
            if name not in keep:
                top.unlink()
                deleted.append(name)
        elif top.is_dir() and _prune_folder(os.fspath(top), name, keep, deleted):
            top.rmdir()
    return sorted(deleted)


def _prune_folder(folder: str, rel: str, keep: set[str], deleted: list[str]) -> bool:
    """Delete the files below `folder` (`rel` in the tree) that are not in `keep`, and the
    folders left empty below it; whether `folder` itself is left empty. One scandir a
    folder and plain strings: this runs over every generated file of every build that
    generates (bench/RESULTS.md)."""
    empty = True
    with os.scandir(folder) as scan:
        entries = list(scan)
    for entry in entries:
        path = f"{rel}/{entry.name}"
        if entry.is_symlink() and entry.is_dir():
            empty = False  # a link to a folder is not ours to follow or remove
        elif entry.is_dir(follow_symlinks=False):
            if _prune_folder(entry.path, path, keep, deleted):
                os.rmdir(entry.path)  # noqa: PTH106 - strings, see above
            else:
                empty = False
        elif path in keep:
            empty = False
        else:
            os.unlink(entry.path)  # noqa: PTH108 - strings, see above
            deleted.append(path)
    return empty
