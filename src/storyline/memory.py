"""Handing freed heap memory back to the operating system.

glibc's malloc keeps what a process frees for its next allocations and returns only the top of
the heap: a long-running process (`storyline watch`) whose event updates each allocate and free
a working set of many small blocks keeps the free holes resident (a soak watcher under
tracemalloc held 161 MB of free heap in 780 MB of RSS). `malloc_trim` gives those free pages
back (a 10-minute soak: 375.7 MB once warm instead of 418.6; the peak, during an update, stays:
docs/benchmarks.md); on other C libraries this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # no glibc (musl has no malloc_trim)
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the free pages of the heap to the operating system (a few milliseconds); whether
    any were returned."""
    trim = _malloc_trim()
    return bool(trim is not None and trim(0))
