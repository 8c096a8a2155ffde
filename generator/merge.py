"""Merging fetched records into the archive: one paper per identity, nothing ever dropped.

Pure functions. The newer record's value wins for every field it has; a field the newer
record lacks keeps the archived value, so an early fetch without AI fields and a late one
without comments add up instead of erasing each other. "Newer" is the later `fetched_at`
when both records know it, otherwise the incoming record.

A paper is the same paper under its id, under an id it had before (`aliases`), and, for a
paper known only by its title (a title id, from a scraped page), under the normalised
title of a paper with a real id. When a real id turns up for a paper archived under a
title id, the real id replaces it and the title id becomes an alias, so old anchors and
curation entries keep working. Between a title-id record and a real-id record the real
one's values win, whichever came first (a scraped page is the poorer source); the title
record only fills gaps, so the result does not depend on the order they arrive in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date

from .models import Links, Paper, is_title_id, normalise_title

# Never taken from the incoming record: the day is where the paper was first archived,
# and the id is the identity itself.
_FIXED = frozenset({"id", "day", "aliases"})
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
    aliases = _aliases(archived.id, archived.aliases, incoming.aliases)
    if aliases != archived.aliases:
        changes["aliases"] = aliases
    if not changes:
        return archived
    changes["fetched_at"] = newer.fetched_at or older.fetched_at
    changes["source"] = newer.source or older.source
    return archived.with_changes(**changes)


def _pick(name: str, newer: object, older: object) -> object:
    if isinstance(newer, Links) and isinstance(older, Links):
        return newer.merged_over(older)
    return newer if _has_value(newer) else older


def _aliases(paper_id: str, *groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for group in groups for a in group if a != paper_id))


def renamed(titled: Paper, real: Paper, *, day: date, keep_alias: bool) -> Paper:
    """The paper archived under a title id, merged with `real`, under real's id on `day`.

    The real record's values win (it comes from a richer source) and the title record
    fills the gaps; the title id becomes an alias when it was ever archived, so its anchor
    keeps working.
    """
    merged = merge_paper(titled.with_changes(fetched_at=None), real)
    old = (titled.id,) if keep_alias else ()
    return merged.with_changes(
        id=real.id,
        day=day,
        aliases=_aliases(real.id, real.aliases, titled.aliases, old),
        fetched_at=real.fetched_at or titled.fetched_at,
        source=real.source or titled.source,
    )


@dataclass
class MergeResult:
    papers: dict[str, Paper]  # the whole archive after the merge, by id
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    changed_days: set[date] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)  # one line each, for the user
    removed: dict[str, str] = field(default_factory=dict)  # old id -> the id it now has
    # Days whose file only loses a paper to another day: written last, so an interrupted
    # write leaves the paper twice (merged again next run), never nowhere.
    shrunk_days: set[date] = field(default_factory=set)

    def touch(self, paper_id: str, day: date) -> None:
        if paper_id not in self.added and paper_id not in self.updated:
            self.updated.append(paper_id)
        self.changed_days.add(day)


class _Identities:
    """Which paper of a collection a record is: by id, by alias, or by normalised title.

    Built once per merge (a dict lookup per record afterwards) and kept current as papers
    are added, renamed and merged.
    """

    def __init__(self, papers: dict[str, Paper]) -> None:
        self.papers = papers
        self.alias: dict[str, str] = {}
        self.by_title: dict[str, list[str]] = {}
        # Real ids still to be merged, by title: they make a title just as ambiguous.
        self.coming: dict[str, set[str]] = {}
        for paper in sorted(papers.values(), key=lambda p: p.id):
            self._index(paper)

    def _index(self, paper: Paper) -> None:
        for alias in paper.aliases:
            self.alias.setdefault(alias, paper.id)
        same = self.by_title.setdefault(normalise_title(paper.title), [])
        if paper.id not in same:
            same.append(paper.id)

    def remove(self, paper: Paper) -> None:
        same = self.by_title.get(normalise_title(paper.title), [])
        if paper.id in same:
            same.remove(paper.id)
        for alias in paper.aliases:
            if self.alias.get(alias) == paper.id:
                del self.alias[alias]
        del self.papers[paper.id]

    def put(self, paper: Paper, *replacing: Paper) -> None:
        """Store `paper` in place of the papers it replaces (same or other ids)."""
        for old in replacing:
            self.remove(old)
        self.papers[paper.id] = paper
        self._index(paper)

    def find(self, paper: Paper) -> str | None:
        """The id under which `paper` is already here, if it is."""
        if paper.id in self.papers:
            return paper.id
        if paper.id in self.alias:
            return self.alias[paper.id]
        return self.same_title(paper)

    def same_title(self, paper: Paper) -> str | None:
        """The one paper of the other kind (title id / real id) with this normalised title.

        Only an unambiguous pair matches: a title shared by two real papers says nothing
        about which of them a title id is, whichever of the three comes first.
        """
        title = normalise_title(paper.title)
        others = [i for i in self.by_title.get(title, []) if i != paper.id]
        titled = [i for i in others if is_title_id(i)]
        real = {i for i in others if not is_title_id(i)} | (
            self.coming.get(title, set()) - {paper.id}
        )
        if is_title_id(paper.id):
            return next(iter(real)) if len(real) == 1 else None
        return titled[0] if len(titled) == 1 and not real else None


def _fold_duplicates(incoming: Iterable[Paper]) -> list[Paper]:
    """One record per paper: a batch that lists a paper twice (by id, or by title and real
    id) is merged with itself first, so merging the same batch again finds nothing to change."""
    folded: dict[str, Paper] = {}
    for paper in incoming:
        earlier = folded.get(paper.id)
        folded[paper.id] = paper if earlier is None else merge_paper(earlier, paper)
    ids = _Identities(folded)
    for paper_id in sorted(p for p in folded if is_title_id(p)):
        titled = folded.get(paper_id)
        real_id = ids.same_title(titled) if titled is not None else None
        if titled is None or real_id is None:
            continue
        real = folded[real_id]
        ids.put(renamed(titled, real, day=real.day, keep_alias=False), titled, real)
    return list(folded.values())


def merge_all(archived: dict[str, Paper], incoming: Iterable[Paper]) -> MergeResult:
    """Fold incoming records into the archive (a new dict; `archived` is not modified)."""
    result = MergeResult(papers=dict(archived))
    ids = _Identities(result.papers)
    batch = _fold_duplicates(incoming)
    for paper in batch:
        if not is_title_id(paper.id):
            ids.coming.setdefault(normalise_title(paper.title), set()).add(paper.id)
    for paper in batch:
        target = ids.find(paper)
        if target is None:
            ids.put(paper)
            result.added.append(paper.id)
            result.changed_days.add(paper.day)
        elif is_title_id(target) and not is_title_id(paper.id):
            _rename(ids, result, ids.papers[target], paper)
        else:
            _update(ids, result, ids.papers[target], paper)
    # Last, with every title as this merge leaves it, so the next merge finds no pair.
    ids.coming.clear()
    _fold_pairs(ids, result)
    return result


def _update(ids: _Identities, result: MergeResult, current: Paper, paper: Paper) -> None:
    if paper.day != current.day:
        result.notices.append(
            f"paper {paper.id}: listed on {paper.day} but already archived on "
            f"{current.day}; kept on {current.day}"
        )
    if is_title_id(paper.id) and not is_title_id(current.id):
        # Known by its title only: the real record's values win, this one fills gaps.
        merged = renamed(paper, current, day=current.day, keep_alias=False)
    else:
        merged = merge_paper(current, paper)
    if merged != current:
        ids.put(merged, current)
        result.touch(current.id, current.day)


def _rename(ids: _Identities, result: MergeResult, titled: Paper, real: Paper) -> None:
    """A real id for a paper archived under its title: same day, new id, old id as alias."""
    fresh = titled.id in result.added  # added by this very merge: never published
    merged = renamed(titled, real, day=titled.day, keep_alias=not fresh)
    ids.put(merged, titled)
    if fresh:
        result.added[result.added.index(titled.id)] = merged.id
    else:
        result.removed[titled.id] = merged.id
        kept = f"; kept on {titled.day}, not {real.day}" if real.day != titled.day else ""
        result.notices.append(
            f"paper {titled.id}: now archived as {merged.id}, the same title; the old id "
            f"stays as an alias{kept}"
        )
        result.touch(merged.id, merged.day)
    result.changed_days.add(merged.day)


def _fold_pairs(ids: _Identities, result: MergeResult) -> None:
    """A paper held twice, under a title id and under a real id (that has the title id as
    an alias, or the same title) becomes one paper under the real id. An older version or
    an interrupted run may have archived such a pair; titles changed by this merge may
    have just made a pair unambiguous."""
    for paper_id in sorted(i for i in ids.papers if is_title_id(i)):
        paper = ids.papers[paper_id]
        holder_id = ids.alias.get(paper_id) or ids.same_title(paper)
        if holder_id not in ids.papers or holder_id == paper_id or is_title_id(holder_id):
            continue
        holder = ids.papers[holder_id]
        fresh = paper_id in result.added
        ids.put(renamed(paper, holder, day=holder.day, keep_alias=not fresh), paper, holder)
        result.touch(holder_id, holder.day)
        result.changed_days.add(paper.day)
        if fresh:
            result.added.remove(paper_id)
            continue
        result.removed[paper_id] = holder_id
        if paper.day != holder.day:
            result.shrunk_days.add(paper.day)
        result.notices.append(
            f"paper {paper_id}: archived on {paper.day} and again as {holder_id} on "
            f"{holder.day}; merged into {holder_id}"
        )
