"""Merging fetched records into the archive: one paper per identity, nothing ever dropped.

Pure functions. Each field (each link, authors with their count) takes the value of the
newest fetch that has it: a field a newer record lacks keeps the older value, so an early
fetch without AI fields and a late one without comments add up instead of erasing each
other. "Newest" is by when each value was fetched (`fetched_at`, and `field_fetched_at`
for a value older than its record), ties broken by the value itself, and a record that
says nothing of its fetch counts as fetched at the start of its day. So the result is one
function of the set of records merged: the same whatever order files or runs bring them
in. A paper's `day` is the first day it was featured, the later ones `featured_again`;
a paper listed by arXiv and by Hugging Face is one record on the first of their days,
and lists both `sources`.

A paper is the same paper under its id, under an id it had before (`aliases`), and, for a
paper known only by its title (a title id, from a scraped page), under the normalised
title of a paper with a real id. When a real id turns up for a paper archived under a
title id, the real id replaces it and the title id becomes an alias, so old anchors and
curation entries keep working. Between a title-id record and a real-id record the real
one's values win, whichever came first (a scraped page is the poorer source); the title
record only fills gaps, so the result does not depend on the order they arrive in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from generator.models import MERGED_PARTS, Links, Paper, day_stamp, is_title_id, normalise_title

_LINK_KINDS = tuple(f.name for f in fields(Links))
_PLAIN_PARTS = tuple(sorted(MERGED_PARTS - {"authors"} - {f"links.{k}" for k in _LINK_KINDS}))


def fetched(paper: Paper) -> str:
    """When the record was fetched; one that does not say, at the start of its day."""
    return paper.fetched_at or day_stamp(paper.day)


def _has_value(value: object) -> bool:
    return value is not None and value != ()


def parts(paper: Paper) -> dict[str, object]:
    """The paper's merged values by part name (MERGED_PARTS), only those it has."""
    out: dict[str, object] = {
        name: value for name in _PLAIN_PARTS if _has_value(value := getattr(paper, name))
    }
    if paper.authors or paper.author_count is not None:
        out["authors"] = (paper.authors, paper.author_count)
    for kind in _LINK_KINDS:
        if (url := getattr(paper.links, kind)) is not None:
            out[f"links.{kind}"] = url
    return out


def _ranked_parts(paper: Paper) -> dict[str, tuple[int, str, object]]:
    """Each part the paper has, as (rank, when it was fetched, value). A value from a page
    that knew the paper by its title only ranks 0, below any from a record with its real
    id (1), whenever either was fetched."""
    own, earlier = fetched(paper), dict(paper.field_fetched_at)
    titled = is_title_id(paper.id)
    poorer = set(paper.title_page_fields)
    return {
        part: (0 if titled or part in poorer else 1, earlier.get(part, own), value)
        for part, value in parts(paper).items()
    }


def _canon(value: object) -> int | str:
    # Counts only grow upstream (upvotes, comments, stars): between two fetches of the
    # same day the larger is the later; any other value is compared as its JSON.
    if isinstance(value, int):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def _later(value: object, held: object) -> bool:
    new, old = _canon(value), _canon(held)
    if isinstance(new, int) and isinstance(old, int):
        return new > old
    return str(new) > str(old)


def _combine(base: Paper, other: Paper) -> Paper:
    """Both records' parts, each the highest ranked (`_ranked_parts`), then the last
    fetched; id, day and aliases are `base`'s. Each part keeps its rank and stamp, so
    combining is associative and commutative: one function of the records combined."""
    chosen = _ranked_parts(base)
    for part, (rank, at, value) in _ranked_parts(other).items():
        held = chosen.get(part)
        # Equal rank and stamp: the larger value, so that the order of merging cannot matter.
        if (
            held is None
            or (rank, at) > held[:2]
            or ((rank, at) == held[:2] and _later(value, held[2]))
        ):
            chosen[part] = (rank, at, value)
    stamp = max(fetched(base), fetched(other))
    values = {part: value for part, (_, _, value) in chosen.items()}
    authors: object
    count: object
    authors, count = values.pop("authors", ((), None))  # type: ignore[misc]
    links = Links(**{k: values.pop(f"links.{k}", None) for k in _LINK_KINDS})  # type: ignore[arg-type]
    poorer = (
        () if is_title_id(base.id) else tuple(sorted(p for p, (r, _, _) in chosen.items() if not r))
    )
    return base.with_changes(
        **values,
        authors=authors,
        author_count=count,
        links=links,
        sources=tuple(sorted({*base.sources, *other.sources})),
        fetched_at=stamp,
        field_fetched_at=tuple(
            sorted((part, at) for part, (_, at, _) in chosen.items() if at != stamp)
        ),
        title_page_fields=poorer,
    )


def merge_paper(archived: Paper, incoming: Paper) -> Paper:
    """`archived` updated with what `incoming` knows; `archived` itself when nothing changes.

    The same paper featured on another day is on both: its day is the first of them.
    """
    merged = _combine(archived, incoming).with_changes(
        **_days(archived, incoming),
        aliases=_aliases(archived.id, archived.aliases, incoming.aliases),
    )
    if merged == archived.with_changes(fetched_at=fetched(archived)):
        return archived
    return merged


def _days(*records: Paper) -> dict[str, Any]:
    """One paper's days from all its records: the first as `day`, the rest featured again."""
    days = {d for paper in records for d in (paper.day, *paper.featured_again)}
    first = min(days)
    return {"day": first, "featured_again": tuple(sorted(days - {first}))}


def _aliases(paper_id: str, *groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({a for group in groups for a in group if a != paper_id}))


def renamed(titled: Paper, real: Paper) -> Paper:
    """The paper archived under a title id, merged with `real`, under real's id.

    The real record's values win (it comes from a richer source) and the title record
    fills the gaps. Like any paper, it is on the first of the days either record lists,
    featured again on the others. The title id is always kept as an alias: it costs a line
    and keeps its anchor working if it was ever published, and keeping it whether or not
    it was makes the result the same whichever run brought the two records.
    """
    return _combine(real, titled).with_changes(
        **_days(titled, real),
        aliases=_aliases(real.id, real.aliases, titled.aliases, (titled.id,)),
    )


@dataclass
class MergeResult:
    papers: dict[str, Paper]  # the whole archive after the merge, by id
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    changed_days: set[date] = field(default_factory=set)
    refeatured: list[str] = field(default_factory=list)  # ids newly seen on another day
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
        ids.put(renamed(titled, real), titled, real)
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
            if paper.featured_again:
                result.refeatured.append(paper.id)
        elif is_title_id(target) and not is_title_id(paper.id):
            _rename(ids, result, ids.papers[target], paper)
        else:
            _update(ids, result, ids.papers[target], paper)
    # Last, with every title as this merge leaves it, so the next merge finds no pair.
    ids.coming.clear()
    _fold_pairs(ids, result)
    return result


def _update(ids: _Identities, result: MergeResult, current: Paper, paper: Paper) -> None:
    if is_title_id(paper.id) and not is_title_id(current.id):
        # Known by its title only: the real record's values win, this one fills gaps.
        merged = renamed(paper, current)
    else:
        merged = merge_paper(current, paper)
    if merged == current:
        return
    ids.put(merged, current)
    result.touch(current.id, merged.day)
    _moved(result, merged, current.day)
    # A paper another source lists on its own day is on both days, but it is not news:
    # arXiv announces most papers a day or more before Hugging Face features them.
    same_source = not paper.sources or bool(_lists(paper) & _lists(current))
    if (
        merged.featured_again != current.featured_again
        and same_source
        and current.id not in result.refeatured
    ):
        result.refeatured.append(current.id)
        shown = ", ".join(map(str, merged.featured_again))
        result.notices.append(
            f"paper {current.id}: featured on {merged.day} and again on {shown}; its card is "
            f"on each of those days, its permalink on {merged.day}"
        )


def _rename(ids: _Identities, result: MergeResult, titled: Paper, real: Paper) -> None:
    """A real id for a paper archived under its title: new id, old id as alias."""
    fresh = titled.id in result.added  # added by this very merge: never published
    merged = renamed(titled, real)
    ids.put(merged, titled)
    _moved(result, merged, titled.day)
    if fresh:
        result.added[result.added.index(titled.id)] = merged.id
        return
    result.removed[titled.id] = merged.id
    result.touch(merged.id, merged.day)
    moved = f"; its permalink is now on {merged.day}" if merged.day != titled.day else ""
    result.notices.append(
        f"paper {titled.id}: now archived as {merged.id}, the same title; the old id "
        f"stays as an alias{moved}"
    )


def _moved(result: MergeResult, merged: Paper, *was_on: date) -> None:
    """Mark the merged paper's day, and each day it was filed on before, as changed; a
    day it leaves is written last (an interruption leaves it twice, never nowhere)."""
    result.changed_days.add(merged.day)
    for day in set(was_on) - {merged.day}:
        result.changed_days.add(day)
        result.shrunk_days.add(day)


def _lists(paper: Paper) -> set[str]:
    """Whose lists the paper is on: Hugging Face's (its API or a scraped page) or arXiv's."""
    return {"arxiv" if s == "arxiv" else "huggingface" for s in paper.sources}


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
        merged = renamed(paper, holder)
        ids.put(merged, paper, holder)
        result.touch(holder_id, merged.day)
        _moved(result, merged, paper.day, holder.day)
        if fresh:
            result.added.remove(paper_id)
            continue
        result.removed[paper_id] = holder_id
        result.notices.append(
            f"paper {paper_id}: archived on {paper.day} and again as {holder_id} on "
            f"{holder.day}; merged into {holder_id}"
        )
