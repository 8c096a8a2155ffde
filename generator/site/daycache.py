"""Parsed day files kept between runs, so an unchanged day file is not parsed again.

Parsing 30,000 papers of YAML takes several seconds; reading them back from JSON a
fraction of that. The store (the only reader of data/) reads and parses the day files and
asks this keeper, through its DayMemo protocol, whether a file's parse can be reused. A
file is known by its bytes (the memo's digest), with its size, time and inode in a memo of
their own as a fast path: a fresh checkout or a CI cache restore gives every file new
times, and the bytes still match (only that small memo is written again). There is one
memo (memo.py) per month folder of data/papers, so a new day rewrites one small file.

What is kept is the papers' stored form (the mapping the day file holds) with the
problems of its bad records, or the day file's problem. Papers are made from it through
`Paper.from_memo`: every paper in the memo was validated by this code when its day file
was parsed (the memo is kept under the build key), so only their links are checked again,
which a memo restored from elsewhere could otherwise slip into pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.archive.store import FileStat, Recalled
from generator.errors import RecordError
from generator.models import Paper
from generator.site.buildfolder import BuildFolder
from generator.site.digest import digest
from generator.site.memo import Changes, Memo

# A problem as its fields, [path, paper_id, field, message], as JSON holds it.
Fields = list[str | None]


class DayCache:
    def __init__(self, folder: BuildFolder, root: Path) -> None:
        self.folder = folder
        self.root = root  # data/papers: entries are named by the path below it
        self.months: dict[str, Memo] = {}
        # Each file's size, time and inode by its digest, in one small memo of its own: a
        # fresh checkout gives every file new ones, and a month's parsed papers (hundreds
        # of MB at 100,000 papers) must not be written again for that.
        self.stats = Memo(folder, folder.record_stats)
        # Each day file's digest, as found this run: what its papers were made of, which
        # the pages' keys take for the papers' own (render/jobs.py).
        self.digests: dict[Path, str] = {}

    def by_stat(self, path: Path, stat: FileStat) -> Recalled | None:
        rel, memo = self._entry(path)
        recorded = self.stats.recorded(rel)
        if recorded is None or recorded[1] != stat or not stat:
            return None
        return self._recalled(path, rel, memo, recorded[0], stat)

    def by_bytes(self, path: Path, stat: FileStat, raw: bytes) -> Recalled | None:
        rel, memo = self._entry(path)
        return self._recalled(path, rel, memo, digest(raw), stat)

    def remember(self, path: Path, stat: FileStat, raw: bytes, read: Recalled) -> None:
        rel, memo = self._entry(path)
        key = self.digests[path] = digest(raw)
        # The papers are the archive's own: made into mappings only when saved.
        memo.put(rel, key, lambda: _stored(read))
        self.stats.put(rel, key, stat)

    def _recalled(
        self, path: Path, rel: str, memo: Memo, key: str, stat: FileStat
    ) -> Recalled | None:
        """The read the month's memo keeps for the file of digest `key`, if it keeps one."""
        found = memo.get(rel, key)
        replayed = _replayed(found.value) if found is not None else None
        if replayed is None:
            return None
        self.digests[path] = key
        kept = self.stats.get(rel, key)
        if kept is None or kept.value != stat:  # same bytes, new times: remember them
            self.stats.put(rel, key, stat)
        return replayed

    def changes(self) -> Changes:
        return sum((memo.changes() for memo in self.months.values()), Changes())

    def save(self) -> None:
        """Write the months that changed; drop entries of day files that are gone, and the
        memos of month folders no longer in data/."""
        for memo in self.months.values():
            memo.save()
        self.stats.save()
        if self.folder.records.is_dir():
            kept = {memo.path for memo in self.months.values()}
            for path in self.folder.records.glob("*.json"):
                if path not in kept:
                    path.unlink(missing_ok=True)

    def _entry(self, path: Path) -> tuple[str, Memo]:
        rel = path.relative_to(self.root).as_posix()
        month = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if month not in self.months:
            name = f"{month.replace('/', '-') or 'top'}.json"
            self.months[month] = Memo(self.folder, self.folder.records / name)
        return rel, self.months[month]


def _stored(read: Recalled) -> list[Any]:
    """["ok", [paper mappings], [Fields of bad records]] or ["error", Fields]."""
    if isinstance(read, RecordError):
        return ["error", _fields(read)]
    papers, problems = read
    return ["ok", [paper.to_mapping() for paper in papers], [_fields(p) for p in problems]]


def _replayed(stored: Any) -> Recalled | None:
    """The read a stored form stands for; None when it is not what this code writes."""
    try:
        if stored[0] == "error":
            return RecordError(*stored[1])
        papers = [Paper.from_memo(mapping) for mapping in stored[1]]
        problems = [RecordError(p, i, f, str(m)) for p, i, f, m in stored[2]]
    except (RecordError, TypeError, ValueError, IndexError, KeyError):
        return None
    return papers, problems


def _fields(exc: RecordError) -> Fields:
    return [exc.path, exc.paper_id, exc.field, exc.message]
