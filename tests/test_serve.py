"""`almanac serve`: its address, the one-line errors about it, and what its watcher sees."""

from __future__ import annotations

import errno
import os
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from generator.cli import main
from generator.project import Project
from generator.site.mkdocs_glue import DevAddr, ServeAddressError


def run(project: Project, *args: str) -> int:
    return main(["-C", str(project.root), *args])


@pytest.fixture
def project(project: Project) -> Project:
    """A project published under /my-almanac/ (MkDocs is faked where it would run)."""
    project.mkdocs_yml.write_text(
        "site_name: Test\nsite_url: https://example.org/my-almanac/\n", encoding="utf-8"
    )
    return project


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 that another server listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class FakeServe:
    """Stands in for MkDocs' serve: records how it was called, or fails as told."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.error = error

    def __call__(self, **options: Any) -> None:
        self.calls.append(options)
        if self.error is not None:
            raise self.error


@pytest.fixture
def fake_serve(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeServe]:
    import mkdocs.commands.serve

    monkeypatch.delenv("ALMANAC_SITE_URL", raising=False)

    def install(error: Exception | None = None) -> FakeServe:
        fake = FakeServe(error)
        monkeypatch.setattr(mkdocs.commands.serve, "serve", fake)
        return fake

    return install


def test_a_busy_port_is_one_line_with_a_way_out(
    project: Project,
    busy_port: int,
    fake_serve: Callable[..., FakeServe],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = fake_serve()
    assert run(project, "serve", "-a", f"127.0.0.1:{busy_port}") == 1
    assert not fake.calls  # refused before the first build, not after it
    assert capsys.readouterr().err == (
        f"almanac serve: error: cannot serve on 127.0.0.1:{busy_port}: the address is in "
        f"use; serve on another: almanac serve -a 127.0.0.1:{busy_port + 1}\n"
    )


def test_a_port_taken_after_the_check_is_one_line_too(
    project: Project, fake_serve: Callable[..., FakeServe], capsys: pytest.CaptureFixture[str]
) -> None:
    fake_serve(OSError(errno.EADDRINUSE, "Address already in use"))
    port = free_port()
    assert run(project, "serve", "--dev-addr", f"127.0.0.1:{port}") == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert f"cannot serve on 127.0.0.1:{port}: the address is in use" in line


def test_a_failed_first_build_is_one_line(
    project: Project, fake_serve: Callable[..., FakeServe], capsys: pytest.CaptureFixture[str]
) -> None:
    from mkdocs.exceptions import PluginError

    fake_serve(PluginError("data/curation.yaml: line 3: paper x1: no such paper in the archive"))
    assert run(project, "serve", "-a", f"127.0.0.1:{free_port()}") == 1
    assert capsys.readouterr().err == (
        "almanac serve: error: mkdocs serve failed: data/curation.yaml: line 3: paper x1: no "
        "such paper in the archive\n"
    )


def test_serve_needs_an_mkdocs_yml(
    project: Project, fake_serve: Callable[..., FakeServe], capsys: pytest.CaptureFixture[str]
) -> None:
    project.mkdocs_yml.unlink()
    assert run(project, "serve") == 1
    assert capsys.readouterr().err == "almanac serve: error: mkdocs.yml: not found\n"


def test_serve_says_where_the_preview_is_and_passes_the_address_on(
    project: Project, fake_serve: Callable[..., FakeServe], capsys: pytest.CaptureFixture[str]
) -> None:
    fake = fake_serve()
    port = free_port()
    assert run(project, "--quiet", "serve", "-a", f"127.0.0.1:{port}") == 0
    assert capsys.readouterr().out == (
        f"serve: the preview is at http://127.0.0.1:{port}/my-almanac/\n"
    )
    (call,) = fake.calls
    assert call["dev_addr"] == f"127.0.0.1:{port}"


def test_a_recent_window_rides_on_the_config_not_the_environment(
    project: Project, fake_serve: Callable[..., FakeServe], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site.mkdocs_glue import recent_days
    from generator.site.scope import Scope, preview_scope

    monkeypatch.delenv("ALMANAC_RECENT_DAYS", raising=False)
    project.mkdocs_yml.write_text(
        project.mkdocs_yml.read_text(encoding="utf-8") + "extra:\n  generator: false\n",
        encoding="utf-8",
    )
    project.docs.mkdir(exist_ok=True)
    fake = fake_serve()
    assert run(project, "--quiet", "serve", "--recent", "2", "-a", f"127.0.0.1:{free_port()}") == 0
    (call,) = fake.calls
    # What the hooks read from each config MkDocs loads: the window, beside the site's own.
    assert call["extra"] == {"generator": False, "almanac_recent_days": 2}
    assert preview_scope(recent_days({"extra": call["extra"]})) == Scope(2)
    assert "ALMANAC_RECENT_DAYS" not in os.environ
    # Plain `mkdocs serve`: the reader's own variable, and the whole archive without it.
    assert preview_scope(recent_days({"extra": {"generator": False}})) == Scope()
    monkeypatch.setenv("ALMANAC_RECENT_DAYS", "3")
    assert preview_scope(None) == Scope(3)


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("8001", "not HOST:PORT"),
        ("127.0.0.1:http", "not HOST:PORT"),
        ("127.0.0.1:70000", "not HOST:PORT"),
        ("127.0.0.1:0", "not HOST:PORT"),
        ("example.org:8000", "'example.org' is not an IP address or localhost"),
    ],
)
def test_a_bad_address_is_one_line(
    project: Project,
    given: str,
    problem: str,
    fake_serve: Callable[..., FakeServe],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = fake_serve()
    assert run(project, "serve", "-a", given) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"almanac serve: error: cannot serve on {given}: {problem}")
    assert not fake.calls


def test_addresses_are_read_as_mkdocs_reads_them() -> None:
    assert DevAddr.parse("localhost:8000") == DevAddr("localhost", 8000)
    v6 = DevAddr.parse("[::1]:8001")
    assert (v6.host, str(v6), v6.url("/paper-almanac/")) == (
        "::1",
        "[::1]:8001",
        "http://[::1]:8001/paper-almanac/",
    )
    assert DevAddr.parse("127.0.0.1:8000").url("/") == "http://127.0.0.1:8000/"


def test_an_address_not_of_this_machine_says_why() -> None:
    with pytest.raises(ServeAddressError) as info:
        DevAddr.parse("192.0.2.1:8000").check_free()  # TEST-NET-1: never a local address
    assert info.value.reason == "Cannot assign requested address"
    assert info.value.way_out is None


# --- the watcher ---------------------------------------------------------------------------


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_writing_generated_pages_does_not_ask_for_a_rebuild_but_edits_do(
    project: Project, tmp_path: Path
) -> None:
    from mkdocs.livereload import LiveReloadServer

    from generator.site import hooks

    docs = project.docs
    (docs / "days").mkdir(parents=True)
    (docs / "api").mkdir()
    (docs / "about.md").write_text("# About\n")
    config = SimpleNamespace(
        config_file_path=str(project.mkdocs_yml), docs_dir=str(docs), site_dir=str(tmp_path)
    )
    server = LiveReloadServer(
        builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path), polling_interval=0.05
    )
    server.watch(str(docs))  # as `mkdocs serve` does before it calls the hook
    server = hooks.on_serve(server, config, server.builder)
    server.observer.start()
    try:
        time.sleep(0.2)  # the first snapshot, before anything changes
        (docs / "index.md").write_text("# Latest\n")
        (docs / "days" / "2026-01-06.md").write_text("# A day\n")
        (docs / "api" / "index.json").write_text("{}\n")
        # Several polls: long enough for the writes to be seen, were they watched.
        assert not wait_for(lambda: server._want_rebuild, 0.5)
        (docs / "api.md").write_text("# The API, edited\n")
        assert wait_for(lambda: server._want_rebuild, 5)
        server._want_rebuild = False
        (project.papers_dir / "2026-01-06.yaml").write_text("day: '2026-01-06'\npapers: []\n")
        assert wait_for(lambda: server._want_rebuild, 5)
    finally:
        server.observer.stop()
        server.observer.join()
