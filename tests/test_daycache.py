"""The parsed-day cache: read_archive with a cache gives what it gives without one."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import make_paper, save_day

from generator.archive import store
from generator.project import Project
from generator.site.buildfolder import BuildFolder
from generator.site.daycache import DayCache


def fill(project: Project, days: int = 6) -> None:
    for i in range(days):
        day = date(2026, 1, 1) + timedelta(days=i * 17)  # spans several months
        papers = [make_paper(f"26{day.month:02d}.{i:03d}{j:02d}", day=day) for j in range(3)]
        save_day(project, day, papers)


def read(project: Project) -> store.ArchiveData:
    return store.read_archive(project, memo=DayCache(BuildFolder(project), project.papers_dir))


def cache_files(project: Project) -> list[Path]:
    return sorted(BuildFolder(project).records.glob("*.json"))


def kept_papers(stored: dict) -> list[dict]:
    """The paper mappings a month's memo keeps for its first day file (memo.py's entries:
    name -> [digest, ["ok", papers, problems]])."""
    _digest, (_ok, papers, _problems) = next(iter(stored["value"]["entries"].values()))
    return papers


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    parsed: list[Path] = []
    real = store._read_day

    def counting(path: Path, shown: str, day: date, raw: bytes | None) -> object:
        parsed.append(path)
        return real(path, shown, day, raw)

    monkeypatch.setattr(store, "_read_day", counting)
    return parsed


def test_cached_reads_equal_plain_reads_and_reuse_unchanged_files(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    plain = store.read_archive(project)
    assert read(project).papers == plain.papers
    parsed = count_parses(monkeypatch)
    assert read(project).papers == plain.papers
    assert parsed == []  # every day file came from the cache
    edited = store.day_path(project, date(2026, 1, 1))
    papers = store.read_archive(project).papers[:3]
    save_day(project, date(2026, 1, 1), [p.with_changes(title="Changed") for p in papers])
    parsed.clear()
    again = read(project)
    assert parsed == [edited]
    assert [p.title for p in again.papers[:3]] == ["Changed"] * 3


def test_a_fresh_checkout_of_the_same_files_is_still_read_from_the_cache(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What git checkout and a CI cache restore do: the same bytes, new inodes and times.
    fill(project)
    plain = read(project).papers
    for path in project.papers_dir.rglob("*.yaml"):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        os.utime(path, (1e9, 1e9))
    parsed = count_parses(monkeypatch)
    assert read(project).papers == plain
    assert parsed == []


def test_new_times_of_the_same_files_rewrite_only_their_stats(project: Project) -> None:
    # A CI cache restore every day: the months' parsed papers must not be written again.
    fill(project)
    read(project)
    months = {path: path.read_bytes() for path in cache_files(project)}
    stats = BuildFolder(project).record_stats
    before = stats.read_bytes()
    for path in project.papers_dir.rglob("*.yaml"):
        os.utime(path, (1e9, 1e9))
    read(project)
    assert {path: path.read_bytes() for path in cache_files(project)} == months
    assert stats.read_bytes() != before  # the new times, for the fast path next time
    written = stats.stat().st_mtime_ns
    read(project)
    assert stats.stat().st_mtime_ns == written  # and nothing at all the time after


def test_a_broken_day_file_stays_reported_from_the_cache(project: Project) -> None:
    fill(project, 2)
    broken = store.day_path(project, date(2026, 1, 1))
    broken.write_text("day: 2026-01-01\npapers: [\n", encoding="utf-8")
    first = read(project)
    second = read(project)
    assert [str(p) for p in first.problems] == [str(p) for p in second.problems]
    assert len(second.problems) == 1 and "invalid YAML" in str(second.problems[0])
    assert len(second.papers) == 3


def spoil_one_record(project: Project, day: date) -> None:
    path = store.day_path(project, day)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: A paper called", "upvotes: -4\n  title: A paper called", 1)
    )


def test_a_bad_record_stays_reported_from_the_cache_and_its_neighbours_are_kept(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project, 2)
    spoil_one_record(project, date(2026, 1, 1))
    plain = store.read_archive(project)
    (problem,) = plain.problems
    assert (problem.field, len(plain.papers)) == ("upvotes", 5)
    assert read(project).papers == plain.papers
    parsed = count_parses(monkeypatch)
    cached = read(project)
    assert parsed == []
    assert [str(p) for p in cached.problems] == [str(problem)]
    assert cached.papers == plain.papers


def test_bad_records_come_back_from_worker_processes(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    spoil_one_record(project, date(2026, 2, 4))
    plain = store.read_archive(project)
    monkeypatch.setattr(store, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = read(project)
    assert parallel.papers == plain.papers and len(plain.problems) == 1
    assert [str(p) for p in parallel.problems] == [str(p) for p in plain.problems]


def test_removed_days_leave_the_cache(project: Project) -> None:
    fill(project)
    read(project)
    assert len(cache_files(project)) > 1
    for path in project.papers_dir.rglob("*.yaml"):
        if path.parent.name == "01":
            continue
        path.unlink()
    assert len(read(project).papers) == 6
    assert [p.name for p in cache_files(project)] == ["2026-01.json"]


def test_a_cache_from_other_code_damaged_or_forged_is_not_trusted(project: Project) -> None:
    fill(project, 1)
    read(project)
    (path,) = cache_files(project)
    stored = json.loads(path.read_bytes())
    kept_papers(stored)[0]["title"] = "Forged"
    path.write_text(json.dumps({**stored, "key": "another build"}), encoding="utf-8")
    assert "Forged" not in {p.title for p in read(project).papers}
    path.write_bytes(b"not JSON")
    assert len(read(project).papers) == 3
    # Under the right key, what the cache holds is still validated like the YAML: a record
    # that would not pass is not taken, and the day file is read instead.
    stored = json.loads(path.read_bytes())
    kept_papers(stored)[0]["links"] = {"arxiv": "javascript:alert(1)"}
    path.write_text(json.dumps(stored), encoding="utf-8")
    again = read(project)
    assert not again.problems and len(again.papers) == 3
    assert all(p.links.arxiv is None or p.links.arxiv.startswith("https://") for p in again.papers)


def test_parsing_in_worker_processes_gives_the_same_archive(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    store.day_path(project, date(2026, 2, 4)).write_text("papers: nope\n", encoding="utf-8")
    plain = store.read_archive(project)
    monkeypatch.setattr(store, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = read(project)
    assert parallel.papers == plain.papers
    assert [str(p) for p in parallel.problems] == [str(p) for p in plain.problems]
    assert read(project).papers == plain.papers  # and from the cache it wrote
