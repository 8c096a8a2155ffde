"""MkDocs hooks (mkdocs.yml `hooks:`), so plain `mkdocs build` and `mkdocs serve` work too.

- on_pre_build: regenerate docs/ and the search records from data/ (nothing is done when
  data/ has not changed, and only changed files are written, so the serve watcher does
  not loop), and start Pagefind beside the build if the records changed since the
  cached index.
- on_serve: watch data/ as well, so editing a day file rebuilds the preview.
- on_post_build: wait for Pagefind and put the index into the built site.
- on_page_markdown / on_page_content: generated pages carry their body as pre-rendered
  HTML after a marker (see render/page.py); Markdown gets only what precedes it, and the
  body goes back into the page's HTML, untouched and unparsed.

`almanac build` sets ALMANAC_HOOKS_OFF while it runs MkDocs, because it has generated
and is indexing already; the build hooks then do nothing (the page hooks still run).

MkDocs loads this file by path, not as part of the package, so `generator` is made
importable from the project folder when it is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

if importlib.util.find_spec("generator") is None:  # pragma: no cover - depends on install
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mkdocs.exceptions import PluginError

from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.render.page import BODY_MARKER
from generator.search_index import IndexJob, install_index, start_index
from generator.site import HOOKS_OFF_ENV, generate, search_tree

log = logging.getLogger("mkdocs.hooks.almanac")
_ID_RE = re.compile(r'\sid="([^"]+)"')


class _State:
    command = "build"
    job: IndexJob | None = None
    bodies: dict[str, str] = {}  # noqa: RUF012 - one build at a time, by page source path


class _LogStream(io.StringIO):
    """A text stream whose lines go to the MkDocs log at one level."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def write(self, text: str) -> int:
        for line in text.splitlines():
            if line.strip():
                log.log(self.level, line)
        return len(text)


def _project(config: Any) -> Project:
    return Project(Path(config.config_file_path).resolve().parent)


def _off() -> bool:
    return os.environ.get(HOOKS_OFF_ENV) == "1"


def on_startup(command: str, dirty: bool) -> None:
    _State.command = command


def on_pre_build(config: Any) -> None:
    if _off():
        return
    _cancel_job()
    project = _project(config)
    progress = Progress(out=_LogStream(logging.INFO), err=_LogStream(logging.WARNING))
    try:
        generate(project, progress)  # a no-op when data/ has not changed
        _State.job = start_index(project, search_tree(project))
    except AlmanacError as exc:
        raise PluginError(str(exc)) from None


def on_build_error(error: Exception) -> None:
    _cancel_job()


def on_shutdown() -> None:
    _cancel_job()


def _cancel_job() -> None:
    job, _State.job = _State.job, None
    if job is not None:
        job.cancel()


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    if not _off():
        server.watch(str(_project(config).data))
    return server


def on_post_build(config: Any) -> None:
    if _off():
        return
    project = _project(config)
    job, _State.job = _State.job, None
    try:
        if job is not None:
            log.info("almanac: indexed search records in %.1f s", job.finish())
        dest = Path(config.site_dir) / "pagefind"
        install_index(project, dest, link=_State.command == "serve")
    except AlmanacError as exc:
        raise PluginError(str(exc)) from None


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str | None:
    head, marker, body = markdown.partition(BODY_MARKER + "\n")
    if not marker:
        return None
    _State.bodies[page.file.src_uri] = body
    return head + BODY_MARKER + "\n"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str | None:
    body = _State.bodies.pop(page.file.src_uri, None)
    if body is None:
        return None
    if page.present_anchor_ids is not None:  # so Markdown links to a paper's anchor validate
        page.present_anchor_ids |= set(_ID_RE.findall(body))
    return html.replace(BODY_MARKER, body, 1)
