"""Parsed day files kept between runs, so an unchanged day file is not parsed again.

Parsing 30,000 papers of YAML takes several seconds; reading them back from JSON a
fraction of that. The store (the only reader of data/) asks this cache for each day file.
A file is known by its bytes (a SHA-1), with its size, time and inode beside it as a fast
path: a fresh checkout or a CI cache restore gives every file new times, and the bytes
still match. Entries live in one JSON file per month folder of data/papers in the build
folder, written under the build key (buildfolder.py), so other code's entries are ignored.

What is cached is the papers' stored form (the mapping the day file holds) with the
problems of its bad records, or the day file's problem; papers are made from it through
`Paper.from_mapping`, validated as they would be from the YAML, so a cache restored from
elsewhere cannot slip in a bad record.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from generator.archive.store import DayRead, ReadDay
from generator.errors import RecordError
from generator.models import Paper
from generator.site.buildfolder import BuildFolder
from generator.site.digest import digest

PARALLEL_FROM = 200  # stale day files from which parsing is spread over processes

Stat = list[int]  # size, mtime_ns, inode
# A problem as its fields, [path, paper_id, field, message]: JSON, and picklable to and
# from the parsing processes (a RecordError is neither).
Fields = list[str | None]
# ["ok", [paper mappings], [Fields of bad records]] or ["error", Fields]; ["ok", None, ...]
# while the papers parsed by this run are held as papers (made into mappings on saving).
Value = list[Any]
# The good papers of a day file from its bytes, and its bad records' problems (None: the
# file could not be read; parse raises, saying why).
Day = DayRead
Parse = ReadDay


class DayCache:
    def __init__(self, folder: BuildFolder, root: Path) -> None:
        self.folder = folder
        self.root = root  # data/papers: entries are keyed by the path below it
        self.months: dict[str, dict[str, list[Any]]] = {}  # rel -> [stat, sha, value]
        self.dirty: set[str] = set()
        self.seen: dict[str, set[str]] = {}
        self.parsed: dict[str, list[Paper]] = {}  # parsed by this run: no need to replay
        self.hits = self.misses = 0

    def prefetch(self, jobs: Sequence[tuple[Path, Parse]], workers: int) -> None:
        """Parse the changed files among `jobs` in `workers` processes, ahead of `get`.

        Worth it on a cold start (thousands of files; YAML parsing is CPU-bound and the
        other cores are idle then); a few changed files are parsed in this process.
        """
        stale = [
            (path, parse, raw) for path, parse in jobs if (raw := self._stale(path)) is not None
        ]
        if workers < 2 or len(stale) < PARALLEL_FROM:
            return
        try:
            # fork: a spawned worker would re-run the caller's main module first.
            context = multiprocessing.get_context("fork")
        except ValueError:  # no fork on this platform: parse here, one by one
            return
        chunks = [stale[i :: workers * 4] for i in range(workers * 4)]
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            work = [[(parse, raw) for _, parse, raw in chunk] for chunk in chunks]
            for chunk, results in zip(chunks, pool.map(_parse_chunk, work), strict=True):
                for (path, _, raw), (papers, value) in zip(chunk, results, strict=True):
                    self._record(path, raw, value, papers)

    def _stale(self, path: Path) -> bytes | None:
        """The file's bytes when the cache cannot answer for it, else None."""
        rel, month = self._names(path)
        cached = self._month(month).get(rel)
        stat = _stat(path)
        if cached is not None and cached[0] == stat:
            return None
        raw = _read(path)
        if raw is None:
            return b""  # unreadable: parsed (and reported) anew each time
        if cached is not None and cached[1] == digest(raw):
            cached[0] = stat  # same bytes, new times: remember them
            self.dirty.add(month)
            return None
        return raw

    def _record(self, path: Path, raw: bytes, value: Value, papers: list[Paper] | None) -> None:
        rel, month = self._names(path)
        if papers is not None:
            self.parsed[rel] = papers
            value = ["ok", None, value[2]]  # not held twice: mappings are made when saving
        self._month(month)[rel] = [_stat(path), digest(raw), value]
        self.dirty.add(month)

    def _names(self, path: Path) -> tuple[str, str]:
        rel = path.relative_to(self.root).as_posix()
        return rel, rel.rsplit("/", 1)[0] if "/" in rel else ""

    def get(self, path: Path, parse: Parse) -> Day:
        """What `parse(bytes)` gives for `path`, from the cache when the file is unchanged.

        `parse` returns papers and problems, or raises; both are recorded and given the
        same way on later runs (a bad record or day file stays reported until it is
        fixed). An error other than a RecordError is not recorded.
        """
        rel, month = self._names(path)
        self.seen.setdefault(month, set()).add(rel)
        if rel in self.parsed:  # by prefetch, in this run
            self.misses += 1
            return self.parsed[rel], _problems(self._month(month)[rel][2][2])
        raw = self._stale(path)
        if raw is None:
            cached = self._month(month)[rel][2]
            if cached[0] == "error":
                raise RecordError(*cached[1])
            try:
                replayed = [Paper.from_mapping(mapping) for mapping in cached[1]]
                problems = _problems(cached[2])
            except (RecordError, TypeError, ValueError, IndexError):
                raw = _read(path) or b""  # not what this code writes: parse the file
            else:
                self.hits += 1
                return replayed, problems
        self.misses += 1
        papers, value = _run(parse, raw or None)
        self._record(path, raw, value, papers)
        if papers is None:
            raise RecordError(*value[1])
        return papers, _problems(value[2])

    def save(self) -> None:
        """Write the months that changed; drop entries of day files that are gone."""
        for month, entries in self.months.items():
            for gone in set(entries) - self.seen.get(month, set()):
                del entries[gone]
                self.dirty.add(month)
        for month in sorted(self.dirty):
            files = {
                rel: [stat, sha, value if value[1] is not None else self._stored(rel, value)]
                for rel, (stat, sha, value) in self.months[month].items()
            }
            self.folder.write(self._path(month), {"files": files})
        if self.folder.records.is_dir():
            for path in self.folder.records.glob("*.json"):
                month = "" if path.stem == "top" else path.stem.replace("-", "/")
                if month not in self.seen:  # a month folder no longer in data/
                    path.unlink(missing_ok=True)

    def _stored(self, rel: str, value: Value) -> Value:
        return ["ok", [paper.to_mapping() for paper in self.parsed[rel]], value[2]]

    def _month(self, month: str) -> dict[str, list[Any]]:
        if month not in self.months:
            files = self.folder.read(self._path(month)).get("files")
            self.months[month] = files if isinstance(files, dict) else {}
        return self.months[month]

    def _path(self, month: str) -> Path:
        return self.folder.records / f"{month.replace('/', '-') or 'top'}.json"


def _stat(path: Path) -> Stat:
    try:
        stat = path.stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # parse() reports it, with the reason


def _run(parse: Parse, raw: bytes | None) -> tuple[list[Paper] | None, Value]:
    try:
        papers, problems = parse(raw)
    except RecordError as exc:
        return None, ["error", _fields(exc)]
    return papers, ["ok", None, [_fields(problem) for problem in problems]]


def _fields(exc: RecordError) -> Fields:
    return [exc.path, exc.paper_id, exc.field, exc.message]


def _problems(cached: list[Fields]) -> list[RecordError]:
    return [
        RecordError(path, paper_id, field, str(message))
        for path, paper_id, field, message in cached
    ]


def _parse_chunk(work: list[tuple[Parse, bytes]]) -> list[tuple[list[Paper] | None, Value]]:
    return [_run(parse, raw or None) for parse, raw in work]
