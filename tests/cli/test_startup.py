"""Every `storyline` command pays for what its parser imports: building it must not load the
models and libraries only some commands use (they cost over a second at each start)."""

from __future__ import annotations

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
