"""Generation writes each file as it is made (same bytes as rendering everything first),
deletes nothing when it fails half-way, and renders again only what changed."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import QUIET, add_unrelated_day, api_files, docs_files, tree_bytes

from generator.errors import AlmanacError
from generator.project import Project
from generator.site import generate as generation
from generator.site.arranged import Archive
from generator.site.buildfolder import BuildFolder
from generator.site.load import load
from generator.site.render import Job, api
from generator.site.siteconf import DEFAULT_SITE_URL
from generator.site.write import WriteReport

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archive"


@pytest.fixture
def archive() -> Archive:
    return load(Project(FIXTURE)).archive


def fixture_project(root: Path) -> Project:
    shutil.copytree(FIXTURE / "data", root / "data")
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("hand-written\n", encoding="utf-8")
    return Project(root)


def generate(project: Project, *, force: bool = False) -> WriteReport:
    return generation.generate(BuildFolder(project), QUIET, force=force)


def spy_on_jobs(
    monkeypatch: pytest.MonkeyPatch, made: list[str], fail_at: int | None = None
) -> None:
    """Record the path of every job that is made (rendered); fail at the given one."""
    real = generation.docs_jobs

    def spy(*args: Any) -> Iterator[Job]:
        for job in real(*args):

            def make(job: Job = job) -> str | bytes:
                if fail_at is not None and len(made) == fail_at:
                    raise AlmanacError("a renderer failed")
                made.append(job.path)
                return job.make()

            yield Job(job.path, job.key, make)

    monkeypatch.setattr(generation, "docs_jobs", spy)


def generated_anew(project: Project, root: Path) -> dict[str, bytes]:
    """docs/ as a first generation of `project`'s data/ makes it, in a project at `root`."""
    fresh = fixture_project(root)
    shutil.rmtree(fresh.data)
    shutil.copytree(project.data, fresh.data)
    generate(fresh)
    return tree_bytes(fresh.docs)


def test_the_month_files_joined_are_one_gzip_file_of_every_line(archive: Archive) -> None:
    lines = "".join(
        api.paper_json(e, DEFAULT_SITE_URL) + "\n"
        for day in archive.days
        for e in sorted(archive.by_day[day], key=lambda e: e.id)
    )
    files = api_files(archive, DEFAULT_SITE_URL)
    months = [api.month_path(month) for month in archive.months]
    assert len(months) == 2  # the fixture spans December and January
    joined = b"".join(files[path] for path in months)
    assert gzip.decompress(joined).decode() == lines  # gzip readers read every member
    assert gzip.decompress(files[months[0]]).count(b"\n") == 3


def test_each_page_is_written_before_the_next_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    made: list[str] = []
    real = generation.docs_jobs

    def spy(*args: Any) -> Iterator[Job]:
        for job in real(*args):
            if made:  # the file before this one is on disk already
                assert (project.docs / made[-1]).is_file()
            made.append(job.path)
            yield job

    monkeypatch.setattr(generation, "docs_jobs", spy)
    generate(project)
    assert len(made) > 10


def test_generation_writes_what_rendering_everything_at_once_gives(
    tmp_path: Path, archive: Archive
) -> None:
    project = fixture_project(tmp_path / "p")
    generate(project)
    expected = {
        path: text.encode() if isinstance(text, str) else text
        for path, text in {
            **docs_files(archive, DEFAULT_SITE_URL),
            **api_files(archive, DEFAULT_SITE_URL),
        }.items()
    }
    written = tree_bytes(project.docs)
    written.pop("about.md")
    assert written == expected


def test_a_generation_that_fails_half_way_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    generate(project)
    complete = tree_bytes(project.docs)
    stale = project.docs / "days/2020/01/01/index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("a day no longer in data/\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        spy_on_jobs(patch, [], fail_at=5)
        with pytest.raises(AlmanacError, match="renderer failed"):
            generate(project, force=True)
    assert stale.is_file()  # nothing pruned
    assert tree_bytes(project.docs) == {**complete, "days/2020/01/01/index.md": stale.read_bytes()}
    folder = BuildFolder(project)
    assert folder.stamp(generation.STAMP).recorded() == {}  # the next run redoes it
    report = generate(project)
    assert report.deleted == ("docs/days/2020/01/01/index.md",)
    assert tree_bytes(project.docs) == complete


def test_a_generation_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "p")
    first = generate(project)
    again = generate(project, force=True)  # rendered and compared, not skipped
    assert again.written == () and again.deleted == ()
    assert again.unchanged == len(first.written)


def test_a_new_day_renders_only_the_files_whose_inputs_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    generate(project)
    before = tree_bytes(project.docs)
    add_unrelated_day(project.papers_dir, "2026-01-06", "2026-01-07")
    made: list[str] = []
    spy_on_jobs(monkeypatch, made)
    generate(project)
    assert "days/2026/01/07/index.md" in made  # the new day
    assert "days/2026/01/06/index.md" in made  # its neighbour: a new "next day" link
    assert "days/2025/12/30/index.md" not in made  # untouched days are kept as they are
    assert not any(p.startswith("topics/") and "/2025/12/" in p for p in made)
    assert "days/2026/01/index.md" in made and "days/2026/index.md" in made  # its month, year
    assert "days/2025/12/index.md" not in made and "days/2025/index.md" not in made
    # What was not made again is what rendering it would have given.
    monkeypatch.undo()
    assert tree_bytes(project.docs) == generated_anew(project, tmp_path / "fresh")
    assert tree_bytes(project.docs) != before


def test_files_edited_by_hand_void_the_record_and_everything_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    generate(project)
    complete = tree_bytes(project.docs)
    (project.docs / "days/2025/12/30/index.md").write_text("edited\n", encoding="utf-8")
    day = project.papers_dir / "2026/01/2026-01-06.yaml"
    day.write_text(day.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same papers
    made: list[str] = []
    spy_on_jobs(monkeypatch, made)
    generate(project)
    assert "days/2025/12/30/index.md" in made
    assert tree_bytes(project.docs) == complete


def test_two_generations_give_byte_identical_trees(tmp_path: Path) -> None:
    one, two = fixture_project(tmp_path / "one"), fixture_project(tmp_path / "two")
    generate(one)
    generate(two)
    assert tree_bytes(one.docs) == tree_bytes(two.docs)
    assert tree_bytes(one.build_dir / "search") == tree_bytes(two.build_dir / "search")


def test_an_edited_record_renders_again_every_page_that_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pages' keys take a day file's digest for its papers (render/jobs.Keys): an edit
    of one field of one record must still reach its day page, topic pages and feeds."""
    project = fixture_project(tmp_path / "p")
    generate(project)
    day = project.papers_dir / "2025/12/2025-12-30.yaml"
    text = day.read_text(encoding="utf-8")
    edited = "Students trained on zebrafish-free synthetic puzzles"
    assert edited in text
    day.write_text(text.replace(edited, "Students taught with puzzles"), encoding="utf-8")
    made: list[str] = []
    spy_on_jobs(monkeypatch, made)
    generate(project)
    assert "days/2025/12/30/index.md" in made
    assert "days/2025/12/31/index.md" not in made  # its neighbour shows none of it
    assert any(p.startswith("topics/") and "/2025/12/" in p for p in made)
    monkeypatch.undo()
    assert tree_bytes(project.docs) == generated_anew(project, tmp_path / "fresh")
    assert b"Students taught with puzzles" in tree_bytes(project.docs)["days/2025/12/30/index.md"]
