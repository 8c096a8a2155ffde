"""render/theme.py: the rewrites of Material's markup, and that Material still has it."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

from generator.site.render.theme import CONTENT_ID, SKIP_LINK, fix_theme_html, relocatable_404

BASE = (Path(material.__file__).parent / "templates" / "base.html").read_text(encoding="utf-8")


def test_the_rewrites_match_materials_base_template() -> None:
    # If a Material update changes these lines, the rewrites silently stop: fail here.
    toggle = 'data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    assert f'<input class="md-toggle" {toggle}' in BASE
    assert '<div data-md-component="skip">' in BASE
    assert '<article class="md-content__inner md-typeset">' in BASE


PAGE = """<html><head>
<meta charset="utf-8"><script>__md_scope=new URL("/paper-almanac/",location)</script>
<link rel="stylesheet" href="/paper-almanac/assets/stylesheets/main.css"></head><body>
<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">
<div data-md-component="skip">
    </div>
<a href="/paper-almanac/">Home</a> <a href="/paper-almanac/days/">Days</a>
<a href="https://example.org/paper-almanac/x">outside</a>
<article class="md-content__inner md-typeset"><p>autocomplete="off"</p></article>
<script id="__config" type="application/json">{"base": "/paper-almanac/"}</script>
<script src="/paper-almanac/assets/javascripts/bundle.js"></script></body></html>"""


def test_toggles_lose_autocomplete_and_every_page_gets_a_skip_link() -> None:
    fixed = fix_theme_html(PAGE)
    assert 'type="checkbox" id="__drawer">' in fixed and 'id="__search">' in fixed
    assert '<p>autocomplete="off"</p>' in fixed  # content is not the theme's: untouched
    assert f'<div data-md-component="skip">{SKIP_LINK}</div>' in fixed
    assert f'<article class="md-content__inner md-typeset" id="{CONTENT_ID}">' in fixed
    assert fix_theme_html(fixed) == fixed


def test_a_page_with_materials_own_skip_link_keeps_it() -> None:
    own = PAGE.replace(
        '<div data-md-component="skip">\n    </div>',
        '<div data-md-component="skip"><a href="#intro" class="md-skip">Skip</a></div>',
    )
    fixed = fix_theme_html(own)
    assert fixed.count("md-skip") == 1 and 'href="#intro"' in fixed


def test_the_404_page_is_made_relative_to_a_base_it_finds() -> None:
    page = relocatable_404(PAGE, "/paper-almanac/")
    assert not re.search(r'(?:href|src)="/paper-almanac/', page)
    assert 'href="./">Home' in page and 'href="days/">Days' in page
    assert 'href="https://example.org/paper-almanac/x"' in page  # absolute: left alone
    assert "__md_scope=new URL(document.baseURI)" in page
    # The root finder runs first thing after the charset, before any stylesheet.
    assert page.index("var d=1,") < page.index('rel="stylesheet"')
    assert page.index("j.base=document.baseURI") > page.index('id="__config"')
    assert "var d=2," in relocatable_404(PAGE, "/org/paper-almanac/")
    assert "var d=0," in relocatable_404(PAGE, "/")


@pytest.mark.parametrize("base", ["paper-almanac/", "/paper-almanac", ""])
def test_a_base_path_must_be_a_folder(base: str) -> None:
    with pytest.raises(ValueError, match="base_path"):
        relocatable_404(PAGE, base)
