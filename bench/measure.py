"""Run one stage in a child process and measure it: wall time, CPU time and peak memory.

Peak memory is measured two ways, both from the kernel, without psutil:
- `peak_rss_mb`: the largest resident set of any one process of the stage (wait4's
  ru_maxrss, which covers the child and every descendant it waited for);
- `peak_tree_mb`: the largest sum of resident sets of the whole process tree at one
  moment (polled from /proc every 20 ms), which is what the machine must hold when
  several processes (worker processes, or the peers' Pagefind) run at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
POLL_SECONDS = 0.02


@dataclass
class Measured:
    seconds: float
    peak_rss_mb: float
    peak_tree_mb: float
    output: dict[str, Any] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # user + system, the process and the children it waited for


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and brackets: the fields follow the last ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    tree = _children()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack.extend(tree.get(pid, []))
    return total


class _Poller(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))
            self.done.wait(POLL_SECONDS)


def run(
    argv: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 3600,
) -> Measured:
    """Run `argv`; its last stdout line, if JSON, is returned as `output`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    poller = _Poller(process.pid)
    poller.start()
    streams: dict[str, str] = {}

    def read(name: str, stream: Any) -> None:
        streams[name] = stream.read()

    readers = [
        threading.Thread(target=read, args=("out", process.stdout), daemon=True),
        threading.Thread(target=read, args=("err", process.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    # wait4 reaps the child and reports its (and its waited-for descendants') peak RSS.
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    poller.done.set()
    poller.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(timeout)
    stdout, stderr = streams.get("out", ""), streams.get("err", "")
    if process.returncode != 0:
        raise RuntimeError(
            f"{' '.join(argv)} failed ({process.returncode}):\n{stderr[-3000:]}\n{stdout[-2000:]}"
        )
    lines = [line for line in stdout.splitlines() if line.strip()]
    output: dict[str, Any] = {}
    if lines and lines[-1].startswith("{"):
        output = json.loads(lines[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return Measured(seconds, usage.ru_maxrss / 1024, poller.peak_kb / 1024, output, cpu)


def python(*args: str, **kwargs: Any) -> Measured:
    """Run `python -m ...` (or any arguments) with this interpreter, the repo importable."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    env.update(kwargs.pop("extra_env", {}))
    return run([sys.executable, *args], env=env, **kwargs)


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def _cpu_times() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]  # all, idle + iowait


def busy_cores(seconds: float = 2.0) -> float:
    """How many cores something is using right now (sampled over `seconds`)."""
    try:
        total0, idle0 = _cpu_times()
        time.sleep(seconds)
        total1, idle1 = _cpu_times()
    except (OSError, ValueError, IndexError):
        return 0.0
    share = 1 - (idle1 - idle0) / max(1, total1 - total0)
    return share * (os.cpu_count() or 1)


def wait_for_quiet(limit: float = 180.0, cores: float = 0.3) -> float:
    """Wait (up to `limit` s) until other work uses under `cores` cores: this machine is
    shared, and a timing taken beside someone's test run measures that run too. Returns
    the busy cores when the wait ended."""
    deadline = time.monotonic() + limit
    busy = busy_cores()
    while busy > cores and time.monotonic() < deadline:
        busy = busy_cores()
    return busy


def load_average() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")
