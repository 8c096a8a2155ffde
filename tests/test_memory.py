"""The garbage collector held off while a build makes what it keeps, and given back after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from generator.memory import collector_held, kept_for_good


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


def test_what_the_block_made_can_be_frozen_before_the_collector_comes_back(
    collector: None,
) -> None:
    """Frozen, the objects a block made are not walked by the collector's next pass (a
    loaded archive), and a kept_for_good block around it unfreezes them when it ends."""
    gc.enable()
    with kept_for_good():
        before = gc.get_freeze_count()
        with collector_held(freeze=True):
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() - before >= len(made)
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0
