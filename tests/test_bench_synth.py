"""The benchmark's synthetic archive is made of real text and has the real one's shape
(bench/synth.py). Skipped without the real captures in ../shared/hf-daily."""

from __future__ import annotations

from collections import Counter
from statistics import mean

import pytest

import bench.synth as synth
from generator.site.classify import OTHER_SLUG, Classifier

try:
    TEXT = synth.real_text()
except synth.NoRealText as exc:
    pytest.skip(f"no real text to make an archive of: {exc}", allow_module_level=True)


def test_every_sentence_of_every_abstract_is_a_real_one() -> None:
    by_start: dict[str, set[str]] = {}
    for source in TEXT.sources:
        for sentence in source.sentences:
            by_start.setdefault(sentence[:1], set()).add(sentence)

    def made_of_sentences(text: str, pos: int = 0) -> bool:
        if pos >= len(text):
            return True
        starting = by_start.get(text[pos : pos + 1], ())
        return any(
            made_of_sentences(text, pos + len(s) + 1) for s in starting if text.startswith(s, pos)
        )

    papers = synth.synth_papers(300, seed=2)
    for paper in papers:
        assert made_of_sentences(paper.abstract or ""), paper.id
    assert len({p.abstract for p in papers}) == len(papers)  # and no two alike


def test_titles_are_unique_and_made_of_real_titles() -> None:
    heads = {s.head for s in TEXT.sources}
    papers = synth.synth_papers(3000, seed=4)
    assert len({p.title.casefold() for p in papers}) == len(papers)
    assert all(any(p.title.startswith(h) for h in heads) for p in papers[:300])


def test_papers_land_in_a_few_topics_like_real_ones() -> None:
    # The real captures average 2.7 topics a paper with the shipped taxonomy.
    judge = Classifier(synth.shipped_topics())
    papers = synth.synth_papers(1500, seed=3)
    counts = [len([s for s in judge.classify(p) if s != OTHER_SLUG]) for p in papers]
    assert 2.0 <= mean(counts) <= 4.0
    assert Counter(counts)[0] < len(papers) * 0.05


def test_the_shape_of_days_and_records() -> None:
    papers = synth.synth_papers(3000, seed=1)
    assert len(papers) == 3000 and len({p.id for p in papers}) == 3000
    per_day = Counter(p.day for p in papers)
    weekdays = [n for d, n in per_day.items() if d.weekday() < 5]
    assert 18 <= mean(weekdays) <= 32 and max(weekdays) >= 40
    assert all(len(p.abstract or "") <= synth.MAX_ABSTRACT for p in papers)
    assert 1200 <= mean(len(p.abstract or "") for p in papers) <= 1700  # real ones: ~1,400
    assert all(1 <= len(p.authors) <= 30 for p in papers)
    assert sum(bool(p.ai_summary) for p in papers) > 0.9 * len(papers)
    upvotes = sorted(p.upvotes or 0 for p in papers)
    assert upvotes[len(upvotes) // 2] < 5 < upvotes[-1] / 20  # skewed: a few get hundreds


def test_authors_recur_across_years_as_on_hugging_face() -> None:
    papers = synth.synth_papers(10000, seed=1)
    years: dict[str, set[int]] = {}
    for paper in papers:
        for name in paper.authors:
            years.setdefault(name, set()).add(paper.day.year)
    counts = Counter(name for paper in papers for name in paper.authors)
    some = [n for n, c in counts.items() if 3 <= c <= 6]
    assert len(some) > 1000  # many authors with a handful of papers ...
    assert sum(len(years[n]) > 1 for n in some) > len(some) / 3  # ... over several years
    assert max(counts.values()) < len(papers) / 20  # and nobody is on every paper


def test_the_same_seed_gives_the_same_archive() -> None:
    assert synth.synth_papers(200, seed=7) == synth.synth_papers(200, seed=7)
