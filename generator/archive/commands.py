"""The archive's commands: import, enrich, validate, stats, and what they share with
fetch (fetch.py): the merge and write of `ingest`.

Each gathers everything first (parse every input, merge in memory, validate), and only
then writes the day files that changed, under the archive lock. An input that cannot be
used is reported and skipped; what was already in `data/` is never lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator.archive import checked, store
from generator.archive.merge import MergeResult, merge_all
from generator.archive.sources import arxiv
from generator.archive.sources.base import ParseResult
from generator.archive.sources.files import files_in, read_input
from generator.archive.sources.http import Client
from generator.errors import AlmanacError, RecordError, SourceError
from generator.models import Paper, day_stamp
from generator.progress import Progress
from generator.project import Project
from generator.wording import plural

DEFAULT_RETRIES = 4
HF_BASE_URL = "https://huggingface.co"
ARXIV_BASE_URL = "https://export.arxiv.org"


@dataclass
class RunReport:
    """What a command did, for its summary line and its exit code."""

    read: int = 0
    added: int = 0
    updated: int = 0
    refeatured: int = 0
    files_written: int = 0
    problems: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)  # warnings: the field was kept
    failed_inputs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed_inputs

    def summary(self, verb: str) -> str:
        line = (
            f"{verb}: {plural(self.read, 'paper')} read, {self.added} new, "
            f"{self.updated} updated, {plural(self.files_written, 'day file')} written"
        )
        if self.refeatured:
            line += f", {self.refeatured} featured again"
        if self.failed_inputs:
            line += f", {plural(len(self.failed_inputs), 'input')} failed"
        if self.problems:
            line += f", {plural(len(self.problems), 'problem')}"
        if self.repairs:
            line += f", {plural(len(self.repairs), 'repair')} (warned above)"
        return line


def fetch_stamp() -> str:
    """When a fetch happens, to the day: a capture named by its day counts as fetched that
    day too, and a second fetch the same day that finds nothing new changes nothing (a
    later stamp on the same values would rewrite every day file it touched)."""
    return day_stamp(datetime.now(UTC).date())


# --- import --------------------------------------------------------------------------------


def import_inputs(
    project: Project,
    inputs: Sequence[Path],
    progress: Progress,
    *,
    day: date | None = None,
    repair: bool = False,
) -> RunReport:
    report = RunReport()
    gathered = ParseResult(origin="import")
    files, missing = files_in(inputs)
    for problem in missing:
        progress.warn(f"error: {problem}")
        report.failed_inputs.append(problem.origin)
    for path in files:
        try:
            result = read_input(path, day, repair=repair)
        except SourceError as exc:
            progress.warn(f"error: {exc}")
            report.failed_inputs.append(str(path))
            continue
        progress.step(f"read {path}: {plural(len(result.papers), 'paper')}")
        gathered.extend(result)
    ingest(project, gathered, report, progress)
    return report


# --- enrich --------------------------------------------------------------------------------


def enrich(
    project: Project,
    progress: Progress,
    *,
    client: Client | None = None,
    base_url: str = ARXIV_BASE_URL,
    refresh: bool = False,
    retries: int = DEFAULT_RETRIES,
) -> RunReport:
    """Add arXiv's categories, comment, journal ref and DOI to archived arXiv papers.

    A batch arXiv does not answer is reported and its papers keep what they had; the
    metadata is applied to the archive as it is when writing, so a fetch that ran in the
    meantime is not undone.
    """
    report = RunReport()
    archive = _read_clean_archive(project, progress)
    wanted = [p.id for p in archive.papers if p.is_arxiv and (refresh or not p.primary_category)]
    progress.step(f"asking arXiv about {plural(len(wanted), 'paper')}")
    client = client or Client(delay=3.0, retries=retries, on_retry=progress.warn)
    metadata, errors = arxiv.fetch_metadata(client, wanted, base_url=base_url)
    for error in errors:
        progress.warn(f"error: {error}")
        report.failed_inputs.append(error.origin)
    unanswered = [pid for pid in wanted if pid not in metadata]
    if unanswered and not errors:
        progress.warn(
            f"note: arXiv had no entry for {len(unanswered)} of {len(wanted)} papers "
            f"(first: {unanswered[0]}); they keep their fields and are asked about again"
        )

    def apply(current: dict[str, Paper]) -> list[Paper]:
        return [arxiv.apply(current[i], meta) for i, meta in metadata.items() if i in current]

    ingest(project, ParseResult(origin=base_url), report, progress, patch=apply)
    report.read = len(metadata)
    return report


# --- shared: merge and write ---------------------------------------------------------------


def _read_clean_archive(project: Project, progress: Progress) -> store.ArchiveData:
    archive = store.read_archive(project)
    if archive.problems:
        for problem in archive.problems:
            progress.warn(f"error: {problem}")
        raise AlmanacError(
            f"data/ has {plural(len(archive.problems), 'problem')} (above) to fix before "
            "changing it"
        )
    return archive


Patch = Callable[[dict[str, Paper]], list[Paper]]


def ingest(
    project: Project,
    parsed: ParseResult,
    report: RunReport,
    progress: Progress,
    *,
    patch: Patch | None = None,
) -> MergeResult:
    """Merge parsed records into data/ and write the day files that changed.

    Read, merge and write all happen under the archive lock, so two runs cannot undo
    each other's work; `patch` makes records from the archive as merged under the lock.
    """
    for problem in parsed.problems:
        progress.warn(f"error: {problem}")
        report.problems.append(str(problem))
    for repair in parsed.repairs:
        progress.warn(f"warning: {repair}")
        report.repairs.append(str(repair))
    report.read += len(parsed.papers)
    with store.archive_lock(project):
        stale = store.remove_stale_temp_files(project)
        if stale:
            progress.warn(
                f"note: removed {plural(len(stale), 'temporary file')} an interrupted run left"
            )
        current = _read_clean_archive(project, progress).by_id()
        merged = merge_all(current, parsed.papers)
        # A patch is what the archive's own record should now say: it replaces, where a
        # fetched record merges.
        for paper in patch(merged.papers) if patch else []:
            if paper != merged.papers[paper.id]:
                merged.papers[paper.id] = paper
                merged.touch(paper.id, paper.day)
        for notice in merged.notices:
            progress.warn(f"note: {notice}")
        report.added += len(merged.added)
        report.updated += len(merged.updated)
        report.refeatured += len(merged.refeatured)
        grouped = _group_by_day(merged.papers.values(), merged.changed_days)
        for day in store.save_days(project, grouped, last=merged.shrunk_days):
            report.files_written += 1
            progress.step(f"wrote {project.relative(store.day_path(project, day))}")
    return merged


def _group_by_day(papers: Iterable[Paper], days: set[date]) -> dict[date, list[Paper]]:
    grouped: dict[date, list[Paper]] = {day: [] for day in days}
    for paper in papers:
        if paper.day in grouped:
            grouped[paper.day].append(paper)
    return grouped


# --- validate and stats --------------------------------------------------------------------


def validate(project: Project, memo: store.DayMemo | None = None) -> tuple[int, list[RecordError]]:
    """Every problem in data/ (not only the first), and how many papers were checked:
    every good record, also those beside a bad one in its day file.

    Read as the site's loader reads it (checked.py); with `memo` (the build folder's
    parsed day files, from the CLI), the build that usually follows (`make site`) parses
    nothing again, and neither does a second validate; a file's problems are replayed from
    the memo until it changes.
    sources.yaml is checked too (its first problem: a fetch stops at it).
    The loader stops at the first problem of the hand-edited files (it is enough to stop
    a build), so those are read once more here, for all of theirs.
    """
    read = checked.read(project, memo)
    problems = [*read.record_problems, *store.curated_problems(project, read.data)]
    try:
        store.read_sources(project)
    except RecordError as exc:
        problems.append(exc)
    return len(read.data.papers), problems


@dataclass
class Stats:
    papers: int
    days: Counter[date]
    months: Counter[str]
    sources: Counter[str]


def stats(project: Project, progress: Progress) -> Stats:
    archive = _read_clean_archive(project, progress)
    return Stats(
        papers=len(archive.papers),
        days=Counter(p.day for p in archive.papers),
        months=Counter(f"{p.day:%Y-%m}" for p in archive.papers),
        sources=Counter(s for p in archive.papers for s in p.sources or ("unknown",)),
    )
