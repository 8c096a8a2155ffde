from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import tree_bytes

from generator.cli import build_parser, main
from generator.project import Project

COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def run(project: Project, *args: str) -> int:
    return main(["-C", str(project.root), *args])


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert f"almanac {command}" in out and len(out.splitlines()) > 3


def test_the_module_runs_as_almanac() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=True
    )
    assert "import" in done.stdout and "fetch" in done.stdout and "build" in done.stdout


def test_import_then_validate_and_stats(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "2026-01-06.json"
    capture.write_text(
        json.dumps([{"paper": {"id": "2601.00001", "title": "T", "upvotes": 2}, "numComments": 1}])
    )
    assert run(project, "--quiet", "import", str(capture)) == 0
    out = capsys.readouterr().out
    assert out == "import: 1 paper read, 1 new, 0 updated, 1 day file written\n"
    assert run(project, "validate") == 0
    assert "validate: 1 paper checked, 0 problems" in capsys.readouterr().out
    assert run(project, "stats", "--by", "day") == 0
    assert "2026-01-06\t1" in capsys.readouterr().out


def test_a_repaired_url_warns_in_one_line_and_exits_0(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "2026-01-06.json"
    paper = {"id": "2601.00001", "title": "T", "projectPage": " https://example.org/x"}
    capture.write_text(json.dumps([{"paper": paper}]))
    assert run(project, "--quiet", "import", str(capture)) == 0
    captured = capsys.readouterr()
    [warning] = captured.err.splitlines()
    assert warning.startswith(f"warning: {capture}: paper 2601.00001: field links.project: ")
    assert captured.out.endswith(", 1 repair (warned above)\n")
    day_file = project.papers_dir / "2026" / "01" / "2026-01-06.yaml"
    assert "project: https://example.org/x" in day_file.read_text()


def test_import_repair_reads_repr_captures(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "2024-06-03.json"
    capture.write_text(
        json.dumps([repr({"paper": {"id": "2406.00001", "title": "T", "x": False}})])
    )
    assert run(project, "--quiet", "import", str(capture)) == 1
    assert "--repair" in capsys.readouterr().err
    assert not any(project.papers_dir.iterdir())  # refused whole: nothing written
    assert run(project, "--quiet", "import", "--repair", str(capture)) == 0
    captured = capsys.readouterr()
    assert captured.err == f"warning: {capture}: read as Python literals (--repair)\n"
    assert captured.out.startswith("import: 1 paper read, 1 new")


def test_validate_reports_every_problem_one_line_each(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project.papers_dir / "2026" / "01"
    folder.mkdir(parents=True)
    (folder / "2026-01-06.yaml").write_text(
        "day: '2026-01-06'\npapers:\n- {id: 'a/b', title: T, day: '2026-01-06'}\n"
    )
    (folder / "2026-01-07.yaml").write_text(
        "day: '2026-01-07'\npapers:\n- {id: x1, title: T, day: '2026-01-07', upvotes: many}\n"
    )
    assert run(project, "validate") == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("error: data/papers/2026/01/2026-01-06.yaml: paper a/b: field id:")
    assert errors[1].startswith(
        "error: data/papers/2026/01/2026-01-07.yaml: paper x1: field upvotes"
    )
    assert "2 problems" in captured.out


def test_commands_refuse_to_write_over_a_broken_archive(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project.papers_dir / "2026" / "01"
    folder.mkdir(parents=True)
    (folder / "2026-01-06.yaml").write_text("day: [\n")
    before = tree_bytes(project.root)
    capture = tmp_path / "2026-01-06.json"
    capture.write_text(json.dumps([{"paper": {"id": "2601.00001", "title": "T"}}]))
    assert run(project, "import", str(capture)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "to fix before changing it" in err
    assert tree_bytes(project.root) == before


def test_missing_input_is_one_line_and_non_zero(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "import", "/nonexistent/file.json") == 1
    assert capsys.readouterr().err == "error: /nonexistent/file.json: no such file or folder\n"


def test_quiet_works_before_and_after_the_command(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(project, "validate", "--quiet") == 0
    assert run(project, "--quiet", "validate") == 0
    assert capsys.readouterr().out.count("validate: 0 papers checked") == 2


FIXTURE_DATA = Path(__file__).resolve().parent / "fixtures" / "archive" / "data"


def test_topics_counts_what_the_site_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from generator.site.load import load

    project = Project(tmp_path / "p")
    shutil.copytree(FIXTURE_DATA, project.data)
    # Curation filed under a paper's old id (a title id it had before its arXiv id) applies.
    day = project.papers_dir / "2026/01/2026-01-06.yaml"
    text = day.read_text(encoding="utf-8")
    day.write_text(
        text.replace("  id: '2601.06001'", "  aliases:\n  - t-00000000abcd\n  id: '2601.06001'"),
        encoding="utf-8",
    )
    assert "t-00000000abcd" in day.read_text(encoding="utf-8")
    curation = project.curation_file
    curation.write_text(
        curation.read_text(encoding="utf-8") + '  "t-00000000abcd": {add_topics: [vision]}\n',
        encoding="utf-8",
    )
    assert run(project, "topics") == 0
    lines = capsys.readouterr().out.splitlines()
    shown = {line.split()[0]: int(line.split()[1]) for line in lines[:-1]}
    archive = load(project).archive
    assert shown == {s: len(es) for s, es in archive.by_topic.items() if es}
    assert "2601.00104" not in archive.entries  # hidden: in no topic's count
    assert "vision" in archive.entries["2601.06001"].topics
    assert lines[-1] == f"topics: 3 topics over {archive.total} papers shown"
    assert run(project, "topics", "--explain", "t-00000000abcd") == 0
    assert capsys.readouterr().out.startswith("2601.06001: ")
    assert run(project, "topics", "--explain", "2601.00104") == 1
    assert "hidden by data/curation.yaml" in capsys.readouterr().err


def write_day(project: Project, day: str, *records: str) -> Path:
    folder = project.papers_dir / day[:4] / day[5:7]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day}.yaml"
    lines = "".join(f"- {{{record}, day: '{day}'}}\n" for record in records)
    path.write_text(f"day: '{day}'\npapers:\n{lines}")
    return path


def test_validate_checks_every_record_of_a_day_file_with_a_bad_one(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_day(
        project,
        "2026-01-06",
        "id: '2601.00001', title: A",
        "id: '2601.00002', title: B, upvotes: -4",
        "id: '2601.00003', title: C",
    )
    assert run(project, "validate") == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "error: data/papers/2026/01/2026-01-06.yaml: paper 2601.00002: field upvotes: "
        "must be a whole number >= 0: -4\n"
    )
    assert captured.out == "validate: 2 papers checked, 1 problem\n"


def test_validate_reports_each_bad_field_of_a_record(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    write_day(project, "2026-01-06", "id: '2601.00002', title: B, upvotes: -4, comments: many")
    assert run(project, "validate") == 1
    captured = capsys.readouterr()
    errors = captured.err.splitlines()
    assert [e.split(": ")[3] for e in errors] == ["field upvotes", "field comments"]
    assert all(
        e.startswith("error: data/papers/2026/01/2026-01-06.yaml: paper 2601.00002") for e in errors
    )
    assert captured.out == "validate: 0 papers checked, 2 problems\n"


def test_validate_reports_an_unknown_paper_and_its_unknown_topic(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    shutil.copy(FIXTURE_DATA / "topics.yaml", project.topics_file)
    write_day(project, "2026-01-06", "id: '2601.00001', title: A")
    project.curation_file.write_text(
        'papers:\n  "2601.00001": {pin: true}\n  "2601.09999": {add_topics: [robots]}\n'
    )
    assert run(project, "validate") == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "error: data/curation.yaml: line 3: paper 2601.09999: field add_topics[0]: "
        "unknown topic 'robots'",
        "error: data/curation.yaml: line 3: paper 2601.09999: no such paper in the archive",
    ]
    assert captured.out == "validate: 1 paper checked, 2 problems\n"
    assert run(project, "generate") == 1  # the build still stops at the first
    assert "unknown topic 'robots'" in capsys.readouterr().err


def test_summaries_count_in_words() -> None:
    from generator.wording import plural

    assert [plural(n, "day file") for n in (0, 1, 2)] == [
        "0 day files",
        "1 day file",
        "2 day files",
    ]
    assert plural(30000, "paper") == "30,000 papers"  # as the pages count them
    assert plural(2, "analysis", "analyses") == "2 analyses"
