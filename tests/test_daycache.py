"""The parsed-day cache: read_archive with a cache gives what it gives without one."""

from __future__ import annotations

import os
import pickle
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import make_paper

from generator import daycache, store
from generator.project import Project


def fill(project: Project, days: int = 6) -> None:
    for i in range(days):
        day = date(2026, 1, 1) + timedelta(days=i * 17)  # spans several months
        papers = [make_paper(f"26{day.month:02d}.{i:03d}{j:02d}", day=day) for j in range(3)]
        store.save_day(project, day, papers)


def read(project: Project, cache: Path) -> store.ArchiveData:
    return store.read_archive(project, cache=cache)


def test_cached_reads_equal_plain_reads_and_reuse_unchanged_files(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    cache = tmp_path / "cache"
    plain = store.read_archive(project)
    assert read(project, cache).papers == plain.papers
    parsed: list[Path] = []
    real = store._read_day

    def counting(path: Path, shown: str, day: date) -> list[object]:
        parsed.append(path)
        return real(path, shown, day)  # type: ignore[return-value]

    monkeypatch.setattr(store, "_read_day", counting)
    assert read(project, cache).papers == plain.papers
    assert parsed == []  # every day file came from the cache
    edited = store.day_path(project, date(2026, 1, 1))
    papers = store.read_archive(project).papers[:3]
    store.save_day(project, date(2026, 1, 1), [p.with_changes(title="Changed") for p in papers])
    parsed.clear()
    again = read(project, cache)
    assert parsed == [edited]
    assert [p.title for p in again.papers[:3]] == ["Changed"] * 3


def test_a_broken_day_file_stays_reported_from_the_cache(project: Project, tmp_path: Path) -> None:
    fill(project, 2)
    broken = store.day_path(project, date(2026, 1, 1))
    broken.write_text("day: 2026-01-01\npapers: [\n", encoding="utf-8")
    first = read(project, tmp_path / "cache")
    second = read(project, tmp_path / "cache")
    assert [str(p) for p in first.problems] == [str(p) for p in second.problems]
    assert len(second.problems) == 1 and "invalid YAML" in str(second.problems[0])
    assert len(second.papers) == 3


def test_removed_days_leave_the_cache(project: Project, tmp_path: Path) -> None:
    fill(project)
    cache = tmp_path / "cache"
    read(project, cache)
    months = sorted(p.name for p in cache.glob("*.pickle"))
    assert len(months) > 1
    for path in project.papers_dir.rglob("*.yaml"):
        if path.parent.name == "01":
            continue
        path.unlink()
    assert len(read(project, cache).papers) == 6
    assert sorted(p.name for p in cache.glob("*.pickle")) == ["2026-01.pickle"]


def test_a_cache_from_other_code_or_damaged_is_ignored(project: Project, tmp_path: Path) -> None:
    fill(project, 1)
    cache = tmp_path / "cache"
    read(project, cache)
    path = next(cache.glob("*.pickle"))
    with open(path, "rb") as handle:
        _, entries = pickle.load(handle)
    entry = next(iter(entries))
    key, (_, papers) = entries[entry]
    forged = {entry: (key, ("ok", [p.with_changes(title="Forged") for p in papers]))}
    with open(path, "wb") as handle:
        pickle.dump(("another version of the code", forged), handle)
    assert "Forged" not in {p.title for p in read(project, cache).papers}
    path.write_bytes(b"not a pickle")
    assert len(read(project, cache).papers) == 3


def test_parsing_in_worker_processes_gives_the_same_archive(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    store.day_path(project, date(2026, 2, 4)).write_text("papers: nope\n", encoding="utf-8")
    plain = store.read_archive(project)
    monkeypatch.setattr(daycache, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    parallel = read(project, tmp_path / "cache")
    assert parallel.papers == plain.papers
    assert [str(p) for p in parallel.problems] == [str(p) for p in plain.problems]
