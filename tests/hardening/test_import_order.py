"""The archive is one function of the captures imported: any order of files, in one run or
many, gives byte-identical data/ (issue 14: "the newer fetch wins" used to fall back to
"the file read last wins")."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import QUIET, tree_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.archive import commands as pipeline
from generator.project import Project

TITLES = ("Paper One", "Paper one, revised")
# In the tests that mix in scraped pages each id keeps one title (spelled as each source
# spells it): a title id is matched to the one real paper of its title known when both
# are there, and a second real paper of that title arriving later does not undo it.
TITLE_OF = {"2601.00001": "Paper One", "2601.00002": "Paper Two", "2601.00003": "Third paper"}
PAGE_TITLES = ("Paper one", "PAPER TWO.", "Third paper", "Not on HF")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
IDS = ("2601.00001", "2601.00002", "2601.00003")
DAYS = (date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 12))
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REAL = sorted((SHARED / "hf-daily").glob("*.json"))[:3]


@st.composite
def capture(draw: st.DrawFn, *, fixed_titles: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """A file name (by its day, or not) and its records, each field there or not; with
    `fixed_titles`, each id always has the same title."""
    day = draw(st.sampled_from(DAYS))
    name = draw(st.sampled_from([f"{day}.json", f"{day}.json", "saved.json"]))
    records = []
    for paper_id in draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=3, unique=True)):
        paper: dict[str, Any] = {
            "id": paper_id,
            "title": TITLE_OF[paper_id] if fixed_titles else draw(st.sampled_from(TITLES)),
            "submittedOnDailyAt": f"{day}T08:00:00.000Z",
        }
        optional = {
            "upvotes": st.integers(0, 50),
            "summary": st.sampled_from(["We study things.", "We study more things."]),
            "ai_summary": st.sampled_from(["It works.", "It works well."]),
            "githubRepo": st.sampled_from(["https://github.com/a/b", "https://github.com/a/c"]),
            "authors": st.sampled_from([[{"name": "Ada"}], [{"name": "Ada"}, {"name": "Bo"}]]),
        }
        for key, values in optional.items():
            if draw(st.booleans()):
                paper[key] = draw(values)
        top = {"numComments": draw(st.integers(0, 9))} if draw(st.booleans()) else {}
        records.append({"paper": paper, **top})
    return name, records


@st.composite
def scraped_page(draw: st.DrawFn) -> tuple[str, str]:
    """A scraped Daily Papers page of one day, its papers known by their titles only (some
    the captures' titles, on other days or the same), each field there or not."""
    day = draw(st.sampled_from(DAYS))
    blocks = []
    for title in draw(st.lists(st.sampled_from(PAGE_TITLES), min_size=1, max_size=3, unique=True)):
        lines = [title]
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["We study things.", "A scraped abstract."])))
        lines.append(f"  • {draw(st.integers(1, 4))} authors")
        votes = f" {draw(st.integers(0, 60))}" if draw(st.booleans()) else ""
        lines += ["·", f"Dec {draw(st.integers(1, 28))}, 2025{votes}"]
        blocks.append("\n".join(lines))
    name = draw(st.sampled_from([f"{day}.txt", "page.txt"]))
    heading = f"{day:%b} {day.day}"
    return name, "\n\n".join(["Daily Papers", heading, *blocks]) + "\n"


def write_captures(folder: Path, captures: list[tuple[str, Any]]) -> list[Path]:
    """Each capture in a folder of its own (two may share a name); records are written as
    JSON, page text as it is."""
    paths = []
    for n, (name, content) in enumerate(captures):
        path = folder / f"c{n}" / name
        path.parent.mkdir(parents=True)
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        paths.append(path)
    return paths


def archive_after(paths: list[Path], runs: list[list[Path]] | None = None) -> dict[str, bytes]:
    """data/papers after importing `paths` in one run (or in `runs`); importing all of
    them once more must then write nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Project(Path(tmp))
        project.papers_dir.mkdir(parents=True)
        for run in runs or [paths]:
            pipeline.import_inputs(project, run, QUIET)
        archive = tree_bytes(project.papers_dir)
        again = pipeline.import_inputs(project, paths, QUIET)
        assert (again.files_written, again.added, again.updated) == (0, 0, 0)
        assert tree_bytes(project.papers_dir) == archive
        return archive


def split(paths: list[Path], random: Any) -> list[list[Path]]:
    """The paths in a random order over a random number of runs."""
    shuffled = random.sample(paths, len(paths))
    cuts = sorted(random.sample(range(1, len(paths)), random.randint(0, len(paths) - 1)))
    return [shuffled[a:b] for a, b in zip([0, *cuts], [*cuts, len(paths)], strict=True)]


@SETTINGS
@given(st.lists(capture(), min_size=2, max_size=5), st.randoms(use_true_random=False))
def test_any_order_of_synthetic_captures_gives_the_same_archive(
    captures: list[tuple[str, list[Any]]], random: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_captures(Path(tmp), captures)
        expected = archive_after(paths)
        shuffled = random.sample(paths, len(paths))
        assert archive_after(shuffled) == expected
        # The same files over several runs: a run at a time, in another order again.
        cut = random.randint(1, len(paths) - 1)
        reordered = random.sample(paths, len(paths))
        assert archive_after(paths, [reordered[:cut], reordered[cut:]]) == expected


@settings(SETTINGS, max_examples=12)
@given(
    st.lists(st.one_of(capture(fixed_titles=True), scraped_page()), min_size=2, max_size=4),
    st.randoms(use_true_random=False),
)
def test_scraped_pages_mixed_with_captures_of_other_days_give_one_archive_over_any_runs(
    inputs: list[tuple[str, Any]], random: Any
) -> None:
    """Papers known by their titles on one day meet the same titles with real ids on other
    days (or on the same one): every split of the files over runs, in every order, gives
    the same archive."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_captures(Path(tmp), inputs)
        expected = archive_after(paths)
        assert archive_after(paths, split(paths, random)) == expected
        assert archive_after(paths, [[p] for p in random.sample(paths, len(paths))]) == expected


@pytest.mark.skipif(not REAL, reason="no HF captures in ../shared/hf-daily")
@settings(SETTINGS, max_examples=15)
@given(st.permutations(range(6)))
def test_any_order_of_real_captures_and_their_later_refetches_gives_the_same_archive(
    order: list[int],
) -> None:
    """Three real days, each captured again a week on with other upvotes and comments and
    some fields gone: the later capture lists them on its own day (featured again)."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [*REAL]
        for n, path in enumerate(REAL):
            later = date.fromisoformat(path.stem) + timedelta(days=7)
            records = json.loads(path.read_bytes())
            for i, record in enumerate(records):
                record["paper"]["upvotes"] = record["paper"].get("upvotes", 0) + i + n
                record["paper"]["submittedOnDailyAt"] = f"{later}T08:00:00.000Z"
                if i % 3 == 0:
                    record["paper"].pop("ai_summary", None)
            copy = Path(tmp) / "later" / f"{later}.json"
            copy.parent.mkdir(exist_ok=True)
            copy.write_text(json.dumps(records))
            paths.append(copy)
        files = [paths[i] for i in order]
        assert archive_after(files) == archive_after(paths)
        assert archive_after(files, [[f] for f in files]) == archive_after(paths)


SEED = SHARED / "seeds" / "000_9e65165add5bb4b6.txt"
SAME_DAY = [SHARED / "hf-daily" / f"2026-01-{d:02d}.json" for d in (5, 6, 7)]
# The days of the two papers the seed page lists again on 2026-01-06 by their titles.
EARLIER = [SHARED / "hf-daily" / f"2025-09-{d:02d}.json" for d in (15, 26)]
LISTED_AGAIN = {"2509.09677": "2025-09-15", "2509.21070": "2025-09-26"}
ALL_CAPTURES = SHARED / "hf-daily"
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "papers"


@pytest.mark.skipif(
    not SEED.is_file() or not all(p.is_file() for p in SAME_DAY),
    reason="no seed page and HF captures of 2026-01-05..07 in ../shared",
)
@settings(max_examples=6, deadline=None)
@given(st.permutations(range(4)))
def test_a_scraped_page_and_the_captures_of_its_days_in_any_order(order: list[int]) -> None:
    """The seed page (2026-01-06, papers known by their titles) with the HF captures of its
    day and the days around it: title ids meet real ids whichever comes first."""
    files = [SEED, *SAME_DAY]
    assert archive_after([files[i] for i in order]) == archive_after(files)
    runs = [[files[i]] for i in order]
    assert archive_after(files, runs) == archive_after(files)


@pytest.mark.skipif(
    not SEED.is_file() or not all(p.is_file() for p in [*SAME_DAY, *EARLIER]),
    reason="no seed page and HF captures of its papers' days in ../shared",
)
@settings(max_examples=5, deadline=None)
@given(st.randoms(use_true_random=False))
def test_the_seed_page_and_captures_of_other_days_over_any_runs(random: Any) -> None:
    """The seed page lists on 2026-01-06, by their titles, two papers HF featured in
    September: whichever run brings which file, they keep their September permalink, are
    featured again on 2026-01-06 and keep their title ids as aliases."""
    files = [SEED, *EARLIER, *SAME_DAY]
    expected = archive_after(files)
    assert archive_after(files, split(files, random)) == expected
    for paper_id, day in LISTED_AGAIN.items():
        papers = yaml.safe_load(expected[f"{day[:4]}/{day[5:7]}/{day}.yaml"])["papers"]
        (record,) = [p for p in papers if p["id"] == paper_id]
        assert record["featured_again"] == ["2026-01-06"]
        assert [a[:2] for a in record["aliases"]] == ["t-"]
        assert "hf-page" in record["sources"]


@pytest.mark.skipif(
    not SEED.is_file() or not ALL_CAPTURES.is_dir(),
    reason="no seed page and HF captures in ../shared",
)
def test_the_shipped_archive_is_what_import_makes_of_the_captures_however_split() -> None:
    """The runs of issue 29 (the page, then the captures, then the captures again), and
    everything in one run, give data/papers as shipped."""
    shipped = tree_bytes(SHIPPED)
    assert archive_after([SEED, ALL_CAPTURES], [[SEED], [ALL_CAPTURES], [ALL_CAPTURES]]) == shipped
    assert archive_after([ALL_CAPTURES, SEED]) == shipped
