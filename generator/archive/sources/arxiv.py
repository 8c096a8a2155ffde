"""arXiv's API (`/api/query`): a feed's papers by listing day, and metadata for known ids.

Through the one HTTP client, which keeps the 3 s between requests that arXiv's terms ask
for (use a Client with delay=3.0) and retries what can succeed later. The responses are
read by arxiv_atom.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element

from generator.archive.sources import arxiv_atom
from generator.archive.sources.arxiv_days import is_listing_day, submission_window
from generator.archive.sources.base import ParseResult
from generator.archive.sources.http import Client, full_url
from generator.errors import FetchError, HostUnreachable, SourceError
from generator.models import ARXIV_ID_RE, ArxivFeed, Paper, arxiv_id

ARXIV_URL = "https://export.arxiv.org"
PAGE_SIZE = 200
# arXiv serves at most this many results of one query, whatever the paging.
MAX_RESULTS = 30_000
# arXiv sometimes answers a page with no entries that should have some; asking again helps.
EMPTY_PAGE_TRIES = 3


# --- a feed's papers -------------------------------------------------------------------------


def search_query(feed: ArxivFeed, start: datetime, end: datetime) -> str:
    """The feed's query for submissions in [start, end) (UTC), in arXiv's search syntax."""
    parts = []
    if feed.categories:
        parts.append("(" + " OR ".join(f"cat:{c}" for c in feed.categories) + ")")
    if feed.query:
        parts.append(f"({feed.query})")
    # submittedDate is to the minute and includes both ends.
    last = datetime.fromtimestamp(end.timestamp() - 60, start.tzinfo)
    parts.append(f"submittedDate:[{start:%Y%m%d%H%M} TO {last:%Y%m%d%H%M}]")
    return " AND ".join(parts)


def fetch_listings(
    client: Client,
    feed: ArxivFeed,
    days: Sequence[date],
    *,
    fetched_at: str,
    base_url: str = ARXIV_URL,
    page_size: int = PAGE_SIZE,
) -> ParseResult:
    """The feed's papers listed on `days`, from as many pages as the answer has.

    All or nothing, like a Hugging Face day: a failed request or an unusable page raises
    (FetchError/SourceError), so the caller leaves the archive as it was.
    """
    wanted = sorted({d for d in days if is_listing_day(d)})
    url = f"{base_url.rstrip('/')}/api/query"
    if not wanted:
        return ParseResult(url)
    start, end = submission_window(wanted[0], wanted[-1])
    params: dict[str, str | int] = {
        "search_query": search_query(feed, start, end),
        "sortBy": "submittedDate",
        "sortOrder": "ascending",
        "max_results": page_size,
    }
    result = ParseResult(full_url(url, params))
    listed = set(wanted)
    seen: set[str] = set()
    offset = 0
    while True:
        page, total = _page(client, url, {**params, "start": offset}, fetched_at)
        if total > MAX_RESULTS:
            raise SourceError(
                result.origin,
                f"arXiv has {total} results, over the {MAX_RESULTS} it serves: "
                "narrow the feed's categories or query",
            )
        for paper in page.papers:
            if paper.id not in seen and paper.day in listed:
                seen.add(paper.id)
                result.papers.append(paper)
        result.problems.extend(page.problems)
        offset += page_size
        if offset >= total:
            return result


def _page(
    client: Client, url: str, params: dict[str, str | int], fetched_at: str
) -> tuple[ParseResult, int]:
    """One page of an answer, and how many results the whole answer has."""
    origin = full_url(url, params)
    offset = int(params["start"])
    for _ in range(EMPTY_PAGE_TRIES):
        feed = arxiv_atom.read_feed(client.get_text(url, params), origin)
        page = arxiv_atom.papers_of(feed, fetched_at=fetched_at)  # raises on arXiv's error
        if feed.total is None:
            raise SourceError(origin, "no opensearch:totalResults: not an answer to a query")
        if feed.entries or offset >= feed.total:
            return page, feed.total
    raise SourceError(
        origin,
        f"arXiv answered {EMPTY_PAGE_TRIES} times with no entries at {offset} of {feed.total}",
    )


def capped(papers: Sequence[Paper], per_day: int | None) -> tuple[list[Paper], int]:
    """At most `per_day` papers a day, the first submitted (the feed's order); and how
    many were left out."""
    if per_day is None:
        return list(papers), 0
    kept: list[Paper] = []
    count: dict[date, int] = {}
    for paper in papers:
        count[paper.day] = count.get(paper.day, 0) + 1
        if count[paper.day] <= per_day:
            kept.append(paper)
    return kept, len(papers) - len(kept)


# --- metadata for ids the archive has ------------------------------------------------------


@dataclass(frozen=True)
class ArxivMeta:
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    version: int | None = None
    updated: date | None = None


def parse_atom(xml_text: str, origin: str) -> dict[str, ArxivMeta]:
    """Metadata by versionless arXiv id from an API Atom feed.

    Error entries (arXiv answers a bad id in `id_list` with an entry of its own) are
    skipped: the other ids of the request are still answered.
    """
    found: dict[str, ArxivMeta] = {}
    for entry in arxiv_atom.read_feed(xml_text, origin).entries:
        if (known := arxiv_atom.entry_id(entry)) is not None:
            found[known[0]] = _meta(entry, known[1])
    return found


def _meta(entry: Element, version: int | None) -> ArxivMeta:
    fields = arxiv_atom.meta_fields(entry)
    return ArxivMeta(
        primary_category=fields["primary_category"],
        categories=fields["categories"],
        comment=fields["arxiv_comment"],
        journal_ref=fields["journal_ref"],
        doi=fields["doi"],
        version=version,
        updated=arxiv_atom.later_date(*arxiv_atom.entry_dates(entry)),
    )


def fetch_metadata(
    client: Client,
    ids: Sequence[str],
    *,
    batch_size: int = 100,
    base_url: str = ARXIV_URL,
) -> tuple[dict[str, ArxivMeta], list[FetchError]]:
    """Metadata for the arXiv ids among `ids`, `batch_size` ids per request.

    A batch that fails (after the client's retries, or with an unreadable answer) is
    reported in the returned errors and the other batches still count. Ids that are not
    arXiv ids (e.g. title ids) are not asked for. Use a Client with delay=3.0.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    wanted = list(dict.fromkeys(i for i in (_versionless(x) for x in ids) if i))
    url = f"{base_url.rstrip('/')}/api/query"
    found: dict[str, ArxivMeta] = {}
    errors: list[FetchError] = []
    for start in range(0, len(wanted), batch_size):
        batch = wanted[start : start + batch_size]
        params: dict[str, str | int] = {"id_list": ",".join(batch), "max_results": len(batch)}
        try:
            feed = parse_atom(client.get_text(url, params), full_url(url, params))
        except HostUnreachable as exc:  # every other batch would fail the same way
            errors.append(exc)
            break
        except FetchError as exc:
            errors.append(exc)
            continue
        except SourceError as exc:  # an answer, but not a feed: this batch is lost all the same
            errors.append(FetchError(exc.origin, exc.message))
            continue
        found.update((i, feed[i]) for i in batch if i in feed)
    return found, errors


def _versionless(text: str) -> str | None:
    return arxiv_id(text) if ARXIV_ID_RE.fullmatch(text) else None


def apply(paper: Paper, meta: ArxivMeta) -> Paper:
    """The paper with arXiv's metadata; a field arXiv lacks keeps the paper's value."""
    return paper.with_changes(
        primary_category=meta.primary_category or paper.primary_category,
        categories=meta.categories or paper.categories,
        arxiv_comment=meta.comment or paper.arxiv_comment,
        journal_ref=meta.journal_ref or paper.journal_ref,
        doi=meta.doi or paper.doi,
        arxiv_version=meta.version or paper.arxiv_version,
        updated=meta.updated or paper.updated,
    )
