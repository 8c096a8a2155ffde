"""Escaping and small formatting helpers shared by every renderer.

Pages reach MkDocs as Markdown files whose body is raw HTML. Python-Markdown leaves a
well-formed raw HTML block alone, but record text must stay text even if that changes or
a Markdown extension is added: besides the HTML specials we encode the characters that
Markdown, Jinja and TeX-like extensions treat as syntax. Entities decode back to the same
text in the browser, so nothing visible changes.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from generator.site.render.tex import plain

# In the order applied: "&" first, so the entities made later are not escaped again.
_REPLACEMENTS = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("{", "&#123;"),
    ("}", "&#125;"),
    ("$", "&#36;"),
    ("*", "&#42;"),
    ("_", "&#95;"),
    ("[", "&#91;"),
    ("]", "&#93;"),
    ("`", "&#96;"),
    ("\\", "&#92;"),
    ("~", "&#126;"),
    ("^", "&#94;"),
)
# Control characters are not text: browsers drop or replace them, and Python-Markdown uses
# \x02 and \x03 to mark its own placeholders, so a record must never carry them through.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def strip_controls(text: str) -> str:
    return _CONTROL_RE.sub("", text)


def esc(text: str) -> str:
    """Record text as HTML text: controls dropped, whitespace folded, syntax as entities."""
    # str.replace per character is C-speed and skips absent characters; a translate table
    # or a regex callback was several times slower on 30,000 abstracts.
    text = " ".join(strip_controls(text).split())
    for char, entity in _REPLACEMENTS:
        if char in text:
            text = text.replace(char, entity)
    return text


def prose(text: str) -> str:
    """Record prose (a title, a summary) as HTML text, its TeX escapes made plain."""
    return esc(plain(text))


def paragraphs(text: str) -> str:
    """Longer prose (an abstract) as escaped <p> elements, one per blank-line break.

    No blank line ever reaches the page: it could end the raw HTML block early. TeX
    escapes are made plain paragraph by paragraph, as math.js looks for math in each.
    """
    parts = [p for p in _PARAGRAPH_BREAK.split(text.strip()) if p.strip()]
    return "".join(f"<p>{prose(p)}</p>" for p in parts)


def scroll_box(content: str, label: str, *, css: str = "pa-scroll") -> str:
    """content in a box that scrolls sideways on its own when it is wider than the page
    (a phone); focusable and named, so it can be scrolled from the keyboard. label is HTML."""
    return f'<div class="{css}" role="region" tabindex="0" aria-label="{label}">{content}</div>'


def long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def weekday_date(day: date) -> str:
    return f"{WEEKDAY_NAMES[day.weekday()]}, {long_date(day)}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def month_name(year: int, month: int) -> str:
    return f"{MONTH_NAMES[month - 1]} {year}"


def rel(here: str, target: str) -> str:
    """A link from the page at URL `here` to `target` (both site-relative folder URLs).

    Links are relative so the site works under any base path (GitHub Pages project sites,
    `mkdocs serve`, a plain file server). A `#fragment` on `target` is kept.
    """
    path, sep, fragment = target.partition("#")
    if path == here:
        return f"#{fragment}" if sep else "./"
    link = _relative_folder(here, path)
    return f"{link}#{fragment}" if sep else link


@lru_cache(maxsize=65536)
def _relative_folder(here: str, target: str) -> str:
    up = here.split("/")[:-1]
    down = target.split("/")[:-1]
    common = 0
    for a, b in zip(up, down, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(up) - common) + down[common:]
    return "/".join(parts) + "/" if parts else "./"
