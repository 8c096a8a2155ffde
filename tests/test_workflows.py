"""The GitHub Actions workflows: schema, zizmor, and the publish rules the issue asks for.

The workflows cannot run here, so these tests read them: triggers, permissions,
concurrency, timeouts, pinned actions, which job commits what and what gets deployed.
The shell steps that carry logic (the backfill date check, the final report) are run with
bash against the cases that matter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TESTS = WORKFLOWS / "tests.yml"
SHA_PIN = re.compile(
    r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$"
)


def load(path: Path) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def tool(name: str) -> str:
    """The tool from this venv (or PATH), or skip: both come from the dev dependencies."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install the dev dependencies)")
    return found


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def step(job: dict[str, Any], step_id: str) -> dict[str, Any]:
    matches = [s for s in steps(job) if s.get("id") == step_id]
    assert len(matches) == 1, f"expected one step with id {step_id!r}, found {len(matches)}"
    return matches[0]


@pytest.fixture(scope="module")
def publish() -> dict[str, Any]:
    return load(PUBLISH)


@pytest.fixture(scope="module")
def tests_wf() -> dict[str, Any]:
    return load(TESTS)


# --- the two external checks -----------------------------------------------------------------


def test_workflows_match_githubs_schema() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(done.stdout or "[]")
    serious = [
        f"{f['ident']} ({f['determinations']['severity']}): {f['desc']}"
        for f in findings
        if f["determinations"]["severity"] in ("Medium", "High")
    ]
    assert not serious, "\n".join(serious)
    # Any exit besides "no findings" / "findings" (10 and up) means zizmor itself failed.
    assert done.returncode == 0 or done.returncode >= 10, done.stderr


# --- rules every workflow follows --------------------------------------------------------------


@pytest.mark.parametrize("path", [PUBLISH, TESTS], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text().splitlines() if re.match(r"\s*(-\s+)?uses:", line)]
    assert lines, "no actions used?"
    unpinned = [line.strip() for line in lines if not SHA_PIN.match(line)]
    assert not unpinned, f"not pinned to a 40-hex SHA with a # vX comment: {unpinned}"


@pytest.mark.parametrize("path", [PUBLISH, TESTS], ids=lambda p: p.name)
def test_every_job_has_a_timeout(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{name}: timeout {minutes!r}"


@pytest.mark.parametrize("path", [PUBLISH, TESTS], ids=lambda p: p.name)
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    # Template injection: values reach scripts through env, never through ${{ }} in run.
    for name, job in load(path)["jobs"].items():
        for step in steps(job):
            assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')}"


@pytest.mark.parametrize("path", [PUBLISH, TESTS], ids=lambda p: p.name)
def test_checkouts_keep_no_credentials(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        for step in steps(job):
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, name


# --- tests.yml ---------------------------------------------------------------------------------


def test_tests_run_the_readme_command_on_oldest_and_newest_python(
    tests_wf: dict[str, Any],
) -> None:
    assert set(tests_wf["on"]) == {"push", "pull_request"}
    assert tests_wf["permissions"] == {"contents": "read"}
    (job,) = tests_wf["jobs"].values()
    versions = job["strategy"]["matrix"]["python"]
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    oldest = re.fullmatch(r">=\s*(3\.\d+)", project["requires-python"])
    assert oldest, project["requires-python"]
    assert oldest.group(1) in versions
    assert len(versions) >= 2
    assert any(step.get("run", "").strip() == "make test" for step in steps(job))
    setup = next(s for s in steps(job) if str(s.get("uses", "")).startswith("actions/setup"))
    assert setup["with"]["cache"] == "pip"
    assert set(setup["with"]["cache-dependency-path"].split()) == {
        "pyproject.toml",
        "constraints.txt",
    }
    assert job["env"]["ALMANAC_CHROMIUM"]


# --- publish.yml -------------------------------------------------------------------------------


def test_publish_triggers(publish: dict[str, Any]) -> None:
    on = publish["on"]
    (entry,) = on["schedule"]
    minute, hour, *_ = entry["cron"].split()
    assert minute.isdigit() and 1 <= int(minute) <= 59, f"on the hour: {entry['cron']}"
    assert hour.isdigit(), "once a day"
    inputs = on["workflow_dispatch"]["inputs"]
    assert set(inputs) == {"since", "until"}
    assert not any(i.get("required") for i in inputs.values())
    assert on["push"]["branches"] == ["main"]
    assert "data/**" in on["push"]["paths"]


# What each action's pinned commit is, as read from the actions' own repositories (tags and
# action.yml) and listed in ../shared/ACTIONS.md: the release and what it runs on. GitHub
# removed Node 20 from its runners on 2026-09-16; composite and Docker actions run anyway.
RELEASES = {
    "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1": ("v7.0.1", "node24"),
    "actions/setup-python@5fda3b95a4ea91299a34e894583c3862153e4b97": ("v7.0.0", "node24"),
    "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae": ("v5.0.5", "node24"),
    "actions/upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9": (
        "v5.0.0",
        "composite",
    ),
    "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128": ("v5.0.0", "node24"),
    "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f": ("v7.0.0", "node24"),
    "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c": ("v8.0.1", "node24"),
}


@pytest.mark.parametrize("path", [PUBLISH, TESTS], ids=lambda p: p.name)
def test_every_action_is_a_release_that_runs_on_todays_runners(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        for use in (str(s["uses"]) for s in steps(job) if "uses" in s):
            assert use in RELEASES, f"{name}: {use} is not a known release commit"
            _, runtime = RELEASES[use]
            assert runtime in ("node24", "composite", "docker"), f"{name}: {use} on {runtime}"
    for line in path.read_text().splitlines():
        if match := re.match(r"\s*(?:-\s+)?uses:\s*(\S+)\s+#\s*(\S+)", line):
            assert RELEASES[match.group(1)][0] == match.group(2), line  # the comment is true


def test_the_release_table_agrees_with_shared_actions_md() -> None:
    listed = REPO.parent / "shared" / "ACTIONS.md"
    if not listed.is_file():
        pytest.skip(f"{listed} is not here")
    text = listed.read_text(encoding="utf-8")
    for use, (version, runtime) in RELEASES.items():
        action, commit = use.split("@")
        row = next(line for line in text.splitlines() if line.startswith(f"| {action} |"))
        assert f"| {version} | {commit} |" in row and runtime in row, row


# Steps that run third-party or project code: installing packages or running the project.
_RUNS_CODE = re.compile(r"\b(pip|make|python3?|almanac|pytest|npm|npx|uv)\b")


def test_no_job_that_can_write_runs_anyone_elses_code(publish: dict[str, Any]) -> None:
    for name, job in publish["jobs"].items():
        writes = [scope for scope, level in job.get("permissions", {}).items() if level == "write"]
        if not writes:
            continue
        for item in steps(job):
            uses = str(item.get("uses", "")).split("@")[0]
            assert uses in (
                "",
                "actions/checkout",
                "actions/download-artifact",
                "actions/deploy-pages",
            ), f"{name} ({writes}) uses {uses}"
            script = item.get("run", "")
            assert not _RUNS_CODE.search(script), f"{name} ({writes}) runs: {script[:80]}"


def test_publish_permissions_are_least_privilege(publish: dict[str, Any]) -> None:
    assert publish["permissions"] in ({}, {"contents": "read"})
    jobs = publish["jobs"]
    writes = {
        name: {scope for scope, level in job.get("permissions", {}).items() if level == "write"}
        for name, job in jobs.items()
    }
    assert writes == {
        "fetch": set(),
        "commit": {"contents"},
        "build": set(),
        "deploy": {"pages", "id-token"},
        "report": set(),
    }
    for name, job in jobs.items():
        assert "permissions" in job, f"{name}: permissions must be explicit"


def test_publish_jobs_install_only_what_they_run(publish: dict[str, Any]) -> None:
    # No test tools in a job that publishes: `make fetch`, `validate` and `site` install
    # the runtime dependencies only (Makefile), and nothing here asks for the dev extras.
    scripts = "\n".join(s.get("run", "") for job in publish["jobs"].values() for s in steps(job))
    assert "make install" not in scripts and "[dev]" not in scripts
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in ("site", "fetch", "validate"):
        assert re.search(rf"^{target}: \$\(RUNTIME_STAMP\)", makefile, re.MULTILINE), target
    runtime = makefile[makefile.index("$(RUNTIME_STAMP):") :].split("\n\n")[0]
    assert "-e ." in runtime and "dev" not in runtime


def test_a_push_never_takes_the_place_of_a_daily_fetch(publish: dict[str, Any]) -> None:
    group = publish["concurrency"]["group"]
    assert publish["concurrency"]["cancel-in-progress"] is False
    # Push runs and fetching runs queue in groups of their own.
    assert "github.event_name == 'push'" in group
    assert "github.event_name != 'push'" in publish["jobs"]["fetch"]["if"]
    deploy = publish["jobs"]["deploy"]
    assert deploy["concurrency"]["cancel-in-progress"] is False  # deploys take turns


def test_data_goes_from_the_fetch_to_the_commit_as_an_artifact(publish: dict[str, Any]) -> None:
    jobs = publish["jobs"]
    fetch, commit = jobs["fetch"], jobs["commit"]
    upload = next(s for s in steps(fetch) if "upload-artifact@" in str(s.get("uses")))
    assert upload["with"]["path"].rstrip("/") == "data"
    assert upload["if"] == "steps.changed.outputs.changed == 'true'"
    assert commit["needs"] == "fetch"
    assert commit["if"] == "needs.fetch.outputs.changed == 'true'"
    download = next(s for s in steps(commit) if "download-artifact@" in str(s.get("uses")))
    assert download["with"]["name"] == upload["with"]["name"]
    checkout = steps(commit)[0]
    assert checkout["with"]["ref"] == "${{ needs.fetch.outputs.base }}"  # onto what was fetched
    assert fetch["outputs"]["base"] == "${{ steps.base.outputs.sha }}"


def test_deploy_ships_what_build_uploaded_from_the_branch(publish: dict[str, Any]) -> None:
    jobs = publish["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    assert set(build["needs"]) == {"fetch", "commit"}
    checkout = steps(build)[0]
    assert checkout["with"]["ref"] == "${{ github.event.repository.default_branch }}"
    uploads = [s for s in steps(build) if "upload-pages-artifact@" in str(s.get("uses"))]
    assert len(uploads) == 1 and uploads[0]["with"]["path"].rstrip("/") == "site"
    pages = step(build, "pages")
    assert "gh api" in pages["run"] and "/pages" in pages["run"]
    site_url = step(build, "site")["env"]["ALMANAC_SITE_URL"]
    assert "steps.pages.outputs.base_url" in site_url
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [str(s.get("uses")).split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


def test_the_build_carries_the_last_build_over_but_never_pickles(publish: dict[str, Any]) -> None:
    # A daily build does only the day's work if the last build's work comes back.
    from generator.site.build import CARRIED_OVER

    build = publish["jobs"]["build"]
    caches = [s for s in steps(build) if str(s.get("uses", "")).startswith("actions/cache@")]
    assert len(caches) == 1
    paths = caches[0]["with"]["path"].split()
    assert sorted(paths) == sorted(CARRIED_OVER)
    key, restore = caches[0]["with"]["key"], caches[0]["with"]["restore-keys"].strip()
    assert key.startswith(restore) and key.endswith("${{ hashFiles('data/**') }}")
    assert "constraints.txt" in restore  # other pinned versions start from scratch
    names = [s.get("id") or s.get("uses", "") for s in steps(build)]
    assert names.index(caches[0]["uses"]) < names.index("site")


def test_nothing_the_build_carries_over_is_a_pickle(tmp_path: Path) -> None:
    from helpers import build_fixture_site

    from generator.site.build import CARRIED_OVER

    project, _ = build_fixture_site(tmp_path / "p")
    for entry in CARRIED_OVER:
        top = project.root / entry
        for path in [top] if top.is_file() else top.rglob("*"):
            if path.is_file():
                head = path.read_bytes()[:2]
                assert not (head[:1] == b"\x80" and head[1:2] in b"\x02\x03\x04\x05"), path


def test_the_commit_job_commits_only_data_as_the_bot(publish: dict[str, Any]) -> None:
    commit_job = publish["jobs"]["commit"]
    scripts = "\n".join(s.get("run", "") for s in steps(commit_job))
    assert re.findall(r"git add\b[^\n]*", scripts) == ["git add -- data/"]
    commit = step(commit_job, "commit")["run"]
    assert 'git status --porcelain -- data/)" ]' in commit
    assert re.search(r"commit [^\n]*-- data/$", commit, re.MULTILINE)
    assert "user.name='github-actions[bot]'" in commit
    assert "41898282+github-actions[bot]@users.noreply.github.com" in commit


def test_a_failed_fetch_does_not_stop_the_build(publish: dict[str, Any]) -> None:
    fetch_job = publish["jobs"]["fetch"]
    fetch = step(fetch_job, "fetch")
    assert fetch["continue-on-error"] is True
    assert fetch["run"].startswith("make fetch")
    assert fetch_job["outputs"]["fetch"] == "${{ steps.fetch.outcome }}"
    report = publish["jobs"]["report"]
    assert report["if"] == "always()"
    assert set(report["needs"]) == {"fetch", "commit", "build", "deploy"}


# --- the shell steps, run ------------------------------------------------------------------


def run_step(script: dict[str, Any], env: dict[str, str], tmp_path: Path) -> tuple[int, str, str]:
    if not shutil.which("bash"):
        pytest.skip("bash is not installed")
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.write_text(""), summary.write_text("")
    full = {
        "PATH": os.environ["PATH"],
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        **env,
    }
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script["run"]],
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, output.read_text()


@pytest.mark.parametrize(
    ("since", "until", "args"),
    [
        ("", "", ""),
        ("2026-01-07", "", "--since 2026-01-07"),
        ("2026-01-07", "2026-01-09", "--since 2026-01-07 --until 2026-01-09"),
        ("2026-01-07", "2026-01-07", "--since 2026-01-07 --until 2026-01-07"),
    ],
)
def test_backfill_dates_become_fetch_arguments(
    publish: dict[str, Any], tmp_path: Path, since: str, until: str, args: str
) -> None:
    dates = step(publish["jobs"]["fetch"], "dates")
    code, _, output = run_step(dates, {"SINCE": since, "UNTIL": until}, tmp_path)
    assert code == 0
    assert output == f"args={args}\n"


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2026-02-30", ""),  # no such day
        ("2026-1-7", ""),
        ("20260107", ""),
        ("2026-01-07; rm -rf ~", ""),
        ("2026-01-07\n::add-mask::x", ""),
        ("", "2026-01-09"),  # until without since
        ("2026-01-09", "2026-01-07"),  # backwards
        ("2026-01-07", "tomorrow"),
    ],
)
def test_bad_backfill_dates_stop_the_run(
    publish: dict[str, Any], tmp_path: Path, since: str, until: str
) -> None:
    dates = step(publish["jobs"]["fetch"], "dates")
    code, stdout, output = run_step(dates, {"SINCE": since, "UNTIL": until}, tmp_path)
    assert code == 1
    assert stdout.startswith("::error::") and stdout.count("\n") == 1
    assert "::" not in stdout.removeprefix("::error::")  # no workflow command smuggled in
    assert output == ""


@pytest.mark.parametrize(
    ("event", "fetch", "results", "code"),
    [
        ("schedule", "success", ("success", "success", "success", "success"), 0),
        ("schedule", "success", ("success", "skipped", "success", "success"), 0),  # nothing new
        ("push", "", ("skipped", "skipped", "success", "success"), 0),  # a push: no fetch
        ("schedule", "failure", ("success", "skipped", "success", "success"), 1),  # API down
        ("schedule", "success", ("success", "failure", "skipped", "skipped"), 1),
        ("schedule", "success", ("success", "success", "failure", "skipped"), 1),
        ("workflow_dispatch", "", ("skipped", "skipped", "skipped", "skipped"), 1),  # branch
    ],
)
def test_report_fails_the_run_when_the_fetch_or_a_job_failed(
    publish: dict[str, Any],
    tmp_path: Path,
    event: str,
    fetch: str,
    results: tuple[str, str, str, str],
    code: int,
) -> None:
    (report,) = steps(publish["jobs"]["report"])
    fetched, commit, build, deploy = results
    env = {"EVENT": event, "FETCH": fetch, "FETCHED": fetched, "COMMIT": commit}
    env |= {"BUILD": build, "DEPLOY": deploy, "CHANGED": "true" if commit != "skipped" else ""}
    got, stdout, _ = run_step(report, env, tmp_path)
    assert got == code
    assert ("::error::" in stdout) == (code != 0)
    assert "fetch / commit / build / deploy" in (tmp_path / "summary").read_text()
