"""Running MkDocs from inside the almanac: its build, its log, and the hooks' switch."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import AlmanacError
from .progress import Progress
from .project import Project

# Set while `almanac build` runs MkDocs: it has generated and is indexing already, so the
# hook must not do either again.
HOOKS_OFF_ENV = "ALMANAC_HOOKS_OFF"


def mkdocs_build(project: Project) -> None:
    """`mkdocs build --strict` of the project into site/."""
    from mkdocs.commands.build import build as run_build
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
            run_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise AlmanacError(f"mkdocs build failed: {exc}") from None


@contextmanager
def hooks_off() -> Iterator[None]:
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
