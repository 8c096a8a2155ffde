"""A small runner of one GitHub Actions workflow file, for the dry run (tools/publish_dry.py).

It runs the workflow's own `run:` steps with bash, as a runner would: each job in a
workspace of its own, `${{ }}` expressions evaluated into `env:` and `with:` values (never
into scripts: the workflow passes values through env), GITHUB_OUTPUT read back into step
outputs, `continue-on-error`, job `if:` and step `if:` with `always()`, and jobs in the
order their `needs` give. Steps that `uses:` an action are played by the functions the
caller gives (`Actions`), by the action's name: a checkout is a clone, an artifact is a
folder, a deploy is a record of what would be deployed.

Only what publish.yml uses is understood; anything else is an error, so that an edit of
the workflow the dry run cannot follow fails loudly instead of being skipped.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.DOTALL)
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][\w.-]*(?:\[[^\]]*\])?(?:\.[\w-]+)*)|(?P<num>\d+))"
)


class WorkflowError(Exception):
    """The workflow asks for something this runner does not do."""


@dataclass
class StepResult:
    outcome: str  # success | failure | skipped
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class JobResult:
    result: str  # success | failure | skipped
    outputs: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """What expressions can read: github, inputs, needs, steps, runner."""

    github: dict[str, Any]
    inputs: dict[str, str]
    runner: dict[str, str]
    needs: dict[str, JobResult] = field(default_factory=dict)
    steps: dict[str, StepResult] = field(default_factory=dict)
    job_failed: bool = False

    def lookup(self, name: str) -> Any:
        head, *rest = name.split(".")
        value: Any
        if head == "needs":
            job = self.needs.get(rest[0])
            value = {} if job is None else {"result": job.result, "outputs": job.outputs}
            rest = rest[1:]
        elif head == "steps":
            step = self.steps.get(rest[0])
            value = {} if step is None else {"outcome": step.outcome, "outputs": step.outputs}
            rest = rest[1:]
        else:
            value = {"github": self.github, "inputs": self.inputs, "runner": self.runner}.get(head)
            if value is None:
                raise WorkflowError(f"unknown context {head!r} in an expression")
        for part in rest:
            value = value.get(part, "") if isinstance(value, Mapping) else ""
        return value


Functions = Mapping[str, Callable[..., Any]]


def evaluate(expression: str, ctx: Context, functions: Functions) -> Any:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(expression):
        if expression[pos].isspace():
            pos += 1
            continue
        match = _TOKEN.match(expression, pos)
        if match is None or not match.lastgroup:
            raise WorkflowError(f"cannot read the expression {expression!r} at {pos}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    parser = _Parser(tokens, ctx, functions)
    value = parser.either()
    if parser.pos != len(parser.tokens):
        raise WorkflowError(f"cannot read the expression {expression!r}")
    return value


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], ctx: Context, functions: Functions) -> None:
        self.tokens, self.ctx, self.functions, self.pos = tokens, ctx, functions, 0

    def peek(self) -> str:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def either(self) -> Any:
        value = self.both()
        while self.peek() == "||":
            self.take()
            other = self.both()
            value = value or other
        return value

    def both(self) -> Any:
        value = self.compare()
        while self.peek() == "&&":
            self.take()
            other = self.compare()
            value = value and other
        return value

    def compare(self) -> Any:
        value = self.unary()
        while self.peek() in ("==", "!="):
            op = self.take()[1]
            other = self.unary()
            same = str(value).lower() == str(other).lower()
            value = same if op == "==" else not same
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not self.unary()
        if self.peek() == "(":
            self.take()
            value = self.either()
            self.take()
            return value
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return int(text)
        if self.peek() == "(":
            self.take()
            args = []
            while self.peek() != ")":
                args.append(self.either())
                if self.peek() == ",":
                    self.take()
            self.take()
            if text not in self.functions:
                raise WorkflowError(f"unknown function {text}() in an expression")
            return self.functions[text](*args)
        if text in ("true", "false"):
            return text == "true"
        return self.ctx.lookup(text)


def substitute(text: str, ctx: Context, functions: Functions) -> str:
    """`${{ }}` in a value replaced by what it evaluates to."""

    def one(match: re.Match[str]) -> str:
        value = evaluate(match.group(1), ctx, functions)
        return str(value).lower() if isinstance(value, bool) else str(value)

    return _EXPR.sub(one, text)


def condition(text: object, ctx: Context, functions: Functions) -> bool:
    expression = str(text).strip()
    if expression.startswith("${{"):
        expression = _EXPR.sub(lambda m: m.group(1), expression)
    return bool(evaluate(expression, ctx, functions))


def read_outputs(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT file: `name=value` lines and `name<<MARK` ... `MARK` blocks."""
    out: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, mark = line.split("<<", 1)
            end = lines.index(mark, i + 1)
            out[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        name, _, value = line.partition("=")
        out[name] = value
        i += 1
    return out


def run_script(script: str, cwd: Path, env: dict[str, str], log: Callable[[str], None]) -> int:
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in (done.stdout + done.stderr).splitlines():
        log(f"    {line}")
    return done.returncode


def job_order(jobs: Mapping[str, Any]) -> list[str]:
    """Jobs in an order that runs each after the jobs it needs."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in path:
            raise WorkflowError(f"jobs need each other in a circle: {' -> '.join(path)}")
        needs = jobs[name].get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            visit(need, (*path, name))
        order.append(name)

    for name in jobs:
        visit(name, ())
    return order


def base_env(extra: Mapping[str, str]) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "PYTHONPATH")
    return {**{k: os.environ[k] for k in keep if k in os.environ}, **extra}


# An action played by the caller: (workspace, the step's `with:` values, its env) -> outputs.
Action = Callable[[Path, dict[str, str], dict[str, str]], dict[str, str]]
_STATUS = re.compile(r"\b(always|success|failure|cancelled)\(")


class Runner:
    """Runs a workflow's jobs once, as for one event."""

    def __init__(
        self,
        workflow: Mapping[str, Any],
        *,
        github: dict[str, Any],
        inputs: dict[str, str],
        actions: Mapping[str, Action],
        workdir: Path,
        env: Mapping[str, str],
        log: Callable[[str], None],
    ) -> None:
        self.workflow = workflow
        self.github, self.inputs, self.actions = github, inputs, actions
        self.workdir, self.env, self.log = workdir, dict(env), log
        self.results: dict[str, JobResult] = {}

    def run(self) -> dict[str, JobResult]:
        jobs = self.workflow["jobs"]
        for name in job_order(jobs):
            self.results[name] = self.run_job(name, jobs[name])
            self.log(f"job {name}: {self.results[name].result}")
        return self.results

    def run_job(self, name: str, job: Mapping[str, Any]) -> JobResult:
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else list(needs)
        workspace = self.workdir / "jobs" / name
        temp = self.workdir / "jobs" / f"{name}.temp"
        for folder in (workspace, temp):
            subprocess.run(["rm", "-rf", str(folder)], check=True)
            folder.mkdir(parents=True)
        ctx = Context(
            self.github,
            self.inputs,
            {"temp": str(temp)},
            {n: self.results[n] for n in needs},
        )
        needs_ok = all(self.results[n].result == "success" for n in needs)
        functions = self._functions(ctx, workspace, lambda: needs_ok)
        wanted = job.get("if")
        if wanted is None:
            run = needs_ok
        else:
            run = condition(wanted, ctx, functions)
            run = run and (needs_ok or bool(_STATUS.search(str(wanted))))
        if not run:
            return JobResult("skipped")
        env = {**base_env(self.env), "RUNNER_TEMP": str(temp)}
        env.update(self._values(self.workflow.get("env", {}), ctx, functions))
        env.update(self._values(job.get("env", {}), ctx, functions))
        for index, step in enumerate(job.get("steps", [])):
            step_id = step.get("id") or f"_step{index}"
            ctx.steps[step_id] = self.run_step(step, workspace, env, ctx, functions)
        outputs = self._values(job.get("outputs", {}), ctx, functions)
        return JobResult("failure" if ctx.job_failed else "success", outputs)

    def run_step(
        self,
        step: Mapping[str, Any],
        workspace: Path,
        job_env: dict[str, str],
        ctx: Context,
        functions: Functions,
    ) -> StepResult:
        title = step.get("name") or step.get("uses") or "run"
        wanted = step.get("if")
        run = not ctx.job_failed
        if wanted is not None:
            run = condition(wanted, ctx, functions) and (run or bool(_STATUS.search(str(wanted))))
        if not run:
            self.log(f"  skip: {title}")
            return StepResult("skipped")
        self.log(f"  step: {title}")
        env = {**job_env, **self._values(step.get("env", {}), ctx, functions)}
        if "run" in step:
            output = ctx.runner["temp"] + "/output"
            Path(output).write_text("", encoding="utf-8")
            env |= {"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": ctx.runner["temp"] + "/summary"}
            code = run_script(str(step["run"]), workspace, env, self.log)
            result = StepResult("success" if code == 0 else "failure", read_outputs(Path(output)))
        else:
            action = str(step["uses"]).split("@")[0]
            if action not in self.actions:
                raise WorkflowError(f"the dry run does not know how to play {action}")
            values = self._values(step.get("with", {}), ctx, functions)
            try:
                result = StepResult("success", self.actions[action](workspace, values, env))
            except (OSError, subprocess.CalledProcessError, WorkflowError) as exc:
                self.log(f"    {action} failed: {exc}")
                result = StepResult("failure")
        if result.outcome == "failure" and not step.get("continue-on-error"):
            ctx.job_failed = True
        return result

    def _values(
        self, values: Mapping[str, Any], ctx: Context, functions: Functions
    ) -> dict[str, str]:
        return {str(k): substitute(str(v), ctx, functions) for k, v in values.items()}

    def _functions(
        self, ctx: Context, workspace: Path, needs_ok: Callable[[], bool]
    ) -> dict[str, Callable[..., Any]]:
        return {
            "always": lambda: True,
            "success": lambda: needs_ok() and not ctx.job_failed,
            "failure": lambda: ctx.job_failed,
            "cancelled": lambda: False,
            "hashFiles": lambda *patterns: hash_files(workspace, patterns),
        }


def hash_files(workspace: Path, patterns: tuple[str, ...]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(workspace.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()
