"""The CSP meta tag of the hook: theme inline scripts are hashed, page content never is."""

from __future__ import annotations

import base64
import hashlib

from generator.site.render.csp import add_csp, content_security_policy

THEME = "var palette = 1;"
RECORD = "window.__pwned = 1"


def source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def page(content: str) -> str:
    return (
        '<!doctype html><html><head>\n<meta charset="utf-8"><title>t</title>'
        f'<script id="__config" type="application/json">{{"a": 1}}</script></head>'
        f"<body><script>{THEME}</script><article>{content}</article></body></html>"
    )


def policy_of(html: str) -> str:
    start = html.index('http-equiv="Content-Security-Policy" content="') + 46
    return html[start : html.index('"', start)]


def test_theme_scripts_are_hashed_and_content_scripts_are_not() -> None:
    content = f"<p>x</p><script>{RECORD}</script>"
    html = add_csp(page(content), content)
    policy = policy_of(html)
    assert source(THEME) in policy
    assert source(RECORD) not in policy
    assert source('{"a": 1}') not in policy  # JSON data is never run
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    # The tag comes right after the charset, before anything else in the head.
    assert html.index("Content-Security-Policy") < html.index("<title>")
    assert html.count("Content-Security-Policy") == 1


def test_content_not_found_fails_closed() -> None:
    html = add_csp(page("<p>x</p>"), "<p>changed</p>")
    assert "sha256-" not in policy_of(html)


def test_the_policy_allows_only_what_the_site_needs() -> None:
    policy = content_security_policy("")
    assert policy.startswith("default-src 'self'; script-src 'self';")
    assert "wasm" not in policy  # no WebAssembly runs: the search is plain JavaScript
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy


def test_the_preview_goes_without_the_policy() -> None:
    from generator.site import hooks

    class Page:
        content = "<p>x</p>"

    for command, policy in (("serve", False), ("build", True)):
        hooks_ = hooks.MkDocsHooks()
        hooks_.on_startup(command, dirty=False)
        output = hooks_.on_post_page(page("<p>x</p>"), Page(), None)
        assert ("Content-Security-Policy" in output) is policy
