"""The arXiv half of the fake API server (tools/fake_hf_api.py): `/api/query` over
recorded Atom entries.

It answers the part of arXiv's query syntax that `almanac fetch` writes: clauses joined by
AND, each `cat:X` (ORs of them in brackets), `ti:`/`abs:`/`au:`/`all:` with a word or a
"quoted phrase" (matched case-insensitively as text), and `submittedDate:[YYYYMMDDHHMM TO
YYYYMMDDHHMM]`; results sorted by submission, paged by `start` and `max_results`, with
arXiv's opensearch counts. A request it cannot read gets arXiv's kind of answer: HTTP 400
with a feed whose one entry is an error.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
NS = {"atom": ATOM, "arxiv": ARXIV}
MAX_PAGE = 2000  # arXiv's own limit for one request
_RANGE_RE = re.compile(r"submittedDate:\[(\d{12}) TO (\d{12})\]")
_FIELD_RE = re.compile(r'(cat|ti|abs|au|all):("[^"]+"|\S+)')

ET.register_namespace("", ATOM)
ET.register_namespace("arxiv", ARXIV)


class BadQuery(Exception):
    pass


@dataclass(frozen=True)
class Recorded:
    element: ET.Element
    submitted: datetime
    categories: frozenset[str]
    texts: dict[str, str]  # field -> lower-cased text


def load_entries(folders: Sequence[Path]) -> list[Recorded]:
    """Every entry of the recorded responses (*.atom) in `folders`; error entries are not
    papers. The same paper twice: the later file's entry."""
    by_id: dict[str, Recorded] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.atom")):
            root = ET.fromstring(path.read_text(encoding="utf-8"))  # noqa: S314 - our fixtures
            for element in root.iterfind("atom:entry", NS):
                entry_id = element.findtext("atom:id", "", NS)
                if "/abs/" in entry_id:
                    by_id[entry_id.split("/abs/")[1].split("v")[0]] = _recorded(element)
    return sorted(by_id.values(), key=lambda r: r.submitted)


def _recorded(element: ET.Element) -> Recorded:
    published = element.findtext("atom:published", "", NS)
    title = element.findtext("atom:title", "", NS)
    summary = element.findtext("atom:summary", "", NS)
    authors = " ".join(a.findtext("atom:name", "", NS) for a in element.iterfind("atom:author", NS))
    texts = {"ti": title, "abs": summary, "au": authors}
    texts["all"] = " ".join(texts.values())
    return Recorded(
        element,
        datetime.fromisoformat(published),
        frozenset(c.get("term", "") for c in element.iterfind("atom:category", NS)),
        {k: " ".join(v.lower().split()) for k, v in texts.items()},
    )


def answer(entries: Sequence[Recorded], query: dict[str, list[str]]) -> tuple[int, bytes]:
    """(status, Atom body) for the query parameters of one /api/query request."""
    try:
        start = _count(query, "start", 0)
        size = _count(query, "max_results", 10)
        if size > MAX_PAGE:
            raise BadQuery(f"max_results must be at most {MAX_PAGE}")
        matches = [e for e in entries if _matcher(query.get("search_query", [""])[-1])(e)]
    except BadQuery as exc:
        return 400, _error_feed(str(exc))
    if query.get("sortOrder", ["descending"])[-1] == "descending":
        matches.reverse()
    page = matches[start : start + size]
    return 200, _feed(page, len(matches), start)


def _count(query: dict[str, list[str]], name: str, default: int) -> int:
    raw = query.get(name, [str(default)])[-1]
    if not raw.isdigit():
        raise BadQuery(f"{name} must be non-negative")
    return int(raw)


def _matcher(search: str) -> Callable[[Recorded], bool]:
    tests: list[Callable[[Recorded], bool]] = []
    rest = _RANGE_RE.sub(lambda m: _range(m, tests), search)
    for clause in (c.strip() for c in rest.split(" AND ")):
        if not clause:
            continue
        options = [o.strip() for o in clause.strip("()").split(" OR ")]
        found = [_FIELD_RE.fullmatch(o) for o in options]
        if not all(found):
            raise BadQuery(f"cannot read the query clause {clause!r}")
        tests.append(_any_of([(m.group(1), m.group(2).strip('"')) for m in found if m]))
    return lambda e: all(test(e) for test in tests)


def _range(match: re.Match[str], tests: list[Callable[[Recorded], bool]]) -> str:
    low, high = (datetime.strptime(g, "%Y%m%d%H%M").replace(tzinfo=UTC) for g in match.groups())
    # Both ends count, to the minute.
    tests.append(lambda e: low <= e.submitted.replace(second=0) <= high)
    return ""


def _any_of(options: list[tuple[str, str]]) -> Callable[[Recorded], bool]:
    def test(entry: Recorded) -> bool:
        return any(
            value in entry.categories if kind == "cat" else value.lower() in entry.texts[kind]
            for kind, value in options
        )

    return test


def _feed(page: Sequence[Recorded], total: int, start: int) -> bytes:
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{ATOM}">\n'
        f"  <title>ArXiv Query</title>\n  <id>http://arxiv.org/api/fake</id>\n"
        f"  <updated>{datetime.now(UTC):%Y-%m-%dT%H:%M:%S}-00:00</updated>\n"
        f'  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"{total}</opensearch:totalResults>\n"
        f'  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"{start}</opensearch:startIndex>\n"
    )
    body = "".join(ET.tostring(e.element, encoding="unicode") for e in page)
    return (head + body + "</feed>\n").encode()


def _error_feed(message: str) -> bytes:
    anchor = escape(message.replace(" ", "_"))
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{ATOM}">\n'
        f"  <title>ArXiv Query</title>\n  <id>http://arxiv.org/api/fake</id>\n"
        f'  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"1</opensearch:totalResults>\n"
        f"  <entry><id>http://arxiv.org/api/errors#{anchor}</id><title>Error</title>"
        f"<summary>{escape(message)}</summary></entry>\n</feed>\n"
    ).encode()
