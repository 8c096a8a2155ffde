"""TeX escapes in record prose: plain characters outside math, math left for KaTeX."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.render.html import esc, paragraphs, prose
from generator.site.render.tex import math_spans, plain


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("100\\% single-turn accuracy", "100% single-turn accuracy"),
        ("R\\&D, a\\_b, \\#1, \\{x\\}, \\$5", "R&D, a_b, #1, {x}, $5"),
        ("Optimization~(BPO), Step~9", "Optimization (BPO), Step 9"),
        ("about ~1.6M pairs", "about ~1.6M pairs"),  # "~" meaning "about" stays
        ("41.6\\% vs.\\ 33.5\\%", "41.6% vs. 33.5%"),
        ("a ``recipe'' for it", "a \u201crecipe\u201d for it"),
        ("it's f''(x) here", "it's f''(x) here"),
        (
            "``quoted'' then $f''(x)$",
            "\u201cquoted\u201d then $f''(x)$",
        ),  # not in math  # no TeX quotes in the text: as written
        ("\\emph{new} and \\'{e}", "\\emph{new} and \\'{e}"),  # other commands as written
        ("a\\\\%b", "a\\\\%b"),  # "\\\\" is TeX's line break, not an escaped "\\"
    ],
)
def test_escapes_outside_math_become_the_characters(text: str, shown: str) -> None:
    assert plain(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "error $\\epsilon \\% 2$ drops",
        "bound $$\\{x\\}~y$$ holds",
        "as \\(a\\_1 \\& b\\) and \\[c\\#\\]",
    ],
)
def test_math_is_left_exactly_as_written(text: str) -> None:
    assert plain(text) == text


def test_escaped_dollars_become_dollars_unless_that_makes_math() -> None:
    assert plain("costs \\$5 and \\$10 a month, 10\\%") == "costs $5 and $10 a month, 10%"
    assert plain("a \\$x\\$ pair, 10\\%") == "a \\$x\\$ pair, 10%"


def test_math_spans_follow_math_js() -> None:
    def spans(text: str) -> list[str]:
        return [text[s.start : s.end] for s in math_spans(text)]

    assert spans("costs $5 and $10 a month for $k$ users") == ["$k$"]
    assert spans("$x$1 is not math, $ y$ neither, $y $ nor") == []
    assert spans("\\$x$ y$") == []  # an escaped dollar opens nothing, "x$ y$" fails the rule
    assert spans("$$a$$ \\(b\\) \\[c\\] $d\\$e$") == ["$$a$$", "\\(b\\)", "\\[c\\]", "$d\\$e$"]


def test_record_prose_is_made_plain_then_escaped() -> None:
    assert prose("100\\% <b>") == "100% &lt;b&gt;"
    assert paragraphs("A\\&B\n\n$x\\_1$") == "<p>A&amp;B</p><p>&#36;x&#92;&#95;1&#36;</p>"


TEX_PIECES = [*"\\$%&_{}~`'()[] x1", "$$", "\\(", "\\)", "\\[", "\\]", "\\ "]
tex_text = st.lists(st.sampled_from(TEX_PIECES), max_size=30).map("".join)
any_text = tex_text | st.text(max_size=60)


@settings(max_examples=500, deadline=None)
@given(any_text)
def test_math_survives_and_escaping_still_holds(text: str) -> None:
    out = plain(text)
    assert [out[s.start : s.end] for s in math_spans(out)] == [
        text[s.start : s.end] for s in math_spans(text)
    ]
    assert not set(esc(out)) & set("<>\"'{}$*_[]`\\~^")


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_characters="\\~`"), max_size=80))
def test_text_without_tex_is_unchanged(text: str) -> None:
    assert plain(text) == text


@settings(max_examples=500, deadline=None)
@given(any_text)
def test_making_plain_is_idempotent_on_what_it_made(text: str) -> None:
    once = plain(text)
    if "\\" not in once:
        assert plain(once) == once
