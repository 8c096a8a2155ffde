"""The process's memory: given back to the system after a big transient step, and the
garbage collector kept from walking what a build keeps."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Iterator
from contextlib import contextmanager


def give_back_memory() -> None:
    """Return the memory freed after a big transient step to the system (glibc keeps it
    otherwise): a cold load of 30,000 papers leaves 75 MB that only this frees, and the
    build must fit in 1 GB (bench/)."""
    gc.collect()
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: nothing to give back this way
        return
    if trim is not None:
        trim(0)


@contextmanager
def kept_for_good() -> Iterator[None]:
    """The objects made so far live until the block ends (a loaded archive): the garbage
    collector passes over them meanwhile (gc.freeze), so a collection in the block costs
    what the block made, not the archive's millions of objects."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def collector_held(*, freeze: bool = False) -> Iterator[None]:
    """No garbage collection while the block runs: for a block that makes millions of
    objects and no cycles (the archive read back, the related papers' memo), where each
    pass of the collector walks all made so far and finds nothing to free: they were 40%
    of reading 100,000 papers back (bench/VERSUS-32.md). What the block leaves in cycles
    waits for the next pass.

    With `freeze`, what the block made is frozen (gc.freeze) before the collector comes
    back, whose first pass would otherwise walk all of it once: for objects that live on,
    inside a `kept_for_good` block, which unfreezes them when it ends."""
    held = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if held:
            gc.enable()
