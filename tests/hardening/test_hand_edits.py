"""topics.yaml and curation.yaml are people's files: no command writes them, and a mistake
in them is reported with file and line and stops the build before it writes anything.

Fetching and importing do not read them, on purpose: a typo in curation must not cost the
archive a day of records. The build (and `validate`) is where they are checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from generator.archive import store
from generator.cli import main
from generator.errors import RecordError
from generator.project import Project

from .conftest import hf_record, write_capture

TOPICS = """\
topics:
  - slug: agents
    name: Agents
    description: Papers about agents.
    phrases: [agent]
  - slug: vision
    name: Vision
    description: Seeing things.
    categories: [cs.CV]
"""
CURATION = """\
papers:
  "2601.00001":
    pin: true
    add_topics: [agents]
    note: Read this one.
"""
ATOM = (
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">'
    "<entry><id>http://arxiv.org/abs/2601.00001v2</id><title>T</title>"
    '<arxiv:primary_category term="cs.CV"/><category term="cs.CV"/></entry></feed>'
)
PAST = 1_600_000_000_000_000_000  # an mtime no write now can leave


def hand_files(project: Project) -> dict[str, tuple[bytes, int]]:
    return {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (project.topics_file, project.curation_file)
    }


@pytest.fixture
def curated(project: Project, tmp_path: Path) -> Project:
    project.topics_file.write_text(TOPICS, encoding="utf-8")
    project.curation_file.write_text(CURATION, encoding="utf-8")
    for path in (project.topics_file, project.curation_file):
        os.utime(path, ns=(PAST, PAST))
    capture = write_capture(tmp_path / "in", "2026-01-06", [hf_record("2601.00001")])
    assert main(["-C", str(project.root), "--quiet", "import", str(capture)]) == 0
    return project


def test_no_command_writes_topics_or_curation(
    curated: Project, tmp_path: Path, httpserver: HTTPServer
) -> None:
    before = hand_files(curated)
    httpserver.expect_request("/api/daily_papers").respond_with_json(
        [hf_record("2601.00002", "2026-01-07", upvotes=4)]
    )
    httpserver.expect_request("/api/query").respond_with_data(ATOM, content_type="text/xml")
    base = httpserver.url_for("").rstrip("/")
    capture = write_capture(
        tmp_path / "more", "2026-01-08", [hf_record("2601.00003", "2026-01-08")]
    )
    commands = [
        ["import", str(capture)],
        ["fetch", "--date", "2026-01-07", "--base-url", base, "--retries", "0"],
        ["enrich", "--base-url", base, "--retries", "0"],
        ["validate"],
        ["stats"],
        ["topics"],
        ["generate"],
    ]
    for command in commands:
        assert main(["-C", str(curated.root), "--quiet", *command]) == 0, command
        assert hand_files(curated) == before, command
    papers = store.read_archive(curated).papers
    assert [p.id for p in papers] == ["2601.00001", "2601.00002", "2601.00003"]
    assert papers[0].primary_category == "cs.CV"  # enrich did write, just not there


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (TOPICS.replace("    name: Vision\n", "    name: [Vision\n"), 8, "invalid YAML"),
        (
            TOPICS.replace("    phrases: [agent]\n", "    phrase: [agent]\n"),
            5,
            "field topics[0].phrase: unknown key",
        ),
        (
            TOPICS.replace("slug: vision", "slug: Vision!"),
            6,
            "field topics[1].slug: 'Vision!' is not",
        ),
        (TOPICS.replace("slug: vision", "slug: agents"), 6, "field topics[1].slug: duplicate slug"),
        (
            TOPICS.replace("categories: [cs.CV]", "categories: [cs.CV, 12]"),
            9,
            "field topics[1].categories[1]: must be text",
        ),
        (
            TOPICS.replace("    description: Seeing things.\n", ""),
            6,
            "field topics[1].description: is missing",
        ),
        (TOPICS + "  - !!python/object/apply:os.system [echo hi]\n", 10, "invalid YAML"),
    ],
    ids=[
        "bad-yaml",
        "unknown-key",
        "bad-slug",
        "duplicate-slug",
        "not-text",
        "missing",
        "python-tag",
    ],
)
def test_a_bad_topics_file_is_reported_with_its_line(
    curated: Project, capsys: pytest.CaptureFixture[str], text: str, line: int, message: str
) -> None:
    curated.topics_file.write_text(text, encoding="utf-8")
    assert_reported_and_build_stopped(curated, capsys, f"data/topics.yaml: line {line}: ", message)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            CURATION.replace("[agents]", "[agents, robots]"),
            4,
            "paper 2601.00001: field add_topics[1]: unknown topic 'robots'",
        ),
        (
            CURATION.replace("pin: true", "pinned: true"),
            3,
            "paper 2601.00001: field pinned: unknown key",
        ),
        (
            CURATION.replace("pin: true", "pin: yes please"),
            3,
            "paper 2601.00001: field pin: must be true or false",
        ),
        (
            CURATION.replace('"2601.00001"', "2601.00001"),
            2,
            "must be quoted text",
        ),
        (CURATION + '  "../etc": {pin: true}\n', 6, "not a plain id"),
        (
            CURATION + '  "2601.09999": {pin: true}\n',
            6,
            "paper 2601.09999: no such paper in the archive",
        ),
        (
            CURATION + "  [unclosed\n",
            7,
            "invalid YAML: could not find expected ':' (while scanning a simple key from line 6)",
        ),
    ],
    ids=[
        "unknown-topic",
        "unknown-key",
        "not-a-flag",
        "unquoted-id",
        "bad-id",
        "unknown-paper",
        "bad-yaml",
    ],
)
def test_a_bad_curation_file_is_reported_with_its_line(
    curated: Project, capsys: pytest.CaptureFixture[str], text: str, line: int, message: str
) -> None:
    curated.curation_file.write_text(text, encoding="utf-8")
    where = f"data/curation.yaml: line {line}: "
    if "no such paper" in message:
        # Only a check against the archive finds it: validate does, and so does
        # read_curation(archive=...), which the build is to call.
        assert main(["-C", str(curated.root), "validate"]) == 1
        (error,) = capsys.readouterr().err.splitlines()
        assert error == f"error: {where}{message}"
        with pytest.raises(RecordError, match=f"^{where}{message}"):
            store.read_curation(curated, archive=store.read_archive(curated))
        return
    assert_reported_and_build_stopped(curated, capsys, where, message)


def assert_reported_and_build_stopped(
    project: Project, capsys: pytest.CaptureFixture[str], where: str, message: str
) -> None:
    capsys.readouterr()
    assert main(["-C", str(project.root), "validate"]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    assert error.startswith(f"error: {where}") and message in error, error
    assert main(["-C", str(project.root), "generate"]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    assert error.startswith(f"almanac generate: error: {where}") and message in error, error
    assert not project.docs.exists()  # stopped before writing anything


def test_import_and_fetch_still_work_while_curation_is_broken(
    curated: Project, tmp_path: Path
) -> None:
    curated.curation_file.write_text("papers: [\n", encoding="utf-8")
    capture = write_capture(tmp_path / "in", "2026-01-07", [hf_record("2601.00002", "2026-01-07")])
    assert main(["-C", str(curated.root), "--quiet", "import", str(capture)]) == 0
    assert len(store.read_archive(curated).papers) == 2


def test_validate_lists_every_problem_of_both_files_and_the_build_stops_at_one(
    curated: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    topics = TOPICS.replace("name: Vision", "name: [Vision]") + (
        "  - slug: agents\n    name: Again\n    description: A second agents topic.\n"
    )
    curated.topics_file.write_text(topics, encoding="utf-8")
    curated.curation_file.write_text(
        CURATION.replace("pin: true", "pin: 1") + '  "2601.09999": {add_topics: [robots]}\n',
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["-C", str(curated.root), "validate"]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "error: data/topics.yaml: line 7: field topics[1].name: must be text, not "
        "['Vision'] (quote it in YAML)",
        "error: data/topics.yaml: line 10: field topics[2].slug: duplicate slug 'agents' "
        "(also topics[0])",
        "error: data/curation.yaml: line 3: paper 2601.00001: field pin: must be true or "
        "false, not 1",
        "error: data/curation.yaml: line 6: paper 2601.09999: no such paper in the archive",
    ]  # robots is not reported: with topics.yaml broken, it may be one of its topics
    assert main(["-C", str(curated.root), "generate"]) == 1
    (error,) = capsys.readouterr().err.splitlines()
    assert error == "almanac generate: " + errors[0]
    assert not curated.docs.exists()


def test_a_bad_record_beside_good_ones_still_stops_every_write(
    curated: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = store.day_path(curated, store.read_archive(curated).papers[0].day)
    day.write_text(
        day.read_text(encoding="utf-8") + "- {id: '2601.00002', title: B, day: '2026-01-06', "
        "upvotes: -4}\n",
        encoding="utf-8",
    )
    before = day.read_bytes()
    capture = write_capture(tmp_path / "more", "2026-01-06", [hf_record("2601.00003")])
    assert main(["-C", str(curated.root), "import", str(capture)]) == 1
    err = capsys.readouterr().err
    assert "paper 2601.00002: field upvotes" in err and "to fix before changing it" in err
    assert day.read_bytes() == before  # the good records were read, and nothing was lost
