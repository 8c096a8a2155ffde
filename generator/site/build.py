"""The build sequence, written once: generate, MkDocs, install the search index, stamp.

    before_mkdocs   docs/ pages and the search trees from data/ (generate.py)
    MkDocs          site/ from docs/: a full build, or only the changed pages (dirty)
    after_mkdocs    the search trees into the built site (linked, not copied)

`almanac build` runs `Build.run`, which drives MkDocs itself. The MkDocs hooks
(generator/site/hooks.py) are a thin adapter that calls the same two halves around a build
MkDocs drives (plain `mkdocs build`, `mkdocs serve`, `almanac serve`); a `Build` that
drives MkDocs itself rides on MkDocs' config (mkdocs_glue.DRIVER), and the hooks stand
aside for it. MkDocs is the only step that knows about pages' HTML: pages are complete
before it runs and the index is installed after, so another builder would replace one step
(mkdocs_glue.py) and the hooks.

`almanac build` rebuilds only the pages whose source changed (MkDocs' dirty build) when
the site is the one the last build made and nothing that shapes every page changed: the
build key (code, mkdocs.yml, pinned versions), the theme overrides, or the page set (a
page removed, or a hand-written page added). Anything else gets a full build. A dirty
build hands MkDocs only those pages, the hand-written ones and the nav's (mkdocs_glue.Stage):
what it does then grows with the day, not with the archive.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

from generator.memory import give_back_memory
from generator.progress import Progress
from generator.project import Project
from generator.site.buildfolder import BuildFolder, Stamp
from generator.site.digest import Listing, digest, hasher, listing_bytes, tree_digest, tree_stats
from generator.site.generate import generate
from generator.site.mkdocs_glue import Stage, mkdocs_build, mkdocs_logging
from generator.site.render.search import MANIFEST, SEARCH_FOLDER
from generator.site.render.urls import GENERATED_DOCS, RETIRED_DOCS, is_generated
from generator.site.scope import FULL, Scope
from generator.site.search_index import identity_files, index_digest, install_index
from generator.site.write import WriteReport

SITE_STAMP = "site"
# What a daily build needs from the last one to do only the day's work, as paths in the
# project: the build folder (parsed records, topics, search trees, memos, stamps),
# the generated pages and the built site, all JSON or the trees themselves. The publish
# workflow caches exactly these between runs (a test holds it to this list).
CARRIED_OVER = (
    ".almanac-build",
    "site",
    *(f"docs/{entry}" for entry in GENERATED_DOCS if entry not in RETIRED_DOCS),
)


class Build:
    def __init__(
        self,
        project: Project,
        progress: Progress,
        scope: Scope = FULL,
        *,
        serving: bool = False,
    ) -> None:
        self.folder = BuildFolder(project, scope)
        self.progress = progress
        self.serving = serving
        self.started = time.perf_counter()

    @property
    def project(self) -> Project:
        return self.folder.project

    # --- the two halves around MkDocs ------------------------------------------------

    def before_mkdocs(self, docs: Listing | None = None) -> WriteReport:
        """Generate docs/ and the search trees; `docs`: a listing of docs/ as it is now
        (tree_stats), if the caller has one."""
        return generate(self.folder, self.progress, search=True, docs=docs)

    def after_mkdocs(self, site: Path, reuse: Path | None = None) -> None:
        """Put the search trees into the built `site`: a preview links the build folder's
        (a rebuild's new trees are seen at once); a build hard-links the files (copies
        where links cannot be made). `reuse` is the site's previous install, moved away
        while MkDocs built."""
        dest = site / SEARCH_FOLDER
        install_index(self.folder.index, dest, link=self.serving, reuse=reuse)

    # --- `almanac build` -------------------------------------------------------------

    def run(self) -> None:
        """Generate, MkDocs (full or dirty) into site/, and the search trees into it."""
        project = self.project
        # One walk of docs/ for generation's check of its files and the site's inputs,
        # unless generation changes docs/ in between.
        docs = tree_stats(project.docs)
        report = self.before_mkdocs(docs)
        state = SiteState.of(self.folder, None if report.changed else docs)
        built = self.folder.stamp(SITE_STAMP)
        if not report.changed and built.is_current(state.inputs, state.output()):
            self._summary("site/ is up to date, nothing to do")
            return
        last = built.recorded()  # read once: it lists every file of docs/
        dirty = state.allows_dirty(built, last)
        gone = state.gone_files(last) if dirty else []
        changed = state.changed(last) if dirty else None
        built.forget()
        give_back_memory()  # what rendering took, before MkDocs reads every page
        stash = self._stash_index()
        stage = None
        if changed is not None:
            stage = Stage(self.folder.stage, state.listing, is_generated, changed)
        with mkdocs_logging(self.progress):
            mkdocs_build(project, dirty=dirty, driver=self, stage=stage)
        for rel in gone:
            (project.site / rel).unlink(missing_ok=True)
        kind = "changed pages" if dirty else "every page"
        self.progress.step(f"built {kind} with MkDocs ({time.perf_counter() - self.started:.1f} s)")
        self.after_mkdocs(project.site, reuse=stash)
        state.record(built)  # MkDocs writes nothing in docs/: its listing holds
        self._summary(
            "site/ is ready and searchable; open it with: python -m http.server -d site 8080"
        )

    def _stash_index(self) -> Path:
        """The installed search trees, out of MkDocs' way (a full build empties site/), to
        be put back after: only the trees that changed are linked again."""
        installed, stash = self.project.site / SEARCH_FOLDER, self.folder.stash
        if stash.exists():
            shutil.rmtree(stash)
        if installed.is_dir() and not installed.is_symlink():
            installed.rename(stash)
        return stash

    def _summary(self, message: str) -> None:
        self.progress.summary(f"build: {message} ({time.perf_counter() - self.started:.1f} s)")


class SiteState:
    """What the built site was made from, and the site itself, as digests and a list."""

    def __init__(self, folder: BuildFolder, docs: Listing | None = None) -> None:
        project = folder.project
        self.site = project.site
        # One walk of docs/ for both its digest and its list of files (or the caller's).
        self.listing = tree_stats(project.docs) if docs is None else docs
        self.files = {rel: [size, mtime] for rel, size, mtime in self.listing}
        # The hand-written pages by their bytes: a fresh checkout gives them new times.
        self.by_hand = {
            rel: digest((project.docs / rel).read_bytes())
            for rel in self.files
            if rel.endswith(".md") and not is_generated(rel)
        }
        self.overrides = tree_digest([project.root / "overrides"])
        pages = hasher(listing_bytes(self.listing)).hexdigest()
        self.inputs = f"{pages}:{self.overrides}:{index_digest(folder.index)}"

    @classmethod
    def of(cls, folder: BuildFolder, docs: Listing | None = None) -> SiteState:
        return cls(folder, docs)

    def output(self) -> str:
        """The built site as it is now ("" when there is none)."""
        return site_digest(self.site) if self.site.is_dir() else ""

    def record(self, stamp: Stamp) -> None:
        # Each file of docs/ with its size and time: what the next build compares with.
        stamp.record(
            self.inputs,
            self.output(),
            overrides=self.overrides,
            files=self.files,
            by_hand=self.by_hand,
        )

    def allows_dirty(self, stamp: Stamp, last: dict[str, Any]) -> bool:
        """Whether MkDocs may rebuild only what changed, from what `stamp` recorded of
        the `last` build."""
        if not stamp.made(self.output(), last) or last.get("overrides") != self.overrides:
            return False
        before = _files(last)
        if before is None:
            return False
        if any(path not in self.files and not _static(path) for path in before):
            return False  # a page is gone: only a full build takes it out of site/
        added = self.files.keys() - before.keys()
        return all(is_generated(path) for path in added)  # new pages not in the nav

    def changed(self, last: dict[str, Any]) -> set[str] | None:
        """The files of docs/ that are new or changed since the site was last built (None
        when the stamp does not say): by size and time (generation writes a file only
        when its bytes change), but hand-written pages by their bytes."""
        before, by_hand = _files(last), last.get("by_hand")
        if before is None or not isinstance(by_hand, dict):
            return None
        return {
            rel
            for rel, now in self.files.items()
            if (
                by_hand.get(rel) != self.by_hand[rel]
                if rel in self.by_hand
                else before.get(rel) != now
            )
        }

    def gone_files(self, last: dict[str, Any]) -> list[str]:
        """Generated files that are not pages (a day's JSON document leaving the API's
        window), which the last build had and this one has not: MkDocs copies such a file
        to the same path of site/, and a dirty build leaves it there, so it is removed by
        hand (a page gone needs a full build: others link to it)."""
        before = _files(last) or {}
        return sorted(path for path in before if path not in self.files and _static(path))


def _files(recorded: dict[str, Any]) -> dict[str, Any] | None:
    """The files of docs/ the site was built from, as the site stamp records them."""
    files = recorded.get("files")
    return files if isinstance(files, dict) else None


def _static(path: str) -> bool:
    """A generated file that MkDocs copies as it is (not a page)."""
    return is_generated(path) and not path.endswith(".md")


def site_digest(site: Path) -> str:
    """The built site's files (names, sizes, times), but of its search trees only the
    manifest and each tree's identity file: a tree is made whole, every file anew, so
    those stand for the rest (tens of thousands fewer files to look at)."""
    index = site / SEARCH_FOLDER
    paths = [p for p in site.iterdir() if p != index] if site.is_dir() else []
    if index.is_dir():
        paths += [index / MANIFEST, *identity_files(index)]
    return tree_digest(sorted(paths))


def build_site(project: Project, progress: Progress) -> None:
    """`almanac build`: the whole sequence, into site/."""
    Build(project, progress).run()


def generate_only(project: Project, progress: Progress, *, force: bool = False) -> WriteReport:
    """`almanac generate`: docs/ alone, without the search trees or MkDocs."""
    return generate(BuildFolder(project), progress, force=force)


def serve(
    project: Project,
    progress: Progress,
    dev_addr: str | None = None,
    recent_days: int | None = None,
) -> None:
    """`mkdocs serve` with live reload: its hooks run the build's two halves around each
    rebuild (only changed pages are rebuilt, which generation makes safe: it writes exactly
    the pages whose text changed). `recent_days` previews the archive's last days only."""
    from generator.site.mkdocs_glue import mkdocs_serve

    Scope(recent_days)  # refuses a window of no days before anything starts
    if recent_days is not None:
        progress.step(f"previewing the last {recent_days} days of the archive")
    mkdocs_serve(project, progress, dev_addr, recent_days=recent_days)
