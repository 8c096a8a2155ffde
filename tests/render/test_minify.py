"""compact_html: the theme's indentation and blank lines go, and nothing a browser shows."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import build_fixture_site
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.project import Project
from generator.site.render.minify import compact_html

_RUN_RE = re.compile(r"([ \t\n]+)")

# --- an oracle: what a browser keeps as written, found one character at a time ----------

TEXT_ONLY = ("textarea", "xmp", "script", "style")  # text up to the end tag, `<!--` included
MARKUP = ("pre", "listing")  # markup, in which a comment is a comment
NAME_END = "\t\n\f\r />"


def _comment_end(low: str, at: int) -> int:
    """Where the comment starting at `at` (its `<!--`) ends."""
    start = at + 4
    if low.startswith(">", start):
        return start + 1
    if low.startswith("->", start):
        return start + 2
    ends = [(i, i + len(e)) for e in ("-->", "--!>") if (i := low.find(e, start)) != -1]
    return min(ends)[1] if ends else len(low)


def _named(low: str, at: int, tag: str) -> bool:
    end = at + len(tag)
    return low.startswith(tag, at) and end < len(low) and low[end] in NAME_END


def _element_end(low: str, at: int, tag: str) -> int:
    """Where the element whose `<tag` is at `at` ends: after its end tag's name."""
    i = at + 1 + len(tag)
    while i < len(low):
        if tag in MARKUP and low.startswith("<!--", i):
            i = _comment_end(low, i)
        elif low.startswith("</", i) and _named(low, i + 2, tag):
            return i + 2 + len(tag)
        else:
            i += 1
    return len(low)


def kept_spans(html: str) -> list[tuple[int, int]]:
    """The spans of html that must stay byte for byte: the verbatim elements and comments."""
    low = html.lower()
    assert len(low) == len(html)  # ASCII-only tests
    spans, i = [], 0
    while i < len(low):
        if low.startswith("<!--", i):
            end = _comment_end(low, i)
        else:
            tag = next((t for t in MARKUP + TEXT_ONLY if _named(low, i + 1, t)), None)
            if not low.startswith("<", i) or tag is None:
                i += 1
                continue
            end = _element_end(low, i, tag)
        spans.append((i, end))
        i = end
    return spans


def runs(html: str) -> list[tuple[int, str]]:
    """Each maximal run of spaces, tabs and newlines in html: (where, the run)."""
    return [(m.start(), m.group()) for m in _RUN_RE.finditer(html)]


def check(html: str) -> str:
    """compact_html(html), after checking what it may do to html."""
    out = compact_html(html)
    # Between the white space, not a character changes; and the page reads the same.
    assert _RUN_RE.split(out)[::2] == _RUN_RE.split(html)[::2]
    assert _RUN_RE.sub(" ", out) == _RUN_RE.sub(" ", html)
    spans = kept_spans(html)
    for (at, run), (_, new) in zip(runs(html), runs(out), strict=True):
        # A run is left alone, or it began with a newline and is that newline now...
        assert new == run or (run.startswith("\n") and new == "\n"), (run, new)
        # ...and never in what a browser keeps as written.
        if any(start < at + len(run) and at < end for start, end in spans):
            assert new == run, (html[max(at - 20, 0) : at + 20], run, new)
    for start, end in spans:
        assert html[start:end] in out
    assert compact_html(out) == out
    return out


# --- examples ----------------------------------------------------------------------------


def test_indentation_and_blank_lines_go_but_every_line_break_stays() -> None:
    html = (
        "<!doctype html>\n<html>\n  <head>\n    \n      <title>t</title>\n\n\n  </head>\n"
        "  <body>\n    <a href=x>one</a>\n      <a href=y>two</a>\n\t\t<b>bold</b>\n  </body>\n"
        "</html>\n\n"
    )
    assert check(html) == (
        "<!doctype html>\n<html>\n<head>\n<title>t</title>\n</head>\n<body>\n"
        "<a href=x>one</a>\n<a href=y>two</a>\n<b>bold</b>\n</body>\n</html>\n"
    )


def test_a_newline_between_inline_elements_stays_a_newline() -> None:
    # The newline is the space a reader sees between the two links: it must not go.
    assert check("<p><a>x</a>\n        <a>y</a></p>") == "<p><a>x</a>\n<a>y</a></p>"
    assert check("<p>word\n   <em>word</em></p>") == "<p>word\n<em>word</em></p>"


def test_white_space_within_a_line_is_untouched() -> None:
    html = "<p>a   b\t\tc <span>  d  </span>  </p>"
    assert check(html) == html
    # A line ending in white space keeps the break after it as it is.
    assert check("<p>a  \n    b</p>") == "<p>a  \n    b</p>"


@pytest.mark.parametrize(
    "element",
    [
        "<pre>\n    indented\n\n\n  code\n</pre>",
        '<PRE class="bib">\n  @misc{x,\n    title = {A},\n}\n</Pre >',
        "<textarea name=t>\n   typed\n\n   text</textarea>",
        "<script>\n  if (a < b) {\n    run()\n  }\n\n</script>",
        '<script type="module">\n  import x from "./x.js"\n</script>',
        "<style>\n  .a {\n    color: red;\n  }\n</style>",
        "<listing>\n  old\n    code</listing>",
        "<xmp>\n  <b>raw</b>\n   text</xmp>",
        "<!--\n   a comment\n\n   with <pre> in it\n-->",
        "<pre>\n  a <!-- </pre> is not its end -->\n    b</pre>",
    ],
)
def test_verbatim_elements_are_kept_byte_for_byte(element: str) -> None:
    html = f"<div>\n    <p>before</p>\n    {element}\n    <p>after</p>\n</div>"
    out = check(html)
    assert element in out
    assert out == f"<div>\n<p>before</p>\n{element}\n<p>after</p>\n</div>"


def test_an_element_left_open_keeps_the_rest_of_the_page() -> None:
    html = "<div>\n  <pre>\n    code\n\n  <p>\n    more"
    assert check(html) == "<div>\n<pre>\n    code\n\n  <p>\n    more"


def test_names_end_where_a_browser_ends_them() -> None:
    # <prefix> is no <pre>, and </prefix> does not end one.
    assert check("<prefix>\n  a</prefix>") == "<prefix>\na</prefix>"
    html = "<pre>\n  a</prefix>\n  b</pre>\n  c"
    assert check(html) == "<pre>\n  a</prefix>\n  b</pre>\nc"
    # In a <textarea>, `<!--` is text: its end tag ends it even "inside" one.
    html = "<textarea>\n  a <!-- </textarea>\n  b -->"
    assert check(html) == "<textarea>\n  a <!-- </textarea>\nb -->"


def test_a_newline_inside_a_tag_keeps_its_indentation() -> None:
    # It may be in an attribute value, which a tooltip or a script reads as written.
    html = '<a\n    href="x"\n    title="first line\n      second line">link</a>\n    <b>x</b>'
    assert check(html) == html.replace("\n    <b>", "\n<b>")


def test_compacting_twice_is_compacting_once() -> None:
    html = "<div>\n\n   <p>\n  a\n\n b  \n  c</p>\n <pre>\n  x\n</pre>\n\t\n</div>\n  "
    once = check(html)
    assert compact_html(once) == once


# --- any HTML-ish text -------------------------------------------------------------------

_TOKENS = [
    "<p>", "</p>", "<a href=\"x\">", "</a>", "<span>", "</span>", "<br>", "<div\n  class=\"c\">",
    "<pre>", "</pre>", "<PRE class=\"b\">", "</Pre>", "<pre", "</pre", "<prefix>", "</prefix>",
    "<script>", "</script>", "<script src=\"a.js\">", "<textarea>", "</textarea>",
    "<style>", "</style>", "<listing>", "</listing>", "<xmp>", "</xmp>",
    "<!--", "-->", "--!>", "<!-->", "<", ">", "/", "=", "\"", "'", "-", "!",
    "a", "word", "x &lt; y", "&amp;", "title=\"x\n   y\"",
    " ", "  ", "\t", "\n", "\n  ", "\n\t\t", "\n\n", "\n   \n    ", " \n", "\n \n", "\r\n",
]  # fmt: skip
html_ish = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join) | st.text(
    alphabet="<>/!-=\"' \t\n\rprescitylPRESCxmab", max_size=120
)


@settings(max_examples=400, deadline=None)
@given(html_ish)
def test_only_white_space_after_a_newline_ever_goes_and_never_where_it_shows(
    html: str,
) -> None:
    check(html)


# --- the hook and a real build -----------------------------------------------------------

_POLICY_RE = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]*)"')
_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def policy_hashes(html: str) -> set[str]:
    match = _POLICY_RE.search(html)
    assert match is not None
    script_src = next(d for d in match.group(1).split("; ") if d.startswith("script-src"))
    return {s for s in script_src.split() if s.startswith("'sha256-")}


def inline_script_hashes(html: str) -> set[str]:
    """The hashes of the page's inline scripts that a browser runs (no src, no JSON)."""
    return {
        sha256_source(text)
        for attrs, text in _SCRIPT_RE.findall(html)
        if "src=" not in attrs and "application/json" not in attrs
    }


THEME_PAGE = (
    '\n<!doctype html>\n<html>\n  <head>\n    \n      <meta charset="utf-8">\n'
    "    <script>\n      var theme = 1;\n        go(theme)\n    </script>\n  </head>\n"
    '  <body>\n    <article class="md-content__inner md-typeset">\n'
    "      {content}\n    </article>\n  </body>\n</html>\n"
)


@pytest.mark.parametrize("command", ["build", "serve"])
def test_the_hook_compacts_every_page_after_its_policy(command: str) -> None:
    from generator.site import hooks

    content = "<p>a\n   b</p>\n  <pre>\n  kept\n</pre>"
    hooks_ = hooks.MkDocsHooks()
    hooks_.on_startup(command, dirty=False)
    page = SimpleNamespace(content=content)
    out = hooks_.on_post_page(THEME_PAGE.format(content=content), page, None)
    config = SimpleNamespace(site_url="https://example.org/almanac/")
    missing = hooks_.on_post_template(THEME_PAGE.format(content="<h1>404</h1>"), "404.html", config)
    for html in (out, missing):
        assert not re.search(r"\n[ \t]|\n\n", outside_kept(html))
        assert "<script>\n      var theme = 1;\n        go(theme)\n    </script>" in html
        if command == "build":
            assert policy_hashes(html) == inline_script_hashes(html) != set()
        else:
            assert "Content-Security-Policy" not in html  # the preview goes without it
    assert "<p>a\nb</p>\n<pre>\n  kept\n</pre>" in out


def outside_kept(html: str) -> str:
    """html with every verbatim element and comment taken out."""
    parts, at = [], 0
    for start, end in kept_spans(html):
        parts.append(html[at:start])
        at = end
    return "".join([*parts, html[at:]])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project, _ = build_fixture_site(tmp_path_factory.mktemp("site") / "project")
    return project


@pytest.mark.slow
def test_built_pages_are_compact_and_their_policy_still_allows_their_scripts(
    built: Project,
) -> None:
    days = sorted(built.site.glob("days/*/*/*/index.html"))
    assert days
    pages: list[Path] = [days[-1], built.site / "index.html", built.site / "404.html"]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert compact_html(html) == html, path
        rest = outside_kept(html)
        assert not re.search(r"\n[ \t]", rest), path  # no line starts with white space...
        assert "\n\n" not in rest, path  # ...nor is blank, but in <pre>, <script> and the like
        # The policy was made before the page was compacted: it still allows exactly the
        # page's inline scripts, which compacting left byte for byte.
        assert policy_hashes(html) == inline_script_hashes(html) != set(), path
    day = days[-1].read_text(encoding="utf-8")
    assert "<pre>@" in day  # the day's BibTeX, in <pre>, kept as written
