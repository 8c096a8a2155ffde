"""The Content-Security-Policy of every built page, as a meta tag first in its <head>
(GitHub Pages cannot send headers). Pure: a page's HTML in, the same with its policy out.

Scripts are allowed from the site itself and, inline, only by the hash of the theme's own
inline scripts: those outside the page's content, so nothing a record carries is ever
hashed. The hooks (hooks.py) apply it to every page MkDocs writes, but not when serving:
the live-reload script MkDocs injects could not run under it.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re

log = logging.getLogger("mkdocs.hooks.almanac")
_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_HEAD_RE = re.compile(r"<head\b[^>]*>(\s*<meta\s+charset=[^>]*>)?", re.IGNORECASE)
# What the site needs and nothing more. Styles stay inline-able: Material and KaTeX set
# style attributes, which hashes cannot allow. connect-src covers the search index's files
# and the 404 page's probe for the site's root; images are the
# theme's data: icons and, on cards, the submitters' figures and videos on Hugging Face's
# upload CDN (loaded only when a reader opens them). frame-ancestors would be wanted too,
# but a meta tag cannot set it.
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'{hashes}",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https://cdn-uploads.huggingface.co",
    "media-src https://cdn-uploads.huggingface.co",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def _inline_script_hashes(html: str) -> list[str]:
    """The CSP sources for the inline scripts in html that a browser runs (not JSON data)."""
    hashes: list[str] = []
    for match in _SCRIPT_RE.finditer(html):
        attrs, text = match.group(1), match.group(2)
        if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = re.search(r"""\stype\s*=\s*["']?([^"'\s>]+)""", attrs, re.IGNORECASE)
        if kind and "javascript" not in kind.group(1).lower() and kind.group(1) != "module":
            continue  # e.g. Material's application/json config: data, never run
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def content_security_policy(theme_html: str) -> str:
    """The policy for a page whose template-made (theme) part is theme_html."""
    hashes = "".join(" " + source for source in _inline_script_hashes(theme_html))
    return "; ".join(CSP_DIRECTIVES).format(hashes=hashes)


def add_csp(output: str, content: str | None = None) -> str:
    """output with its CSP meta tag: inline scripts are hashed only outside content."""
    if content and content not in output:
        # The content cannot be told apart from the theme: hash nothing (fail closed).
        log.warning("almanac: page content not found in its HTML; no inline script allowed")
        theme_html = ""
    else:
        theme_html = output.replace(content, "") if content else output
    policy = content_security_policy(theme_html)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    head = _HEAD_RE.search(output)
    if head is None:
        return output
    return output[: head.end()] + "\n    " + tag + output[head.end() :]
