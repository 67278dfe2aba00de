"""`storyline bench NAME --data DIR [--json]`: benchmarks against ../shared/data that print figures.

Each benchmark is a module `storyline.bench.<name>` exposing:
  HELP: str                                  one line for --help
  add_arguments(parser) -> None              extra options (optional)
  run(data: Path | None, args) -> dict       the figures, JSON-serialisable (data is None for
                                             benchmarks without a DEFAULT_DATA: they make their
                                             own input)
  format_text(result: dict) -> str           the human-readable table
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from storyline.cli.common import CommandError, pipeline_config, print_json, run_safely

BENCHMARKS = (
    "extract", "clean", "dates", "cluster", "online", "timeline", "ingest", "scale", "quotes",
    "entities", "soak", "spark", "briefs", "comments", "requests",
)
# Benchmarks that take --fast (they run the enrich models or the encoder).
PROFILED = ("cluster", "online", "timeline", "ingest", "scale", "spark")
DEFAULT_DATA = {
    "extract": "../shared/data/scrapinghub-aeb",
    "clean": "../shared/data/scrapinghub-aeb-text",
    "dates": "../shared/data/timeline17",
    "cluster": "../shared/data/ecbplus",
    "spark": "../shared/data/ecbplus",
    "online": "../shared/data/timeline17",
    "timeline": "../shared/data/timeline17",
    "comments": "../shared/data/timeline17",
    "ingest": "../shared/data/timeline17",
    "scale": "../shared/data",
    # Our own annotated passages, shipped with the package.
    "quotes": str(Path(__file__).resolve().parent.parent / "bench" / "gold" / "quotes.jsonl"),
    "entities": str(Path(__file__).resolve().parent.parent / "bench" / "gold" / "entities.jsonl"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    # The benchmark modules import the models they measure: only `storyline bench` loads them.
    subparsers.add_parser("bench", help="run a benchmark on evaluation data",
                          populate=_add_benchmarks)


def _add_benchmarks(bench: argparse.ArgumentParser) -> None:
    kinds = bench.add_subparsers(dest="benchmark", metavar="BENCHMARK", required=True)
    for name in BENCHMARKS:
        module = importlib.import_module(f"storyline.bench.{name}")
        parser = kinds.add_parser(name, help=module.HELP, description=module.HELP)
        if name in DEFAULT_DATA:
            parser.add_argument(
                "--data", type=Path, default=Path(DEFAULT_DATA[name]),
                help=f"evaluation data folder (default: {DEFAULT_DATA[name]})",
            )
        else:  # it makes its own input (soak: a local feed server)
            parser.set_defaults(data=None)
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        if name in PROFILED:
            parser.add_argument("--fast", action="store_true",
                                help="the firehose profile: rules NER, hashed TF-IDF features")
        if hasattr(module, "add_arguments"):
            module.add_arguments(parser)
        parser.set_defaults(func=run_safely(_runner(module)))


def _runner(module):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace) -> int:
        if args.data is not None and not args.data.exists():
            raise CommandError(f"benchmark data {args.data} not found")
        profile = "fast" if getattr(args, "fast", False) else "default"
        args.pipeline = pipeline_config(args)  # with --fast, the fast profile's overrides
        result = module.run(args.data, args)
        if args.benchmark in PROFILED:
            result = {"profile": profile, **result}
        if args.json:
            print_json(result)
        else:
            print(f"profile {profile}\n" if args.benchmark in PROFILED else "", end="")
            print(module.format_text(result))
        return 0

    return run
