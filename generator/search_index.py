"""Pagefind over the search records: run it, cache its output, put it into a site.

The index is built from the record tree (see render/search.py) by the Pagefind binary
that the `pagefind-bin` wheel ships (`python -m pagefind_bin`, offline), in a child
process so it runs beside the MkDocs build. Its output is kept in the build folder with a
stamp of the tree it indexed: when the records have not changed, the index is reused
instead of rebuilt, and is linked (or copied) into each freshly built site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .errors import AlmanacError
from .project import Project
from .write import fingerprint

STAMP = ".tree-stamp"
LOG_TAIL = 2000


def index_dir(project: Project) -> Path:
    return project.root / ".almanac-build" / "pagefind"


def tree_fingerprint(tree: Path) -> str:
    """A digest of the records' paths, sizes and mtimes (records change only when rewritten)."""
    return fingerprint([tree])


def index_is_current(project: Project, tree: Path) -> bool:
    out = index_dir(project)
    try:
        stamp = (out / STAMP).read_text(encoding="utf-8")
    except OSError:
        return False
    return (out / "pagefind.js").is_file() and stamp == tree_fingerprint(tree)


class IndexJob:
    """One Pagefind run in a child process, writing beside the current index."""

    def __init__(self, project: Project, tree: Path) -> None:
        self.project = project
        self.final = index_dir(project)
        self.temp = self.final.with_name("pagefind.new")
        self.log = self.final.with_name("pagefind.log")
        self.fingerprint = tree_fingerprint(tree)
        shutil.rmtree(self.temp, ignore_errors=True)
        self.final.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "pagefind_bin",
            "--site",
            str(tree),
            "--output-path",
            str(self.temp),
            "--force-language",
            "en",
            "--quiet",
        ]
        self.started = time.perf_counter()
        with open(self.log, "wb") as log:
            try:
                self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            except OSError as exc:
                raise AlmanacError(f"cannot run Pagefind: {exc}") from None

    def finish(self) -> float:
        """Wait for Pagefind, then swap its output in; returns the seconds it took."""
        code = self.process.wait()
        if code != 0 or not (self.temp / "pagefind.js").is_file():
            tail = self.log.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:].strip()
            shutil.rmtree(self.temp, ignore_errors=True)
            raise AlmanacError(f"Pagefind failed (exit code {code}): {tail or 'no output'}")
        (self.temp / STAMP).write_text(self.fingerprint, encoding="utf-8")
        old = self.final.with_name("pagefind.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.final.exists():
            self.final.rename(old)
        self.temp.rename(self.final)
        shutil.rmtree(old, ignore_errors=True)
        return time.perf_counter() - self.started

    def cancel(self) -> None:
        self.process.kill()
        self.process.wait()
        shutil.rmtree(self.temp, ignore_errors=True)


def start_index(project: Project, tree: Path) -> IndexJob | None:
    """Start indexing `tree`, or None when the cached index already matches it."""
    if index_is_current(project, tree):
        return None
    return IndexJob(project, tree)


def install_index(project: Project, dest: Path, *, link: bool) -> None:
    """Put the current index at `dest` (a site's pagefind/ folder).

    `link=True` makes a symbolic link (preview servers rebuild the site on every change);
    otherwise the files are hard-linked where possible, else copied, so the built site
    stands alone.
    """
    source = index_dir(project)
    if not (source / "pagefind.js").is_file():
        raise AlmanacError(f"{project.relative(source)}: no search index to install")
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        dest.symlink_to(source.resolve(), target_is_directory=True)
        return
    shutil.copytree(source, dest, copy_function=_link_or_copy, ignore=shutil.ignore_patterns(STAMP))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
