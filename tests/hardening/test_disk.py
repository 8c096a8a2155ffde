"""A full or read-only disk: a one-line error, a non-zero exit, and the archive as it was.

Every changed day file is written to a temporary file first and only renamed over the old
one when all of them are written, so a disk that fills up part-way changes nothing.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import tree_bytes

from generator import fileio
from generator.archive import store
from generator.cli import main
from generator.project import Project

from .conftest import hf_record, write_capture

DAYS = ["2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]


@pytest.fixture
def archived(project: Project, tmp_path: Path) -> Path:
    """An archive of four days, and a folder of captures that changes all four."""
    old, new = tmp_path / "old", tmp_path / "new"
    for n, day in enumerate(DAYS):
        write_capture(old, day, [hf_record(f"2601.0000{n}", day, upvotes=1)])
        write_capture(new, day, [hf_record(f"2601.0000{n}", day, upvotes=9)])
    assert main(["-C", str(project.root), "--quiet", "import", str(old)]) == 0
    return new


def run_import(project: Project, folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["-C", str(project.root), "--quiet", "import", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    return line


def fail_on_call(n: int, real: Any, error: OSError) -> Any:
    calls = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == n:
            raise error
        return real(*args, **kwargs)

    return wrapper


def test_disk_full_while_writing_the_second_file_changes_nothing(
    project: Project,
    archived: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree_bytes(project.root)
    full = OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", fail_on_call(2, os.fsync, full))
    line = run_import(project, archived, capsys)
    assert line.startswith("almanac import: error: ") and "2026-01-07.yaml" in line
    assert line.endswith("cannot write: No space left on device; no day file was changed")
    assert tree_bytes(project.root) == before  # the first, complete, file was not put in place
    monkeypatch.undo()
    assert main(["-C", str(project.root), "--quiet", "import", str(archived)]) == 0
    assert {p.upvotes for p in store.read_archive(project).papers} == {9}


def test_read_only_disk_changes_nothing(
    project: Project,
    archived: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = tree_bytes(project.root)
    read_only = OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(
        fileio.tempfile, "mkstemp", fail_on_call(1, fileio.tempfile.mkstemp, read_only)
    )
    line = run_import(project, archived, capsys)
    assert line.endswith("cannot write: Read-only file system; no day file was changed")
    assert tree_bytes(project.root) == before


def test_a_rename_that_fails_part_way_says_what_was_replaced(
    project: Project,
    archived: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Renames need no space; one failing (the disk remounted read-only mid-run) is the rare
    # case where some files are already new. Each is still whole, and a rerun finishes.
    read_only = OSError(errno.EROFS, "Read-only file system")
    monkeypatch.setattr(Path, "replace", fail_on_call(3, Path.replace, read_only))
    line = run_import(project, archived, capsys)
    assert "cannot replace: Read-only file system; 2 of 4 changed day files were already" in line
    archive = store.read_archive(project)
    assert archive.problems == []
    assert [p.upvotes for p in archive.papers] == [9, 9, 1, 1]
    assert not list(project.papers_dir.rglob("*.tmp"))
    monkeypatch.undo()
    assert main(["-C", str(project.root), "--quiet", "import", str(archived)]) == 0
    assert [p.upvotes for p in store.read_archive(project).papers] == [9, 9, 9, 9]


def test_an_input_too_big_to_be_a_day_is_refused_unread(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "2026-01-06.json"
    with big.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: no disk used, and never read
    before = tree_bytes(project.root)
    assert main(["-C", str(project.root), "--quiet", "import", str(big)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {big}: file is 67108864 bytes, over ")
    assert tree_bytes(project.root) == before
