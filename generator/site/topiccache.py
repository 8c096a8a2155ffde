"""Remembering each paper's topics between builds.

Classifying 30,000 abstracts takes a few seconds, and a daily build changes a few dozen
papers. `CachedClassifier` wraps the real classifier and keeps, per paper id, a digest of
the text the rules read (title, abstract, AI keywords, categories) with the topics found;
a paper whose text is unchanged gets its topics back without being read. The cache is a
JSON file in the build folder, valid for one build key (code and versions, see
buildfolder.py) and one taxonomy: anything else starts it afresh. Curated papers are
always classified anew (curation is cheap to apply and changes by hand).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.models import Curation, Paper, Topic
from generator.site.arranged import Classifier
from generator.site.buildfolder import BuildFolder
from generator.site.digest import digest

_Entries = dict[str, list[object]]  # paper id -> [digest of its text, [slugs]]


def taxonomy_key(taxonomy: Sequence[Topic]) -> str:
    """What a cached classification depends on besides the paper and the code: the rules."""
    return digest(repr(tuple(taxonomy)))


def paper_digest(paper: Paper) -> str:
    parts = (paper.title, paper.abstract or "", "\x1e".join(paper.ai_keywords))
    text = "\x1f".join((*parts, *paper.categories))
    return digest(text)


class CachedClassifier:
    def __init__(self, inner: Classifier, folder: BuildFolder, taxonomy: str) -> None:
        self.inner = inner
        self.folder = folder
        self.taxonomy = taxonomy
        stored = folder.read(folder.topics)
        papers = stored.get("papers") if stored.get("taxonomy") == taxonomy else None
        self.old: _Entries = papers if isinstance(papers, dict) else {}
        self.new: _Entries = {}
        self.hits = 0

    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]:
        if curation is not None:
            return self.inner.classify(paper, curation)
        digest = paper_digest(paper)
        cached = self.old.get(paper.id)
        if (
            isinstance(cached, list)
            and len(cached) == 2
            and cached[0] == digest
            and isinstance(cached[1], list)
            and all(isinstance(s, str) for s in cached[1])
        ):
            self.hits += 1
            slugs = tuple(cached[1])
        else:
            slugs = self.inner.classify(paper, None)
        self.new[paper.id] = [digest, list(slugs)]
        return slugs

    def save(self, *, keep_unseen: bool = False) -> None:
        """Keep what this run classified; papers it did not see are dropped unless
        `keep_unseen` (a preview of part of the archive must not forget the rest)."""
        if keep_unseen:
            self.new = {**self.old, **self.new}
        if self.new == self.old:
            return
        self.folder.write(self.folder.topics, {"taxonomy": self.taxonomy, "papers": self.new})
