"""The build folder (`.almanac-build/`): all the state a build keeps, of two kinds.

- **Memos** (memo.py): values by name, each valid while the digest of what it was made
  from is unchanged: what to reuse.
- **Stamps** (`Stamp`, here): what a piece of work was made from and what it made, recorded
  once it is complete: whether the work can be skipped.

Nothing in it is published and all of it can be deleted at any time: the next build makes
it again. It is laid out as

    records/        memos of parsed day files, one per month of data/papers (daycache)
    record-stats.json  each day file's size, time and inode by its digest (daycache)
    topics.json     memo of each paper's topics, by its text and the rules (topiccache)
    related.json    memo of each paper's related papers, by its text (related_cache),
                    and related-vectors.bin beside it: their vectors, as integer arrays
    pages.json      memo of the docs/ files' job keys (generate.py; render/jobs.py)
    api.json        memo of the JSON API files' job keys
    trees.json      memo of the search trees' keys and their records' digests
    search-index/   the search trees (the catalog's and the word index's segments), each with
                    its stamp inside it, and the manifest (search_index.py)
    generate.json   the stamp of the last generation
    site.json       the stamp of the last site build
    mkdocs-docs/    while MkDocs runs a dirty build: links to the docs/ files it is handed
    recent/         the same memos, trees and stamps for a preview of the last days

The memos of generation (pages, api, trees) vouch for files outside the folder, so they
are read only while generation's stamp finds those files as it left them.

One rule invalidates all of it: every memo and stamp is written with the **build key**, a
digest of the generator's code, the site's configuration (mkdocs.yml, the site address)
and the versions of the pinned packages that shape the output; a file written under
another key is ignored. Everything is JSON, plain integer arrays or the derived trees
themselves, never pickles, so a folder restored from a CI cache can be read without
trusting it to run code.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from generator import fileio
from generator.project import Project
from generator.site.digest import hasher, tree_digest
from generator.site.scope import FULL, Scope
from generator.site.siteconf import SITE_URL_ENV

CODE = Path(__file__).parents[1]  # the whole generator package
# What shapes the output besides our code: bump VERSION to discard every build folder.
VERSION = 3
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "pyyaml")
TREE_STAMP = ".tree-stamp"  # a derived tree's stamp, inside it (search_index.py)


@functools.cache
def code_key() -> str:
    """The generator's code, the data files it reads (related_words.txt) and the pinned
    packages' versions (fixed for a process)."""
    digest = hasher(f"almanac build folder {VERSION}\0{sys.version_info[:2]}\0".encode())
    sources = (p for p in CODE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for source in sorted(sources):
        digest.update(source.relative_to(CODE).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} missing\n".encode())
    return digest.hexdigest()


def build_key(project: Project) -> str:
    """Code, pinned versions and configuration: what every cache and stamp is valid for."""
    digest = hasher(code_key().encode())
    try:
        digest.update(project.mkdocs_yml.read_bytes())
    except OSError:
        digest.update(b"no mkdocs.yml")
    digest.update(f"\0{SITE_URL_ENV}={os.environ.get(SITE_URL_ENV, '')}".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildFolder:
    project: Project
    scope: Scope = FULL

    @property
    def root(self) -> Path:
        return self.project.build_dir

    @property
    def work(self) -> Path:
        """Where the scope keeps its trees and stamps (a preview never spoils the full)."""
        return self.root if self.scope == FULL else self.root / "recent"

    @property
    def records(self) -> Path:
        return self.root / "records"

    @property
    def record_stats(self) -> Path:
        """The size, time and inode of each day file the records hold (daycache.py)."""
        return self.root / "record-stats.json"

    @property
    def topics(self) -> Path:
        return self.root / "topics.json"

    @property
    def related(self) -> Path:
        """Each paper's vector and neighbours (related_cache.py), for the scope's papers."""
        return self.work / "related.json"

    @property
    def related_vectors(self) -> Path:
        """The vectors of related.json's papers, as integer arrays (related_cache.py)."""
        return self.work / "related-vectors.bin"

    @property
    def index(self) -> Path:
        return self.work / "search-index"

    @property
    def stash(self) -> Path:
        """Where the site's installed search trees wait while MkDocs empties site/."""
        return self.root / "site-search-index"

    @property
    def stage(self) -> Path:
        """docs/ as a dirty build hands it to MkDocs: links to the files it rebuilds
        (mkdocs_glue.Stage), there only while MkDocs runs."""
        return self.root / "mkdocs-docs"

    @functools.cached_property
    def key(self) -> str:
        return build_key(self.project)

    # --- caches and stamps: JSON, valid only under the build key ---------------------------

    def read(self, path: Path) -> dict[str, Any]:
        """A cache or stamp's content; {} when missing, cut, or from another build key."""
        value = fileio.read_json(path)
        if not isinstance(value, dict) or value.get("key") != self.key:
            return {}
        content = value.get("value")
        return content if isinstance(content, dict) else {}

    def write(self, path: Path, content: dict[str, Any]) -> None:
        fileio.write_json(path, {"key": self.key, "value": content})

    def stamp(self, name: str) -> Stamp:
        """The completion stamp of one piece of the scope's work (generation, the site)."""
        return Stamp(self, self.work / f"{name}.json")

    def tree_stamp(self, tree: Path) -> Stamp:
        """The stamp a derived tree (a search index) carries inside it, so that it moves
        and is swapped in with the tree."""
        return Stamp(self, tree / TREE_STAMP)


@dataclass(frozen=True)
class Stamp:
    """A completion stamp: what one piece of the build's work (generation, the built site,
    a search index) was made from and what it made, as digests. Forgotten before the work
    starts again, recorded once it is complete, so a run stopped half-way never looks
    complete; valid only under the build key, like every memo of the folder. The work is
    current when its inputs and its outputs are as recorded."""

    folder: BuildFolder
    path: Path

    def recorded(self) -> dict[str, Any]:
        """What was recorded with the stamp ({} when none is, or it is from another key)."""
        return self.folder.read(self.path)

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)

    def record(self, inputs: str, outputs: str, **details: Any) -> None:
        self.folder.write(self.path, {"inputs": inputs, "outputs": outputs, **details})

    def made(self, outputs: str, recorded: dict[str, Any] | None = None) -> bool:
        """Whether the work's outputs are still as it left them (`recorded`: what
        `recorded()` gave, if the caller has it)."""
        recorded = self.recorded() if recorded is None else recorded
        return bool(recorded) and recorded.get("outputs") == outputs

    def is_current(self, inputs: str, outputs: str) -> bool:
        recorded = self.recorded()
        return self.made(outputs, recorded) and recorded.get("inputs") == inputs


def data_digest(project: Project, extra: str = "") -> str:
    """data/ as it is on disk (names, sizes, times; not dot files such as the lock)."""
    return tree_digest([project.data], extra)
