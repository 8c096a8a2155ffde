"""The build's one kind of cache: a content-keyed memo.

A memo keeps values between builds, each under a name (a day file, a paper id, a page's
path, a search tree) with the digest of what it was made from: the value is given back
only while that digest is unchanged, so a memo can never answer for content it has not
seen. It is one JSON file of the build folder, written under the build key (buildfolder.py)
like every stamp there, so entries written by other code or other settings are never read.

Each memo says what changed in the same terms (`Changes`): entries whose content was
unchanged (reused), made anew (new or changed content), and gone since the last build. The
parsed day files, each paper's topics and related papers, the pages' keys and the search
trees' keys are all memos, so a daily build's "what changed" is read the same way for
each, and generation reports it in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.site.buildfolder import BuildFolder

# A value to save, or what makes it when the memo is saved: a big value (a day file's
# papers) is then not held twice, as objects and as JSON, while the build runs.
Saved = Any


@dataclass(frozen=True, slots=True)
class Found:
    value: Any


@dataclass(frozen=True)
class Changes:
    """What a memo (or several, added up) found since the last build."""

    reused: int = 0  # entries whose content was unchanged
    made: int = 0  # entries made anew: new or changed content
    dropped: int = 0  # entries whose content is gone

    def __add__(self, other: Changes) -> Changes:
        return Changes(
            self.reused + other.reused, self.made + other.made, self.dropped + other.dropped
        )

    def said(self, what: str) -> str:
        gone = f", {self.dropped:,} gone" if self.dropped else ""
        return f"{what} {self.made:,} of {self.made + self.reused:,}{gone}"


class Memo:
    """Values by name, each valid while its content digest is the recorded one.

    `get` gives a value back (and keeps its entry); `put` records a new one. On `save`, the
    entries this run neither got nor put are dropped (unless `keep_unseen`: a preview of
    part of the archive must not forget the rest), and the file is written only if
    anything changed. `shared` holds what all entries use (a vocabulary), saved with them.
    """

    def __init__(self, folder: BuildFolder, path: Path, *, trusted: bool = True) -> None:
        self.folder = folder
        self.path = path
        stored = folder.read(path) if trusted else {}
        entries, shared = stored.get("entries"), stored.get("shared")
        self.old: dict[str, Any] = entries if isinstance(entries, dict) else {}
        self.shared: dict[str, Any] = shared if isinstance(shared, dict) else {}
        self.new: dict[str, list[Saved]] = {}
        self._made: set[str] = set()
        self._dirty = self._keep_unseen = False

    def recorded(self, name: str) -> tuple[str, Any] | None:
        """The digest and value recorded for `name`, whatever its content is now."""
        entry = self.old.get(name)
        if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str):
            return entry[0], entry[1]
        return None

    def get(self, name: str, digest: str) -> Found | None:
        """The value recorded for `name` if it was made from content of this `digest`."""
        recorded = self.recorded(name)
        if recorded is None or recorded[0] != digest:
            return None
        self.new.setdefault(name, [digest, recorded[1]])
        return Found(recorded[1])

    def put(self, name: str, digest: str, value: Saved | Callable[[], Saved]) -> None:
        """Record `value` (JSON, or a function that makes it on saving) for `name`."""
        self.new[name] = [digest, value]
        self._made.add(name)
        self._dirty = True

    def share(self, name: str, value: Any) -> None:
        if self.shared.get(name) != value:
            self.shared[name] = value
            self._dirty = True

    def absorb(self, other: Memo) -> None:
        """Take in what `other`, this memo as a worker process used it, got and put."""
        self.new.update(other.new)
        self._made |= other._made
        self._dirty |= other._dirty
        self.shared = other.shared

    def seen(self) -> Iterable[str]:
        return self.new.keys()

    def dropped(self) -> set[str]:
        """Names recorded last time that this run has neither got nor put (and so drops,
        unless it keeps them)."""
        return set() if self._keep_unseen else set(self.old).difference(self.new)

    def save(self, *, keep_unseen: bool = False) -> None:
        self._keep_unseen = keep_unseen
        entries = {**self.old, **self.new} if keep_unseen else self.new
        if not self._dirty and len(entries) == len(self.old):
            return  # every entry as recorded: nothing to write
        self.folder.write(
            self.path,
            {
                "shared": self.shared,
                "entries": {name: [d, _made(v)] for name, (d, v) in entries.items()},
            },
        )

    def changes(self) -> Changes:
        made = len(self._made)
        return Changes(len(self.new) - made, made, len(self.dropped()))


def _made(value: Saved | Callable[[], Saved]) -> Saved:
    return value() if callable(value) else value
