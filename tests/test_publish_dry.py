"""`make publish-dry` end to end against the fake HF API (tools/publish_dry.py), and the fake.

Each dry run plays GitHub in its own folder: the working tree is pushed to a bare
repository there, and the publish workflow's own jobs run on it: the fetch job fetches
what the fake API's recorded days add, the commit job commits and pushes it, the build
job builds the branch.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import requests

from generator.archive.sources import hf_api
from generator.archive.sources.http import Client
from generator.errors import SourceError
from tools import publish_dry
from tools.fake_hf_api import DEFAULT_DAYS, FakeHFApi

REPO = Path(__file__).resolve().parents[1]
PROJECT_SITE = "https://example.github.io/repo/"
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


def git(origin: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "--git-dir", str(origin), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def dry_run(workdir: Path, *extra: str) -> int:
    return publish_dry.main(["--workdir", str(workdir), "--quiet", *extra])


def recorded_ids() -> set[str]:
    ids: set[str] = set()
    for path in DEFAULT_DAYS.glob("*.json"):
        ids.update(record["paper"]["id"] for record in json.loads(path.read_text()))
    return ids


@pytest.mark.slow
def test_first_run_commits_the_new_days_and_a_second_run_commits_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    origin = tmp_path / "origin.git"

    assert dry_run(tmp_path, "--site-url", PROJECT_SITE) == 0
    first = capsys.readouterr().out
    head = git(origin, "rev-parse", "main")
    author = git(origin, "log", "-1", "--format=%an <%ae>", "main")
    files = git(origin, "show", "--name-only", "--format=", "main").split()
    assert author == f"github-actions[bot] <{BOT_EMAIL}>"
    assert files and all(name.startswith("data/") for name in files)
    committed = git(origin, "show", "--format=", "main")
    assert all(paper_id in committed for paper_id in recorded_ids())
    assert f"commit {head[:12]} ({len(files)} data files)" in first
    site = tmp_path / "jobs" / "build" / "site"
    assert f"site at {site}" in first
    assert (site / "index.html").is_file()
    assert (site / "search-index" / "manifest.json").is_file()
    assert (site / "search-index" / "catalog" / "index.json").is_file()
    day = site / "days" / "2026" / "02" / "05" / "index.html"
    assert "2601.05019" in day.read_text(encoding="utf-8")  # the data commit was built
    # The site's address that gh gave the workflow reaches the pages.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PROJECT_SITE}">' in home

    assert dry_run(tmp_path, "--site-url", PROJECT_SITE) == 0
    second = capsys.readouterr().out
    assert "nothing new: no commit" in second
    # Nothing was installed into this environment from the clones (ALMANAC_ENV).
    where = subprocess.run(
        [sys.executable, "-c", "import generator; print(generator.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip() == str(REPO / "generator" / "__init__.py")
    # The working tree may have changed meanwhile (a merge commit), but the bot made none.
    assert BOT_EMAIL not in git(origin, "log", "--format=%ae", f"{head}..main")


@pytest.mark.slow
def test_a_broken_api_commits_nothing_still_builds_and_fails_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert dry_run(tmp_path, "--api-fault", "garbage") == 1
    out = capsys.readouterr().out
    assert "fetch FAILED" in out and "nothing new: no commit" in out
    origin = tmp_path / "origin.git"
    assert git(origin, "log", "-1", "--format=%ae", "main") != BOT_EMAIL
    assert (tmp_path / "jobs" / "build" / "site" / "index.html").is_file()


@pytest.mark.slow
def test_a_typo_in_the_workflows_shell_fails_the_dry_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The dry run runs the workflow's own steps: break one, and it breaks.
    repo = tmp_path / "repo"
    shutil.copytree(
        REPO, repo, ignore=shutil.ignore_patterns(".venv", ".git", "site", ".almanac-build")
    )
    workflow = repo / ".github" / "workflows" / "publish.yml"
    text = workflow.read_text(encoding="utf-8")
    workflow.write_text(text.replace("run: make validate", "run: make validat"), encoding="utf-8")
    subprocess.run(["git", "init", "--quiet"], cwd=repo, check=True)
    code = publish_dry.main(["--workdir", str(tmp_path / "work"), "--repo", str(repo), "-q"])
    assert code == 1
    assert "nothing new: no commit" in capsys.readouterr().out


def test_it_will_not_work_in_a_folder_of_something_else(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "precious.txt").write_text("keep me")
    assert publish_dry.main(["--workdir", str(tmp_path), "--fresh", "--quiet"]) == 1
    assert (tmp_path / "build" / "precious.txt").read_text() == "keep me"


def test_the_working_tree_is_what_gets_pushed(tmp_path: Path) -> None:
    """Uncommitted and untracked work is included; ignored and deleted files are not."""
    repo = tmp_path / "repo"
    repo.mkdir()
    run = publish_dry.DryRun(repo, tmp_path, quiet=True)
    run.git(repo, "init", "--quiet")
    (repo / ".gitignore").write_text("*.log\n")
    for name in ("kept.txt", "edited.txt", "deleted.txt"):
        (repo / name).write_text("committed\n")
    run.git(repo, "add", "--all")
    run.git(repo, "commit", "--quiet", "-m", "base")
    (repo / "edited.txt").write_text("edited, not committed\n")
    (repo / "deleted.txt").unlink()
    (repo / "new").mkdir()
    (repo / "new" / "untracked.txt").write_text("never added\n")
    (repo / "build.log").write_text("ignored\n")
    dest = tmp_path / "dest"
    (dest / ".git").mkdir(parents=True)
    (dest / "stale.txt").write_text("from the last snapshot\n")

    assert run.copy_working_tree(dest) == 4
    got = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    assert got == {".gitignore", "kept.txt", "edited.txt", "new/untracked.txt"}
    assert (dest / "edited.txt").read_text() == "edited, not committed\n"


# --- the fake API ------------------------------------------------------------------------------


def test_fake_api_serves_recorded_days_page_by_page() -> None:
    recorded = json.loads((DEFAULT_DAYS / "2026-02-05.json").read_text())
    with FakeHFApi() as api:
        url = f"{api.url}/api/daily_papers"
        pages = [
            requests.get(
                url, params={"date": "2026-02-05", "limit": "3", "p": str(p)}, timeout=5
            ).json()
            for p in range(3)
        ]
        unknown = requests.get(url, params={"date": "1999-01-01"}, timeout=5)
        bad = requests.get(url, params={"date": "2026-02-05", "limit": "x"}, timeout=5)
        latest = requests.get(url, timeout=5).json()
    assert [len(page) for page in pages] == [3, len(recorded) - 3, 0]
    assert pages[0] + pages[1] == recorded
    assert unknown.status_code == 200 and unknown.json() == []
    assert bad.status_code == 400 and "limit" in bad.json()["error"]
    assert latest == recorded  # no date: the latest recorded day


def test_the_almanac_client_pages_through_the_fake() -> None:
    with FakeHFApi() as api:
        result = hf_api.fetch_day(
            Client(delay=0, retries=0),
            date(2026, 2, 5),
            base_url=api.url,
            page_size=2,
            fetched_at="2026-02-05T12:00:00Z",
        )
        asked = list(api.requests)
    recorded = json.loads((DEFAULT_DAYS / "2026-02-05.json").read_text())
    assert [p.id for p in result.papers] == [r["paper"]["id"] for r in recorded]
    assert [q.split("p=")[-1] for q in asked] == ["0", "1", "2"]


@pytest.mark.parametrize("fault", ["down", "garbage"])
def test_a_faulty_fake_fails_the_fetch(fault: str) -> None:
    with FakeHFApi(fault=fault) as api, pytest.raises(SourceError):
        hf_api.fetch_day(
            Client(delay=0, retries=0),
            date(2026, 2, 5),
            base_url=api.url,
            fetched_at="2026-02-05T12:00:00Z",
        )


def test_later_folders_replace_a_day(tmp_path: Path) -> None:
    (tmp_path / "2026-02-05.json").write_text("[]")
    (tmp_path / "notes.txt").write_text("not a day")
    with FakeHFApi([DEFAULT_DAYS, tmp_path]) as api:
        answer = requests.get(
            f"{api.url}/api/daily_papers", params={"date": "2026-02-05"}, timeout=5
        )
        assert answer.json() == []
        assert len(api.days) == len(list(DEFAULT_DAYS.glob("*.json")))


def test_fake_api_runs_from_the_command_line(tmp_path: Path) -> None:
    day = [{"paper": {"id": "2601.99999", "title": "A"}, "title": "A"}]
    (tmp_path / "2026-02-01.json").write_text(json.dumps(day))
    command = [sys.executable, "-m", "tools.fake_hf_api", "--port", "0", "--days", str(tmp_path)]
    server = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        answer = requests.get(f"{url}/api/daily_papers", params={"date": "2026-02-01"}, timeout=5)
        assert answer.json() == day
    finally:
        server.terminate()
        server.wait(timeout=10)
