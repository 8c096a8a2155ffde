"""Saved inputs, read by the parser of their format: one interface for `almanac import`.

`*.json` is a Hugging Face /api/daily_papers response, `*.xml` and `*.atom` an arXiv API
response, anything else the text of a scraped Daily Papers page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from generator.archive.sources import arxiv_atom, hf_json, scraped
from generator.archive.sources.base import ParseResult
from generator.archive.sources.http import MAX_BODY
from generator.errors import SourceError
from generator.models import day_stamp

SUFFIXES = (".json", ".xml", ".atom", ".txt")
_ATOM_SUFFIXES = (".xml", ".atom")
# The same bound as a response body: a bigger file is not a day of papers, and parsing
# it whole would take memory in proportion.
MAX_INPUT_BYTES = MAX_BODY


def files_in(inputs: Sequence[Path]) -> tuple[list[Path], list[SourceError]]:
    """The files named, and those in the folders named; a problem for each name that has
    none."""
    files: list[Path] = []
    problems: list[SourceError] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
            if not found:
                problems.append(SourceError(str(path), f"no {', '.join(SUFFIXES)} files here"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(SourceError(str(path), "no such file or folder"))
    return files, problems


def read_input(path: Path, day: date | None, *, repair: bool = False) -> ParseResult:
    """The papers of one saved input; `day` files them all under that day."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror}") from None
    if size > MAX_INPUT_BYTES:
        raise SourceError(str(path), f"file is {size} bytes, over {MAX_INPUT_BYTES}; refused")
    if path.suffix == ".json":
        result = _on_day(hf_json.parse_file(path, repair=repair), day)
        return _stamped(result, hf_json.file_day(path))
    text = _read_text(path)
    if path.suffix in _ATOM_SUFFIXES:
        return _stamped(_on_day(arxiv_atom.parse(text, str(path)), day), None)
    return _stamped(scraped.parse(text, str(path), day=day), None)


def _on_day(result: ParseResult, day: date | None) -> ParseResult:
    if day is not None:
        result.papers = [p.with_changes(day=day) for p in result.papers]
    return result


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(str(path), "not UTF-8 text") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc.strerror}") from None


def _stamped(result: ParseResult, named_day: date | None) -> ParseResult:
    """A saved capture that does not say when it was fetched: one named by its day counts
    as fetched at the start of that day, any other at the start of each paper's day (it
    cannot have been fetched earlier). So a newer capture wins whichever order files come
    in. (An arXiv response says when it was made.)"""
    result.papers = [
        p if p.fetched_at else p.with_changes(fetched_at=day_stamp(named_day or p.day))
        for p in result.papers
    ]
    return result
