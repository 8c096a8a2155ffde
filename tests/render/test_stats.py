"""The stats page: well-formed, labelled SVG charts whose numbers are the archive's, and the
same numbers in tables."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser

from helpers import make_paper

from generator.models import Links, Topic
from generator.site.arranged import Archive, build_archive
from generator.site.classify import OTHER
from generator.site.render.card import Ctx
from generator.site.render.html import month_name, short_date
from generator.site.render.stats import all_months, code_share, levels, stats_page

SVG = "{http://www.w3.org/2000/svg}"
_COUNT = re.compile(r"^(.*): ([\d,]+) papers?$")


def _svgs(body: str) -> dict[str, ET.Element]:
    charts = {}
    for fragment in re.findall(r"<svg\b.*?</svg>", body, re.DOTALL):
        root = ET.fromstring(fragment)  # raises unless well-formed XML
        charts[root.get("aria-labelledby", "").split()[0].removesuffix("-t")] = root
    return charts


def _tips(root: ET.Element) -> dict[str, int]:
    out = {}
    for rect in root.iter(f"{SVG}rect"):
        tip = rect.findtext(f"{SVG}title")
        if tip is not None and (match := _COUNT.match(tip)):
            out[match.group(1)] = int(match.group(2).replace(",", ""))
    return out


class _Tables(HTMLParser):
    """Each table's rows, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(body: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(body)
    return parser.tables


def _ctx(archive: Archive) -> Ctx:
    return Ctx("stats/", {t.slug: t.name for t in archive.topics})


class _ByTitle:
    """Topics from the paper's title words (so a test can choose them)."""

    def classify(self, paper: object, curation: object) -> tuple[str, ...]:
        words = getattr(paper, "title", "").split()
        return tuple(w for w in words if w in ("alpha", "beta")) or ("other",)


TOPICS = [Topic("alpha", "Alpha & <Omega>", "A."), Topic("beta", "Beta", "B.")]


def _archive() -> Archive:
    """Two years of papers, some days empty, some with code, in two topics."""
    papers = []
    start = date(2024, 11, 20)
    for i in range(90):
        day = start + timedelta(days=(i * 7) % 200)
        words = ["alpha"] if i % 3 else ["alpha", "beta"]
        links = Links.for_arxiv(f"2501.{i:05d}", code="https://github.com/x/y" if i % 4 else None)
        papers.append(
            make_paper(f"2501.{i:05d}", day=day, title=" ".join(["Paper", *words]), links=links)
        )
    return build_archive(papers, TOPICS, {}, _ByTitle(), OTHER)


def test_every_chart_is_well_formed_and_labelled_by_its_title_and_desc() -> None:
    archive = _archive()
    charts = _svgs(stats_page(archive, _ctx(archive)).body)
    assert sorted(charts) == ["pa-code", "pa-heat-2024", "pa-heat-2025", "pa-topics"]
    for chart_id, root in charts.items():
        assert root.get("role") == "img"
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.get("id") == f"{chart_id}-t" and (title.text or "").strip()


def test_the_heat_maps_show_every_day_with_its_count() -> None:
    archive = _archive()
    charts = _svgs(stats_page(archive, _ctx(archive)).body)
    shown: dict[str, int] = {}
    for year in (2024, 2025):
        shown |= _tips(charts[f"pa-heat-{year}"])
    assert shown == {short_date(d): archive.count_on(d) for d in archive.days}
    assert sum(shown.values()) == archive.total
    desc = charts["pa-heat-2025"].findtext(f"{SVG}desc") or ""
    in_2025 = sum(archive.count_on(d) for d in archive.days if d.year == 2025)
    assert f"{in_2025} papers on " in desc


def test_the_topic_chart_shows_each_topics_months_and_total() -> None:
    archive = _archive()
    root = _svgs(stats_page(archive, _ctx(archive)).body)["pa-topics"]
    tips = _tips(root)
    for topic in archive.topics:
        expected = Counter((e.day.year, e.day.month) for e in archive.by_topic[topic.slug])
        got = {k: v for k, v in tips.items() if k.startswith(topic.name + ", ")}
        assert got == {f"{topic.name}, {month_name(*m)}": n for m, n in expected.items()}
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Alpha & <Omega>" in texts  # escaped in the markup, the same text once parsed
    for topic in archive.topics:
        assert f"{len(archive.by_topic[topic.slug]):,}" in texts


def test_the_code_chart_and_tables_hold_the_same_numbers() -> None:
    archive = _archive()
    body = stats_page(archive, _ctx(archive)).body
    coded = sum(1 for e in archive.entries.values() if e.paper.links.code)
    desc = _svgs(body)["pa-code"].findtext(f"{SVG}desc") or ""
    assert f"{coded:,} of {archive.total:,} papers" in desc
    months, topics, code = _tables(body)
    assert months[-1][:3] == ["All", f"{len(archive.days):,}", f"{archive.total:,}"]
    assert sum(int(r[2]) for r in months[1:-1]) == archive.total
    assert [int(c) for c in topics[-1][1:]] == [
        len(archive.by_topic[t.slug]) for t in archive.topics
    ]
    shares = code_share(archive)
    assert sum(int(r[1]) for r in code[1:]) == archive.total
    assert sum(int(r[2]) for r in code[1:]) == coded == sum(c for c, _ in shares.values())


def test_the_fixture_stats_are_its_totals(fixture_archive: Archive) -> None:
    body = stats_page(fixture_archive, _ctx(fixture_archive)).body
    charts = _svgs(body)
    heat = {}
    for name, root in charts.items():
        if name.startswith("pa-heat-"):
            heat |= _tips(root)
    assert sum(heat.values()) == fixture_archive.total
    assert "Vision &amp; &lt;Images&gt;" in body and "<Images>" not in body


def test_months_and_shades() -> None:
    assert all_months(date(2024, 11, 5), date(2025, 2, 1)) == [
        (2024, 11),
        (2024, 12),
        (2025, 1),
        (2025, 2),
    ]
    assert levels([0, 1, 2, 3, 4, 5, 6, 7, 8]) == (2, 4, 6)
    assert levels([52]) == (13, 26, 39)
    assert levels([3, 1]) == (1, 2, 3)
    assert levels([]) == (0, 0, 0)


def test_the_busiest_day_is_the_darkest_and_the_legend_shows_only_what_occurs() -> None:
    papers = [make_paper(f"2501.{i:05d}", day=date(2025, 1, 6)) for i in range(52)]
    papers.append(make_paper("2501.09999", day=date(2025, 1, 7)))
    archive = build_archive(papers, [], {}, _ByTitle(), OTHER)
    body = stats_page(archive, _ctx(archive)).body
    shades = {
        r.findtext(f"{SVG}title"): r.get("class")
        for r in _svgs(body)["pa-heat-2025"].iter(f"{SVG}rect")
    }
    assert shades == {"6 Jan 2025: 52 papers": "h4", "7 Jan 2025: 1 paper": "h1"}
    legend = re.search(r'<ul class="pa-legend".*?</ul>', body)
    assert legend is not None
    assert re.findall(r"</span>([^<]+)</li>", legend.group()) == [
        "none",
        "1–13",
        "14–26",
        "27–39",
        "40+",
    ]


def test_an_empty_archive_has_a_page_without_charts() -> None:
    archive = build_archive([], [], {}, _ByTitle(), OTHER)
    body = stats_page(archive, _ctx(archive)).body
    assert "<svg" not in body and "No papers yet" in body
