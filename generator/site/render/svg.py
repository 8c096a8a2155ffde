"""Small helpers for inline SVG charts, drawn at build time.

A chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>`, so a screen
reader announces one image with a summary (the numbers are in a table beside it). Its
colours come from CSS (assets/almanac/extras.css, with Material's colour variables), so
it follows the light and dark palettes; `currentColor` is the fallback without CSS.
Every text is escaped with `esc`, whose entities are all valid XML.
"""

from __future__ import annotations

from generator.site.render.html import esc

SVG_NS = "http://www.w3.org/2000/svg"


def chart(chart_id: str, title: str, desc: str, width: float, height: float, body: str) -> str:
    """An SVG image `width` x `height` user units; `title`/`desc` are plain text."""
    return (
        f'<svg xmlns="{SVG_NS}" class="pa-chart" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" fill="currentColor">'
        f'<title id="{chart_id}-t">{esc(title)}</title><desc id="{chart_id}-d">{esc(desc)}</desc>'
        f"{body}</svg>"
    )


def rect(x: float, y: float, width: float, height: float, css: str, tip: str | None) -> str:
    """A rectangle; `tip` (plain text) shows on hover as its own <title>."""
    shape = f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" class="{css}"'
    if tip is None:
        return shape + "/>"
    return f"{shape}><title>{esc(tip)}</title></rect>"


def text(x: float, y: float, content: str, *, anchor: str = "start", css: str = "") -> str:
    attrs = f' text-anchor="{anchor}"' if anchor != "start" else ""
    attrs += f' class="{css}"' if css else ""
    return f'<text x="{_n(x)}" y="{_n(y)}"{attrs}>{esc(content)}</text>'


def line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" class="{css}"/>'


def _n(value: float) -> str:
    """A coordinate, short: whole numbers without a point, others to one decimal."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
