"""Merging fetched records into the archive: one paper per id, nothing ever dropped.

Pure functions. The newer record's value wins for every field it has; a field the newer
record lacks keeps the archived value, so an early fetch without AI fields and a late one
without comments add up instead of erasing each other. "Newer" is the later `fetched_at`
when both records know it, otherwise the incoming record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from .models import Links, Paper

# Never taken from the incoming record: the day is where the paper was first archived,
# and the id is the identity itself.
_FIXED = frozenset({"id", "day"})
_BOOKKEEPING = frozenset({"fetched_at", "source"})


def _has_value(value: object) -> bool:
    return value is not None and value != () and value != Links()


def merge_paper(archived: Paper, incoming: Paper) -> Paper:
    """`archived` updated with what `incoming` knows; `archived` itself when nothing changes."""
    newer, older = (incoming, archived)
    if (
        incoming.fetched_at is not None
        and archived.fetched_at is not None
        and incoming.fetched_at < archived.fetched_at
    ):
        newer, older = archived, incoming
    changes: dict[str, object] = {}
    for f in fields(Paper):
        if f.name in _FIXED or f.name in _BOOKKEEPING:
            continue
        value = _pick(f.name, getattr(newer, f.name), getattr(older, f.name))
        if value != getattr(archived, f.name):
            changes[f.name] = value
    if changes.get("authors"):
        changes["author_count"] = len(changes["authors"])  # type: ignore[arg-type]
    if not changes:
        return archived
    changes["fetched_at"] = newer.fetched_at or older.fetched_at
    changes["source"] = newer.source or older.source
    return archived.with_changes(**changes)


def _pick(name: str, newer: object, older: object) -> object:
    if isinstance(newer, Links) and isinstance(older, Links):
        return newer.merged_over(older)
    return newer if _has_value(newer) else older


@dataclass
class MergeResult:
    papers: dict[str, Paper]  # the whole archive after the merge, by id
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    changed_days: set[date] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)  # one line each, for the user


def _fold_duplicates(incoming: Iterable[Paper]) -> list[Paper]:
    """One record per id: a batch that lists a paper twice is merged with itself first, so
    merging the same batch again finds nothing to change."""
    folded: dict[str, Paper] = {}
    for paper in incoming:
        earlier = folded.get(paper.id)
        folded[paper.id] = paper if earlier is None else merge_paper(earlier, paper)
    return list(folded.values())


def merge_all(archived: dict[str, Paper], incoming: Iterable[Paper]) -> MergeResult:
    """Fold incoming records into the archive (a new dict; `archived` is not modified)."""
    result = MergeResult(papers=dict(archived))
    for paper in _fold_duplicates(incoming):
        current = result.papers.get(paper.id)
        if current is None:
            result.papers[paper.id] = paper
            result.added.append(paper.id)
            result.changed_days.add(paper.day)
            continue
        if paper.day != current.day:
            result.notices.append(
                f"paper {paper.id}: listed on {paper.day} but already archived on "
                f"{current.day}; kept on {current.day}"
            )
        merged = merge_paper(current, paper)
        if merged is not current:
            result.papers[paper.id] = merged
            if paper.id not in result.added and paper.id not in result.updated:
                result.updated.append(paper.id)
            result.changed_days.add(current.day)
    return result
