"""The stats page: papers per day as a calendar heat map, papers per topic per month, and
the share of papers with code, as inline SVG with the same numbers in tables.

The numbers are computed first (`daily_counts`, `topic_month_counts`, `code_share`), in
one pass over the archive each, then drawn; the tests check the drawings against them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from generator.site.arranged import Archive, Month
from generator.site.render.card import Ctx
from generator.site.render.html import (
    MONTH_NAMES,
    esc,
    long_date,
    month_name,
    scroll_box,
    short_date,
)
from generator.site.render.layout import section
from generator.site.render.page import Page
from generator.site.render.svg import chart, line, rect, text
from generator.site.render.urls import DAYS
from generator.wording import plural

CELL, GAP = 10, 2
PITCH = CELL + GAP
LEFT, TOP = 30, 16  # room for weekday and month labels
LABEL_W, ROW_H, BAR_H, BARS_W = 160, 24, 18, 560
# A generous average glyph width of the charts' 10px system sans-serif, so that the topic
# chart's label column fits the longest name whole (names are the archive's to choose).
CHAR_W = 6.2
SHARE_H = 90


def stats_page(archive: Archive, ctx: Ctx) -> Page:
    if not archive.days:
        return Page(ctx.here, "Stats", '<h1>Stats</h1>\n<p class="pa-empty">No papers yet.</p>')
    months = all_months(archive.days[0], archive.days[-1])
    with_code = sum(1 for e in archive.entries.values() if e.paper.links.code)
    parts = [
        "<h1>Stats</h1>",
        f'<p class="pa-lead">{plural(archive.total, "paper")} on '
        f"{plural(len(archive.days), 'day')}, from {long_date(archive.days[0])} to "
        f"{long_date(archive.days[-1])}; {plural(with_code, 'paper')} with a link to code "
        f"({_percent(with_code, archive.total)}). Each chart's numbers are in the table "
        "below it.</p>",
        section("Papers per day", _heat_section(archive, ctx)),
        section("Papers per topic per month", _topic_section(archive, months)),
        section("Share of papers with code", _code_section(archive, months)),
    ]
    return Page(ctx.here, "Stats", "\n".join(parts), "The archive in charts.")


# --- the numbers ----------------------------------------------------------------------


def all_months(first: date, last: date) -> list[Month]:
    """Every calendar month from `first`'s to `last`'s, empty ones included."""
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def daily_counts(archive: Archive) -> dict[date, int]:
    return {day: archive.count_on(day) for day in archive.days}


def topic_month_counts(archive: Archive) -> dict[str, dict[Month, int]]:
    return {
        t.slug: {m: len(es) for m, es in archive.topic_months(t.slug).items()}
        for t in archive.topics
    }


def code_share(archive: Archive) -> dict[Month, tuple[int, int]]:
    """Month -> (papers with a code link, papers)."""
    out: dict[Month, tuple[int, int]] = {}
    for day in archive.days:
        key = (day.year, day.month)
        coded, total = out.get(key, (0, 0))
        entries = archive.by_day[day]
        out[key] = (coded + sum(1 for e in entries if e.paper.links.code), total + len(entries))
    return out


def levels(counts: Sequence[int]) -> tuple[int, int, int]:
    """Upper bounds of the heat map's first three shades: a quarter, half and three
    quarters of the busiest day, so the busiest day is always the darkest."""
    busiest = max(counts, default=0)
    return (-(-busiest // 4), -(-busiest // 2), -(-3 * busiest // 4))  # rounded up


def _shade(count: int, bounds: tuple[int, int, int]) -> int:
    return 1 + sum(1 for bound in bounds if count > bound)


# --- papers per day -------------------------------------------------------------------


def _heat_section(archive: Archive, ctx: Ctx) -> str:
    counts = daily_counts(archive)
    bounds = levels(list(counts.values()))
    first, last = archive.days[0], archive.days[-1]
    maps = [
        heat_map(year, counts, bounds, first, last) for year in range(last.year, first.year - 1, -1)
    ]
    return "\n".join(
        [
            scroll_box("".join(maps), "Papers per day, by year", css="pa-charts"),
            _legend(bounds, list(counts.values())),
            f'<p>Each day, with its papers, is also on the <a href="{ctx.link(DAYS)}">calendars '
            "of the archive</a>.</p>",
            _details("Papers per month (table)", _month_table(archive)),
        ]
    )


def heat_map(
    year: int, counts: Mapping[date, int], bounds: tuple[int, int, int], first: date, last: date
) -> str:
    start = date(year, 1, 1)
    monday = start - timedelta(days=start.weekday())
    cells, total, busy = [], 0, 0
    day = max(start, first)
    end = min(date(year, 12, 31), last)
    while day <= end:
        count = counts.get(day, 0)
        total += count
        busy += 1 if count else 0
        col, row = (day - monday).days // 7, day.weekday()
        css = f"h{_shade(count, bounds)}" if count else "h0"
        tip = f"{short_date(day)}: {plural(count, 'paper')}" if count else None
        cells.append(rect(LEFT + col * PITCH, TOP + row * PITCH, CELL, CELL, css, tip))
        day += timedelta(days=1)
    labels = [
        text(0, TOP + r * PITCH + CELL - 1, n) for r, n in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    ]
    labels.append(text(0, TOP - 5, str(year), css="year"))
    for m in range(1, 13):
        col = (date(year, m, 1) - monday).days // 7
        labels.append(text(LEFT + col * PITCH, TOP - 5, MONTH_NAMES[m - 1][:3]))
    width = LEFT + 54 * PITCH
    desc = (
        f"A calendar of {year}, one square per day, darker for more papers: "
        f"{plural(total, 'paper')} on {plural(busy, 'day')}."
    )
    body = "".join(labels) + "".join(cells)
    return chart(f"pa-heat-{year}", f"Papers per day in {year}", desc, width, TOP + 7 * PITCH, body)


def _legend(bounds: tuple[int, int, int], counts: Sequence[int]) -> str:
    a, b, c = bounds
    ranges = [(1, a), (a + 1, b), (b + 1, c), (c + 1, None)]
    items = []
    busiest = max(counts, default=0)
    for shade, (low, high) in enumerate(ranges, start=1):
        if (high is not None and high < low) or low > busiest:
            continue  # bounds coincide when the busiest day has only a few papers
        label = (
            f"{low:,}+" if high is None else (f"{low:,}" if low == high else f"{low:,}–{high:,}")
        )
        items.append(f'<li><span class="pa-swatch h{shade}"></span>{label}</li>')
    return (
        '<ul class="pa-legend" aria-label="Papers per day, by shade">'
        f'<li><span class="pa-swatch h0"></span>none</li>{"".join(items)}</ul>'
    )


def _month_table(archive: Archive) -> str:
    rows = []
    for month in reversed(archive.months):
        days = archive.month_days(month)
        busiest = max(days, key=lambda d: (archive.count_on(d), -d.toordinal()))
        rows.append(
            f'<tr><th scope="row">{month_name(*month)}</th><td>{len(days):,}</td>'
            f"<td>{archive.month_counts[month]:,}</td>"
            f"<td>{long_date(busiest)} ({archive.count_on(busiest):,})</td></tr>"
        )
    head = _head("Month", "Days with papers", "Papers", "Busiest day")
    total = (
        f'<tfoot><tr><th scope="row">All</th><td>{len(archive.days):,}</td>'
        f"<td>{archive.total:,}</td><td></td></tr></tfoot>"
    )
    return f'<table class="pa-table">{head}<tbody>{"".join(rows)}</tbody>{total}</table>'


# --- papers per topic per month -------------------------------------------------------


def _pitch(months: int) -> float:
    return max(2.0, min(24.0, BARS_W / max(months, 1)))


def _topic_section(archive: Archive, months: list[Month]) -> str:
    counts = topic_month_counts(archive)
    return "\n".join(
        [
            scroll_box(
                topic_chart(archive, months, counts), "Papers per topic per month", css="pa-charts"
            ),
            _details("Papers per topic per month (table)", _topic_table(archive, months, counts)),
        ]
    )


def topic_chart(
    archive: Archive, months: list[Month], counts: Mapping[str, Mapping[Month, int]]
) -> str:
    pitch = _pitch(len(months))
    bar = max(1.0, pitch - 1)
    left = max([LABEL_W] + [round(CHAR_W * len(t.name)) + 12 for t in archive.topics])
    rows = []
    for i, topic in enumerate(archive.topics):
        series = counts[topic.slug]
        peak = max(series.values(), default=0)
        y = i * ROW_H
        rows.append(text(0, y + BAR_H - 3, topic.name))
        for j, month in enumerate(months):
            count = series.get(month, 0)
            if not count:
                continue
            h = max(1.0, BAR_H * count / peak)
            tip = f"{topic.name}, {month_name(*month)}: {plural(count, 'paper')}"
            rows.append(rect(left + j * pitch, y + BAR_H - h, bar, h, "bar", tip))
        rows.append(line(left, y + BAR_H, left + len(months) * pitch, y + BAR_H, "axis"))
        total = sum(series.values())
        rows.append(text(left + len(months) * pitch + 6, y + BAR_H - 3, f"{total:,}"))
    height = len(archive.topics) * ROW_H
    rows += _year_ticks(months, pitch, left, height + 12)
    width = left + len(months) * pitch + 56
    desc = (
        f"One row per topic, one bar per month from {month_name(*months[0])} to "
        f"{month_name(*months[-1])}; each row is scaled to its own busiest month, and its "
        "total is at the right."
    )
    return chart("pa-topics", "Papers per topic per month", desc, width, height + 16, "".join(rows))


def _year_ticks(months: list[Month], pitch: float, left: float, y: float) -> list[str]:
    return [
        text(left + j * pitch, y, str(year))
        for j, (year, m) in enumerate(months)
        if m == 1 or j == 0
    ]


def _topic_table(
    archive: Archive, months: list[Month], counts: Mapping[str, Mapping[Month, int]]
) -> str:
    head = _head("Month", *(t.name for t in archive.topics))
    rows = []
    for month in reversed(months):
        cells = "".join(f"<td>{counts[t.slug].get(month, 0):,}</td>" for t in archive.topics)
        rows.append(f'<tr><th scope="row">{month_name(*month)}</th>{cells}</tr>')
    totals = "".join(f"<td>{sum(counts[t.slug].values()):,}</td>" for t in archive.topics)
    foot = f'<tfoot><tr><th scope="row">All months</th>{totals}</tr></tfoot>'
    return (
        "<p>A paper can be in more than one topic, so a month's row can add up to more than "
        "its papers.</p>"
        + scroll_box(
            f'<table class="pa-table">{head}<tbody>{"".join(rows)}</tbody>{foot}</table>',
            "Papers per topic and month",
        )
    )


# --- share with code ------------------------------------------------------------------


def _code_section(archive: Archive, months: list[Month]) -> str:
    shares = code_share(archive)
    return "\n".join(
        [
            scroll_box(code_chart(months, shares), "Papers with code per month", css="pa-charts"),
            _details("Papers with code per month (table)", _code_table(months, shares)),
        ]
    )


def code_chart(months: list[Month], shares: Mapping[Month, tuple[int, int]]) -> str:
    pitch = _pitch(len(months))
    bar = max(1.0, pitch - 1)
    left, top = 40, 6
    parts = []
    for percent in (0, 50, 100):
        y = top + SHARE_H * (1 - percent / 100)
        parts.append(line(left, y, left + len(months) * pitch, y, "grid"))
        parts.append(text(left - 4, y + 4, f"{percent}%", anchor="end"))
    for j, month in enumerate(months):
        coded, total = shares.get(month, (0, 0))
        if not total:
            continue
        h = SHARE_H * coded / total
        tip = (
            f"{month_name(*month)}: {coded:,} of {plural(total, 'paper')} with code "
            f"({_percent(coded, total)})"
        )
        parts.append(rect(left + j * pitch, top + SHARE_H - h, bar, max(h, 0.5), "bar", tip))
    parts += _year_ticks(months, pitch, left, top + SHARE_H + 14)
    coded = sum(c for c, _ in shares.values())
    total = sum(t for _, t in shares.values())
    desc = (
        f"One bar per month, its height the share of that month's papers that link to "
        f"their code; {coded:,} of {plural(total, 'paper')} in all ({_percent(coded, total)})."
    )
    width = left + len(months) * pitch + 8
    return chart(
        "pa-code",
        "Share of papers with code, per month",
        desc,
        width,
        top + SHARE_H + 20,
        "".join(parts),
    )


def _code_table(months: list[Month], shares: Mapping[Month, tuple[int, int]]) -> str:
    rows = []
    for month in reversed(months):
        coded, total = shares.get(month, (0, 0))
        if total:
            rows.append(
                f'<tr><th scope="row">{month_name(*month)}</th><td>{total:,}</td>'
                f"<td>{coded:,}</td><td>{_percent(coded, total)}</td></tr>"
            )
    head = _head("Month", "Papers", "With code", "Share")
    return f'<table class="pa-table">{head}<tbody>{"".join(rows)}</tbody></table>'


# --- shared -----------------------------------------------------------------------------


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def _head(*names: str) -> str:
    cells = "".join(f'<th scope="col">{esc(name)}</th>' for name in names)
    return f"<thead><tr>{cells}</tr></thead>"


def _details(summary: str, content: str) -> str:
    return f'<details class="pa-numbers-table"><summary>{summary}</summary>{content}</details>'
