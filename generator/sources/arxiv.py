"""arXiv enrichment: categories, comment, journal reference and DOI from the arXiv API.

One request asks for many ids (`id_list`), as arXiv asks; the caller's Client keeps
the 3 s delay between requests that arXiv's terms ask for.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import FetchError, HostUnreachable, SourceError
from ..models import ARXIV_ID_RE, MAX_TEXT, Paper, arxiv_id
from .http import Client, full_url

ARXIV_URL = "https://export.arxiv.org"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_ABS_RE = re.compile(r"https?://(?:www\.|export\.)?arxiv\.org/abs/(.+)")
# arXiv's own taxonomy (cs.CL, hep-th, physics.comp-ph); the ACM and MSC classes that
# feeds also list as categories (I.2.7, 90C25) are left out.
_CATEGORY_RE = re.compile(r"[a-z][a-z-]{0,19}(?:\.[A-Za-z][A-Za-z-]{0,19})?")
_UNSAFE_RE = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class ArxivMeta:
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


def parse_atom(xml_text: str, origin: str) -> dict[str, ArxivMeta]:
    """Metadata by versionless arXiv id from an API Atom feed.

    Error entries (arXiv answers a bad id with an entry titled "Error") are skipped.
    """
    # No DTDs at all: an API feed never has one, and refusing them rules out entity bombs.
    if _UNSAFE_RE.search(xml_text):
        raise SourceError(origin, "XML with a DOCTYPE or ENTITY declaration refused")
    try:
        root = ET.fromstring(xml_text)  # noqa: S314 - DTDs refused above
    except ET.ParseError as exc:
        raise SourceError(origin, f"malformed XML: {exc}") from None
    if root.tag != f"{{{NS['atom']}}}feed":
        raise SourceError(origin, f"not an Atom feed: root element is {root.tag!r}")
    found: dict[str, ArxivMeta] = {}
    for entry in root.iterfind("atom:entry", NS):
        # Error entries have ids like http://arxiv.org/api/errors#..., which this skips.
        match = _ABS_RE.fullmatch(_text(entry.find("atom:id", NS)) or "")
        paper_id = _versionless(match.group(1)) if match else None
        if paper_id:
            found[paper_id] = _meta(entry)
    return found


def _meta(entry: ET.Element) -> ArxivMeta:
    primary = entry.find("arxiv:primary_category", NS)
    categories = [c.get("term", "") for c in entry.iterfind("atom:category", NS)]
    return ArxivMeta(
        primary_category=_category(primary.get("term") if primary is not None else None),
        categories=tuple(dict.fromkeys(c for c in categories if _category(c))),
        comment=_text(entry.find("arxiv:comment", NS)),
        journal_ref=_text(entry.find("arxiv:journal_ref", NS)),
        doi=_text(entry.find("arxiv:doi", NS)),
    )


def _text(element: ET.Element | None) -> str | None:
    """The element's text with arXiv's hard line wrapping undone."""
    if element is None or element.text is None:
        return None
    text = " ".join(element.text.split())
    return text if text and len(text) <= MAX_TEXT else None


def _category(term: str | None) -> str | None:
    return term if term and _CATEGORY_RE.fullmatch(term) else None


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
    )
