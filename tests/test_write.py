from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import put_all, tree_bytes, write_tree

from generator.errors import AlmanacError
from generator.site.write import PageCollisionError, TreeWriter, WriteReport, gather

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


# --- TreeWriter: one file at a time --------------------------------------------------------


def test_each_file_is_on_disk_as_soon_as_it_is_put(docs: Path) -> None:
    writer = TreeWriter(docs, OWNED)
    writer.put("days/2026/01/06/index.md", "day six ✓\n")
    assert (docs / "days/2026/01/06/index.md").read_text() == "day six ✓\n"
    writer.put("index.md", b"home\n")  # bytes are written as they are
    assert (docs / "index.md").read_bytes() == b"home\n"
    report = writer.finish()
    assert report.written == ("days/2026/01/06/index.md", "index.md")  # in the order put
    assert writer.count == 2


def test_the_writer_gives_the_same_tree_as_write_tree(tmp_path: Path) -> None:
    write_tree(tmp_path / "one", pages(), OWNED)
    writer = TreeWriter(tmp_path / "two", OWNED)
    put_all(writer, reversed(list(pages().items())))
    report = writer.finish()
    assert tree_bytes(tmp_path / "one") == tree_bytes(tmp_path / "two")
    assert sorted(report.written) == sorted(pages())


def test_a_second_file_on_one_path_is_refused_and_the_first_kept(docs: Path) -> None:
    writer = TreeWriter(docs, OWNED)
    writer.put("days/2026/01/05/index.md", "a")
    with pytest.raises(PageCollisionError, match=r"days/2026/01/05/index\.md"):
        writer.put("days/2026/01/05/index.md", "b")
    assert (docs / "days/2026/01/05/index.md").read_text() == "a"


def test_the_writer_keeps_no_text_it_was_given(docs: Path) -> None:
    # Collisions are found from the paths alone: a text is free once it is written.
    text = "".join(["a long page ✓\n"] * 1000)
    data = text.encode()
    references = sys.getrefcount(text), sys.getrefcount(data)
    writer = TreeWriter(docs, OWNED)
    writer.put("index.md", text)
    writer.put("topics/index.md", data)
    assert (sys.getrefcount(text), sys.getrefcount(data)) == references
    assert (docs / "index.md").read_text() == text


def test_unchanged_files_are_not_rewritten(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    writer = TreeWriter(docs, OWNED)
    put_all(writer, pages(**{"index.md": "new home\n"}).items())
    report = writer.finish()
    assert report == WriteReport(("index.md",), len(pages()) - 1, ())
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in docs.rglob("*") if p.is_file()}
    assert {p for p in after if after[p] != before[p]} == {docs / "index.md"}


def test_a_file_of_the_same_size_but_other_bytes_is_rewritten(docs: Path) -> None:
    write_tree(docs, {"index.md": "abc\n"}, OWNED)
    assert write_tree(docs, {"index.md": "xyz\n"}, OWNED).written == ("index.md",)
    assert (docs / "index.md").read_text() == "xyz\n"


def test_stale_files_are_deleted_only_when_the_writer_finishes(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    writer = TreeWriter(docs, OWNED)
    writer.put("index.md", "home\n")
    writer.put("topics/index.md", "topics\n")
    assert (docs / "days/2026/01/05/index.md").exists()  # not put (yet): still there
    report = writer.finish()
    assert report.deleted == ("days/2026/01/05/index.md", "days/2026/01/06/index.md")
    assert not (docs / "days").exists()
    assert (docs / "about.md").exists()


def test_nothing_is_deleted_when_generation_fails_half_way(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)

    def rendered() -> Iterator[tuple[str, str]]:
        yield "index.md", "new home\n"
        raise AlmanacError("a renderer failed")

    writer = TreeWriter(docs, OWNED)
    with pytest.raises(AlmanacError, match="renderer failed"):
        put_all(writer, rendered())
    assert (docs / "index.md").read_text() == "new home\n"  # what was put is written
    for rel, text in pages().items():
        if rel != "index.md":
            assert (docs / rel).read_text() == text  # the rest is not pruned


def test_nothing_is_deleted_after_a_collision(docs: Path) -> None:
    write_tree(docs, pages(), OWNED)
    writer = TreeWriter(docs, OWNED)
    writer.put("index.md", "home\n")
    with pytest.raises(PageCollisionError):
        writer.put("index.md", "home again\n")
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) == sorted(
        ["about.md", *pages()]
    )


@pytest.mark.parametrize("path", ["about.md", "../escape.md", "/abs.md", "days/../about.md", ""])
def test_the_writer_refuses_paths_it_does_not_own(docs: Path, path: str) -> None:
    writer = TreeWriter(docs, OWNED)
    with pytest.raises(AlmanacError):
        writer.put(path, "x")
    assert (docs / "about.md").read_text() == "hand-written\n"
    assert not (docs.parent / "escape.md").exists()
    assert writer.count == 0


def test_a_finished_writer_takes_no_more_files(docs: Path) -> None:
    writer = TreeWriter(docs, OWNED)
    writer.finish()
    with pytest.raises(AlmanacError, match="finished"):
        writer.put("index.md", "late\n")
    assert not (docs / "index.md").exists()


def test_files_put_from_two_threads_are_all_kept(docs: Path) -> None:
    writer = TreeWriter(docs, OWNED)
    days = [f"days/2026/01/{d:02d}/index.md" for d in range(1, 29)]
    topics = [f"topics/t{n}/index.md" for n in range(40)]
    other = threading.Thread(
        target=put_all,
        args=(
            writer,
            [(t, t) for t in topics],
        ),
    )
    other.start()
    put_all(writer, [(d, d) for d in days])
    other.join()
    report = writer.finish()
    assert sorted(report.written) == sorted(days + topics)
    assert report.deleted == ()
    assert all((docs / rel).read_text() == rel for rel in days + topics)


def test_one_path_put_from_two_threads_is_a_collision(docs: Path) -> None:
    writer = TreeWriter(docs, OWNED)
    errors: list[Exception] = []
    start = threading.Barrier(2)

    def put() -> None:
        start.wait()
        try:
            writer.put("index.md", "same\n")
        except PageCollisionError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(errors) == 1


def test_a_file_shared_by_a_hard_link_is_never_written_through(tmp_path: Path) -> None:
    # Search indexes are hard-linked into the built site: writing in place would change
    # the site's copy behind the build's back.
    from generator.fileio import write_if_changed

    ours, site_copy = tmp_path / "index.json", tmp_path / "site-index.json"
    ours.write_bytes(b"old")
    os.link(ours, site_copy)
    assert write_if_changed(ours, b"new") is True
    assert ours.read_bytes() == b"new" and site_copy.read_bytes() == b"old"
    assert write_if_changed(ours, b"new") is False


def test_a_link_to_a_folder_inside_a_generated_folder_is_left_alone(
    docs: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.md").write_text("not ours\n")
    (docs / "days").mkdir()
    (docs / "days" / "linked").symlink_to(elsewhere, target_is_directory=True)
    report = write_tree(docs, pages(), OWNED)
    assert report.deleted == ()
    assert (elsewhere / "keep.md").read_text() == "not ours\n"
    assert (docs / "days" / "linked").is_symlink()
