"""Read the Hugging Face daily papers JSON (`/api/daily_papers?date=D`) into Papers.

The response is a list of records, each `{paper: {...}, title, summary, thumbnail,
numComments, submittedBy, organization, ...}`. Its shape has drifted over the years and
will again, so: unknown fields are ignored; a bad optional field is dropped and reported
while the paper is kept; a record without a usable id, title or day is skipped and
reported; and an input that is not a list of objects is rejected whole.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeGuard

from generator.archive.sources.base import ParseResult
from generator.errors import RecordError, SourceError
from generator.models import MAX_TEXT, Links, Paper, check_url, is_handle

_ARXIV_RE = re.compile(r"([0-9]{4}\.[0-9]{4,5})(?:v[0-9]+)?")
_FILE_DAY_RE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})\.json")
_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# Whitespace with a line break in it: what pasting a long URL across lines leaves.
_PASTE_BREAK_RE = re.compile(r"\s*[\r\n]\s*")
_REQUIRED = frozenset({"id", "title", "day"})
# Longer is not a name or a keyword but a paste gone wrong; the rest of the record is kept.
MAX_AUTHOR = 1000
MAX_KEYWORD = 1000

Note = Callable[[str], None]  # reports a problem with the field being read; the paper stays


class _Bad(Exception):
    """An optional field's value cannot be used; the field is dropped."""


def loads(raw: bytes, origin: str) -> object:
    """Decode a JSON document, turning every way it can be unusable into SourceError."""
    if not raw.strip():
        raise SourceError(origin, "empty, expected a JSON list of papers")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SourceError(origin, f"not valid JSON: {exc}") from None
    except (UnicodeDecodeError, RecursionError) as exc:
        raise SourceError(origin, f"not usable JSON: {type(exc).__name__}") from None


def literal_records(data: object, raw: bytes, origin: str) -> object:
    """Captures whose records are Python `repr` text, read as Python literals (`--repair`):
    a JSON list of such strings, or a whole file that is one. `ast.literal_eval` builds
    literals only (no names, calls or attributes), so the text cannot run code; what it
    builds is then held to JSON's shapes."""
    if _strings(data):
        return [_literal(item, f"{origin}: item {n}") for n, item in enumerate(data)]
    if data is None:  # not JSON at all
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceError(origin, "not UTF-8 text") from None
        return _literal(text, origin)
    return data


def _literal(text: str, where: str) -> object:
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise SourceError(where, f"not a Python literal: {type(exc).__name__}") from None
    return _json_shaped(value, where)


def _json_shaped(value: object, where: str, depth: int = 0) -> object:
    if depth > 64:
        raise SourceError(where, "nested too deeply")
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_json_shaped(v, where, depth + 1) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _json_shaped(v, where, depth + 1) for k, v in value.items()}
    raise SourceError(where, f"holds {type(value).__name__}, which JSON cannot")


def file_day(path: Path) -> date | None:
    """The day a capture named YYYY-MM-DD.json is for, if it is named so."""
    match = _FILE_DAY_RE.fullmatch(path.name)
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:  # named like a day, but not a real one (2025-02-30)
        return None


def parse_file(path: Path, *, fetched_at: str | None = None, repair: bool = False) -> ParseResult:
    """Parse a saved response; its day comes from a YYYY-MM-DD.json file name if present."""
    origin = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(origin, f"cannot read: {exc.strerror or exc}") from None
    return parse_raw(raw, origin, day=file_day(path), fetched_at=fetched_at, repair=repair)


def parse_raw(
    raw: bytes,
    origin: str,
    *,
    day: date | None = None,
    fetched_at: str | None = None,
    repair: bool = False,
) -> ParseResult:
    """A saved response's bytes. With `repair`, records saved as Python repr text (a list
    of such strings, or one for the whole file) are read as Python literals."""
    if not repair:
        data = loads(raw, origin)
        if _strings(data):
            raise SourceError(
                origin,
                f"its records are text, not objects ({_show(data[0])[:40]}...): Python repr "
                "text? `almanac import --repair` reads them as Python literals",
            )
        return parse(data, origin, day=day, fetched_at=fetched_at)
    try:
        data = loads(raw, origin)
    except SourceError:
        data = None  # perhaps one Python literal
    records = literal_records(data, raw, origin)
    result = parse(records, origin, day=day, fetched_at=fetched_at)
    if records is not data:
        result.repairs.append(RecordError(origin, None, None, "read as Python literals (--repair)"))
    return result


def _strings(data: object) -> TypeGuard[list[str]]:
    return isinstance(data, list) and bool(data) and all(isinstance(i, str) for i in data)


def parse(
    data: object,
    origin: str,
    *,
    day: date | None = None,
    fetched_at: str | None = None,
    source: str = "hf-daily",
) -> ParseResult:
    """Papers from decoded daily_papers JSON; `day` is used where a record has none."""
    if fetched_at is not None and not _TIMESTAMP_RE.fullmatch(fetched_at):
        raise ValueError(f"fetched_at must be YYYY-MM-DDTHH:MM:SSZ, not {fetched_at!r}")
    result = ParseResult(origin)
    seen: set[str] = set()
    for index, item in enumerate(_records(data, origin)):
        reader = _Reader(item, index, origin, result)
        paper = reader.paper(day, fetched_at, source)
        if paper is None:
            continue
        if paper.id in seen:
            result.problems.append(
                RecordError(origin, paper.id, None, f"item {index}: listed twice; kept the first")
            )
            continue
        seen.add(paper.id)
        result.papers.append(paper)
    return result


def _records(data: object, origin: str) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        names = sorted(str(k) for k in data)[:5]
        keys = ", ".join(k if k.isprintable() else repr(k) for k in names)[:80]
        raise SourceError(origin, f"expected a JSON list of papers, got an object (keys: {keys})")
    if not isinstance(data, list):
        raise SourceError(origin, f"expected a JSON list of papers, got {_kind(data)}")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise SourceError(
                origin, f"expected a list of paper objects, item {index} is {_kind(item)}"
            )
    return data


class _Reader:
    """One record: its `paper` object, falling back to the top-level fields."""

    def __init__(self, item: dict[str, Any], index: int, origin: str, out: ParseResult) -> None:
        self.top = item
        self.index = index
        self.origin = origin
        self.problems = out.problems
        self.repairs = out.repairs
        self.id: str | None = None
        inner = item.get("paper")
        self.inner: dict[str, Any] = inner if isinstance(inner, dict) else {}
        if inner is not None and not isinstance(inner, dict):
            self.note("paper", f"is {_kind(inner)}, not an object; reading top-level fields")

    def get(self, key: str) -> object:
        value = self.inner.get(key)
        return self.top.get(key) if value is None else value

    def note(self, field: str | None, reason: str) -> None:
        self.problems.append(RecordError(self.origin, self.id, field, reason))

    def skip(self, field: str, reason: str) -> None:
        self.note(field, f"item {self.index}: {reason}; record skipped")

    def paper(self, day: date | None, fetched_at: str | None, source: str) -> Paper | None:
        raw_id = self.get("id")
        match = _ARXIV_RE.fullmatch(raw_id) if isinstance(raw_id, str) else None
        if match is None:
            self.skip("id", f"no arXiv id: {_show(raw_id)}")
            return None
        self.id = match.group(1)
        title = self.get("title")
        if not isinstance(title, str) or not title.strip():
            self.skip("title", f"no title: {_show(title)}")
            return None
        paper_day = self._day(day)
        if paper_day is None:
            self.skip("day", "no submittedOnDailyAt, publishedAt or day given")
            return None
        fields: dict[str, Any] = {"id": self.id, "title": " ".join(title.split()), "day": paper_day}
        fields.update(self._optional(), links=self._links(self.id))
        return self._build({**fields, "sources": (source,), "fetched_at": fetched_at})

    def _day(self, day: date | None) -> date | None:
        raw = self.get("submittedOnDailyAt")
        if raw is not None:
            try:
                return _date(raw)
            except _Bad as exc:
                self.note("day", f"submittedOnDailyAt {exc}; using the day of the listing")
        if day is not None:
            return day
        try:
            fallback = _date(self.top.get("publishedAt"))
        except _Bad:
            return None
        if fallback is not None:
            self.note("day", "no usable submittedOnDailyAt; took the day from publishedAt")
        return fallback

    def _optional(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field, extract in _EXTRACTORS:
            try:
                value = extract(self, functools.partial(self.note, field))
            except _Bad as exc:
                self.note(field, f"{exc}; dropped")
                continue
            if value is not None:
                out[field] = value
        return out

    def _links(self, paper_id: str) -> Links:
        found: dict[str, str | None] = {}
        for kind, key in (("code", "githubRepo"), ("project", "projectPage")):
            value = self.get(key)
            if value is None or value == "":
                continue
            try:
                found[kind] = self.url(kind, f"links.{kind}", key, value)
            except _Bad as exc:
                self.note(f"links.{kind}", f"{key} {exc}; dropped")
        return Links.for_arxiv(paper_id, **found)

    def url(self, kind: str, field: str, key: str, value: object) -> str | None:
        """A checked URL; one that is good once the whitespace a paste adds is taken out
        (at its ends; a line break with the spaces around it, inside) is repaired and
        said so, since no URL holds a line break. Other whitespace stays a problem."""
        try:
            return _url(kind, value)
        except _Bad as problem:
            repaired = _PASTE_BREAK_RE.sub("", value.strip()) if isinstance(value, str) else value
            if repaired == value:
                raise
            try:
                url = _url(kind, repaired)
            except _Bad:
                raise problem from None
        self.repairs.append(
            RecordError(
                self.origin,
                self.id,
                field,
                f"{key} {_show(value)} had whitespace in it; read as {url!r}",
            )
        )
        return url

    def _build(self, fields: dict[str, Any]) -> Paper | None:
        # The extractors already check what Paper checks; this is the safety net that
        # keeps a paper when some check they missed fails on an optional field.
        for _ in range(len(fields)):
            try:
                return Paper(**fields)
            except RecordError as exc:
                name = (exc.field or "").split(".")[0]
                if name in _REQUIRED or name not in fields:
                    self.skip(exc.field or "record", exc.message)
                    return None
                self.note(exc.field, f"{exc.message}; dropped")
                del fields[name]
        self.skip("record", "too many bad fields")
        return None


def _submitted_by(r: _Reader, note: Note) -> str | None:
    by = r.inner.get("submittedOnDailyBy")
    handle = by.get("user") if isinstance(by, dict) else None
    if handle is None:
        by = r.top.get("submittedBy")
        handle = by.get("name") if isinstance(by, dict) else None
    if handle is None:
        return None
    if not isinstance(handle, str) or not handle or any(c.isspace() for c in handle):
        raise _Bad(f"not a user handle: {_show(handle)}")
    return _text(handle)


def _thumbnail(r: _Reader, note: Note) -> str | None:
    # Captures from 2024-05/06 name it `mediaUrl`; later ones `thumbnail`.
    for key in ("thumbnail", "mediaUrl"):
        value = r.get(key)
        if value is not None and value != "":
            return r.url("thumbnail", "thumbnail", key, value)
    return None


def _list(r: _Reader, key: str) -> list[Any] | None:
    raw = r.get(key)
    if raw is None or isinstance(raw, list):
        return raw
    raise _Bad(f"is {_kind(raw)}, not a list")


def _media(r: _Reader, note: Note) -> tuple[str, ...] | None:
    raw = _list(r, "mediaUrls")
    if raw is None:
        return None
    kept = []
    for value in raw:
        try:
            kept.append(r.url("media", "media_urls", "mediaUrls", value))
        except _Bad as exc:
            note(f"{exc}; dropped that one")
    return tuple(u for u in dict.fromkeys(kept) if u)


def _submitter_name(r: _Reader, note: Note) -> str | None:
    for by in (r.inner.get("submittedOnDailyBy"), r.top.get("submittedBy")):
        name = by.get("fullname") if isinstance(by, dict) else None
        if isinstance(name, str) and name.strip():
            return _text(" ".join(name.split()))
    return None


def _author_handles(r: _Reader, note: Note) -> tuple[tuple[str, str], ...] | None:
    raw = r.get("authors")
    if not isinstance(raw, list):
        return None
    found: dict[str, str] = {}
    for author in raw:
        user = author.get("user") if isinstance(author, dict) else None
        handle = user.get("user") if isinstance(user, dict) else None
        name = _author_name(author)
        if name is None or handle is None:
            continue
        if not isinstance(handle, str) or not is_handle(handle):
            note(f"{name}: not a Hugging Face user name: {_show(handle)}; dropped that one")
            continue
        found.setdefault(name, handle)
    return tuple(sorted(found.items()))


def _organization_handle(r: _Reader, note: Note) -> str | None:
    org = r.get("organization")
    handle = org.get("name") if isinstance(org, dict) else None
    if handle is None:
        return None
    if not isinstance(handle, str) or not is_handle(handle):
        raise _Bad(f"not a Hugging Face name: {_show(handle)}")
    return handle


def _participating(r: _Reader, note: Note) -> bool | None:
    # Kept when true only: "no" is most papers, and says nothing a card would show.
    value = r.get("isAuthorParticipating")
    if value is None or isinstance(value, bool):
        return value or None
    raise _Bad(f"is {_kind(value)}, not true or false")


def _organization(r: _Reader, note: Note) -> str | None:
    org = r.get("organization")
    if org is None or isinstance(org, str):
        return _text(org)
    if not isinstance(org, dict):
        raise _Bad(f"is {_kind(org)}, not an object")
    for key in ("fullname", "name"):
        value = org.get(key)
        if isinstance(value, str) and value.strip():
            return _text(value)
    raise _Bad("has no fullname or name")


def _authors(r: _Reader, note: Note) -> tuple[str, ...] | None:
    raw = _list(r, "authors")
    if raw is None:
        return None
    names = tuple(n for n in map(_author_name, raw) if n is not None)
    if too_long := sum(1 for a in raw if len(_raw_name(a) or "") > MAX_AUTHOR):
        note(f"{too_long} of {len(raw)} author names are over {MAX_AUTHOR} characters")
    if nameless := len(raw) - len(names) - too_long:
        note(f"{nameless} of {len(raw)} authors have no name")
    return names


def _author_count(r: _Reader, note: Note) -> int | None:
    # Authors without a usable name still count; only then does the count need saying.
    raw = r.get("authors")
    if isinstance(raw, list) and any(_author_name(a) is None for a in raw):
        return len(raw)
    return None


def _keywords(r: _Reader, note: Note) -> tuple[str, ...] | None:
    raw = _list(r, "ai_keywords")
    if raw is None:
        return None
    # HF writes [""] for "no keywords": blank ones are skipped without a word.
    texts = [k.strip() for k in raw if isinstance(k, str)]
    kept = tuple(k for k in texts if k and len(k) <= MAX_KEYWORD)
    if len(texts) < len(raw):
        note(f"{len(raw) - len(texts)} of {len(raw)} keywords are not text; dropped those")
    if too_long := sum(1 for k in texts if len(k) > MAX_KEYWORD):
        note(f"{too_long} of {len(raw)} keywords are over {MAX_KEYWORD} characters; dropped those")
    return kept


# Each optional field: where it comes from and how it is checked (raise _Bad to drop it).
_EXTRACTORS: tuple[tuple[str, Callable[[_Reader, Note], object]], ...] = (
    ("abstract", lambda r, note: _text(r.get("summary"), strip=True)),
    ("authors", _authors),
    ("author_count", _author_count),
    ("published", lambda r, note: _date(r.get("publishedAt"))),
    ("upvotes", lambda r, note: _count(r.get("upvotes"))),
    ("comments", lambda r, note: _count(r.get("numComments"))),
    ("github_stars", lambda r, note: _count(r.get("githubStars"))),
    ("organization", _organization),
    ("ai_summary", lambda r, note: _text(r.get("ai_summary"), strip=True)),
    ("ai_keywords", _keywords),
    ("thumbnail", _thumbnail),
    ("media_urls", _media),
    ("submitted_by", _submitted_by),
    ("submitted_by_name", _submitter_name),
    ("author_handles", _author_handles),
    ("organization_handle", _organization_handle),
    ("authors_participating", _participating),
    ("ai_summary_model", lambda r, note: _text(r.get("ai_summary_model"), strip=True)),
)


def _raw_name(author: object) -> str | None:
    name = author.get("name") if isinstance(author, dict) else author
    return name if isinstance(name, str) else None


def _author_name(author: object) -> str | None:
    name = _raw_name(author)
    if name is None or not name.strip() or len(name) > MAX_AUTHOR:
        return None
    return " ".join(name.split())


def _text(value: object, *, strip: bool = False) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"is {_kind(value)}, not text")
    if len(value) > MAX_TEXT:
        raise _Bad(f"longer than {MAX_TEXT} characters")
    value = value.strip() if strip else value
    return value or None


def _count(value: object) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _Bad(f"not a whole number >= 0: {_show(value)}")
    return value


def _date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"is {_kind(value)}, not a timestamp")
    try:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Bad(f"not an ISO timestamp: {_show(value)}") from None
    return moment.date()


def _url(kind: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Bad(f"is {_kind(value)}, not a URL")
    try:
        return check_url(kind, value)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
