"""A `storyline serve` child process for the commands and benchmarks that measure a running
server (`storyline loadtest` without `--url`, `bench briefs`, `bench scale`), outside the CLI package so that
the benchmarks need not import the CLI that lists them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from storyline.errors import CommandError


def stop_process(process: subprocess.Popen, grace: float = 10) -> int:
    """SIGTERM, then SIGKILL if the child (a server draining connections, a watcher finishing its
    batch) is still running after `grace` s; its exit code."""
    process.terminate()
    try:
        return process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(
    db: str | None, port: int, timeout: float = 60, extra_args: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Start `storyline serve` in a child process and wait until it answers."""
    import httpx  # imported here: it costs a quarter second at every `storyline` start

    command = [sys.executable, "-m", "storyline.cli", "serve", "--port", str(port), *extra_args]
    if db:
        command[3:3] = ["--db", db]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, stderr = process.communicate()
            raise CommandError(f"server exited: {stderr.decode()[-500:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise CommandError("server did not start in time")
