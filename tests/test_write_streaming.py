"""Generation writes each file as it is made: same bytes as rendering everything first,
never the whole site in memory, and nothing deleted when it fails half-way."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import tree_bytes

import generator.render as render
from generator import api, stamps
from generator.archive import Archive
from generator.errors import AlmanacError
from generator.progress import Progress
from generator.project import Project
from generator.render import Page
from generator.site import generate, iter_docs, render_docs, work_dir
from generator.siteconf import DEFAULT_SITE_URL

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "archive"
QUIET = Progress(quiet=True)


@pytest.fixture
def archive() -> Archive:
    from generator.site import load

    return load(Project(FIXTURE)).archive


def fixture_project(root: Path) -> Project:
    shutil.copytree(FIXTURE / "data", root / "data")
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text("hand-written\n", encoding="utf-8")
    return Project(root)


def test_the_docs_iterator_gives_what_render_docs_gives(archive: Archive) -> None:
    files = list(iter_docs(archive, DEFAULT_SITE_URL))
    assert dict(files) == render_docs(archive, DEFAULT_SITE_URL)
    assert len(files) == len(dict(files))


def test_the_export_made_a_day_at_a_time_is_gzip_of_all_its_lines(archive: Archive) -> None:
    # The bytes the export had when it was compressed in one piece.
    lines = "".join(
        api.paper_json(e, DEFAULT_SITE_URL) + "\n"
        for day in archive.days
        for e in sorted(archive.by_day[day], key=lambda e: e.id)
    )
    expected = gzip.compress(lines.encode(), compresslevel=api.GZIP_LEVEL, mtime=0)
    assert api.api_files(archive, DEFAULT_SITE_URL)[api.EXPORT] == expected


@pytest.mark.parametrize("cut", [1, 7, 4096, 10**9])
def test_gzip_in_pieces_gives_gzip_in_one_piece(cut: int) -> None:
    text = "".join(f"line {n} é ✓ {'x' * (n % 97)}\n" for n in range(5000))
    stream = api._GzipText(api.GZIP_LEVEL)
    for start in range(0, len(text), cut):
        stream.write(text[start : start + cut])
    assert stream.close() == gzip.compress(text.encode(), api.GZIP_LEVEL, mtime=0)


def test_gzip_of_nothing() -> None:
    assert api._GzipText(api.GZIP_LEVEL).close() == gzip.compress(b"", api.GZIP_LEVEL, mtime=0)


def test_each_page_is_written_before_the_next_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    real = render.pages
    rendered: list[str] = []

    def spy(archive: Archive) -> Iterator[Page]:
        for page in real(archive):
            if rendered:  # the page before this one is on disk already
                assert (project.docs / rendered[-1]).is_file()
            rendered.append(page.path)
            yield page

    monkeypatch.setattr(render, "pages", spy)
    generate(project, QUIET)
    assert len(rendered) > 10


def test_a_generation_that_fails_half_way_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = fixture_project(tmp_path / "p")
    generate(project, QUIET)
    complete = tree_bytes(project.docs)
    stale = project.docs / "days/2020/01/01/index.md"
    stale.parent.mkdir(parents=True)
    stale.write_text("a day no longer in data/\n", encoding="utf-8")
    real = render.pages

    def failing(archive: Archive) -> Iterator[Page]:
        for n, page in enumerate(real(archive)):
            if n == 5:
                raise AlmanacError("a renderer failed")
            yield page

    with monkeypatch.context() as patch:
        patch.setattr(render, "pages", failing)
        with pytest.raises(AlmanacError, match="renderer failed"):
            generate(project, QUIET, force=True)
    assert stale.is_file()  # nothing pruned
    assert tree_bytes(project.docs) == {**complete, "days/2020/01/01/index.md": stale.read_bytes()}
    assert stamps.read(work_dir(project) / "generate.json") == {}  # the next run redoes it
    report = generate(project, QUIET)
    assert report.deleted == ("docs/days/2020/01/01/index.md",)
    assert tree_bytes(project.docs) == complete


def test_a_generation_that_changes_nothing_writes_nothing(tmp_path: Path) -> None:
    project = fixture_project(tmp_path / "p")
    first = generate(project, QUIET)
    again = generate(project, QUIET, force=True)  # rendered and compared, not skipped
    assert again.written == () and again.deleted == ()
    assert again.unchanged == len(first.written)


def test_two_generations_give_byte_identical_trees(tmp_path: Path) -> None:
    one, two = fixture_project(tmp_path / "one"), fixture_project(tmp_path / "two")
    generate(one, QUIET)
    generate(two, QUIET)
    assert tree_bytes(one.docs) == tree_bytes(two.docs)
    assert tree_bytes(one.build_dir / "search") == tree_bytes(two.build_dir / "search")
