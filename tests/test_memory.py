"""The garbage collector held off while a build makes what it keeps, and given back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from generator.memory import collector_held


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_the_collector_is_off_in_the_block_and_back_after(collector: None) -> None:
    gc.enable()
    with collector_held():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_comes_back_after_an_error(collector: None) -> None:
    gc.enable()
    with pytest.raises(KeyError), collector_held():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off(collector: None) -> None:
    """Nested in another hold (or a caller's own gc.disable), the block must not turn
    the collector on under it."""
    gc.disable()
    with collector_held():
        assert not gc.isenabled()
    assert not gc.isenabled()
