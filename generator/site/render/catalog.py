"""The search catalog: every paper's title, authors and id, for the whole archive at once.

What readers type most, a paper's title or an author's name, is answered before any word
is ranked (render/wordindex.py ranks words): the catalog answers those for the whole
archive in one or two small downloads. It maps normalized keys to the papers that have
them:

- `t <title>`: the title's letters and digits only, lower-case, TeX commands dropped
  ("Free$^2$Guide: ..." and "free2guide ..." are one key);
- `a <name>`: an author's name, word by word ("Kaiming He" is "a kaiming he": a name is
  matched whole, never as a word prefix);
- `i <id>`: the arXiv id.

Papers are numbered in date order (oldest first, so a new day only appends), and each
key lists its papers' numbers, delta-encoded. Keys are grouped in buckets by prefix,
each bucket a JSON file of at most about BUCKET_BYTES, named by its prefix's hex; the
search page finds a key's bucket from the list of prefixes in the catalog's index. What
a result shows (its id, title, day, upvotes, authors, topics) is in `papers/`, in
chunks of CHUNK papers by number, and the text a word search quotes around the words
it found in `texts/`, in chunks of TEXT_CHUNK; `topics/`, `categories/` and `sources/` list each
topic's, arXiv category's and source's papers (sources only when there are two), for
the search page's filters, and `upvotes/` every paper's upvotes in chunks of
UPVOTE_CHUNK, for its sort by upvotes (a sort by date is a sort by number). Filters,
sorts and lists of papers without words need nothing else: every search of the page
covers the whole archive. assets/almanac/search.js normalizes what is typed with the
same rules as `words` below.

The catalog is made in segments (segment_starts), as the word index is: `catalog` holds
the papers before the archive's last two months, `catalog-newer` those months, so a new
day makes the small newer segment again and leaves the other as it is. Each segment is
all of the above for its papers, numbered from its first (`first` in its index); the
search page adds the segments' lists and keys up. The texts are stored gzipped (the
search page inflates them): they are most of the catalog's bytes.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from generator.site.arranged import Archive, Entry
from generator.site.render.card import SHOWN_AUTHORS, arxiv_categories, source_keys
from generator.site.render.tex import plain

FOLDER = "catalog"  # beside the word index: site/search-index/catalog/
NEWER = "catalog-newer"  # the archive's last two months, when there is more
VERSION = 3
CHUNK = 32
# Papers' texts by chunk: a word search's ten results need up to ten of them, so they
# are small (about 10 KB gzipped each); chunks of 8 made 22,826 files of search index at
# 100,000 papers, past the 20,000 a static host may allow (bench/SEARCH-SCALE.md).
TEXT_CHUNK = 16
# Upvotes by chunk: a sort by upvotes of a common word's papers reads most of them, so
# they are few (25 at 100,000 papers, about 5 KB gzipped each).
UPVOTE_CHUNK = 4096
BUCKET_BYTES = 16_000
# Buckets are named by their prefix: at most this many characters (4 UTF-8 bytes each at
# worst, twice that in hex), so a file name stays under 255 bytes. Keys sharing a longer
# prefix (titles that start alike) share one bucket, however big.
MAX_PREFIX = 24
_LISTS = ("topics/", "categories/", "sources/")
_TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-case words of letters and digits, accents and TeX commands dropped."""
    text = _TEX_COMMAND.sub(" ", text)
    if not text.isascii():  # most names and titles are: nothing to decompose
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text.lower())


def title_key(title: str) -> str:
    return "t " + "".join(words(plain(title)))


@functools.lru_cache(maxsize=1 << 16)  # names recur across an archive's papers
def author_key(name: str) -> str:
    return "a " + " ".join(words(name))


def id_key(paper_id: str) -> str:
    return "i " + paper_id.lower()


def paper_keys(entry: Entry) -> set[str]:
    paper = entry.paper
    keys = {title_key(paper.title), id_key(paper.id)}
    keys.update(author_key(name) for name in paper.authors)
    keys.difference_update(("t ", "a "))
    return keys


def ordered(archive: Archive) -> list[Entry]:
    """The archive's papers by number: date order, then each day's own order."""
    return [entry for day in archive.days for entry in archive.by_day[day]]


def segment_starts(archive: Archive) -> list[int]:
    """Where the search's segments start, by paper number (the catalog's and the word
    index's are the same): the papers of the archive's last two calendar months (so a new
    day makes at most two months of papers again), and the papers before them, if any (a
    segment that changes about once a month, when the months move on)."""
    months = sorted({(day.year, day.month) for day in archive.days})
    if len(months) <= 2:
        return [0]
    first = date(*months[-2], 1)
    return [0, sum(len(archive.by_day[day]) for day in archive.days if day < first)]


def segments(archive: Archive) -> list[tuple[str, int]]:
    """The catalog's trees, oldest first, each with the number of its first paper."""
    return list(zip([FOLDER, NEWER], segment_starts(archive), strict=False))


def catalog_files(
    archive: Archive, part: Sequence[Entry] | None = None, first: int = 0
) -> dict[str, str | bytes]:
    """Path (within the catalog's tree) -> content of every file of the catalog of `part`
    (the archive's papers numbered from `first`; all of them by default)."""
    entries = ordered(archive) if part is None else list(part)
    topics = [t.slug for t in archive.topics]
    slots = {slug: i for i, slug in enumerate(topics)}
    postings: dict[str, list[int]] = defaultdict(list)
    by_topic: dict[str, list[int]] = defaultdict(list)
    by_category: dict[str, list[int]] = defaultdict(list)
    by_source: dict[str, list[int]] = defaultdict(list)
    for number, entry in enumerate(entries):
        for key in paper_keys(entry):
            postings[key].append(number)
        for slug in entry.topics:
            by_topic[slug].append(number)
        for category in arxiv_categories(entry.paper):
            by_category[category].append(number)
        for source in source_keys(entry.paper):
            by_source[source].append(number)
    files: dict[str, str | bytes] = {}
    prefixes = []
    for prefix, keys in _buckets(postings):
        prefixes.append(prefix)
        files[f"keys/{_name(prefix)}.json"] = _json({k: _deltas(postings[k]) for k in keys})
    for start in range(0, len(entries), CHUNK):
        rows = [_row(e, slots) for e in entries[start : start + CHUNK]]
        files[f"papers/{start // CHUNK}.json"] = _json(rows)
    for start in range(0, len(entries), TEXT_CHUNK):
        texts = [_text(e) for e in entries[start : start + TEXT_CHUNK]]
        files[f"texts/{start // TEXT_CHUNK}.bin"] = _gzip(_json(texts))
    for start in range(0, len(entries), UPVOTE_CHUNK):
        upvotes = [e.upvotes for e in entries[start : start + UPVOTE_CHUNK]]
        files[f"upvotes/{start // UPVOTE_CHUNK}.json"] = _json(upvotes)
    for slug in topics:
        if by_topic[slug]:
            files[f"topics/{slug}.json"] = _json(_deltas(by_topic[slug]))
    for category, numbers in by_category.items():
        files[f"categories/{category}.json"] = _json(_deltas(numbers))
    if by_source_listed(archive):
        for source, numbers in by_source.items():
            files[f"sources/{source}.json"] = _json(_deltas(numbers))
    digest = hashlib.sha256()
    for path in sorted(files):
        content = files[path]
        digest.update(f"{path}\0".encode())
        digest.update(content.encode() if isinstance(content, str) else content)
        digest.update(b"\0")
    days = _days(archive, first, len(entries))
    index = {
        "version": VERSION,
        "v": digest.hexdigest()[:16],
        "first": first,
        "papers": len(entries),
        "chunk": CHUNK,
        "text_chunk": TEXT_CHUNK,
        "upvote_chunk": UPVOTE_CHUNK,
        "topics": [[t.slug, t.name] for t in archive.topics],
        "months": _month_starts(days, first),
        # Papers a day, days in order: a sort by date keeps each day's own order.
        "day_sizes": [size for _, size in days],
        "buckets": sorted(prefixes),
        # The lists it has: a segment has none of a value none of its papers has.
        "lists": sorted(p.removesuffix(".json") for p in files if p.startswith(_LISTS)),
    }
    files["index.json"] = _json(index)
    return files


def by_source_listed(archive: Archive) -> bool:
    """Whether the catalog lists papers by source: when the archive has two sources (the
    search page offers a source filter only then), in every segment, even one whose
    papers all came from one."""
    found: set[str] = set()
    for day in archive.days:
        for entry in archive.by_day[day]:
            found.update(source_keys(entry.paper))
            if len(found) > 1:
                return True
    return False


def _row(entry: Entry, slots: Mapping[str, int]) -> list[Any]:
    paper = entry.paper
    # The search page makes the permalink of the id and the day, as paper_url does.
    return [
        paper.id,
        paper.title,
        paper.day.isoformat(),
        paper.upvotes,
        authors_text(entry),
        [slots[slug] for slug in entry.topics],
    ]


def authors_text(entry: Entry) -> str | None:
    """The authors a result shows: the first SHOWN_AUTHORS, and how many more."""
    paper = entry.paper
    total = max(paper.author_count or 0, len(paper.authors))
    if not paper.authors:
        return f"{total} authors" if total > 1 else ("1 author" if total else None)
    shown = ", ".join(" ".join(n.split()) for n in paper.authors[:SHOWN_AUTHORS])
    more = total - min(len(paper.authors), SHOWN_AUTHORS)
    return f"{shown} and {more} more" if more > 0 else shown


def _text(entry: Entry) -> str:
    """What a word search's result quotes around the words found: the abstract, else the
    AI summary (plain text: the search page inserts it as text)."""
    paper = entry.paper
    return " ".join(plain(paper.abstract or paper.ai_summary or "").split())


def _days(archive: Archive, first: int, count: int) -> list[tuple[date, int]]:
    """The days of papers first..first+count-1 (segments start on a day) and their sizes."""
    out = []
    number = 0
    for day in archive.days:
        size = len(archive.by_day[day])
        if first <= number < first + count:
            out.append((day, size))
        number += size
    return out


def _month_starts(days: Sequence[tuple[date, int]], first: int) -> list[list[Any]]:
    """[month, number of its first paper], months in order: a paper's month by number."""
    out: list[list[Any]] = []
    number = first
    for day, size in days:
        month = f"{day:%Y-%m}"
        if not out or out[-1][0] != month:
            out.append([month, number])
        number += size
    return out


def _deltas(numbers: Sequence[int]) -> list[int]:
    return [n - (numbers[i - 1] if i else 0) for i, n in enumerate(numbers)]


def _buckets(postings: Mapping[str, list[int]]) -> Iterator[tuple[str, list[str]]]:
    """(prefix, keys) groups: the namespace, its space and a first character always tell
    buckets apart; a group over BUCKET_BYTES is split by one more character of its keys,
    and the keys no longer than its prefix stay in it."""
    sizes = {k: len(k.encode()) + 6 + 4 * len(v) for k, v in postings.items()}
    groups: dict[str, list[str]] = defaultdict(list)
    for key in sorted(postings):
        groups[key[:3]].append(key)
    for prefix in sorted(groups):
        yield from _split(prefix, groups[prefix], sizes)


def _split(
    prefix: str, keys: list[str], sizes: Mapping[str, int]
) -> Iterator[tuple[str, list[str]]]:
    if len(prefix) >= MAX_PREFIX or sum(sizes[k] for k in keys) <= BUCKET_BYTES:
        yield prefix, keys
        return
    here = [k for k in keys if len(k) <= len(prefix)]
    if here:
        yield prefix, here
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        if len(key) > len(prefix):
            groups[key[: len(prefix) + 1]].append(key)
    for sub in sorted(groups):
        yield from _split(sub, groups[sub], sizes)


def _name(prefix: str) -> str:
    return prefix.encode("utf-8").hex()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), 9, mtime=0)  # no time in the header
