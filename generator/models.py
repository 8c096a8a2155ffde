"""The typed records of the archive, validated where they are made.

Everything that enters the archive becomes a `Paper` here, whatever its source, and
everything read back from `data/` passes through `Paper.from_mapping`. Invalid data
raises `RecordError` naming the paper and the field; callers add the file.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from generator.errors import RecordError

# arXiv ids: new-style ("2601.01425", since 2007) and old-style, which name their archive
# and, for some, its subject class ("hep-th/0601001", "math.GT/0309136"); either may carry
# a version ("v2"), which is not part of the paper's identity.
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z][a-z-]{1,15}(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?")
_VERSIONED_RE = re.compile(rf"({_ARXIV_NEW}|{_ARXIV_OLD})v\d+")
# Ids end up as URL fragments and HTML ids, so only a conservative alphabet passes: no
# spaces, control characters or dots at the start, and a slash only in an old-style
# arXiv id (valid in a fragment and in an HTML id).
_ID_RE = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,63}}|{_ARXIV_OLD}(?:v\d+)?")
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
    "media": ("cdn-uploads.huggingface.co",),  # the submitter's uploads; the CSP allows it
}
# A Hugging Face user or organization name, as it appears in https://huggingface.co/<name>.
_HANDLE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}")

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


def day_stamp(day: date) -> str:
    """A fetch time known only to the day: the start of that day (fetches are stamped so)."""
    return f"{day.isoformat()}T00:00:00Z"


def arxiv_id(text: str) -> str | None:
    """The versionless arXiv id, new- or old-style, in `text` (an id or abs/pdf URL)."""
    match = ARXIV_ID_RE.search(text)
    return match.group(1) if match else None


def check_id(paper_id: object) -> str:
    if not isinstance(paper_id, str):
        # Usually an unquoted arXiv id in a hand edit, which YAML reads as a number.
        raise RecordError(
            None, None, "id", f"must be text, not {type(paper_id).__name__} (quote it)"
        )
    if not _ID_RE.fullmatch(paper_id):
        raise RecordError(
            None,
            None,
            "id",
            f"not a plain id (letters, digits, '.', '_', '-') nor an arXiv id: {paper_id!r}",
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


def _plain_url_of(hosts: tuple[str, ...] | None) -> re.Pattern[str]:
    """What check_url takes at once for a link of these hosts: a plain http(s) URL whose
    host is one of them or below one (check_url's fast path as one pattern)."""
    host = r"[A-Za-z0-9.-]+"
    if hosts is not None:
        named = "|".join(re.escape(h) for h in hosts)
        host = rf"(?:[A-Za-z0-9.-]*\.)?(?i:{named})"
    return re.compile(rf"https?://{host}(?=[/?#]|$)[^\s\x00-\x1f]*")


# Each kind's links checked by one pattern match (Links.from_mapping).
_PLAIN_LINK = {kind: _plain_url_of(hosts) for kind, hosts in _LINK_HOSTS.items()}


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
            if value is not None and (problem := _link_problem(name, value)):
                raise problem

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Links:
        """The Links of a mapping of kind to URL, each checked by one pattern that takes
        only what check_url takes; any other goes through the whole check (and its error).
        Reading 100,000 papers back checks 340,000 links."""
        plain = _LINK_KINDS.issuperset(data) and all(
            isinstance(v, str) and _PLAIN_LINK[k].fullmatch(v) for k, v in data.items()
        )
        if not plain:
            return cls(**{str(k): v for k, v in data.items()})  # type: ignore[arg-type]
        links = object.__new__(cls)  # not __init__: __post_init__ would check them again
        links.__dict__.update({name: data.get(name) for name in _LINK_NAMES})
        return links

    @classmethod
    def for_arxiv(cls, paper_id: str, **others: str | None) -> Links:
        # Hugging Face's paper pages are for new-style ids only.
        hf = f"https://huggingface.co/papers/{paper_id}" if "/" not in paper_id else None
        return cls(
            arxiv=f"https://arxiv.org/abs/{paper_id}",
            pdf=f"https://arxiv.org/pdf/{paper_id}",
            **{"hf": hf, **others},
        )

    def to_mapping(self) -> dict[str, str]:
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}


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
    # The submitter's figures and videos on Hugging Face.
    media_urls: tuple[str, ...] = ()
    submitted_by: str | None = None  # a Hugging Face user name
    submitted_by_name: str | None = None  # that user's display name
    # Authors who claimed the paper on Hugging Face: (name as in `authors`, user name).
    author_handles: tuple[tuple[str, str], ...] = ()
    organization_handle: str | None = None  # its name in huggingface.co/<name>
    # Authors take part in the paper's discussion on Hugging Face.
    authors_participating: bool | None = None
    ai_summary_model: str | None = None  # which model wrote `ai_summary`
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    arxiv_comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    arxiv_version: int | None = None  # the latest version arXiv has (v2 is 2)
    updated: date | None = None  # when arXiv last had a new version (`published` is v1's)
    # Which sources list the paper (SOURCE_NAMES); kept as a set: each source adds itself.
    sources: tuple[str, ...] = ()
    # When the record was last fetched; `field_fetched_at` holds, for each field whose
    # value is from another fetch (a later one lacked the field), when that was, so that
    # merging is the same whatever order fetches arrive in (merge.py).
    fetched_at: str | None = None
    field_fetched_at: tuple[tuple[str, str], ...] = ()
    # Fields whose value is from a page that knew the paper by its title only (a scraped
    # page): any record under its real id replaces them, whenever that was fetched.
    title_page_fields: tuple[str, ...] = ()
    # Later days Hugging Face featured the paper again; `day` is its first.
    featured_again: tuple[date, ...] = ()
    # Ids this paper was archived under before (a title id replaced by its arXiv id), so
    # links to the old anchors keep working and curation keyed by them still applies.
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:
            check_id(self.id)
        except RecordError as exc:
            raise RecordError(exc.path, self.id, exc.field, exc.message) from None
        # One paper, one id: "2601.01425v2" is "2601.01425", whichever source says it.
        if versioned := _VERSIONED_RE.fullmatch(self.id):
            object.__setattr__(self, "id", versioned.group(1))
        problem = next(_field_problems(self.__dict__), None)
        if problem is not None:
            raise RecordError(problem.path, self.id, problem.field, problem.message)
        if self.authors and self.author_count is None:
            object.__setattr__(self, "author_count", len(self.authors))

    @property
    def is_arxiv(self) -> bool:
        return ARXIV_ID_RE.fullmatch(self.id) is not None

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
            elif f.name in ("field_fetched_at", "author_handles"):
                value = dict(value)
            elif f.name == "featured_again":
                value = [d.isoformat() for d in value]
            elif isinstance(value, tuple):
                value = list(value)
            if value is None or value == [] or value == {}:
                continue
            out[f.name] = value
        return out

    @classmethod
    def from_memo(cls, data: Mapping[str, Any]) -> Paper:
        """The Paper whose `to_mapping` this code made of a Paper it had validated: the
        build folder's parsed day files, kept under the build key (site/daycache.py).
        Its links are checked again (they become pages' links, where a forged
        `javascript:` would run); its text is not, as every page escapes it: checking
        every field of 100,000 papers was half of reading the archive back on a daily
        build (bench/RESULTS.md). Nothing from outside the build folder comes here."""
        if not _FIELD_NAMES.issuperset(data) or not _REQUIRED.issubset(data):
            raise KeyError("not a stored paper")
        values = dict(_DEFAULTS_IN_ORDER)
        for name, value in data.items():
            convert = _FROM_MEMO.get(name)
            values[name] = value if convert is None else convert(value)
        if values["authors"] and values["author_count"] is None:
            values["author_count"] = len(values["authors"])
        paper = object.__new__(cls)  # not __init__: __post_init__ would check it all again
        paper.__dict__.update(values)
        return paper

    @classmethod
    def from_mapping(cls, data: object) -> Paper:
        """Build and validate a Paper from its stored (YAML) form."""
        if not isinstance(data, Mapping):
            raise RecordError(None, None, None, "a paper must be a mapping of fields")
        data = _upgraded(data)
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
            except RecordError as exc:  # a bad link: its own field, links.<kind>
                raise RecordError(None, pid, exc.field, exc.message) from None
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
# Records written before a paper could have two sources say `source: hf-daily`.
_LEGACY_SOURCE = "source"
# Hugging Face's API (and its saved JSON), a scraped Daily Papers page, arXiv's API.
SOURCE_NAMES = ("arxiv", "hf-daily", "hf-page")
_LINK_NAMES = tuple(f.name for f in fields(Links))
_LINK_KINDS = frozenset(_LINK_NAMES)
# Each field's default: what `record_problems` checks for a field a record lacks.
_DEFAULTS: dict[str, Any] = {
    f.name: f.default_factory() if f.default_factory is not MISSING else f.default
    for f in fields(Paper)
    if f.default is not MISSING or f.default_factory is not MISSING
}
_REQUIRED = frozenset(f.name for f in fields(Paper) if f.name not in _DEFAULTS)
# Every field in its declared order, with its default (None for a required field, which a
# stored form always has): an instance's __dict__ must be in this order, as dataclass
# __init__ makes it, for orjson writes a dataclass in its __dict__'s order and page keys
# digest that (render/jobs.py).
_DEFAULTS_IN_ORDER: dict[str, Any] = {f.name: _DEFAULTS.get(f.name) for f in fields(Paper)}


# Fields whose stored form is not their value (every other field is taken as it is).
_CONVERTED = frozenset(
    {
        "day",
        "published",
        "links",
        "authors",
        "ai_keywords",
        "categories",
        "aliases",
        "field_fetched_at",
        "title_page_fields",
        "featured_again",
        "media_urls",
        "author_handles",
        "updated",
        "sources",
    }
)
# What `field_fetched_at` may name: the fields merge.py takes from one fetch or another.
MERGED_PARTS = frozenset(
    {f.name for f in fields(Paper)}
    - {"id", "day", "aliases", "fetched_at", "field_fetched_at", "featured_again", "links"}
    - {"title_page_fields"}
    - {"sources"}  # a union of every record's, never one fetch's
    - {"author_count"}  # merged with `authors`, as one
    | {f"links.{name}" for name in _LINK_NAMES}
)


_TEXT_FIELDS = (
    "abstract",
    "organization",
    "ai_summary",
    "submitted_by",
    "primary_category",
    "arxiv_comment",
    "journal_ref",
    "doi",
    "submitted_by_name",
    "ai_summary_model",
)
_LIST_FIELDS = ("authors", "ai_keywords", "categories")
_COUNT_FIELDS = ("author_count", "upvotes", "comments", "github_stars", "arxiv_version")


def _field_problems(values: Mapping[str, Any]) -> Iterator[RecordError]:
    """The bad fields among a paper's values (a Paper's own, or a record's as converted),
    one problem each. A generator, so that making a Paper stops at the first."""
    title = values["title"]
    if problem := _text_problem("title", title):
        yield problem
    elif not title.strip():
        yield RecordError(None, None, "title", "is empty")
    for name in _TEXT_FIELDS:
        value = values[name]
        if value is not None and (problem := _text_problem(name, value)):
            yield problem
    for name in _LIST_FIELDS:
        if problem := _list_problem(name, values[name]):
            yield problem
    for name in _COUNT_FIELDS:
        value = values[name]
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            yield RecordError(None, None, name, f"must be a whole number >= 0: {value!r}")
    if not isinstance(values["day"], date):
        yield RecordError(None, None, "day", "must be a date")
    for name in ("published", "updated"):
        if values[name] is not None and not isinstance(values[name], date):
            yield RecordError(None, None, name, "must be a date")
    if problem := _sources_problem(values["sources"]):
        yield problem
    if not isinstance(values["links"], Links):
        yield RecordError(None, None, "links", "must be a mapping of links")
    thumbnail = values["thumbnail"]
    if thumbnail is not None and not isinstance(thumbnail, str):
        yield RecordError(None, None, "thumbnail", "must be a string URL")
    elif thumbnail is not None:
        try:
            check_url("thumbnail", thumbnail)
        except ValueError as exc:
            yield RecordError(None, None, "thumbnail", str(exc))
    if problem := _media_problem(values["media_urls"]):
        yield problem
    if problem := _handles_problem(values["author_handles"], values["organization_handle"]):
        yield problem
    if values["authors_participating"] not in (None, True, False):
        yield RecordError(None, None, "authors_participating", "must be true or false")
    fetched_at = values["fetched_at"]
    if fetched_at is not None and not (
        isinstance(fetched_at, str) and _TIMESTAMP_RE.fullmatch(fetched_at)
    ):
        yield RecordError(None, None, "fetched_at", f"must be YYYY-MM-DDTHH:MM:SSZ: {fetched_at!r}")
    if problem := _aliases_problem(values["id"], values["aliases"]):
        yield problem
    if problem := _stamps_problem(values["field_fetched_at"]):
        yield problem
    if problem := _title_page_problem(values["id"], values["title_page_fields"]):
        yield problem
    if problem := _again_problem(values["day"], values["featured_again"]):
        yield problem


def _sources_problem(sources: object) -> RecordError | None:
    if not isinstance(sources, tuple) or any(s not in SOURCE_NAMES for s in sources):
        return RecordError(
            None, None, "sources", f"must be a list of {', '.join(SOURCE_NAMES)}: {sources!r}"
        )
    if list(sources) != sorted(set(sources)):
        return RecordError(None, None, "sources", "must list each source once, in order")
    return None


def _media_problem(urls: object) -> RecordError | None:
    if not isinstance(urls, tuple) or not all(isinstance(u, str) for u in urls):
        return RecordError(None, None, "media_urls", "must be a list of URLs")
    for url in urls:
        try:
            check_url("media", url)
        except ValueError as exc:
            return RecordError(None, None, "media_urls", str(exc))
    return None


def _handles_problem(authors: object, organization: object) -> RecordError | None:
    if organization is not None and not (
        isinstance(organization, str) and _HANDLE_RE.fullmatch(organization)
    ):
        return RecordError(
            None, None, "organization_handle", f"not a Hugging Face name: {organization!r}"
        )
    return _pairs_problem(
        "author_handles", authors, "author", lambda k: True, "a Hugging Face name", is_handle
    )


def is_handle(text: str) -> bool:
    return _HANDLE_RE.fullmatch(text) is not None


def _stamps_problem(stamps: object) -> RecordError | None:
    return _pairs_problem(
        "field_fetched_at",
        stamps,
        "field that is fetched",
        MERGED_PARTS.__contains__,
        "YYYY-MM-DDTHH:MM:SSZ",
        lambda v: _TIMESTAMP_RE.fullmatch(v) is not None,
    )


def _title_page_problem(paper_id: object, names: object) -> RecordError | None:
    name = "title_page_fields"
    if not isinstance(names, tuple) or not all(n in MERGED_PARTS for n in names):
        return RecordError(
            None, None, name, f"must be a list of fields that are fetched: {names!r}"
        )
    if list(names) != sorted(set(names)):
        return RecordError(None, None, name, "must name each field once, in order")
    if names and isinstance(paper_id, str) and is_title_id(paper_id):
        return RecordError(None, None, name, "only a paper with a real id has them")
    return None


def _pairs_problem(
    name: str,
    pairs: object,
    key_what: str,
    key_ok: Callable[[str], bool],
    value_what: str,
    value_ok: Callable[[str], bool],
) -> RecordError | None:
    """A mapping stored as sorted (key, value) pairs of text: each pair's problem."""
    if not isinstance(pairs, tuple):
        return RecordError(None, None, name, f"must be a mapping of {key_what}: {value_what}")
    for item in pairs:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
            return RecordError(None, None, name, f"not a {key_what} and a value: {item!r}")
        if not key_ok(item[0]):
            return RecordError(None, None, name, f"not a {key_what}: {item[0]!r}")
        if not (isinstance(item[1], str) and value_ok(item[1])):
            return RecordError(None, None, name, f"{item[0]}: must be {value_what}: {item[1]!r}")
    if list(pairs) != sorted(dict(pairs).items()):
        return RecordError(None, None, name, f"must name each {key_what} once, in order")
    return None


def _again_problem(day: object, again: object) -> RecordError | None:
    name = "featured_again"
    if not isinstance(again, tuple) or not all(isinstance(d, date) for d in again):
        return RecordError(None, None, name, "must be a list of dates")
    if isinstance(day, date) and any(d <= day for d in again):
        return RecordError(None, None, name, f"must be days after the paper's day {day}")
    if list(again) != sorted(set(again)):
        return RecordError(None, None, name, "must list each day once, in order")
    return None


def _list_problem(name: str, value: object) -> RecordError | None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        return RecordError(None, None, name, "must be a list of strings")
    if value and max(map(len, value)) <= MAX_TEXT and "".join(value).isascii():
        return None  # every item is plain text (most author lists): nothing to check
    return next(filter(None, (_text_problem(name, item) for item in value)), None)


def _aliases_problem(paper_id: str, aliases: object) -> RecordError | None:
    if not isinstance(aliases, tuple):
        return RecordError(None, None, "aliases", "must be a list of ids")
    for alias in aliases:
        try:
            check_id(alias)
        except RecordError as exc:
            return RecordError(None, None, "aliases", exc.message)
    if paper_id in aliases or len(set(aliases)) != len(aliases):
        return RecordError(None, None, "aliases", "must not repeat an id or the paper's own id")
    return None


def _text_problem(name: str, value: object) -> RecordError | None:
    if not isinstance(value, str):
        return RecordError(None, None, name, f"must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        return RecordError(None, None, name, f"longer than {MAX_TEXT} characters")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates cannot be written as UTF-8, so they could never be stored.
            return RecordError(None, None, name, "contains an unpaired surrogate")
    return None


def _upgraded(data: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """A stored record in today's form: an older `source: x` is `sources: [x]`."""
    if _LEGACY_SOURCE not in data:
        return data
    out = {k: v for k, v in data.items() if k != _LEGACY_SOURCE}
    legacy, listed = data[_LEGACY_SOURCE], out.get("sources", [])
    plain = isinstance(listed, list) and all(isinstance(s, str) for s in listed)
    if isinstance(legacy, str) and plain:
        out["sources"] = sorted({legacy, *listed})
    else:
        out["sources"] = [legacy]
    return out


def record_problems(data: object) -> list[RecordError]:
    """Every problem of a stored record, one per field, where `Paper.from_mapping` stops
    at the first ([] when it makes a Paper). Callers add the file."""
    if not isinstance(data, Mapping):
        return [RecordError(None, None, None, "a paper must be a mapping of fields")]
    data = _upgraded(data)
    paper_id = data.get("id")
    pid = paper_id if isinstance(paper_id, str) else None
    problems = [
        RecordError(None, pid, name, "unknown field")
        for name in sorted(str(k) for k in data if k not in _FIELD_NAMES)
    ]
    problems += [
        RecordError(None, pid, name, "is missing")
        for name in ("id", "title", "day")
        if name not in data
    ]
    # Stand-ins where a value is missing or does not convert: it is reported already.
    values: dict[str, Any] = {**_DEFAULTS, "id": "", "title": "-", "day": date.min}
    for name in (n for n in data if n in _FIELD_NAMES):
        try:
            values[name] = _convert(name, data[name]) if name in _CONVERTED else data[name]
        except (TypeError, ValueError) as exc:
            problems.append(RecordError(None, pid, name, str(exc)))
        except RecordError:  # bad links: each of them
            links: Mapping[str, object] = data[name]  # a mapping of known kinds: it converted
            problems += [
                RecordError(None, pid, e.field, e.message)
                for kind, url in links.items()
                if url is not None and (e := _link_problem(kind, url))
            ]
    if "id" in data:
        try:
            values["id"] = check_id(data["id"])
        except RecordError as exc:
            values["id"] = ""
            problems.append(RecordError(None, pid, exc.field, exc.message))
        if versioned := _VERSIONED_RE.fullmatch(values["id"]):
            values["id"] = versioned.group(1)
    problems += [RecordError(None, pid, e.field, e.message) for e in _field_problems(values)]
    return problems


def _link_problem(kind: str, url: object) -> RecordError | None:
    if not isinstance(url, str):
        return RecordError(None, None, f"links.{kind}", "must be a string URL")
    try:
        check_url(kind, url)
    except ValueError as exc:
        return RecordError(None, None, f"links.{kind}", str(exc))
    return None


def _convert(name: str, value: object) -> object:
    if name in ("day", "published", "updated"):
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
        return Links.from_mapping(value)
    if name in ("field_fetched_at", "author_handles"):
        if not isinstance(value, Mapping):
            raise TypeError("must be a mapping")
        return tuple(sorted((str(k), v) for k, v in value.items()))
    if name == "media_urls":
        if not isinstance(value, list):
            raise TypeError("must be a list of URLs")
        return tuple(value)
    if name == "featured_again":
        if not isinstance(value, list):
            raise TypeError("must be a list of dates YYYY-MM-DD")
        return tuple(d if isinstance(d, date) else date.fromisoformat(d) for d in value)
    if name in ("authors", "ai_keywords", "categories", "aliases", "sources", "title_page_fields"):
        if not isinstance(value, list):
            raise TypeError("must be a list of strings")
        return tuple(value)
    return value


def _listed(value: object) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise TypeError("must be a list")
    return tuple(value)


# What `_convert` does to each field it converts, one call each, for the stored forms this
# code wrote (Paper.from_memo reads every converted field of the archive on a daily
# build). Links and the mappings go through `_convert` itself: links are checked there.
_FROM_MEMO: dict[str, Callable[[Any], object]] = {
    **dict.fromkeys(("day", "published", "updated"), date.fromisoformat),
    **dict.fromkeys(
        ("authors", "ai_keywords", "categories", "aliases", "sources", "title_page_fields"),
        _listed,
    ),
    "media_urls": _listed,
    **{
        name: functools.partial(_convert, name)
        for name in ("links", "field_fetched_at", "author_handles", "featured_again")
    },
}


# The topic of the papers no topic's rules match; no topic of topics.yaml may take its slug.
OTHER_SLUG = "other"


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


@dataclass(frozen=True)
class ArxivFeed:
    """One arXiv feed of data/sources.yaml: papers in any of `categories` (all of arXiv
    when none) that match `query` (arXiv's search syntax), at most `max_per_day` a day."""

    name: str
    categories: tuple[str, ...] = ()
    query: str | None = None
    max_per_day: int | None = None


@dataclass(frozen=True)
class SourcesConfig:
    """What `almanac fetch` follows; without data/sources.yaml, Hugging Face alone."""

    huggingface: bool = True
    arxiv: tuple[ArxivFeed, ...] = ()
