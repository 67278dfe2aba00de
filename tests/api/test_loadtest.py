"""The load test is bounded to loopback and reports latency percentiles."""

from __future__ import annotations

import pytest

from storyline.api.loadtest import check_bounds, percentile, run_load


def test_short_fixed_rate_run_has_no_errors(served) -> None:
    result = run_load(served["url"], ["/events/ev-bridge", "/events/ev-reopen"], rate=20,
                      seconds=2)
    assert result.requests == 40
    assert result.errors == 0
    assert 0 < result.p50_ms <= result.p90_ms <= result.p99_ms <= result.max_ms


@pytest.mark.parametrize(("url", "rate", "seconds"), [
    ("http://example.com", 10, 1),
    ("http://10.0.0.1:8000", 10, 1),
    ("http://127.0.0.1:8000", 0, 1),
    ("http://127.0.0.1:8000", 10, 1000),
])
def test_bounds_refuse_remote_hosts_and_runaway_runs(url: str, rate: int, seconds: float) -> None:
    with pytest.raises(ValueError):
        check_bounds(url, rate, seconds)


def test_percentile_picks_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([], 0.5) == 0.0
