"""`almanac fetch`: every source data/sources.yaml follows, for the days asked.

Hugging Face is asked one day at a time, an arXiv feed one week at a time; each is
whole or nothing (what fails in any way is left as it was in data/), and all of what
came is merged and written at once by `pipeline.ingest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from generator.archive import store
from generator.archive.commands import (
    ARXIV_BASE_URL,
    DEFAULT_RETRIES,
    HF_BASE_URL,
    RunReport,
    fetch_stamp,
    ingest,
)
from generator.archive.sources import arxiv, hf_api
from generator.archive.sources.base import ParseResult
from generator.archive.sources.http import Client
from generator.archive.sources_file import HUGGINGFACE
from generator.errors import AlmanacError, HostUnreachable, SourceError
from generator.models import ArxivFeed, SourcesConfig
from generator.progress import Progress
from generator.project import Project
from generator.wording import plural

REFETCH_DAYS = 7


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
    arxiv_client: Client | None = None,
    base_url: str = HF_BASE_URL,
    arxiv_url: str = ARXIV_BASE_URL,
    retries: int = DEFAULT_RETRIES,
    only: Sequence[str] = (),
) -> RunReport:
    """Fetch `days` from every source data/sources.yaml follows (or those named in
    `only`); each day of Hugging Face, and each week of an arXiv feed, whole or not at all:
    what fails in any way is left as it was in data/."""
    config = store.read_sources(project)
    follow_hf, feeds = chosen_sources(config, only)
    report = RunReport()
    gathered = ParseResult(origin=base_url)
    if follow_hf:
        client = client or Client(retries=retries, on_retry=progress.warn)
        gathered.extend(_fetch_hf(client, days, base_url, report, progress))
    if feeds:
        arxiv_client = arxiv_client or Client(delay=3.0, retries=retries, on_retry=progress.warn)
        gathered.extend(_fetch_arxiv(arxiv_client, feeds, days, arxiv_url, report, progress))
    ingest(project, gathered, report, progress)
    return report


def chosen_sources(
    config: SourcesConfig, only: Sequence[str]
) -> tuple[bool, tuple[ArxivFeed, ...]]:
    """Whether to fetch Hugging Face, and which arXiv feeds: all that are followed, or
    those named (an unknown name is an error that lists the known ones)."""
    if not only:
        return config.huggingface, config.arxiv
    known = [HUGGINGFACE, *(f.name for f in config.arxiv)]
    unknown = [name for name in only if name not in known]
    if unknown:
        raise AlmanacError(
            f"no source {unknown[0]!r} in data/sources.yaml (sources: {', '.join(known)})"
        )
    return HUGGINGFACE in only, tuple(f for f in config.arxiv if f.name in only)


def _fetch_hf(
    client: Client, days: Sequence[date], base_url: str, report: RunReport, progress: Progress
) -> ParseResult:
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
    return gathered


def _fetch_arxiv(
    client: Client,
    feeds: Sequence[ArxivFeed],
    days: Sequence[date],
    base_url: str,
    report: RunReport,
    progress: Progress,
) -> ParseResult:
    gathered = ParseResult(origin=base_url)
    weeks = _weeks(days)
    for feed in feeds:
        for week in weeks:
            name = f"arxiv {feed.name} {_span(week)}"
            try:
                result = arxiv.fetch_listings(
                    client, feed, week, fetched_at=fetch_stamp(), base_url=base_url
                )
            except HostUnreachable as exc:
                progress.warn(f"error: {exc.message}: nothing fetched from arXiv")
                report.failed_inputs.append(f"arxiv {feed.name}")
                return gathered
            except SourceError as exc:
                progress.warn(f"error: {name}: {exc}; the archive is left as it was")
                report.failed_inputs.append(name)
                continue
            result.papers, left_out = arxiv.capped(result.papers, feed.max_per_day)
            capped = f" ({left_out} over max_per_day left out)" if left_out else ""
            progress.step(f"{name}: {plural(len(result.papers), 'paper')}{capped}")
            gathered.extend(result)
    return gathered


def _weeks(days: Sequence[date]) -> list[list[date]]:
    """The days in runs of one week at most: one arXiv query each, so a long backfill
    stays within what one query may return and a failure loses one week, not all."""
    ordered = sorted(set(days))
    runs: list[list[date]] = []
    for day in ordered:
        if runs and (day - runs[-1][0]).days < 7:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _span(days: Sequence[date]) -> str:
    return str(days[0]) if len(days) == 1 else f"{plural(len(days), 'day')}, {days[0]}..{days[-1]}"
