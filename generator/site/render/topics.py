"""The topic index, each topic's page, and its history one month per page.

A topic's own page stays bounded (its latest papers and a table of months); the full
history lives on month pages, whose size is bounded by a month of papers.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from generator.models import Topic
from generator.site.arranged import Archive, Entry, Month
from generator.site.render.calendar import months_grid
from generator.site.render.card import Ctx, row
from generator.site.render.html import esc, month_name, weekday_date
from generator.site.render.layout import cards, pager, section
from generator.site.render.page import Page
from generator.site.render.urls import ATOM_FEED, JSON_FEED, TOPICS, topic_month_url, topic_url
from generator.wording import plural

RECENT_COUNT = 20


def topics_index(archive: Archive, ctx: Ctx) -> Page:
    items = []
    for topic in archive.topics:
        count = len(archive.by_topic[topic.slug])
        items.append(
            f'<li><a href="{ctx.link(topic_url(topic.slug))}">{esc(topic.name)}</a> '
            f'<span class="pa-count">{plural(count, "paper")}</span>'
            f"<p>{esc(topic.description)}</p></li>"
        )
    body = "\n".join(
        [
            "<h1>Topics</h1>",
            '<p class="pa-lead">A curated taxonomy: rules on words of the title and abstract, '
            "AI keywords and arXiv categories put each paper in one or more topics; papers no "
            "rule matches are in Other.</p>",
            f'<ul class="pa-topiclist">{"".join(items)}</ul>',
        ]
    )
    return Page(ctx.here, "Topics", body, "Papers of the archive by topic.")


def topic_page(archive: Archive, topic: Topic, months: dict[Month, list[Entry]], ctx: Ctx) -> Page:
    entries = archive.by_topic[topic.slug]
    counts = {month: len(items) for month, items in months.items()}
    history = (
        months_grid(
            counts,
            ctx,
            partial(topic_month_url, topic.slug),
            caption=f"{esc(topic.name)}: papers per month",
        )
        if counts
        else '<p class="pa-empty">None yet.</p>'
    )
    lead = plural(len(entries), "paper")
    if entries:
        lead += f"; the latest featured on {weekday_date(entries[0].day)}"
    body = "\n".join(
        [
            f"<h1>{esc(topic.name)}</h1>",
            f'<p class="pa-description">{esc(topic.description)}</p>',
            f'<p class="pa-lead">{lead}.</p>',
            feed_links(topic, ctx),
            section("Latest papers", cards(entries[:RECENT_COUNT], ctx, level=3)),
            section("History by month", history),
            f'<p><a href="{ctx.link(TOPICS)}">All topics</a></p>',
        ]
    )
    return Page(
        ctx.here, topic.name, body, topic.description, topic_url(topic.slug), feed_title(topic)
    )


def feed_title(topic: Topic) -> str:
    return f"Paper Almanac: {topic.name}"


def feed_links(topic: Topic, ctx: Ctx) -> str:
    """Visible links to the topic's feeds (the <head> has them too, for feed readers)."""
    folder = ctx.link(topic_url(topic.slug))
    return (
        f'<p class="pa-feeds">Follow {esc(topic.name)}: <a href="{folder}{ATOM_FEED}" '
        f'type="application/atom+xml">Atom feed</a> · <a href="{folder}{JSON_FEED}" '
        'type="application/feed+json">JSON Feed</a></p>'
    )


def topic_month_page(
    topic: Topic,
    month: Month,
    entries: list[Entry],
    neighbours: tuple[Month | None, Month | None],
    ctx: Ctx,
) -> Page:
    """One month of a topic: its papers grouped by day, as compact rows."""
    before, after = neighbours
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(entry)
    groups = [
        section(
            weekday_date(day), f'<ul class="pa-rows">{"".join(row(e, ctx) for e in items)}</ul>'
        )
        for day, items in by_day.items()
    ]
    name = esc(topic.name)
    body = "\n".join(
        [
            f"<h1>{name}: {month_name(*month)}</h1>",
            f'<p class="pa-lead">{plural(len(entries), "paper")} in this topic, newest first.</p>',
            pager(
                "Neighbouring months of this topic",
                ctx,
                (topic_month_url(topic.slug, *before), month_name(*before)) if before else None,
                (topic_url(topic.slug), f"All of {name}"),
                (topic_month_url(topic.slug, *after), month_name(*after)) if after else None,
            ),
            *groups,
        ]
    )
    title = f"{topic.name}: {month_name(*month)}"
    return Page(ctx.here, title, body, None, topic_url(topic.slug), feed_title(topic))
