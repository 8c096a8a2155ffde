"""BibTeX entries: they parse (bibtexparser, and a strict reader that counts braces the way
BibTeX does), carry the arXiv fields, and keep any record text as text."""

from __future__ import annotations

import html
import re
from datetime import date

import bibtexparser
from helpers import make_paper
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.site.arranged import Archive
from generator.site.render.bibtex import _author, authors, cite_key, entry, tex
from generator.site.render.card import bibtex_block
from generator.site.render.tex import plain

HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"
_UNTEX = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\textless{}": "<",
    r"\textgreater{}": ">",
    r"\$": "$",
    r"\%": "%",
    r"\&": "&",
    r"\#": "#",
    r"\_": "_",
}
_UNTEX_RE = re.compile("|".join(re.escape(k) for k in _UNTEX))
_SPECIALS = set("{}$%&#_~^\\<>")


def untex(text: str) -> str:
    return _UNTEX_RE.sub(lambda m: _UNTEX[m.group()], text)


def strict_parse(bib: str) -> list[tuple[str, str, dict[str, str]]]:
    """(type, key, fields) of each entry. Braces count even after a backslash, as in
    BibTeX itself; a field's text must not hold a bare TeX special character."""
    out = []
    pos = 0
    head = re.compile(r"\s*@(\w+)\{([^,\s{}]+),\n")
    field = re.compile(r"  (\w+) = \{")
    while pos < len(bib.rstrip()):
        match = head.match(bib, pos)
        assert match, f"no entry at {bib[pos : pos + 40]!r}"
        kind, key, pos = match.group(1), match.group(2), match.end()
        fields: dict[str, str] = {}
        while True:
            found = field.match(bib, pos)
            assert found, f"no field at {bib[pos : pos + 40]!r}"
            depth, start, i = 1, found.end(), found.end()
            while depth:
                assert i < len(bib), "unbalanced braces"
                depth += {"{": 1, "}": -1}.get(bib[i], 0)
                i += 1
            value = bib[start : i - 1]
            assert "\n" not in value
            bare = re.sub(r"\\[a-z]+\{\}|\\[$%&#_]", "", value)
            # Braces around a whole author name are BibTeX's own grouping.
            bare = re.sub(r"(^| and )\{([^{}]*)\}(?= and |$)", r"\1\2", bare)
            assert not (set(bare) & _SPECIALS), f"bare TeX special in {value!r}"
            assert found.group(1) not in fields
            fields[found.group(1)] = value
            pos = i
            if bib.startswith(",\n", pos):
                pos += 2
                continue
            assert bib.startswith("\n}", pos), f"entry not closed at {bib[pos : pos + 20]!r}"
            pos += 2
            break
        out.append((kind, key, fields))
    return out


def test_an_arxiv_paper_is_an_arxiv_style_misc_entry() -> None:
    paper = make_paper(
        "2601.01425",
        title="Attention Is (Still) All You Need",
        authors=("Ada Lovelace", "Alan Turing"),
        published=date(2025, 12, 29),
        primary_category="cs.CL",
        doi="10.1000/x_y",
    )
    [(kind, key, fields)] = strict_parse(entry(paper) + "\n")
    assert kind == "misc"
    assert key == "lovelace2025-2601.01425"
    assert fields == {
        "title": "Attention Is (Still) All You Need",
        "author": "Ada Lovelace and Alan Turing",
        "year": "2025",
        "eprint": "2601.01425",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.CL",
        "doi": r"10.1000/x\_y",
        "url": "https://arxiv.org/abs/2601.01425",
    }


def test_a_paper_known_by_title_has_no_eprint_and_the_year_it_was_featured() -> None:
    paper = make_paper("t-0a1b2c3d4e5f", title="Untitled", day=date(2026, 1, 2))
    [(_, key, fields)] = strict_parse(entry(paper) + "\n")
    assert key == "anon2026-t-0a1b2c3d4e5f"
    assert "eprint" not in fields and "archivePrefix" not in fields and "url" not in fields
    assert fields["year"] == "2026"


def test_authors_are_grouped_when_they_would_split_and_the_rest_are_others() -> None:
    paper = make_paper(
        "2601.00002",
        authors=("Smith, John", "Research and Development Team", "Zoë Ångström"),
        author_count=40,
    )
    _, key, fields = strict_parse(entry(paper) + "\n")[0]
    assert fields["author"] == (
        "{Smith, John} and {Research and Development Team} and Zoë Ångström and others"
    )
    assert key.startswith("john2026-")
    assert (
        cite_key(make_paper("2601.00003", authors=("Zoë Ångström",))) == "angstrom2026-2601.00003"
    )


def test_hostile_text_stays_text(fixture_archive: Archive) -> None:
    paper = fixture_archive.entries["2601.00101"].paper
    _, _, fields = strict_parse(entry(paper) + "\n")[0]
    assert untex(fields["title"]) == HOSTILE
    assert untex(fields["author"]) == "<img src=x onerror=alert(2)> and Bobby {{ Tables }}"


def test_a_titles_tex_escapes_are_read_as_tex_not_shown_as_backslashes() -> None:
    paper = make_paper("2601.00009", title=r"100\% of R\&D, $x_1$")
    [(_, _, fields)] = strict_parse(entry(paper) + "\n")
    assert fields["title"] == r"100\% of R\&D, \$x\_1\$"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1).filter(lambda t: _printable(t).strip()), st.lists(st.text(), max_size=4))
@example("\x1b~\x08", [])  # a tie between controls once left the title empty
def test_any_text_makes_a_well_formed_entry_that_reads_back(title: str, names: list[str]) -> None:
    paper = make_paper("2601.00009", title=title, authors=tuple(names))
    [(_, _, fields)] = strict_parse(entry(paper) + "\n")
    parsed = bibtexparser.parse_string(entry(paper))
    assert not parsed.failed_blocks and len(parsed.entries) == 1
    assert untex(fields["title"]) == untex(tex(plain(title)))
    assert untex(tex(title)) == " ".join(_printable(title).split())


def _printable(text: str) -> str:
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)


def test_a_day_of_entries_joined_as_cite_js_joins_them_parses(fixture_archive: Archive) -> None:
    # The day page's "BibTeX of every paper" is its cards' entries, a blank line between.
    day = date(2026, 1, 2)
    papers = [e.paper for e in fixture_archive.by_day[day]]
    bib = "\n\n".join(entry(p) for p in papers) + "\n"
    entries = strict_parse(bib)
    assert [key for _, key, _ in entries] == [cite_key(p) for p in papers]
    assert len({key for _, key, _ in entries}) == len(papers)
    parsed = bibtexparser.parse_string(bib)
    assert not parsed.failed_blocks
    assert [e.key for e in parsed.entries] == [cite_key(p) for p in papers]


def test_the_card_shows_the_same_entry_as_html_text(fixture_archive: Archive) -> None:
    for item in fixture_archive.entries.values():
        block = bibtex_block(item.paper)
        inner = re.fullmatch(
            r'<details class="pa-card__bib"><summary>BibTeX</summary><pre>(.*)</pre></details>',
            block,
            re.DOTALL,
        )
        assert inner, block
        assert "<" not in inner.group(1)
        assert html.unescape(inner.group(1)) == entry(item.paper)


_NAME = st.text(alphabet="andAND Zé_,\n\t.-'(){}$&") | st.text()


@settings(max_examples=300, deadline=None)
@given(st.lists(_NAME, max_size=12))
def test_the_fast_path_for_author_lists_agrees_with_name_by_name(names: list[str]) -> None:
    paper = make_paper("2601.00011", authors=tuple(names))
    expected = [_author(n) for n in names if n.strip()]
    if expected and len(names) > len(expected):
        expected.append("others")  # blank names still count as authors
    assert authors(paper) == (" and ".join(expected) if expected else None)
