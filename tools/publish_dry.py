"""`make publish-dry`: the publish workflow's own steps, run offline on this machine.

It reads .github/workflows/publish.yml and runs its jobs (tools/workflow_runner.py): every
`run:` step is the workflow's own shell, so a typo in the YAML's scripts fails here as it
would on GitHub. What GitHub provides is played with plain git and folders in a work
folder (default: one per repository in the system temp dir, kept between runs):

- `origin.git` is the repository on GitHub. Each run first pushes this working tree to it,
  uncommitted and untracked (not ignored) files included, so what is tested is what you
  see, not the last commit. The working tree lands on the `snapshot` branch, which is
  merged into `main`: the data commits of earlier dry runs stay, as they would on GitHub.
- The run is a `workflow_dispatch` backfill of the days a local fake of the HF API serves
  (tools/fake_hf_api.py; `ALMANAC_HF_URL` points `almanac fetch` at it).
- Actions are played: a checkout is a clone of origin.git, an artifact a folder, the site's
  address a `gh` that answers for Pages, a deploy the site folder it would publish. The
  runner's Python is this one's: `make` uses this interpreter's virtual environment as it
  is (`ALMANAC_ENV`: nothing is installed), and the clone's own code runs (PYTHONPATH).
  The build cache is not played: each build is cold.

So a second run with the same answers from the API commits nothing. A failed fetch does
not stop the run (the site is built from the archive as it is) but makes the exit status
1, as the workflow's report job does.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.fake_hf_api import DEFAULT_DAYS, FAULTS, SHARED_DAYS, FakeHFApi
from tools.workflow_runner import JobResult, Runner, WorkflowError

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = Path(".github/workflows/publish.yml")
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
DEV = ("publish-dry", "publish-dry@localhost")
DEFAULT_SITE_URL = "https://example.github.io/paper-almanac/"


class StepError(Exception):
    """A step failed; the run stops here."""


@dataclass
class Outcome:
    fetch_ok: bool = True
    commit: str | None = None  # the data commit the workflow pushed, if any
    files: tuple[str, ...] = ()
    site: Path | None = None
    passed: bool = False  # the report job's verdict


class DryRun:
    def __init__(self, repo: Path, workdir: Path, *, quiet: bool) -> None:
        self.repo = repo
        self.workdir = workdir
        self.origin = workdir / "origin.git"
        self.quiet = quiet
        self.started = time.perf_counter()
        # Our git runs see none of the user's config (signing, hooks, default branch).
        self.git_env = {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
        }

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"publish-dry: {message} ({time.perf_counter() - self.started:.1f} s)")

    def git(self, cwd: Path, *args: str, who: tuple[str, str] = DEV, check: bool = True) -> str:
        name, email = who
        command = ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args]
        done = subprocess.run(
            command, cwd=cwd, env=self.git_env, capture_output=True, text=True, check=False
        )
        if check and done.returncode != 0:
            raise StepError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
        return done.stdout.strip()

    def almanac(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> bool:
        """`python -m generator ARGS` in a clone; True if it exited 0."""
        command = [sys.executable, "-m", "generator", *(["--quiet"] if self.quiet else []), *args]
        done = subprocess.run(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=self.quiet,
            text=True,
            check=False,
        )
        if done.returncode != 0 and self.quiet:
            sys.stderr.write(done.stdout + done.stderr)
        return done.returncode == 0

    def fresh_clone(self, name: str) -> Path:
        path = self.workdir / name
        shutil.rmtree(path, ignore_errors=True)
        self.git(self.workdir, "clone", "--quiet", str(self.origin), name)
        return path

    # --- "git push" of the working tree ----------------------------------------------------

    def push_working_tree(self) -> None:
        if not self.origin.is_dir():
            self.git(self.workdir, "init", "--quiet", "--bare", "-b", "main", str(self.origin))
        scratch = self.fresh_clone("push")
        branches = self.git(scratch, "branch", "--remotes", "--format=%(refname:short)")
        known = set(branches.split())
        if "origin/snapshot" in known:
            self.git(scratch, "checkout", "--quiet", "-B", "snapshot", "origin/snapshot")
        else:
            self.git(scratch, "checkout", "--quiet", "--orphan", "snapshot")
        copied = self.copy_working_tree(scratch)
        self.git(scratch, "add", "--all")
        staged = self.git(scratch, "status", "--porcelain")
        if staged:
            self.git(scratch, "commit", "--quiet", "-m", f"working tree of {self.repo}")
        if "origin/main" in known:
            self.git(scratch, "checkout", "--quiet", "-B", "main", "origin/main")
            try:
                self.git(scratch, "merge", "--quiet", "--no-edit", "snapshot")
            except StepError as exc:
                raise StepError(
                    "the working tree does not merge with the data commits of earlier dry "
                    f"runs in {self.workdir}; start over with --fresh ({exc})"
                ) from None
        else:
            self.git(scratch, "checkout", "--quiet", "-b", "main")
        self.git(scratch, "push", "--quiet", "origin", "main", "snapshot")
        if "origin/main" not in known:
            change = "first run here"
        else:
            change = "changed since the last run" if staged else "unchanged since the last run"
        self.say(f"pushed the working tree ({copied} files, {change}) to {self.origin}")

    def copy_working_tree(self, dest: Path) -> int:
        """Copy tracked and untracked-but-not-ignored files of the repo over `dest`."""
        listing = self.git(
            self.repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"
        )
        for child in dest.iterdir():
            if child.name != ".git":
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        count = 0
        for name in sorted(set(filter(None, listing.split("\0")))):
            source = self.repo / name
            if not os.path.lexists(source):
                continue  # deleted in the working tree
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target, follow_symlinks=False)
            count += 1
        return count

    # --- the workflow, run ---------------------------------------------------------------

    def run_workflow(self, api: FakeHFApi, site_url: str, outcome: Outcome) -> None:
        workflow = yaml.safe_load((self.repo / WORKFLOW).read_text(encoding="utf-8"))
        before = self.git(self.origin, "rev-parse", "main")
        first, last = min(api.days), max(api.days)
        self.say(f"workflow: backfill {first}..{last} from the fake HF API at {api.url}")
        runner = Runner(
            workflow,
            github={
                "event_name": "workflow_dispatch",
                "ref_name": "main",
                "repository": "publish-dry/paper-almanac",
                "token": "publish-dry-token",
                "event": {"repository": {"default_branch": "main"}},
            },
            inputs={"since": first.isoformat(), "until": last.isoformat()},
            actions=Actions(self, outcome, site_url).table(),
            workdir=self.workdir,
            env=self.runner_env(api, site_url),
            log=self.say if not self.quiet else lambda _: None,
        )
        results = runner.run()
        outcome.fetch_ok = results["fetch"].outputs.get("fetch") != "failure"
        outcome.passed = results["report"].result == "success"
        after = self.git(self.origin, "rev-parse", "main")
        bot_commits = self.git(
            self.origin, "log", "--format=%H %ae", f"{before}..{after}"
        ).splitlines()
        mine = [line.split()[0] for line in bot_commits if line.endswith(BOT[1])]
        if mine:
            outcome.commit = mine[0]
            listed = self.git(self.origin, "show", "--name-only", "--format=", mine[0])
            outcome.files = tuple(listed.split())
        for name in ("fetch", "build"):
            if results[name].result == "failure":
                self.say(f"workflow: the {name} job failed")
        self.report(results)

    def report(self, results: dict[str, JobResult]) -> None:
        self.say("workflow: " + ", ".join(f"{n} {r.result}" for n, r in results.items()))

    def runner_env(self, api: FakeHFApi, site_url: str) -> dict[str, str]:
        tools = self.workdir / "bin"
        tools.mkdir(exist_ok=True)
        gh = tools / "gh"
        gh.write_text(
            "#!/usr/bin/env bash\n"
            "# The dry run's gh: answers for the repository's Pages site, and nothing else.\n"
            'if [ "$1" = api ] && [[ "$2" == repos/*/pages ]]; then\n'
            f"  echo '{site_url}'\n  exit 0\nfi\n"
            'echo "gh (publish-dry): not played: $*" >&2\nexit 1\n',
            encoding="utf-8",
        )
        gh.chmod(0o755)
        venv = Path(sys.prefix)  # this interpreter's virtual environment, with its tools
        return {
            "PATH": f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
            # The workspace's own code, with this repository's installed dependencies.
            "PYTHONPATH": ".",
            "ALMANAC_ENV": str(venv),  # make uses it as it is: nothing is installed
            "ALMANAC_HF_URL": api.url,
            "ALMANAC_ARXIV_URL": api.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "publish-dry/paper-almanac",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_AUTHOR_DATE": "",
        }


class Actions:
    """The actions publish.yml uses, played on this machine."""

    def __init__(self, run: DryRun, outcome: Outcome, site_url: str) -> None:
        self.run, self.outcome, self.site_url = run, outcome, site_url
        self.artifacts = run.workdir / "artifacts"

    def table(self) -> dict[str, Any]:
        return {
            "actions/checkout": self.checkout,
            "actions/setup-python": self.nothing,
            "actions/cache": self.nothing,
            "actions/upload-artifact": self.upload,
            "actions/download-artifact": self.download,
            "actions/upload-pages-artifact": self.pages_artifact,
            "actions/deploy-pages": self.deploy,
        }

    def checkout(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        self.run.git(workspace, "clone", "--quiet", str(self.run.origin), ".")
        ref = values.get("ref") or "main"
        self.run.git(
            workspace, "checkout", "--quiet", "--detach", ref if ref != "main" else "origin/main"
        )
        return {}

    def nothing(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        return {}

    def upload(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        source = workspace / values["path"]
        if not source.is_dir():
            raise WorkflowError(f"upload-artifact: no {values['path']} to upload")
        dest = self.artifacts / values["name"]
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(
            source,
            dest,
            ignore=shutil.ignore_patterns(".*")
            if values.get("include-hidden-files") != "true"
            else None,
        )
        return {}

    def download(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        source = self.artifacts / values["name"]
        if not source.is_dir():
            raise WorkflowError(f"download-artifact: no artifact {values['name']!r}")
        dest = Path(values.get("path") or workspace)
        shutil.copytree(
            source, dest if dest.is_absolute() else workspace / dest, dirs_exist_ok=True
        )
        return {}

    def pages_artifact(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        site = workspace / values["path"]
        for needed in ("index.html", "search-index/manifest.json"):  # the search index's manifest
            if not (site / needed).is_file():
                raise WorkflowError(f"upload-pages-artifact: no {needed} in {site}")
        self.outcome.site = site
        return {}

    def deploy(
        self, workspace: Path, values: dict[str, str], env: dict[str, str]
    ) -> dict[str, str]:
        return {"page_url": self.site_url}


def default_workdir(repo: Path) -> Path:
    tag = hashlib.sha256(str(repo).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"paper-almanac-publish-dry-{tag}"


def summary(outcome: Outcome, seconds: float) -> str:
    parts = ["fetch ok" if outcome.fetch_ok else "fetch FAILED"]
    if outcome.commit:
        parts.append(f"commit {outcome.commit[:12]} ({len(outcome.files)} data files)")
    else:
        parts.append("nothing new: no commit")
    if outcome.site:
        parts.append(f"site at {outcome.site}")
    return f"publish-dry: {', '.join(parts)} ({seconds:.1f} s)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.publish_dry",
        description="Run the publish workflow's own steps offline against a fake HF API.",
    )
    parser.add_argument("--workdir", type=Path, help="where the simulated GitHub lives")
    parser.add_argument("--fresh", action="store_true", help="forget earlier dry runs first")
    parser.add_argument("--days", type=Path, action="append", help="folder of recorded days")
    parser.add_argument("--shared", action="store_true", help=f"also serve {SHARED_DAYS}")
    parser.add_argument("--api-fault", choices=FAULTS, help="make the fake API misbehave")
    parser.add_argument("--site-url", default=DEFAULT_SITE_URL, help="the Pages address gh gives")
    parser.add_argument("--repo", type=Path, default=REPO, help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    repo = args.repo.resolve()
    workdir = (args.workdir or default_workdir(repo)).resolve()
    # It deletes and recreates folders in there: only in an empty folder or its own.
    if workdir.is_dir() and any(workdir.iterdir()) and not (workdir / "origin.git").is_dir():
        print(f"publish-dry: error: {workdir} is not empty and not a dry run's", file=sys.stderr)
        return 1
    if args.fresh:
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    folders = list(args.days or [DEFAULT_DAYS])
    if args.shared and SHARED_DAYS.is_dir():
        folders.append(SHARED_DAYS)
    run = DryRun(repo, workdir, quiet=args.quiet)
    outcome = Outcome()
    try:
        with FakeHFApi(folders, fault=args.api_fault) as api:
            if not api.days:
                raise StepError(f"no recorded days (YYYY-MM-DD.json) in {folders}")
            run.push_working_tree()
            run.run_workflow(api, args.site_url, outcome)
    except (StepError, WorkflowError, OSError) as exc:
        print(f"publish-dry: error: {exc}", file=sys.stderr)
        print(f"publish-dry: FAILED ({time.perf_counter() - run.started:.1f} s)")
        return 1
    print(summary(outcome, time.perf_counter() - run.started))
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
