from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from helpers import make_paper, parse_day, save_day, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import papers

from generator import fileio
from generator.archive import store
from generator.errors import RecordError, StoreError
from generator.project import Project

DAY = date(2026, 1, 6)


def test_day_files_live_under_year_and_month(project: Project) -> None:
    path = store.day_path(project, DAY)
    assert path == project.root / "data/papers/2026/01/2026-01-06.yaml"


def test_save_then_load_gives_the_same_papers_and_bytes(project: Project) -> None:
    batch = [make_paper("2601.00002", upvotes=3), make_paper("2601.00001", authors=("A",))]
    assert save_day(project, DAY, batch) is True
    first = store.day_path(project, DAY).read_bytes()
    archive = store.read_archive(project)
    assert archive.problems == []
    assert [p.id for p in archive.papers] == ["2601.00001", "2601.00002"]
    assert save_day(project, DAY, archive.papers) is False  # same bytes: not written
    assert store.day_path(project, DAY).read_bytes() == first


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(papers(day=DAY), max_size=5, unique_by=lambda p: p.id))
def test_any_text_survives_a_round_trip_byte_for_byte(tmp_path: Path, batch: list) -> None:
    text = store.dump_day(DAY, batch)
    loaded = parse_day(store.parse_yaml(text, "t.yaml"), "t.yaml", DAY)
    assert sorted(loaded, key=lambda p: p.id) == sorted(batch, key=lambda p: p.id)
    assert store.dump_day(DAY, loaded) == text


def test_yaml_special_values_stay_text(project: Project) -> None:
    tricky = ["no", "~", "2024-01-01", "!!python/object:os.system", "null", "0x1F", "*a", "&b"]
    batch = [make_paper(f"2601.0000{i}", title=t, abstract=t) for i, t in enumerate(tricky)]
    save_day(project, DAY, batch)
    loaded = {p.id: p for p in store.read_archive(project).papers}
    assert [loaded[p.id].title for p in batch] == tricky


def test_every_problem_is_reported_with_file_paper_and_field(project: Project) -> None:
    save_day(project, DAY, [make_paper("2601.00001")])
    bad = project.papers_dir / "2026/01/2026-01-07.yaml"
    bad.write_text(
        "day: '2026-01-07'\npapers:\n"
        "- {id: '2601.00009', title: T, day: '2026-01-07', upvotes: -2}\n"
    )
    (project.papers_dir / "2026/01/2026-01-08.yaml").write_text("day: [unclosed\n")
    (project.papers_dir / "2026/01/notes.yaml").write_text("x: 1\n")
    dup = project.papers_dir / "2026/01/2026-01-09.yaml"
    dup.write_text(
        "day: '2026-01-09'\npapers:\n- {id: '2601.00001', title: T, day: '2026-01-09'}\n"
    )
    problems = [str(p) for p in store.read_archive(project).problems]
    assert len(problems) == 4
    assert any("2026-01-07.yaml: paper 2601.00009: field upvotes" in p for p in problems), problems
    assert any("2026-01-08.yaml: line 2: invalid YAML" in p for p in problems), problems
    assert any("notes.yaml" in p and "not a day file" in p for p in problems)
    assert any(
        "2026-01-09.yaml: paper 2601.00001: field id: already archived" in p for p in problems
    )


def test_paper_filed_under_the_wrong_day_is_an_error(project: Project) -> None:
    path = store.day_path(project, DAY)
    path.parent.mkdir(parents=True)
    path.write_text("day: '2026-01-06'\npapers:\n- {id: x1, title: T, day: '2026-01-05'}\n")
    (problem,) = store.read_archive(project).problems
    assert (problem.paper_id, problem.field) == ("x1", "day")


def test_alias_bombs_and_oversize_files_are_refused(project: Project, tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb)
    with pytest.raises(RecordError, match="aliases are not allowed"):
        store.load_yaml(path, "bomb.yaml")
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(store.MAX_YAML_BYTES + 1)
    with pytest.raises(RecordError, match="over"):
        store.load_yaml(big, "big.yaml")


def test_python_tags_are_never_constructed(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("x: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(RecordError, match="invalid YAML"):
        store.load_yaml(path, "evil.yaml")


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_day(project, DAY, [make_paper("2601.00001")])
    before = tree_bytes(project.root)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError, match="No space left on device"):
        save_day(project, DAY, [make_paper("2601.00001", upvotes=9)])
    assert tree_bytes(project.root) == before


def test_read_only_archive_gives_a_clear_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_day(project, DAY, [make_paper("2601.00001")])
    before = tree_bytes(project.root)

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        # Permission bits do not stop root, so simulate the kernel's answer instead.
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(fileio.tempfile, "mkstemp", read_only)
    with pytest.raises(StoreError, match="cannot write: Read-only file system"):
        save_day(project, DAY, [make_paper("2601.00001", upvotes=1)])
    assert tree_bytes(project.root) == before


def test_unquoted_numeric_id_in_a_hand_edit_is_explained(project: Project) -> None:
    path = store.day_path(project, DAY)
    path.parent.mkdir(parents=True)
    path.write_text("day: '2026-01-06'\npapers:\n- {id: 2601.00009, title: T, day: '2026-01-06'}\n")
    (problem,) = store.read_archive(project).problems
    assert "must be text, not float (quote it)" in str(problem)


def test_lock_gives_up_with_a_clear_message(project: Project) -> None:
    # flock locks belong to the open file, so a second open in this process contends.
    with (
        store.archive_lock(project),
        pytest.raises(StoreError, match="another almanac run"),
        store.archive_lock(project, wait_seconds=0.3),
    ):
        pass


def test_yaml_line_finds_the_line_of_a_field_or_the_nearest_one() -> None:
    from generator.archive.yamltext import BAD_KEY, yaml_line

    text = "topics:\n  - slug: a\n    phrases:\n      - x\n      - y\npapers:\n  2601.00001: {}\n"
    assert yaml_line(text, ["topics", 0, "phrases", 1]) == 5
    assert yaml_line(text, ["topics", 0, "name"]) == 2  # missing: where it would go
    assert yaml_line(text, ["topics", 7]) == 1
    assert yaml_line(text, ["papers", BAD_KEY]) == 7  # a key YAML did not read as text
    assert yaml_line("a: [\n", ["a"]) is None  # not YAML: no line, no exception


def test_save_days_renames_only_after_every_file_is_written(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = {date(2026, 1, d): [make_paper(f"2601.0000{d}", day=date(2026, 1, d))] for d in (5, 6)}
    events: list[str] = []
    real_stage, real_replace = store._stage, Path.replace

    def stage(path: Path, text: str) -> Path | None:
        events.append(f"stage {path.name}")
        return real_stage(path, text)

    def replace(self: Path, target: Path) -> Path:
        events.append(f"rename {Path(target).name}")
        return real_replace(self, target)

    monkeypatch.setattr(store, "_stage", stage)
    monkeypatch.setattr(Path, "replace", replace)
    assert store.save_days(project, days, last=[date(2026, 1, 5)]) == [
        date(2026, 1, 6),
        date(2026, 1, 5),
    ]
    assert events == [
        "stage 2026-01-06.yaml",
        "stage 2026-01-05.yaml",
        "rename 2026-01-06.yaml",
        "rename 2026-01-05.yaml",
    ]


def test_only_our_own_temporary_files_are_cleaned_up(project: Project) -> None:
    save_day(project, DAY, [make_paper("2601.00001")])
    folder = store.day_path(project, DAY).parent
    ours = folder / ".2026-01-06.yaml.k3j_x9a1.tmp"
    theirs = [folder / "notes.tmp", folder / ".editor.swp.tmp", folder / ".2026-01-06.yaml"]
    for path in (ours, *theirs):
        path.write_text("x")
    assert store.remove_stale_temp_files(project) == [ours]
    assert all(p.exists() for p in theirs) and not ours.exists()
