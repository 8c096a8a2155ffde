"""Related papers between builds: a daily build computes only what its change can move.

A memo of the build folder (memo.py, `related.json`) keeps, for each paper by the digest
of the text its vector is made from, its vector (columns and weights, the columns' words
shared by all) and its neighbours. A paper's similarity to another depends on the two
papers alone (related.py), so with the papers whose text is new or changed (and those
gone) known from the memo:

- a new or changed paper gets its neighbours among all papers;
- a paper whose list held a changed or removed paper is listed again in full;
- every other paper keeps its list, merged with its similarities to the new papers,
  which can only push out its weakest.

That is exactly what computing everything anew gives (tests/test_related.py checks it),
at the cost of reading the matrix and one product of the new papers against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any, TypeGuard

import numpy as np
import scipy.sparse as sp

from generator.models import Paper
from generator.site.buildfolder import BuildFolder
from generator.site.memo import Memo
from generator.site.related import (
    SHOWN,
    Neighbours,
    Scored,
    document,
    matrix_and_words,
    nearest,
    pair_scores,
    ranked,
    text_digest,
    vectors,
)

# Past this share of changed papers, computing everything is cheaper than merging.
ANEW = 0.5
# A paper's entry: [its vector's columns, their weights, its neighbours as a flat list of
# similarity, id, similarity, id...].
Entry = list[Any]


def memo_of(folder: BuildFolder) -> Memo:
    return Memo(folder, folder.related)


def neighbours(papers: Sequence[Paper], memo: Memo | None) -> Neighbours:
    """Every paper's neighbours, reusing the memo's where they still hold (and saving it)."""
    ids = [p.id for p in papers]
    if memo is None:
        return _anew(papers)[0]
    digests = [text_digest(p) for p in papers]
    shared = memo.shared.get("words")
    words: list[str] = shared if _words(shared) else []
    kept: list[Entry | None] = [None] * len(ids)
    if words:
        for i, (pid, key) in enumerate(zip(ids, digests, strict=True)):
            found = memo.get(pid, key)
            kept[i] = found.value if found is not None and _entry(found.value) else None
    fresh = [i for i, entry in enumerate(kept) if entry is None]
    stored = _stored(kept, len(words)) if words else None
    if stored is None or len(fresh) > ANEW * len(ids):
        lists, x, words = _anew(papers)
        changed: Sequence[int] = range(len(ids))
    else:
        x, words = _lined_up(stored, kept, fresh, papers, words)
        lists = Neighbours(ids, _merged(x, ids, kept, fresh, memo.dropped()))
        changed = [i for i, e in enumerate(kept) if e is None or _flat(lists.of(ids[i])) != e[2]]
    memo.share("words", list(words))
    for i in changed:
        memo.put(ids[i], digests[i], _entry_of(x, i, lists.of(ids[i])))
    memo.save()
    return lists


def _anew(papers: Sequence[Paper]) -> tuple[Neighbours, Any, list[str]]:
    """Every paper's neighbours computed from nothing, with the matrix and its words."""
    ids = [p.id for p in papers]
    x, words = matrix_and_words(vectors([document(p) for p in papers]))
    return Neighbours(ids, nearest(x, range(len(ids)), ids)), x.tocsr(), words


def _words(value: object) -> TypeGuard[list[str]]:
    return isinstance(value, list) and all(isinstance(w, str) for w in value)


def _entry(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(part, list) for part in value)
        and len(value[0]) == len(value[1])
        and len(value[2]) % 2 == 0
    )


def _stored(kept: Sequence[Entry | None], width: int) -> Any | None:
    """The kept papers' vectors as one matrix (a row per kept paper, in order), or None
    when the memo's entries do not hold together."""
    rows = [entry for entry in kept if entry is not None]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(entry[0]) for entry in rows])
    size = int(indptr[-1])
    try:
        columns = np.fromiter(chain.from_iterable(e[0] for e in rows), np.int64, size)
        weights = np.fromiter(chain.from_iterable(e[1] for e in rows), np.int64, size)
    except (TypeError, ValueError):
        return None
    if size and (columns.min() < 0 or columns.max() >= width):
        return None
    return sp.csr_matrix((weights, columns, indptr), shape=(len(rows), max(width, 1)))


def _lined_up(
    stored: Any,
    kept: Sequence[Entry | None],
    fresh: Sequence[int],
    papers: Sequence[Paper],
    words: Sequence[str],
) -> tuple[Any, list[str]]:
    """The matrix of today's papers, in their order: the kept papers' stored rows and the
    fresh papers' vectors, on one set of columns."""
    new, words = matrix_and_words(vectors([document(papers[i]) for i in fresh]), words)
    stored = stored.copy()
    stored.resize((stored.shape[0], len(words) or 1))
    both = sp.vstack([stored, new], format="csr")
    slot = {i: k for k, i in enumerate(fresh)}
    rows, next_kept = [], 0
    for i, entry in enumerate(kept):
        if entry is None:
            rows.append(stored.shape[0] + slot[i])
        else:
            rows.append(next_kept)
            next_kept += 1
    return both[rows], words


def _merged(
    x: Any,
    ids: Sequence[str],
    kept: Sequence[Entry | None],
    fresh: Sequence[int],
    gone: set[str],
) -> dict[str, list[Scored]]:
    changed = {ids[i] for i in fresh} | gone  # new, changed or removed
    old = {i: _pairs(entry[2]) for i, entry in enumerate(kept) if entry is not None}
    known = list(old)
    again = [i for i in known if any(n in changed for _, n in old[i])]
    lists = nearest(x, [*fresh, *again], ids)
    unmoved = [i for i in known if ids[i] not in lists]
    for i in unmoved:
        lists[ids[i]] = old[i]
    if fresh and unmoved:
        scores = pair_scores(x, unmoved, fresh)
        # Only a new paper at least as near as a list's last can enter it.
        last = np.array([_last(lists[ids[i]]) for i in unmoved], dtype=np.int64)
        enters = scores.data >= last[scores.row]
        moved: dict[str, list[Scored]] = {}
        for r, c, s in zip(
            scores.row[enters], scores.col[enters], scores.data[enters], strict=True
        ):
            pid = ids[unmoved[r]]
            moved.setdefault(pid, list(lists[pid])).append((int(s), ids[fresh[c]]))
        lists.update((pid, ranked(found)) for pid, found in moved.items())
    return lists


def _last(found: Sequence[Scored]) -> int:
    """The similarity a paper must reach to enter a list: its last's, if the list is full."""
    return found[-1][0] if len(found) >= SHOWN else 1


def _pairs(flat: Sequence[Any]) -> list[Scored]:
    return [(int(flat[k]), str(flat[k + 1])) for k in range(0, len(flat) - 1, 2)]


def _flat(found: Sequence[Scored]) -> list[Any]:
    return [v for pair in found for v in pair]


def _entry_of(x: Any, row: int, found: Sequence[Scored]) -> Entry:
    start, end = x.indptr[row], x.indptr[row + 1]
    return [x.indices[start:end].tolist(), x.data[start:end].tolist(), _flat(found)]
