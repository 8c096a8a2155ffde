"""`make publish-dry`: the publish workflow's sequence end to end, offline, on this machine.

It plays GitHub with plain git in a work folder (default: a folder in the system temp dir,
one per repository, kept between runs):

- `origin.git` is the repository on GitHub. Each run first pushes this working tree to it,
  uncommitted and untracked (not ignored) files included, so what is tested is what you
  see, not the last commit. The working tree lands on the `snapshot` branch, which is
  merged into `main`: the data commits of earlier dry runs stay, as they would on GitHub.
- `update/`, a fresh clone of main, runs the update job: fetch from a local fake of the HF
  API (tools/fake_hf_api.py) for its recorded days, validate, commit the changed data/
  files as github-actions[bot] (or none: "nothing new: no commit"), push.
- `build/`, a fresh clone at the commit the update job pushed, runs the build job:
  `almanac build` into build/site/, the folder the workflow uploads and deploys.

So a second run with the same answers from the API commits nothing. A failed fetch does
not stop the run (the site is built from the archive as it is) but makes the exit status
1, as the workflow's last step does. Commands run as `python -m generator` from each
clone, so the clone's own code runs, with this interpreter's installed dependencies.
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

from tools.fake_hf_api import DEFAULT_DAYS, FAULTS, SHARED_DAYS, FakeHFApi

REPO = Path(__file__).resolve().parents[1]
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
DEV = ("publish-dry", "publish-dry@localhost")


class StepError(Exception):
    """A step failed; the run stops here."""


@dataclass
class Outcome:
    fetch_ok: bool = True
    commit: str | None = None  # the data commit the update job made, if any
    files: tuple[str, ...] = ()
    head: str = ""
    site: Path | None = None


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

    # --- the workflow's jobs ---------------------------------------------------------------

    def update(self, api: FakeHFApi, outcome: Outcome) -> None:
        clone = self.fresh_clone("update")
        first, last = min(api.days), max(api.days)
        self.say(f"update: fetching {first}..{last} from the fake HF API at {api.url}")
        span = ["--since", first.isoformat(), "--until", last.isoformat()]
        outcome.fetch_ok = self.almanac(clone, "fetch", *span, "--base-url", api.url)
        if not outcome.fetch_ok:
            self.say("update: the fetch FAILED; going on with the archive as it is")
        if not self.almanac(clone, "validate"):
            raise StepError("almanac validate failed: nothing committed, nothing built")
        if self.git(clone, "status", "--porcelain", "--", "data/"):
            self.git(clone, "add", "--", "data/")
            message = f"data: fetch {first}..{last} (publish-dry)"
            self.git(clone, "commit", "--quiet", "-m", message, "--", "data/", who=BOT)
            outcome.commit = self.git(clone, "rev-parse", "HEAD")
            outcome.files = tuple(self.git(clone, "show", "--name-only", "--format=").split())
            self.git(clone, "push", "--quiet", "origin", "HEAD:refs/heads/main")
            self.say(f"update: commit {outcome.commit[:12]} by {BOT[0]}: {message}")
            for name in outcome.files:
                self.say(f"update:     {name}")
        else:
            self.say("update: nothing new: no commit")
        outcome.head = self.git(clone, "rev-parse", "HEAD")

    def build(self, outcome: Outcome, site_url: str | None) -> None:
        clone = self.fresh_clone("build")
        self.git(clone, "checkout", "--quiet", "--detach", outcome.head)
        self.say(f"build: almanac build at {outcome.head[:12]}")
        env = {"ALMANAC_SITE_URL": site_url} if site_url else {}
        if not self.almanac(clone, "build", env=env):
            raise StepError("almanac build failed: nothing to deploy")
        site = clone / "site"
        for needed in ("index.html", "pagefind/shards.json"):  # the search index's manifest
            if not (site / needed).is_file():
                raise StepError(f"almanac build left no {needed} in {site}")
        outcome.site = site
        self.say(f"build: deployable site at {site}")


def default_workdir(repo: Path) -> Path:
    tag = hashlib.sha256(str(repo).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"paper-almanac-publish-dry-{tag}"


def summary(outcome: Outcome, seconds: float, *, built: bool) -> str:
    parts = ["fetch ok" if outcome.fetch_ok else "fetch FAILED"]
    if outcome.commit:
        parts.append(f"commit {outcome.commit[:12]} ({len(outcome.files)} data files)")
    else:
        parts.append("nothing new: no commit")
    if outcome.site:
        parts.append(f"site at {outcome.site}")
    elif not built:
        parts.append("build skipped (--no-build)")
    return f"publish-dry: {', '.join(parts)} ({seconds:.1f} s)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.publish_dry",
        description="Run the publish workflow's sequence offline against a fake HF API.",
    )
    parser.add_argument("--workdir", type=Path, help="where the simulated GitHub lives")
    parser.add_argument("--fresh", action="store_true", help="forget earlier dry runs first")
    parser.add_argument("--days", type=Path, action="append", help="folder of recorded days")
    parser.add_argument("--shared", action="store_true", help=f"also serve {SHARED_DAYS}")
    parser.add_argument("--api-fault", choices=FAULTS, help="make the fake API misbehave")
    parser.add_argument("--site-url", help="ALMANAC_SITE_URL for the build")
    parser.add_argument("--no-build", action="store_true", help="stop after the update job")
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
            run.update(api, outcome)
        if not args.no_build:
            run.build(outcome, args.site_url)
    except (StepError, OSError) as exc:
        print(f"publish-dry: error: {exc}", file=sys.stderr)
        print(f"publish-dry: FAILED ({time.perf_counter() - run.started:.1f} s)")
        return 1
    print(summary(outcome, time.perf_counter() - run.started, built=not args.no_build))
    return 0 if outcome.fetch_ok else 1


if __name__ == "__main__":
    sys.exit(main())
