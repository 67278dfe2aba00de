"""Freed heap memory goes back to the operating system (what keeps `storyline watch` flat)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.memory import _malloc_trim, release_free_memory


def resident_kib() -> int:
    status = Path("/proc/self/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS:"))


@pytest.mark.skipif(_malloc_trim() is None, reason="needs glibc's malloc_trim")
def test_freed_blocks_below_a_live_one_are_returned() -> None:
    # 2 KB blocks come from malloc's heap (not Python's small-object arenas, not mmap); the last
    # one stays alive, so the heap's top cannot shrink by itself when the others are freed.
    blocks = [bytes(2048) for _ in range(60_000)]
    kept = blocks[-1]
    del blocks
    holding = resident_kib()
    assert release_free_memory()
    assert holding - resident_kib() > 50 * 1024  # of the ~120 MB freed
    assert len(kept) == 2048
