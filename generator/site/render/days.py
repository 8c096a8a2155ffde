"""Day pages and the month, year and whole-archive indexes above them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from generator.site.arranged import Archive, DayCards, Entry, Month, top
from generator.site.render.calendar import month_calendar, months_grid
from generator.site.render.card import Ctx, card
from generator.site.render.html import long_date, month_name, weekday_date
from generator.site.render.layout import cards, pager, section
from generator.site.render.page import Page
from generator.site.render.ris import file_name as ris_name
from generator.site.render.urls import API, DAYS, day_url, month_data_url, month_url, year_url
from generator.wording import plural


def day_page(
    day: date,
    shown: DayCards,
    before: date | None,
    after: date | None,
    ctx: Ctx,
) -> Page:
    """One day's cards (Archive.cards_on): its own papers, between links to the days
    `before` and `after` it, then those featured again that day (each one's permalink is
    on its first day)."""
    entries, again = shown.own, shown.again

    def nav(label: str) -> str:
        return pager(
            label,
            ctx,
            (day_url(before), f"Previous day: {weekday_date(before)}") if before else None,
            (month_url(day.year, day.month), f"All of {month_name(day.year, day.month)}"),
            (day_url(after), f"Next day: {weekday_date(after)}") if after else None,
        )

    body = "\n".join(
        part
        for part in [
            f"<h1>Papers of {weekday_date(day)}</h1>",
            f'<p class="pa-lead">{plural(len(entries), "paper")}, pinned and most upvoted '
            f"first{_again_lead(again)}. Each title is the paper's permanent link.</p>",
            _day_data(day, ctx),
            nav("Neighbouring days"),
            cards(entries, ctx, level=2, on_day_page=True),
            _featured_again(again, ctx),
            nav("Neighbouring days, end of page"),
        ]
        if part
    )
    return Page(
        ctx.here,
        weekday_date(day),
        body,
        f"{plural(len(entries), 'paper')} featured on {long_date(day)}.",
    )


def _again_lead(again: Sequence[Entry]) -> str:
    if not again:
        return ""
    return f', then {plural(len(again), "paper")} <a href="#featured-again">featured again</a>'


def _featured_again(again: Sequence[Entry], ctx: Ctx) -> str:
    if not again:
        return ""
    body = "\n".join(card(e, ctx, level=3, on_day_page=False, anchored=True) for e in again)
    return (
        '<section class="pa-again" aria-labelledby="featured-again">'
        '<h2 id="featured-again">Featured again</h2>'
        "<p>Back on Hugging Face's list this day, first featured earlier: each title leads "
        "to its first day.</p>"
        f'\n<div class="pa-cards">\n{body}\n</div></section>'
    )


def _day_data(day: date, ctx: Ctx) -> str:
    # The month's file, not the day's document: every day has one, and a day's link must
    # not change as the day gets older (api.py keeps day documents for recent days only).
    folder, _, name = month_data_url(day.year, day.month).rpartition("/")
    data = ctx.link(f"{folder}/") + name
    ris = ris_name(day)  # beside the page (jobs.py)
    return (
        # cards.js adds a download of the cards' BibTeX here, made in the browser: the
        # entries are on the page already, and a .bib file a day would repeat them all.
        f'<p class="pa-feeds" data-pa-bib="papers-{day.isoformat()}.bib">This day as data: '
        f'<a href="{ris}" type="application/x-research-info-systems" download>RIS of its papers'
        f'</a> · <a href="{data}" type="application/gzip" download>JSON Lines of its month</a> '
        f'(<a href="{ctx.link(API)}">about the data</a>)</p>'
    )


def month_page(archive: Archive, month: Month, ctx: Ctx) -> Page:
    year, m = month
    days = archive.month_days(month)
    entries = [e for d in days for e in archive.by_day[d]]
    before, after = archive.previous_month(month), archive.next_month(month)
    day_items = "".join(
        f'<li><a href="{ctx.link(day_url(d))}">{weekday_date(d)}</a>: '
        f"{plural(archive.count_on(d), 'paper')}</li>"
        for d in days
    )
    title = month_name(year, m)
    body = "\n".join(
        [
            f"<h1>{title}</h1>",
            _lead(len(entries), len(days)),
            pager(
                "Neighbouring months",
                ctx,
                (month_url(*before), month_name(*before)) if before else None,
                (year_url(year), f"All of {year}"),
                (month_url(*after), month_name(*after)) if after else None,
            ),
            section("Calendar", month_calendar(archive, year, m, ctx, link_caption=False)),
            section("Days", f'<ul class="pa-daylist">{day_items}</ul>'),
            section(f"Most upvoted in {title}", cards(top(entries), ctx, level=3)),
        ]
    )
    return Page(ctx.here, title, body, f"{plural(len(entries), 'paper')} featured in {title}.")


def year_page(archive: Archive, year: int, ctx: Ctx) -> Page:
    days = archive.year_days(year)
    entries = [e for d in days for e in archive.by_day[d]]
    years = archive.years
    i = years.index(year)
    month_items = "".join(
        f'<li><a href="{ctx.link(month_url(y, m))}">{month_name(y, m)}</a>: '
        f"{plural(archive.month_counts[(y, m)], 'paper')}</li>"
        for y, m in archive.months
        if y == year
    )
    calendars = "\n".join(
        month_calendar(archive, year, m, ctx, link_caption=bool(archive.month_days((year, m))))
        for m in range(1, 13)
    )
    body = "\n".join(
        [
            f"<h1>Papers of {year}</h1>",
            _lead(len(entries), len(days)),
            pager(
                "Neighbouring years",
                ctx,
                (year_url(years[i - 1]), str(years[i - 1])) if i > 0 else None,
                (DAYS, "All days"),
                (year_url(years[i + 1]), str(years[i + 1])) if i + 1 < len(years) else None,
            ),
            section("Months", f'<ul class="pa-daylist">{month_items}</ul>'),
            section("Calendar", f'<div class="pa-cals">\n{calendars}\n</div>'),
            section(f"Most upvoted in {year}", cards(top(entries), ctx, level=3)),
        ]
    )
    return Page(ctx.here, str(year), body, f"{plural(len(entries), 'paper')} featured in {year}.")


def archive_page(archive: Archive, ctx: Ctx) -> Page:
    latest = archive.latest_day
    if latest is None:
        lead = "The archive is empty: no papers yet."
    else:
        lead = (
            f"{plural(archive.total, 'paper')} on {plural(len(archive.days), 'day')}, from "
            f"{long_date(archive.days[0])} to {long_date(latest)}. Latest day: "
            f'<a href="{ctx.link(day_url(latest))}">{weekday_date(latest)}</a>.'
        )
    body = "\n".join(
        [
            "<h1>All days</h1>",
            f'<p class="pa-lead">{lead}</p>',
            section(
                "Calendar",
                months_grid(
                    archive.month_counts,
                    ctx,
                    month_url,
                    caption="Papers per month",
                    year_url_of=year_url,
                ),
            ),
            section("Most upvoted of all time", cards(top(archive.entries.values()), ctx, level=3)),
        ]
    )
    return Page(ctx.here, "All days", body, "Every day of the archive, by year and month.")


def _lead(papers: int, days: int) -> str:
    return f'<p class="pa-lead">{plural(papers, "paper")} on {plural(days, "day")}.</p>'
