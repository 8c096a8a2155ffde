"""Each day's RIS file, read back with an outside parser (rispy): one record per card of
the day's page (its own papers, then those featured again that day), in the page's
order, and every author as RIS writes one, "Last, First" (BibTeX's "First von Last"
split), a single word whole."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rispy
from helpers import check_name, check_ris_record, docs_files, folded, last_first, make_paper

from generator.project import Project
from generator.site.arranged import Archive, DayCards, Entry
from generator.site.load import load
from generator.site.render.ris import author, day_file, file_name, record
from generator.site.render.urls import day_url

SITE = "https://example.org/almanac/"
REPO = Path(__file__).resolve().parents[2]


class _Cards(HTMLParser):
    """The ids of a page's cards (article.pa-card), in the order the page shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.without_id = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "article" and "pa-card" in (values.get("class") or "").split():
            if values.get("id"):
                self.ids.append(values["id"] or "")
            else:
                self.without_id += 1


def cards_of(page: str) -> list[str]:
    cards = _Cards()
    cards.feed(page)
    assert cards.without_id == 0, "every card of a day page is an anchor"
    return cards.ids


def check_day_files(archive: Archive, files: dict[str, str | bytes]) -> int:
    """Every day's RIS file against its page: one record per card, same ids, same order.
    Returns how many cards featured again were checked."""
    again = 0
    for day in archive.days:
        page = files[day_url(day) + "index.md"]
        text = files[day_url(day) + file_name(day)]
        assert isinstance(page, str) and isinstance(text, str)
        assert f'href="{file_name(day)}"' in page
        cards = cards_of(page)
        records = rispy.loads(text)
        assert len(records) == len(cards), f"{day}: {len(cards)} cards, {len(records)} records"
        assert [r["id"] for r in records] == cards
        shown = archive.cards_on(day)
        assert cards == [e.id for e in shown.all]
        for found, entry in zip(records, shown.all, strict=True):
            check_ris_record(found, entry.paper)
        again += len(shown.again)
    return again


def test_a_day_s_ris_file_has_a_record_for_every_card_of_its_page(
    fixture_archive: Archive,
) -> None:
    files = docs_files(fixture_archive, SITE)
    assert check_day_files(fixture_archive, files) >= 1  # the fixture has one featured again
    # The fixture's paper featured again on 2026-01-05 is in that day's file, last.
    records = rispy.loads(str(files[day_url(date(2026, 1, 5)) + file_name(date(2026, 1, 5))]))
    assert records[-1]["id"] == "2512.30001"
    assert "2512.30001" in [e.id for e in fixture_archive.by_day[date(2025, 12, 31)]]


def test_every_day_of_the_shipped_archive_has_a_ris_record_per_card() -> None:
    archive = load(Project(REPO)).archive
    files = docs_files(archive, SITE)
    assert len(archive.days) >= 40
    assert check_day_files(archive, files) >= 1
    # 2026-01-06 shows papers featured again after its own; the file has them all.
    day = date(2026, 1, 6)
    shown = archive.cards_on(day)
    assert shown.again
    records = rispy.loads(str(files[day_url(day) + file_name(day)]))
    assert len(records) == len(shown.own) + len(shown.again)
    assert {r["id"] for r in records} >= {e.id for e in shown.again}


def test_the_shipped_archive_s_particles_and_single_names() -> None:
    """Real names of the sample, as a reference manager should file them."""
    archive = load(Project(REPO)).archive
    names = {n for e in archive.entries.values() for n in e.paper.authors}
    for name in names:
        check_name(folded(name), author(name))
    expected = {
        "Katharina von der Wense": "von der Wense, Katharina",
        "Patrick von Platen": "von Platen, Patrick",
        "Diego de las Casas": "de las Casas, Diego",
        "Celso M de Melo": "de Melo, Celso M",
        "Linus": "Linus",
        "NVIDIA": "NVIDIA",
    }
    assert set(expected) <= names
    for name, written in expected.items():
        assert author(name) == written


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Grace Hopper", "Hopper, Grace"),
        ("Katharina von der Wense", "von der Wense, Katharina"),
        ("Jean de la Fontaine", "de la Fontaine, Jean"),
        ("Blaise Agüera y Arcas", "y Arcas, Blaise Agüera"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Donald E. Knuth", "Knuth, Donald E."),
        ("Irène Joliot-Curie", "Joliot-Curie, Irène"),
        ("Zheng liu", "liu, Zheng"),  # a surname typed in lowercase is still the surname
        ("li yuan", "yuan, li"),  # typed in lowercase: no particles, last word is surname
        ("  Marie \t Curie\n", "Curie, Marie"),
        ("Linus", "Linus"),
        ("NVIDIA", "NVIDIA"),
        ("DeepSeek-AI", "DeepSeek-AI"),
        ("Hopper, Grace", "Hopper, Grace"),
        ("von der Wense, Katharina", "von der Wense, Katharina"),
        ("Smith, Jr., John", "Smith, Jr., John"),
        ("", ""),
        (" \t", ""),
    ],
)
def test_an_author_is_written_last_name_first(name: str, written: str) -> None:
    assert author(name) == written
    assert last_first(name) == written
    if written:
        (found,) = rispy.loads(record(make_paper("2601.00001", authors=(name,))))
        assert found["authors"] == [written]


def test_a_day_file_lists_the_cards_featured_again_after_its_own() -> None:
    day = date(2026, 1, 6)
    own = [make_paper(f"2601.0000{i}", day=day) for i in (2, 1)]
    earlier = make_paper("2512.00009", day=date(2025, 12, 30), featured_again=(day,))

    shown = DayCards(tuple(Entry(p, ("other",)) for p in own), (Entry(earlier, ("other",)),))
    text = day_file(e.paper for e in shown.all)
    assert [r["id"] for r in rispy.loads(text)] == ["2601.00002", "2601.00001", "2512.00009"]
