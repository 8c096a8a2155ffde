"""What the site changes in the theme's own HTML: pure functions, page HTML in, HTML out.

Material's base template is not ours to edit line by line (overriding it whole would fork
it), so the few things it gets wrong for this site are put right in the finished page:

- its two hidden toggles (`__drawer`, `__search`) carry `autocomplete`, which HTML does not
  allow on a checkbox (the Nu HTML Checker reports both on every page);
- its skip link exists only on pages whose Markdown has headings; a generated page's body
  is HTML after a marker, so the home and day pages had none (12 tab stops before the
  first paper). Every page gets one, to the start of its content;
- its 404 page is addressed from the configured site address (`/paper-almanac/...`), so it
  is unstyled with dead links wherever else the site is served. It is made relative to a
  base that the page finds from its own address (see `relocatable_404`).

Each rewrite matches Material's markup exactly; tests/render/test_theme.py and the browser
tests fail when a theme update changes it.
"""

from __future__ import annotations

import json
import re

CONTENT_ID = "pa-content"
_TOGGLE_RE = re.compile(r'(<input class="md-toggle"[^>]*?) autocomplete="off"')
_EMPTY_SKIP_RE = re.compile(r'(<div data-md-component="skip">)\s*(</div>)')
_ARTICLE = '<article class="md-content__inner md-typeset"'
SKIP_LINK = f'<a href="#{CONTENT_ID}" class="md-skip">Skip to content</a>'


def fix_theme_html(page: str) -> str:
    """page without `autocomplete` on the theme's checkboxes, with a skip link and its target."""
    page = _TOGGLE_RE.sub(r"\1", page)
    if _ARTICLE in page and f'id="{CONTENT_ID}"' not in page:
        page = page.replace(_ARTICLE, f'{_ARTICLE} id="{CONTENT_ID}"', 1)
        page = _EMPTY_SKIP_RE.sub(rf"\1{SKIP_LINK}\2", page, count=1)
    return page


# Finds the site's root before anything is loaded, and makes it the page's <base>: the
# configured path's depth first (the usual case: the same site under another repository
# name), then every other prefix of the address, shortest first. A prefix is the root when
# one of the site's own files is there (a synchronous HEAD request: this runs on a 404 page
# only, before its stylesheets, which must resolve against the base).
_FIND_ROOT = """(function(){var d=%(depth)d,f=%(probe)s,s=location.pathname.split("/").slice(1,-1),\
c=[],i,x;function p(n){return "/"+s.slice(0,n).join("/")+(n?"/":"")}\
if(s.length>=d)c.push(p(d));for(i=0;i<=s.length;i++)if(i!==d)c.push(p(i));\
for(i=0;i<c.length;i++){try{x=new XMLHttpRequest();x.open("HEAD",c[i]+f,false);x.send();\
if(x.status===200)break}catch(e){}}var b=document.createElement("base");\
b.href=i<c.length?c[i]:c[0]||"/";document.head.appendChild(b)})()"""
# Material resolves its config's `base` against the page's address, not the <base>.
_FIX_CONFIG = """(function(){var c=document.getElementById("__config"),j=JSON.parse(c.textContent);\
j.base=document.baseURI;c.textContent=JSON.stringify(j)})()"""
PROBE = "assets/almanac/almanac.css"


def relocatable_404(page: str, base_path: str) -> str:
    """The 404 page (built with absolute URLs under base_path, e.g. `/paper-almanac/`)
    working from wherever the site is served: its URLs relative to a found <base>."""
    if not base_path.startswith("/") or not base_path.endswith("/"):
        raise ValueError(f"base_path must start and end with '/': {base_path!r}")
    depth = len([part for part in base_path.split("/") if part])
    prefix = re.escape(base_path)
    page = re.sub(rf'(\s(?:href|src)="){prefix}(?=")', r"\1./", page)
    page = re.sub(rf'(\s(?:href|src)="){prefix}', r"\1", page)
    page = page.replace(
        f'__md_scope=new URL("{base_path}",location)', "__md_scope=new URL(document.baseURI)"
    )
    finder = _FIND_ROOT % {"depth": depth, "probe": json.dumps(PROBE)}
    page = re.sub(
        r"(<head\b[^>]*>(?:\s*<meta charset=[^>]*>)?)",
        lambda m: f"{m.group(1)}\n    <script>{finder}</script>",
        page,
        count=1,
    )
    return re.sub(
        r'(<script id="__config" type="application/json">.*?</script>)',
        lambda m: f"{m.group(1)}\n      <script>{_FIX_CONFIG}</script>",
        page,
        count=1,
        flags=re.DOTALL,
    )
