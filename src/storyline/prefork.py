"""`storyline serve --workers N`: one listening socket, N forked worker processes each serving its
own copy of the app, and a parent that restarts a worker that dies and stops them all on SIGTERM
or SIGINT.

Why processes: one Python process computes on one core at most. Its event loop (reading
requests, replaying kept answers, writing them out) shares the interpreter with the threads
making pages, timelines and searches, so while the store changes under an ingest and pages are
made again, a cached page waits for the interpreter. Workers split that work, and the kernel
hands each new connection to a worker that is waiting for one, so a busy worker takes fewer.

Measured (docs/benchmarks.md, "Worker processes"): beside an ingest that changes the store
several times a second, two workers did worse than one, as each remade its own kept pages and
timelines after every change; `serve` defaults to one. A cache shared by the workers is what
would let them win there.

What the workers share is made before the fork (see `server.app_factory`); everything else (store
connections, caches, threads, the event loop) is made by each worker after it, as SQLite
connections and threads do not survive a fork. Modules are imported once, before the fork, so a
worker starts in a fraction of a second of CPU (it prints what it cost)."""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

# A worker that dies sooner than this after its start counts as failing to start; after this many
# in a row the server stops instead of forking them forever.
QUICK_DEATH_SECONDS = 10.0
QUICK_DEATHS_ALLOWED = 3
# Connections waiting to be accepted (uvicorn's default).
BACKLOG = 2048
# How long a stopping worker may take to finish its answers before it is killed.
STOP_GRACE_SECONDS = 10.0


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host.strip("[]"), port), family=family, backlog=BACKLOG)
    sock.set_inheritable(True)
    return sock


def serve_workers(build_app: Callable[[], ASGIApp], sock: socket.socket, workers: int,
                  log_level: str = "warning") -> int:
    """Serve `build_app()` from `workers` forked processes accepting on `sock` until SIGTERM or
    SIGINT. Returns the exit status: 1 when workers kept dying at start."""
    children: dict[int, float] = {}  # pid -> when it started
    stopping = False
    quick_deaths = 0

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid, signal.SIGTERM)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(workers):
            children[_fork_worker(build_app, sock, log_level)] = time.monotonic()
        while children:
            pid, status = _wait_child(children, stopping)
            started = children.pop(pid)
            if stopping:
                continue
            quick_deaths = quick_deaths + 1 if time.monotonic() - started < QUICK_DEATH_SECONDS else 0
            print(f"storyline: worker {pid} exited ({_describe(status)})", file=sys.stderr)
            if quick_deaths >= QUICK_DEATHS_ALLOWED:
                print("storyline: workers keep dying at start; stopping", file=sys.stderr)
                stop(signal.SIGTERM, None)
                continue
            children[_fork_worker(build_app, sock, log_level)] = time.monotonic()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if quick_deaths < QUICK_DEATHS_ALLOWED else 1


def _fork_worker(build_app: Callable[[], ASGIApp], sock: socket.socket, log_level: str) -> int:
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL)  # uvicorn installs its own while serving
        app = build_app()
        # A forked process's CPU times start at zero: this is what the worker cost to start.
        print(f"storyline: worker {os.getpid()} ready ({time.process_time():.2f} CPU s)",
              file=sys.stderr)
        uvicorn.Server(uvicorn.Config(app, log_level=log_level)).run(sockets=[sock])
        status = 0
    except BaseException as error:  # noqa: BLE001 - a worker never returns into the parent's code
        print(f"storyline: worker {os.getpid()} failed: {error!r}", file=sys.stderr)
    finally:
        sys.stderr.flush()
        os._exit(status)


def _wait_child(children: dict[int, float], stopping: bool) -> tuple[int, int]:
    """The next child to exit; once stopping, children still running after the grace period are
    killed."""
    if not stopping:
        return os.wait()
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    while time.monotonic() < deadline:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            return pid, status
        time.sleep(0.05)
    for pid in children:
        _signal(pid, signal.SIGKILL)
    return os.wait()


def _signal(pid: int, number: int) -> None:
    try:
        os.kill(pid, number)
    except ProcessLookupError:
        pass  # exited already; collected by the wait


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"status {os.waitstatus_to_exitcode(status)}"
