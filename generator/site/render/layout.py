"""Pieces of page layout shared by the renderers: sections, pagers, card lists."""

from __future__ import annotations

from collections.abc import Iterable

from generator.site.arranged import Entry
from generator.site.render.card import Ctx, card


def section(title: str, content: str, *, level: int = 2, css: str = "") -> str:
    """A titled section; `title` is HTML (escape record text before passing it)."""
    cls = f' class="{css}"' if css else ""
    return f"<section{cls}>\n<h{level}>{title}</h{level}>\n{content}\n</section>"


def cards(entries: Iterable[Entry], ctx: Ctx, *, level: int, on_day_page: bool = False) -> str:
    body = "\n".join(card(e, ctx, level=level, on_day_page=on_day_page) for e in entries)
    return (
        f'<div class="pa-cards">\n{body}\n</div>' if body else '<p class="pa-empty">None yet.</p>'
    )


def pager(
    label: str,
    ctx: Ctx,
    previous: tuple[str, str] | None,
    up: tuple[str, str] | None,
    following: tuple[str, str] | None,
) -> str:
    """Previous / up / next links; each given as (url, link text)."""
    items = []
    if previous:
        items.append(
            f'<a class="pa-pager__prev" rel="prev" href="{ctx.link(previous[0])}">'
            f"← {previous[1]}</a>"
        )
    if up:
        items.append(f'<a class="pa-pager__up" href="{ctx.link(up[0])}">{up[1]}</a>')
    if following:
        items.append(
            f'<a class="pa-pager__next" rel="next" href="{ctx.link(following[0])}">'
            f"{following[1]} →</a>"
        )
    return f'<nav class="pa-pager" aria-label="{label}">{"".join(items)}</nav>'
