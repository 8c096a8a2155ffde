"""The fixture archive renders to exactly the files in tests/golden/.

After an intended change of the pages, regenerate them with
`UPDATE_GOLDEN=1 pytest tests/render/test_golden.py` and review the diff.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from helpers import render_all

from generator.site.arranged import Archive
from generator.site.render.catalog import catalog_files

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _golden_files(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _update(folder: Path, files: dict[str, str]) -> None:
    for old in _golden_files(folder):
        if old not in files:
            (folder / old).unlink()
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("which", ["docs", "search", "catalog"])
def test_fixture_renders_to_the_golden_files(fixture_archive: Archive, which: str) -> None:
    docs, manifest = render_all(fixture_archive)
    rendered = {
        "docs": docs,
        "search": manifest,
        "catalog": _inflated(catalog_files(fixture_archive)),
    }[which]
    folder = GOLDEN / which
    if UPDATE:
        _update(folder, rendered)
    expected = _golden_files(folder)
    assert expected, f"no golden files in {folder}; run with UPDATE_GOLDEN=1 to create them"
    assert sorted(rendered) == sorted(expected)
    for rel, text in rendered.items():
        assert text == expected[rel], f"{which}/{rel} differs from the golden file"


def _inflated(files: dict[str, str | bytes]) -> dict[str, str]:
    """The catalog's gzipped files as the search page reads them: as text."""
    return {
        rel: gzip.decompress(content).decode() if isinstance(content, bytes) else content
        for rel, content in files.items()
    }


def test_rendering_twice_gives_the_same_text(fixture_archive: Archive) -> None:
    assert render_all(fixture_archive) == render_all(fixture_archive)
