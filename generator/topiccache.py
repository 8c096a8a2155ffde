"""Remembering each paper's topics between builds.

Classifying 30,000 abstracts takes about two seconds, and a daily build changes a few
dozen papers. `CachedClassifier` wraps the real classifier and keeps, per paper id, a
digest of the text the rules read (title, abstract, AI keywords, categories) with the
topics found; a paper whose text is unchanged gets its topics back without being read.
The cache file is ours (in the build folder), versioned, and only valid for one taxonomy
and one version of the classifier's code: anything else starts it afresh. Curated papers
are always classified anew (curation is cheap to apply and changes by hand).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from pathlib import Path

from . import topics as topics_module
from .archive import Classifier
from .models import Curation, Paper, Topic

VERSION = 1
_Entries = dict[str, tuple[bytes, tuple[str, ...]]]


def taxonomy_key(taxonomy: Sequence[Topic]) -> str:
    """What a cached classification depends on besides the paper: rules and code."""
    digest = hashlib.sha256(repr(tuple(taxonomy)).encode("utf-8"))
    digest.update(Path(topics_module.__file__).read_bytes())
    return digest.hexdigest()


def paper_digest(paper: Paper) -> bytes:
    parts = (paper.title, paper.abstract or "", "\x1e".join(paper.ai_keywords))
    text = "\x1f".join((*parts, *paper.categories))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class CachedClassifier:
    def __init__(self, inner: Classifier, path: Path, key: str) -> None:
        self.inner = inner
        self.path = path
        self.key = key
        self.old = _read(path, key)
        self.new: _Entries = {}
        self.hits = 0

    def classify(self, paper: Paper, curation: Curation | None) -> tuple[str, ...]:
        if curation is not None:
            return self.inner.classify(paper, curation)
        digest = paper_digest(paper)
        cached = self.old.get(paper.id)
        if cached is not None and cached[0] == digest:
            self.hits += 1
            slugs = cached[1]
        else:
            slugs = self.inner.classify(paper, None)
        self.new[paper.id] = (digest, slugs)
        return slugs

    def save(self, *, keep_unseen: bool = False) -> None:
        """Keep what this run classified; papers it did not see are dropped unless
        `keep_unseen` (a preview of part of the archive must not forget the rest)."""
        if keep_unseen:
            self.new = {**self.old, **self.new}
        if self.new == self.old:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(self.path.name + ".tmp")
        with open(temp, "wb") as handle:
            pickle.dump((VERSION, self.key, self.new), handle, protocol=pickle.HIGHEST_PROTOCOL)
        temp.replace(self.path)


def _read(path: Path, key: str) -> _Entries:
    try:
        with open(path, "rb") as handle:
            version, cached_key, entries = pickle.load(handle)  # noqa: S301 - our own file
    except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError):
        return {}
    if version != VERSION or cached_key != key or not isinstance(entries, dict):
        return {}
    return entries
