"""The site's inputs, read in one place: the archive, the taxonomy, the curation, and the
Archive the pages show (hidden papers out, topics decided).

`generate` (and so every build), `almanac topics` and `almanac validate` all read through
here, so they can never disagree about which papers are shown or what topics they have.
Problems are sorted by whose they are: a bad day file or record only loses that record
(a warning in a build); a mistake in the hand-edited `topics.yaml` or `curation.yaml`
stops a build before it writes anything. `validate` lists both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from . import store
from .archive import Archive, Classifier, build_archive
from .buildfolder import FULL, BuildFolder, Scope
from .errors import RecordError
from .models import Curation, Paper, Topic, is_title_id
from .project import Project
from .topiccache import CachedClassifier, taxonomy_key
from .topics import OTHER
from .topics import Classifier as RuleClassifier


@dataclass(frozen=True)
class Inputs:
    data: store.ArchiveData
    topics: list[Topic] = field(default_factory=list)
    curation: dict[str, Curation] = field(default_factory=dict)  # by each paper's id now
    record_problems: list[RecordError] = field(default_factory=list)  # in data/papers
    curated_problems: list[RecordError] = field(default_factory=list)  # in the hand-edited files

    @property
    def problems(self) -> list[RecordError]:
        return [*self.record_problems, *self.curated_problems]


def read(project: Project, folder: BuildFolder | None = None) -> Inputs:
    """Everything in data/, with every problem found; `folder` caches parsed day files."""
    data = store.read_archive(project, cache=folder)
    record_problems = [*data.problems, *alias_problems(project, data)]
    try:
        topics = store.read_topics(project)
        entries = store.read_curation(project, topics)
    except RecordError as exc:
        return Inputs(data, record_problems=record_problems, curated_problems=[exc])
    curation, curated_problems = store.check_curation(project, entries, data)
    return Inputs(data, topics, curation, record_problems, curated_problems)


def alias_problems(project: Project, data: store.ArchiveData) -> list[RecordError]:
    """Old ids that name two papers: left by an interrupted merge or by a hand edit."""
    owner: dict[str, Paper] = {p.id: p for p in data.papers}
    problems = []
    for paper in data.papers:
        for alias in paper.aliases:
            other = owner.setdefault(alias, paper)
            if other is paper:
                continue
            shown = project.relative(store.day_path(project, paper.day))
            if other.id != alias:
                message = f"{alias} is an alias of {other.id} too; keep it on one paper"
            elif is_title_id(alias):
                message = (
                    f"{alias} is archived as a paper too; the next import or fetch merges them"
                )
            else:
                message = f"{alias} is archived as a paper too; remove one of them"
            problems.append(RecordError(shown, paper.id, "aliases", message))
    return problems


@dataclass(frozen=True)
class Loaded:
    inputs: Inputs
    archive: Archive
    problems: tuple[str, ...]  # warnings: records left out, and why


def load(project: Project, folder: BuildFolder | None = None, scope: Scope = FULL) -> Loaded:
    """The Archive the site shows. A problem in a hand-edited file raises (its first one);
    bad records are left out and reported. With `folder`, parsed day files and each
    paper's topics are kept in the build folder, so only what changed is read again."""
    inputs = read(project, folder)
    if inputs.curated_problems:
        raise inputs.curated_problems[0]
    classifier: Classifier = RuleClassifier(inputs.topics)
    cached = None
    if folder is not None:
        cached = CachedClassifier(classifier, folder, taxonomy_key(inputs.topics))
        classifier = cached
    archive = build_archive(
        _in_scope(inputs.data.papers, scope), inputs.topics, inputs.curation, classifier, OTHER
    )
    if cached is not None:
        cached.save(keep_unseen=scope != FULL)
    problems = tuple(str(p) for p in inputs.record_problems) + archive.problems
    return Loaded(inputs, archive, problems)


def _in_scope(papers: Sequence[Paper], scope: Scope) -> Sequence[Paper]:
    if scope.recent_days is None or not papers:
        return papers
    # The archive's own latest day, not the clock: a preview is the same on any day.
    first = max(p.day for p in papers) - timedelta(days=scope.recent_days - 1)
    return [p for p in papers if p.day >= first]
