"""Trending: periods end on the archive's latest day; topic growth follows its formula."""

from __future__ import annotations

import re
from datetime import date, timedelta

from helpers import make_paper

from generator.models import Paper, Topic
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render.card import Ctx
from generator.site.render.trending import MIN_PAPERS, WINDOW, topic_growth, trending_page

LAST = date(2025, 6, 30)


class _ByTitle:
    def classify(self, paper: Paper, curation: object) -> tuple[str, ...]:
        return tuple(w for w in paper.title.split() if w in ("alpha", "beta", "gamma")) or (
            "other",
        )


TOPICS = [Topic(s, s.title(), "x") for s in ("alpha", "beta", "gamma")]


def _paper(n: int, day: date, upvotes: int, topic: str = "other") -> Paper:
    return make_paper(f"2506.{n:05d}", day=day, upvotes=upvotes, title=f"P{n} {topic}")


def _archive(papers: list[Paper]) -> Archive:
    return build_archive(papers, TOPICS, {}, _ByTitle(), OTHER)


def _sections(body: str) -> dict[str, list[str]]:
    out = {}
    for title, content in re.findall(r"<h2>(.*?)</h2>\n(.*?)\n</section>", body, re.DOTALL):
        out[title] = re.findall(r'href="[^"]*#([^"]+)"', content)
    return out


def test_periods_end_on_the_latest_day_of_the_archive() -> None:
    papers = [
        _paper(1, LAST, 10),
        _paper(2, LAST - timedelta(days=6), 50),  # inside the 7 days
        _paper(3, LAST - timedelta(days=7), 90),  # just outside them, inside 30
        _paper(4, LAST - timedelta(days=29), 5),
        _paper(5, LAST - timedelta(days=30), 999),  # outside 30 days
    ]
    archive = _archive(papers)
    page = trending_page(archive, Ctx("trending/", {t.slug: t.name for t in archive.topics}))
    found = _sections(page.body)
    assert found["Most upvoted in the last 7 days"] == ["2506.00002", "2506.00001"]
    assert found["Most upvoted in the last 30 days"] == [
        "2506.00003",
        "2506.00002",
        "2506.00001",
        "2506.00004",
    ]
    assert found["Most upvoted of all time"][0] == "2506.00005"
    assert "30 June 2025" in page.body


def test_growth_is_latest_against_the_30_days_before() -> None:
    latest_start = LAST - timedelta(days=WINDOW - 1)
    before_day = latest_start - timedelta(days=1)
    papers, n = [], 0

    def add(topic: str, day: date, count: int) -> None:
        nonlocal n
        for _ in range(count):
            n += 1
            papers.append(_paper(n, day, 1, topic))

    add("alpha", before_day, 5)
    add("alpha", latest_start, 10)  # 5 -> 10: +100%
    add("beta", before_day, 2)
    add("beta", LAST, 8)  # 2 -> 8: +300%
    add("gamma", LAST, MIN_PAPERS - 1)  # too few to rank
    add("alpha", latest_start - timedelta(days=WINDOW + 1), 50)  # older than both windows
    growth = topic_growth(_archive(papers), LAST)
    assert [(g.slug, g.before, g.latest) for g in growth] == [("beta", 2, 8), ("alpha", 5, 10)]
    assert [g.rate for g in growth] == [3.0, 1.0]


def test_the_page_states_the_formula_and_shows_the_table() -> None:
    papers = [_paper(i, LAST - timedelta(days=i % 3), i, "alpha") for i in range(1, 9)]
    archive = _archive(papers)
    body = trending_page(archive, Ctx("trending/", {t.slug: t.name for t in archive.topics})).body
    assert "growth = (latest − before) ÷ before" in body
    assert '<table class="pa-growth">' in body
    assert "<td>new (8 papers more)</td>" in body


def test_no_papers_means_an_empty_page() -> None:
    archive = _archive([])
    assert "No papers yet" in trending_page(archive, Ctx("trending/", {})).body


def test_the_fixture_page_is_the_same_on_every_run(fixture_archive: Archive) -> None:
    ctx = Ctx("trending/", {t.slug: t.name for t in fixture_archive.topics})
    first = trending_page(fixture_archive, ctx)
    assert first == trending_page(fixture_archive, ctx)
    assert "&lt;script&gt;" in first.body and "<script>" not in first.body
