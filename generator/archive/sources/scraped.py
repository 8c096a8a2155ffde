"""Read the text of a scraped Hugging Face "Daily Papers" page into Papers.

The page text is a few header lines, a day heading without a year ("Jan 6"), then one
block per paper, blocks separated by blank lines:

    Title
    Abstract                      (may be missing)
      • 3 authors                 (or an organization line, e.g. "ByteDance-Seed ByteDance Seed")
    ·
    May 17, 2025 3                (the paper's date, then its upvotes when shown)

Papers have no arXiv id here, so each gets `title_id(title)`. Problems name the lines
they come from as `origin:LINE`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.archive.sources.base import ParseResult
from generator.errors import RecordError, SourceError
from generator.models import Paper, title_id

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_HEADING_RE = re.compile(_MONTH + r" ([0-9]{1,2})")
_DATE_RE = re.compile(_MONTH + r" ([0-9]{1,2}), ([0-9]{4})(?:[ \t]+(\S+))?")
_AUTHORS_RE = re.compile(r"•\s*([0-9]{1,6})\s+authors?")
_UPVOTES_RE = re.compile(r"[0-9]{1,9}")
_SEPARATOR = "·"

_Note = Callable[[str, str], None]  # (field, message): a problem with this block


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, as an editor shows it
    text: str  # stripped


def parse_file(
    path: Path, *, day: date | None = None, fetched_at: str | None = None
) -> ParseResult:
    origin = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise SourceError(origin, f"cannot read: {exc.strerror or exc}") from None
    return parse(text, origin, day=day, fetched_at=fetched_at)


def parse(
    text: str,
    origin: str,
    *,
    day: date | None = None,
    fetched_at: str | None = None,
    source: str = "hf-page",
) -> ParseResult:
    """Papers from the page text; `day` overrides the day the heading implies."""
    lines = [_Line(n, raw.strip()) for n, raw in enumerate(text.split("\n"), start=1)]
    heading_at = _find_heading(lines, origin)
    heading = lines[heading_at]
    blocks, leftover = _blocks(lines[heading_at + 1 :], origin)
    if not blocks:
        raise SourceError(origin, f"no paper blocks after the day heading on line {heading.number}")
    result = ParseResult(origin)
    drafts = [_read_block(block, origin, result.problems) for block in blocks]
    if leftover:
        result.problems.append(_problem(origin, leftover, None, "block has no date line; skipped"))
    page_day = _page_day(heading, drafts, day, origin, result.problems)
    seen: set[str] = set()
    for draft in drafts:
        if draft is None:
            continue
        paper = draft.build(page_day, (source, fetched_at), origin, result.problems)
        if paper is None:
            continue
        if paper.id in seen:
            result.problems.append(
                _problem(origin, draft.lines, paper.id, "same title as an earlier paper; skipped")
            )
            continue
        seen.add(paper.id)
        result.papers.append(paper)
    return result


def _find_heading(lines: list[_Line], origin: str) -> int:
    for index, line in enumerate(lines):
        if _DATE_RE.fullmatch(line.text):
            break  # a paper block before any heading: not this format
        if _HEADING_RE.fullmatch(line.text):
            return index
    raise SourceError(origin, "not a daily papers page: no day heading like 'Jan 6'")


def _blocks(lines: list[_Line], origin: str) -> tuple[list[list[_Line]], list[_Line]]:
    """Non-blank lines grouped into blocks, each ending with a date line; plus any tail."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if not line.text:
            continue
        if not current and _HEADING_RE.fullmatch(line.text):
            raise SourceError(origin, f"line {line.number}: a second day heading; one day per page")
        current.append(line)
        if _DATE_RE.fullmatch(line.text):
            blocks.append(current)
            current = []
    return blocks, current


@dataclass
class _Draft:
    """What one block says, before the page's day is known."""

    lines: list[_Line]
    title: str
    abstract: str | None
    author_count: int | None
    organization: str | None
    published: date | None
    upvotes: int | None

    def build(
        self, day: date, stamp: tuple[str, str | None], origin: str, problems: list[RecordError]
    ) -> Paper | None:
        paper_id = title_id(self.title)
        try:
            return Paper(
                id=paper_id,
                title=self.title,
                day=day,
                abstract=self.abstract,
                author_count=self.author_count,
                organization=self.organization,
                published=self.published,
                upvotes=self.upvotes,
                sources=(stamp[0],),
                fetched_at=stamp[1],
            )
        except RecordError as exc:
            problems.append(_problem(origin, self.lines, paper_id, exc.message, exc.field))
            return None


def _read_block(block: list[_Line], origin: str, problems: list[RecordError]) -> _Draft | None:
    *body, date_line = block
    if body and body[-1].text == _SEPARATOR:
        body.pop()
    if not body:
        problems.append(_problem(origin, block, None, "date line without a title; skipped"))
        return None
    title = " ".join(body[0].text.split())
    paper_id = title_id(title)

    def note(field: str, message: str) -> None:
        problems.append(_problem(origin, block, paper_id, message, field))

    published, upvotes = _read_date_line(date_line.text, note)
    rest = body[1:]
    count = organization = None
    if rest and (match := _AUTHORS_RE.fullmatch(rest[-1].text)):
        count = int(match.group(1))
        rest.pop()
    elif len(rest) >= 2:
        organization = _organization(rest.pop().text)
    else:
        note("author_count", "no author count or organization line")
    if len(rest) > 1:
        note("abstract", f"{len(rest)} lines between title and authors; read as paragraphs")
    abstract = "\n\n".join(line.text for line in rest) or None
    return _Draft(block, title, abstract, count, organization, published, upvotes)


def _organization(text: str) -> str:
    """The name from an organization line, shown as "<handle> <name>" when they agree."""
    handle, _, name = text.partition(" ")
    if name and handle.replace("-", " ").replace("_", " ").casefold() == name.casefold():
        return name
    return text  # no way to tell the handle from the name: keep the line as shown


def _read_date_line(text: str, note: _Note) -> tuple[date | None, int | None]:
    match = _DATE_RE.fullmatch(text)
    if match is None:  # _blocks only ends a block on a date line
        return None, None
    month, day_text, year, votes = match.groups()
    published = upvotes = None
    try:
        published = date(int(year), _MONTHS.index(month) + 1, int(day_text))
    except ValueError:
        note("published", f"not a real date: {text!r}")
    if votes is not None:
        if _UPVOTES_RE.fullmatch(votes):
            upvotes = int(votes)
        else:
            note("upvotes", f"not a count: {votes!r}")
    return published, upvotes


def _page_day(
    heading: _Line,
    drafts: list[_Draft | None],
    override: date | None,
    origin: str,
    problems: list[RecordError],
) -> date:
    """The page's day: the heading's month and day, in the year the papers imply."""
    match = _HEADING_RE.fullmatch(heading.text)
    if match is None:  # _find_heading chose this line by the same pattern
        raise SourceError(origin, f"line {heading.number}: not a day heading")
    month, day_of_month = _MONTHS.index(match.group(1)) + 1, int(match.group(2))
    if override is not None:
        if (override.month, override.day) != (month, day_of_month):
            problems.append(
                _problem(origin, [heading], None, f"heading says {heading.text}; using {override}")
            )
        return override
    dates = [d.published for d in drafts if d is not None and d.published is not None]
    if not dates:
        raise SourceError(origin, f"cannot tell the year of {heading.text!r}: no dated papers")
    newest = max(dates)
    # Papers are listed on or after their own date, so the page day is the first
    # such month-day on or after the newest of them (Feb 29 may need a leap year).
    for year in range(newest.year, min(newest.year + 8, 9999) + 1):
        try:
            candidate = date(year, month, day_of_month)
        except ValueError:
            continue
        if candidate >= newest:
            return candidate
    raise SourceError(origin, f"line {heading.number}: {heading.text!r} is not a real day")


def _problem(
    origin: str, lines: list[_Line], paper_id: str | None, message: str, field: str | None = None
) -> RecordError:
    first, last = lines[0].number, lines[-1].number
    where = f"{origin}:{first}" if first == last else f"{origin}:{first}-{last}"
    return RecordError(where, paper_id, field, message)
