"""Calendars: a month as a table of days, and the whole archive as years by months.

Days (or months) with papers are links; empty ones stay visible, greyed, so the gaps in
the archive show. Weeks start on Monday.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date

from generator.site.arranged import Archive, Month
from generator.site.render.card import Ctx
from generator.site.render.html import MONTH_NAMES, WEEKDAY_NAMES, long_date, month_name, scroll_box
from generator.site.render.urls import day_url, month_url
from generator.wording import plural

_WEEKS = calendar.Calendar(firstweekday=0)


def month_calendar(archive: Archive, year: int, month: int, ctx: Ctx, *, link_caption: bool) -> str:
    caption = month_name(year, month)
    if link_caption:
        caption = f'<a href="{ctx.link(month_url(year, month))}">{caption}</a>'
    head = "".join(f'<th scope="col" abbr="{name}">{name[:3]}</th>' for name in WEEKDAY_NAMES)
    rows = []
    for week in _WEEKS.monthdayscalendar(year, month):
        cells = "".join(_day_cell(archive, year, month, n, ctx) for n in week)
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="pa-cal"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _day_cell(archive: Archive, year: int, month: int, number: int, ctx: Ctx) -> str:
    if number == 0:
        return "<td></td>"
    day = date(year, month, number)
    count = archive.count_on(day)
    if not count:
        return f'<td class="pa-cal__empty">{number}</td>'
    label = f"{long_date(day)}: {plural(count, 'paper')}"
    return (
        f'<td class="pa-cal__full"><a href="{ctx.link(day_url(day))}" '
        f'aria-label="{label}" title="{label}">{number}</a></td>'
    )


def months_grid(
    counts: Mapping[Month, int],
    ctx: Ctx,
    url_of: Callable[[int, int], str],
    *,
    caption: str,
    year_url_of: Callable[[int], str] | None = None,
) -> str:
    """Rows of years (newest first), columns of months, each cell the month's count."""
    head = "".join(f'<th scope="col" abbr="{name}">{name[:3]}</th>' for name in MONTH_NAMES)
    rows = []
    for year in sorted({y for y, _ in counts}, reverse=True):
        cells = "".join(_month_cell(counts, year, m, ctx, url_of) for m in range(1, 13))
        total = sum(counts.get((year, m), 0) for m in range(1, 13))
        label = f'<a href="{ctx.link(year_url_of(year))}">{year}</a>' if year_url_of else str(year)
        rows.append(f'<tr><th scope="row">{label}</th>{cells}<td>{total:,}</td></tr>')
    return scroll_box(
        f'<table class="pa-years"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col">Year</th>{head}<th scope="col">Total</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>",
        caption,
    )


def _month_cell(
    counts: Mapping[Month, int], year: int, month: int, ctx: Ctx, url_of: Callable[[int, int], str]
) -> str:
    count = counts.get((year, month), 0)
    if not count:
        return '<td class="pa-cal__empty">–</td>'
    label = f"{month_name(year, month)}: {plural(count, 'paper')}"
    return (
        f'<td class="pa-cal__full"><a href="{ctx.link(url_of(year, month))}" '
        f'aria-label="{label}" title="{label}">{count:,}</a></td>'
    )
