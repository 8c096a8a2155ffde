"""A run killed while writing leaves every day file old or new, never cut; the next run
finishes the job. The child is SIGKILLed at chosen points of the write and at random times."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import QUIET, day_bytes

from generator.archive import commands as pipeline
from generator.archive import store
from generator.project import Project

from .conftest import hf_record, start_child, wait_for_line, write_capture

OLD_DAYS = [f"2026-01-{d:02d}" for d in range(5, 13)]  # 8 days archived before the run
NEW_DAYS = [f"2026-01-{d:02d}" for d in range(13, 17)]  # 4 days the run adds
CHANGED = len(OLD_DAYS) + len(NEW_DAYS)  # day files the interrupted run rewrites


def temp_files(project: Project) -> list[Path]:
    return sorted(project.papers_dir.rglob("*.tmp"))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Inputs, the archive before the run (`old`) and after an uninterrupted run (`new`)."""
    root = tmp_path_factory.mktemp("killed")
    old_in, new_in = root / "old-input", root / "new-input"
    for n, day in enumerate(OLD_DAYS):
        ids = [f"2601.{n:03d}{k:02d}" for k in range(3)]
        write_capture(old_in, day, [hf_record(i, day, upvotes=1) for i in ids])
        fresh = [*ids, f"2601.{n:03d}99"]
        write_capture(new_in, day, [hf_record(i, day, upvotes=2) for i in fresh])
    for n, day in enumerate(NEW_DAYS, start=50):
        write_capture(new_in, day, [hf_record(f"2601.{n:03d}{k:02d}", day) for k in range(3)])
    base = Project(root / "base")
    assert pipeline.import_inputs(base, [old_in], QUIET).ok
    old = day_bytes(base)
    reference = Project(root / "reference")
    shutil.copytree(base.root, reference.root)
    assert pipeline.import_inputs(reference, [new_in], QUIET).files_written == CHANGED
    return {"base": base, "new_in": new_in, "old": old, "new": day_bytes(reference)}


def interrupted_copy(scenario: dict[str, object], tmp_path: Path) -> Project:
    project = Project(tmp_path / "project")
    shutil.copytree(scenario["base"].root, project.root)  # type: ignore[attr-defined]
    return project


def kill(project: Project, scenario: dict[str, object], hook: str) -> None:
    child = start_child(
        "-C", str(project.root), "--quiet", "import", str(scenario["new_in"]), hook=hook
    )
    try:
        wait_for_line(child, "PAUSED")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL


def check_old_or_new(project: Project, scenario: dict[str, object]) -> int:
    """Every day file parses and is byte for byte the old or the new one; the count of new."""
    archive = store.read_archive(project)
    assert archive.problems == []  # temporary files are not mistaken for day files
    old, new = scenario["old"], scenario["new"]
    assert isinstance(old, dict) and isinstance(new, dict)
    now = day_bytes(project)
    assert set(old) <= set(now) <= set(new)
    for name, data in now.items():
        assert data in (old.get(name), new[name]), f"{name} is neither old nor new"
    return sum(1 for name, data in now.items() if data == new[name] and data != old.get(name))


def finish(project: Project, scenario: dict[str, object]) -> None:
    report = pipeline.import_inputs(project, [scenario["new_in"]], QUIET)  # type: ignore[list-item]
    assert report.ok
    assert day_bytes(project) == scenario["new"]
    assert temp_files(project) == []


@pytest.mark.parametrize(
    ("hook", "new_files", "temps"),
    [
        ("stage:1", 0, 1),  # half of the first temporary file written
        (f"stage:{CHANGED}", 0, CHANGED),  # all but the last written in full
        ("rename:1", 0, CHANGED),  # every file staged, none renamed yet
        ("rename:5", 4, CHANGED - 4),  # killed between two renames
        (f"renamed:{CHANGED}", CHANGED, 0),  # all renamed, the folder not yet synced
    ],
)
def test_killed_at_a_point_of_the_write(
    scenario: dict[str, object], tmp_path: Path, hook: str, new_files: int, temps: int
) -> None:
    project = interrupted_copy(scenario, tmp_path)
    kill(project, scenario, hook)
    # Staging every file before renaming any: a kill before the first rename changes nothing.
    assert check_old_or_new(project, scenario) == new_files
    assert len(temp_files(project)) == temps
    finish(project, scenario)


def start_slow_import(project: Project, scenario: dict[str, object]) -> subprocess.Popen[str]:
    """An import whose every temporary file and rename takes 10 ms more than it would, so
    that a kill at a random moment of the write can land anywhere in it."""
    args = ("-C", str(project.root), "--quiet", "import", str(scenario["new_in"]))
    child = start_child(*args, hook="slow:0.01")
    wait_for_line(child, "WRITING")
    return child


def test_killed_at_random_times_while_writing(scenario: dict[str, object], tmp_path: Path) -> None:
    child = start_slow_import(interrupted_copy(scenario, tmp_path / "timed"), scenario)
    started = time.monotonic()
    assert child.wait() == 0
    window = time.monotonic() - started  # from the first day file written to the end
    rng = random.Random(6)
    seen = set()
    for n in range(6):
        project = interrupted_copy(scenario, tmp_path / str(n))
        child = start_slow_import(project, scenario)
        time.sleep(rng.uniform(0.0, 1.0) * window)
        child.send_signal(signal.SIGKILL)
        child.wait()
        seen.add((check_old_or_new(project, scenario), bool(temp_files(project))))
        finish(project, scenario)
    assert len(seen) > 1  # the kills did land at different points
