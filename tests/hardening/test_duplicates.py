"""The same paper under two ids is one paper: a version suffix is dropped everywhere, and a
title id meets its arXiv id by normalised title; the real id wins and the old one stays as
an alias, so old anchors and curation entries keep working."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import QUIET, day_bytes, make_paper, save_day

from generator.archive import commands as pipeline
from generator.archive import merge, store
from generator.archive.sources import arxiv, hf_json, scraped
from generator.models import Paper, title_id
from generator.project import Project

from .conftest import hf_record, write_capture

TITLE = "Attention Is All You Need, Again"
# The same title as a scraped page may show it: other case, spacing, a ligature, full width.
PAGE_TITLE = "attention  is all you ﬁne need, AGAIN".replace("ﬁne ", "")
PAGE = """Daily Papers

Jan 6

{title}

An abstract from the page.

  • 8 authors
·
Jan 2, 2026 12

Ｆｕｌｌ Ｗｉｄｔｈ  Ｔｉｔｌｅ

Another abstract.

  • 2 authors
·
Jan 3, 2026 4
"""


def page(tmp_path: Path, title: str = PAGE_TITLE) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(PAGE.format(title=title), encoding="utf-8")
    return path


def capture(tmp_path: Path, *records: dict[str, object], day: str = "2026-01-06") -> Path:
    return write_capture(tmp_path / "hf", day, list(records))


def papers(project: Project) -> list[Paper]:
    archive = store.read_archive(project)
    assert archive.problems == []
    return archive.papers


def test_a_version_suffix_never_makes_a_second_paper(project: Project, tmp_path: Path) -> None:
    assert Paper(id="2601.01425v2", title="T", day=date(2026, 1, 6)).id == "2601.01425"
    stored = {"id": "2601.01425v12", "title": "T", "day": "2026-01-06"}
    assert Paper.from_mapping(stored).id == "2601.01425"
    parsed = hf_json.parse([hf_record("2601.01425v3")], "t", day=date(2026, 1, 6))
    assert [p.id for p in parsed.papers] == ["2601.01425"]
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<id>http://arxiv.org/abs/2601.01425v4</id></entry></feed>"
    )
    assert list(arxiv.parse_atom(atom, "t")) == ["2601.01425"]
    first = capture(tmp_path, hf_record("2601.01425", upvotes=1))
    assert pipeline.import_inputs(project, [first], QUIET).added == 1
    again = write_capture(tmp_path / "v2", "2026-01-06", [hf_record("2601.01425v2", upvotes=7)])
    report = pipeline.import_inputs(project, [again], QUIET)
    assert (report.added, report.updated) == (0, 1)
    assert [(p.id, p.upvotes) for p in papers(project)] == [("2601.01425", 7)]


def test_a_real_id_replaces_a_title_id_and_keeps_it_as_an_alias(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pipeline.import_inputs(project, [page(tmp_path)], QUIET).added == 2
    old_id = title_id(PAGE_TITLE)
    assert old_id in {p.id for p in papers(project)}
    project.curation_file.write_text(f'papers:\n  "{old_id}": {{pin: true}}\n', encoding="utf-8")
    hf = capture(tmp_path, hf_record("2601.01425", title=TITLE, upvotes=30))
    report = pipeline.import_inputs(project, [hf], QUIET)
    assert (report.added, report.updated, report.files_written) == (0, 1, 1)
    assert f"note: paper {old_id}: now archived as 2601.01425" in capsys.readouterr().err
    by_id = {p.id: p for p in papers(project)}
    assert len(by_id) == 2 and old_id not in by_id
    paper = by_id["2601.01425"]
    assert paper.aliases == (old_id,)
    assert (paper.title, paper.upvotes, paper.day) == (TITLE, 30, date(2026, 1, 6))
    assert paper.published == date(2026, 1, 2)  # known from the page only: kept
    # Curation written against the old id still applies, to the paper's new id.
    archive = store.read_archive(project)
    assert list(store.read_curation(project, [], archive=archive)) == ["2601.01425"]
    # Seeing either record again changes nothing.
    for again in (hf, page(tmp_path)):
        assert pipeline.import_inputs(project, [again], QUIET).files_written == 0


def test_a_title_id_arriving_after_its_real_id_is_merged_into_it(
    project: Project, tmp_path: Path
) -> None:
    hf = capture(tmp_path, hf_record("2601.01425", title=TITLE, upvotes=30))
    pipeline.import_inputs(project, [hf], QUIET)
    report = pipeline.import_inputs(project, [page(tmp_path)], QUIET)
    assert (report.added, report.updated) == (1, 1)  # only the other paper is new
    paper = {p.id: p for p in papers(project)}["2601.01425"]
    # Kept although never archived: the same archive as when the page came first.
    assert paper.aliases == (title_id(TITLE),)
    assert (paper.abstract, paper.upvotes) == ("An abstract.", 30)  # the real record wins
    assert paper.author_count == 1 and paper.published == date(2026, 1, 2)  # gaps filled


def test_both_in_one_run_make_one_paper_whatever_the_order(
    project: Project, tmp_path: Path
) -> None:
    hf = capture(tmp_path, hf_record("2601.01425", title=TITLE, upvotes=30))
    results = []
    for n, order in enumerate(([page(tmp_path), hf], [hf, page(tmp_path)])):
        target = Project(tmp_path / f"p{n}")
        assert pipeline.import_inputs(target, order, QUIET).added == 2
        results.append(day_bytes(target))
        again = pipeline.import_inputs(target, order, QUIET)
        assert (again.added, again.updated, again.files_written) == (0, 0, 0)
    assert results[0] == results[1]
    aliases = {p.id: p.aliases for p in papers(Project(tmp_path / "p0"))}
    assert aliases.pop("2601.01425") == (title_id(TITLE),) and list(aliases.values()) == [()]


def test_a_pair_left_in_the_archive_is_merged_by_the_next_run(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # As an older version (or a run killed between two renames) may leave it: the same
    # paper archived under its title id on one day and its arXiv id on another.
    titled = make_paper(title_id(TITLE), title=TITLE, day=date(2026, 1, 5), upvotes=3)
    real = make_paper("2601.01425", title=TITLE.upper(), day=date(2026, 1, 6), comments=2)
    save_day(project, titled.day, [titled])
    save_day(project, real.day, [real])
    report = pipeline.import_inputs(project, [capture(tmp_path, hf_record("2601.09999"))], QUIET)
    assert report.files_written == 2 and report.updated == 1
    assert "merged into 2601.01425" in capsys.readouterr().err
    merged = {p.id: p for p in papers(project)}["2601.01425"]
    # On the first day either record was listed, featured again on the other.
    assert (merged.day, merged.featured_again) == (titled.day, (real.day,))
    assert (merged.aliases, merged.upvotes, merged.comments) == ((titled.id,), 3, 2)
    assert [p.id for p in papers(project) if p.day == real.day] == ["2601.09999"]


def test_a_title_shared_by_two_real_papers_merges_nothing(project: Project) -> None:
    one = make_paper("2601.00001", title=TITLE)
    two = make_paper("2601.00002", title=TITLE)
    scraped_copy = make_paper(title_id(TITLE), title=TITLE)
    result = merge.merge_all({p.id: p for p in (one, two)}, [scraped_copy])
    assert sorted(result.papers) == sorted([one.id, two.id, scraped_copy.id])
    # In one batch, in any order: which real paper the title id is stays undecided, even
    # while the second real paper has not been merged yet, so a rerun changes nothing.
    for batch in ([one, scraped_copy, two], [scraped_copy, one, two], [one, two, scraped_copy]):
        once = merge.merge_all({}, batch)
        assert sorted(once.papers) == sorted(result.papers)
        again = merge.merge_all(once.papers, batch)
        assert again.papers == once.papers and not again.changed_days


def test_the_title_index_is_built_once_per_merge(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [0]
    real_normalise = merge.normalise_title

    def counting(title: str) -> str:
        calls[0] += 1
        return real_normalise(title)

    monkeypatch.setattr(merge, "normalise_title", counting)
    archived = {p.id: p for p in (make_paper(f"2601.{n:05d}") for n in range(3000))}
    incoming = [make_paper(title_id(f"new {n}"), title=f"new {n}") for n in range(300)]
    incoming += [make_paper(f"2601.{n:05d}", upvotes=n) for n in range(300)]
    result = merge.merge_all(archived, incoming)
    assert len(result.added) == 300 and len(result.updated) == 300
    assert calls[0] < len(archived) + 10 * len(incoming)  # not len(archived) * len(incoming)


def test_real_captures_and_the_seed_page_share_two_papers(
    project: Project, hf_daily_dir: Path, seed_file: Path, tmp_path: Path
) -> None:
    captures = [hf_daily_dir / "2025-09-15.json", hf_daily_dir / "2025-09-26.json"]
    listed = sum(len(json.loads(c.read_bytes())) for c in captures)
    pipeline.import_inputs(project, [seed_file], QUIET)
    report = pipeline.import_inputs(project, captures, QUIET)
    archived = papers(project)
    assert len(archived) == 52 + listed - 2 == 52 + report.added
    renamed = [p for p in archived if p.aliases]
    # Featured in September, listed again by the page: permalink in September, card on both.
    assert len(renamed) == 2
    assert all(p.is_arxiv and p.day.month == 9 for p in renamed)
    assert all(p.featured_again == (date(2026, 1, 6),) for p in renamed)
    seed_titles = {p.title for p in scraped.parse_file(seed_file).papers}
    assert all(p.title in seed_titles or p.aliases for p in renamed)


def test_aliases_are_checked_and_round_trip_through_yaml(project: Project) -> None:
    paper = make_paper("2601.01425", aliases=(title_id(TITLE), "t-0123456789ab"))
    save_day(project, paper.day, [paper])
    text = store.day_path(project, paper.day).read_text(encoding="utf-8")
    assert f"aliases:\n  - {title_id(TITLE)}\n  - t-0123456789ab\n" in text
    assert papers(project) == [paper]
    for bad, reason in (
        (("../x",), "not a plain id"),
        (("2601.01425",), "own id"),
        (("t-1", "t-1"), "repeat"),
    ):
        with pytest.raises(Exception, match=reason) as info:
            make_paper("2601.01425", aliases=bad)
        assert getattr(info.value, "field", None) == "aliases"
    with pytest.raises(Exception, match="must be a list"):
        Paper.from_mapping({"id": "x1", "title": "T", "day": "2026-01-06", "aliases": "t-1"})


def test_validate_reports_an_alias_held_twice(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    one = make_paper("2601.00001", aliases=("t-0123456789ab",))
    two = make_paper("2601.00002", aliases=("t-0123456789ab",))
    save_day(project, one.day, [one, two])
    count, problems = pipeline.validate(project)
    assert count == 2
    assert [str(p) for p in problems] == [
        "data/papers/2026/01/2026-01-06.yaml: paper 2601.00002: field aliases: "
        "t-0123456789ab is an alias of 2601.00001 too; keep it on one paper"
    ]
