"""Related papers between builds: a daily build computes only what its change can move.

A memo of the build folder (memo.py, `related.json`) keeps, for each paper by the digest
of the text its vector is made from, its neighbours; the vectors themselves are one sparse
matrix beside it (`related-vectors.bin`: plain little-endian integer arrays, a row per
paper, whose order, size and digest the memo records), read in a few milliseconds where
the same numbers as JSON took seconds at 100,000 papers (bench/VERSUS-32.md). A paper's
similarity to another depends on the two papers alone (related.py), so with the papers
whose text is new or changed (and those gone) known from the memo:

- a new or changed paper gets its neighbours among all papers;
- a paper whose list held a changed or removed paper is listed again in full;
- every other paper keeps its list, merged with its similarities to the new papers,
  which can only push out its weakest.

That is exactly what computing everything anew gives (tests/test_related.py checks it),
at the cost of reading the matrix and one product of the new papers against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeGuard

import numpy as np
import scipy.sparse as sp

from generator.fileio import write_if_changed
from generator.models import Paper
from generator.site.buildfolder import BuildFolder
from generator.site.digest import digest
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
# A paper's entry: its neighbours as a flat list of similarity, id, similarity, id...
Entry = list[Any]
# The memo's shared record of the vectors' file: the paper of each row, the number of
# stored weights, and the file's digest.
VECTORS = "vectors"
# The file's arrays, in order: row starts (rows + 1), columns and weights (one per weight).
_STARTS, _NUMBERS = np.dtype("<i8"), np.dtype("<i4")


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
    stored = _stored_vectors(memo, len(words)) if words else None
    rows = stored[1] if stored is not None else {}
    kept: list[Entry | None] = [None] * len(ids)
    kept_rows: list[int] = []
    for i, (pid, key) in enumerate(zip(ids, digests, strict=True)):
        row = rows.get(pid)
        if row is None:
            continue
        found = memo.get(pid, key)
        if found is not None and _entry(found.value):
            kept[i] = found.value
            kept_rows.append(row)
    fresh = [i for i, entry in enumerate(kept) if entry is None]
    if stored is None or len(fresh) > ANEW * len(ids):
        lists, x, words = _anew(papers)
        changed: Sequence[int] = range(len(ids))
    else:
        x, words = _lined_up(stored[0][kept_rows], kept, fresh, papers, words)
        merged, touched = _merged(x, ids, kept, fresh, memo.dropped())
        lists = Neighbours(ids, merged)
        changed = [
            i
            for i, e in enumerate(kept)
            if e is None or (ids[i] in touched and _flat(lists.of(ids[i])) != e)
        ]
    memo.share("words", list(words))
    memo.share(VECTORS, _save_vectors(memo, x, ids))
    for i in changed:
        memo.put(ids[i], digests[i], _flat(lists.of(ids[i])))
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
    return isinstance(value, list) and len(value) % 2 == 0


def _stored_vectors(memo: Memo, width: int) -> tuple[Any, dict[str, int]] | None:
    """The vectors the memo was saved with, and the row of each paper; None when the
    file is missing or is not the one the memo recorded."""
    record = memo.shared.get(VECTORS)
    if not isinstance(record, dict):
        return None
    ids, size, recorded = record.get("ids"), record.get("weights"), record.get("digest")
    if not (isinstance(ids, list) and isinstance(size, int) and isinstance(recorded, str)):
        return None
    try:
        raw = memo.folder.related_vectors.read_bytes()
    except OSError:
        return None
    starts_end = (len(ids) + 1) * _STARTS.itemsize
    if len(raw) != starts_end + 2 * size * _NUMBERS.itemsize or digest(raw) != recorded:
        return None
    indptr = np.frombuffer(raw, _STARTS, len(ids) + 1)
    numbers = np.frombuffer(raw, _NUMBERS, 2 * size, offset=starts_end).astype(np.int64)
    columns, weights = numbers[:size], numbers[size:]
    if size and (columns.min() < 0 or columns.max() >= width or indptr[-1] != size):
        return None
    try:
        x = sp.csr_matrix((weights, columns, indptr), shape=(len(ids), max(width, 1)))
    except ValueError:
        return None
    return x, {pid: row for row, pid in enumerate(ids)}


def _save_vectors(memo: Memo, x: Any, ids: Sequence[str]) -> dict[str, Any]:
    """Write the vectors' file (a row per paper of `ids`) and return what the memo records
    of it: written before the memo, which is only read with the file it names."""
    x = x.tocsr()
    x.sort_indices()
    raw = b"".join(
        [
            np.asarray(x.indptr, dtype=_STARTS).tobytes(),
            np.asarray(x.indices, dtype=_NUMBERS).tobytes(),
            np.asarray(x.data, dtype=_NUMBERS).tobytes(),
        ]
    )
    write_if_changed(memo.folder.related_vectors, raw)
    return {"ids": list(ids), "weights": int(x.nnz), "digest": digest(raw)}


def _lined_up(
    stored: Any,
    kept: Sequence[Entry | None],
    fresh: Sequence[int],
    papers: Sequence[Paper],
    words: Sequence[str],
) -> tuple[Any, list[str]]:
    """The matrix of today's papers, in their order: the kept papers' stored rows (a
    matrix of their own, widened here) and the fresh papers' vectors, on one set of
    columns."""
    new, words = matrix_and_words(vectors([document(papers[i]) for i in fresh]), words)
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
) -> tuple[dict[str, list[Scored]], set[str]]:
    """Every paper's list, and the papers whose list may differ from the one kept."""
    changed = {ids[i] for i in fresh} | gone  # new, changed or removed
    old = {i: entry for i, entry in enumerate(kept) if entry is not None}  # flat lists
    again = [i for i, entry in old.items() if not changed.isdisjoint(entry[1::2])]
    lists = nearest(x, [*fresh, *again], ids)
    touched = set(lists)
    unmoved = [i for i in old if ids[i] not in touched]
    for i in unmoved:
        lists[ids[i]] = _pairs(old[i])
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
        touched.update(moved)
    return lists, touched


def _last(found: Sequence[Scored]) -> int:
    """The similarity a paper must reach to enter a list: its last's, if the list is full."""
    return found[-1][0] if len(found) >= SHOWN else 1


def _pairs(flat: Sequence[Any]) -> list[Scored]:
    # zip and map run in C: a daily build turns every kept list back into pairs.
    return list(zip(map(int, flat[0::2]), map(str, flat[1::2]), strict=False))


def _flat(found: Sequence[Scored]) -> list[Any]:
    return [v for pair in found for v in pair]
