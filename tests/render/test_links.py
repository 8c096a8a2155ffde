"""Every card has a way to the paper: its own links, or for a paper known only by its
title, a search of arXiv for that title."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from helpers import make_paper, render_all
from hypothesis import given, settings
from strategies import nonblank

from generator.models import Links
from generator.project import Project
from generator.site.arranged import Archive, Entry
from generator.site.load import load
from generator.site.render.card import Ctx, card
from generator.site.render.html import strip_controls
from generator.site.render.tex import plain

ROOT = Path(__file__).resolve().parents[2]
CARD = re.compile(r'<article class="pa-card".*?</article>', re.DOTALL)
LINKS = re.compile(r'<ul class="pa-card__links" aria-label="Links">(.*?)</ul>')
ANCHOR = re.compile(r'<a href="([^"]*)"([^>]*)>([^<]*)</a>')


def links_of(card_html: str) -> list[tuple[str, dict[str, str], str]]:
    """(href, other attributes, text) of each link in a card's list of links, decoded."""
    found = LINKS.search(card_html)
    if found is None:
        return []
    out = []
    for href, rest, text in ANCHOR.findall(found.group(1)):
        attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', rest)}
        out.append((html.unescape(href), attrs, html.unescape(text)))
    return out


def title_only(title: str) -> Entry:
    return Entry(make_paper("t-0123456789ab", title=title, links=Links()), ("other",), False)


def render(entry: Entry) -> str:
    return card(entry, Ctx("", {"other": "Other"}), level=3, on_day_page=False)


def test_a_paper_known_by_title_links_to_an_arxiv_search_for_that_title() -> None:
    [(href, attrs, text)] = links_of(render(title_only('Q&A: "100\\% of" <b>#1</b>?')))
    url = urlsplit(href)
    assert (url.scheme, url.netloc, url.path) == ("https", "arxiv.org", "/search/")
    assert parse_qs(url.query) == {
        "query": ['"Q&A: "100% of" <b>#1</b>?"'],
        "searchtype": ["title"],
    }
    assert text == "Find on arXiv"
    assert attrs == {
        "rel": "nofollow noopener",
        "aria-label": 'Find on arXiv: Q&A: "100% of" <b>#1</b>?',
    }


def test_a_paper_with_an_arxiv_link_gets_no_search() -> None:
    paper = make_paper("2601.00001", title="Known")
    texts = [text for _, _, text in links_of(render(Entry(paper, ("other",), False)))]
    assert texts == ["arXiv", "PDF", "Hugging Face"]


@settings(max_examples=200, deadline=None)
@given(title=nonblank)
def test_any_title_makes_one_well_formed_search_link(title: str) -> None:
    rendered = render(title_only(title))
    [(href, attrs, _)] = links_of(rendered)
    query = parse_qs(urlsplit(href).query, keep_blank_values=True)
    words = " ".join(plain(strip_controls(title)).split())
    assert query == {"query": [f'"{words}"'], "searchtype": ["title"]}
    # The URL and the attribute hold no raw character that could end them early.
    assert not re.search(r"[\s\"'<>]", href)
    assert attrs["aria-label"].startswith("Find on arXiv: ")
    assert rendered.count('href="https://') == 1


def cards_with_no_way_out(archive: Archive) -> list[str]:
    docs, _ = render_all(archive)
    missing = []
    for path, text in docs.items():
        if not path.endswith(".md"):
            continue
        for found in CARD.findall(str(text)):
            if not any(href.startswith("https://") for href, _, _ in links_of(found)):
                missing.append(f"{path}: {found[:120]}")
    return missing


def test_every_card_of_the_fixture_links_to_its_paper(fixture_archive: Archive) -> None:
    assert cards_with_no_way_out(fixture_archive) == []


def test_every_card_of_the_shipped_archive_links_to_its_paper() -> None:
    archive = load(Project(ROOT)).archive
    assert archive.total >= 700
    assert cards_with_no_way_out(archive) == []


def test_the_search_links_of_one_page_are_told_apart(fixture_archive: Archive) -> None:
    docs, _ = render_all(fixture_archive)
    for path, text in docs.items():
        labels = re.findall(r'aria-label="(Find on arXiv[^"]*)"', str(text))
        assert len(labels) == len(set(labels)), path
