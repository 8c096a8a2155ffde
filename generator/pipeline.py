"""The archive's commands: import, fetch, enrich, validate, stats.

Each gathers everything first (parse every input, merge in memory, validate), and only
then writes the day files that changed, under the archive lock. An input that cannot be
used is reported and skipped; what was already in `data/` is never lost.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from . import store
from .errors import AlmanacError, HostUnreachable, RecordError, SourceError
from .merge import MergeResult, merge_all
from .models import Paper, day_stamp
from .progress import Progress, plural
from .project import Project
from .sources import arxiv, hf_api, hf_json, scraped
from .sources.base import ParseResult
from .sources.http import MAX_BODY, Client

REFETCH_DAYS = 7
DEFAULT_RETRIES = 4
MAX_INPUT_BYTES = MAX_BODY
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
    for path in _expand_inputs(inputs, report, progress):
        try:
            result = _parse_input(path, day, repair=repair)
        except SourceError as exc:
            progress.warn(f"error: {exc}")
            report.failed_inputs.append(str(path))
            continue
        progress.step(f"read {path}: {plural(len(result.papers), 'paper')}")
        gathered.extend(result)
    ingest(project, gathered, report, progress)
    return report


def _expand_inputs(inputs: Sequence[Path], report: RunReport, progress: Progress) -> list[Path]:
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".json", ".txt"))
            if not found:
                progress.warn(f"error: {path}: no .json or .txt files in this folder")
                report.failed_inputs.append(str(path))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            progress.warn(f"error: {path}: no such file or folder")
            report.failed_inputs.append(str(path))
    return files


def _parse_input(path: Path, day: date | None, *, repair: bool = False) -> ParseResult:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror}") from None
    # The same bound as a response body: a bigger file is not a day of papers, and
    # parsing it whole would take memory in proportion.
    if size > MAX_INPUT_BYTES:
        raise SourceError(str(path), f"file is {size} bytes, over {MAX_INPUT_BYTES}; refused")
    if path.suffix == ".json":
        result = hf_json.parse_file(path, repair=repair)
        if day is not None:
            result.papers = [p.with_changes(day=day) for p in result.papers]
        return _stamped(result, hf_json.file_day(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(str(path), "not UTF-8 text") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror}") from None
    return _stamped(scraped.parse(text, str(path), day=day), None)


def _stamped(result: ParseResult, named_day: date | None) -> ParseResult:
    """A saved capture says nothing of when it was fetched: one named by its day counts as
    fetched at the start of that day, any other at the start of each paper's day (it cannot
    have been fetched earlier). So a newer capture wins whichever order files come in."""
    result.papers = [
        p if p.fetched_at else p.with_changes(fetched_at=day_stamp(named_day or p.day))
        for p in result.papers
    ]
    return result


# --- fetch ---------------------------------------------------------------------------------


def days_to_fetch(
    today: date, *, on: date | None, since: date | None, until: date | None
) -> list[date]:
    """The days a fetch asks for: one day, a backfill range, or today plus the re-fetch window."""
    if on is not None:
        return [on]
    if since is not None:
        last = until or today
        if last < since:
            raise AlmanacError(f"--until {last} is before --since {since}")
        return [since + timedelta(days=n) for n in range((last - since).days + 1)]
    return [today - timedelta(days=n) for n in range(REFETCH_DAYS, -1, -1)]


def fetch_days(
    project: Project,
    days: Sequence[date],
    progress: Progress,
    *,
    client: Client | None = None,
    base_url: str = HF_BASE_URL,
    retries: int = DEFAULT_RETRIES,
) -> RunReport:
    """Fetch each day whole; a day that fails in any way is left as it was in data/."""
    report = RunReport()
    client = client or Client(retries=retries, on_retry=progress.warn)
    gathered = ParseResult(origin=base_url)
    for n, day in enumerate(days, 1):
        try:
            result = hf_api.fetch_day(client, day, base_url=base_url, fetched_at=fetch_stamp())
        except HostUnreachable as exc:
            # No other day can do better: say so once, and leave them all as they were.
            rest = days[n - 1 :]
            progress.warn(
                f"error: {exc.message}: nothing fetched for {_span(rest)}; the archive is "
                "left as it was"
            )
            report.failed_inputs.extend(d.isoformat() for d in rest)
            break
        except SourceError as exc:
            progress.warn(f"error: {day}: {exc}; the archive for {day} is left as it was")
            report.failed_inputs.append(day.isoformat())
            continue
        progress.step(f"[{n}/{len(days)}] {day}: {plural(len(result.papers), 'paper')}")
        gathered.extend(result)
    ingest(project, gathered, report, progress)
    return report


def _span(days: Sequence[date]) -> str:
    return str(days[0]) if len(days) == 1 else f"{plural(len(days), 'day')}, {days[0]}..{days[-1]}"


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


def validate(project: Project) -> tuple[int, list[RecordError]]:
    """Every problem in data/ (not only the first), and how many papers were checked:
    every good record, also those beside a bad one in its day file.

    Read through the site's own loader and the build folder's cache of parsed day files,
    so the build that usually follows (`make site`) parses nothing again, and neither does
    a second validate; a file's problems are replayed from the cache until it changes.
    The loader stops at the first problem of the hand-edited files (it is enough to stop
    a build), so those are read once more here, for all of theirs.
    """
    from . import inputs
    from .buildfolder import BuildFolder

    read = inputs.read(project, BuildFolder(project))
    problems = [*read.record_problems, *store.curated_problems(project, read.data)]
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
        sources=Counter(p.source or "unknown" for p in archive.papers),
    )
