"""The archive commands end to end: real captures, the seed page, a local fake HF API."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from helpers import QUIET, fast_client, save_day, tree_bytes
from pytest_httpserver import HTTPServer

from generator.archive import commands as pipeline
from generator.archive import fetch as fetching
from generator.archive import store
from generator.cli import main
from generator.models import Paper
from generator.project import Project
from generator.site.buildfolder import BuildFolder
from generator.site.daycache import DayCache


def hf_record(paper_id: str, day: str, upvotes: int = 1, **paper: object) -> dict[str, object]:
    return {
        "paper": {
            "id": paper_id,
            "title": f"Paper {paper_id}",
            "summary": "An abstract.",
            "authors": [{"name": "Ada Lovelace"}],
            "submittedOnDailyAt": f"{day}T08:00:00.000Z",
            "upvotes": upvotes,
            **paper,
        },
        "numComments": 0,
    }


def test_seed_page_imports_every_paper_it_shows(project: Project, seed_file: Path) -> None:
    # The page holds 52 paper blocks: 51 show an author count, one (LLM Swiss Round) shows
    # its organization instead. Both kinds are papers; none is dropped.
    report = pipeline.import_inputs(project, [seed_file], QUIET)
    assert report.ok and report.added == 52 and report.files_written == 1
    papers = store.read_archive(project).papers
    assert len(papers) == 52
    assert sum(1 for p in papers if p.author_count) == 51
    assert [p.organization for p in papers if not p.author_count] == ["ByteDance Seed"]
    assert {p.day for p in papers} == {date(2026, 1, 6)}
    assert all(p.title and p.abstract and p.published for p in papers)
    date_with_votes = re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4} (\d+)")
    shown = [
        m.group(1) for m in map(date_with_votes.fullmatch, seed_file.read_text().splitlines()) if m
    ]
    assert sorted(p.upvotes for p in papers if p.upvotes is not None) == sorted(map(int, shown))
    again = pipeline.import_inputs(project, [seed_file], QUIET)
    assert (again.added, again.updated, again.files_written) == (0, 0, 0)


def test_real_captures_import_once_and_then_write_nothing(
    project: Project, hf_daily_dir: Path
) -> None:
    files = sorted(hf_daily_dir.glob("*.json"))
    expected = {json.loads(f.read_bytes()).__len__() for f in files}
    total = sum(len(json.loads(f.read_bytes())) for f in files)
    report = pipeline.import_inputs(project, [hf_daily_dir], QUIET)
    assert report.ok, report.problems[:3]
    assert report.read == total and expected
    archive = store.read_archive(project)
    assert archive.problems == []
    assert len(archive.papers) == report.added == len({p.id for p in archive.papers})
    assert report.files_written == len(archive.files)
    before = tree_bytes(project.root)
    again = pipeline.import_inputs(project, [hf_daily_dir], QUIET)
    assert (again.added, again.updated, again.files_written) == (0, 0, 0)
    assert tree_bytes(project.root) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"papers": []}', "list"),
        ('["{\\"paper\\": {}}"]', ""),
        ("<!DOCTYPE html><html><body>Rate limited</body></html>", "JSON"),
        ('[{"paper": {"id": "2601.00001", "title": "T', "JSON"),
        ("", "empty"),
    ],
    ids=["object-wrapping-list", "list-of-strings", "html", "truncated", "empty"],
)
def test_a_bad_file_is_rejected_whole_and_data_is_untouched(
    project: Project, tmp_path: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "2026-01-05.json"
    good.write_text(json.dumps([hf_record("2601.00002", "2026-01-05")]))
    pipeline.import_inputs(project, [good], QUIET)
    before = tree_bytes(project.root)
    bad = tmp_path / "2026-01-06.json"
    bad.write_text(content)
    report = pipeline.import_inputs(project, [bad], QUIET)
    assert not report.ok and report.failed_inputs == [str(bad)]
    assert tree_bytes(project.root) == before
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {bad}: ") and message in line


def test_bad_records_are_reported_one_line_each_and_good_ones_kept(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "2026-01-06.json"
    records = [hf_record("2601.00001", "2026-01-06"), hf_record("../etc", "2026-01-06")]
    path.write_text(json.dumps(records))
    report = pipeline.import_inputs(project, [path], QUIET)
    assert not report.ok and report.added == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert str(path) in line and "id" in line


def test_validate_reports_the_same_from_its_cache_and_parses_only_changed_files(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [Paper(id="2601.00001", title="A", day=date(2026, 1, 6), published=date(2026, 1, 6))]
    save_day(project, date(2026, 1, 6), good)
    broken = project.papers_dir / "2026/01/2026-01-07.yaml"
    broken.write_text("day: 2026-01-07\npapers:\n- id: '2601.00002'\n", encoding="utf-8")
    # As `almanac validate` reads: through the build folder's parsed day files.
    first = pipeline.validate(project, DayCache(BuildFolder(project), project.papers_dir))
    parsed: list[str] = []
    real = store._read_day
    monkeypatch.setattr(
        store, "_read_day", lambda path, *a: parsed.append(path.name) or real(path, *a)
    )
    assert main(["-C", str(project.root), "validate", "--quiet"]) == 1
    assert [str(p) for p in first[1]] == [
        line.removeprefix("error: ")
        for line in capsys.readouterr().err.splitlines()
        if line.startswith("error: ")
    ]
    assert first[0] == 1 and [(p.paper_id, p.field) for p in first[1]] == [
        ("2601.00002", "title"),
        ("2601.00002", "day"),
    ]
    assert parsed == []  # the second run read every day file from the cache
    broken.write_text(broken.read_text(encoding="utf-8") + "  title: B\n", encoding="utf-8")
    assert main(["-C", str(project.root), "validate", "--quiet"]) == 1  # its day is missing
    assert "1 paper checked" in capsys.readouterr().out and parsed == ["2026-01-07.yaml"]


def test_fetch_follows_paging_until_the_day_is_complete(
    project: Project, httpserver: HTTPServer
) -> None:
    day = "2026-01-06"
    ids = [f"2601.{n:05d}" for n in range(105)]
    for page, chunk in enumerate((ids[:100], ids[100:])):
        httpserver.expect_request(
            "/api/daily_papers", query_string={"date": day, "limit": "100", "p": str(page)}
        ).respond_with_json([hf_record(pid, day) for pid in chunk])
    report = fetching.fetch_days(
        project, [date(2026, 1, 6)], QUIET, client=fast_client(), base_url=httpserver.url_for("")
    )
    assert report.ok and report.added == 105
    papers = store.read_archive(project).papers
    assert [p.id for p in papers] == ids
    assert all(p.fetched_at for p in papers)


def test_a_day_that_keeps_failing_is_left_as_it_was_and_others_are_kept(
    project: Project, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request(
        "/api/daily_papers", query_string={"date": "2026-01-06", "limit": "100", "p": "0"}
    ).respond_with_json([hf_record("2601.00001", "2026-01-06", upvotes=5)])
    httpserver.expect_request(
        "/api/daily_papers", query_string={"date": "2026-01-07", "limit": "100", "p": "0"}
    ).respond_with_data("busy", status=503)
    report = fetching.fetch_days(
        project,
        [date(2026, 1, 6), date(2026, 1, 7)],
        QUIET,
        client=fast_client(),
        base_url=httpserver.url_for("").rstrip("/"),
    )
    assert report.failed_inputs == ["2026-01-07"] and report.added == 1
    assert not store.day_path(project, date(2026, 1, 7)).exists()
    err = capsys.readouterr().err
    assert "2026-01-07" in err and "503" in err and "Traceback" not in err


def test_days_to_fetch() -> None:
    today = date(2026, 1, 10)
    assert fetching.days_to_fetch(today, on=date(2026, 1, 2), since=None, until=None) == [
        date(2026, 1, 2)
    ]
    window = fetching.days_to_fetch(today, on=None, since=None, until=None)
    assert window[0] == date(2026, 1, 3) and window[-1] == today and len(window) == 8
    backfill = fetching.days_to_fetch(today, on=None, since=date(2026, 1, 8), until=None)
    assert backfill == [date(2026, 1, 8), date(2026, 1, 9), date(2026, 1, 10)]
