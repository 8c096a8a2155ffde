"""The paper card, in its full form (day and index pages) and as a compact row.

Every string from a record goes through `esc`; URLs were checked to be http(s) when the
record was made and are attribute-escaped here. Links out carry rel="nofollow noopener".
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, quote_plus

from generator.models import Paper
from generator.site.arranged import Entry
from generator.site.render.bibtex import entry as bibtex_entry
from generator.site.render.bibtex import is_plain
from generator.site.render.html import esc, paragraphs, prose, rel, short_date, strip_controls
from generator.site.render.related_lists import FILE as RELATED_FILE
from generator.site.render.tex import plain
from generator.site.render.urls import SEARCH, arxiv_title_search, day_url, paper_url, topic_url
from generator.wording import plural

SHOWN_AUTHORS = 5
HF = "https://huggingface.co"
# What HF's uploads of videos end in (real captures: mp4, qt); the rest are images.
_VIDEO_SUFFIXES = (".mp4", ".mov", ".qt", ".webm")
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
    # Each paper's related papers (related.py), nearest first; none when not computed.
    related: Mapping[str, Sequence[Entry]] = field(default_factory=dict)

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
    if on_day_page or anchored:
        # Links published before the paper got its arXiv id keep landing on it.
        parts.extend(f'<span id="{html.escape(alias)}"></span>' for alias in paper.aliases)
    if line := authors_line(paper, ctx):
        parts.append(f'<p class="pa-card__authors">{line}</p>')
    parts.append(_facts(entry, ctx, on_day_page))
    parts.append(_topics(entry, ctx))
    parts.append(_links(paper))
    if paper.ai_summary:
        by = f" ({esc(paper.ai_summary_model)})" if paper.ai_summary_model else ""
        parts.append(
            f'<p class="pa-card__summary"><strong>AI summary{by}:</strong> '
            f"{prose(paper.ai_summary)}</p>"
        )
    if paper.abstract and paper.abstract.strip():
        opened = " open" if on_day_page else ""
        parts.append(
            f'<details class="pa-card__abstract"{opened}><summary>Abstract</summary>'
            f"{paragraphs(paper.abstract)}</details>"
        )
    if paper.media_urls:
        parts.append(media_block(paper))
    if ctx.related.get(paper.id):
        parts.append(related_link(paper, ctx))
    parts.append(bibtex_block(paper))
    parts.append(coins(paper))
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


def authors_line(paper: Paper, ctx: Ctx) -> str | None:
    """The first few authors and how many more; or only the count when no names are known.
    Each name links to the search for that author's papers in the archive; an author who
    claimed the paper on Hugging Face also links to their profile there."""
    total = max(paper.author_count or 0, len(paper.authors))
    if not paper.authors:
        return plural(total, "author") if total else None
    handles = dict(paper.author_handles)
    search = ctx.link(SEARCH)
    shown = ", ".join(
        _author(search, name) + (_author_profile(handles[name], name) if name in handles else "")
        for name in paper.authors[:SHOWN_AUTHORS]
    )
    more = total - min(len(paper.authors), SHOWN_AUTHORS)
    return f"{shown} and {more:,} more" if more > 0 else shown


def _author(search: str, name: str) -> str:
    href = html.escape(f"{search}?q={quote_plus(' '.join(name.split()))}", quote=True)
    return f'<a href="{href}">{esc(name)}</a>'


def _profile(handle: str, text: str) -> str:
    # Handles are checked to be [A-Za-z0-9._-] when a record is made: safe in a URL path.
    return f'<a href="{HF}/{handle}" rel="nofollow noopener">{text}</a>'


def _author_profile(handle: str, name: str) -> str:
    """Beside an author's name (which links to their search): their Hugging Face profile."""
    label = html.escape(f"{name} on Hugging Face", quote=True)
    return (
        f' <a href="{HF}/{handle}" class="pa-card__profile" rel="nofollow noopener"'
        f' aria-label="{label}">(HF)</a>'
    )


def arxiv_categories(paper: Paper) -> tuple[str, ...]:
    """The paper's arXiv categories, its primary one first."""
    primary = (paper.primary_category,) if paper.primary_category else ()
    return tuple(dict.fromkeys((*primary, *paper.categories)))


def media_block(paper: Paper) -> str:
    """The submitter's figures and videos, folded: nothing is downloaded until a reader
    opens it (a closed <details> renders nothing, so its lazy images do not load)."""
    items = []
    counts = {"video": 0, "figure": 0}
    for url in paper.media_urls:
        src = html.escape(url)
        kind = "video" if url.lower().endswith(_VIDEO_SUFFIXES) else "figure"
        counts[kind] += 1
        n = counts[kind]
        if kind == "video":
            items.append(
                f'<li><video controls preload="none" src="{src}" aria-label="Video {n}">'
                f'<a href="{src}" rel="nofollow noopener">Video {n}</a></video></li>'
            )
        else:
            items.append(
                f'<li><a href="{src}" rel="nofollow noopener"><img src="{src}" '
                f'alt="Figure {n}" loading="lazy" decoding="async"></a></li>'
            )
    count = len(paper.media_urls)
    return (
        f'<details class="pa-card__media"><summary>Figures and videos ({count})</summary>'
        f"<ul>{''.join(items)}</ul></details>"
    )


def related_link(paper: Paper, ctx: Ctx) -> str:
    """The way to the paper's related papers: its section of its day's related.html, which
    assets/almanac/cards.js opens inside the card (render/related_lists.py)."""
    href = f"{ctx.link(day_url(paper.day))}{RELATED_FILE}#{html.escape(paper.id)}"
    return f'<p class="pa-card__related"><a href="{href}">Related papers</a></p>'


def bibtex_block(paper: Paper) -> str:
    """The paper's BibTeX entry, folded; assets/almanac/cards.js adds a copy button."""
    body = bibtex_entry(paper, _bib_html)
    return f'<details class="pa-card__bib"><summary>BibTeX</summary><pre>{body}</pre></details>'


def coins(paper: Paper) -> str:
    """The paper as a COinS span (an OpenURL ContextObject in a title attribute), which
    Zotero's Connector and other reference managers find for every card on a page."""
    # Only what would end a key, a value or the attribute is escaped (and so the `&`
    # between pairs is left bare: no key starts like a character reference): text left
    # as in the card's title and BibTeX compresses to almost nothing beside them
    # (bench/WEIGHT.md), and the readers of COinS (Zotero's, the standard library's)
    # take it as it is. Zotero reads "+" and "%2B" alike as a space: no escape keeps a
    # "+" for it (tests/render/test_citations.py reads spans by its rules).
    kev = "&".join(f"{k}={_kev(v)}" for k, v in coins_fields(paper))
    return f'<span class="Z3988" title="{kev}"></span>'


_KEV_SAFE = " :/,;()'!*@$"
# What quote() leaves as it is (its own unreserved characters and _KEV_SAFE): most names,
# dates and ids, which need not go through it.
_KEV_PLAIN = re.compile(r"[A-Za-z0-9_.~\- :/,;()'!*@$]*")


def _kev(value: str) -> str:
    return value if _KEV_PLAIN.fullmatch(value) else quote(value, safe=_KEV_SAFE)


@lru_cache(maxsize=65536)  # a paper's card is on its day page and on others
def coins_fields(paper: Paper) -> tuple[tuple[str, str], ...]:
    """(key, value) of the ContextObject: every author, the date, the arXiv id, DOI, URL."""
    out = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article" if paper.journal_ref else "preprint"),
        ("rft.atitle", " ".join(strip_controls(plain(paper.title)).split())),
        ("rft.jtitle", "arXiv" if paper.is_arxiv else "Hugging Face Daily Papers"),
    ]
    out += [("rft.au", " ".join(name.split())) for name in paper.authors if name.strip()]
    out.append(("rft.date", (paper.published or paper.day).isoformat()))
    if paper.is_arxiv:
        out.append(("rft_id", f"info:arxiv/{paper.id}"))
    if paper.doi:
        out.append(("rft_id", f"info:doi/{' '.join(strip_controls(paper.doi).split())}"))
    if url := paper.links.arxiv or paper.links.hf or paper.links.project:
        out.append(("rft_id", url))
    return tuple(out)


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
    if version := _version(paper):
        facts.append(version)
    if paper.upvotes is not None:
        facts.append(plural(paper.upvotes, "upvote"))
    if paper.comments is not None:
        facts.append(plural(paper.comments, "comment"))
    if categories := arxiv_categories(paper):
        facts.append(f"arXiv {esc(', '.join(categories))}")
    if "arxiv" in paper.sources:
        # Hugging Face alone is what a card says by default (upvotes, the HF link).
        labels = [SOURCE_KEY_LABELS[k] for k in source_keys(paper)]
        facts.append("Listed by " + " and ".join(labels))
    facts.extend(_publication(paper))
    if paper.organization:
        org = esc(paper.organization)
        handle = paper.organization_handle
        facts.append(f"From {_profile(handle, org) if handle else org}")
    if paper.submitted_by:
        name = esc(paper.submitted_by_name or paper.submitted_by)
        facts.append(f"Submitted by {_profile(paper.submitted_by, name)}")
    if paper.authors_participating and paper.links.hf:
        where = html.escape(paper.links.hf)
        facts.append(f'<a href="{where}" rel="nofollow noopener">Authors in the discussion</a>')
    if entry.pinned:
        facts.append("Pinned")
    items = "".join(f"<li>{fact}</li>" for fact in facts)
    return f'<ul class="pa-card__facts">{items}</ul>'


# What the search page's source filter offers, by the key in its address (`?source=arxiv`).
SOURCE_KEYS = {"arxiv": "arxiv", "hf-daily": "huggingface", "hf-page": "huggingface"}
SOURCE_KEY_LABELS = {"arxiv": "arXiv", "huggingface": "Hugging Face"}


def source_keys(paper: Paper) -> list[str]:
    """The search filter's sources of a paper: arxiv, huggingface (each once)."""
    return list(dict.fromkeys(SOURCE_KEYS[s] for s in paper.sources))


def _version(paper: Paper) -> str | None:
    if paper.updated is None:
        return None
    version = f" (v{paper.arxiv_version})" if paper.arxiv_version else ""
    return f"Updated {short_date(paper.updated)}{version}"


def _publication(paper: Paper) -> list[str]:
    """What arXiv says of where the paper stands: its comment, journal and DOI."""
    out = []
    if paper.arxiv_comment:
        out.append(f"Comment: {esc(paper.arxiv_comment)}")
    if paper.journal_ref:
        out.append(f"Journal: {esc(paper.journal_ref)}")
    if paper.doi:
        href = html.escape("https://doi.org/" + quote(paper.doi, safe="/:;()._-"))
        out.append(f'DOI <a href="{href}" rel="nofollow noopener">{esc(paper.doi)}</a>')
    return out


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
