"""Related papers between builds: a daily build computes only what its change can move.

The build folder keeps (`related.json`, JSON like every cache there) the papers' ids, the
digests of the text their vectors are made from, the vectors as one sparse matrix (its
arrays and the word of each column) and each paper's neighbours. A paper's similarity to
another depends on the two papers alone (related.py), so with the papers whose text is
new or changed (and those gone) known:

- a new or changed paper gets its neighbours among all papers;
- a paper whose list held a changed or removed paper is listed again in full;
- every other paper keeps its list, merged with its similarities to the new papers,
  which can only push out its weakest.

That is exactly what computing everything anew gives (tests/test_related.py checks it),
at the cost of reading the matrix and one product of the new papers against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from generator.models import Paper
from generator.site.buildfolder import BuildFolder
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


@dataclass
class _Stored:
    ids: list[str]
    digests: list[str]
    words: list[str]
    x: Any  # csr_matrix, a row per paper of `ids`
    lists: list[list[Scored]]


def neighbours(papers: Sequence[Paper], folder: BuildFolder | None) -> Neighbours:
    """Every paper's neighbours, reusing the build folder's where they still hold."""
    old = _read(folder) if folder is not None else None
    ids = [p.id for p in papers]
    digests = [text_digest(p) for p in papers]
    at = {pid: j for j, pid in enumerate(old.ids)} if old else {}
    was = [at.get(pid, -1) for pid in ids]
    if old:
        was = [
            j if j >= 0 and old.digests[j] == d else -1 for j, d in zip(was, digests, strict=True)
        ]
    fresh = [i for i, j in enumerate(was) if j < 0]
    if old is None or len(fresh) > ANEW * len(ids):
        x, words = matrix_and_words(vectors([document(p) for p in papers]))
        lists = nearest(x, range(len(ids)), ids)
    else:
        x, words = _lined_up(old, was, fresh, papers)
        lists = _merged(x, ids, was, fresh, old)
    found = Neighbours(ids, lists)
    if folder is not None and not (old and not fresh and old.ids == ids):
        _write(folder, ids, digests, words, x, found)
    return found


def _lined_up(
    old: _Stored, was: Sequence[int], fresh: Sequence[int], papers: Sequence[Paper]
) -> tuple[Any, list[str]]:
    """The matrix of today's papers, in their order: the kept rows of the stored matrix
    and the fresh papers' vectors, on one set of columns."""
    new, words = matrix_and_words(vectors([document(papers[i]) for i in fresh]), old.words)
    stored = old.x.copy()
    stored.resize((stored.shape[0], len(words) or 1))
    both = sp.vstack([stored, new], format="csr")
    slot = {i: k for k, i in enumerate(fresh)}
    rows = [j if j >= 0 else stored.shape[0] + slot[i] for i, j in enumerate(was)]
    return both[rows], words


def _merged(
    x: Any, ids: Sequence[str], was: Sequence[int], fresh: Sequence[int], old: _Stored
) -> dict[str, list[Scored]]:
    kept_ids = {ids[i] for i, j in enumerate(was) if j >= 0}
    changed = {ids[i] for i in fresh} | (set(old.ids) - kept_ids)  # new, changed or gone
    known = [i for i, j in enumerate(was) if j >= 0]
    again = [i for i in known if any(n in changed for _, n in old.lists[was[i]])]
    lists = nearest(x, [*fresh, *again], ids)
    kept = [i for i in known if ids[i] not in lists]
    for i in kept:
        lists[ids[i]] = old.lists[was[i]]
    if fresh and kept:
        scores = pair_scores(x, kept, fresh)
        # Only a new paper at least as near as a list's last can enter it.
        last = np.array([_last(lists[ids[i]]) for i in kept], dtype=np.int64)
        enters = scores.data >= last[scores.row]
        moved: dict[str, list[Scored]] = {}
        for r, c, s in zip(
            scores.row[enters], scores.col[enters], scores.data[enters], strict=True
        ):
            pid = ids[kept[r]]
            moved.setdefault(pid, list(lists[pid])).append((int(s), ids[fresh[c]]))
        lists.update((pid, ranked(found)) for pid, found in moved.items())
    return lists


def _last(found: Sequence[Scored]) -> int:
    """The similarity a paper must reach to enter a list: its last's, if the list is full."""
    return found[-1][0] if len(found) >= SHOWN else 1


def _read(folder: BuildFolder) -> _Stored | None:
    """The stored matrix and lists, or None when there are none (or they do not hold)."""
    value = folder.read(folder.related)
    try:
        ids, digests, words = value["ids"], value["digests"], value["words"]
        indptr = np.asarray(value["indptr"], dtype=np.int64)
        shape = (len(ids), max(len(words), 1))
        x = sp.csr_matrix(
            (
                np.asarray(value["weights"], dtype=np.int64),
                np.asarray(value["columns"], dtype=np.int64),
                indptr,
            ),
            shape=shape,
        )
        lists = [
            [(int(row[k]), str(row[k + 1])) for k in range(0, len(row), 2)]
            for row in value["lists"]
        ]
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if not (len(ids) == len(digests) == len(lists) == len(indptr) - 1):
        return None
    return _Stored(list(ids), list(digests), list(words), x, lists)


def _write(
    folder: BuildFolder,
    ids: Sequence[str],
    digests: Sequence[str],
    words: Sequence[str],
    x: Any,
    found: Neighbours,
) -> None:
    x = x.tocsr()
    folder.write(
        folder.related,
        {
            "ids": list(ids),
            "digests": list(digests),
            "words": list(words),
            "indptr": x.indptr.tolist(),
            "columns": x.indices.tolist(),
            "weights": x.data.tolist(),
            "lists": [[v for pair in found.of(pid) for v in pair] for pid in ids],
        },
    )
