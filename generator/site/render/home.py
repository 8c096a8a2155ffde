"""The home page: the latest day, the best of the week before it, totals, the ways in."""

from __future__ import annotations

from datetime import date

from generator.site.arranged import Archive
from generator.site.render.card import Ctx, row
from generator.site.render.html import esc, long_date, weekday_date
from generator.site.render.layout import cards, section
from generator.site.render.page import Page
from generator.site.render.urls import (
    API,
    ATOM_FEED,
    DAYS,
    HOME,
    JSON_FEED,
    SEARCH,
    STATS,
    TOPICS,
    TRENDING,
    day_url,
    topic_url,
)
from generator.wording import plural

SITE_NAME = "Paper Almanac"
# The latest day's best papers as cards; the rest are one link away on the day page. A
# whole day of cards (abstracts, BibTeX) made the home page the site's heaviest.
HOME_CARDS = 10


def home_page(archive: Archive, ctx: Ctx) -> Page:
    latest = archive.latest_day
    ways_in = (
        f'Browse <a href="{ctx.link(DAYS)}">by day</a> or <a href="{ctx.link(TOPICS)}">by '
        f'topic</a>, see what is <a href="{ctx.link(TRENDING)}">trending</a> and the '
        f'<a href="{ctx.link(STATS)}">stats</a>, or <a href="{ctx.link(SEARCH)}">search every '
        f'paper</a>. Follow new papers with the <a href="{ctx.link(HOME)}{ATOM_FEED}" '
        f'type="application/atom+xml">Atom feed</a> or the <a href="{ctx.link(HOME)}'
        f'{JSON_FEED}" type="application/feed+json">JSON Feed</a>; take the data with the '
        f'<a href="{ctx.link(API)}">JSON API</a>.'
    )
    parts = [f"<h1>{SITE_NAME}</h1>"]
    if latest is None:
        parts.append(f'<p class="pa-lead">No papers yet. {ways_in}</p>')
        return Page(ctx.here, None, "\n".join(parts))
    parts += [
        f'<p class="pa-lead">A curated archive of {plural(archive.total, "research paper")}, '
        f"day by day since {long_date(archive.days[0])}. {ways_in}</p>",
        section(
            f'Latest day: <a href="{ctx.link(day_url(latest))}">{weekday_date(latest)}</a>',
            _latest_day(archive, latest, ctx),
        ),
        section("Earlier this week", _earlier_this_week(archive, ctx)),
        section("The archive in numbers", _numbers(archive)),
        section("Topics", _topic_links(archive, ctx)),
    ]
    return Page(ctx.here, None, "\n".join(parts))


def _latest_day(archive: Archive, day: date, ctx: Ctx) -> str:
    entries = archive.by_day[day]
    shown = cards(entries[:HOME_CARDS], ctx, level=3)
    if len(entries) <= HOME_CARDS:
        return shown
    return (
        f"{shown}\n"
        f'<p class="pa-more"><a href="{ctx.link(day_url(day))}">All '
        f"{plural(len(entries), 'paper')} of {weekday_date(day)}</a></p>"
    )


def _earlier_this_week(archive: Archive, ctx: Ctx) -> str:
    entries = archive.earlier_this_week()
    if not entries:
        return '<p class="pa-empty">No other papers this week.</p>'
    return f'<ol class="pa-rows pa-ranked">{"".join(row(e, ctx) for e in entries)}</ol>'


def _numbers(archive: Archive) -> str:
    first, last = archive.days[0], archive.days[-1]
    rows = [
        ("Papers", f"{archive.total:,}"),
        ("Days with papers", f"{len(archive.days):,}"),
        ("Months", f"{len(archive.months):,}"),
        ("Topics", f"{len(archive.topics):,}"),
        ("First day", long_date(first)),
        ("Latest day", long_date(last)),
    ]
    items = "".join(f"<div><dt>{term}</dt><dd>{value}</dd></div>" for term, value in rows)
    return f'<dl class="pa-numbers">{items}</dl>'


def _topic_links(archive: Archive, ctx: Ctx) -> str:
    items = "".join(
        f'<li><a href="{ctx.link(topic_url(t.slug))}">{esc(t.name)}</a> '
        f'<span class="pa-count">{len(archive.by_topic[t.slug]):,}</span></li>'
        for t in archive.topics
    )
    return f'<ul class="pa-chips">{items}</ul>'
