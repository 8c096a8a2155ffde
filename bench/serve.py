"""`almanac serve` at scale: the first build, and a rebuild after editing one day file.

The preview runs in a child process (generator.site.build.serve, what `almanac serve` calls).
Timed from outside: until the latest day's page is served, then from the edit of that
day's file until the page shows the edit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from bench.measure import REPO
from generator.archive import store
from generator.project import Project

_CODE = (
    "import sys; from pathlib import Path; from generator.site.build import serve;"
    "from generator.project import Project; from generator.progress import Progress;"
    "days = int(sys.argv[2]) if sys.argv[2] != '-' else None;"
    "serve(Project(Path('.')), Progress(quiet=True), dev_addr=sys.argv[1], recent_days=days)"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bytes(response.read())
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, needle: bytes, deadline: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < deadline:
        body = _get(url)
        if body is not None and needle in body:
            return time.perf_counter() - started
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not show {needle!r} within {deadline} s")


def measure_serve(project: Project, recent_days: int | None = None) -> dict[str, Any]:
    latest_day, latest = max((d, p) for d, p in store.day_files(project) if d is not None)
    port = _free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env["ALMANAC_SITE_URL"] = f"http://127.0.0.1:{port}/"
    env.pop("ALMANAC_HOOKS_OFF", None)
    days = str(recent_days) if recent_days else "-"
    argv = [sys.executable, "-c", _CODE, f"127.0.0.1:{port}", days]
    server = subprocess.Popen(
        argv,
        cwd=project.root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its children can be stopped with it
    )
    page = f"http://127.0.0.1:{port}/days/{latest_day:%Y/%m/%d}/"
    original = latest.read_text(encoding="utf-8")
    try:
        first = _wait_for(page, b"pa-card", 900)
        marker = f"Edited at {time.time():.0f}"
        title = _first_title(original)
        latest.write_text(original.replace(title, f"{title} {marker}", 1), encoding="utf-8")
        rebuild = _wait_for(page, marker.encode(), 300)
        index = _wait_for(f"http://127.0.0.1:{port}/search-index/manifest.json", b"papers", 300)
    finally:
        _stop(server)
        latest.write_text(original, encoding="utf-8")
    return {
        "recent_days": recent_days,
        "first_build_s": first,
        "rebuild_s": rebuild,
        "index": index,
    }


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as a person would stop it (MkDocs then shuts down); then whatever is left
    of its process group."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)


def _first_title(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("title:"):
            return stripped.split(":", 1)[1].strip().strip("'\"")
    raise RuntimeError("no title in the day file")
