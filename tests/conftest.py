from __future__ import annotations

from pathlib import Path

import pytest

from generator.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project in its own folder (tmp_path itself stays free for inputs)."""
    root = tmp_path / "project"
    (root / "data" / "papers").mkdir(parents=True)
    return Project(root)


@pytest.fixture
def hf_daily_dir() -> Path:
    folder = SHARED / "hf-daily"
    if not folder.is_dir() or not any(folder.glob("*.json")):
        pytest.skip(f"real HF captures not available at {folder}")
    return folder


@pytest.fixture
def seed_file() -> Path:
    path = SHARED / "seeds" / "000_9e65165add5bb4b6.txt"
    if not path.is_file():
        pytest.skip(f"seed page not available at {path}")
    return path


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work may be forked off as in a build run alone: the suite's fake HTTP servers
    idle in threads of their own all session, which a build never has beside it."""
    from generator import processes

    monkeypatch.setattr(processes, "_threads_running", lambda: 1)
    if processes.fork_context() is None:
        pytest.skip("this platform cannot fork")
