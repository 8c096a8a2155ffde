"""A throwaway project folder for the benchmark: the repository's site setup, synthetic data.

The project holds copies of mkdocs.yml, overrides/ and the hand-written docs/, and a link
to the repository's generator/ (mkdocs.yml loads generator/site/hooks.py by path), so it builds
exactly like the repository does, without touching the repository's own folders.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.synth import synth_papers, write_archive
from generator.archive import store
from generator.models import Paper
from generator.project import Project
from generator.site.render.urls import GENERATED_DOCS

REPO = Path(__file__).resolve().parents[1]
# The archive ends mid-month, so that the new days the benchmark adds (bench/run.py: one
# with the build folder kept, one in CI) are ordinary days; the first day of a month, when
# the search's segments move (render/catalog.segment_starts), is measured on its own.
LAST_DAY = date(2026, 1, 20)


def make_project(root: Path, papers: int, *, seed: int = 1, listed: float = 0.0) -> Project:
    """A project at `root` with `papers` synthetic papers ending on LAST_DAY (a share
    `listed` of them from an arXiv feed too)."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copytree(
        REPO / "docs",
        root / "docs",
        ignore=lambda folder, names: [
            n
            for n in names
            if (Path(folder) == REPO / "docs" and n in GENERATED_DOCS) or n == "screenshots"
        ],
    )
    (root / "generator").symlink_to(REPO / "generator", target_is_directory=True)
    project = Project(root)
    write_archive(project, synth_papers(papers, seed=seed, last_day=LAST_DAY, listed=listed))
    return project


def add_day(project: Project, papers: int = 25, *, seed: int = 99, day: date | None = None) -> date:
    """One new day after the archive's last (or `day`, later still), as a daily fetch
    would add it."""
    latest = max(d for d, _ in store.day_files(project) if d is not None)
    if day is None:
        day = latest + timedelta(days=1)
    elif day <= latest:
        raise ValueError(f"{day} is not after the archive's last day, {latest}")
    fresh = synth_papers(papers, seed=seed, last_day=day)
    new = [_on_day(p, day, i) for i, p in enumerate(fresh)]
    store.save_days(project, {day: new})
    return day


def _on_day(paper: Paper, day: date, serial: int) -> Paper:
    pid = f"{day:%y%m}.9{day.day:02d}{serial:02d}"  # unique across days
    return paper.with_changes(id=pid, day=day, published=day)


def clean(project: Project, *, docs: bool = True, build: bool = True, site: bool = True) -> None:
    """Remove what a build makes, for a cold run."""
    if docs:
        for name in GENERATED_DOCS:
            path = project.docs / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    if build:
        shutil.rmtree(project.build_dir, ignore_errors=True)
    if site:
        shutil.rmtree(project.site, ignore_errors=True)


def as_ci_checkout(project: Project) -> None:
    """Make the project look like the publish workflow's build job before it builds: what
    the workflow caches (generator.site.build.CARRIED_OVER) goes through tar as actions/cache
    stores it (`tar --posix`, which keeps file times), everything else a build made is
    removed, data/ is checked out anew (every file new: new inode and time, as git writes
    it), and the cache is restored on top."""
    from generator.site.build import CARRIED_OVER

    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "cache.tar"
        present = [p for p in CARRIED_OVER if (project.root / p).exists()]
        subprocess.run(
            ["tar", "--posix", "-cf", str(archive), "-C", str(project.root), *present],
            check=True,
        )
        clean(project)
        for path in sorted(project.data.rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                path.unlink()
                path.write_bytes(data)
        subprocess.run(["tar", "-xf", str(archive), "-C", str(project.root)], check=True)
