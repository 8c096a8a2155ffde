"""Work done in forked processes, to use a second core for work that shares nothing with
the caller's but what it has already read: the archive is not copied or pickled, the
child sees it as it was at the fork."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext
from typing import Generic, TypeVar

from generator.errors import AlmanacError

T = TypeVar("T")


def fork_context() -> ForkContext | None:
    """Forked processes, if this platform has them and a fork is safe: a spawned worker
    would re-run the caller's main module first, and a process that runs other threads
    (a preview's server) may hold locks the child would wait on for ever."""
    if (os.cpu_count() or 1) < 2 or _threads_running() > 1:
        return None
    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None


def _threads_running() -> int:
    return threading.active_count()


class WorkerError(AlmanacError):
    """A forked worker failed in a way its own error cannot say across processes."""


class Beside(Generic[T]):
    """`work` run while the caller goes on: in a forked process where `fork_context` allows
    one, or else at once, here. `result()` gives what it returned or raises what it
    raised, either way."""

    def __init__(
        self, work: Callable[[], T], what: str = "a worker", *, apart: bool = True
    ) -> None:
        """`apart`: whether the work is worth a second process at all."""
        self.what = what
        self._done: tuple[T] | None = None
        self._error: BaseException | None = None
        self._receive: Connection | None = None
        context = fork_context() if apart else None
        if context is None:
            self._run_here(work)
            return
        for stream in (sys.stdout, sys.stderr):  # the child must not print them again
            stream.flush()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(work, send), daemon=True)
        self._process.start()
        send.close()  # the child's end: closed here, so a child that dies is an end of file

    def _run_here(self, work: Callable[[], T]) -> None:
        try:
            self._done = (work(),)
        except Exception as exc:  # raised by result(), where the caller waits for it
            self._error = exc

    def result(self) -> T:
        if self._receive is not None:
            self._collect(self._receive)
        if self._done is None:
            raise self._error or WorkerError(f"{self.what}: no result")
        return self._done[0]

    def stop(self) -> None:
        """End the worker without its result (the caller failed first)."""
        if self._receive is not None:
            self._process.kill()
            self._process.join()
            self._receive.close()
            self._receive = None

    def _collect(self, receive: Connection) -> None:
        try:
            outcome = receive.recv()
        except EOFError:
            outcome = (
                "failed",
                f"{self.what}: its worker process ended without a result",
            )
        finally:
            receive.close()
            self._receive = None
            self._process.join()
        if outcome[0] == "done":
            self._done = (outcome[1],)
        elif outcome[0] == "raised":
            self._error = outcome[1]
        else:
            code = self._process.exitcode
            self._error = WorkerError(f"{outcome[1]} (exit code {code})")


def _child(work: Callable[[], object], send: Connection) -> None:
    try:
        outcome: tuple[str, object] = ("done", work())
    except Exception as exc:
        outcome = _portable(exc)
    try:
        send.send(outcome)
    except Exception as exc:  # a result that cannot be pickled: a bug, said plainly
        send.send(("failed", f"its result could not be sent back: {exc}"))
    send.close()


def _portable(exc: Exception) -> tuple[str, object]:
    """The error as the parent can raise it: itself when it survives pickling (its type,
    message and fields), else its type, message and where it was raised, as text."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 (its own bytes, just made)
    except Exception:
        where = "".join(traceback.format_exception(exc)[-3:]).strip()
        return ("failed", f"{type(exc).__name__}: {exc} [{where}]")
    return ("raised", exc)
