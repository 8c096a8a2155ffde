"""The README as a newcomer reads it: its examples work on the archive it ships."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def yaml_block_after(heading: str) -> str:
    found = re.search(re.escape(heading) + r".*?```yaml\n(.*?)```", README, re.DOTALL)
    if found is None:
        pytest.fail(f"README has no YAML block after {heading!r}")
    return found.group(1)


def test_the_curation_example_validates_on_the_shipped_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO / "data", project / "data")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "data" / "curation.yaml").write_text(
        yaml_block_after("Curation example"), encoding="utf-8"
    )
    assert main(["-C", str(project), "--quiet", "validate"]) == 0, capsys.readouterr()


def test_the_sample_archive_is_described_as_it_is(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-C", str(REPO), "stats"]) == 0
    out = capsys.readouterr().out
    summary = re.search(r"stats: (\d+) papers on (\d+) days", out)
    assert summary is not None, out
    papers, days = summary.groups()
    assert f"{int(papers):,} papers on {days} days" in README, out
