"""data/ read whole and checked: the papers, the taxonomy and the curation, with every
problem found, sorted by whose they are: a bad day file or record (`record_problems`), or
a mistake in the hand-edited `topics.yaml` or `curation.yaml` (`curated_problems`).

The site's loader (site/load.py) and `almanac validate` both read data/ through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.archive import store
from generator.errors import RecordError
from generator.models import Curation, Paper, Topic, is_title_id
from generator.project import Project


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


def read(project: Project, memo: store.DayMemo | None = None) -> Inputs:
    """Everything in data/, with every problem found; `memo` keeps parsed day files."""
    data = store.read_archive(project, memo=memo)
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
