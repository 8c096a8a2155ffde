"""Structure of every page rendered from the fixture: headings, links, anchors, order."""

from __future__ import annotations

import posixpath
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from helpers import api_files, make_paper, render_all

from generator.site.arranged import Archive, Entry
from generator.site.render.card import Ctx, authors_line, card
from generator.site.siteconf import DEFAULT_SITE_URL as SITE_URL

HAND_WRITTEN = {"search/", "about/", "cite/", "api/"}


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.links: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.link_texts: list[str] = []
        self._in_link = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a":
            self._in_link = True
            self.link_texts.append("")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a" and found.get("href") is not None:
            self.links.append((found["href"] or "", found))
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag == "img" and self._in_link:  # an image link's name is its image's alt text
            self.link_texts[-1] += found.get("alt") or ""

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_link:
            self.link_texts[-1] += data


def outline(markdown_text: str) -> Outline:
    body = markdown_text.split("---\n", 2)[2]
    parser = Outline()
    parser.feed(body)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def site(fixture_archive: Archive) -> dict[str, Outline]:
    docs = render_all(fixture_archive)[0]
    return {
        path.removesuffix("index.md"): outline(str(text))
        for path, text in docs.items()
        if path.endswith("index.md")
    }


def test_every_page_has_one_h1_and_headings_in_order(site: dict[str, Outline]) -> None:
    for url, page in site.items():
        assert page.headings.count(1) == 1, url
        assert page.headings[0] == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, f"{url}: h{before} then h{after}"


def test_every_internal_link_reaches_a_page_and_its_anchor(
    site: dict[str, Outline], fixture_archive: Archive
) -> None:
    files = set(render_all(fixture_archive)[0]) | set(api_files(fixture_archive, SITE_URL))
    checked = 0
    for url, page in site.items():
        for href, attrs in page.links:
            if href.startswith("https://"):
                assert attrs.get("rel") == "nofollow noopener", href
                continue
            path, _, fragment = href.partition("#")
            path = path.partition("?")[0]  # the search page's query: its own test
            if "." in path.rsplit("/", 1)[-1].strip("."):  # a file: a feed, BibTeX, JSON
                target = posixpath.normpath(posixpath.join(url or ".", path))
                assert target in files, f"{url}: broken link {href}"
                checked += 1
                continue
            target = posixpath.normpath(posixpath.join(url or ".", path or ".")) + "/"
            target = "" if target == "./" else target
            assert target in site or target in HAND_WRITTEN, f"{url}: broken link {href}"
            if fragment:
                assert fragment in site[target].ids, f"{url}: no anchor {href}"
            checked += 1
    assert checked > 100


def test_link_texts_say_where_they_go(site: dict[str, Outline]) -> None:
    vague = re.compile(r"(here|click here|more|link|this|read more)", re.IGNORECASE)
    for url, page in site.items():
        for text in page.link_texts:
            assert text.strip(), f"{url}: a link without text"
            assert not vague.fullmatch(text.strip()), f"{url}: vague link text {text!r}"


def test_day_page_orders_pinned_then_upvotes_then_id(fixture_archive: Archive) -> None:
    order = [e.id for e in fixture_archive.by_day[date(2026, 1, 2)]]
    assert order == ["2601.00103", "2601.00102", "2601.00101"]  # pinned first
    assert [e.id for e in fixture_archive.by_day[date(2026, 1, 6)]] == ["2601.06001", "2601.06002"]


def test_day_pages_link_previous_and_next_days_with_papers(site: dict[str, Outline]) -> None:
    links = {attrs.get("rel"): href for href, attrs in site["days/2026/01/02/"].links}
    assert links["prev"] == "../../../2025/12/31/"
    assert links["next"] == "../05/"  # 3 and 4 January have no papers
    first = {attrs.get("rel") for _, attrs in site["days/2025/12/30/"].links}
    assert "prev" not in first


def test_hidden_papers_appear_nowhere(fixture_archive: Archive) -> None:
    docs, records = render_all(fixture_archive)
    for text in [*docs.values(), *records.values()]:
        assert "2601.00104" not in text
        assert "Hidden Paper" not in text


def test_calendar_links_days_with_papers_and_shows_empty_days(fixture_archive: Archive) -> None:
    docs, _ = render_all(fixture_archive)
    month = docs["days/2026/01/index.md"]
    assert re.search(r'<td class="pa-cal__empty">1</td>', month)
    assert re.search(r'<td class="pa-cal__empty">3</td>', month)
    assert re.search(r'<td class="pa-cal__full"><a href="02/"[^>]*>2</a></td>', month)
    archive_index = docs["days/index.md"]
    assert 'aria-label="January 2026: 7 papers"' in archive_index
    assert '<td class="pa-cal__empty">–</td>' in archive_index


def test_every_topic_month_has_a_page(fixture_archive: Archive, site: dict[str, Outline]) -> None:
    for topic in fixture_archive.topics:
        for year, month in fixture_archive.topic_months(topic.slug):
            assert f"topics/{topic.slug}/{year:04d}/{month:02d}/" in site


def test_the_abstract_is_open_on_day_pages_and_folded_elsewhere(fixture_archive: Archive) -> None:
    entry = fixture_archive.entries["2601.00102"]
    names = {t.slug: t.name for t in fixture_archive.topics}
    on_day = card(entry, Ctx("days/2026/01/02/", names), level=2, on_day_page=True)
    elsewhere = card(entry, Ctx("", names), level=3, on_day_page=False)
    assert '<details class="pa-card__abstract" open>' in on_day
    assert 'id="2601.00102"' in on_day
    assert '<details class="pa-card__abstract">' in elsewhere
    assert ' id="' not in elsewhere
    assert 'href="days/2026/01/02/#2601.00102"' in elsewhere


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"authors": ("A", "B")}, "A, B"),
        ({"authors": tuple("ABCDEFG")}, "A, B, C, D, E and 2 more"),
        ({"authors": ("A", "B"), "author_count": 30}, "A, B and 28 more"),
        ({"author_count": 12}, "12 authors"),
        ({"author_count": 1}, "1 author"),
        ({}, None),
    ],
)
def test_authors_show_the_first_few_and_how_many(fields: dict[str, object], line: str) -> None:
    shown = authors_line(make_paper("2601.00001", **fields), Ctx("days/2026/01/02/", {}))
    assert (re.sub(r"<[^>]+>", "", shown) if shown else shown) == line


def test_the_organization_and_the_submitter_link_to_their_profiles_by_name() -> None:
    paper = make_paper(
        "2601.00001",
        organization="Org <X>",
        organization_handle="org-x",
        submitted_by="user1",
        submitted_by_name="User One",
    )
    shown = card(Entry(paper, ("other",)), Ctx("", {"other": "Other"}), level=3, on_day_page=False)
    assert (
        'From <a href="https://huggingface.co/org-x" rel="nofollow noopener">Org &lt;X&gt;</a>'
        in shown
    )
    assert (
        'Submitted by <a href="https://huggingface.co/user1" rel="nofollow noopener">User One</a>'
        in shown
    )


def test_a_card_lists_the_arxiv_categories_primary_first() -> None:
    paper = make_paper("2601.00001", primary_category="cs.RO", categories=("cs.AI", "cs.RO"))
    shown = card(Entry(paper, ("other",)), Ctx("", {"other": "Other"}), level=3, on_day_page=False)
    assert "<li>arXiv cs.RO, cs.AI</li>" in shown
    plain = card(
        Entry(make_paper("2601.00002"), ("other",)),
        Ctx("", {"other": "Other"}),
        level=3,
        on_day_page=False,
    )
    assert "arXiv " not in plain.replace('">arXiv</a>', "")


def test_each_author_links_to_the_search_for_their_papers() -> None:
    paper = make_paper(
        "2601.00001",
        authors=("Kaiming  He", "Ada <Lovelace> & Co", "Yann LeCun"),
        author_handles=(("Yann LeCun", "ylecun"),),
    )
    line = authors_line(paper, Ctx("days/2026/01/02/", {})) or ""
    assert len(re.findall(r'<a href="../../../../search/\?q=', line)) == 3
    assert '<a href="../../../../search/?q=Kaiming+He">Kaiming He</a>' in line
    assert "search/?q=Ada+%3CLovelace%3E+%26+Co" in line
    assert "Ada &lt;Lovelace&gt; &amp; Co</a>" in line
    assert (
        '<a href="https://huggingface.co/ylecun" class="pa-card__profile" '
        'rel="nofollow noopener" aria-label="Yann LeCun on Hugging Face">(HF)</a>'
    ) in line


def test_only_known_links_are_shown(fixture_archive: Archive) -> None:
    names = {t.slug: t.name for t in fixture_archive.topics}
    untitled = card(
        fixture_archive.entries["t-0a1b2c3d4e5f"], Ctx("", names), level=3, on_day_page=False
    )
    assert re.findall(r"<a [^>]*>([^<]*)</a></li></ul>", untitled.split("pa-card__links")[1]) == [
        "Find on arXiv"
    ]
    assert "pa-card__abstract" not in untitled
    with_code = card(
        fixture_archive.entries["2512.20001"], Ctx("", names), level=3, on_day_page=False
    )
    assert (
        '<a href="https://github.com/example/cot-distill" rel="nofollow noopener">Code</a>'
        in with_code
    )


def test_a_renamed_paper_keeps_its_old_anchor_on_its_day_page() -> None:
    from datetime import date

    from helpers import make_paper

    from generator.site.arranged import build_archive
    from generator.site.classify import OTHER, Classifier

    paper = make_paper("2601.01425", day=date(2026, 1, 6), aliases=("t-0123456789ab",))
    archive = build_archive([paper], [], {}, Classifier([]), OTHER)
    day_page = str(render_all(archive)[0]["days/2026/01/06/index.md"])
    assert '<span id="t-0123456789ab"></span>' in day_page
    assert 'id="2601.01425"' in day_page


def earlier_this_week(home: str) -> list[str]:
    section = home.split("<h2>Earlier this week</h2>")[1].split("</section>")[0]
    return re.findall(r'<li class="pa-row"><a href="days/[\d/]+/#([^"]+)"', section)


def test_home_shows_earlier_this_week_without_the_latest_days_papers(
    fixture_archive: Archive,
) -> None:
    docs, _ = render_all(fixture_archive)
    ranked = earlier_this_week(str(docs["index.md"]))
    # The six days before the latest (31 December to 5 January), most upvoted first;
    # the latest day's papers are the cards above it, and 30 December is a week back.
    assert ranked == [
        "2601.00102",
        "2601.05001",
        "2512.30001",
        "2601.00101",
        "2601.00103",
        "t-0a1b2c3d4e5f",
    ]
    assert not {e.id for e in fixture_archive.by_day[date(2026, 1, 6)]} & set(ranked)


def test_home_shows_the_latest_days_best_papers_and_links_to_the_rest() -> None:
    from generator.site.arranged import build_archive
    from generator.site.classify import OTHER, Classifier
    from generator.site.render.home import HOME_CARDS

    papers = [make_paper(f"2601.{n:05d}", upvotes=n) for n in range(1, HOME_CARDS + 4)]
    archive = build_archive(papers, [], {}, Classifier([]), OTHER)
    home = str(render_all(archive)[0]["index.md"])
    shown = re.findall(r'<h3 class="pa-card__title"><a href="days/[\d/]+/#([^"]+)"', home)
    best = sorted(papers, key=lambda p: -p.upvotes)[:HOME_CARDS]
    assert shown == [p.id for p in best]
    day = archive.latest_day
    assert day is not None
    link = f'<a href="days/{day:%Y/%m/%d}/">All {HOME_CARDS + 3} papers of '
    assert link in home


def test_home_says_when_the_week_has_no_other_day() -> None:
    from generator.site.arranged import build_archive
    from generator.site.classify import OTHER, Classifier

    papers = [make_paper("2601.00001"), make_paper("2601.00002", day=date(2025, 12, 30))]
    archive = build_archive(papers, [], {}, Classifier([]), OTHER)
    home = str(render_all(archive)[0]["index.md"])
    assert earlier_this_week(home) == []
    assert "No other papers this week." in home


def test_a_paper_featured_again_is_on_its_later_day_too_with_its_permalink_on_its_first() -> None:
    from generator.site.arranged import build_archive
    from generator.site.classify import OTHER, Classifier

    first, later = date(2026, 1, 6), date(2026, 1, 13)
    back = make_paper(
        "2601.01425", day=first, featured_again=(later,), upvotes=42, aliases=("t-0123456789ab",)
    )
    new = make_paper("2601.09999", day=later)
    archive = build_archive([back, new], [], {}, Classifier([]), OTHER)
    files = render_all(archive)[0]
    page = str(files["days/2026/01/13/index.md"])
    outline = Outline()
    outline.feed(page)
    assert {"2601.01425", "t-0123456789ab", "2601.09999", "featured-again"} <= outline.ids
    assert "1 paper, pinned and most upvoted first, then 1 paper" in page
    again = page.split('<h2 id="featured-again">Featured again</h2>')[1]
    assert '<h3 class="pa-card__title"><a href="../06/#2601.01425">' in again
    assert again.count('<article class="pa-card"') == 1  # only the paper that came back
    assert 'id="2601.09999"' not in again
    # Its first day's card says where else it was featured; it is on that page once.
    first_page = str(files["days/2026/01/06/index.md"])
    assert 'Featured again <a href="../13/">' in first_page
    assert first_page.count('id="2601.01425"') == 1 and "featured-again" not in first_page
