"""Every `storyline` command pays for what its parser imports: building it must not load the
models and libraries only some commands use (they cost over a second at each start)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

HEAVY = ("numpy", "scipy", "sklearn", "lxml", "trafilatura", "datasketch", "spacy", "jinja2",
         "httpx", "fastapi", "pyspark")


def test_building_the_parser_imports_no_heavy_library() -> None:
    probe = ("import json, sys; from storyline.cli import build_parser; build_parser();"
             "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=True)
    assert not set(json.loads(result.stdout)) & set(HEAVY)


def test_the_benchmarks_are_still_listed_and_parsed() -> None:
    from storyline.cli import build_parser

    args = build_parser().parse_args(["bench", "briefs", "--db", "x.db", "--largest", "2"])
    assert (args.benchmark, args.db, args.largest) == ("briefs", "x.db", 2)


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    from storyline.cli import COMMANDS, CommandParser

    for module in set(COMMANDS.values()):
        subparsers = argparse.ArgumentParser().add_subparsers(parser_class=CommandParser)
        importlib.import_module(f"storyline.cli.{module}").register(subparsers)
        assert set(subparsers.choices) == {c for c, m in COMMANDS.items() if m == module}


def test_a_command_imports_its_own_module_alone() -> None:
    probe = ("import json, sys; from storyline.cli import build_parser;"
             "argv = ['--db', 'x.db', 'event', 'ev-1', '--format', 'json'];"
             "args = build_parser(argv).parse_args(argv);"
             "print(json.dumps([args.event_id, sorted(n for n in sys.modules"
             " if n.startswith('storyline.cli.'))]))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=True)
    event_id, loaded = json.loads(result.stdout)
    assert event_id == "ev-1"
    assert "storyline.cli.summarize" in loaded
    assert not {"storyline.cli.serve", "storyline.cli.articles", "storyline.cli.bench"} & set(loaded)


def test_help_and_unknown_commands_list_every_command() -> None:
    from storyline.cli import COMMANDS, build_parser

    for argv in (["--help"], ["evnet"], []):
        usage = build_parser(argv).format_help()
        assert all(command in usage for command in COMMANDS)
