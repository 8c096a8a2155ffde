"""BibTeX entries for papers: arXiv-style `@misc`, for each card (a day's file of them
is made in the reader's browser, from the cards: see assets/almanac/cards.js).

Record text is made safe for BibTeX, not kept as TeX: a title's `$x_1$` becomes the
characters "$x_1$", never math or a command, and no text can close a field or an entry
early. A title's TeX escapes outside math are read first: `100\\%` is the character "%",
written `\\%` once, not a backslash and a percent sign. BibTeX counts braces even after a
backslash, so `{` and `}` in text become `\\textbraceleft{}` and `\\textbraceright{}`,
whose braces balance.

The key is the first author's family name, the year and the paper's id
(`hopper2025-2601.00102`): readable, and unique because ids are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from generator.models import Paper
from generator.site.render.html import strip_controls
from generator.site.render.tex import plain

# Backslash and braces must be replaced in one pass, as their replacements hold them.
_GROUPING = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
}
# The rest, one str.replace each (the replacements hold none of the later characters).
_OTHERS = (
    ("$", r"\$"),
    ("%", r"\%"),
    ("&", r"\&"),
    ("#", r"\#"),
    ("_", r"\_"),
    ("~", r"\textasciitilde{}"),
    ("^", r"\textasciicircum{}"),
    ("<", r"\textless{}"),
    (">", r"\textgreater{}"),
)
_TEX = {**_GROUPING, **dict(_OTHERS)}
_TEX_RE = re.compile("[" + re.escape("".join(_TEX)) + "]")
# A name holding " and " or a comma would be split or reordered by BibTeX: brace it.
_NAME_SPLITTERS = re.compile(r"\sand\s|,", re.IGNORECASE)
_KEY_CHARS = re.compile(r"[^a-z0-9]")
# Letters, digits, spaces and harmless punctuation: most names and titles, nothing to do.
_PLAIN = re.compile(r"[\w .,:;!?'()/+=-]*\Z")  # and no "_", checked apart: one class is fast
_PLAIN_NAMES = re.compile(r"[\w\n .'()-]*\Z")  # names one per line, none to brace


def is_plain(text: str) -> bool:
    """Only letters, digits, spaces and punctuation that neither BibTeX nor HTML treat as
    syntax (the same text in both)."""
    return "_" not in text and _PLAIN.match(text) is not None


def tex(text: str) -> str:
    """Record text as BibTeX field text: one line, every special character escaped."""
    if is_plain(text):
        return " ".join(text.split())
    folded = " ".join(strip_controls(text).split())
    if "\\" in folded or "{" in folded or "}" in folded:  # rare: one regex pass
        return _TEX_RE.sub(lambda m: _TEX[m.group()], folded)
    # Most text: a few C-speed scans, several times faster than the regex on 30,000 papers.
    for char, escaped in _OTHERS:
        if char in folded:
            folded = folded.replace(char, escaped)
    return folded


@lru_cache(maxsize=65536)
def cite_key(paper: Paper) -> str:
    family = paper.authors[0].split()[-1] if paper.authors and paper.authors[0].split() else ""
    ascii_name = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    name = _KEY_CHARS.sub("", ascii_name.lower()) or "anon"
    return f"{name}{year(paper)}-{paper.id}"


def year(paper: Paper) -> int:
    """The paper's own year when known (arXiv's submission), else the year it was featured."""
    return (paper.published or paper.day).year


def _author(name: str) -> str:
    escaped = tex(name)
    return f"{{{escaped}}}" if _NAME_SPLITTERS.search(escaped) else escaped


def authors(paper: Paper) -> str | None:
    joined = "\n".join(paper.authors)
    if "_" not in joined and " and " not in joined.lower() and _PLAIN_NAMES.match(joined):
        # Most author lists: checked at once, as one text, rather than name by name.
        names = [" ".join(n.split()) for n in paper.authors if n.strip()]
    else:
        names = [_author(n) for n in paper.authors if n.strip()]
    if not names:
        return None
    if (paper.author_count or 0) > len(names):
        names.append("others")  # BibTeX's own word for "et al."
    return " and ".join(names)


def entry(paper: Paper, value: Callable[[str], str] = str) -> str:
    """The paper's @misc entry, one field per line, no trailing newline.

    `value` is applied to the key and to each field's text (e.g. HTML escaping, for a
    card), but not to the entry's own punctuation.
    """
    lines = [f"  {name} = {{{value(text)}}}" for name, text in fields(paper)]
    return f"@misc{{{value(cite_key(paper))},\n" + ",\n".join(lines) + "\n}"


# A paper's entry is shown on every card of it (its day, the home page, month, year and
# topic pages): made once per build.
@lru_cache(maxsize=65536)
def fields(paper: Paper) -> tuple[tuple[str, str], ...]:
    """(name, BibTeX text) of the entry's fields, in order; unknown ones left out."""
    out: list[tuple[str, str | None]] = [
        ("title", tex(plain(paper.title))),
        ("author", authors(paper)),
        ("year", str(year(paper))),
    ]
    if paper.is_arxiv:
        out += [
            ("eprint", paper.id),
            ("archivePrefix", "arXiv"),
            ("primaryClass", tex(paper.primary_category) if paper.primary_category else None),
        ]
    out += [
        ("doi", tex(paper.doi) if paper.doi else None),
        ("url", _url(paper)),
    ]
    return tuple((name, text) for name, text in out if text)


def _url(paper: Paper) -> str | None:
    links = paper.links
    url = links.arxiv or links.hf or links.project
    # URLs were checked to be http(s) without spaces; braces and % would still break BibTeX.
    if url is None or any(c in url for c in "{}%\\"):
        return None
    return url
