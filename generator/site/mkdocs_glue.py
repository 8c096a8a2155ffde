"""MkDocs as one step of the build (build.py): its build, full or dirty, and its log.

Everything MkDocs-specific that the build sequence needs lives here, so that moving to a
maintained fork (ProperDocs) or to Zensical is a change of this module and the hooks.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import shutil
import socket
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.site.digest import Listing

# MkDocs warns on every dirty build that navigation may be stale; ours is a few fixed
# sections, and the build chooses a full build whenever the page set could change it.
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


_QUIET = _DropDirtyWarning()

# What the build sequence hands the hooks, on MkDocs' own config: a build that drives
# MkDocs itself rides on it under DRIVER (the hooks then stand aside), and a preview
# window (`almanac serve --recent`) is in `extra` under RECENT_DAYS, where it survives the
# config that `mkdocs serve` loads anew for every rebuild.
DRIVER = "almanac_driver"
RECENT_DAYS = "almanac_recent_days"


def driver(config: Any) -> object | None:
    """The build sequence that drives this MkDocs build itself, if one does."""
    return config.get(DRIVER) if isinstance(config, Mapping) else None


def recent_days(config: Any) -> object:
    """The preview window handed over in `extra` (None: the whole archive)."""
    extra = config.get("extra") if isinstance(config, Mapping) else None
    return extra.get(RECENT_DAYS) if isinstance(extra, Mapping) else None


@dataclass(frozen=True)
class Stage:
    """What a dirty build hands MkDocs instead of docs/: in `folder`, links to the files
    changed since the site was built (`changed`) and to the nav's pages, and the
    hand-written files (`generated` tells the generator's apart), an unchanged page as a
    copy older than its output, which MkDocs leaves as it is. MkDocs otherwise lists
    every file of docs/ and makes a page object of every page, for a sitemap of them all:
    a cost that grows with the archive on a build that changes a day
    (bench/VERSUS-32.md). The sitemap of every page is then made here, as MkDocs makes it."""

    folder: Path
    docs: Listing  # docs/ as it is now (digest.tree_stats)
    generated: Callable[[str], bool]
    changed: Set[str]  # relative to docs/


def mkdocs_build(
    project: Project, *, driver: object, dirty: bool = False, stage: Stage | None = None
) -> None:
    """`mkdocs build --strict` of the project into site/, driven by `driver` (the build
    sequence: the hooks stand aside for it); `dirty` rebuilds only the pages whose source
    is newer than their output (and leaves site/ otherwise as it is), from `stage` when
    given (unless a hand-written page changed: its links are checked against every page)."""
    from mkdocs.commands.build import build as run_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not project.mkdocs_yml.is_file():
        raise AlmanacError(f"{project.relative(project.mkdocs_yml)}: not found")
    try:
        config = load_config(
            config_file=str(project.mkdocs_yml), strict=True, site_dir=str(project.site.absolute())
        )
        config[DRIVER] = driver
        staged = stage if dirty and stage is not None and _staged(config, stage) else None
        if staged is not None:  # MkDocs' sitemap would be of the pages it is handed
            config.theme.static_templates.discard("sitemap.xml")
        config.plugins.on_startup(command="build", dirty=dirty)
        quiet = _DropDirtyWarning()
        logging.getLogger("mkdocs.commands.build").addFilter(quiet)
        try:
            run_build(config, dirty=dirty)
            if staged is not None:
                _write_sitemap(config, pages_in_order(staged.docs))
        finally:
            logging.getLogger("mkdocs.commands.build").removeFilter(quiet)
            config.plugins.on_shutdown()
            if stage is not None:
                shutil.rmtree(stage.folder, ignore_errors=True)
    except MkDocsException as exc:
        raise AlmanacError(f"mkdocs build failed: {exc}") from None


def _staged(config: Any, stage: Stage) -> bool:
    """Link into `stage.folder` what MkDocs is to see of docs/, and point `config` at it;
    False (docs/ whole) when a hand-written page changed, or the config leaves files out
    in ways this does not follow."""
    from mkdocs.utils import is_markdown_file

    if config.exclude_docs or config.draft_docs or config.not_in_nav:
        return False
    in_nav = set(_nav_files(config.nav))
    linked: list[str] = []
    kept: list[str] = []
    for rel, _, _ in stage.docs:
        page = is_markdown_file(rel)
        if page and (rel.startswith("templates/") or _stem(rel) == "README"):
            return False  # MkDocs leaves these out, or out for an index.md
        if stage.generated(rel):
            if rel in stage.changed or rel in in_nav:
                linked.append(rel)
        elif rel not in stage.changed:
            # Unchanged, but perhaps newer than its output (a fresh checkout): MkDocs
            # would build it again and check its links against the few pages it has.
            (kept if page else linked).append(rel)
        elif page:
            return False  # an edited page's links are checked against every page
        else:
            linked.append(rel)
    shutil.rmtree(stage.folder, ignore_errors=True)
    docs = Path(config.docs_dir)
    try:
        for rel in linked:
            _parent(stage.folder / rel).symlink_to(docs / rel)
        for rel in kept:  # a copy dated at the epoch: older than its output, not built
            shutil.copyfile(docs / rel, _parent(stage.folder / rel))
            os.utime(stage.folder / rel, ns=(0, 0))
    except OSError:  # no symbolic links here (Windows without the right): docs/ whole
        shutil.rmtree(stage.folder, ignore_errors=True)
        return False
    config["docs_dir"] = str(stage.folder)
    return True


def _nav_files(nav: object) -> Iterator[str]:
    """The docs/ paths the nav names, at any depth."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, Mapping):
        for value in nav.values():
            yield from _nav_files(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_files(item)


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def output_path(rel: str, *, page: bool, by_dir: bool) -> str:
    """Where MkDocs writes the file `rel` of docs/ (File._get_dest_path): a page
    `a/b.md` to a/b/index.html (a/b.html without directory URLs), an index page beside
    it, any other file as it is."""
    if not page:
        return rel
    parent, _, name = rel.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    prefix = f"{parent}/" if parent else ""
    if stem in ("index", "README") or not by_dir:
        return f"{prefix}{'index' if stem == 'README' else stem}.html"
    return f"{prefix}{stem}/index.html"


def _parent(path: Path) -> Path:
    """`path`, once its folder is made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class _Page:
    """What MkDocs' sitemap template reads of a page."""

    canonical_url: str | None
    abs_url: str | None
    update_date: str
    is_link: bool = False


@dataclass(frozen=True)
class _PageFile:
    page: _Page


def pages_in_order(docs: Listing) -> list[str]:
    """The pages of docs/ in the order MkDocs lists them (os.walk, folders by name, a
    folder's pages before its folders, index first)."""
    from mkdocs.utils import is_markdown_file

    def order(rel: str) -> tuple[tuple[int, bool, str], ...]:
        *folders, name = rel.split("/")
        return (*((1, False, f) for f in folders), (0, _stem(name) != "index", name))

    return sorted((rel for rel, _, _ in docs if is_markdown_file(rel)), key=order)


def _write_sitemap(config: Any, pages: Sequence[str]) -> None:
    """site/sitemap.xml and its gzip copy as MkDocs makes them (commands/build.py
    _build_theme_template), of `pages` (docs/ paths) rather than the pages it built."""
    import gzip
    from datetime import UTC, datetime
    from urllib.parse import quote

    from mkdocs import utils

    base = config.site_url or ""
    base += "" if not base or base.endswith("/") else "/"
    base_path = urlsplit(base).path
    by_dir, date = bool(config.use_directory_urls), utils.get_build_date()
    files = []
    for rel in pages:
        url = output_path(rel, page=True, by_dir=by_dir)
        folder, _, name = url.rpartition("/")
        if by_dir and name == "index.html":
            url = f"{folder}/" if folder else ""
        # MkDocs joins base and URL with urljoin: a quoted path of plain segments (no
        # "." or "..", no scheme) joins as the two put end to end, at a tenth the time.
        url = quote(url)
        page = _Page(base + url, base_path + url, date) if base else _Page(None, None, date)
        files.append(_PageFile(page))
    template = config.theme.get_env().get_template("sitemap.xml")
    output = template.render(pages=files)
    output = config.plugins.on_post_template(output, template_name="sitemap.xml", config=config)
    path = Path(config.site_dir) / "sitemap.xml"
    utils.write_file(output.encode("utf-8"), str(path))
    # As get_build_timestamp(pages=...): the latest page's date, at midnight UTC.
    stamp = int(datetime.fromisoformat(date).replace(tzinfo=UTC).timestamp())
    with (
        path.with_name("sitemap.xml.gz").open("wb") as out,
        gzip.GzipFile(fileobj=out, filename=f"{path}.gz", mode="wb", mtime=stamp) as gz,
    ):
        gz.write(output.encode("utf-8"))


def mkdocs_serve(
    project: Project, progress: Progress, dev_addr: str | None, *, recent_days: int | None = None
) -> None:
    """`mkdocs serve` of the project with live reload, rebuilding only changed pages;
    `recent_days` goes to the hooks as the preview window."""
    from mkdocs.commands.serve import serve
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.site.siteconf import site_url

    if not project.mkdocs_yml.is_file():
        raise AlmanacError(f"{project.relative(project.mkdocs_yml)}: not found")
    addr = DevAddr.parse(dev_addr or DEFAULT_DEV_ADDR)
    # Before the first build, which takes seconds on a big archive, and MkDocs' own bind,
    # which would fail after it with a traceback.
    addr.check_free()
    progress.summary(f"serve: the preview is at {addr.url(urlsplit(site_url(project)).path)}")
    quiet_dirty_warning()
    overrides: dict[str, Any] = {}
    try:
        with mkdocs_logging(progress, level=logging.INFO):
            if recent_days is not None:
                extra = dict(load_config(config_file=str(project.mkdocs_yml)).extra)
                overrides["extra"] = {**extra, RECENT_DAYS: recent_days}
            serve(
                config_file=str(project.mkdocs_yml),
                livereload=True,
                build_type="dirty",
                dev_addr=str(addr),
                **overrides,
            )
    except MkDocsException as exc:  # the first build failed (later ones only log)
        raise AlmanacError(f"mkdocs serve failed: {exc}") from None
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:  # taken between the check and MkDocs' bind
            raise
        raise addr.in_use() from None


DEFAULT_DEV_ADDR = "127.0.0.1:8000"


class ServeAddressError(AlmanacError):
    """The preview cannot be served at an address (taken, not this machine's, not valid)."""

    def __init__(self, addr: str, reason: str, way_out: str | None = None) -> None:
        self.addr = addr
        self.reason = reason
        self.way_out = way_out
        super().__init__(f"cannot serve on {addr}: {reason}" + (f"; {way_out}" if way_out else ""))


@dataclass(frozen=True)
class DevAddr:
    """Where `serve` listens: MkDocs' `dev_addr`, an IP address (or localhost) and a port."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> DevAddr:
        """As MkDocs reads `--dev-addr` (config_options.IpAddress), refusing a bad port too."""
        host, colon, port = text.rpartition(":")
        if not colon or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
            raise ServeAddressError(text, "not HOST:PORT with a port 1-65535, e.g. 127.0.0.1:8001")
        host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        if host != "localhost":
            try:
                host = str(ipaddress.ip_address(host))
            except ValueError:
                raise ServeAddressError(
                    text, f"{host!r} is not an IP address or localhost"
                ) from None
        return cls(host, int(port))

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def url(self, path: str) -> str:
        """The address of the site under `path` (MkDocs serves it under site_url's path)."""
        inner = path.strip("/")
        return f"http://{self}/{inner}/" if inner else f"http://{self}/"

    def in_use(self) -> ServeAddressError:
        other = DevAddr(self.host, self.port + 1 if self.port < 65535 else 8000)
        return ServeAddressError(
            str(self), "the address is in use", f"serve on another: almanac serve -a {other}"
        )

    def check_free(self) -> None:
        """Bind the address as MkDocs' server will, and let go: ServeAddressError if it cannot."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As the server does (allow_reuse_address): a port left in TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((self.host, self.port))
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise self.in_use() from None
                raise ServeAddressError(str(self), exc.strerror or str(exc)) from None


def quiet_dirty_warning() -> None:
    """Drop MkDocs' warning on each dirty build (the preview's every rebuild), once for all."""
    logging.getLogger("mkdocs.commands.build").addFilter(_QUIET)


def watch_hand_edits(server: Any, docs: Path, generated: Sequence[str]) -> None:
    """Rebuild the preview on edits to docs/, not on the generator's own writes there.

    A rebuild generates pages into docs/, which MkDocs watches whole: each edit made two
    rebuilds, the second finding nothing new. MkDocs cannot ignore part of a watched
    folder, so its watch of docs/ is swapped for one that skips the `generated` entries
    and asks for a rebuild as MkDocs' own watch does (its server has no public call).
    """
    cond = getattr(server, "_rebuild_cond", None)
    if cond is None or not hasattr(server, "_want_rebuild"):
        return  # a MkDocs that works otherwise: keep its watch (a spare rebuild, no harm)

    def rebuild() -> None:
        with cond:
            server._want_rebuild = True
            cond.notify_all()

    server.unwatch(str(docs))
    server.observer.schedule(HandEdits(docs, generated, rebuild), str(docs), recursive=True)


class HandEdits(FileSystemEventHandler):
    """Calls `rebuild` for a change to a file of docs/ that is not generated."""

    def __init__(self, docs: Path, generated: Sequence[str], rebuild: Callable[[], None]) -> None:
        self.docs = docs.absolute()
        self.generated = tuple(generated)
        self.rebuild = rebuild

    def by_hand(self, path: str) -> bool:
        try:
            rel = Path(path).relative_to(self.docs).as_posix()
        except ValueError:  # not in docs/ at all: not the generator's
            return True
        return not any(rel == entry or rel.startswith(entry + "/") for entry in self.generated)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        paths = (os.fsdecode(event.src_path), os.fsdecode(event.dest_path))
        if any(path and self.by_hand(path) for path in paths):
            self.rebuild()


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
