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
        lines = []
        for rel, path in tree_files(top):
            stat = os.stat(path)  # noqa: PTH116 - strings, see tree_files
            lines.append(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        out.update(b"".join(lines))
    return out.hexdigest()


def tree_files(top: Path) -> Iterator[tuple[str, str]]:
    """(path relative to `top`, full path) of every file under `top`, in a fixed order (a
    file `top` gives its own name; nothing when it is missing). Dot files and folders
    below `top` are left out, as MkDocs leaves them out of a site: the archive's lock,
    a stamp inside a tree. Plain strings, not pathlib: this runs over every generated
    file on every build, 66,000 of them at 30,000 papers."""
    if top.is_file():
        yield top.name, os.fspath(top)
        return
    root = os.fspath(top)
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = folder[len(root) + 1 :] + "/" if folder != root else ""
        for name in sorted(names):
            if not name.startswith("."):
                yield prefix + name, f"{folder}/{name}"
