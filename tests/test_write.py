from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tree_bytes

from generator.errors import AlmanacError
from generator.write import PageCollisionError, WriteReport, gather, write_tree

OWNED = ("index.md", "days", "topics")


def pages(**extra: str) -> dict[str, str]:
    base = {
        "index.md": "home\n",
        "days/2026/01/05/index.md": "day five\n",
        "days/2026/01/06/index.md": "day six ✓\n",
        "topics/index.md": "topics\n",
    }
    base.update(extra)
    return base


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "assets").mkdir(parents=True)
    (root / "about.md").write_text("hand-written\n")
    (root / "assets" / "x.css").write_text("body{}\n")
    return root


def test_first_run_writes_everything_and_keeps_hand_written_pages(docs: Path) -> None:
    report = write_tree(docs, pages(), OWNED)
    assert report.written == tuple(sorted(pages()))
    assert report.unchanged == 0
    assert report.deleted == ()
    assert (docs / "days/2026/01/06/index.md").read_text() == "day six ✓\n"
    assert (docs / "about.md").read_text() == "hand-written\n"
    assert (docs / "assets/x.css").exists()


def test_a_rerun_with_the_same_pages_writes_nothing(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    report = write_tree(docs, pages(), OWNED)
    assert report == WriteReport((), len(pages()), ())
    assert not report.changed
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == before


def test_only_changed_pages_are_written(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    report = write_tree(docs, pages(**{"index.md": "new home\n"}), OWNED)
    assert report.written == ("index.md",)
    assert report.unchanged == len(pages()) - 1
    assert str(report) == "1 files written, 3 unchanged, 0 deleted"


def test_stale_generated_pages_are_deleted_with_their_empty_folders(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    fewer = pages()
    del fewer["days/2026/01/05/index.md"]
    del fewer["index.md"]
    report = write_tree(docs, fewer, OWNED)
    assert report.deleted == ("days/2026/01/05/index.md", "index.md")
    assert not (docs / "days/2026/01/05").exists()
    assert (docs / "days/2026/01/06/index.md").exists()
    assert (docs / "about.md").exists()


def test_leftover_files_inside_generated_folders_are_removed(docs: Path) -> None:
    (docs / "topics/old").mkdir(parents=True)
    (docs / "topics/old/index.md").write_text("stale")
    (docs / "topics/.index.md.abc.tmp").write_text("interrupted write")
    report = write_tree(docs, pages(), OWNED)
    assert set(report.deleted) == {"topics/old/index.md", "topics/.index.md.abc.tmp"}


def test_two_pages_with_one_path_is_an_error() -> None:
    with pytest.raises(PageCollisionError, match=r"days/2026/01/05/index\.md"):
        gather([("days/2026/01/05/index.md", "a"), ("days/2026/01/05/index.md", "b")])


@pytest.mark.parametrize("path", ["about.md", "../escape.md", "/abs.md", "days/../about.md", ""])
def test_pages_outside_the_generated_folders_are_refused(docs: Path, path: str) -> None:
    with pytest.raises(AlmanacError):
        write_tree(docs, {path: "x"}, OWNED)
    assert (docs / "about.md").read_text() == "hand-written\n"


def test_same_pages_give_byte_identical_trees(tmp_path: Path) -> None:
    write_tree(tmp_path / "one", pages(), OWNED)
    write_tree(tmp_path / "two", dict(reversed(list(pages().items()))), OWNED)
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")


def test_no_temporary_files_are_left_behind(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    assert not [p for p in docs.rglob("*") if p.name.endswith(".tmp")]
