"""What every source parser returns: the papers it could read and, for the rest, why not."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.errors import RecordError
from generator.models import Paper


@dataclass
class ParseResult:
    origin: str  # the file path or URL the records came from, for messages
    papers: list[Paper] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)
    # What was repaired on the way in (the paper kept the field): a warning, not a failure.
    repairs: list[RecordError] = field(default_factory=list)

    def extend(self, other: ParseResult) -> None:
        self.papers.extend(other.papers)
        self.problems.extend(other.problems)
        self.repairs.extend(other.repairs)
