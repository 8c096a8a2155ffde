"""The process's memory, given back to the system after a big transient step."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


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
