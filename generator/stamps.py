"""Knowing when there is nothing to do: digests of what a step read and what it wrote.

A stamp is a small JSON file in the build folder that records a step's inputs and
outputs as digests of file names, sizes and modification times (files are only ever
rewritten when their bytes change, so equal digests mean equal trees). When both still
match, the step is skipped: a rebuild with nothing new reads no record, renders nothing
and writes no file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from .project import Project
from .write import fingerprint, write_tree

CODE = Path(__file__).parent
# What the built site depends on besides docs/: the theme's and MkDocs' versions.
_PACKAGES = ("mkdocs", "mkdocs-material", "pagefind-bin")
_ENV = ("ALMANAC_SITE_URL",)


def code_digest() -> str:
    digest = hashlib.sha256()
    for source in sorted(CODE.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def data_digest(project: Project, extra: str = "") -> str:
    """data/ (names, sizes, mtimes; not dot files such as the lock), the code, `extra`."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for folder, dirs, names in os.walk(project.data):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                path = Path(folder) / name
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    return fingerprint([p for p in paths if p.exists()])


def site_inputs(project: Project, index: str) -> str:
    """Everything `mkdocs build` reads, and the index (`index`: its digest), as one digest."""
    digest = hashlib.sha256(index.encode())
    for path in (project.mkdocs_yml, project.docs, project.root / "overrides"):
        digest.update(tree_digest([path]).encode())
    digest.update(code_digest().encode())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\n".encode())
    for name in _ENV:
        digest.update(f"{name}={os.environ.get(name, '')}\n".encode())
    return digest.hexdigest()


def site_digest(site: Path) -> str:
    """The built site's files (names, sizes, mtimes), but of its search index only the
    manifest and each shard's entry file: Pagefind rewrites every file of a shard it
    re-indexes, so those stand for the rest (30,000 fewer files to look at)."""
    index = site / "pagefind"
    paths = [p for p in site.iterdir() if p != index] if site.is_dir() else []
    if index.is_dir():
        paths += sorted(index.glob("*.json")) + sorted(index.glob("*/pagefind-entry.json"))
    return fingerprint(sorted(paths))


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write(path: Path, stamp: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_tree(path.parent, {path.name: json.dumps(stamp, indent=1)}, (path.name,))


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
