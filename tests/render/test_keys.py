"""Job keys (render/jobs.Keys): a page is rendered again exactly when what it shows of
its papers may have changed, so an entry's digest must move with every field."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from generator.models import Paper
from generator.site.arranged import Entry
from generator.site.render.jobs import Keys
from tests.strategies import papers


def digest(entry: Entry) -> bytes:
    return Keys().entry(entry)


@given(papers(), papers())
def test_entries_of_one_id_have_one_digest_only_when_equal(a: Paper, b: Paper) -> None:
    b = b.with_changes(id=a.id)
    first, second = Entry(a, ("agents",)), Entry(b, ("agents",))
    assert (digest(first) == digest(second)) == (first == second)


@given(papers())
def test_the_topics_and_the_pin_are_part_of_the_digest(paper: Paper) -> None:
    entry = Entry(paper, ("agents",))
    assert digest(entry) != digest(dataclasses.replace(entry, topics=("code",)))
    assert digest(entry) != digest(dataclasses.replace(entry, pinned=True))
    assert digest(entry) == digest(Entry(paper, ("agents",)))


@given(st.integers(min_value=2**64))
def test_a_count_json_cannot_hold_is_digested_too(count: int) -> None:
    paper = Paper(id="2601.00001", title="A title", day=date(2026, 1, 6))
    huge = Entry(paper.with_changes(upvotes=count), ())
    assert digest(huge) != digest(Entry(paper, ()))
    assert digest(huge) == digest(Entry(paper.with_changes(upvotes=count), ()))
    assert digest(huge) != digest(Entry(paper.with_changes(upvotes=count + 1), ()))


def by_file(entry: Entry, file_digest: str) -> bytes:
    return Keys(days={entry.day: file_digest}).entry(entry)


@given(papers())
def test_an_entry_of_a_known_day_file_moves_with_the_file_and_the_archives_decisions(
    paper: Paper,
) -> None:
    entry = Entry(paper, ("agents",))
    assert by_file(entry, "a" * 32) == by_file(Entry(paper, ("agents",)), "a" * 32)
    assert by_file(entry, "a" * 32) != by_file(entry, "b" * 32)
    assert by_file(entry, "a" * 32) != by_file(
        dataclasses.replace(entry, topics=("code",)), "a" * 32
    )
    assert by_file(entry, "a" * 32) != by_file(dataclasses.replace(entry, pinned=True), "a" * 32)
    other = dataclasses.replace(entry, paper=paper.with_changes(id="2601.99999"))
    assert by_file(entry, "a" * 32) != by_file(other, "a" * 32)
    # A paper of a day whose file is not known is digested whole, as without any.
    other_day = paper.day + timedelta(days=1)
    assert Keys(days={other_day: "a" * 32}).entry(entry) == digest(entry)


def _entry(n: int, title: str = "A title") -> Entry:
    return Entry(Paper(id=f"2601.{n:05d}", title=title, day=date(2026, 1, 6)), ("agents",))


@given(
    st.lists(st.lists(st.integers(2, 40), max_size=5), min_size=1, max_size=4),
    st.lists(st.lists(st.integers(2, 40), max_size=5), min_size=1, max_size=4),
)
def test_a_days_related_lists_move_its_key_exactly_when_they_differ(
    one: list[list[int]], two: list[list[int]]
) -> None:
    # A day's related.html shows each of its papers' lists: their key (Keys.lists) must
    # tell any two apart, however their entries are split between the lists.
    size = min(len(one), len(two))
    one, two = one[:size], two[:size]
    day = [_entry(i) for i in range(size)]

    def key(lists: list[list[int]]) -> bytes:
        pairs = zip(day, lists, strict=True)
        return Keys().lists(day, {e.id: tuple(_entry(n) for n in listed) for e, listed in pairs})

    assert (key(one) == key(two)) == (one == two)


def test_a_listed_papers_record_moves_the_key() -> None:
    day = [_entry(0)]
    before = Keys().lists(day, {day[0].id: (_entry(7),)})
    assert before == Keys().lists(day, {day[0].id: (_entry(7),)})
    assert before != Keys().lists(day, {day[0].id: (_entry(7, "Another title"),)})
