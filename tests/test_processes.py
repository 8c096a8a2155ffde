"""Work beside the build in a forked process: its result, its errors and its death reach the
caller as if the work had run in the caller, and nothing forks where a fork is unsafe."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from generator import processes
from generator.errors import RecordError
from generator.processes import Beside, WorkerError


def test_the_work_runs_in_another_process_and_its_result_comes_back(forking: None) -> None:
    shared = {"papers": list(range(1000))}  # seen by the child as it was at the fork
    work = Beside(lambda: (os.getpid(), sum(shared["papers"])))
    pid, total = work.result()
    assert pid != os.getpid()
    assert total == 499500


def test_an_error_that_pickles_is_raised_as_itself(forking: None) -> None:
    def fails() -> None:
        raise FileNotFoundError(2, "No such file or directory", "/nowhere/tree")

    with pytest.raises(FileNotFoundError) as caught:
        Beside(fails).result()
    assert caught.value.filename == "/nowhere/tree"


def test_an_error_that_cannot_cross_still_names_file_paper_and_field(forking: None) -> None:
    """RecordError does not survive pickling (its fields are not its args): the parent
    gets its type and whole message."""

    def fails() -> None:
        raise RecordError("data/papers/2026/01/02.yaml", "2601.00001", "title", "is empty")

    expected = "RecordError: data/papers/2026/01/02.yaml: paper 2601.00001: field title: is empty"
    with pytest.raises(WorkerError, match=expected):
        Beside(fails).result()


class _Unpicklable(Exception):
    def __init__(self, count: int, why: str) -> None:
        super().__init__(f"{count} trees: {why}")


def test_an_error_that_cannot_cross_says_its_type_and_message(forking: None) -> None:
    def fails() -> None:
        raise _Unpicklable(3, "disk full")

    with pytest.raises(WorkerError, match=r"_Unpicklable: 3 trees: disk full"):
        Beside(fails, "the search index").result()


def test_a_worker_that_dies_is_an_error_with_its_exit_code(forking: None) -> None:
    with pytest.raises(WorkerError, match=r"the search index: .*without a result.*exit code 3"):
        Beside(lambda: os._exit(3), "the search index").result()


def test_stop_ends_a_worker_that_is_still_running(forking: None) -> None:
    work = Beside(lambda: threading.Event().wait(60))
    process = work._process
    work.stop()
    assert not process.is_alive()


@pytest.fixture
def other_thread() -> Iterator[None]:
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    yield
    done.set()
    thread.join()


def test_no_fork_while_another_thread_runs(other_thread: None) -> None:
    """A thread may hold a lock the child would wait on for ever: the work runs here."""
    assert processes.fork_context() is None
    assert Beside(os.getpid).result() == os.getpid()


def test_work_run_here_raises_its_error_at_result(other_thread: None) -> None:
    def fails() -> None:
        raise ValueError("bad segment")

    work = Beside(fails)  # run at once, here: the error waits for result()
    with pytest.raises(ValueError, match="bad segment"):
        work.result()
