"""The benchmark's synthetic archive has the shape of the real one (bench/synth.py)."""

from __future__ import annotations

from collections import Counter
from statistics import mean

import bench.synth as synth
from bench.synth import synth_papers
from generator.topics import OTHER_SLUG, Classifier


def test_papers_land_in_about_two_topics_like_real_ones() -> None:
    topics = synth.shipped_topics()
    papers = synth_papers(1500, seed=3)
    judge = Classifier(topics)
    counts = [len([s for s in judge.classify(p) if s != OTHER_SLUG]) for p in papers]
    assert 1.5 <= mean(counts) <= 2.7
    assert Counter(counts)[0] < len(papers) * 0.08  # few papers in no topic
    seen = Counter(s for p in papers for s in judge.classify(p))
    assert len(seen) >= len(topics) - 2  # nearly every topic of the taxonomy occurs


def test_the_filler_text_matches_no_topic() -> None:
    judge = Classifier(synth.shipped_topics())
    plain = synth_papers(300, seed=5, topics=[])  # no topic phrases drawn at all
    assert {judge.classify(p) for p in plain} == {(OTHER_SLUG,)}


def test_the_shape_of_days_and_records() -> None:
    papers = synth_papers(3000, seed=1)
    assert len(papers) == 3000 and len({p.id for p in papers}) == 3000
    per_day = Counter(p.day for p in papers)
    weekdays = [n for d, n in per_day.items() if d.weekday() < 5]
    assert 18 <= mean(weekdays) <= 32 and max(weekdays) >= 40
    assert all(1000 <= len(p.abstract or "") <= 2000 for p in papers)
    assert all(1 <= len(p.authors) <= 30 for p in papers)
    assert sum(bool(p.ai_summary) for p in papers) > 0.9 * len(papers)
    upvotes = sorted(p.upvotes or 0 for p in papers)
    assert upvotes[len(upvotes) // 2] < 5 < upvotes[-1] / 20  # skewed: a few get hundreds


def test_the_same_seed_gives_the_same_archive() -> None:
    assert synth_papers(200, seed=7) == synth_papers(200, seed=7)
