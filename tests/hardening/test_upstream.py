"""Upstream faults through the real pipeline: every fault seen in the wild ends in the good
records archived (and the bad reported one line each), or the day left as it was with a
clear error. Never a traceback, never an endless loop, never silent loss."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from helpers import QUIET, day_bytes

from generator.archive import commands as pipeline
from generator.archive import fetch as fetching
from generator.archive import store
from generator.progress import Progress
from generator.project import Project

from .conftest import FakeTime, fast_client, hf_record, run_almanac
from .upstream import RESET, Action, Hang, Reply, Upstream, json_reply, status

D6, D7 = "2026-01-06", "2026-01-07"
GOOD = [hf_record("2601.00061", D6, upvotes=9), hf_record("2601.00062", D6, upvotes=9)]
HTML = b"<!DOCTYPE html><html><body><h1>We'll be right back</h1></body></html>"


@dataclass
class Run:
    report: pipeline.RunReport
    lines: list[str]
    before: dict[str, bytes]
    after: dict[str, bytes]
    sleeps: list[float]

    def day_file(self, day: str, which: str = "after") -> bytes:
        files = self.before if which == "before" else self.after
        return files[f"data/papers/2026/01/{day}.yaml"]


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with Upstream() as server:
        yield server


@pytest.fixture
def archived(project: Project, upstream: Upstream) -> Project:
    """Days 6 and 7 already archived, with upvotes of 1."""
    old = [hf_record("2601.00061", D6), hf_record("2601.00062", D6), hf_record("2601.00071", D7)]
    upstream.routes = {f"{D6}/0": [json_reply(old[:2])], f"{D7}/0": [json_reply(old[2:])]}
    report = fetching.fetch_days(
        project,
        [date(2026, 1, 6), date(2026, 1, 7)],
        QUIET,
        client=fast_client(FakeTime()),
        base_url=upstream.url,
    )
    assert report.ok and report.added == 3
    return project


def fetch(
    project: Project,
    upstream: Upstream,
    day6: list[Action],
    more: dict[str, list[Action]] | None = None,
) -> Run:
    """Fetch days 6 and 7: day 6 as scripted, day 7 answering well with new upvotes."""
    upstream.routes = {
        f"{D6}/0": list(day6),  # the server uses up its script
        f"{D7}/0": [json_reply([hf_record("2601.00071", D7, upvotes=5)])],
        **{route: list(actions) for route, actions in (more or {}).items()},
    }
    err, fake = io.StringIO(), FakeTime()
    progress = Progress(quiet=True, err=err)
    before = day_bytes(project)
    report = fetching.fetch_days(
        project,
        [date(2026, 1, 6), date(2026, 1, 7)],
        progress,
        client=fast_client(fake, warn=progress.warn),
        base_url=upstream.url,
    )
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue()
    for line in lines:
        assert line.startswith(("error: ", "note: ", upstream.url)), line
    run = Run(report, lines, before, day_bytes(project), fake.sleeps)
    # Day 7 is fetched and archived whatever happened to day 6.
    assert b"upvotes: 5" in run.day_file(D7)
    return run


def assert_left_as_it_was(run: Run, message: str) -> None:
    assert run.report.failed_inputs == [D6] and not run.report.ok
    assert run.day_file(D6) == run.day_file(D6, "before")
    errors = [line for line in run.lines if line.startswith("error: ")]
    assert len(errors) == 1, run.lines
    assert errors[0].startswith(f"error: {D6}: ") and message in errors[0], errors[0]
    assert errors[0].endswith(f"the archive for {D6} is left as it was")


def assert_archived(run: Run) -> None:
    assert run.report.ok, run.lines
    assert run.day_file(D6).count(b"upvotes: 9") == 2


FAILS = {
    "slow-past-the-timeout": ([Hang(2.0)], "timed out after 3 attempts"),
    "429-without-retry-after": ([status(429)], "HTTP 429 after 3 attempts"),
    "500": ([status(500, b"oops")], "HTTP 500 after 3 attempts"),
    "502": ([status(502, HTML, Content_Type="text/html")], "HTTP 502 after 3 attempts"),
    "503": ([status(503)], "HTTP 503 after 3 attempts"),
    "connection-reset": ([RESET], "connection failed"),
    "truncated-body": ([Reply(b'[{"paper": {"id": "2601.0', content_length=900)], "truncated"),
    "cut-json": ([Reply(b'[{"paper": {"id": "2601.000')], "truncated JSON body"),
    "html-instead-of-json": ([status(200, HTML, Content_Type="text/html")], "not JSON (text/html)"),
    "empty-body": ([status(200)], "empty response body"),
    "object-wrapping-the-list": ([json_reply({"papers": GOOD})], "got an object (keys: papers)"),
    "list-of-strings": ([json_reply([json.dumps(r) for r in GOOD])], "item 0 is a string"),
    "null": ([json_reply(None)], "got null"),
    "redirect-loop": ([status(302, Location="/api/daily_papers?date=2026-01-06")], "redirects"),
    "not-found": ([status(404)], "HTTP 404"),
}


@pytest.mark.parametrize("fault", sorted(FAILS))
def test_a_fault_that_persists_leaves_the_day_as_it_was(
    archived: Project, upstream: Upstream, fault: str
) -> None:
    actions, message = FAILS[fault]
    assert_left_as_it_was(fetch(archived, upstream, actions), message)


RECOVERS = {
    "slow-then-fast": [Hang(2.0), json_reply(GOOD)],
    "429-with-retry-after": [status(429, Retry_After="7"), json_reply(GOOD)],
    "503-then-ok": [status(503), status(502), json_reply(GOOD)],
    "reset-then-ok": [RESET, json_reply(GOOD)],
    "truncated-then-ok": [Reply(b"[{", content_length=100), json_reply(GOOD)],
}


@pytest.mark.parametrize("fault", sorted(RECOVERS))
def test_a_passing_fault_is_retried_and_the_day_archived(
    archived: Project, upstream: Upstream, fault: str
) -> None:
    run = fetch(archived, upstream, RECOVERS[fault])
    assert_archived(run)
    retries = [line for line in run.lines if "retrying in" in line]
    assert len(retries) == len(RECOVERS[fault]) - 1
    if fault == "429-with-retry-after":
        assert run.sleeps == [7.0]  # waited as long as the server asked


def test_records_missing_fields_are_reported_and_the_rest_archived(
    archived: Project, upstream: Upstream
) -> None:
    no_id = hf_record("x", D6)
    del no_id["paper"]["id"]  # type: ignore[attr-defined]
    no_title = hf_record("2601.00063", D6, title="  ")
    bad_votes = hf_record("2601.00064", D6, upvotes="lots")
    not_a_record = hf_record("2601.00065", D6)
    not_a_record["paper"] = ["what"]
    not_a_record.pop("title", None)
    records = [*GOOD, no_id, no_title, bad_votes, not_a_record]
    run = fetch(archived, upstream, [json_reply(records)])
    archive = {p.id: p for p in store.read_archive(archived).papers}
    assert archive["2601.00064"].upvotes is None  # kept, without the bad field
    assert "2601.00063" not in archive and "2601.00065" not in archive
    assert run.day_file(D6).count(b"upvotes: 9") == 2
    # Every record is accounted for: archived, or named in a one-line reason.
    assert run.report.added == 1 and len(run.report.problems) >= 4
    assert len(run.lines) == len(run.report.problems)
    reasons = " | ".join(run.lines)
    for expected in ("field id: item 2", "field title: item 3", "field upvotes", "item 5"):
        assert expected in reasons, reasons


def test_a_day_only_partly_published_is_left_as_it_was(
    archived: Project, upstream: Upstream
) -> None:
    # Page 0 is full (100 papers, so there must be a page 1), and page 1 keeps failing:
    # saving page 0 alone would pass off part of the day as all of it.
    page0 = [hf_record(f"2601.{n:05d}", D6, upvotes=9) for n in range(100, 200)]
    run = fetch(archived, upstream, [json_reply(page0)], {f"{D6}/1": [status(500)]})
    assert_left_as_it_was(run, "p=1: HTTP 500 after 3 attempts")
    assert len(store.read_archive(archived).papers) == 3


def test_a_list_that_never_ends_is_given_up(archived: Project, upstream: Upstream) -> None:
    pages = [
        json_reply([hf_record(f"2601.{p:02d}{n:03d}", D6) for n in range(100)]) for p in range(60)
    ]
    more = {f"{D6}/{page}": [reply] for page, reply in enumerate(pages) if page}
    run = fetch(archived, upstream, [pages[0]], more)
    assert_left_as_it_was(run, "still more papers after 50 pages; gave up")
    assert upstream.log.count(f"{D6}/49") == 1 and f"{D6}/50" not in upstream.log


def test_cli_fetch_against_a_dead_server_is_one_line_and_exit_1(
    archived: Project, upstream: Upstream
) -> None:
    upstream.routes = {f"{D6}/0": [status(503)]}
    upstream.log.clear()
    before = day_bytes(archived)
    args = ["-C", str(archived.root), "--quiet", "fetch", "--date", D6, "--retries", "0"]
    done = run_almanac(*args, "--base-url", upstream.url)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line == (
        f"error: {D6}: {upstream.url}/api/daily_papers?date={D6}&limit=100&p=0: "
        f"HTTP 503 after 1 attempt; the archive for {D6} is left as it was"
    )
    assert done.stdout.startswith("fetch of 1 day: 0 papers read")
    assert day_bytes(archived) == before
    assert upstream.log == [f"{D6}/0"]  # --retries 0: asked once


def test_cli_fetch_with_the_api_unreachable_stops_at_once_in_one_line(archived: Project) -> None:
    # No network, or the API's host gone: a week of days must not be retried one by one
    # (that took 247 s and 40 lines), and the archive stays as it was.
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    before = day_bytes(archived)
    args = ["-C", str(archived.root), "fetch", "--since", "2026-01-01", "--until", "2026-01-08"]
    began = time.monotonic()
    done = run_almanac(*args, "--base-url", dead)
    seconds = time.monotonic() - began
    assert done.returncode == 1
    lines = (done.stdout + done.stderr).splitlines()
    assert len(lines) <= 3, lines
    error = done.stderr.splitlines()[-1]  # after one "retrying in 2 s" line
    assert "cannot be reached (connection failed (Connection refused)) after 2 attempts" in error
    assert error.endswith(
        "nothing fetched for 8 days, 2026-01-01..2026-01-08; the archive is left as it was"
    )
    assert "8 inputs failed" in done.stdout
    assert day_bytes(archived) == before
    assert seconds < 30  # the promise to the daily workflow: two tries, 2 s apart
