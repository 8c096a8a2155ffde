"""The search records: one tiny HTML file per paper, for Pagefind to index.

Pagefind indexes this tree, not the themed site, so that a paper is one result (never a
day page, nor again from a topic or index page), the index builds while MkDocs builds,
and memory stays low. Each record carries:

- `data-pagefind-body` around the searchable text (title, authors, summary, abstract);
- meta `url`: the paper's permalink relative to the site root (the search UI resolves it
  against the site's base, so the site works under any path), plus `day`, `upvotes`
  (when known) and `authors` for display;
- filters `topic` (one per topic, by name), `year` and `month` (YYYY-MM);
- sorts `date` (ISO day, sorts as text) and `upvotes` (always a number: Pagefind drops
  results that lack the sort key being applied).
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from ..archive import Archive, Entry
from .html import esc, paragraphs
from .urls import paper_url

SHOWN_AUTHORS = 5


def search_records(archive: Archive) -> dict[str, str]:
    """Relative path ("YYYY/MM/DD/<id>.html") -> the record's HTML, for every paper."""
    names = {t.slug: t.name for t in archive.topics}
    out: dict[str, str] = {}
    for day in archive.days:
        for entry in archive.by_day[day]:
            out[f"{day:%Y/%m/%d}/{entry.id}.html"] = search_record(entry, names)
    return out


def search_record(entry: Entry, topic_names: Mapping[str, str]) -> str:
    paper = entry.paper
    text = [f'<h1 data-pagefind-meta="title">{esc(paper.title)}</h1>']
    if paper.authors:
        text.append(f"<p>{esc(', '.join(paper.authors))}</p>")
    if paper.ai_summary:
        text.append(f"<p>{esc(paper.ai_summary)}</p>")
    if paper.abstract:
        text.append(paragraphs(paper.abstract))
    if paper.ai_keywords:
        text.append(f"<p>{esc(', '.join(paper.ai_keywords))}</p>")
    text.append(f"<p>{esc(paper.id)}</p>")
    tags = [
        ("meta", f"url:{paper_url(paper.id, paper.day)}"),
        ("meta", f"day:{paper.day.isoformat()}"),
        ("sort", f"date:{paper.day.isoformat()}"),
        ("sort", f"upvotes:{entry.upvotes}"),
        ("filter", f"year:{paper.day.year:04d}"),
        ("filter", f"month:{paper.day:%Y-%m}"),
    ]
    if paper.upvotes is not None:
        tags.append(("meta", f"upvotes:{paper.upvotes}"))
    if line := _authors_text(entry):
        tags.append(("meta", f"authors:{line}"))
    tags += [("filter", f"topic:{topic_names[slug]}") for slug in entry.topics]
    attrs = "\n".join(
        f'<span data-pagefind-{kind}="{html.escape(value, quote=True)}"></span>'
        for kind, value in tags
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(paper.title)}</title></head><body>\n"
        f"<article data-pagefind-body>\n{''.join(text)}\n</article>\n{attrs}\n</body></html>\n"
    )


def _authors_text(entry: Entry) -> str | None:
    paper = entry.paper
    total = max(paper.author_count or 0, len(paper.authors))
    if not paper.authors:
        return f"{total} authors" if total > 1 else ("1 author" if total else None)
    shown = ", ".join(" ".join(n.split()) for n in paper.authors[:SHOWN_AUTHORS])
    more = total - min(len(paper.authors), SHOWN_AUTHORS)
    return f"{shown} and {more} more" if more > 0 else shown
