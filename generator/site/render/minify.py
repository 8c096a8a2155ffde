"""The theme's indentation and blank lines, taken out of every built page.

Material's templates are written to be read: at 30,000 papers the day and topic pages
held 7.8 MB of nothing but indentation and blank lines (of 191.7 MB), and the site is
judged by its weight on disk. A browser shows none of it: outside the elements that keep
their white space, a newline with indentation after it reads as one space, as does a
newline alone. So a newline and the white space after it become one newline, never less:
a newline between two inline elements is the space a reader sees between them. Nothing
within a line is touched, so a browser renders the page as before.

Kept byte for byte: <pre> and <textarea> (and the obsolete <listing> and <xmp>), whose
white space is shown; <script>, whose inline text the Content-Security-Policy allows by
the hash of its exact bytes (render/csp.py), and <style>; comments, so that a tag quoted
in one is not taken for a real one. An element left open keeps the rest of the page, as
a browser reads it. Tag names are matched as a browser matches them: ASCII letters in
either case, the name ending at white space, `/` or `>` (so `</prefix>` ends no <pre>).

A newline inside a tag may be in an attribute value, which a script or a tooltip reads
as written; so white space is taken only after a newline that ends a tag (`>` just before
it) or when the line after it reaches a `<` before any `>`: anywhere else, as between the
lines of a tag, it stays. (An attribute value with a raw `<` or `>` beside such a newline
would defeat this; escaped values, as the theme and the renderers write them, cannot.)
Nor is it taken after a line that ends in white space. Keeping more is always safe, it
only saves less: at 30,000 papers, 16 bytes of the whole site (the about page's wrapped
list items) against taking all of it.

It runs on every page MkDocs writes (10,000 at 100,000 papers), so it is two compiled
regular expressions, each over the page once and in time linear in its length; no parsing.
"""

from __future__ import annotations

import re

# A comment ends at `-->` or `--!>`, or at once as `<!-->` or `<!--->`.
_COMMENT = r"!--(?:-?>|[^-]*+(?:-(?!-!?>)[^-]*+)*+(?:--!?>|\Z))"
# Where a browser reads the content as text up to the end tag (`<!--` included), and where
# it reads markup, in which a comment may hold the end tag's text without ending anything.
_TEXT_ONLY = ("textarea", "xmp", "script", "style")
_MARKUP = ("pre", "listing")
_NAME_END = r"(?=[\t\n\f\r />])"


def _element(tag: str) -> str:
    """The pattern of an element named tag, after its `<` up to its end tag's name (or the
    end of the page): runs of characters, nothing to backtrack over."""
    name = rf"(?i:{tag}){_NAME_END}"
    comment = "" if tag in _TEXT_ONLY else f"<{_COMMENT}|"
    return rf"{name}[^<]*+(?:(?:{comment}<(?!/{name}))[^<]*+)*+(?:</{name}|\Z)"


# The first letters up front, so that most `<` are passed over at once.
_FIRST = "".join(sorted({c for tag in _MARKUP + _TEXT_ONLY for c in tag[0] + tag[0].upper()}))
_KEPT_RE = re.compile(
    f"<(?=[{_FIRST}!])(?:" + "|".join([*map(_element, _MARKUP + _TEXT_ONLY), _COMMENT]) + ")",
    re.ASCII,
)
# A newline not after white space (so a run of them is tried once, from its start), and the
# white space after it: after a `>`, or where the next line reaches a `<` first.
_BREAK_RE = re.compile(r"\n(?<![ \t\n]\n)(?:(?<=>\n)[ \t\n]++|[ \t\n]++(?=[^<>\n]*+(?:<|\Z)))")


def compact_html(html: str) -> str:
    """html with each newline and the white space after it as one newline, but where the
    module's docstring says it is kept; compact_html(compact_html(x)) == compact_html(x)."""
    parts: list[str] = []
    at = 0
    for kept in _KEPT_RE.finditer(html):
        parts.append(_BREAK_RE.sub("\n", html[at : kept.start()]))
        parts.append(kept.group())
        at = kept.end()
    parts.append(_BREAK_RE.sub("\n", html[at:]))
    return "".join(parts)
