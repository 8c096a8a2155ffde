"""Generate, build and serve the site: the orchestration around MkDocs and Pagefind.

- `generate` reads data/, builds the Archive, renders every page and the search records,
  and writes only what changed (docs/ generated folders; the record tree in the build
  folder).
- `build` generates, then runs Pagefind on the record tree *while* MkDocs builds the site
  (the tree does not depend on the site), and puts the index into site/pagefind.
- `serve` generates and runs `mkdocs serve`; the MkDocs hook (generator/hooks.py) then
  regenerates on every change of data/ and puts the index into each rebuilt site, which
  is also what makes plain `mkdocs build` / `mkdocs serve` work.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import render, store
from .archive import Archive, build_archive
from .errors import AlmanacError
from .progress import Progress
from .project import Project
from .search_index import IndexJob, install_index, start_index
from .topics import OTHER, Classifier
from .write import WriteReport, fingerprint, gather, write_tree

# docs/ entries that generation owns; everything else in docs/ is hand-written.
GENERATED_DOCS = ("index.md", "feed.xml", "days", "topics")
RECORDS = "papers"  # the record tree's one owned folder, inside search_tree(project)
# Set while `almanac build` runs MkDocs: it has generated and is indexing already, so the
# hook must not do either again.
HOOKS_OFF_ENV = "ALMANAC_HOOKS_OFF"


def build_dir(project: Project) -> Path:
    return project.root / ".almanac-build"


def search_tree(project: Project) -> Path:
    return build_dir(project) / "search"


@dataclass(frozen=True)
class Loaded:
    archive: Archive
    problems: tuple[str, ...]


def load(project: Project) -> Loaded:
    """Everything the pages need, from data/. Bad records are reported, not fatal."""
    data = store.read_archive(project)
    topics = store.read_topics(project)
    curation = store.read_curation(project, topics)
    archive = build_archive(data.papers, topics, curation, Classifier(topics), OTHER)
    return Loaded(archive, tuple(str(p) for p in data.problems) + archive.problems)


def render_docs(archive: Archive) -> dict[str, str]:
    """docs/ files (path -> Markdown, or Atom for feeds); raises on a path collision."""
    pages = ((page.path, page.markdown()) for page in render.pages(archive))
    return gather([*pages, *render.feeds(archive).items()])


def render_records(archive: Archive) -> dict[str, str]:
    """The search record tree (path -> HTML), one record per paper."""
    return {f"{RECORDS}/{path}": text for path, text in render.search_records(archive).items()}


def render_all(archive: Archive) -> tuple[dict[str, str], dict[str, str]]:
    return render_docs(archive), render_records(archive)


def generate(
    project: Project,
    progress: Progress,
    *,
    force: bool = False,
    records_ready: Callable[[], None] | None = None,
) -> WriteReport:
    """Write docs/ and the search records from data/; only changed files are written.

    When data/, the generator's code and the generated files are all as the last run
    left them, nothing is read or rendered (the stamp in the build folder says so).
    `records_ready` is called once the search records are on disk, before the pages are
    rendered, so that indexing can start early.
    """
    started = time.perf_counter()
    inputs = _inputs_fingerprint(project)
    stamp = _read_stamp(project)
    if not force and stamp.get("inputs") == inputs and stamp.get("outputs") == _outputs(project):
        for problem in stamp.get("problems", []):
            progress.warn(f"warning: {problem}")
        progress.step("pages are up to date with data/: nothing to generate")
        if records_ready:
            records_ready()
        return WriteReport(unchanged=int(stamp.get("files", 0)))
    loaded = load(project)
    for problem in loaded.problems:
        progress.warn(f"warning: {problem}")
    archive = loaded.archive
    progress.step(
        f"read {archive.total} papers on {len(archive.days)} days, "
        f"{len(archive.topics)} topics ({time.perf_counter() - started:.1f} s)"
    )
    records = render_records(archive)
    tree = project.relative(search_tree(project)) + "/"
    report = write_tree(search_tree(project), records, (RECORDS,)).prefixed(tree)
    if records_ready:
        records_ready()
    docs = render_docs(archive)
    report = write_tree(project.docs, docs, GENERATED_DOCS).prefixed("docs/") + report
    _write_stamp(project, inputs, len(docs) + len(records), loaded.problems)
    progress.step(
        f"generated {len(docs)} pages and {len(records)} search records: {report} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return report


def build(project: Project, progress: Progress) -> None:
    """Generate, `mkdocs build --strict` into site/, and Pagefind into site/pagefind.

    Pagefind starts as soon as the search records are written and runs beside the rest
    of the generation and the MkDocs build.
    """
    started = time.perf_counter()
    jobs: list[IndexJob] = []

    def start() -> None:
        job = start_index(project, search_tree(project))
        progress.step("indexing search records with Pagefind" if job else "search index is current")
        jobs.extend([job] if job else [])

    try:
        generate(project, progress, records_ready=start)
        with _hooks_off(), _mkdocs_logging(progress):
            _mkdocs_build(project)
    except BaseException:
        for job in jobs:
            job.cancel()
        raise
    progress.step(f"built site with MkDocs ({time.perf_counter() - started:.1f} s)")
    _finish(jobs[0] if jobs else None, progress)
    install_index(project, project.site / "pagefind", link=False)
    progress.summary(
        f"build: site/ is ready and searchable ({time.perf_counter() - started:.1f} s); "
        "open it with: python -m http.server -d site"
    )


def serve(project: Project, progress: Progress, dev_addr: str | None = None) -> None:
    """Generate, index and serve with live reload (the hook keeps pages and index fresh)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    generate(project, progress)
    _finish(start_index(project, search_tree(project)), progress)
    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    with _mkdocs_logging(progress, level=logging.INFO):
        mkdocs_serve(config_file=str(project.mkdocs_yml), livereload=True, **options)


def _finish(job: IndexJob | None, progress: Progress) -> None:
    if job is not None:
        seconds = job.finish()
        progress.step(f"indexed search records with Pagefind ({seconds:.1f} s)")


def _mkdocs_build(project: Project) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not project.mkdocs_yml.is_file():
        raise AlmanacError(f"{project.relative(project.mkdocs_yml)}: not found")
    try:
        config = load_config(
            config_file=str(project.mkdocs_yml), strict=True, site_dir=str(project.site)
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise AlmanacError(f"mkdocs build failed: {exc}") from None


@contextmanager
def _hooks_off() -> Iterator[None]:
    old = os.environ.get(HOOKS_OFF_ENV)
    os.environ[HOOKS_OFF_ENV] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(HOOKS_OFF_ENV, None)
        else:
            os.environ[HOOKS_OFF_ENV] = old


class _ProgressHandler(logging.Handler):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        message = f"mkdocs: {record.getMessage()}"
        if record.levelno >= logging.WARNING:
            self.progress.warn(f"{record.levelname.lower()}: {message}")
        else:
            self.progress.step(message)


@contextmanager
def _mkdocs_logging(progress: Progress, level: int = logging.WARNING) -> Iterator[None]:
    """MkDocs' log lines through our progress (it has no handler outside its own CLI)."""
    logger = logging.getLogger("mkdocs")
    handler = _ProgressHandler(progress)
    handler.setLevel(level)
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.WARNING))
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


# --- skipping a generation that would change nothing ---------------------------------------


def _inputs_fingerprint(project: Project) -> str:
    """data/ (names, sizes, mtimes; not dot files such as the lock) and the code's bytes."""
    digest = hashlib.sha256()
    for folder, dirs, names in os.walk(project.data):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                path = Path(folder) / name
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _outputs(project: Project) -> str:
    owned = [project.docs / entry for entry in GENERATED_DOCS]
    return fingerprint([p for p in [*owned, search_tree(project)] if p.exists()])


def _stamp_path(project: Project) -> Path:
    return build_dir(project) / "generate.json"


def _read_stamp(project: Project) -> dict[str, Any]:
    try:
        data = json.loads(_stamp_path(project).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_stamp(project: Project, inputs: str, files: int, problems: tuple[str, ...]) -> None:
    stamp = {"inputs": inputs, "outputs": _outputs(project), "files": files}
    stamp["problems"] = list(problems)  # repeated on runs that skip the work
    _stamp_path(project).parent.mkdir(parents=True, exist_ok=True)
    write_tree(
        build_dir(project), {"generate.json": json.dumps(stamp, indent=1)}, ("generate.json",)
    )
