"""Related papers between builds: a daily build computes only what its change can move.

The build folder keeps, per paper id, the digest of the text its vector is made from,
the vector, and its neighbours (`related.json`, JSON like every cache there). A paper's
similarity to another depends on the two papers alone (related.py), so with the papers
whose text is new or changed (and those gone) known:

- a new or changed paper gets its neighbours among all papers;
- a paper whose list held a changed or removed paper is listed again in full;
- every other paper keeps its list, merged with its similarities to the new papers,
  which can only push out its weakest.

That is exactly what computing everything anew gives (tests/test_related.py checks it),
at the cost of one product of the new papers against the archive.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .buildfolder import BuildFolder
from .models import Paper
from .related import (
    Neighbours,
    Scored,
    Vector,
    document,
    matrix,
    nearest,
    pair_scores,
    ranked,
    text_digest,
    vectors,
)

_Cached = dict[str, list[Any]]  # id -> [digest, vector as [[word, weight]], [[score, id]]]
# Past this share of changed papers, computing everything is cheaper than merging.
ANEW = 0.5


def neighbours(papers: Sequence[Paper], folder: BuildFolder | None) -> Neighbours:
    """Every paper's neighbours, reusing the build folder's where they still hold."""
    old = _read(folder) if folder is not None else {}
    ids = [p.id for p in papers]
    digests = [text_digest(p) for p in papers]
    known = [i for i, pid in enumerate(ids) if _usable(old.get(pid), digests[i])]
    reusable = set(known)
    fresh = [i for i in range(len(ids)) if i not in reusable]
    made = vectors([document(papers[i]) for i in fresh])
    rows: list[Vector] = [[] for _ in ids]
    for i, vector in zip(fresh, made, strict=True):
        rows[i] = vector
    for i in known:
        rows[i] = [(w, int(x)) for w, x in old[ids[i]][1]]
    x = matrix(rows)
    if len(fresh) > ANEW * len(ids):
        lists = nearest(x, range(len(ids)), ids)
    else:
        lists = _merged(x, ids, known, fresh, old)
    found = Neighbours(ids, lists)
    if folder is not None:
        _write(folder, ids, digests, rows, found, old)
    return found


def _merged(
    x: Any, ids: Sequence[str], known: Sequence[int], fresh: Sequence[int], old: _Cached
) -> dict[str, list[Scored]]:
    present = set(ids)
    changed = {ids[i] for i in fresh} | (set(old) - present)
    again = [i for i in known if any(n in changed for _, n in old[ids[i]][2])]
    lists = nearest(x, [*fresh, *again], ids)
    kept = [i for i in known if ids[i] not in lists]
    candidates: dict[str, list[Scored]] = {
        ids[i]: [(int(s), str(n)) for s, n in old[ids[i]][2]] for i in kept
    }
    if fresh and kept:
        scores = pair_scores(x, kept, fresh)
        for r, c, s in zip(scores.row, scores.col, scores.data, strict=True):
            candidates[ids[kept[r]]].append((int(s), ids[fresh[c]]))
    lists.update((pid, ranked(found)) for pid, found in candidates.items())
    return lists


def _usable(cached: object, digest: str) -> bool:
    return (
        isinstance(cached, list)
        and len(cached) == 3
        and cached[0] == digest
        and isinstance(cached[1], list)
        and isinstance(cached[2], list)
    )


def _read(folder: BuildFolder) -> _Cached:
    papers = folder.read(folder.related).get("papers")
    return papers if isinstance(papers, dict) else {}


def _write(
    folder: BuildFolder,
    ids: Sequence[str],
    digests: Sequence[str],
    rows: Sequence[Vector],
    found: Neighbours,
    old: _Cached,
) -> None:
    new = {
        pid: [digest, [list(t) for t in row], [list(n) for n in found.of(pid)]]
        for pid, digest, row in zip(ids, digests, rows, strict=True)
    }
    if new != old:
        folder.write(folder.related, {"papers": new})
