"""Run the almanac CLI in a child process that a test can stop at a chosen point.

    python tests/hardening/child.py HOOK ALMANAC-ARGS...

HOOK is one of:
  none          run normally
  stage:N       while writing the N-th temporary day file, after half its bytes: pause
  rename:N      just before the N-th rename of a temporary file over a day file: pause
  renamed:N     just after the N-th rename: pause
  slow:S        say WRITING when the first day file is written; then take S s more for
                each temporary file and each rename (a wider window to kill in)
  hold:S        inside the archive lock, after reading the archive: say LOCKED, sleep S s
  lockwait:S    give up waiting for the archive lock after S seconds
A pausing child prints PAUSED on stdout and sleeps until the test kills it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from generator.archive import commands as pipeline
from generator.archive import store
from generator.cli import main


def pause() -> None:
    print("PAUSED", flush=True)
    time.sleep(3600)


class _HalfThenPause:
    """A file handle that writes half of what it is given, flushes, and pauses."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        pause()
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> _HalfThenPause:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def slow_writes(seconds: float) -> None:
    real_fdopen, real_replace, told = os.fdopen, Path.replace, [False]

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        if not told[0]:
            print("WRITING", flush=True)
            told[0] = True
        time.sleep(seconds)
        return real_fdopen(fd, *args, **kwargs)

    def replace(self: Path, target: Any) -> Path:
        time.sleep(seconds)
        return real_replace(self, target)

    os.fdopen = fdopen  # type: ignore[assignment]
    Path.replace = replace  # type: ignore[method-assign]


def install(hook: str) -> None:
    name, _, arg = hook.partition(":")
    if name == "stage":
        real_fdopen, count = os.fdopen, [0]

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            handle = real_fdopen(fd, *args, **kwargs)
            return _HalfThenPause(handle) if count[0] == int(arg) else handle

        os.fdopen = fdopen  # type: ignore[assignment]
    elif name in ("rename", "renamed"):
        real_replace, count = Path.replace, [0]

        def replace(self: Path, target: Any) -> Path:
            count[0] += 1
            if name == "rename" and count[0] == int(arg):
                pause()
            done = real_replace(self, target)
            if name == "renamed" and count[0] == int(arg):
                pause()
            return done

        Path.replace = replace  # type: ignore[method-assign]
    elif name == "slow":
        slow_writes(float(arg))
    elif name == "hold":
        real_merge = pipeline.merge_all

        def slow_merge(*args: Any, **kwargs: Any) -> Any:
            print("LOCKED", flush=True)
            time.sleep(float(arg))
            return real_merge(*args, **kwargs)

        pipeline.merge_all = slow_merge  # type: ignore[assignment]
    elif name == "lockwait":
        store.LOCK_WAIT_SECONDS = float(arg)
    elif name != "none":
        raise SystemExit(f"unknown hook {hook!r}")


if __name__ == "__main__":
    install(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
