"""arXiv API responses (Atom 1.0 with arXiv's extensions), as papers.

One reader for what `/api/query` answers, whether fetched or saved as a file: every entry
becomes a Paper with all that arXiv says of it (title, every author, abstract, categories
with the primary first, the first version's date and the last one's, the version,
comment, journal reference, DOI), filed on its announcement day (arxiv_days.py).

arXiv reports a bad request with a feed whose one entry is an error (its id is under
/api/errors): that response is refused whole, as is anything that is not such a feed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from generator.archive.sources.arxiv_days import listing_day
from generator.archive.sources.base import ParseResult
from generator.errors import RecordError, SourceError
from generator.models import MAX_TEXT, Links, Paper, arxiv_id, check_id, day_stamp

SOURCE = "arxiv"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_ABS_RE = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/abs/(.+?)(?:v(\d+))?")
_ERROR_RE = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/api/errors(?:#.*)?")
# arXiv's own taxonomy (cs.CL, hep-th, physics.comp-ph); the ACM and MSC classes that
# feeds also list as categories (I.2.7, 90C25) are left out.
_CATEGORY_RE = re.compile(r"[a-z][a-z-]{0,19}(?:\.[A-Za-z][A-Za-z-]{0,19})?")
_UNSAFE_RE = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_ERROR_TITLE = "Error"


@dataclass(frozen=True)
class Feed:
    """One response: its entries, what it says of the whole result, and when it was made."""

    origin: str
    entries: list[ET.Element] = field(default_factory=list)
    total: int | None = None  # opensearch:totalResults
    updated: datetime | None = None


def read_feed(xml_text: str, origin: str) -> Feed:
    """The feed in `xml_text`; SourceError for anything but an arXiv API feed."""
    # No DTDs at all: an API feed never has one, and refusing them rules out entity bombs.
    if _UNSAFE_RE.search(xml_text):
        raise SourceError(origin, "XML with a DOCTYPE or ENTITY declaration refused")
    try:
        root = ET.fromstring(xml_text)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise SourceError(origin, f"malformed XML: {exc}") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise SourceError(origin, f"not an Atom feed: root element is {root.tag!r}")
    total_text = _text(root.find("opensearch:totalResults", NS))
    if total_text is not None and not total_text.isdigit():
        raise SourceError(origin, f"totalResults is not a number: {total_text!r}")
    return Feed(
        origin,
        root.findall("atom:entry", NS),
        int(total_text) if total_text is not None else None,
        _timestamp(_text(root.find("atom:updated", NS))),
    )


def is_error(entry: ET.Element) -> bool:
    return bool(_ERROR_RE.fullmatch(_text(entry.find("atom:id", NS)) or ""))


def error_message(feed: Feed) -> str | None:
    """arXiv's own words, when the response reports an error rather than results."""
    for entry in feed.entries:
        if is_error(entry):
            said = _text(entry.find("atom:summary", NS)) or _text(entry.find("atom:title", NS))
            return said or _ERROR_TITLE
    return None


def parse(xml_text: str, origin: str, *, fetched_at: str | None = None) -> ParseResult:
    """Every paper in an API response; an error response or a broken feed raises.

    A bad entry is a problem of its own (named by its position, id and field) and the
    others are kept. `fetched_at` defaults to the day the feed says it was made.
    """
    return papers_of(read_feed(xml_text, origin), fetched_at=fetched_at)


def papers_of(feed: Feed, *, fetched_at: str | None = None) -> ParseResult:
    """The papers of a feed already read (see `parse`)."""
    said = error_message(feed)
    if said is not None:
        raise SourceError(feed.origin, f"arXiv answered with an error: {said}")
    stamp = fetched_at or (day_stamp(feed.updated.date()) if feed.updated else None)
    result = ParseResult(feed.origin)
    seen: set[str] = set()
    for index, entry in enumerate(feed.entries):
        try:
            paper = entry_paper(entry, stamp)
        except RecordError as exc:
            where = f"entry {index}: " if exc.paper_id is None else ""
            result.problems.append(
                RecordError(feed.origin, exc.paper_id, exc.field, f"{where}{exc.message}; skipped")
            )
            continue
        if paper.id not in seen:  # arXiv pages can overlap when papers arrive meanwhile
            seen.add(paper.id)
            result.papers.append(paper)
    return result


def entry_id(entry: ET.Element) -> tuple[str, int | None] | None:
    """The entry's versionless arXiv id and version; None if its id is not an abstract URL."""
    match = _ABS_RE.fullmatch(_text(entry.find("atom:id", NS)) or "")
    paper_id = arxiv_id(match.group(1)) if match else None
    if match is None or paper_id is None or paper_id != match.group(1):
        return None
    return paper_id, int(match.group(2)) if match.group(2) else None


def entry_dates(entry: ET.Element) -> tuple[datetime | None, datetime | None]:
    """When the first version was submitted, and when the latest was."""
    published = _timestamp(_text(entry.find("atom:published", NS)))
    return published, _timestamp(_text(entry.find("atom:updated", NS)))


def entry_paper(entry: ET.Element, fetched_at: str | None) -> Paper:
    """The paper one entry describes; RecordError names the field that makes it unusable."""
    found = entry_id(entry)
    if found is None:
        shown = _text(entry.find("atom:id", NS)) or ""
        raise RecordError(None, None, "id", f"not an arXiv abstract URL: {shown[:80]!r}")
    paper_id, version = found
    check_id(paper_id)
    submitted, updated = entry_dates(entry)
    if submitted is None:
        raise RecordError(None, paper_id, "published", "missing or not a timestamp")
    title = _text(entry.find("atom:title", NS))
    if not title:
        raise RecordError(None, paper_id, "title", "is missing")
    fields: dict[str, Any] = {
        "id": paper_id,
        "title": title,
        "day": listing_day(submitted),
        "abstract": _text(entry.find("atom:summary", NS)),
        "authors": tuple(
            name
            for author in entry.iterfind("atom:author", NS)
            if (name := _text(author.find("atom:name", NS)))
        ),
        "published": submitted.date(),
        "updated": later_date(submitted, updated),
        "arxiv_version": version,
        # arXiv's site, not the HF page: Hugging Face may never have listed the paper.
        "links": Links.for_arxiv(paper_id, hf=None),
        "sources": (SOURCE,),
        "fetched_at": fetched_at,
        **meta_fields(entry),
    }
    return Paper(**fields)


def later_date(published: datetime | None, updated: datetime | None) -> date | None:
    """The last version's date, when it is not the first's (arXiv repeats it for v1)."""
    if updated is None or (published is not None and updated.date() <= published.date()):
        return None
    return updated.date()


def meta_fields(entry: ET.Element) -> dict[str, Any]:
    """What arXiv alone knows of a paper: its categories, comment, journal ref and DOI."""
    primary = entry.find("arxiv:primary_category", NS)
    first = _category(primary.get("term") if primary is not None else None)
    listed = (c.get("term") for c in entry.iterfind("atom:category", NS))
    categories = dict.fromkeys([first] if first else [])
    categories.update(dict.fromkeys(c for term in listed if (c := _category(term))))
    return {
        "primary_category": first,
        "categories": tuple(categories),
        "arxiv_comment": _text(entry.find("arxiv:comment", NS)),
        "journal_ref": _text(entry.find("arxiv:journal_ref", NS)),
        "doi": _text(entry.find("arxiv:doi", NS)),
    }


def _text(element: ET.Element | None) -> str | None:
    """The element's text with arXiv's hard line wrapping undone."""
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text if text and len(text) <= MAX_TEXT else None


def _timestamp(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else None


def _category(term: str | None) -> str | None:
    return term if term and _CATEGORY_RE.fullmatch(term) else None
