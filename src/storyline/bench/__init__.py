"""storyline.bench"""

from __future__ import annotations

import argparse
import dataclasses

from storyline.config import ComponentConfig, PipelineConfig


def pipeline_config(args: argparse.Namespace) -> PipelineConfig:
    """The configuration a benchmark runs with: what `storyline bench` built from `--config`
    and `--fast` (`args.pipeline`; the defaults when a test calls `run` directly), with the
    encoder `--encoder` names."""
    config = getattr(args, "pipeline", None) or PipelineConfig()
    encoder = getattr(args, "encoder", None)
    return dataclasses.replace(config, encoder=ComponentConfig(encoder)) if encoder else config
