"""Two runs at once: the second waits (and says so) or gives up with one line; nothing is
lost because the lock covers reading, merging and writing."""

from __future__ import annotations

import signal
from pathlib import Path

from helpers import QUIET, day_bytes
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.archive import commands as pipeline
from generator.archive import store
from generator.project import Project

from .conftest import FakeTime, fast_client, hf_record, start_child, wait_for_line, write_capture


def inputs(tmp_path: Path) -> tuple[Path, Path]:
    """Two imports that share a day (each adds papers to it) and each have a day of their own."""
    x, y = tmp_path / "x", tmp_path / "y"
    write_capture(x, "2026-01-06", [hf_record(f"2601.0000{k}", "2026-01-06") for k in range(3)])
    write_capture(x, "2026-01-07", [hf_record("2601.00010", "2026-01-07")])
    write_capture(y, "2026-01-06", [hf_record(f"2601.0010{k}", "2026-01-06") for k in range(3)])
    write_capture(y, "2026-01-08", [hf_record("2601.00110", "2026-01-08")])
    return x, y


def test_the_second_run_waits_and_nothing_is_lost(project: Project, tmp_path: Path) -> None:
    x, y = inputs(tmp_path)
    reference = Project(tmp_path / "reference")
    for folder in (x, y):
        assert pipeline.import_inputs(reference, [folder], QUIET).ok
    # The first run pauses after reading the archive, holding the lock; without the lock
    # the second would write the shared day and the first would then write over it.
    first = start_child("-C", str(project.root), "--quiet", "import", str(x), hook="hold:1.5")
    wait_for_line(first, "LOCKED")
    second = start_child("-C", str(project.root), "--quiet", "import", str(y))
    _, second_err = second.communicate()
    _, first_err = first.communicate()
    assert (first.returncode, second.returncode) == (0, 0), first_err + second_err
    assert second_err.startswith(f"waiting for another almanac run (pid {first.pid}) to finish")
    assert len(second_err.splitlines()) == 1 and first_err == ""
    assert day_bytes(project) == day_bytes(reference)
    assert len(store.read_archive(project).papers) == 8


def test_giving_up_is_one_clear_line_and_a_dead_holder_frees_the_lock(
    project: Project, tmp_path: Path
) -> None:
    x, y = inputs(tmp_path)
    holder = start_child("-C", str(project.root), "--quiet", "import", str(x), hook="hold:60")
    try:
        wait_for_line(holder, "LOCKED")
        before = day_bytes(project)
        late = start_child(
            "-C", str(project.root), "--quiet", "import", str(y), hook="lockwait:0.5"
        )
        out, err = late.communicate()
        assert late.returncode == 1 and out == ""
        waiting, error = err.splitlines()
        assert waiting.startswith("waiting for another almanac run")
        assert error == (
            f"almanac import: error: data/.lock: another almanac run (pid {holder.pid}) is "
            "writing the archive; gave up after waiting 0.5 s"
        )
        assert day_bytes(project) == before
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The lock died with its holder: the next run neither waits nor finds anything stale.
    again = start_child("-C", str(project.root), "--quiet", "import", str(y))
    out, err = again.communicate()
    assert again.returncode == 0 and err == "", err
    assert len(store.read_archive(project).papers) == 4


ATOM = (
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<entry><id>http://arxiv.org/abs/2601.00001v1</id><title>T</title>"
    '<arxiv:primary_category term="cs.CL"/><category term="cs.CL"/></entry></feed>'
)


def test_enrich_does_not_undo_a_fetch_that_ran_meanwhile(
    project: Project, tmp_path: Path, httpserver: HTTPServer
) -> None:
    first = write_capture(tmp_path / "a", "2026-01-06", [hf_record("2601.00001", upvotes=1)])
    later = write_capture(tmp_path / "b", "2026-01-06", [hf_record("2601.00001", upvotes=50)])
    assert pipeline.import_inputs(project, [first], QUIET).ok

    def answer(request: Request) -> Response:
        # While arXiv is being asked (minutes, for a big archive), another run updates data/.
        assert pipeline.import_inputs(project, [later], QUIET).updated == 1
        return Response(ATOM, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(answer)
    client = fast_client(FakeTime())
    report = pipeline.enrich(project, QUIET, client=client, base_url=httpserver.url_for(""))
    assert report.ok and report.updated == 1
    (paper,) = store.read_archive(project).papers
    assert (paper.upvotes, paper.primary_category) == (50, "cs.CL")
