"""The paper card, in its full form (day and index pages) and as a compact row.

Every string from a record goes through `esc`; URLs were checked to be http(s) when the
record was made and are attribute-escaped here. Links out carry rel="nofollow noopener".
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from ..archive import Entry
from ..models import Paper
from .bibtex import entry as bibtex_entry
from .bibtex import is_plain
from .html import esc, paragraphs, plural, prose, rel, short_date, strip_controls
from .tex import plain
from .urls import arxiv_title_search, day_url, paper_url, topic_url

SHOWN_AUTHORS = 5
_LINK_LABELS = (
    ("arxiv", "arXiv"),
    ("pdf", "PDF"),
    ("hf", "Hugging Face"),
    ("code", "Code"),
    ("project", "Project page"),
)


@dataclass(frozen=True)
class Ctx:
    """Where a fragment is rendered: the page's URL (for relative links) and topic names."""

    here: str
    topic_names: Mapping[str, str]

    def link(self, target: str) -> str:
        return rel(self.here, target)


def card(entry: Entry, ctx: Ctx, *, level: int, on_day_page: bool, anchored: bool = False) -> str:
    """A full card. On its day page it is the permalink target (id) with the abstract open;
    elsewhere its title links to that permalink and the abstract is folded. `anchored`
    gives it the id all the same (a day it was featured again: its only card there)."""
    paper = entry.paper
    anchor = f' id="{html.escape(paper.id)}"' if on_day_page or anchored else ""
    permalink = ctx.link(paper_url(paper.id, paper.day))
    parts = [
        f'<article class="pa-card"{anchor}>',
        f'<h{level} class="pa-card__title">'
        f'<a href="{permalink}">{prose(paper.title)}</a></h{level}>',
    ]
    if on_day_page:
        # Links published before the paper got its arXiv id keep landing on it.
        parts.extend(f'<span id="{html.escape(alias)}"></span>' for alias in paper.aliases)
    if line := authors_line(paper):
        parts.append(f'<p class="pa-card__authors">{line}</p>')
    parts.append(_facts(entry, ctx, on_day_page))
    parts.append(_topics(entry, ctx))
    parts.append(_links(paper))
    if paper.ai_summary:
        parts.append(
            '<p class="pa-card__summary"><strong>AI summary:</strong> '
            f"{prose(paper.ai_summary)}</p>"
        )
    if paper.abstract and paper.abstract.strip():
        opened = " open" if on_day_page else ""
        parts.append(
            f'<details class="pa-card__abstract"{opened}><summary>Abstract</summary>'
            f"{paragraphs(paper.abstract)}</details>"
        )
    parts.append(bibtex_block(paper))
    parts.append("</article>")
    return "\n".join(parts)


def row(entry: Entry, ctx: Ctx) -> str:
    """A one-line entry for long lists: title (to the permalink), first author, date, votes."""
    paper = entry.paper
    facts = [short_date(paper.day)]
    if paper.authors:
        first = esc(paper.authors[0])
        facts.insert(0, first + (" et al." if (paper.author_count or 0) > 1 else ""))
    if paper.upvotes is not None:
        facts.append(plural(paper.upvotes, "upvote"))
    return (
        f'<li class="pa-row"><a href="{ctx.link(paper_url(paper.id, paper.day))}">'
        f'{prose(paper.title)}</a> <span class="pa-row__meta">{" · ".join(facts)}</span></li>'
    )


def authors_line(paper: Paper) -> str | None:
    """The first few authors and how many more; or only the count when no names are known."""
    total = max(paper.author_count or 0, len(paper.authors))
    if not paper.authors:
        return plural(total, "author") if total else None
    shown = ", ".join(esc(name) for name in paper.authors[:SHOWN_AUTHORS])
    more = total - min(len(paper.authors), SHOWN_AUTHORS)
    return f"{shown} and {more:,} more" if more > 0 else shown


def bibtex_block(paper: Paper) -> str:
    """The paper's BibTeX entry, folded; assets/almanac/cards.js adds a copy button."""
    body = bibtex_entry(paper, _bib_html)
    return f'<details class="pa-card__bib"><summary>BibTeX</summary><pre>{body}</pre></details>'


def _bib_html(value: str) -> str:
    # Most fields (names, plain titles, ids) need no escaping; checking is cheaper than esc.
    return value if is_plain(value) else esc(value)


def _facts(entry: Entry, ctx: Ctx, on_day_page: bool) -> str:
    paper = entry.paper
    featured = short_date(paper.day)
    if not on_day_page:
        featured = f'<a href="{ctx.link(day_url(paper.day))}">{featured}</a>'
    facts = [f"Featured {featured}"]
    if paper.featured_again:
        again = ", ".join(
            f'<a href="{ctx.link(day_url(d))}">{short_date(d)}</a>' for d in paper.featured_again
        )
        facts.append(f"Featured again {again}")
    if paper.published is not None:
        facts.append(f"Published {short_date(paper.published)}")
    if paper.upvotes is not None:
        facts.append(plural(paper.upvotes, "upvote"))
    if paper.comments is not None:
        facts.append(plural(paper.comments, "comment"))
    if entry.pinned:
        facts.append("Pinned")
    items = "".join(f"<li>{fact}</li>" for fact in facts)
    return f'<ul class="pa-card__facts">{items}</ul>'


def _topics(entry: Entry, ctx: Ctx) -> str:
    items = "".join(
        f'<li><a href="{ctx.link(topic_url(slug))}">{esc(ctx.topic_names[slug])}</a></li>'
        for slug in entry.topics
    )
    return f'<ul class="pa-card__topics" aria-label="Topics">{items}</ul>'


def _links(paper: Paper) -> str:
    items = [
        f'<li><a href="{html.escape(url)}" rel="nofollow noopener">{label}</a></li>'
        for kind, label in _LINK_LABELS
        if (url := getattr(paper.links, kind))
    ]
    if not paper.links.arxiv:
        # Papers known only by their title (a scraped page) still need a way to the
        # paper until `enrich` finds it. A day has many such links: the accessible name
        # says which paper each one finds.
        title = plain(strip_controls(paper.title))
        items.append(
            f'<li><a href="{html.escape(arxiv_title_search(title))}" rel="nofollow noopener" '
            f'aria-label="Find on arXiv: {esc(title)}">Find on arXiv</a></li>'
        )
    return f'<ul class="pa-card__links" aria-label="Links">{"".join(items)}</ul>'
