"""The site's inputs: data/ read whole and checked (checked.py), and the Archive the pages
show (hidden papers out, topics decided).

`generate` (and so every build) and `almanac topics` read through here, and `almanac
validate` through the same `checked.read`, so they can never disagree about which papers
are shown or what topics they have. A problem in the hand-edited `topics.yaml` or
`curation.yaml` stops a build before it writes anything; a bad day file or record only
loses that record (a warning in a build).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from generator.archive.checked import Inputs, read
from generator.models import Paper
from generator.project import Project
from generator.site.arranged import Archive, Classifier, build_archive
from generator.site.buildfolder import BuildFolder
from generator.site.classify import OTHER
from generator.site.classify import Classifier as RuleClassifier
from generator.site.daycache import DayCache
from generator.site.memo import Changes
from generator.site.scope import FULL, Scope
from generator.site.topiccache import CachedClassifier, taxonomy_key


@dataclass(frozen=True)
class Loaded:
    inputs: Inputs
    archive: Archive
    problems: tuple[str, ...]  # warnings: records left out, and why
    changes: Mapping[str, Changes]  # what the build folder's memos found, by what they hold
    # The digest of each day's file, where the build folder's memo knew it: the papers of
    # a day are made of its file alone, so it stands for them in the pages' keys.
    day_digests: Mapping[date, str] = field(default_factory=dict)


def load(project: Project, folder: BuildFolder | None = None, scope: Scope = FULL) -> Loaded:
    """The Archive the site shows. A problem in a hand-edited file raises (its first one);
    bad records are left out and reported. With `folder`, parsed day files and each
    paper's topics are kept in the build folder, so only what changed is read again."""
    memo = DayCache(folder, project.papers_dir) if folder is not None else None
    inputs = read(project, memo)
    if inputs.curated_problems:
        raise inputs.curated_problems[0]
    classifier: Classifier = RuleClassifier(inputs.topics)
    cached = None
    day_digests = _day_digests(inputs, memo) if memo is not None else {}
    if folder is not None:
        taxonomy = taxonomy_key(inputs.topics)
        cached = CachedClassifier(classifier, folder, taxonomy, day_digests)
        classifier = cached
    archive = build_archive(
        _in_scope(inputs.data.papers, scope), inputs.topics, inputs.curation, classifier, OTHER
    )
    changes = {}
    if memo is not None:
        changes["day files"] = memo.changes()
    if cached is not None:
        cached.save(keep_unseen=scope != FULL)
        changes["topics"] = cached.memo.changes()
    problems = tuple(str(p) for p in inputs.record_problems) + archive.problems
    return Loaded(inputs, archive, problems, changes, day_digests)


def _day_digests(inputs: Inputs, memo: DayCache) -> dict[date, str]:
    """The digest of each day's file that the memo found this run."""
    files = inputs.data.files.items()
    return {day: memo.digests[path] for day, path in files if path in memo.digests}


def _in_scope(papers: Sequence[Paper], scope: Scope) -> Sequence[Paper]:
    if scope.recent_days is None or not papers:
        return papers
    # The archive's own latest day, not the clock: a preview is the same on any day.
    first = max(p.day for p in papers) - timedelta(days=scope.recent_days - 1)
    return [p for p in papers if p.day >= first]
