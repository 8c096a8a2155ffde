from __future__ import annotations

from pathlib import Path

import pytest

from generator.archive import Archive
from generator.inputs import load
from generator.project import Project

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


@pytest.fixture(scope="session")
def fixture_archive() -> Archive:
    loaded = load(Project(FIXTURE))
    assert loaded.problems == ()
    return loaded.archive
