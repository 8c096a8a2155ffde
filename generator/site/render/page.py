"""A generated page: its URL, its title and its HTML body, as the Markdown file MkDocs reads.

The file is front matter, a marker line, then the pre-rendered HTML body. Python-Markdown
would parse that HTML twice over with a pure-Python HTML parser (its raw-HTML block
handling, then MkDocs' anchor collection): at 3,000 papers that was 90% of the build.
So the MkDocs hook (generator/site/hooks.py) hands Markdown only what precedes the marker and
puts the body back into the page's HTML afterwards. Without the hook the file is still a
valid page: the body is a well-formed raw HTML block.

The title goes into front matter, already HTML-escaped: Material prints
`page.meta.title` into <title> and the header without escaping it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.site.render.html import esc
from generator.site.render.urls import page_path

# Record text is escaped, so it can never contain this comment.
BODY_MARKER = "<!-- almanac:body -->"


@dataclass(frozen=True)
class Page:
    url: str
    title: str | None  # plain text, escaped here; None: MkDocs' own (the home page)
    body: str  # HTML, every record string in it already escaped
    description: str | None = None  # plain text
    # The folder URL of feeds that belong to this page (a topic's), for <head> discovery
    # (overrides/main.html), and their title in plain text.
    feed: str | None = None
    feed_title: str | None = None

    @property
    def path(self) -> str:
        return page_path(self.url)

    def markdown(self) -> str:
        lines = ["---"]
        if self.title is not None:
            lines.append(f"title: {yaml_quote(esc(self.title))}")
        if self.description:
            lines.append(f"description: {yaml_quote(esc(self.description))}")
        if self.feed is not None:
            lines.append(f"almanac_feed: {yaml_quote(self.feed)}")
            lines.append(f"almanac_feed_title: {yaml_quote(esc(self.feed_title or ''))}")
        lines += ["hide:", "  - toc", "---", "", BODY_MARKER, self.body.strip("\n"), ""]
        return "\n".join(lines)


def yaml_quote(text: str) -> str:
    """A YAML double-quoted scalar in plain ASCII, whatever `text` holds.

    PyYAML rejects some characters in the raw stream and does not join JSON-style
    surrogate pairs, so every non-ASCII character is written as a full \\U escape.
    """
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)
