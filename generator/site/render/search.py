"""The search records: one tiny HTML file per paper, for Pagefind to index.

Pagefind indexes this tree, not the themed site, so that a paper is one result (never a
day page, nor again from a topic or index page), the index builds while MkDocs builds,
and memory stays low. Records are grouped in shards of one calendar quarter
("2025-q3/07/01/<id>.html"); each shard gets its own Pagefind index, and the search page
merges them in the browser (Pagefind's multisite search), newest first, only as far as a
search needs, for sorted and filter-only searches (words by best match are ranked over the
whole archive by the word index, render/wordindex.py; a title, an id or an author's name
typed in full is found by the catalog, render/catalog.py). A past quarter never changes,
so its index is built once and reused. Each record carries:

- `data-pagefind-body` around the searchable text (title, authors, summary, abstract,
  AI keywords, arXiv categories, id, and the word EVERY, which every record holds);
- meta `url`: the paper's permalink relative to the site root (the search UI resolves it
  against the site's base, so the site works under any path), plus `day`, `upvotes`
  (when known) and `authors` for display;
- filters `topic` (one per topic, by name: the result lists show the filter values) and
  `month` (YYYY-MM); the year and the shard are filters the search page gives each
  merged index (Pagefind's `mergeFilter`), which costs no download;
- sorts `date` (ISO day, sorts as text) and `upvotes` (always a number: Pagefind drops
  results that lack the sort key being applied).

`search_manifest` describes the shards and the filter values (with counts) as JSON, so the
search page can offer its filters before it loads any index. It also maps each topic's
slug to its name (the `topic` filter value): the search page's topic choices and its
address (`?topic=agents`) use slugs, which stay short and readable, and the search
filters by the name the slug stands for.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from generator.site.arranged import Archive, Entry
from generator.site.render.card import SOURCE_KEY_LABELS, arxiv_categories, source_keys
from generator.site.render.html import esc, paragraphs, prose
from generator.site.render.urls import paper_url

SHOWN_AUTHORS = 5
MANIFEST_VERSION = 1
# The index of the archive's most upvoted papers, beside the quarters: a search sorted by
# upvotes reads it first. Every paper with at least the TOP_PAPERS-th paper's upvotes is
# in it, so its matches, most upvoted first, are the whole archive's first ones; only a
# reader who pages past them needs the quarters (each quarter is searched alone, since
# Pagefind sorts within one index: all of them cost about 1 MB at 30,000 papers).
TOP = "top"
TOP_PAPERS = 1000
# A word in every record and nowhere else. A Pagefind search of no words (filters only)
# loads the whole word index of each index searched; a search of this word loads one
# small chunk and finds every record, so the search page lists filtered papers with it.
EVERY = "almanacrecord"


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


def search_manifest(archive: Archive, words: Sequence[str] = ()) -> str:
    """The shards, newest first, every filter value with its count, the topics with
    papers (slug -> name, in taxonomy order) and the word index's segments (`words`,
    oldest first), as JSON."""
    names = {t.slug: t.name for t in archive.topics}
    shards: dict[str, dict[str, Any]] = {}
    months: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    used: set[str] = set()
    for day in reversed(archive.days):
        entries = archive.by_day[day]
        key = shard_of(day)
        if key not in shards:
            shards[key] = {"key": key, "year": day.year, "last": day.isoformat(), "papers": 0}
        shards[key]["first"] = day.isoformat()
        shards[key]["papers"] += len(entries)
        months[f"{day:%Y-%m}"] += len(entries)
        topics.update(names[slug] for entry in entries for slug in entry.topics)
        used.update(slug for entry in entries for slug in entry.topics)
        categories.update(c for entry in entries for c in arxiv_categories(entry.paper))
        sources.update(k for entry in entries for k in source_keys(entry.paper))
    years: Counter[str] = Counter()
    for month, count in months.items():
        years[month[:4]] += count
    least, top = top_entries(archive)
    manifest = {
        "version": MANIFEST_VERSION,
        "every": EVERY,
        "shards": list(shards.values()),
        "top": {"key": TOP, "least_upvotes": least, "papers": len(top)},
        "words": list(words),
        "topics": {t.slug: t.name for t in archive.topics if t.slug in used},
        # The source filter's keys (in the search page's address) and their labels (the
        # Pagefind filter values); the filters hold the counts by label.
        "sources": {k: SOURCE_KEY_LABELS[k] for k in sorted(sources)},
        "filters": {
            "topic": dict(sorted(topics.items())),
            "year": dict(sorted(years.items())),
            "month": dict(sorted(months.items())),
            "category": dict(sorted(categories.items())),
            "source": {SOURCE_KEY_LABELS[k]: n for k, n in sorted(sources.items())},
        },
    }
    return json.dumps(manifest, indent=1, ensure_ascii=False) + "\n"


def search_record(entry: Entry, topic_names: Mapping[str, str]) -> str:
    paper = entry.paper
    text = [f'<h1 data-pagefind-meta="title">{prose(paper.title)}</h1>']
    if paper.authors:
        text.append(f"<p>{esc(', '.join(paper.authors))}</p>")
    if paper.ai_summary:
        text.append(f"<p>{prose(paper.ai_summary)}</p>")
    if paper.abstract:
        text.append(paragraphs(paper.abstract))
    if paper.ai_keywords:
        text.append(f"<p>{esc(', '.join(paper.ai_keywords))}</p>")
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


def authors_text(entry: Entry) -> str | None:
    paper = entry.paper
    total = max(paper.author_count or 0, len(paper.authors))
    if not paper.authors:
        return f"{total} authors" if total > 1 else ("1 author" if total else None)
    shown = ", ".join(" ".join(n.split()) for n in paper.authors[:SHOWN_AUTHORS])
    more = total - min(len(paper.authors), SHOWN_AUTHORS)
    return f"{shown} and {more} more" if more > 0 else shown
