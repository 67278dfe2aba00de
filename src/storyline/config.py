"""The pipeline configuration: which component runs each configurable stage, with its parameters.

Loaded from a TOML file (`storyline --config my.toml ingest …`) and printable
(`storyline config show`). Components are looked up by name in `storyline.registry`; a
configuration is checked when it is loaded (unknown stage, component or parameter: a one-line
error), not halfway through an ingest. Example:

    plugins = ["my_newsroom.components"]   # modules imported first: they register components

    [ner]
    name = "rules"

    [clusterer]
    name = "online"
    threshold = 0.55

Every key of a stage's table but `name` is a parameter of the component's constructor.

Besides the stages, a configuration holds sections of tunables (`[watch]`, `[server]`, …): each
a frozen dataclass of the module that uses it (`SECTIONS`), whose defaults come from
`settings.py`, read once when the class is defined. The code that needs them gets the instance
(`config.section(WatchConfig)`) passed in; nothing reads `settings` at call time.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from storyline import registry, settings

_Section = TypeVar("_Section")

DEFAULT_CLEANER = "rules+model"
DEFAULT_CLUSTERER = "online"
DEFAULT_SUMMARIZER = "brief"
# The stages a configuration chooses the component of (the others have one built-in each).
CONFIGURABLE_STAGES = ("cleaner", "ner", "encoder", "clusterer", "summarizer")
# Named sets of overrides, written as a configuration file's tables. `fast`, the firehose
# profile (`storyline ingest --fast`), swaps the costliest models for cheap stand-ins: rule-based
# entity recognition instead of spaCy, hashed TF-IDF features instead of the Universal Sentence
# Encoder, and briefs that match claims by their words only (no encoder: briefs are built as
# events change, and encoding their sentences was 80 % of a fast event update; claims in two
# languages are then not matched). Its cost in accuracy and its gain in speed on ECB+ and
# Timeline17 are in docs/benchmarks.md. A store's events keep the encoder they were first built
# with (it is part of the clusterer's state), so `--fast` on a store clustered with USE still
# encodes with USE for its events.
PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "fast": {"ner": {"name": "rules"}, "encoder": {"name": "tfidf"},
             "claims": {"encoder": ""}},
}
# Section name -> "module:class" of its frozen dataclass, imported only when a configuration is
# read or shown (so this module imports no stage and any stage may import it).
SECTIONS = {
    "claims": "storyline.summarize.vectors:ClaimEncoding",
    "enrich": "storyline.enrich:EnrichConfig",
    "events": "storyline.events.config:EventsConfig",
    "ingest": "storyline.ingest.config:IngestConfig",
    "server": "storyline.service.context:ServerConfig",
    "similarity": "storyline.events.similarity:SimilarityConfig",
    "spark": "storyline.spark.config:SparkConfig",
    "timeline": "storyline.summarize.timeline:TimelineConfig",
    "watch": "storyline.watch:WatchConfig",
}


class ConfigError(ValueError):
    """A configuration that cannot be used, with the one-line reason."""


def check_fields(config: Any, shares: tuple[str, ...] = ()) -> None:
    """Validate a frozen configuration dataclass (call it from `__post_init__`): the fields
    named in `shares` are shares of a whole (0 to 1), every field whose default is a whole
    number is a whole number of at least 0 (0 turns a bound into "nothing")."""
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        if item.name in shares:
            if isinstance(value, bool) or not (isinstance(value, int | float)
                                               and 0 <= value <= 1):
                raise ValueError(f"{item.name} must be a share from 0 to 1, not {value!r}")
        elif isinstance(item.default, int) and not isinstance(item.default, bool) and (
                isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise ValueError(f"{item.name} must be a whole number, not {value!r}")


@dataclass(frozen=True)
class ComponentConfig:
    """One stage's component: its registry name and constructor parameters (frozen: a sorted
    tuple of pairs, so a configuration is hashable and cannot change after it is checked)."""

    name: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, name: str, params: Mapping[str, Any] | None = None) -> ComponentConfig:
        return cls(name, tuple(sorted((params or {}).items())))

    def parameters(self) -> dict[str, Any]:
        return dict(self.params)

    def build(self, stage: str) -> Any:
        return registry.create(stage, self.name, self.parameters())

    def resolved(self, stage: str) -> ComponentConfig:
        """The same component with every parameter spelled out, defaults included (for a
        dataclass component, or an estimator with scikit-learn's `get_params`)."""
        built = self.build(stage)
        if dataclasses.is_dataclass(built) and not isinstance(built, type):
            defaults = dataclasses.asdict(built)
        elif hasattr(built, "get_params"):
            defaults = built.get_params()
        else:
            defaults = {}
        return ComponentConfig.of(self.name, {**defaults, **self.parameters()})


@dataclass(frozen=True)
class PipelineConfig:
    cleaner: ComponentConfig = ComponentConfig(DEFAULT_CLEANER)
    ner: ComponentConfig = ComponentConfig(settings.ENRICH_NER_BACKEND)
    # The encoder of the articles' vectors; the clusterer encodes with it unless its own
    # `encoder` parameter says otherwise. Encoders are shared per process: a name, no parameters.
    encoder: ComponentConfig = ComponentConfig(settings.DEFAULT_ENCODER)
    clusterer: ComponentConfig = ComponentConfig(DEFAULT_CLUSTERER)
    summarizer: ComponentConfig = ComponentConfig(DEFAULT_SUMMARIZER)
    plugins: tuple[str, ...] = ()
    # Instances of `SECTIONS` classes; a section not given here has its defaults.
    sections: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        for module in self.plugins:
            try:
                importlib.import_module(module)
            except ImportError as error:
                raise ConfigError(f"plugin module {module!r} cannot be imported: {error}") from None
        try:
            # An encoder loads its model when built: only its name is checked.
            registry.get("encoder", self.encoder.name)
        except registry.UnknownComponent as error:
            raise ConfigError(f"[encoder] {error}") from None
        if self.encoder.params:
            raise ConfigError("[encoder] takes a name only (encoders are shared per process)")
        for stage in ("cleaner", "ner", "clusterer", "summarizer"):
            try:
                self.component(stage).build(stage)  # builds are cheap: models load on first use
            except (registry.UnknownComponent, ValueError) as error:
                raise ConfigError(f"[{stage}] {error}") from None

    def component(self, stage: str) -> ComponentConfig:
        """The component of a configurable stage, as the pipeline builds it: the clusterer
        with the pipeline's encoder unless it names its own."""
        chosen: ComponentConfig = getattr(self, stage)
        if stage == "clusterer" and "encoder" not in chosen.parameters() and "encoder" in \
                inspect.signature(registry.get(stage, chosen.name)).parameters:
            return ComponentConfig.of(chosen.name,
                                      {**chosen.parameters(), "encoder": self.encoder.name})
        return chosen

    def section(self, kind: type[_Section]) -> _Section:
        """The configured instance of section class `kind`, else its defaults."""
        for section in self.sections:
            if isinstance(section, kind):
                return section
        return kind()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PipelineConfig:
        unknown = set(data) - {*CONFIGURABLE_STAGES, *SECTIONS, "plugins"}
        if unknown:
            raise ConfigError(f"unknown configuration keys {', '.join(sorted(unknown))}; "
                              f"known: plugins, {', '.join([*CONFIGURABLE_STAGES, *SECTIONS])}")
        plugins = data.get("plugins", [])
        if not isinstance(plugins, list) or not all(isinstance(p, str) for p in plugins):
            raise ConfigError("plugins must be a list of module names")
        stages = {}
        for stage in CONFIGURABLE_STAGES:
            table = data.get(stage)
            if table is None:
                continue
            if not isinstance(table, Mapping) or not isinstance(table.get("name"), str):
                raise ConfigError(f"[{stage}] needs a component name (name = \"...\")")
            stages[stage] = ComponentConfig.of(
                table["name"], {k: v for k, v in table.items() if k != "name"})
        sections = tuple(_section_from_table(name, data[name]) for name in SECTIONS
                         if name in data)
        return cls(plugins=tuple(plugins), sections=sections, **stages)

    @classmethod
    def from_toml(cls, path: str | Path) -> PipelineConfig:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise ConfigError(f"cannot read configuration {path}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"configuration {path} is not valid TOML: {error}") from None
        return cls.from_dict(data)

    def resolved(self) -> PipelineConfig:
        """This configuration with every component parameter spelled out (what
        `storyline config show` prints)."""
        return dataclasses.replace(
            self, cleaner=self.cleaner.resolved("cleaner"),
            ner=self.component("ner").resolved("ner"),
            clusterer=self.component("clusterer").resolved("clusterer"),
            summarizer=self.summarizer.resolved("summarizer"),
            sections=tuple(self.section(_section_class(name)) for name in SECTIONS))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"plugins": list(self.plugins)}
        for stage in CONFIGURABLE_STAGES:
            component = getattr(self, stage)
            data[stage] = {"name": component.name, **component.parameters()}
        for section in self.sections:
            data[_section_name(section)] = dataclasses.asdict(section)
        return data

    def to_toml(self) -> str:
        """The configuration as TOML that `from_toml` reads back (JSON strings are TOML
        strings; parameters are scalars or lists of them)."""
        lines = [f"plugins = {json.dumps(list(self.plugins))}"]
        for stage in CONFIGURABLE_STAGES:
            component = getattr(self, stage)
            lines += ["", f"[{stage}]", f"name = {json.dumps(component.name)}"]
            lines += [f"{key} = {_toml_value(value)}" for key, value in component.params]
        for section in self.sections:
            lines += _toml_table(_section_name(section), section)
        return "\n".join(lines) + "\n"

    def article_cleaner(self) -> Any:
        """The `cleaner` component (a `Cleaner`: raw document -> article)."""
        return self.cleaner.build("cleaner")

    def event_summarizer(self) -> Any:
        """The `summarizer` component (a `Summarizer`: event and members -> brief)."""
        return self.summarizer.build("summarizer")

    def recognizer(self) -> Any:
        """The `ner` component (an `EntityRecognizer`)."""
        return self.ner.build("ner")

    def with_profile(self, name: str) -> PipelineConfig:
        """This configuration with a profile's overrides (`PROFILES`): a stage the profile
        names is replaced whole, a section's parameters are replaced one by one."""
        if name not in PROFILES:
            raise ConfigError(f"unknown profile {name!r}; profiles: {', '.join(PROFILES)}")
        data = self.to_dict()
        for key, override in PROFILES[name].items():
            data[key] = override if key in CONFIGURABLE_STAGES else _merged(
                data.get(key, {}), override)
        return PipelineConfig.from_dict(data)


def _merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = (_merged(merged.get(key, {}), value) if isinstance(value, Mapping)
                       else value)
    return merged


def _section_class(name: str) -> type[Any]:
    module, _, attribute = SECTIONS[name].partition(":")
    return getattr(importlib.import_module(module), attribute)  # type: ignore[no-any-return]


def _section_name(section: Any) -> str:
    for name in SECTIONS:
        if isinstance(section, _section_class(name)):
            return name
    raise ConfigError(f"{type(section).__name__} is not a configuration section")


def _section_from_table(name: str, table: Any) -> Any:
    return _dataclass_from_table(name, _section_class(name), table)


def _dataclass_from_table(name: str, kind: type[Any], table: Any) -> Any:
    """`kind` built from a TOML table; a field whose default is itself a configuration
    dataclass is read from the sub-table of the same name (`[brief.claims]`)."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"[{name}] must be a table of parameters")
    params = dict(table)
    for item in dataclasses.fields(kind):
        nested = item.default_factory  # type: ignore[misc]
        if item.name in params and dataclasses.is_dataclass(nested):
            params[item.name] = _dataclass_from_table(
                f"{name}.{item.name}", nested, params[item.name])  # type: ignore[arg-type]
    try:
        return kind(**params)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"[{name}] {error}") from None


def _toml_table(name: str, section: Any) -> list[str]:
    """The lines of `[name]` for a configuration dataclass, its nested ones as sub-tables."""
    lines = ["", f"[{name}]"]
    nested = []
    for item in dataclasses.fields(section):
        value = getattr(section, item.name)
        if dataclasses.is_dataclass(value):
            nested.append((f"{name}.{item.name}", value))
        else:
            lines.append(f"{item.name} = {_toml_value(value)}")
    for sub_name, sub_section in nested:
        lines += _toml_table(sub_name, sub_section)
    return lines


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise ConfigError("TOML has no null: leave the parameter out for its default")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)
