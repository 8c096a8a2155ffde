"""Related papers: the five papers whose titles and abstracts are nearest each paper's.

Each paper is a TF-IDF vector of its words (the title counted twice: it says what the
paper is about in few words), cut to its TERMS weightiest words and normalized; papers
are near by the cosine of their vectors, as in arxiv-sanity. Two choices make the
neighbours a function of the two papers alone, so that a daily build is exact and local:

- **The IDF is fixed**, read from `related_words.txt` (document frequencies of words
  over a reference set of real abstracts, made by tools/word_frequencies.py), not from
  the archive: with the archive's own frequencies every new day would move every weight
  a little, and so every paper's neighbours and every page.
- **Weights are integers** (SCALE), so a similarity is an exact integer whatever order
  its products are summed in: a paper's list comes out the same computed alone, in a
  block, or merged from yesterday's list and today's new papers.

Ties are broken by paper id. `Neighbours` holds the lists; `related_cache.py` keeps them
between builds and computes only what a change can move.

The products are sparse matrix products kept to the top few per row, by
sparse_dot_topn (C++), measured against scipy's whole product and a pure-Python inverted
index on the same vectors in bench/RELATED.md.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sparse_dot_topn import sp_matmul_topn

from generator.models import Paper
from generator.site.arranged import Archive, Entry
from generator.site.digest import digest

SHOWN = 5
TERMS = 24
SCALE = 1 << 16
BLOCK = 2000  # documents split into words at once
# Asked of the product beyond SHOWN and the paper itself: a list is exact unless the
# last one asked ties with the last one kept, and then its row is made in full.
SPARE = 3
WORDS_FILE = Path(__file__).with_name("related_words.txt")
WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
# Everything but letters, digits and hyphens splits words (other scripts' letters stay).
_SPACES = str.maketrans(dict.fromkeys(string.punctuation.replace("-", "") + "\u2013\u2014", " "))
# Words that say nothing of a paper's subject, however rare the reference finds them.
STOP_WORDS = frozenset(
    """a about above after again all also an and any are as at be been before being below
    between both but by can could did do does doing during each few for from further had has
    have having here how if in into is it its itself just more most no nor not of off on
    once only or other our ours out over own same she should so some such than that the
    their them then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your via using use
    used uses based new show shows shown propose proposed paper approach method methods
    results work study across within without however thus therefore well often""".split()  # noqa: SIM905 - a list of words is read as words
)

Scored = tuple[int, str]  # (similarity, paper id)


@functools.cache
def idf_table() -> tuple[dict[str, float], float]:
    """Word -> inverse document frequency, and the IDF of a word the reference never saw."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    documents = int(lines[0].split()[-1])
    idf = {}
    for line in lines[1:]:
        word, count = line.split("\t")
        idf[word] = math.log((1 + documents) / (1 + int(count))) + 1
    return idf, math.log(1 + documents) + 1


def document(paper: Paper) -> str:
    return f"{paper.title}\n{paper.title}\n{paper.abstract or ''}"


def text_digest(paper: Paper) -> str:
    """What a paper's vector is made from: a new digest, a new vector."""
    return digest(document(paper))


Vector = list[tuple[str, int]]  # (word, weight), by word


def vectors(texts: Sequence[str]) -> list[Vector]:
    """Each document's TERMS weightiest words with their integer weights. Made a block
    of documents at a time in C (str.translate and split, numpy), which bounds the words
    held at once: word by word in Python it took most of the time (bench/RESULTS.md)."""
    out: list[Vector] = []
    for start in range(0, len(texts), BLOCK):
        out += _block(texts[start : start + BLOCK])
    return out


def _block(texts: Sequence[str]) -> list[Vector]:
    tokens: list[str] = []
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = text.lower().translate(_SPACES).split()
        tokens += found
        lengths[i] = len(found)
    raw = sorted(set(tokens))
    vocabulary, column = _words_of(raw)
    position = dict(zip(raw, column, strict=True))
    size = max(len(vocabulary), 1)
    word_ids = np.fromiter(map(position.__getitem__, tokens), np.int64, len(tokens))
    docs = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    kept = word_ids >= 0
    pairs, counts = np.unique(docs[kept] * size + word_ids[kept], return_counts=True)
    doc, word = pairs // size, pairs % size
    weight = (1 + np.log(counts)) * _idf_of(vocabulary)[word]
    # The TERMS weightiest words, ties by word (the vocabulary is alphabetical).
    order = np.lexsort((word, -weight, doc))
    doc, word, weight = doc[order], word[order], weight[order]
    starts = np.searchsorted(doc, np.arange(len(texts)))
    top = np.arange(len(doc)) - starts[doc] < TERMS
    doc, word, weight = doc[top], word[top], weight[top]
    norm = np.sqrt(np.bincount(doc, weights=weight * weight, minlength=len(texts)))
    values = np.rint(weight / norm[doc] * SCALE).astype(np.int64).tolist()
    out: list[Vector] = [[] for _ in texts]
    for d, w, v in zip(doc.tolist(), word.tolist(), values, strict=True):
        out[d].append((vocabulary[w], v))
    return [sorted(v) for v in out]


def matrix(rows: Sequence[Vector]) -> Any:
    """The vectors as one sparse integer matrix, a row each (columns: words, sorted)."""
    return matrix_and_words(rows)[0]


def matrix_and_words(rows: Sequence[Vector], words: Sequence[str] = ()) -> tuple[Any, list[str]]:
    """The vectors as a sparse integer matrix, and the word of each column: `words` first
    (a matrix made before, which this one must line up with), then the others, sorted."""
    known = set(words)
    vocabulary = [*words, *sorted({w for v in rows for w, _ in v} - known)]
    position = {w: i for i, w in enumerate(vocabulary)}
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(v) for v in rows])
    size = int(indptr[-1])
    columns = np.fromiter((position[w] for v in rows for w, _ in v), np.int64, size)
    data = np.fromiter((x for v in rows for _, x in v), np.int64, size)
    shape = (len(rows), max(len(vocabulary), 1))
    return sp.csr_matrix((data, columns, indptr), shape=shape), vocabulary


def _words_of(raw: Sequence[str]) -> tuple[list[str], list[int]]:
    """The words the split found, as vocabulary words: their column in the sorted
    vocabulary, or -1 for what is not a word (numbers, stray hyphens, stop words)."""
    words = [w.strip("-") for w in raw]
    vocabulary = sorted({w for w in words if WORD.fullmatch(w) and w not in STOP_WORDS})
    position = {w: i for i, w in enumerate(vocabulary)}
    return vocabulary, [position.get(w, -1) for w in words]


def _idf_of(vocabulary: Sequence[str]) -> Any:
    """The IDF of each word of `vocabulary`."""
    idf, unseen = idf_table()
    return np.array([idf.get(w, unseen) for w in vocabulary])


@dataclass
class Neighbours:
    """Each paper's nearest, best first: (similarity, id), at most SHOWN of them."""

    ids: list[str]
    lists: dict[str, list[Scored]]

    def of(self, paper_id: str) -> list[Scored]:
        return self.lists.get(paper_id, [])


def ranked(candidates: Iterable[Scored]) -> list[Scored]:
    """The SHOWN best of (similarity, id): highest first, ties by id; none of 0."""
    best = sorted({c for c in candidates if c[0] > 0}, key=lambda c: (-c[0], c[1]))
    return best[:SHOWN]


def nearest(x: Any, rows: Sequence[int], ids: Sequence[str]) -> dict[str, list[Scored]]:
    """The neighbours of the papers at `rows` among all rows of `x`."""
    if not rows:
        return {}
    ask = SHOWN + 1 + SPARE
    product = sp_matmul_topn(x[list(rows)], x.T.tocsr(), top_n=ask, sort=True)
    out: dict[str, list[Scored]] = {}
    full: list[int] = []
    for k, row in enumerate(rows):
        start, end = product.indptr[k], product.indptr[k + 1]
        found = [
            (int(s), ids[j])
            for s, j in zip(product.data[start:end], product.indices[start:end], strict=True)
            if j != row
        ]
        best = ranked(found)
        if end - start == ask and len(best) == SHOWN and int(product.data[end - 1]) >= best[-1][0]:
            full.append(row)  # the cut fell inside a tie: which ones it kept is arbitrary
        out[ids[row]] = best
    for row in full:
        scores = (x[row] @ x.T).toarray().ravel()
        out[ids[row]] = ranked((int(s), ids[j]) for j, s in enumerate(scores) if j != row)
    return out


def pair_scores(x: Any, rows: Sequence[int], against: Sequence[int]) -> Any:
    """Similarities of the papers at `rows` with those at `against` (sparse)."""
    return (x[list(rows)] @ x[list(against)].T).tocoo()


def compute(papers: Sequence[Paper]) -> Neighbours:
    """Every paper's neighbours, from nothing."""
    ids = [p.id for p in papers]
    x = matrix(vectors([document(p) for p in papers]))
    return Neighbours(ids, nearest(x, range(len(ids)), ids))


def entries_of(archive: Archive, found: Neighbours) -> Mapping[str, tuple[Entry, ...]]:
    """Each paper's neighbours as the archive's entries, for the cards."""
    get = archive.entries.get
    return {
        pid: tuple([entry for _, n in pairs if (entry := get(n)) is not None])
        for pid, pairs in found.lists.items()
    }
