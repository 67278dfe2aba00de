"""Named components per pipeline stage, which third-party code can extend.

Each stage has a registry mapping a name to a factory (usually a class whose constructor takes the
component's parameters). A pipeline configuration (`storyline.config`) names the component of
each stage and its parameters; the pipeline asks the registry to build it.

Three ways in, looked up in this order:
- `register(stage, name, factory)` (or `@register(stage, name)`) from code that has run;
- the built-in components below, imported by path only when first asked for (so this module
  imports no stage and any stage may import it);
- the entry points group `storyline.<stage>` of installed distributions, e.g. in a plugin's
  pyproject.toml: `[project.entry-points."storyline.ner"] keywords = "my_pkg.ner:KeywordNer"`.

Each stage's Protocol (the interface a component must satisfy) lives in the stage's package:
see docs/architecture.md.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any, TypeVar

STAGES = (
    "reader", "cleaner", "language", "sentences", "ner", "dates", "encoder", "dedup",
    "clusterer", "linker", "summarizer", "timeline",
)

# stage -> name -> "module:attribute" of the built-in components.
_BUILTINS: dict[str, dict[str, str]] = {
    "reader": {"auto": "storyline.ingest:read_bytes"},
    "cleaner": {"rules+model": "storyline.clean.article:ArticleCleaner"},
    "language": {"py3langid": "storyline.enrich.language:identify_language"},
    "sentences": {"rules": "storyline.enrich.sentences:split_sentences"},
    "ner": {
        "spacy": "storyline.enrich.recognizers:SpacyRecognizer",
        "rules": "storyline.enrich.recognizers:RuleRecognizer",
    },
    "dates": {"rules": "storyline.enrich.time:extract_dates"},
    "encoder": {
        "use": "storyline.embed:UniversalSentenceEncoder",
        "e5": "storyline.embed:E5Encoder",
        "tfidf": "storyline.embed:HashingTfidfEncoder",
    },
    "dedup": {"minhash": "storyline.events.dedup:assign_roles"},
    "clusterer": {"online": "storyline.events.cluster:EventClusterer"},
    "linker": {"entities": "storyline.events.storylines:link_storylines"},
    "summarizer": {"brief": "storyline.summarize.brief:BriefSummarizer"},
    "timeline": {"cited": "storyline.summarize.timeline:build_timeline"},
}

_Factory = TypeVar("_Factory", bound=Callable[..., Any])
_REGISTERED: dict[str, dict[str, Callable[..., Any]]] = {stage: {} for stage in STAGES}


class UnknownComponent(ValueError):
    """A configuration names a component no registry knows."""


def _check_stage(stage: str) -> None:
    if stage not in STAGES:
        raise UnknownComponent(f"unknown stage {stage!r}; stages: {', '.join(STAGES)}")


def register(stage: str, name: str, factory: _Factory | None = None
             ) -> Callable[[_Factory], _Factory] | _Factory:
    """Register `factory` as component `name` of `stage`; without a factory, a decorator."""
    _check_stage(stage)

    def add(component: _Factory) -> _Factory:
        _REGISTERED[stage][name] = component
        return component

    return add(factory) if factory is not None else add


def names(stage: str) -> list[str]:
    """Every component name of a stage: registered, built in and installed."""
    _check_stage(stage)
    installed = {point.name for point in entry_points(group=f"storyline.{stage}")}
    return sorted(set(_REGISTERED[stage]) | set(_BUILTINS.get(stage, {})) | installed)


def get(stage: str, name: str) -> Callable[..., Any]:
    """The factory of component `name` of `stage`."""
    _check_stage(stage)
    if name in _REGISTERED[stage]:
        return _REGISTERED[stage][name]
    if name in _BUILTINS.get(stage, {}):
        module, _, attribute = _BUILTINS[stage][name].partition(":")
        return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]
    for point in entry_points(group=f"storyline.{stage}", name=name):
        return point.load()  # type: ignore[no-any-return]
    raise UnknownComponent(
        f"no {stage} component named {name!r}; known: {', '.join(names(stage))}"
    )


def name_of(stage: str, factory: Callable[..., Any]) -> str:
    """The name `factory` is known by in `stage` (registered, built in or installed)."""
    _check_stage(stage)
    for name, registered in _REGISTERED[stage].items():
        if registered is factory:
            return name
    path = f"{factory.__module__}:{factory.__qualname__}"
    for name, builtin in _BUILTINS.get(stage, {}).items():
        if builtin == path:
            return name
    for point in entry_points(group=f"storyline.{stage}"):
        if point.value == path:
            return point.name
    raise UnknownComponent(f"{path} is not a registered {stage} component")


def create(stage: str, name: str, params: dict[str, Any] | None = None) -> Any:
    """Build component `name` of `stage` with its parameters (a clear error for a wrong one)."""
    factory = get(stage, name)
    try:
        inspect.signature(factory).bind(**(params or {}))
    except TypeError as error:
        raise UnknownComponent(f"{stage} component {name!r}: {error}") from None
    return factory(**(params or {}))
