"""Today's search before issue 31, as a design the benchmark measures: one small HTML
record per paper for Pagefind, in shards of a calendar quarter, plus an index of the most
upvoted papers (the generator made these up to 934c5b2; it now writes the word index and
the catalog instead, render/wordindex.py and render/catalog.py). Each record carries the
title, authors, summary, abstract, AI keywords, arXiv categories and id as its searchable
text, and `url`, `day`, `upvotes`, `authors` as meta, `topic`, `month`, `category`,
`source` as filters and `date`, `upvotes` as sorts.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from generator.models import Paper
from generator.site.arranged import Archive, Entry
from generator.site.render.card import SOURCE_KEY_LABELS, arxiv_categories, source_keys
from generator.site.render.catalog import authors_text
from generator.site.render.html import esc, paragraphs, prose
from generator.site.render.urls import paper_url

TOP = "top"
TOP_PAPERS = 1000
# A word in every record and nowhere else: a filter-only Pagefind search searches for it.
EVERY = "almanacrecord"
# What the search page needs from a shard's Pagefind output.
KEEP = frozenset(
    {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"}
    | {"fragment", "index", "filter"}
)


def prune_extras(output: Path) -> None:
    """Leave out of a Pagefind output what the search page does not load."""
    import shutil

    for path in output.iterdir():
        if path.name in KEEP or path.suffix == ".pf_meta":
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def shard_of(day: date) -> str:
    """The shard (calendar quarter) a day's records belong to, e.g. "2025-q3"."""
    return f"{day.year:04d}-q{(day.month - 1) // 3 + 1}"


def shard_days(archive: Archive) -> dict[str, list[date]]:
    """Each shard's days, shards in date order."""
    out: dict[str, list[date]] = {}
    for day in archive.days:
        out.setdefault(shard_of(day), []).append(day)
    return out


def shard_size(archive: Archive, days: Sequence[date]) -> int:
    return sum(len(archive.by_day[d]) for d in days)


def shard_records(archive: Archive, days: Sequence[date]) -> dict[str, str]:
    """Path within the shard ("MM/DD/<id>.html") -> record, for the papers of `days`."""
    names = {t.slug: t.name for t in archive.topics}
    out: dict[str, str] = {}
    for day in days:
        for entry in archive.by_day[day]:
            out[f"{day:%m/%d}/{entry.id}.html"] = search_record(entry, names)
    return out


def top_entries(archive: Archive) -> tuple[int, list[Entry]]:
    """The least upvotes of the top index, and its papers: all with at least that many."""
    ranked = sorted((e.upvotes for e in archive.entries.values()), reverse=True)
    if not ranked:
        return 0, []
    least = ranked[min(TOP_PAPERS, len(ranked)) - 1]
    days = archive.days
    return least, [e for d in days for e in archive.by_day[d] if e.upvotes >= least]


def top_records(archive: Archive) -> dict[str, str]:
    """Path within the top index ("YYYY/MM/DD/<id>.html") -> record."""
    names = {t.slug: t.name for t in archive.topics}
    _least, entries = top_entries(archive)
    return {f"{e.day:%Y/%m/%d}/{e.id}.html": search_record(e, names) for e in entries}


def search_records(archive: Archive) -> dict[str, str]:
    """Relative path ("<shard>/MM/DD/<id>.html", "top/YYYY/MM/DD/<id>.html") -> the
    record's HTML, for every paper and for the top index."""
    records = {
        f"{shard}/{path}": text
        for shard, days in shard_days(archive).items()
        for path, text in shard_records(archive, days).items()
    }
    records.update({f"{TOP}/{path}": text for path, text in top_records(archive).items()})
    return records


def body_parts(paper: Paper) -> list[str]:
    """A paper's searchable text but its title, as HTML: authors, summary, abstract and
    AI keywords (the designs of bench/search_designs.py index the same)."""
    parts = []
    if paper.authors:
        parts.append(f"<p>{esc(', '.join(paper.authors))}</p>")
    if paper.ai_summary:
        parts.append(f"<p>{prose(paper.ai_summary)}</p>")
    if paper.abstract:
        parts.append(paragraphs(paper.abstract))
    if paper.ai_keywords:
        parts.append(f"<p>{esc(', '.join(paper.ai_keywords))}</p>")
    return parts


def search_record(entry: Entry, topic_names: Mapping[str, str]) -> str:
    paper = entry.paper
    text = [f'<h1 data-pagefind-meta="title">{prose(paper.title)}</h1>', *body_parts(paper)]
    # Categories and "arXiv" for a paper an arXiv feed lists, so that a search can ask
    # for them (`cs.RO`, `arxiv splatting`).
    categories = arxiv_categories(paper)
    listed = [*categories, *(["arXiv"] if "arxiv" in paper.sources else [])]
    if listed:
        text.append(f"<p>{esc(' '.join(listed))}</p>")
    text.append(f"<p>{esc(paper.id)} {EVERY}</p>")
    tags = [
        ("meta", f"url:{paper_url(paper.id, paper.day)}"),
        ("meta", f"day:{paper.day.isoformat()}"),
        ("sort", f"date:{paper.day.isoformat()}"),
        ("sort", f"upvotes:{entry.upvotes}"),
        ("filter", f"month:{paper.day:%Y-%m}"),
    ]
    if paper.upvotes is not None:
        tags.append(("meta", f"upvotes:{paper.upvotes}"))
    if line := authors_text(entry):
        tags.append(("meta", f"authors:{line}"))
    tags += [("filter", f"topic:{topic_names[slug]}") for slug in entry.topics]
    tags += [("filter", f"category:{c}") for c in categories]
    tags += [("filter", f"source:{SOURCE_KEY_LABELS[k]}") for k in source_keys(paper)]
    attrs = "\n".join(
        f'<span data-pagefind-{kind}="{html.escape(value, quote=True)}"></span>'
        for kind, value in tags
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{prose(paper.title)}</title></head><body>\n"
        f"<article data-pagefind-body>\n{''.join(text)}\n</article>\n{attrs}\n</body></html>\n"
    )
