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
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .errors import RecordError, StoreError
from .models import Curation, Paper, Topic
from .project import Project

# Bigger than any real day file by two orders of magnitude; refusing earlier keeps memory
# bounded when someone points the tool at the wrong file.
MAX_YAML_BYTES = 20 * 1024 * 1024
_DAY_FILE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\.yaml")

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """Safe loading, with dates left as text: the models decide what a date is."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class _Dumper(_BaseDumper):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


@dataclass
class ArchiveData:
    papers: list[Paper] = field(default_factory=list)  # sorted by day, then id
    problems: list[RecordError] = field(default_factory=list)
    files: dict[date, Path] = field(default_factory=dict)

    def by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}


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


def load_yaml(path: Path, shown: str) -> object:
    """Safe-load one YAML file, refusing oversize files and aliases (alias bombs)."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise RecordError(shown, None, None, f"file is {size} bytes, over {MAX_YAML_BYTES}")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RecordError(shown, None, None, f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise RecordError(shown, None, None, f"cannot read: {exc.strerror}") from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> object:
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise RecordError(shown, None, None, f"{line}invalid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RecordError(shown, None, None, f"invalid YAML: {exc}") from None
    _refuse_shared_nodes(data, shown)
    return data


def _refuse_shared_nodes(data: object, shown: str) -> None:
    """Aliases make one node appear many times; walking a bomb of them never ends."""
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list):
            if id(node) in seen:
                raise RecordError(shown, None, None, "YAML aliases are not allowed here")
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)


def dump_day(day: date, papers: Iterable[Paper]) -> str:
    """The canonical text of one day file."""
    ordered = sorted(papers, key=lambda p: p.id)
    doc = {"day": day.isoformat(), "papers": [p.to_mapping() for p in ordered]}
    text: str = yaml.dump(
        doc,
        Dumper=_Dumper,
        sort_keys=True,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


def parse_day(data: object, shown: str, expected_day: date | None) -> list[Paper]:
    """Papers of one day file; raises RecordError for the first problem in it."""
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
    papers = []
    for item in data["papers"]:
        try:
            paper = Paper.from_mapping(item)
        except RecordError as exc:
            raise exc.located(shown) from None
        if paper.day != day:
            raise RecordError(shown, paper.id, "day", f"{paper.day} but the file is for {day}")
        papers.append(paper)
    return papers


# --- reading -------------------------------------------------------------------------------


def read_archive(project: Project) -> ArchiveData:
    """Every paper in data/, with every problem found (not only the first)."""
    result = ArchiveData()
    seen: dict[str, str] = {}
    for day, path in day_files(project):
        shown = project.relative(path)
        if day is None:
            result.problems.append(
                RecordError(
                    shown, None, None, "not a day file (data/papers/YYYY/MM/YYYY-MM-DD.yaml)"
                )
            )
            continue
        try:
            papers = parse_day(load_yaml(path, shown), shown, day)
        except RecordError as exc:
            result.problems.append(exc)
            continue
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
    return result


def read_topics(project: Project) -> list[Topic]:
    from .topics import parse_topics

    path = project.topics_file
    shown = project.relative(path)
    if not path.exists():
        return []
    return parse_topics(load_yaml(path, shown), shown)


def read_curation(project: Project, topics: list[Topic] | None = None) -> dict[str, Curation]:
    from .topics import parse_curation

    path = project.curation_file
    shown = project.relative(path)
    if not path.exists():
        return {}
    known = {t.slug for t in (read_topics(project) if topics is None else topics)}
    return parse_curation(load_yaml(path, shown), shown, known)


# --- writing -------------------------------------------------------------------------------


def save_day(project: Project, day: date, papers: Iterable[Paper]) -> bool:
    """Write one day file atomically if its content changed; True if it was written."""
    return write_atomic(day_path(project, day), dump_day(day, papers))


def write_atomic(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"{path}: cannot read: {exc.strerror}") from None
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp_name).chmod(0o644)
        Path(tmp_name).replace(path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)
    return True


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- locking -------------------------------------------------------------------------------


@contextmanager
def archive_lock(project: Project, *, wait_seconds: float = 120.0) -> Iterator[None]:
    """Hold the archive's write lock so two runs never interleave their writes.

    A second run waits up to `wait_seconds` for the first to finish, then gives up with
    a clear error; the lock dies with its process, so a killed run never leaves it stale.
    """
    project.data.mkdir(parents=True, exist_ok=True)
    path = project.data / ".lock"
    with open(path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{project.relative(path)}: another almanac run is writing the "
                        f"archive; gave up after {wait_seconds:.0f} s"
                    ) from None
                if not told:
                    print(
                        "waiting for another almanac run to finish writing data/ ...",
                        file=sys.stderr,
                        flush=True,
                    )
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
