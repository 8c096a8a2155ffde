"""The word index: every word of every paper, each word's papers stored best first.

A search of words must rank the whole archive, and its bytes must not grow with it
(bench/SEARCH-DESIGNS.md measures this design against Pagefind's). So each word's list
of papers is sorted by how well the word matches each paper (its *impact*, BM25 as one
byte) and cut into chunks of FIRST, FIRST * GROWTH, ... papers. A query needs only the
first chunks of its words until the tenth-best paper that has every word scores at least
as high as any other paper still could (its known impacts plus the best impact left in
each list it was not seen in): for a common word, that is its first chunk at any size of
archive.

Files (all gzip, which the search page inflates itself: a static host need not serve
them compressed):

- `meta.json`: the format, the number of papers and of dictionary buckets;
- `d/<bucket>.bin`: the words whose FNV-1a hash falls in the bucket, each with its
  chunk table (each chunk's size and best impact) and its first chunk inline, so a rare
  word costs one small file;
- `c/<pack>.bin`: the later chunks, packed into files of about PACK_BYTES, each found by
  its pack and offset.

A chunk lists its papers by number (the catalog's: date order, so a new day appends),
delta-coded as LEB128 varints, then one impact byte each. Papers are numbered as in the
catalog (render/catalog.py), which shows them. Words are the catalog's (`words`), less
STOPWORDS, with plurals folded (Harman's S stemmer); assets/almanac/words.js cuts a query
the same way. Fields weigh as a reader remembers them: the title five times, the AI
keywords twice, the summary, abstract and authors once.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat
from typing import Any

import numpy as np

from generator.site.arranged import Archive, Entry
from generator.site.render.catalog import ordered, segment_starts, words
from generator.site.render.tex import plain

# The segments' folders, beside the catalog (site/search-index/words-older/, ...).
OLDER, NEWER = "words-older", "words-newer"
VERSION = 1
FIRST = 64  # papers in a word's first chunk (inline in its dictionary bucket)
GROWTH = 4  # each later chunk this many times the one before
BUCKET_BYTES = 6_000  # a dictionary bucket's aimed size, compressed
PACK_BYTES = 8_000  # later chunks are packed into files of about this size, raw
K1, B = 1.2, 0.75  # BM25
FIELD_WEIGHTS = (("title", 5.0), ("keywords", 2.0), ("summary", 1.0), ("abstract", 1.0))
AUTHOR_WEIGHT = 1.0
# Words too common to tell papers apart: neither indexed nor searched for.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "we",
        "which",
        "with",
    ]
)


def stem(word: str) -> str:
    """Plurals folded, and nothing else (Harman's S stemmer): "models" is "model"."""
    if len(word) > 3 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


def terms(text: str) -> list[str]:
    """The index's words of `text`, in order (a query is cut the same way)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class Terms(dict[str, str | None]):
    """word -> its term (None for a stopword), worked out once per distinct word."""

    def __missing__(self, word: str) -> str | None:
        value = None if word in STOPWORDS else stem(word)
        self[word] = value
        return value


def weighted_terms(entry: Entry, cut: Terms | None = None) -> dict[str, float]:
    """Each term of a paper with its weighted count."""
    cut = cut if cut is not None else Terms()
    paper = entry.paper
    texts = {
        "title": plain(paper.title),
        "keywords": " ".join(paper.ai_keywords),
        "summary": paper.ai_summary or "",
        "abstract": paper.abstract or "",
    }
    fields = [(weight, texts[name]) for name, weight in FIELD_WEIGHTS]
    fields += [(AUTHOR_WEIGHT, name) for name in paper.authors]
    found: dict[str, float] = defaultdict(float)
    for weight, text in fields:
        for word, count in Counter(words(text)).items():
            term = cut[word]
            if term is not None:
                found[term] += weight * count
    return found


@dataclass(frozen=True)
class Stats:
    """What impacts are computed with: the papers, their average weighted length, and
    how many papers have each term. A segment of the newest papers is scored with the
    statistics of the papers before it added to its own, so the two add up."""

    papers: int
    average: float
    df: dict[str, int]


@dataclass(frozen=True)
class Postings:
    """Every term's papers, best first: term i's are [starts[i], starts[i + 1])."""

    papers: int
    terms: list[str]
    starts: Any  # int64 array
    numbers: Any  # int32 array: paper numbers
    impacts: Any  # uint8 array, 1..255
    stats: Stats

    def of(self, term: int) -> tuple[Any, Any]:
        a, b = self.starts[term], self.starts[term + 1]
        return self.numbers[a:b], self.impacts[a:b]


def postings(entries: Sequence[Entry], first: int = 0, before: Stats | None = None) -> Postings:
    """Each term's papers (numbered from `first`) with their impacts: BM25 of the weighted
    counts, as one byte on a fixed scale (the most a term found in one paper can score).
    `before`: the statistics of the papers before these, for a segment of the newest."""
    cut = Terms()
    ids: dict[str, int] = {}
    # Typed arrays, not lists: a list holds a pointer and an object for each of the
    # millions of (paper, term) pairs, several times the memory (bench/VERSUS-32.md).
    paper_col, term_col, count_col = array("i"), array("i"), array("d")
    for number, entry in enumerate(entries):
        found = weighted_terms(entry, cut)
        paper_col.extend(repeat(number, len(found)))
        term_col.extend([ids.setdefault(t, len(ids)) for t in found])
        count_col.extend(found.values())
    n = len(entries)
    paper = np.frombuffer(paper_col, dtype=np.intc).astype(np.int32, copy=False)
    term = np.frombuffer(term_col, dtype=np.intc).astype(np.int32, copy=False)
    tf = np.frombuffer(count_col, dtype=np.float64)
    df = np.bincount(term, minlength=len(ids))
    length = np.bincount(paper, weights=tf, minlength=n)
    own = dict(zip(ids, df.tolist(), strict=True))
    if before is None:
        stats = Stats(n, float(length.mean()) if n else 1.0, own)
    else:
        merged = {t: before.df.get(t, 0) + d for t, d in own.items()}
        stats = Stats(before.papers + n, before.average, merged)
    total = np.array([stats.df[t] for t in ids], dtype=np.float64)
    idf = np.log1p((stats.papers - total + 0.5) / (total + 0.5))
    norm = K1 * (1 - B + B * length / stats.average)
    score = idf[term] * tf * (K1 + 1) / (tf + norm[paper])
    scale = 255 / (math.log1p((max(stats.papers, 1) - 0.5) / 1.5) * (K1 + 1))
    impact = np.clip(np.rint(score * scale), 1, 255).astype(np.uint8)
    order = np.lexsort((paper, -impact.astype(np.int16), term))
    starts = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
    numbers = (paper[order] + first).astype(np.int32)
    return Postings(n, list(ids), starts, numbers, impact[order], stats)


def index_files(archive: Archive) -> dict[str, bytes]:
    """The whole archive as one segment: path (within the word index) -> bytes."""
    return segment_files(ordered(archive))[0]


def segments(archive: Archive) -> list[tuple[str, int]]:
    """The index's segments, oldest first, each with the number of its first paper: the
    catalog's (catalog.segment_starts), so a new day re-indexes at most two months."""
    starts = segment_starts(archive)
    return list(zip([OLDER, NEWER][-len(starts) :], starts, strict=True))


def segment_files(
    entries: Sequence[Entry], first: int = 0, before: Stats | None = None
) -> tuple[dict[str, bytes], Stats]:
    """The word index of `entries` (numbered from `first`; scored with `before`, the
    statistics of the papers before them, if any): path -> bytes, and its statistics,
    which a newer segment is scored with."""
    found = postings(entries, first, before)
    chunks = _chunks(found)
    packs: list[bytearray] = [bytearray()]
    encoded: dict[str, bytes] = {}
    for i in sorted(range(len(found.terms)), key=found.terms.__getitem__):
        encoded[found.terms[i]] = _entry(found.terms[i], chunks[i], packs)
    buckets = _bucket_count(sum(len(e) for e in encoded.values()))
    grouped: dict[int, bytearray] = {}
    for term in sorted(encoded):
        grouped.setdefault(fnv1a(term) % buckets, bytearray()).extend(encoded[term])
    files = {f"d/{b}.bin": _gzip(blob) for b, blob in sorted(grouped.items())}
    files.update({f"c/{i}.bin": _gzip(pack) for i, pack in enumerate(packs) if pack})
    meta = {
        "version": VERSION,
        "v": files_digest(files),
        "first": first,
        "papers": found.papers,
        "buckets": buckets,
        "stopwords": sorted(STOPWORDS),
    }
    files["meta.json"] = (json.dumps(meta, separators=(",", ":")) + "\n").encode()
    return files, found.stats


def files_digest(files: Mapping[str, bytes]) -> str:
    """What a segment's files are: meta.json carries it, and the search page puts it in
    the addresses of the files (`?v=`), so a browser never mixes two versions."""
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(f"{path}\0{len(files[path])}\0".encode() + files[path])
    return digest.hexdigest()[:16]


# A chunk as the files hold it: its paper count, its best impact, its bytes.
Chunk = tuple[int, int, bytes]


def _chunks(found: Postings) -> list[list[Chunk]]:
    """Every term's chunks, encoded all at once (a loop per term costs seconds). Columns
    of millions of pairs: 32-bit, each dropped once used, since this is a build's peak
    of memory (bench/VERSUS-32.md)."""
    starts, count = found.starts, len(found.numbers)
    term = np.repeat(np.arange(len(found.terms), dtype=np.int32), np.diff(starts))
    rank = np.arange(count, dtype=np.int32) - starts[term].astype(np.int32)
    bounds = np.cumsum([FIRST * GROWTH**j for j in range(16)])
    chunk = np.searchsorted(bounds, rank, side="right").astype(np.int32)
    del rank
    # Within a chunk, papers by number (delta-coded); the best impact is the chunk's
    # first in the best-first order.
    order = np.lexsort((found.numbers, chunk, term)).astype(np.int32)
    numbers, impacts = found.numbers[order], found.impacts[order]
    terms_of = term[order]
    del term
    key = terms_of * 64 + chunk[order]
    del chunk, order
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    del key
    previous = np.r_[0, numbers[:-1]]
    previous[first] = 0
    deltas, widths = varints_of(numbers - previous)
    del previous, numbers
    byte_at = np.r_[0, np.cumsum(widths)]
    del widths
    best = np.maximum.reduceat(impacts, first) if count else impacts
    out: list[list[Chunk]] = [[] for _ in found.terms]
    edges = [*first.tolist(), count]
    raw = impacts.tobytes()
    for c, (a, b) in enumerate(pairwise(edges)):
        blob = varint(b - a) + deltas[byte_at[a] : byte_at[b]] + raw[a:b]
        out[int(terms_of[a])].append((b - a, int(best[c]), blob))
    return out


def _entry(term: str, chunks: Sequence[Chunk], packs: list[bytearray]) -> bytes:
    """A term's dictionary entry: its key, paper count, chunk table and first chunk; its
    later chunks are appended to `packs`."""
    key = term.encode("utf-8")
    total = sum(size for size, _, _ in chunks)
    out = bytearray(varint(len(key)) + key + varint(total) + varint(len(chunks)))
    for k, (size, best, blob) in enumerate(chunks):
        out += varint(size) + bytes([best])
        if k == 0:
            out += blob
            continue
        if packs[-1] and len(packs[-1]) + len(blob) > PACK_BYTES:
            packs.append(bytearray())
        out += varint(len(packs) - 1) + varint(len(packs[-1])) + varint(len(blob))
        packs[-1] += blob
    return bytes(out)


def _bucket_count(raw_bytes: int) -> int:
    """A power of two near the dictionary's size in buckets of BUCKET_BYTES compressed
    (about 2.5:1)."""
    wanted = max(1.0, raw_bytes / (BUCKET_BYTES * 2.5))
    return 1 << max(0, round(math.log2(wanted)))


def fnv1a(text: str) -> int:
    """The 32-bit FNV-1a hash of `text`'s UTF-8 (the search page's is the same)."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def varint(n: int) -> bytes:
    """`n` (non-negative) as LEB128: seven bits a byte, low first."""
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def varints_of(values: Any) -> tuple[bytes, Any]:
    """LEB128 of many non-negative integers below 2**28, at numpy's speed, with each
    one's width in bytes."""
    v = np.asarray(values, dtype=np.int64).astype(np.uint32)
    size = (1 + (v >= 1 << 7) + (v >= 1 << 14) + (v >= 1 << 21)).astype(np.uint8)
    out = np.zeros((len(v), 4), dtype=np.uint8)
    for k in range(4):
        out[:, k] = ((v >> (7 * k)) & 0x7F) | ((size > k + 1) << 7)
    return bytes(out[np.arange(4) < size[:, None]].tobytes()), size


def _gzip(data: bytes | bytearray) -> bytes:
    return gzip.compress(bytes(data), 6, mtime=0)  # no time in the header: same bytes
