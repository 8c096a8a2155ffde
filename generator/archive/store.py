"""All disk I/O on `data/`: the only module that reads or writes the archive.

Day files live at `data/papers/YYYY/MM/YYYY-MM-DD.yaml`. They are written atomically
(temporary file in the same folder, fsync, rename) and only when their bytes change, in
one canonical form: keys sorted, papers ordered by id, so load → save is byte-identical.
`topics.yaml` and `curation.yaml` are written by people; this module only reads them.
"""

from __future__ import annotations

import fcntl
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from generator import fileio
from generator.archive.yamltext import Part, dump_yaml, field_path, yaml_line
from generator.archive.yamltext import parse_yaml as parse_yaml
from generator.errors import RecordError, StoreError
from generator.models import Curation, Paper, SourcesConfig, Topic, arxiv_id, record_problems
from generator.processes import fork_context
from generator.project import Project

# Bigger than any real day file by two orders of magnitude; refusing earlier keeps memory
# bounded when someone points the tool at the wrong file.
MAX_YAML_BYTES = 20 * 1024 * 1024
_DAY_FILE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.yaml")
# What save_days' temporary files look like (mkstemp: prefix, random part, suffix).
_TEMP_RE = re.compile(r"\.\d{4}-\d{2}-\d{2}\.yaml\.[A-Za-z0-9_]+\.tmp")
# How long a run waits for another to finish writing before it gives up.
LOCK_WAIT_SECONDS = 120.0


@dataclass
class ArchiveData:
    papers: list[Paper] = field(default_factory=list)  # sorted by day, then id
    problems: list[RecordError] = field(default_factory=list)
    files: dict[date, Path] = field(default_factory=dict)

    def by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

    def current_ids(self) -> dict[str, str]:
        """Every id a paper is known by (its own and its aliases) -> its id now."""
        ids = {alias: p.id for p in self.papers for alias in p.aliases}
        ids.update((p.id, p.id) for p in self.papers)
        return ids


# --- paths -------------------------------------------------------------------------------


def day_path(project: Project, day: date) -> Path:
    return project.papers_dir / f"{day:%Y}" / f"{day:%m}" / f"{day.isoformat()}.yaml"


def day_files(project: Project) -> Iterator[tuple[date | None, Path]]:
    """Every YAML file under data/papers, with the day its name claims (None if it claims none)."""
    if not project.papers_dir.is_dir():
        return
    for path in sorted(project.papers_dir.rglob("*.yaml")):
        yield _day_of(project, path), path


def _day_of(project: Project, path: Path) -> date | None:
    match = _DAY_FILE_RE.fullmatch(path.name)
    if not match:
        return None
    try:
        day = date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return day if day_path(project, day) == path else None


# --- YAML ----------------------------------------------------------------------------------


def load_yaml(path: Path, shown: str, raw: bytes | None = None) -> object:
    """Safe-load one YAML file (or its bytes, `raw`, already read), refusing oversize
    files and aliases (alias bombs)."""
    try:
        if raw is None:
            size = path.stat().st_size
            if size > MAX_YAML_BYTES:
                raise RecordError(shown, None, None, f"file is {size} bytes, over {MAX_YAML_BYTES}")
            raw = path.read_bytes()
        elif len(raw) > MAX_YAML_BYTES:
            raise RecordError(shown, None, None, f"file is {len(raw)} bytes, over {MAX_YAML_BYTES}")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(shown, None, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RecordError(shown, None, None, f"cannot read: {exc.strerror}") from None
    return parse_yaml(text, shown)


def dump_day(day: date, papers: Iterable[Paper]) -> str:
    """The canonical text of one day file."""
    ordered = sorted(papers, key=lambda p: p.id)
    doc = {"day": day.isoformat(), "papers": [p.to_mapping() for p in ordered]}
    return dump_yaml(doc)


def read_day(
    data: object, shown: str, expected_day: date | None
) -> tuple[list[Paper], list[RecordError]]:
    """The good papers of one day file and every problem of the others, one per field.
    A problem of the file as a whole (not a day file, or the wrong day) raises."""
    if not isinstance(data, dict) or set(data) != {"day", "papers"}:
        raise RecordError(shown, None, None, "a day file is a mapping with 'day' and 'papers'")
    try:
        day = date.fromisoformat(str(data["day"]))
    except ValueError:
        raise RecordError(shown, None, "day", f"not a date: {data['day']!r}") from None
    if expected_day is not None and day != expected_day:
        raise RecordError(shown, None, "day", f"{day} does not match the file name")
    if not isinstance(data["papers"], list):
        raise RecordError(shown, None, "papers", "must be a list")
    papers: list[Paper] = []
    problems: list[RecordError] = []
    for item in data["papers"]:
        try:
            paper = Paper.from_mapping(item)
        except RecordError as exc:
            # Only a bad record pays for finding all its problems, not the other 30,000.
            problems += [p.located(shown) for p in record_problems(item) or [exc]]
            continue
        if paper.day != day:
            problems.append(
                RecordError(shown, paper.id, "day", f"{paper.day} but the file is for {day}")
            )
            continue
        papers.append(paper)
    return papers, problems


# --- reading -------------------------------------------------------------------------------

# The good papers of one day file and its bad records' problems.
DayRead = tuple[list[Paper], list[RecordError]]
# What reading a day file gave: its papers and problems, or the file's own problem.
Recalled = DayRead | RecordError
# A file as the system sees it (size, mtime_ns, inode; [] when it cannot be stat-ed): a
# fast way to know an unchanged file, not the only one (a checkout gives new times).
FileStat = list[int]
# Stale day files from which parsing is spread over processes (a cold start: YAML
# parsing is CPU-bound and the other cores are idle then; a few files are parsed here).
PARALLEL_FROM = 200


class DayMemo(Protocol):
    """What the store asks of a keeper of parsed day files (the build's, daycache.py).
    The store reads data/ and parses it; the memo is handed what was read and only says
    whether a file's parse can be reused, by the file's stat or, failing that, its bytes."""

    def by_stat(self, path: Path, stat: FileStat) -> Recalled | None: ...

    def by_bytes(self, path: Path, stat: FileStat, raw: bytes) -> Recalled | None: ...

    def remember(self, path: Path, stat: FileStat, raw: bytes, read: Recalled) -> None: ...

    def save(self) -> None: ...


def read_archive(project: Project, *, memo: DayMemo | None = None) -> ArchiveData:
    """Every paper in data/, with every problem found (not only the first).

    With `memo`, parsed day files are kept between runs and an unchanged day file is not
    parsed again.
    """
    files = list(day_files(project))
    days = [(path, project.relative(path), day) for day, path in files if day is not None]
    reads = _read_days(days, memo) if memo is not None else {}
    result = ArchiveData()
    seen: dict[str, str] = {}
    for day, path in files:
        shown = project.relative(path)
        if day is None:
            result.problems.append(
                RecordError(
                    shown, None, None, "not a day file (data/papers/YYYY/MM/YYYY-MM-DD.yaml)"
                )
            )
            continue
        read = reads[path] if memo is not None else _recall(path, shown, day, None)
        if isinstance(read, RecordError):
            result.problems.append(read)
            continue
        papers, problems = read
        result.problems += problems
        result.files[day] = path
        for paper in papers:
            if paper.id in seen:
                result.problems.append(
                    RecordError(shown, paper.id, "id", f"already archived in {seen[paper.id]}")
                )
                continue
            seen[paper.id] = shown
            result.papers.append(paper)
    result.papers.sort(key=lambda p: (p.day, p.id))
    if memo is not None:
        memo.save()
    return result


_Stale = tuple[Path, str, date, FileStat, bytes | None]


def _read_days(days: Sequence[tuple[Path, str, date]], memo: DayMemo) -> dict[Path, Recalled]:
    """Each day file's read: from `memo` where it can answer, else parsed (in worker
    processes when many files are), and handed to `memo` to remember."""
    found: dict[Path, Recalled] = {}
    stale: list[_Stale] = []
    for path, shown, day in days:
        stat = _stat(path)
        recalled = memo.by_stat(path, stat)
        if recalled is None:
            raw = _bytes(path, stat)
            recalled = memo.by_bytes(path, stat, raw) if raw is not None else None
            if recalled is None:
                stale.append((path, shown, day, stat, raw))
                continue
        found[path] = recalled
    for (path, _, _, stat, raw), read in zip(stale, _parse_all(stale), strict=True):
        found[path] = read
        if raw is not None:  # an unreadable file is read (and reported) anew each time
            memo.remember(path, stat, raw, read)
    return found


def _parse_all(stale: Sequence[_Stale]) -> list[Recalled]:
    jobs = [(path, shown, day, raw) for path, shown, day, _, raw in stale]
    workers = os.cpu_count() or 1
    context = fork_context() if len(jobs) >= PARALLEL_FROM else None
    if context is None:
        return [_recall(*job) for job in jobs]
    chunks = [jobs[i :: workers * 4] for i in range(workers * 4)]
    reads: dict[Path, Recalled] = {}
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for chunk, results in zip(chunks, pool.map(_parse_chunk, chunks), strict=True):
            for job, result in zip(chunk, results, strict=True):
                reads[job[0]] = _unpacked(result)
    return [reads[job[0]] for job in jobs]


def _recall(path: Path, shown: str, day: date, raw: bytes | None) -> Recalled:
    try:
        return _read_day(path, shown, day, raw)
    except RecordError as exc:
        return exc


# A read as it crosses between processes (a RecordError does not pickle): the papers and
# the problems' fields, or the file's problem's fields.
_Fields = tuple[str | None, str | None, str | None, str]
_Packed = tuple[list[Paper] | None, list[_Fields]]


def _parse_chunk(jobs: Sequence[tuple[Path, str, date, bytes | None]]) -> list[_Packed]:
    return [_packed(_recall(*job)) for job in jobs]


def _packed(read: Recalled) -> _Packed:
    if isinstance(read, RecordError):
        return None, [_fields(read)]
    papers, problems = read
    return papers, [_fields(problem) for problem in problems]


def _unpacked(packed: _Packed) -> Recalled:
    papers, fields = packed
    problems = [RecordError(*f) for f in fields]
    return problems[0] if papers is None else (papers, problems)


def _fields(exc: RecordError) -> _Fields:
    return exc.path, exc.paper_id, exc.field, exc.message


def _stat(path: Path) -> FileStat:
    try:
        stat = path.stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _bytes(path: Path, stat: FileStat) -> bytes | None:
    """The file's bytes; None when it cannot be read or is oversize (the parse that
    follows reports why)."""
    if not stat or stat[0] > MAX_YAML_BYTES:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _read_day(path: Path, shown: str, day: date, raw: bytes | None) -> DayRead:
    return read_day(load_yaml(path, shown, raw), shown, day)


def read_topics(project: Project) -> list[Topic]:
    """The taxonomy; a problem raises RecordError naming the file, line and field."""
    topics, problems = _read_topics_file(project)
    if problems:
        raise problems[0]
    return topics


def _read_topics_file(project: Project) -> tuple[list[Topic], list[RecordError]]:
    """topics.yaml's good topics and a problem for each bad one, each with its line; a
    problem of the file as a whole raises."""
    from generator.archive.hand_edited import topic_entries

    path = project.topics_file
    shown = project.relative(path)
    if not path.exists():
        return [], []
    data = load_yaml(path, shown)
    try:
        topics, problems = topic_entries(data, shown)
    except RecordError as exc:
        raise _with_line(exc, path, shown, field_path(None, exc.field)) from None
    return topics, [_with_line(e, path, shown, field_path(None, e.field)) for e in problems]


def read_sources(project: Project) -> SourcesConfig:
    """What `almanac fetch` follows; a problem raises RecordError with the file and line."""
    from generator.archive.sources_file import parse_sources

    path = project.sources_file
    if not path.exists():
        return SourcesConfig()
    shown = project.relative(path)
    data = load_yaml(path, shown)
    try:
        return parse_sources(data, shown)
    except RecordError as exc:
        raise _with_line(exc, path, shown, field_path(None, exc.field)) from None


def read_curation(
    project: Project,
    topics: list[Topic] | None = None,
    *,
    archive: ArchiveData | None = None,
) -> dict[str, Curation]:
    """Per-paper overrides by paper id; RecordError (with file and line) on the first problem.

    With `archive`, entries are also checked against it: an id the archive does not know is
    an error, and an entry under an old id (an alias) is returned under the paper's id.
    """
    if not project.curation_file.exists():
        return {}
    known = {t.slug for t in (read_topics(project) if topics is None else topics)}
    curation, problems = _read_curation_file(project, known)
    if problems:
        raise problems[0]
    if archive is None:
        return curation
    resolved, problems = check_curation(project, curation, archive)
    if problems:
        raise problems[0]
    return resolved


def curated_problems(project: Project, archive: ArchiveData) -> list[RecordError]:
    """Every problem of the hand-edited files, where reading them stops at the first: of
    each topic of topics.yaml, of each field of each curation entry, and each entry naming
    no paper of `archive` (an entry with a bad field too: both are its problems)."""
    try:
        topics, problems = _read_topics_file(project)
    except RecordError as exc:  # the file as a whole
        topics, problems = [], [exc]
    # With topics.yaml broken, an unknown topic may be a broken one: none is checked.
    known = None if problems else {t.slug for t in topics}
    try:
        curation, found = _read_curation_file(project, known)
    except RecordError as exc:  # the file as a whole: bad YAML, not a mapping
        return [*problems, exc]
    return [*problems, *found, *check_curation(project, curation, archive)[1]]


def _read_curation_file(
    project: Project, known: set[str] | None
) -> tuple[dict[str, Curation], list[RecordError]]:
    """curation.yaml's entries and the problems of their fields, each with its line; a
    problem of the file as a whole raises."""
    from generator.archive.hand_edited import curation_entries

    path = project.curation_file
    shown = project.relative(path)
    if not path.exists():
        return {}, []
    data = load_yaml(path, shown)
    try:
        curation, problems = curation_entries(data, shown, known)
    except RecordError as exc:
        raise _with_line(exc, path, shown, field_path(exc.paper_id, exc.field)) from None
    located = [_with_line(e, path, shown, field_path(e.paper_id, e.field)) for e in problems]
    return curation, located


def check_curation(
    project: Project, curation: dict[str, Curation], archive: ArchiveData
) -> tuple[dict[str, Curation], list[RecordError]]:
    """Curation keyed by the archive's current ids, and a problem for each entry that names
    no archived paper (or names one that another entry names too)."""
    path, shown = project.curation_file, project.relative(project.curation_file)
    current = archive.current_ids()
    resolved: dict[str, Curation] = {}
    given_as: dict[str, str] = {}
    problems: list[RecordError] = []
    for key, entry in curation.items():
        paper_id = current.get(key) or current.get(arxiv_id(key) or "")
        if paper_id is None:
            message = "no such paper in the archive"
        elif paper_id in given_as:
            message = f"the same paper as the entry {given_as[paper_id]!r} ({paper_id})"
        else:
            given_as[paper_id] = key
            resolved[paper_id] = replace(entry, paper_id=paper_id)
            continue
        problems.append(
            _with_line(RecordError(shown, key, None, message), path, shown, ["papers", key])
        )
    return resolved, problems


def _with_line(exc: RecordError, path: Path, shown: str, parts: list[Part]) -> RecordError:
    """The error, its file now followed by the line it points at (as close as can be told)."""
    try:
        line = yaml_line(path.read_text(encoding="utf-8"), parts)
    except (OSError, UnicodeDecodeError):
        line = None
    where = f"{shown}: line {line}" if line else shown
    return RecordError(where, exc.paper_id, exc.field, exc.message)


# --- writing -------------------------------------------------------------------------------


def save_days(
    project: Project, days: Mapping[date, Iterable[Paper]], *, last: Iterable[date] = ()
) -> list[date]:
    """Write the day files whose content changed, all or nothing as far as a disk allows.

    Every new file is first written in full to a temporary file beside it (and synced);
    only when all are written are they renamed over the old ones. A full or read-only
    disk fails in the first phase and leaves every day file as it was. A rename is atomic,
    so even a run killed between two renames leaves each file either old or new, never
    cut; `last` names days to rename after the others. Returns the days written.
    """
    late = set(last)
    order = sorted(days, key=lambda d: (d in late, d))
    papers = {day: list(days[day]) for day in order}
    # A day left without papers (its one paper was first featured earlier after all) has
    # no file: it goes after every other file is in place.
    emptied = [day for day in order if not papers[day] and day_path(project, day).exists()]
    staged: list[tuple[Path, Path]] = []
    written: list[date] = []
    try:
        for day in order:
            if not papers[day]:
                continue
            path = day_path(project, day)
            tmp = _stage(path, dump_day(day, papers[day]))
            if tmp is not None:
                staged.append((tmp, path))
                written.append(day)
    except StoreError as exc:
        fileio.discard(tmp for tmp, _ in staged)
        raise StoreError(f"{exc}; no day file was changed") from None
    fileio.commit(staged, "day files")
    for day in emptied:
        try:
            day_path(project, day).unlink()
        except OSError as exc:
            raise StoreError(f"cannot remove the emptied {day_path(project, day)}: {exc}") from None
        written.append(day)
    return written


def _stage(path: Path, text: str) -> Path | None:
    return fileio.stage(path, text.encode("utf-8"))


def remove_stale_temp_files(project: Project) -> list[Path]:
    """Delete the temporary files a killed run left beside the day files.

    Call only while holding `archive_lock`: then no live run is writing any of them.
    """
    if not project.papers_dir.is_dir():
        return []
    stale = [p for p in project.papers_dir.rglob(".*.tmp") if _TEMP_RE.fullmatch(p.name)]
    fileio.discard(stale)
    return stale


# --- locking -------------------------------------------------------------------------------


@contextmanager
def archive_lock(project: Project, *, wait_seconds: float | None = None) -> Iterator[None]:
    """Hold the archive's write lock so two runs never interleave their writes.

    A second run says it is waiting, waits up to `wait_seconds` (LOCK_WAIT_SECONDS) for the
    first to finish, then gives up with a one-line error. The lock dies with its process,
    so a killed run never leaves it stale. The holder's pid is in the file, for people.
    """
    wait = LOCK_WAIT_SECONDS if wait_seconds is None else wait_seconds
    project.data.mkdir(parents=True, exist_ok=True)
    path = project.data / ".lock"
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _lock_holder(handle)
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{project.relative(path)}: another almanac run{holder} is writing "
                        f"the archive; gave up after waiting {wait:g} s"
                    ) from None
                if not told:
                    print(
                        f"waiting for another almanac run{holder} to finish writing data/ "
                        f"(up to {wait:g} s) ...",
                        file=sys.stderr,
                        flush=True,
                    )
                    told = True
                time.sleep(min(0.1, max(deadline - time.monotonic(), 0.0)))
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _lock_holder(handle: Any) -> str:
    handle.seek(0)
    pid = handle.read(20).strip()
    return f" (pid {pid})" if pid.isdigit() else ""
