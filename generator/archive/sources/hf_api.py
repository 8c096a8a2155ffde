"""Fetch one day of Hugging Face daily papers, following the pages of the list."""

from __future__ import annotations

from datetime import date

from generator.archive.sources.base import ParseResult
from generator.archive.sources.hf_json import parse
from generator.archive.sources.http import Client, full_url
from generator.errors import SourceError

HF_URL = "https://huggingface.co"
MAX_PAGES = 50  # a day has tens of papers; 50 full pages means something is wrong


def fetch_day(
    client: Client,
    day: date,
    *,
    base_url: str = HF_URL,
    page_size: int = 100,
    fetched_at: str,
    max_pages: int = MAX_PAGES,
) -> ParseResult:
    """Every paper HF lists for `day`, from as many pages as the list has.

    A failed request or an unusable page raises (FetchError/SourceError) so the caller
    leaves that day as it was rather than saving part of it. Each paper keeps the day
    HF gives it (`submittedOnDailyAt`), even if that differs from `day`.
    """
    if page_size < 1:
        raise ValueError("page_size must be >= 1")
    url = f"{base_url.rstrip('/')}/api/daily_papers"
    result = ParseResult(full_url(url, {"date": day.isoformat()}))
    seen: set[str] = set()
    for page in range(max_pages):
        params: dict[str, str | int] = {"date": day.isoformat(), "limit": page_size, "p": page}
        data = client.get_json(url, params)
        parsed = parse(data, full_url(url, params), day=day, fetched_at=fetched_at)
        fresh = [paper for paper in parsed.papers if paper.id not in seen]
        result.problems.extend(parsed.problems)
        result.repairs.extend(parsed.repairs)
        result.papers.extend(fresh)
        seen.update(paper.id for paper in fresh)
        size = len(data) if isinstance(data, list) else 0
        if size < page_size:
            return result
        # A full page of papers already seen: the server ignores `p`; more would loop.
        if parsed.papers and not fresh:
            return result
    raise SourceError(result.origin, f"still more papers after {max_pages} pages; gave up")
