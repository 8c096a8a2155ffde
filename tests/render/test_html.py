from __future__ import annotations

import html
from datetime import date
from html.parser import HTMLParser

import markdown  # type: ignore[import-untyped]
import pytest
import yaml
from hypothesis import given
from strategies import text

from generator.site.render.html import esc, long_date, paragraphs, rel, weekday_date
from generator.site.render.page import Page, yaml_quote

CONTROLS = {
    chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
}
HOSTILE = "<script>alert(1)</script> {{ x }} {% raw %} **b** $x_1$ ]]>"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def test_escaped_text_has_no_markup_characters_left() -> None:
    out = esc(HOSTILE)
    for char in "<>{}*$_[]":
        assert char not in out
    assert html.unescape(out) == HOSTILE


@given(text)
def test_any_text_comes_back_as_the_same_text_and_no_tags(value: str) -> None:
    result = parsed(f"<p>{esc(value)}</p>")
    assert result.tags == ["p"]
    expected = " ".join("".join(c for c in value if c not in CONTROLS).split())
    assert "".join(result.text) == expected


def test_control_characters_and_markdown_placeholders_are_dropped() -> None:
    assert esc("a\x02wzxhzdk:0\x03b\x00c") == "awzxhzdk:0bc"


def test_python_markdown_leaves_an_escaped_raw_block_alone() -> None:
    block = (
        f'<div class="x">\n<p>{esc(HOSTILE)}</p>\n<p>{esc("*not em* `code` [a](b)")}</p>\n</div>'
    )
    out = markdown.markdown(block, extensions=["toc", "admonition", "attr_list"])
    assert out == block


def test_paragraphs_split_on_blank_lines_and_never_emit_a_blank_line() -> None:
    out = paragraphs("First line\nsame paragraph.\n\n  \nSecond <b>one</b>.\n\n")
    assert out == "<p>First line same paragraph.</p><p>Second &lt;b&gt;one&lt;/b&gt;.</p>"
    assert "\n" not in out


@pytest.mark.parametrize(
    ("here", "target", "link"),
    [
        ("", "days/", "days/"),
        ("days/2026/01/02/", "days/2026/01/05/", "../05/"),
        ("days/2026/01/02/", "", "../../../../"),
        ("days/2026/01/02/", "days/2026/01/02/#2601.00001", "#2601.00001"),
        ("topics/x/", "days/2026/01/02/#a", "../../days/2026/01/02/#a"),
        ("topics/x/", "topics/x/", "./"),
        ("days/2025/12/31/", "days/2026/01/02/", "../../../2026/01/02/"),
    ],
)
def test_links_are_relative_to_the_page(here: str, target: str, link: str) -> None:
    assert rel(here, target) == link


def test_dates_read_in_english_without_locale() -> None:
    assert long_date(date(2026, 1, 2)) == "2 January 2026"
    assert weekday_date(date(2026, 1, 2)) == "Friday, 2 January 2026"


@given(text)
def test_yaml_quote_round_trips_any_text(value: str) -> None:
    assert yaml.safe_load(f"title: {yaml_quote(value)}") == {"title": value}


def test_page_front_matter_holds_the_escaped_title() -> None:
    page = Page("topics/x/", f"Vision 😀 {HOSTILE}", "<h1>x</h1>", "A <b> description")
    text = page.markdown()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == esc(f"Vision 😀 {HOSTILE}")
    assert front["description"] == "A &lt;b&gt; description"
    assert front["hide"] == ["toc"]
    assert page.path == "topics/x/index.md"
    assert "\n\n<!-- almanac:body -->\n<h1>x</h1>\n" in text
