from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project
from generator.site.arranged import Archive
from generator.site.load import load

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "archive"


@pytest.fixture(scope="session")
def fixture_archive() -> Archive:
    loaded = load(Project(FIXTURE))
    assert loaded.problems == ()
    return loaded.archive
