"""`storyline serve` (REST API + web UI) and `storyline loadtest` (bounded, loopback only)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from storyline.cli.common import CommandError, pipeline_config, print_json, run_safely, store_from
from storyline.server_process import free_port, start_server, stop_process

if TYPE_CHECKING:
    from storyline.api.loadtest import MixResult

# Worker processes of `serve`. One: with an ingest changing the store, each worker remade its own
# kept pages and timelines, and two did twice the work of one for less goodput (docs/benchmarks.md,
# "Worker processes").
DEFAULT_WORKERS = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser("serve", help="serve the REST API and the web UI")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--ingest-dir", default=None,
        help="allow POST /api/ingest to read server-side paths inside this folder only",
    )
    serve.add_argument(
        "--allow-host", action="append", default=[], metavar="NAME",
        help="a DNS name clients may use for this server (repeatable); IP addresses, localhost "
             "and the machine's name are always accepted, other names refused (DNS rebinding)",
    )
    serve.add_argument(
        "--token", default=None,
        help="ingest needs 'Authorization: Bearer TOKEN' (default $STORYLINE_TOKEN); required "
             "when --host is not a loopback address",
    )
    serve.add_argument("--ingests-per-minute", type=float, default=60, metavar="N",
                       help="ingest requests per minute per client, after a burst (default 60)")
    serve.add_argument("--ingest-burst", type=int, default=30, metavar="N",
                       help="ingest requests a client may send at once (default 30)")
    serve.add_argument("--max-request-mb", type=float, default=20, metavar="MB",
                       help="largest request body, uploads included (default 20)")
    serve.add_argument("--compute-workers", type=int, default=1, metavar="N",
                       help="timelines, searches and cold briefs computed at once; more get a "
                            "503 with Retry-After (default 1)")
    serve.add_argument("--concurrency", type=int, default=4, metavar="N",
                       help="other requests handled at once; more wait up to 1 s, then get a "
                            "503 with Retry-After (default 4)")
    serve.add_argument("--workers", type=int, default=DEFAULT_WORKERS, metavar="N",
                       help="worker processes answering requests, each with its own caches "
                            f"(default {DEFAULT_WORKERS}; see docs/benchmarks.md)")
    serve.add_argument("--answer-seconds", type=float, default=None, metavar="S",
                       help="a page or API answer not made within S seconds is answered with "
                            "its previous version (marked X-Storyline-Stale) or a 503 with "
                            "Retry-After, and made on for the next request (default "
                            "$STORYLINE_ANSWER_SECONDS, else 1.5)")
    serve.set_defaults(func=run_safely(serve_command))

    load = subparsers.add_parser(
        "loadtest", help="fixed-rate load test on loopback; prints latency percentiles",
        description="Request the event pages (or with --mix, a visitor's mix of pages, APIs, "
        "searches and timelines) at a fixed rate (open loop) for --seconds, then wait at most "
        "10 s for the last answers; requests still unanswered count as timed out. Exit 1 when "
        "any request failed or went unanswered (a 503 with Retry-After is shed, not failed).",
    )
    load.add_argument("--url", default=None, help="server to test (default: start one on --db)")
    load.add_argument("--rps", type=int, default=100, help="requests per second (default 100)")
    load.add_argument("--seconds", type=float, default=30, help="duration (default 30)")
    load.add_argument("--json", action="store_true", help="print the figures as JSON")
    load.add_argument("--mix", action="store_true",
                      help="the realistic mix: home, filtered lists, event pages and API, article "
                           "pages, search page and API, timeline page and API; figures per kind")
    load.add_argument("--no-warm", action="store_true",
                      help="with --mix: skip the unmeasured first request per path (a server "
                           "already warmed, or to measure a cold one)")
    load.set_defaults(func=run_safely(loadtest_command))


def serve_command(args: argparse.Namespace) -> int:
    import uvicorn

    from storyline.api.guard import is_loopback
    from storyline.prefork import listening_socket, serve_workers
    from storyline.server import ANSWER_SECONDS, SWITCH_INTERVAL_SECONDS, app_factory

    db = args.db or os.environ.get("STORYLINE_DB") or "storyline.db"
    token = args.token or os.environ.get("STORYLINE_TOKEN") or None
    if token is None and not is_loopback(args.host):
        raise CommandError(
            f"refusing to serve on {args.host} without a token: anyone who reaches it could "
            "ingest; pass --token TOKEN or set STORYLINE_TOKEN"
        )
    answer_seconds = args.answer_seconds
    if answer_seconds is None:
        try:
            answer_seconds = float(os.environ.get("STORYLINE_ANSWER_SECONDS", ANSWER_SECONDS))
        except ValueError:
            raise CommandError("$STORYLINE_ANSWER_SECONDS must be a number of seconds") from None
    if (args.ingests_per_minute <= 0 or args.ingest_burst < 1 or args.max_request_mb <= 0
            or args.compute_workers < 1 or args.concurrency < 1 or args.workers < 1
            or not 0 < answer_seconds < float("inf")):
        raise CommandError("--ingests-per-minute, --ingest-burst, --max-request-mb, "
                           "--compute-workers, --concurrency, --workers and --answer-seconds "
                           "must be positive")
    build_app = app_factory(
        db, ingest_dir=args.ingest_dir, bind_host=args.host, allowed_hosts=args.allow_host,
        token=token, ingests_per_minute=args.ingests_per_minute, ingest_burst=args.ingest_burst,
        max_request_bytes=int(args.max_request_mb * 1024 * 1024),
        compute_workers=args.compute_workers, concurrency=args.concurrency,
        config=pipeline_config(args), answer_seconds=answer_seconds)
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    if args.workers == 1:
        print(f"storyline: serving {db} at http://{args.host}:{args.port}/", file=sys.stderr)
        uvicorn.run(build_app(), host=args.host, port=args.port, log_level="warning")
        return 0
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {error.strerror}") from None
    print(f"storyline: serving {db} at http://{args.host}:{args.port}/ from {args.workers} "
          "worker processes", file=sys.stderr)
    with sock:
        return serve_workers(build_app, sock, args.workers)


def loadtest_command(args: argparse.Namespace) -> int:
    from storyline.api.loadtest import LoadResult, mix_plan, run_load, run_mix

    with store_from(args) as store:
        paths = [f"/events/{event.id}" for event in store.list_events()]
        plan = mix_plan(store) if args.mix else {}
    if not paths:
        raise CommandError("no events in the store to load-test; ingest something first")
    server = None
    url = args.url
    if url is None:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(args.db, port)
    try:
        try:
            result = (run_mix(url, plan, args.rps, args.seconds, warm=not args.no_warm)
                      if args.mix
                      else run_load(url, paths, args.rps, args.seconds))
        except ValueError as error:
            raise CommandError(str(error)) from error
    finally:
        if server is not None:
            stop_process(server)
    if args.json:
        print_json(result.to_dict())
    elif isinstance(result, LoadResult):
        print(
            f"{result.requests} requests in {result.seconds} s ({result.achieved_rps}/s "
            f"answered), {result.errors} errors, {result.timeouts} unanswered; latency p50 "
            f"{result.p50_ms} ms, p90 {result.p90_ms} ms, p99 {result.p99_ms} ms, max "
            f"{result.max_ms} ms"
        )
    else:
        print_mix(result)
    return 1 if result.errors or result.timeouts else 0


def print_mix(result: MixResult) -> None:
    print(f"{result.requests} requests in {result.seconds} s: {result.ok} ok, {result.shed} "
          f"shed (503), {result.errors} errors, {result.timeouts} unanswered; goodput "
          f"{result.goodput_rps}/s; {result.slower_than_bound} answered after 2 s")
    print(f"{'kind':<14}{'requests':>9}{'ok':>7}{'shed':>7}{'errors':>7}{'timeouts':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, figures in result.kinds.items():
        print(f"{kind:<14}{figures.requests:>9}{figures.ok:>7}{figures.shed:>7}"
              f"{figures.errors:>7}{figures.timeouts:>9}{figures.p50_ms:>9}{figures.p95_ms:>9}"
              f"{figures.p99_ms:>9}")
