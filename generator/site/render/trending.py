"""The trending page: the most upvoted papers of the last week, the last month and all
time, and the topics that grew fastest over the last month.

Every period ends on the archive's latest day, never on the clock, so the same data
gives the same page on any day. A "month" here is the last 30 days: comparing a calendar
month that has just begun with a whole one would show every topic shrinking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.site.arranged import Archive, Entry, top
from generator.site.render.card import Ctx, row
from generator.site.render.html import esc, long_date
from generator.site.render.layout import section
from generator.site.render.page import Page
from generator.site.render.urls import topic_url
from generator.wording import plural

TOP_COUNT = 10
PERIODS = ((7, "the last 7 days"), (30, "the last 30 days"))
WINDOW = 30  # days in each of the two months compared
MIN_PAPERS = 5  # papers a topic needs in the latest month to be ranked
TOPIC_COUNT = 10


@dataclass(frozen=True)
class Growth:
    slug: str
    name: str
    before: int  # papers in the 30 days before the latest 30
    latest: int  # papers in the latest 30 days

    @property
    def change(self) -> int:
        return self.latest - self.before

    @property
    def rate(self) -> float:
        """(latest - before) / max(before, 1): a topic new this month grows by its count."""
        return self.change / max(self.before, 1)


def trending_page(archive: Archive, ctx: Ctx) -> Page:
    last = archive.latest_day
    if last is None:
        body = '<h1>Trending</h1>\n<p class="pa-empty">No papers yet.</p>'
        return Page(ctx.here, "Trending", body)
    parts = [
        "<h1>Trending</h1>",
        f'<p class="pa-lead">The most upvoted papers and the fastest-growing topics, up to '
        f"the latest day of the archive, {long_date(last)}. Upvotes are Hugging Face's at "
        "the last fetch.</p>",
    ]
    for days, label in PERIODS:
        first = last - timedelta(days=days - 1)
        entries = archive.entries_between(first, last)
        parts.append(section(f"Most upvoted in {label}", _ranked(top(entries, TOP_COUNT), ctx)))
    everything = top(archive.entries.values(), TOP_COUNT)
    parts.append(section("Most upvoted of all time", _ranked(everything, ctx)))
    parts.append(section("Fastest-growing topics", _growth_section(archive, last, ctx)))
    description = "The most upvoted papers of the week, the month and all time."
    return Page(ctx.here, "Trending", "\n".join(parts), description)


def _ranked(entries: list[Entry], ctx: Ctx) -> str:
    if not entries:
        return '<p class="pa-empty">No papers in this period.</p>'
    return f'<ol class="pa-rows pa-ranked">{"".join(row(e, ctx) for e in entries)}</ol>'


def topic_growth(archive: Archive, last: date) -> list[Growth]:
    """Topics with at least MIN_PAPERS in the latest 30 days, fastest-growing first."""
    latest_first = last - timedelta(days=WINDOW - 1)
    before_first = latest_first - timedelta(days=WINDOW)
    out = []
    for topic in archive.topics:
        latest = before = 0
        for entry in archive.by_topic[topic.slug]:  # newest first: stop past the window
            if entry.day < before_first:
                break
            if entry.day >= latest_first:
                latest += 1
            else:
                before += 1
        if latest >= MIN_PAPERS:
            out.append(Growth(topic.slug, topic.name, before, latest))
    growing = [g for g in out if g.change > 0]
    return sorted(growing, key=lambda g: (-g.rate, -g.change, g.slug))[:TOPIC_COUNT]


def _growth_section(archive: Archive, last: date, ctx: Ctx) -> str:
    latest_first = last - timedelta(days=WINDOW - 1)
    before_first = latest_first - timedelta(days=WINDOW)
    formula = (
        f'<p class="pa-formula">Growth compares a topic\'s papers in the latest 30 days '
        f"({long_date(latest_first)} to {long_date(last)}) with its papers in the 30 days "
        f"before ({long_date(before_first)} to {long_date(latest_first - timedelta(days=1))}"
        "): <strong>growth = (latest − before) ÷ before</strong>, with a before of 0 counted "
        f"as 1. Only topics with at least {MIN_PAPERS} papers in the latest 30 days are "
        "ranked, so that one paper more than none is not a trend.</p>"
    )
    if archive.days[0] > before_first:
        formula += (
            f'<p class="pa-note">The archive begins on {long_date(archive.days[0])}, so the '
            "earlier period is not complete yet.</p>"
        )
    rows = [_growth_row(g, ctx) for g in topic_growth(archive, last)]
    if not rows:
        return formula + (
            f'<p class="pa-empty">No topic with at least {MIN_PAPERS} papers in the latest 30 days '
            "grew.</p>"
        )
    head = (
        '<thead><tr><th scope="col">Topic</th><th scope="col">30 days before</th>'
        '<th scope="col">Latest 30 days</th><th scope="col">Growth</th></tr></thead>'
    )
    return (
        f'{formula}<table class="pa-growth"><caption>Fastest-growing topics</caption>{head}'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _growth_row(growth: Growth, ctx: Ctx) -> str:
    return (
        f'<tr><th scope="row"><a href="{ctx.link(topic_url(growth.slug))}">'
        f"{esc(growth.name)}</a></th><td>{growth.before:,}</td><td>{growth.latest:,}</td>"
        f"<td>{_rate(growth)} ({plural(growth.change, 'paper')} more)</td></tr>"
    )


def _rate(growth: Growth) -> str:
    return "new" if growth.before == 0 else f"+{growth.rate:.0%}"
