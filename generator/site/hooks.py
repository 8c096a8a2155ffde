"""MkDocs hooks (mkdocs.yml `hooks:`): the adapter between MkDocs and the build sequence.

- on_pre_build / on_post_build: the two halves of the build (generator/site/build.py) around a
  build that MkDocs drives, so plain `mkdocs build` and `mkdocs serve` make the same site
  as `almanac build`: generate docs/ and the search trees from data/ (nothing is read
  when data/ is unchanged, and only changed files are written, so the serve watcher does
  not loop); then put the search trees into the built site. While `almanac
  build` drives MkDocs itself (it rides on MkDocs' config), these stand aside. When
  serving, the preview shows the archive's last days only when `almanac serve --recent
  DAYS` hands that window over (in the config's `extra`) or, for plain `mkdocs serve`, the
  reader sets ALMANAC_RECENT_DAYS.
- on_serve: watch data/ as well, so editing a day file rebuilds the preview, and docs/
  but for the generated pages, so that writing them does not rebuild it a second time.
- on_page_markdown / on_page_content / on_post_page: generated pages carry their body as
  pre-rendered HTML after a marker (see render/page.py); Markdown gets only what precedes
  it, and the body goes into the finished page in place of the marker, untouched and
  unparsed. It is read from its file again at that point rather than held: MkDocs reads
  every page before it writes any, and holding every body meanwhile held the whole site's
  HTML in memory (300 MB at 30,000 papers).
- on_post_page / on_post_template: every HTML page gets its Content-Security-Policy
  (render/csp.py), but not when serving: the live-reload script MkDocs injects could not
  run under the policy. Before that, the theme's markup is put right (render/theme.py:
  valid toggles, a skip link on every page, a 404 page that works wherever the site is
  served). Last, the theme's indentation and blank lines go (render/minify.py), when
  serving too, so the preview is the page that is published: after the policy, which it
  cannot invalidate, since it leaves every <script> byte for byte.

MkDocs loads this file by path, not as part of the package, so `generator` is made
importable from the project folder when it is not installed.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

if importlib.util.find_spec("generator") is None:  # pragma: no cover - depends on install
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.exceptions import PluginError

from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.site.build import Build
from generator.site.mkdocs_glue import driver, quiet_dirty_warning, recent_days, watch_hand_edits
from generator.site.render.csp import add_csp
from generator.site.render.minify import compact_html
from generator.site.render.page import BODY_MARKER
from generator.site.render.theme import fix_theme_html, relocatable_404
from generator.site.scope import FULL, preview_scope

log = logging.getLogger("mkdocs.hooks.almanac")
_HAS_H1 = "<!-- <h1> -->"
_ID_RE = re.compile(r'\sid="([^"]+)"')


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


class MkDocsHooks:
    """The hooks that need to remember something between MkDocs' events, as one object.
    MkDocs keeps this module (its plugin) for as long as it runs, across the config that
    `mkdocs serve` loads anew for each rebuild, so it keeps this object: the command MkDocs
    started with, and the build it runs around MkDocs' own (dropped when a rebuild
    starts, fails or the server stops). A build sequence that drives MkDocs itself rides
    on the config instead (mkdocs_glue.DRIVER), and these stand aside for it."""

    def __init__(self) -> None:
        self.command = "build"
        self.build: Build | None = None

    def on_startup(self, command: str, dirty: bool) -> None:
        self.command = command

    def on_pre_build(self, config: Any) -> None:
        if driver(config) is not None:
            return
        self.build = None
        serving = self.command == "serve"
        progress = Progress(out=_LogStream(logging.INFO), err=_LogStream(logging.WARNING))
        try:
            # A preview window only ever applies to `serve`: a build publishes everything.
            scope = preview_scope(recent_days(config)) if serving else FULL
            self.build = Build(_project(config), progress, scope, serving=serving)
            self.build.before_mkdocs()
        except AlmanacError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, error: Exception) -> None:
        self.build = None

    def on_shutdown(self) -> None:
        self.build = None

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        if driver(config) is None:
            from generator.site.render.urls import GENERATED_DOCS

            server.watch(str(_project(config).data))
            watch_hand_edits(server, Path(config.docs_dir), GENERATED_DOCS)
            quiet_dirty_warning()  # `mkdocs serve --dirty` too, not only `almanac serve`
        return server

    def on_post_build(self, config: Any) -> None:
        build, self.build = self.build, None
        if driver(config) is not None or build is None:
            return
        try:
            build.after_mkdocs(Path(config.site_dir))
        except AlmanacError as exc:
            raise PluginError(str(exc)) from None

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        output = fix_theme_html(output)
        if self.command != "serve":  # see on_post_template
            # The policy first: page.content still holds the marker, so nothing of the
            # body can be taken for the theme's own inline script.
            output = add_csp(output, page.content)
        return compact_html(_with_body(output, page))

    def on_post_template(self, output_content: str, template_name: str, config: Any) -> str:
        # `mkdocs serve` injects its live-reload script inline, different on every
        # request: no hash can allow it, so the local preview goes without the policy.
        if not template_name.endswith(".html"):
            return output_content
        output_content = fix_theme_html(output_content)
        if template_name == "404.html":
            output_content = relocatable_404(
                output_content, urlsplit(config.site_url or "/").path or "/"
            )
        if self.command != "serve":
            output_content = add_csp(output_content)
        return compact_html(output_content)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str | None:
    head, marker, _ = markdown.partition(BODY_MARKER + "\n")
    return head + BODY_MARKER + "\n" if marker else None


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str | None:
    if BODY_MARKER not in html:
        return None
    body = _body(page) or ""
    if page.present_anchor_ids is not None:  # so Markdown links to a paper's anchor validate
        page.present_anchor_ids |= set(_ID_RE.findall(body))
    if "<h1" in body:
        # Material gives a page its own <h1> unless the content has one: say it has.
        return html.replace(BODY_MARKER, BODY_MARKER + _HAS_H1, 1)
    return None


def _body(page: Any) -> str | None:
    """The pre-rendered body of a generated page, from its file (None for other pages)."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return None
    _, marker, body = text.partition(BODY_MARKER + "\n")
    return body if marker else None


def _with_body(output: str, page: Any) -> str:
    if BODY_MARKER not in output:
        return output
    body = _body(page)
    if body is None:
        return output
    return output.replace(BODY_MARKER + _HAS_H1, BODY_MARKER, 1).replace(BODY_MARKER, body, 1)


# The events MkDocs calls on this module; those that remember something are the object's.
_HOOKS = MkDocsHooks()
on_startup = _HOOKS.on_startup
on_pre_build = _HOOKS.on_pre_build
on_build_error = _HOOKS.on_build_error
on_shutdown = _HOOKS.on_shutdown
on_serve = _HOOKS.on_serve
on_post_build = _HOOKS.on_post_build
on_post_page = _HOOKS.on_post_page
on_post_template = _HOOKS.on_post_template
