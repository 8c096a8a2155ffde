"""Related papers: five neighbours per paper by their words, the same whether computed
from nothing or merged from the build folder's lists after a change."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest
from helpers import make_paper

from generator.archive import store
from generator.models import Paper
from generator.project import Project
from generator.site import buildfolder
from generator.site.buildfolder import BuildFolder
from generator.site.related import SHOWN, compute, document, ranked, vectors
from generator.site.related_cache import memo_of, neighbours

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real() -> list[Paper]:
    """The shipped archive: real titles and abstracts of Hugging Face Daily Papers."""
    papers = list(store.read_archive(Project(REPO)).papers)
    assert len(papers) > 500
    return papers


def test_every_real_paper_has_five_neighbours_best_first(real: list[Paper]) -> None:
    found = compute(real)
    for paper in real:
        lists = found.of(paper.id)
        assert len(lists) == SHOWN, paper.id
        assert paper.id not in [n for _, n in lists]
        assert lists == sorted(lists, key=lambda c: (-c[0], c[1]))


def test_neighbours_share_words(real: list[Paper]) -> None:
    """The nearest paper shares some of a paper's weightiest words."""
    by_id = {p.id: p for p in real}
    words = {
        p.id: {w for w, _ in v}
        for p, v in zip(real, vectors([document(p) for p in real]), strict=True)
    }
    found = compute(real)
    for paper in real:
        _, nearest = found.of(paper.id)[0]
        assert words[paper.id] & words[nearest], (by_id[paper.id].title, by_id[nearest].title)


def test_the_order_of_the_papers_changes_nothing(real: list[Paper]) -> None:
    shuffled = real[:]
    random.Random(7).shuffle(shuffled)
    assert compute(shuffled).lists == compute(real).lists


def test_ties_go_to_the_smaller_id() -> None:
    twins = [
        make_paper(f"2601.0000{i}", abstract="Gaussian splatting of scenes.") for i in range(4)
    ]
    assert [n for _, n in compute(twins).of("2601.00002")] == [
        "2601.00000",
        "2601.00001",
        "2601.00003",
    ]
    assert ranked([(5, "b"), (5, "a"), (0, "c"), (7, "d")]) == [(7, "d"), (5, "a"), (5, "b")]


def _changed(papers: list[Paper]) -> list[Paper]:
    """The archive a day later: a new day, one abstract rewritten, one paper gone."""
    later = [*papers]
    rewritten = later[10]
    later[10] = dataclasses.replace(rewritten, abstract=later[200].abstract)
    del later[20]
    return later


def test_a_daily_build_merges_to_what_computing_anew_gives(
    tmp_path: Path, real: list[Paper]
) -> None:
    folder = BuildFolder(Project(tmp_path))
    last_day = max(p.day for p in real)
    before = [p for p in real if p.day < last_day]
    assert neighbours(before, memo_of(folder)).lists == compute(before).lists
    after = _changed(real)
    assert neighbours(after, memo_of(folder)).lists == compute(after).lists
    # And with nothing new, the lists come back as they were.
    assert neighbours(after, memo_of(folder)).lists == compute(after).lists


def test_a_build_folder_from_elsewhere_is_not_trusted(tmp_path: Path, real: list[Paper]) -> None:
    folder = BuildFolder(Project(tmp_path))
    neighbours(real[:300], memo_of(folder))
    folder.related.write_text('{"key": "other", "value": {"papers": {"x": 1}}}')
    assert neighbours(real[:300], memo_of(folder)).lists == compute(real[:300]).lists


@pytest.mark.parametrize("damage", ["missing", "cut", "changed", "another day's"])
def test_vectors_not_the_ones_the_memo_recorded_are_not_used(
    tmp_path: Path, real: list[Paper], damage: str
) -> None:
    """The vectors live in a file beside the memo: one missing, cut, changed in place or
    left by another build is never merged into; the lists are computed anew."""
    folder = BuildFolder(Project(tmp_path))
    last_day = max(p.day for p in real)
    before = [p for p in real if p.day < last_day]
    neighbours(before, memo_of(folder))
    path = folder.related_vectors
    raw = path.read_bytes()
    if damage == "missing":
        path.unlink()
    elif damage == "cut":
        path.write_bytes(raw[:-8])
    elif damage == "changed":  # the weights in reverse order: the same size, other vectors
        weights = len(raw) - (len(raw) - (len(before) + 1) * 8) // 2
        path.write_bytes(raw[:weights] + np.frombuffer(raw[weights:], "<i4")[::-1].tobytes())
    else:
        neighbours(before[:200], memo_of(folder))
        path.write_bytes(raw)  # the memo now names the smaller file
    after = _changed(real)
    assert neighbours(after, memo_of(folder)).lists == compute(after).lists


def test_a_new_word_table_is_a_new_build_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored vectors are weighed by related_words.txt: a build folder made with
    another table must not be merged into (its key is not the code's any more)."""
    code = tmp_path / "generator"
    (code / "__pycache__").mkdir(parents=True)
    (code / "related.py").write_text("SHOWN = 5\n")
    (code / "related_words.txt").write_text("model\t500\n")
    monkeypatch.setattr(buildfolder, "CODE", code)

    def key() -> str:
        buildfolder.code_key.cache_clear()
        return buildfolder.code_key()

    first = key()
    (code / "__pycache__" / "related.cpython-311.pyc").write_bytes(b"compiled")
    assert key() == first
    (code / "related_words.txt").write_text("model\t501\n")
    assert key() != first
    monkeypatch.undo()
    buildfolder.code_key.cache_clear()


def test_every_card_of_the_real_sample_links_its_related_papers() -> None:
    """Every card links its section of its day's related.html, which lists five papers,
    each a link to a permalink of the archive."""
    import re

    from helpers import docs_files

    from generator.site.load import load
    from generator.site.render.urls import day_url

    archive = load(Project(REPO)).archive
    files = docs_files(archive, "https://example.org/")
    cards = 0
    for day in archive.days:
        page = str(files[day_url(day) + "index.md"])
        lists = str(files[day_url(day) + "related.html"])
        for part in page.split('<article class="pa-card"')[1:]:
            cards += 1
            found = re.search(r'<p class="pa-card__related"><a href="([^"]*)#([^"]+)">', part)
            assert found, part[:200]
            folder, pid = found.groups()
            if folder == "./related.html":
                section = lists.split(f'<section id="{pid}"', 1)[1].split("</section>")[0]
                links = re.findall(r'<li><a href="([^"]+)">', section)
                assert len(links) == SHOWN
                for link in links:
                    target, anchor = link.split("#")
                    assert target.startswith("./") or target.startswith("../"), link
                    assert anchor in archive.entries
    assert cards >= archive.total
