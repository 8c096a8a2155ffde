"""Remembered topics: the cached classifier agrees with the classifier it wraps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import make_paper

from generator.models import Curation, Paper, Topic, TopicRule
from generator.project import Project
from generator.site.buildfolder import BuildFolder
from generator.site.classify import Classifier
from generator.site.topiccache import CachedClassifier, taxonomy_key

TOPICS = [
    Topic("agents", "Agents", "d", TopicRule(phrases=("agent",))),
    Topic("vision", "Vision", "d", TopicRule(keywords=("segmentation",))),
]


class Counting:
    def __init__(self, inner: Classifier) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]:
        self.calls.append(paper.id)
        return self.inner.classify(paper, curation)


def papers() -> list[Paper]:
    return [
        make_paper("2601.00001", title="An agent"),
        make_paper("2601.00002", ai_keywords=("image segmentation",)),
        make_paper("2601.00003", title="Nothing to see"),
    ]


def folder_at(path: Path) -> BuildFolder:
    return BuildFolder(Project(path))


def run(
    path: Path,
    items: list[Paper],
    topics: list[Topic] = TOPICS,
    days: dict[date, str] | None = None,
) -> tuple[list, Counting]:
    inner = Counting(Classifier(topics))
    taxonomy = taxonomy_key(topics)
    cached = CachedClassifier(inner, folder_at(path), taxonomy, days)  # type: ignore[arg-type]
    found = [cached.classify(p, None) for p in items]
    cached.save()
    return found, inner


def test_topics_come_from_the_cache_until_the_text_changes(tmp_path: Path) -> None:
    path = tmp_path
    first, inner = run(path, papers())
    assert first == [Classifier(TOPICS).classify(p) for p in papers()]
    assert len(inner.calls) == 3
    again, inner = run(path, papers())
    assert again == first and inner.calls == []
    changed = papers()
    changed[2] = changed[2].with_changes(abstract="Now an agent appears.")
    third, inner = run(path, changed)
    assert inner.calls == ["2601.00003"] and third[2] == ("agents",)


def test_another_taxonomy_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path
    run(path, papers())
    renamed = [TOPICS[0], Topic("vision", "Vision", "d", TopicRule(phrases=("see",)))]
    found, inner = run(path, papers(), renamed)
    assert len(inner.calls) == 3 and found[2] == ("vision",)


def test_curated_papers_are_always_classified_anew(tmp_path: Path) -> None:
    path = tmp_path
    run(path, papers())
    inner = Counting(Classifier(TOPICS))
    cached = CachedClassifier(inner, folder_at(path), taxonomy_key(TOPICS))  # type: ignore[arg-type]
    curation = Curation("2601.00001", remove_topics=("agents",))
    assert cached.classify(papers()[0], curation) == ("other",)
    assert inner.calls == ["2601.00001"]


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path
    folder_at(path).topics.parent.mkdir(parents=True)
    folder_at(path).topics.write_bytes(b"\x80\x04garbage")
    found, inner = run(path, papers())
    assert len(inner.calls) == 3 and found[0] == ("agents",)


def test_a_known_day_files_digest_stands_for_its_papers_text(tmp_path: Path) -> None:
    day = papers()[0].day
    first, inner = run(tmp_path, papers(), days={day: "a" * 32})
    assert first == [Classifier(TOPICS).classify(p) for p in papers()]
    assert len(inner.calls) == 3
    again, inner = run(tmp_path, papers(), days={day: "a" * 32})
    assert again == first and inner.calls == []
    # Another file (an edit anywhere in it): its papers are classified again.
    changed = papers()
    changed[2] = changed[2].with_changes(abstract="Now an agent appears.")
    third, inner = run(tmp_path, changed, days={day: "b" * 32})
    assert len(inner.calls) == 3 and third[2] == ("agents",)
    # New rules, same file: classified again too.
    rules = [*TOPICS, Topic("code", "Code", "d", TopicRule(phrases=("appears",)))]
    _, inner = run(tmp_path, changed, rules, days={day: "b" * 32})
    assert len(inner.calls) == 3
