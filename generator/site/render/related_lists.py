"""Each day's related papers, in one small HTML file beside its page (`related.html`).

A card links to its paper's section of that file ("Related papers") instead of carrying
the five titles: on a day of 60 papers they were 12 KB of a page's gzipped weight, for
every reader, most of whom never open them (bench/WEIGHT.md). assets/almanac/cards.js
opens the list inside the card, fetching the day's file once; without JavaScript the
link leads to the file itself, a plain page (no theme: it is not an MkDocs page, which
would cost the build a page a day) in the light or dark scheme the browser prefers.
Its links are relative to the day's folder, as the day page's are.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache

from generator.site.arranged import Entry
from generator.site.render.html import prose, rel, weekday_date
from generator.site.render.urls import day_url, paper_url

FILE = "related.html"
SITE_NAME = "Paper Almanac"


def file_url(day: date) -> str:
    """The day's file, as a site-relative URL."""
    return day_url(day) + FILE


def day_file(day: date, entries: Sequence[Entry], related: Mapping[str, Sequence[Entry]]) -> str:
    """The related papers of each of the day's papers, a section each (its id the paper's)."""
    here = day_url(day)
    sections = "\n".join(
        _section(entry, related[entry.id], here) for entry in entries if related.get(entry.id)
    )
    title = f"Related papers, {weekday_date(day)}"
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{title} · {SITE_NAME}</title>\n</head>\n<body>\n<main>\n"
        f'<h1>Related papers of <a href="./">{weekday_date(day)}</a></h1>\n'
        "<p>For each paper of the day, the five papers of the archive nearest it by the "
        "words of their titles and abstracts.</p>\n"
        f"{sections}\n</main>\n</body>\n</html>\n"
    )


def _section(entry: Entry, related: Sequence[Entry], here: str) -> str:
    pid = html.escape(entry.id)
    items = "".join(
        f'<li><a href="{_link(here, n)}">{_title(n.paper.title)}</a></li>' for n in related
    )
    return (
        f'<section id="{pid}" aria-labelledby="h-{pid}">'
        f'<h2 id="h-{pid}"><a href="./#{pid}">{_title(entry.paper.title)}</a></h2>'
        f'<ol class="pa-related">{items}</ol></section>'
    )


@lru_cache(maxsize=1 << 17)  # a paper is in the lists of several others
def _title(title: str) -> str:
    return prose(title)


def _link(here: str, entry: Entry) -> str:
    # From a file, not a folder's page: a paper of the same day is on "./", not here.
    link = rel(here, paper_url(entry.id, entry.day))
    return f"./{link}" if link.startswith("#") else link
