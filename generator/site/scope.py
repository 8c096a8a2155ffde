"""The part of the archive a site shows: all of it, or, in a preview, its last days."""

from __future__ import annotations

import os
from dataclasses import dataclass

from generator.errors import AlmanacError

RECENT_ENV = "ALMANAC_RECENT_DAYS"


@dataclass(frozen=True)
class Scope:
    """The part of the archive a site shows: all of it, or only its last days."""

    recent_days: int | None = None

    def __post_init__(self) -> None:
        if self.recent_days is not None and self.recent_days < 1:
            raise AlmanacError(f"a recent window must be at least one day: {self.recent_days}")

    @property
    def key(self) -> str:
        return "all" if self.recent_days is None else f"recent:{self.recent_days}"


FULL = Scope()


def preview_scope(handed: object = None) -> Scope:
    """The window a preview shows: the one `almanac serve --recent` handed over (on MkDocs'
    config), else the one a reader set for plain `mkdocs serve` in ALMANAC_RECENT_DAYS,
    else the whole archive."""
    if handed is not None:
        if not isinstance(handed, int) or isinstance(handed, bool):
            raise AlmanacError(f"a recent window is a number of days, not {handed!r}")
        return Scope(handed)
    value = os.environ.get(RECENT_ENV, "").strip()
    if not value:
        return FULL
    if not value.isdigit():
        raise AlmanacError(f"{RECENT_ENV} must be a number of days, not {value!r}")
    return Scope(int(value))
