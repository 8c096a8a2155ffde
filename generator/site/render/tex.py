"""TeX escapes in record prose (titles, summaries, abstracts) shown as the characters meant.

arXiv abstracts are written in TeX: "100\\% accuracy", "R\\&D", "Step~9", ``quoted''.
Outside math these become the plain characters; math spans are left exactly as they are,
because the site typesets them in the browser (assets/almanac/math.js, KaTeX). The spans
are found with math.js's own rules, so both sides agree on what is math: \\( \\), \\[ \\],
$$ $$, and $ $ opening before a non-space and closing after one, not before a digit.

Only the escapes below change; any other command (\\emph, \\'{e}) stays as written, as
guessing at TeX would do more harm than showing it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# A backslash before one of these characters only escapes it.
_ESCAPED = frozenset("%&_#${} ")
_MAX_MATH = 400  # math.js's limit: a longer "span" is more likely two stray dollars
# "~" is TeX's unbreakable space between two words ("Step~9"); "~1.6M" after a space
# means "about", and stays, as does a "~" beside a control character (not text: it is
# dropped later, and the "~" must not become a space with nothing around it).
_TIE = re.compile(r"(?<=[^\s\x00-\x1f\x7f-\x9f])~(?=[^\s\x00-\x1f\x7f-\x9f])")
_DIGIT = re.compile(r"[0-9]")


class _Math(NamedTuple):
    start: int
    end: int


# Where math may open, or a backslash that escapes the next character.
_OPENING = re.compile(r"\\[(\[]|\$\$?|\\")
# A backslash and the character it escapes; a TeX escape keeps only the character.
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_ESCAPE_NO_DOLLAR = re.compile(r"\\([^$])|\\\$", re.DOTALL)


def _closing(text: str, start: int, close: str) -> int:
    if close in ("\\)", "\\]"):
        return text.find(close, start)
    # Dollars close at the next dollar (or pair) that no backslash escapes.
    j = start
    while True:
        j = min((k for k in (text.find(close, j), text.find("\\", j)) if k >= 0), default=-1)
        if j < 0 or text.startswith(close, j):
            return j
        j += 2


def _span(text: str, start: int, opener: str, close: str) -> _Math | None:
    inner = start + len(opener)
    end = _closing(text, inner, close)
    if end <= inner or end - inner > _MAX_MATH or not text[inner:end].strip():
        return None
    if opener == "$":
        after = text[end + 1 : end + 2]
        if text[inner].isspace() or text[end - 1].isspace() or _DIGIT.match(after):
            return None
    return _Math(start, end + len(close))


_CLOSE = {"\\(": "\\)", "\\[": "\\]", "$$": "$$", "$": "$"}


def math_spans(text: str) -> list[_Math]:
    """Where math.js finds math in `text`, as (start, end) of each span with delimiters."""
    found: list[_Math] = []
    i = 0
    while (m := _OPENING.search(text, i)) is not None:
        opener = m.group()
        span = _span(text, m.start(), opener, _CLOSE[opener]) if opener in _CLOSE else None
        if span is not None:
            found.append(span)
            i = span.end
        else:
            i = m.start() + (1 if opener == "$" else 2)
    return found


def _unescape(prose: str, dollars: bool, quotes: bool) -> str:
    pattern = _ESCAPE if dollars else _ESCAPE_NO_DOLLAR
    # Other escapes ("\\" is TeX's line break, "\emph") stay as written.
    text = pattern.sub(lambda m: m[1] if m[1] in _ESCAPED else m[0], prose)
    text = _TIE.sub(" ", text)
    if quotes:
        text = text.replace("``", "\u201c").replace("''", "\u201d")
    return text


def _plain(text: str, dollars: bool) -> str:
    # '' is TeX's closing quote only in text that opens with ``; elsewhere it is more
    # likely a derivative or two apostrophes.
    quotes = "``" in text
    parts: list[str] = []
    at = 0
    for span in math_spans(text):
        parts.append(_unescape(text[at : span.start], dollars, quotes))
        parts.append(text[span.start : span.end])
        at = span.end
    parts.append(_unescape(text[at:], dollars, quotes))
    return "".join(parts)


def _maths(text: str) -> list[str]:
    return [text[s.start : s.end] for s in math_spans(text)]


def plain(text: str) -> str:
    """Record prose with the TeX escapes outside math as the characters they stand for."""
    if "\\" not in text and "~" not in text and "``" not in text:
        return text  # nearly every title and many abstracts: nothing to do
    out = _plain(text, dollars=True)
    # An escaped dollar made plain may pair with another into math the author never
    # wrote ("\\$x\\$"); then the dollars keep their backslashes.
    if "\\$" in text and _maths(out) != _maths(text):
        out = _plain(text, dollars=False)
    return out
