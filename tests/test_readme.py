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


def test_the_sources_example_follows_two_categories_and_a_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.archive import store
    from generator.project import Project
    from tools.fake_hf_api import FakeHFApi

    example = "\n".join(
        line.removeprefix("   ") for line in yaml_block_after("Choose your sources").splitlines()
    )
    project = Project(tmp_path / "project")
    project.papers_dir.mkdir(parents=True)
    project.sources_file.write_text(example, encoding="utf-8")
    config = store.read_sources(project)
    assert config.huggingface
    assert [(f.name, f.categories, f.query) for f in config.arxiv] == [
        ("language", ("cs.CL", "cs.LG"), None),
        ("splatting", (), 'abs:"gaussian splatting"'),
    ]
    with FakeHFApi() as api:
        args = ["--base-url", api.url, "--arxiv-url", api.url, "--retries", "0"]
        code = main(["-C", str(project.root), "--quiet", "fetch", "--since", "2026-01-05",
                     "--until", "2026-01-09", *args])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    sources = {p.id: p.sources for p in store.read_archive(project).papers}
    assert sources["2601.01500"] == ("arxiv",)  # found by the query alone (cs.CV)
    assert sources["2601.03300"] == ("arxiv",)  # by its category
