"""arXiv enrichment under faults: a batch arXiv does not answer well is reported and its
papers keep what they had; what it did answer is kept; never a traceback or a hang."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator

import pytest
from helpers import QUIET, day_bytes

from generator.archive import commands as pipeline
from generator.archive import store
from generator.progress import Progress
from generator.project import Project

from .conftest import FakeTime, fast_client, hf_record, run_almanac, write_capture
from .upstream import RESET, Action, Hang, Reply, Upstream, status

IDS = ["2601.00001", "2601.00002", "2601.00003"]


def feed(*ids: str, category: str = "cs.CL") -> Reply:
    category = html.escape(category)
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v2</id><title>T</title>"
        f'<arxiv:primary_category term="{category}"/><category term="{category}"/>'
        "<arxiv:comment>12 pages</arxiv:comment></entry>"
        for i in ids
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        f'xmlns:arxiv="http://arxiv.org/schemas/atom">{entries}</feed>'
    )
    return Reply(body.encode(), headers={"Content-Type": "application/atom+xml"})


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&lol2;</title></feed>'
)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with Upstream() as server:
        yield server


@pytest.fixture
def archived(project: Project, tmp_path: pytest.TempPathFactory) -> Project:
    capture = write_capture(tmp_path / "in", "2026-01-06", [hf_record(i) for i in IDS])  # type: ignore[operator]
    assert pipeline.import_inputs(project, [capture], QUIET).ok
    return project


def enrich(
    project: Project, upstream: Upstream, actions: list[Action]
) -> tuple[pipeline.RunReport, list[str]]:
    upstream.routes = {"arxiv": list(actions)}
    err = io.StringIO()
    progress = Progress(quiet=True, err=err)
    client = fast_client(FakeTime(), warn=progress.warn)
    report = pipeline.enrich(project, progress, client=client, base_url=upstream.url)
    assert "Traceback" not in err.getvalue()
    return report, err.getvalue().splitlines()


def categories(project: Project) -> dict[str, str | None]:
    return {p.id: p.primary_category for p in store.read_archive(project).papers}


def test_503_then_an_answer_enriches_every_paper(archived: Project, upstream: Upstream) -> None:
    report, lines = enrich(archived, upstream, [status(503), feed(*IDS)])
    assert report.ok and report.updated == 3
    assert set(categories(archived).values()) == {"cs.CL"}
    assert len(lines) == 1 and "HTTP 503; retrying in 2 s" in lines[0]


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (
            [
                Reply(
                    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry>",
                    headers={"Content-Type": "text/xml"},
                )
            ],
            "malformed XML",
        ),
        (
            [status(200, b"<html><body>busy</body></html>", Content_Type="text/html")],
            "not an Atom feed",
        ),
        ([status(200, b"Rate exceeded.", Content_Type="text/plain")], "malformed XML"),
        ([Reply(BOMB)], "DOCTYPE or ENTITY declaration refused"),
        ([status(503)], "HTTP 503 after 3 attempts"),
        ([RESET], "connection failed"),
        ([Hang(2.0)], "timed out after 3 attempts"),
    ],
    ids=["malformed-xml", "html", "plain-text", "entity-bomb", "503-forever", "reset", "hang"],
)
def test_an_unusable_answer_leaves_the_archive_as_it_was(
    archived: Project, upstream: Upstream, actions: list[Action], message: str
) -> None:
    before = day_bytes(archived)
    report, lines = enrich(archived, upstream, actions)
    assert not report.ok and report.failed_inputs and report.files_written == 0
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], lines
    assert errors[0].startswith(f"error: {upstream.url}/api/query?id_list=")
    assert day_bytes(archived) == before


def test_a_partial_answer_keeps_what_came_and_says_what_did_not(
    archived: Project, upstream: Upstream
) -> None:
    report, lines = enrich(archived, upstream, [feed(*IDS[:2])])
    assert report.ok and report.updated == 2
    assert categories(archived) == {IDS[0]: "cs.CL", IDS[1]: "cs.CL", IDS[2]: None}
    assert lines == [
        f"note: arXiv had no entry for 1 of 3 papers (first: {IDS[2]}); they keep their "
        "fields and are asked about again"
    ]
    # Asked again next time: only the one still without a category.
    upstream.log.clear()
    report, lines = enrich(archived, upstream, [feed(IDS[2])])
    assert report.updated == 1 and lines == []
    assert set(categories(archived).values()) == {"cs.CL"}


def test_hostile_categories_are_not_taken(archived: Project, upstream: Upstream) -> None:
    report, _ = enrich(archived, upstream, [feed(*IDS, category='cs.CL"><script>x</script>')])
    assert report.ok and report.updated == 3
    papers = store.read_archive(archived).papers
    assert {(p.primary_category, p.categories, p.arxiv_comment) for p in papers} == {
        (None, (), "12 pages")
    }


def test_cli_enrich_against_a_dead_server_is_one_line_and_exit_1(
    archived: Project, upstream: Upstream
) -> None:
    upstream.routes = {"arxiv": [status(503)]}
    before = day_bytes(archived)
    args = ["-C", str(archived.root), "--quiet", "enrich", "--retries", "0"]
    done = run_almanac(*args, "--base-url", upstream.url)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"error: {upstream.url}/api/query?id_list=2601.00001%2C2601.00002")
    assert line.endswith(": HTTP 503 after 1 attempt")
    assert day_bytes(archived) == before
