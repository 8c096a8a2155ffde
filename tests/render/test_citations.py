"""What reference managers read: each day's RIS file and each card's COinS span. Both are
read back with outside parsers (rispy; the standard library's query-string parser) and
by the rules of Zotero's own COinS reader, and must say what the archive says."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import rispy
from helpers import check_ris_record, docs_files, folded, make_paper
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import RecordError
from generator.models import Paper
from generator.project import Project
from generator.site.arranged import Archive, Entry
from generator.site.load import load
from generator.site.render.card import Ctx, card, coins
from generator.site.render.ris import day_file, file_name, record
from generator.site.render.tex import plain
from generator.site.render.urls import day_url

SITE = "https://example.org/almanac/"
REPO = Path(__file__).resolve().parents[2]


def paper_url(paper: Paper) -> str | None:
    return paper.links.arxiv or paper.links.hf or paper.links.project


class _Spans(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "span" and values.get("class") == "Z3988":
            self.found.append(values.get("title") or "")


def spans_of(text: str) -> list[str]:
    spans = _Spans()
    spans.feed(text)
    return spans.found


def coins_of(text: str) -> list[list[tuple[str, str]]]:
    return [parse_qsl(title, keep_blank_values=True) for title in spans_of(text)]


_MALFORMED = re.compile(r"%(?![0-9A-Fa-f]{2})")


def as_zotero_reads(title: str) -> list[tuple[str, str]]:
    """The pairs as Zotero's COinS reader takes them (parseContextObject in zotero/utilities'
    openurl.js): split on "&", a value is what lies between the first "=" and the next,
    "+" and "%2B" are read as spaces, then percent escapes are decoded; a pair without
    "=" or a malformed escape (a bare "%", bytes that are not UTF-8) is an error that
    loses the whole span."""
    pairs = []
    for part in title.split("&"):
        assert "=" in part, f"Zotero fails on a pair without a value: {part!r}"
        key, value = part.split("=")[:2]
        value = re.sub(r"\+|%2[bB]", " ", value)
        assert not _MALFORMED.search(value), f"Zotero cannot decode {part!r}"
        pairs.append((key, unquote(value, errors="strict")))
    return pairs


def zotero_sees(text: str) -> str:
    # Zotero's reader cannot tell a "+" from a space: what it makes of any text with one.
    return text.replace("+", " ")


def check_coins(
    pairs: list[tuple[str, str]], paper: Paper, seen: Callable[[str], str] = str
) -> None:
    """`seen`: what the reader makes of a text (Zotero's reader: zotero_sees)."""
    fields: dict[str, list[str]] = {}
    for key, value in pairs:
        fields.setdefault(key, []).append(value)
    assert fields["ctx_ver"] == ["Z39.88-2004"]
    # Zotero saves a span as a journal article ("preprint" is the genre) only with this.
    assert fields["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert fields["rft.atitle"] == [seen(folded(plain(paper.title)))]
    authors = [seen(" ".join(a.split())) for a in paper.authors if a.strip()]
    assert fields.get("rft.au", []) == authors
    assert fields["rft.date"] == [(paper.published or paper.day).isoformat()]
    ids = fields.get("rft_id", [])
    assert (f"info:arxiv/{paper.id}" in ids) == paper.is_arxiv
    assert paper_url(paper) is None or seen(paper_url(paper) or "") in ids
    assert paper.doi is None or seen(f"info:doi/{folded(paper.doi)}") in ids


def test_every_day_has_a_ris_file_of_its_papers_that_rispy_reads(fixture_archive: Archive) -> None:
    files = docs_files(fixture_archive, SITE)
    for day in fixture_archive.days:
        text = files[day_url(day) + file_name(day)]
        assert isinstance(text, str)
        entries = rispy.loads(text)
        papers = [e.paper for e in fixture_archive.cards_on(day).all]
        assert [e["id"] for e in entries] == [p.id for p in papers]
        for found, paper in zip(entries, papers, strict=True):
            check_ris_record(found, paper)
        page = files[day_url(day) + "index.md"]
        assert f'href="{file_name(day)}"' in str(page)


def test_every_card_carries_coins_that_match_the_archive(fixture_archive: Archive) -> None:
    files = docs_files(fixture_archive, SITE)
    for day in fixture_archive.days:
        page = str(files[day_url(day) + "index.md"])
        shown = coins_of(page)
        entries = fixture_archive.by_day[day]
        assert len(shown) == len(entries) + len(fixture_archive.again.get(day, ()))
        for pairs, entry in zip(shown, entries, strict=False):
            check_coins(pairs, entry.paper)
        for title, entry in zip(spans_of(page), entries, strict=False):
            check_coins(as_zotero_reads(title), entry.paper, zotero_sees)


def test_zotero_reads_every_paper_of_the_shipped_archive() -> None:
    """Every paper of the real sample, as Zotero's COinS reader would save it."""
    archive = load(Project(REPO)).archive
    plus = 0
    for entry in archive.entries.values():
        span = coins(entry.paper)
        (title,) = spans_of(span)
        check_coins(as_zotero_reads(html.unescape(title)), entry.paper, zotero_sees)
        plus += "+" in entry.paper.title
    assert len(archive.entries) > 700
    assert plus  # real titles with a "+" (IMA++, SnapGen++): Zotero reads it as a space


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1)


# Any text, and names with the particles and single words a surname split must handle.
_name = _text | st.lists(
    st.sampled_from(["von", "de", "la", "Ada", "Grace", "Hopper", "M.", "li", "X", "1", "-"]),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(title=_text, authors=st.lists(_name, max_size=4), doi=st.none() | _text)
def test_record_text_never_breaks_a_ris_record_or_a_coins_span(
    title: str, authors: list[str], doi: str | None
) -> None:
    if not folded(plain(title)) or (doi is not None and not folded(doi)):
        return  # the model refuses empty titles; an empty DOI is no DOI
    try:
        paper = make_paper("2601.00001", title=title, authors=tuple(authors), doi=doi)
    except RecordError as exc:  # text the model refuses (control characters, too long)
        assert exc.field in ("title", "authors", "doi")
        return
    two = rispy.loads(record(paper) + "\n" + record(make_paper("2601.00002")))
    assert len(two) == 2
    check_ris_record(two[0], paper)
    span = coins(paper)
    assert span.count("<") == 2 and span.endswith("></span>")
    (pairs,) = coins_of(f"<p>{span}</p>")
    check_coins(pairs, paper)
    (title,) = spans_of(f"<p>{span}</p>")
    check_coins(as_zotero_reads(title), paper, zotero_sees)
    rendered = card(
        Entry(paper, ("other",)), Ctx("", {"other": "Other"}), level=2, on_day_page=True
    )
    assert html.escape(paper.id) in rendered


def test_a_day_file_keeps_the_page_order() -> None:
    papers = [make_paper(f"2601.0000{i}") for i in (3, 1, 2)]
    assert [e["id"] for e in rispy.loads(day_file(papers))] == [p.id for p in papers]
