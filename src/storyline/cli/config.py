"""`storyline config show`: the pipeline configuration in effect, as TOML."""

from __future__ import annotations

import argparse
from typing import Any

from storyline.cli.common import pipeline_config, run_safely


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "config", help="the pipeline configuration (`--config FILE`, else the defaults)")
    actions = parser.add_subparsers(dest="config_action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", help="print the configuration in effect, every parameter spelled out, as TOML "
        "(a valid --config file)")
    show.set_defaults(func=run_safely(cmd_show))


def cmd_show(args: argparse.Namespace) -> int:
    print(pipeline_config(args).resolved().to_toml(), end="")
    return 0
