"""Writing files: the one place that decides how each kind of file reaches the disk.

Two kinds, two rules:

- **The archive (`data/`)** is the only copy of what people reviewed, so each file is
  staged in full (temporary file beside it, fsync) and renamed over the old one only when
  every file of the change is staged (`stage`, then `commit`): a full disk or a killed run
  leaves each file old or new, never cut. This costs about 6x a plain write per file, so
  only data/ pays it.
- **Derived output** (generated pages, search trees, caches and stamps in the build
  folder) can always be made again, so it is written in place, and only when its bytes
  differ (`write_if_changed`). What makes that safe is the build's completion stamp: a
  build forgets its stamp before it writes anything and records it only once everything is
  written, so a build killed midway is redone in full by the next one, which rewrites any
  file left cut (its bytes differ). Caches are JSON, so a cut cache file does not parse
  and is ignored.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from generator.errors import AlmanacError, StoreError


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it holds exactly that already; True if written."""
    try:
        stat = os.stat(path)  # noqa: PTH116 - plain strings are faster over 30,000 files
        # A file of another size differs without being read (the export is tens of MB).
        if stat.st_size == len(data) and path.read_bytes() == data:
            return False
        if stat.st_nlink > 1:
            # Shared with a built site (indexes are hard-linked into it): writing in place
            # would change the site's copy behind its back. Make a file of its own.
            path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise AlmanacError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        try:
            handle = open(path, "wb")  # noqa: SIM115 - closed below, after the write
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "wb")  # noqa: SIM115
        with handle:
            handle.write(data)
    except OSError as exc:
        raise AlmanacError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True


def write_json(path: Path, value: Any) -> bool:
    """A cache or stamp as JSON (derived output: in place, only when it changed)."""
    # orjson: the build's memos hold every paper (hundreds of MB at 100,000 papers), and
    # a daily build writes the ones its day changed; it makes the same bytes as the
    # standard library's compact, sorted, UTF-8 JSON, about ten times as fast.
    return write_if_changed(path, orjson.dumps(value, option=_JSON_OPTIONS))


_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def read_json(path: Path) -> Any:
    """A cache or stamp written by `write_json`; None when missing, cut or not JSON."""
    # orjson reads the memos of a daily build (every paper, parsed) in a third of the
    # standard library's time (bench/VERSUS-32.md); it reads all that write_json writes.
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def stage(path: Path, data: bytes) -> Path | None:
    """`data` written in full and synced to a temporary file beside `path`, to `commit`
    later; None when `path` holds exactly that already."""
    try:
        if path.read_bytes() == data:
            return None
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).chmod(0o644)
    except OSError as exc:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return Path(tmp_name)


def commit(staged: list[tuple[Path, Path]], what: str = "files") -> None:
    """Rename each staged (temporary, final) pair into place, in order, then make the
    renames durable. On a failure the rest are discarded and StoreError says how many
    files were already replaced (each complete)."""
    for done, (tmp, path) in enumerate(staged):
        try:
            tmp.replace(path)
        except OSError as exc:
            discard(t for t, _ in staged[done:])
            raise StoreError(
                f"{path}: cannot replace: {exc.strerror or exc}; {done} of {len(staged)} "
                f"changed {what} were already replaced (each complete); run again to finish"
            ) from None
    for folder in sorted({path.parent for _, path in staged}):
        fsync_dir(folder)


def discard(paths: Iterable[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def fsync_dir(folder: Path) -> None:
    # Makes a rename itself durable; not every platform lets a folder be opened.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
