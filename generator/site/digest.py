"""The one hash of the build's state: every memo's digests, every stamp and the build key
in `.almanac-build/` are 128-bit BLAKE2b digests made here, so a stamp and the memo it
vouches for can never disagree on how content is digested. A tree (data/, docs/, site/)
is digested one way too, by `tree_digest`.

What the site publishes is not build state and keeps its own digests: a title id
(models.title_id) is part of the archive, and the search catalog's version (render/
catalog.py) is part of the published files; changing either would change them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

SIZE = 16  # bytes: collisions among a build's few hundred thousand keys are out of reach
# A tree's files as (path relative to the tree, size, time in ns), in tree_files' order.
Listing = list[tuple[str, int, int]]


def hasher(data: bytes = b"") -> hashlib.blake2b:
    """A new digest to feed piece by piece (`update`), starting with `data`."""
    return hashlib.blake2b(data, digest_size=SIZE)


def digest(data: bytes | str) -> str:
    """The hex digest of `data` (text is taken as UTF-8, lone surrogates included)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hasher(data).hexdigest()


def tree_digest(paths: Iterable[Path], extra: str = "") -> str:
    """The files under `paths` (files or folders; missing ones are skipped) by name, size
    and time, after `extra`. Every file this project writes is rewritten only when its
    bytes change, so an unchanged digest means an unchanged tree, at the cost of a stat
    per file."""
    out = hasher(extra.encode("utf-8"))
    for top in paths:
        out.update(listing_bytes(tree_stats(top)))
    return out.hexdigest()


def listing_bytes(stats: Iterable[tuple[str, int, int]]) -> bytes:
    """What `tree_digest` digests of one tree's `tree_stats`."""
    return b"".join(f"{rel}\0{size}\0{mtime}\n".encode() for rel, size, mtime in stats)


def tree_stats(top: Path) -> Listing:
    """(path relative to `top`, size, time in ns) of every file of `tree_files`."""
    out = []
    for rel, path in tree_files(top):
        stat = os.stat(path)  # noqa: PTH116 - strings, see tree_files
        out.append((rel, stat.st_size, stat.st_mtime_ns))
    return out


def tree_files(top: Path) -> Iterator[tuple[str, str]]:
    """(path relative to `top`, full path) of every file under `top`, in a fixed order
    (a folder's files by name, then its folders by name); a file `top` gives its own name,
    a missing one nothing. Dot files and folders below `top` are left out, as MkDocs
    leaves them out of a site: the archive's lock, a stamp inside a tree. Links to folders
    are not followed. Plain strings and scandir's cached file types, not pathlib or
    os.walk: this runs over every generated file on every build (bench/RESULTS.md)."""
    if top.is_file():
        yield top.name, os.fspath(top)
    elif top.is_dir():
        yield from _walk(os.fspath(top), "")


def _walk(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    with os.scandir(folder) as scan:
        entries = sorted((e for e in scan if not e.name.startswith(".")), key=_name)
    folders = []
    for entry in entries:
        if not entry.is_dir():
            yield prefix + entry.name, entry.path
        elif not entry.is_symlink():
            folders.append(entry)
    for entry in folders:
        yield from _walk(entry.path, f"{prefix}{entry.name}/")


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name
