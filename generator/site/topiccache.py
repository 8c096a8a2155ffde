"""Remembering each paper's topics between builds.

Classifying 30,000 abstracts takes a few seconds, and a daily build changes a few dozen
papers. `CachedClassifier` wraps the real classifier with a memo (memo.py) of each paper's
topics by a digest of the text the rules read (title, abstract, AI keywords, categories)
and of the taxonomy (or of its day file, which holds that text, when the build folder
knows the file's digest): a paper whose text and rules are unchanged gets its topics back
without being read. Curated papers are always classified anew (curation is cheap to apply
and changes by hand).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from generator.models import Curation, Paper, Topic
from generator.site.arranged import Classifier
from generator.site.buildfolder import BuildFolder
from generator.site.digest import digest
from generator.site.memo import Memo


def taxonomy_key(taxonomy: Sequence[Topic]) -> str:
    """What a cached classification depends on besides the paper and the code: the rules."""
    return digest(repr(tuple(taxonomy)))


def paper_digest(paper: Paper, taxonomy: str) -> str:
    parts = (taxonomy, paper.title, paper.abstract or "", "\x1e".join(paper.ai_keywords))
    return digest("\x1f".join((*parts, *paper.categories)))


class CachedClassifier:
    def __init__(
        self,
        inner: Classifier,
        folder: BuildFolder,
        taxonomy: str,
        days: Mapping[date, str] | None = None,
    ) -> None:
        self.inner = inner
        self.taxonomy = taxonomy
        self.memo = Memo(folder, folder.topics)
        # The digest of each day's file, where known: it covers the text of every paper
        # of the day and is known already, where digesting each paper's text read the
        # whole archive's text on every daily build.
        self.days = days or {}

    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]:
        if curation is not None:
            return self.inner.classify(paper, curation)
        day = self.days.get(paper.day)
        key = paper_digest(paper, self.taxonomy) if day is None else f"{self.taxonomy}:{day}"
        found = self.memo.get(paper.id, key)
        if found is not None and _slugs(found.value):
            return tuple(found.value)
        slugs = self.inner.classify(paper, None)
        self.memo.put(paper.id, key, list(slugs))
        return slugs

    def save(self, *, keep_unseen: bool = False) -> None:
        """Keep what this run classified; papers it did not see are dropped unless
        `keep_unseen` (a preview of part of the archive must not forget the rest)."""
        self.memo.save(keep_unseen=keep_unseen)


def _slugs(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(s, str) for s in value)
