"""Benchmark 'briefs': how fast an event's brief reaches a reader (issue 11, item 6: the event
page and `storyline event ID` within 200 ms, warm or cold, for any event up to 500 articles).

On a store given with --db: the largest events and a seeded sample of the others. Each is asked
for three ways:
- the event page and the event API of a real `storyline serve` on loopback, started for the run.
  Cold is an event's first request to the fresh server (nothing of it cached in the process);
  warm is the same request again (`--repeat` times);
- `storyline event ID` (Markdown, the default output) in a new process each time: its first run
  for an event is cold, the repeats warm (the OS file cache is not dropped: the machine is shared).

Figures: p50, p95 and max wall ms per way and state, and CPU ms per request (the server's CPU
from /proc around each phase; the command's from its rusage), which a loaded machine does not
inflate. The goal is met when every max is within GOAL_MS.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from storyline.errors import CommandError
from storyline.store import EventFilter, open_store

HELP = ("event page, event API and `storyline event ID`: ms cold and warm on a store's largest "
        "events and a sample of others (issue 11 latency goal)")
GOAL_MS = 200.0
SERVER_START_SECONDS = 120.0
REQUEST_SECONDS = 120.0
KINDS = ("event_page", "event_api", "cli_event")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--largest", type=int, default=5, metavar="N",
                        help="time the N largest events (default 5)")
    parser.add_argument("--sample", type=int, default=20, metavar="N",
                        help="and N other events drawn at random (default 20)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="warm requests and commands per event (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sample (default 1)")


def run(data: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    db = args.db or os.environ.get("STORYLINE_DB") or "storyline.db"
    if not Path(db).exists():
        raise CommandError(f"no store at {db} (give one with --db)")
    events, store_figures = _chosen_events(db, args.largest, args.sample, args.seed)
    if not events:
        raise CommandError(f"the store {db} holds no events")
    timings: dict[str, dict[str, list[float]]] = {k: {"cold": [], "warm": []} for k in KINDS}
    cpu: dict[str, dict[str, float]] = {k: {"cold": 0.0, "warm": 0.0} for k in KINDS}
    _time_server(db, [e["id"] for e in events], args.repeat, timings, cpu)
    _time_command(db, [e["id"] for e in events], args.repeat, timings, cpu)
    kinds = {
        kind: {state: _figures(values, cpu[kind][state]) for state, values in states.items()}
        for kind, states in timings.items()
    }
    worst = max(f["max_ms"] for states in kinds.values() for f in states.values())
    return {
        **store_figures,
        "events_timed": len(events),
        "sizes_timed": sorted((e["articles"] for e in events), reverse=True),
        "repeat": args.repeat,
        "kinds": kinds,
        "goal_ms": GOAL_MS,
        "worst_ms": worst,
        "met": worst <= GOAL_MS,
    }


def _chosen_events(db: str, largest: int, sample: int, seed: int
                   ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    with open_store(db) as store:
        biggest, total, _ = store.find_events(EventFilter(), order="size", limit=largest)
        chosen = {e.id for e in biggest}
        others = sorted(e.id for e in store.list_events() if e.id not in chosen)
        drawn = random.Random(seed).sample(others, min(sample, len(others)))
        events = [*biggest, *store.get_events(drawn)]
        figures = {
            "store_articles": store.count_articles(),
            "store_events": total,
            "largest_event_articles": len(biggest[0].members) if biggest else 0,
        }
    return [{"id": e.id, "articles": len(e.members)} for e in events], figures


def _time_server(db: str, event_ids: list[str], repeat: int,
                 timings: dict[str, dict[str, list[float]]],
                 cpu: dict[str, dict[str, float]]) -> None:
    import httpx

    from storyline.server_process import free_port, start_server, stop_process

    port = free_port()
    # No answer budget: the bench times cold briefs, which a budget would turn into 503s.
    server = start_server(db, port, timeout=SERVER_START_SECONDS,
                          extra_args=("--answer-seconds", str(REQUEST_SECONDS)))
    base = f"http://127.0.0.1:{port}"
    paths = {"event_page": "/events/{}", "event_api": "/api/events/{}"}
    try:
        with httpx.Client(base_url=base, timeout=REQUEST_SECONDS) as client:
            for state, rounds in (("cold", 1), ("warm", repeat)):
                for kind, path in paths.items():
                    before = _process_cpu_seconds(server.pid)
                    for _ in range(rounds):
                        for event_id in event_ids:
                            started = time.perf_counter()
                            response = client.get(path.format(event_id))
                            elapsed = time.perf_counter() - started
                            response.raise_for_status()
                            timings[kind][state].append(elapsed * 1000)
                    cpu[kind][state] = _process_cpu_seconds(server.pid) - before
    finally:
        stop_process(server)


def _time_command(db: str, event_ids: list[str], repeat: int,
                  timings: dict[str, dict[str, list[float]]],
                  cpu: dict[str, dict[str, float]]) -> None:
    command = [sys.executable, "-m", "storyline.cli", "--db", db, "event"]
    for event_id in event_ids:
        for run_number in range(repeat + 1):
            state = "cold" if run_number == 0 else "warm"
            before = _children_cpu_seconds()
            started = time.perf_counter()
            result = subprocess.run([*command, event_id], capture_output=True, check=False,
                                    timeout=REQUEST_SECONDS)
            elapsed = time.perf_counter() - started
            if result.returncode != 0 or not result.stdout:
                raise CommandError(f"storyline event {event_id} failed: "
                                   f"{result.stderr.decode(errors='replace')[-300:]}")
            timings["cli_event"][state].append(elapsed * 1000)
            cpu["cli_event"][state] += _children_cpu_seconds() - before


def _process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _figures(milliseconds: list[float], cpu_seconds: float) -> dict[str, Any]:
    from storyline.api.loadtest import percentile  # here: it imports httpx and asyncio

    ordered = sorted(milliseconds)
    return {
        "n": len(ordered),
        "p50_ms": round(percentile(ordered, 0.5), 1),
        "p95_ms": round(percentile(ordered, 0.95), 1),
        "max_ms": round(ordered[-1], 1) if ordered else 0.0,
        "cpu_ms_per_request": round(1000 * cpu_seconds / len(ordered), 1) if ordered else 0.0,
    }


def format_text(result: dict[str, Any]) -> str:
    sizes = result["sizes_timed"]
    store = (f"{result['store_articles']} articles, {result['store_events']} events, the largest "
             f"of {result['largest_event_articles']} articles")
    timed = f"{result['events_timed']} ({sizes[-1]}..{sizes[0]} articles; {result['repeat']} warm runs each)"
    lines = [f"store         {store}", f"events timed  {timed}",
             f"{'kind':<12} {'state':<5} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'CPU ms/req':>10}"]
    for kind, states in result["kinds"].items():
        for state, f in states.items():
            lines.append(f"{kind:<12} {state:<5} {f['n']:>4} {f['p50_ms']:>8} {f['p95_ms']:>8}"
                         f" {f['max_ms']:>8} {f['cpu_ms_per_request']:>10}")
    verdict = "met" if result["met"] else "NOT met"
    lines.append(f"goal          every request within {result['goal_ms']:.0f} ms: {verdict}"
                 f" (worst {result['worst_ms']} ms)")
    return "\n".join(lines)
