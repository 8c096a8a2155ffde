"""Shared pieces of the hardening tests: a time limit on every test, fast clients, records."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from helpers import FakeTime

from generator.archive.sources.http import Client

REPO = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().parent / "child.py"
# No test here may take longer: a retry loop without end, or a lock never released,
# fails the test instead of hanging the suite.
TIME_LIMIT = 30.0


@pytest.fixture(autouse=True)
def time_limit() -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"test ran for over {TIME_LIMIT:g} s: an endless loop or wait?")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fast_client(
    fake: FakeTime, *, retries: int = 2, timeout: float = 0.3, warn: Any = None
) -> Client:
    return Client(
        delay=0.0,
        retries=retries,
        timeout=(timeout, timeout),
        sleep=fake.sleep,
        clock=fake.clock,
        on_retry=warn,
    )


def hf_record(paper_id: str, day: str = "2026-01-06", **paper: Any) -> dict[str, Any]:
    """One record as HF's /api/daily_papers lists it."""
    return {
        "paper": {
            "id": paper_id,
            "title": f"Paper {paper_id}",
            "summary": "An abstract.",
            "authors": [{"name": "Ada Lovelace"}],
            "submittedOnDailyAt": f"{day}T08:00:00.000Z",
            "upvotes": 1,
            **paper,
        },
        "numComments": 0,
    }


def write_capture(folder: Path, day: str, records: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_almanac(*args: str) -> subprocess.CompletedProcess[str]:
    """`almanac ARGS` in a child process, as a user runs it, to its end."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=20,
    )


def start_child(*args: str, hook: str = "none") -> subprocess.Popen[str]:
    """`almanac ARGS` in a child process, with a test hook (see child.py)."""
    return subprocess.Popen(
        [sys.executable, str(CHILD), hook, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=REPO,
    )


def wait_for_line(proc: subprocess.Popen[str], wanted: str) -> None:
    """Read the child's stdout until a line equal to `wanted` (the suite's limit bounds it)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == wanted:
            return
    raise AssertionError(f"child ended without saying {wanted!r}: {proc.stderr.read()}")  # type: ignore[union-attr]
