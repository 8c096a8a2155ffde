"""The published address comes from mkdocs.yml, which takes it from the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.errors import AlmanacError
from generator.project import Project
from generator.site.siteconf import DEFAULT_SITE_URL, SITE_URL_ENV, normalise, site_url

REPO = Path(__file__).resolve().parents[1]


def _with_mkdocs_yml(tmp_path: Path, text: str | None = None) -> Project:
    if text is None:
        shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    else:
        (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return Project(tmp_path)


def test_the_repositorys_mkdocs_yml_default_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _with_mkdocs_yml(tmp_path)
    monkeypatch.delenv(SITE_URL_ENV, raising=False)
    assert site_url(project) == DEFAULT_SITE_URL
    monkeypatch.setenv(SITE_URL_ENV, "https://someone.github.io/almanac")
    assert site_url(project) == "https://someone.github.io/almanac/"


def test_without_mkdocs_yml_the_environment_or_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(SITE_URL_ENV, raising=False)
    assert site_url(Project(tmp_path)) == DEFAULT_SITE_URL
    monkeypatch.setenv(SITE_URL_ENV, "http://localhost:8000/")
    assert site_url(Project(tmp_path)) == "http://localhost:8000/"


def test_a_missing_or_bad_address_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AlmanacError, match="site_url is not set"):
        site_url(_with_mkdocs_yml(tmp_path, "site_name: x\n"))
    with pytest.raises(AlmanacError, match="http"):
        site_url(_with_mkdocs_yml(tmp_path, "site_name: x\nsite_url: ftp://x/\n"))
    for bad in ("example.org", "https://x/?q=1", "https://x/#top", "javascript:alert(1)"):
        with pytest.raises(AlmanacError):
            normalise(bad)
