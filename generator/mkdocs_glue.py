"""MkDocs as one step of the build (build.py): its build, full or dirty, and its log.

Everything MkDocs-specific that the build sequence needs lives here, so that moving to a
maintained fork (ProperDocs) or to Zensical is a change of this module and the hooks.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import AlmanacError
from .progress import Progress
from .project import Project

# MkDocs warns on every dirty build that navigation may be stale; ours is a few fixed
# sections, and the build chooses a full build whenever the page set could change it.
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def mkdocs_build(project: Project, *, dirty: bool = False) -> None:
    """`mkdocs build --strict` of the project into site/; `dirty` rebuilds only the pages
    whose source is newer than their output (and leaves site/ otherwise as it is)."""
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not project.mkdocs_yml.is_file():
        raise AlmanacError(f"{project.relative(project.mkdocs_yml)}: not found")
    try:
        config = load_config(
            config_file=str(project.mkdocs_yml), strict=True, site_dir=str(project.site)
        )
        config.plugins.on_startup(command="build", dirty=dirty)
        quiet = _DropDirtyWarning()
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        try:
            run_build(config, dirty=dirty)
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise AlmanacError(f"mkdocs build failed: {exc}") from None


def mkdocs_serve(project: Project, progress: Progress, dev_addr: str | None) -> None:
    """`mkdocs serve` of the project with live reload, rebuilding only changed pages."""
    from mkdocs.commands.serve import serve

    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    quiet = _DropDirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        with mkdocs_logging(progress, level=logging.INFO):
            serve(
                config_file=str(project.mkdocs_yml), livereload=True, build_type="dirty", **options
            )
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


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
def mkdocs_logging(progress: Progress, level: int = logging.WARNING) -> Iterator[None]:
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
