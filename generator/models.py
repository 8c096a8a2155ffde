"""The typed records of the archive, validated where they are made.

Everything that enters the archive becomes a `Paper` here, whatever its source, and
everything read back from `data/` passes through `Paper.from_mapping`. Invalid data
raises `RecordError` naming the paper and the field; callers add the file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from .errors import RecordError

# Ids end up as URL fragments and HTML ids, so only a conservative alphabet passes:
# no slashes, dots at the start, spaces or control characters.
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ARXIV_NEW_RE = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?")
_VERSIONED_RE = re.compile(r"(\d{4}\.\d{4,5})v\d+")
_TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_TITLE_ID_PREFIX = "t-"

# Each link kind may only point at the site it claims to be.
_LINK_HOSTS: dict[str, tuple[str, ...] | None] = {
    "arxiv": ("arxiv.org",),
    "pdf": ("arxiv.org",),
    "hf": ("huggingface.co",),
    "code": ("github.com",),  # HF's field is `githubRepo`: anything else is not what it claims
    "project": None,  # the authors' own page, wherever it is
    "thumbnail": ("huggingface.co",),  # HF's own image CDN (cdn-thumbnails.huggingface.co)
}

MAX_TEXT = 100_000


def normalise_title(title: str) -> str:
    """Case, width, accents-as-composed and whitespace folded: the identity of a title."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(folded.split())


def title_id(title: str) -> str:
    """A stable id for a paper known only by its title (same title, same id)."""
    digest = hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()
    return _TITLE_ID_PREFIX + digest[:12]


def is_title_id(paper_id: str) -> bool:
    return paper_id.startswith(_TITLE_ID_PREFIX)


def arxiv_id(text: str) -> str | None:
    """The versionless new-style arXiv id in `text` (an id or abs/pdf URL), if any."""
    match = _ARXIV_NEW_RE.search(text)
    return match.group(1) if match else None


def check_id(paper_id: object) -> str:
    if not isinstance(paper_id, str):
        # Usually an unquoted arXiv id in a hand edit, which YAML reads as a number.
        raise RecordError(
            None, None, "id", f"must be text, not {type(paper_id).__name__} (quote it)"
        )
    if not _ID_RE.fullmatch(paper_id):
        raise RecordError(
            None, None, "id", f"not a plain id (letters, digits, '.', '_', '-'): {paper_id!r}"
        )
    return paper_id


def check_url(kind: str, url: str) -> str:
    if _PLAIN_URL_CHARS.fullmatch(url) and (fast := _SIMPLE_URL_RE.match(url)):
        # The common case (a plain http(s) URL, no user, port or odd characters), read
        # without urlsplit: 30,000 papers carry over 100,000 links.
        host = fast.group(1).lower()
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        host = parts.hostname.lower()
    hosts = _LINK_HOSTS.get(kind)
    if hosts is not None and not any(host == h or host.endswith("." + h) for h in hosts):
        raise ValueError(f"{kind} link must point to {' or '.join(hosts)}: {url!r}")
    if not _PLAIN_URL_CHARS.fullmatch(url) and any(c.isspace() or ord(c) < 32 for c in url):
        raise ValueError(f"URL contains whitespace or control characters: {url!r}")
    return url


# No whitespace or control character anywhere (str.isspace covers more than ASCII).
_PLAIN_URL_CHARS = re.compile(r"[^\s\x00-\x1f]*")
_SIMPLE_URL_RE = re.compile(r"https?://([A-Za-z0-9.-]+)(?=[/?#]|$)")


@dataclass(frozen=True)
class Links:
    arxiv: str | None = None
    pdf: str | None = None
    hf: str | None = None
    code: str | None = None
    project: str | None = None

    def __post_init__(self) -> None:
        for name in _LINK_NAMES:
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise RecordError(None, None, f"links.{name}", "must be a string URL")
            try:
                check_url(name, value)
            except ValueError as exc:
                raise RecordError(None, None, f"links.{name}", str(exc)) from None

    @classmethod
    def for_arxiv(cls, paper_id: str, **others: str | None) -> Links:
        return cls(
            arxiv=f"https://arxiv.org/abs/{paper_id}",
            pdf=f"https://arxiv.org/pdf/{paper_id}",
            hf=f"https://huggingface.co/papers/{paper_id}",
            **others,
        )

    def to_mapping(self) -> dict[str, str]:
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def merged_over(self, older: Links) -> Links:
        """These links, falling back to `older` for each link this one lacks."""
        return Links(
            **{f.name: getattr(self, f.name) or getattr(older, f.name) for f in fields(self)}
        )


# Fields whose value keeps changing upstream: the newest fetch that has one wins.
VOLATILE_FIELDS = ("upvotes", "comments", "github_stars", "ai_summary", "ai_keywords")


@dataclass(frozen=True)
class Paper:
    id: str
    title: str
    day: date
    abstract: str | None = None
    authors: tuple[str, ...] = ()
    author_count: int | None = None
    published: date | None = None
    upvotes: int | None = None
    comments: int | None = None
    links: Links = field(default_factory=Links)
    github_stars: int | None = None
    organization: str | None = None
    ai_summary: str | None = None
    ai_keywords: tuple[str, ...] = ()
    thumbnail: str | None = None
    submitted_by: str | None = None
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    arxiv_comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    # Ids this paper was archived under before (a title id replaced by its arXiv id), so
    # links to the old anchors keep working and curation keyed by them still applies.
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:
            check_id(self.id)
            # One paper, one id: "2601.01425v2" is "2601.01425", whichever source says it.
            if versioned := _VERSIONED_RE.fullmatch(self.id):
                object.__setattr__(self, "id", versioned.group(1))
            self._check()
            self._check_aliases()
        except RecordError as exc:
            raise RecordError(exc.path, self.id, exc.field, exc.message) from None
        if self.authors and self.author_count is None:
            object.__setattr__(self, "author_count", len(self.authors))

    def _check(self) -> None:
        _require_text("title", self.title)
        if not self.title.strip():
            raise RecordError(None, None, "title", "is empty")
        for name in (
            "abstract",
            "organization",
            "ai_summary",
            "submitted_by",
            "primary_category",
            "arxiv_comment",
            "journal_ref",
            "doi",
            "source",
        ):
            value = getattr(self, name)
            if value is not None:
                _require_text(name, value)
        for name in ("authors", "ai_keywords", "categories"):
            value = getattr(self, name)
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                raise RecordError(None, None, name, "must be a list of strings")
            if value and max(map(len, value)) <= MAX_TEXT and "".join(value).isascii():
                continue  # every item is plain text (most author lists): nothing to check
            for item in value:
                _require_text(name, item)
        for name in ("author_count", "upvotes", "comments", "github_stars"):
            value = getattr(self, name)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise RecordError(None, None, name, f"must be a whole number >= 0: {value!r}")
        if not isinstance(self.day, date):
            raise RecordError(None, None, "day", "must be a date")
        if self.published is not None and not isinstance(self.published, date):
            raise RecordError(None, None, "published", "must be a date")
        if not isinstance(self.links, Links):
            raise RecordError(None, None, "links", "must be a mapping of links")
        if self.thumbnail is not None:
            try:
                check_url("thumbnail", self.thumbnail)
            except ValueError as exc:
                raise RecordError(None, None, "thumbnail", str(exc)) from None
        if self.fetched_at is not None and not (
            isinstance(self.fetched_at, str) and _TIMESTAMP_RE.fullmatch(self.fetched_at)
        ):
            raise RecordError(
                None, None, "fetched_at", f"must be YYYY-MM-DDTHH:MM:SSZ: {self.fetched_at!r}"
            )

    def _check_aliases(self) -> None:
        if not isinstance(self.aliases, tuple):
            raise RecordError(None, None, "aliases", "must be a list of ids")
        for alias in self.aliases:
            try:
                check_id(alias)
            except RecordError as exc:
                raise RecordError(None, None, "aliases", exc.message) from None
        if self.id in self.aliases or len(set(self.aliases)) != len(self.aliases):
            raise RecordError(None, None, "aliases", "must not repeat an id or the paper's own id")

    @property
    def is_arxiv(self) -> bool:
        return _ARXIV_NEW_RE.fullmatch(self.id) is not None

    def to_mapping(self) -> dict[str, Any]:
        """The YAML form: only known fields, dates as ISO strings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "author_count" and value == len(self.authors) and self.authors:
                continue  # derivable; keeping it would only invite disagreement
            if isinstance(value, Links):
                value = value.to_mapping()
            elif isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            if value is None or value == [] or value == {}:
                continue
            out[f.name] = value
        return out

    @classmethod
    def from_mapping(cls, data: object) -> Paper:
        """Build and validate a Paper from its stored (YAML) form."""
        if not isinstance(data, Mapping):
            raise RecordError(None, None, None, "a paper must be a mapping of fields")
        paper_id = data.get("id")
        pid = paper_id if isinstance(paper_id, str) else None
        if not _FIELD_NAMES.issuperset(data):
            unknown = sorted(str(k) for k in data if k not in _FIELD_NAMES)
            raise RecordError(None, pid, unknown[0], "unknown field")
        kwargs: dict[str, Any] = dict(data)
        for name in [n for n in data if n in _CONVERTED]:  # in the record's order
            try:
                kwargs[name] = _convert(name, data[name])
            except (TypeError, ValueError) as exc:
                raise RecordError(None, pid, name, str(exc)) from None
        for required in ("id", "title", "day"):
            if required not in kwargs:
                raise RecordError(None, pid, required, "is missing")
        try:
            return cls(**kwargs)
        except RecordError as exc:
            raise RecordError(None, pid, exc.field, exc.message) from None

    def with_changes(self, **changes: Any) -> Paper:
        return replace(self, **changes)


_FIELD_NAMES = frozenset(f.name for f in fields(Paper))
_LINK_NAMES = tuple(f.name for f in fields(Links))
_LINK_KINDS = frozenset(_LINK_NAMES)
# Fields whose stored form is not their value (every other field is taken as it is).
_CONVERTED = frozenset(
    {"day", "published", "links", "authors", "ai_keywords", "categories", "aliases"}
)


def _require_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise RecordError(None, None, name, f"must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise RecordError(None, None, name, f"longer than {MAX_TEXT} characters")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates cannot be written as UTF-8, so they could never be stored.
            raise RecordError(None, None, name, "contains an unpaired surrogate") from None


def _convert(name: str, value: object) -> object:
    if name in ("day", "published"):
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise TypeError("must be a date YYYY-MM-DD")
        return date.fromisoformat(value)
    if name == "links":
        if not isinstance(value, Mapping):
            raise TypeError("must be a mapping of links")
        unknown = [k for k in value if k not in _LINK_KINDS]
        if unknown:
            raise ValueError(f"unknown link kind {unknown[0]!r}")
        return Links(**{str(k): v for k, v in value.items()})
    if name in ("authors", "ai_keywords", "categories", "aliases"):
        if not isinstance(value, list):
            raise TypeError("must be a list of strings")
        return tuple(value)
    return value


@dataclass(frozen=True)
class TopicRule:
    """What puts a paper in a topic: any one match is enough."""

    phrases: tuple[str, ...] = ()  # words or phrases in title or abstract
    keywords: tuple[str, ...] = ()  # AI keywords, matched whole and case-insensitively
    categories: tuple[str, ...] = ()  # arXiv categories, e.g. cs.CV


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    rule: TopicRule = field(default_factory=TopicRule)


@dataclass(frozen=True)
class Curation:
    """A person's overrides for one paper, from data/curation.yaml."""

    paper_id: str
    hide: bool = False
    pin: bool = False
    add_topics: tuple[str, ...] = ()
    remove_topics: tuple[str, ...] = ()
    note: str | None = None
