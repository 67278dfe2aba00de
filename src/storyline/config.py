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
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline import registry, settings

DEFAULT_CLUSTERER = "online"
# The stages a configuration chooses the component of (the others have one built-in each).
CONFIGURABLE_STAGES = ("ner", "clusterer")


class ConfigError(ValueError):
    """A configuration that cannot be used, with the one-line reason."""


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
    # The default recognizer follows the active profile (`--fast`: rules).
    ner: ComponentConfig = field(
        default_factory=lambda: ComponentConfig(settings.ENRICH_NER_BACKEND))
    clusterer: ComponentConfig = field(default_factory=lambda: ComponentConfig(DEFAULT_CLUSTERER))
    plugins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for module in self.plugins:
            try:
                importlib.import_module(module)
            except ImportError as error:
                raise ConfigError(f"plugin module {module!r} cannot be imported: {error}") from None
        for stage in CONFIGURABLE_STAGES:
            try:
                getattr(self, stage).build(stage)  # builds are cheap: models load on first use
            except (registry.UnknownComponent, ValueError) as error:
                raise ConfigError(f"[{stage}] {error}") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PipelineConfig:
        unknown = set(data) - {*CONFIGURABLE_STAGES, "plugins"}
        if unknown:
            raise ConfigError(f"unknown configuration keys {', '.join(sorted(unknown))}; "
                              f"known: plugins, {', '.join(CONFIGURABLE_STAGES)}")
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
        return cls(plugins=tuple(plugins), **stages)

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
        return dataclasses.replace(self, **{stage: getattr(self, stage).resolved(stage)
                                            for stage in CONFIGURABLE_STAGES})

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"plugins": list(self.plugins)}
        for stage in CONFIGURABLE_STAGES:
            component = getattr(self, stage)
            data[stage] = {"name": component.name, **component.parameters()}
        return data

    def to_toml(self) -> str:
        """The configuration as TOML that `from_toml` reads back (JSON strings are TOML
        strings; parameters are scalars or lists of them)."""
        lines = [f"plugins = {json.dumps(list(self.plugins))}"]
        for stage in CONFIGURABLE_STAGES:
            component = getattr(self, stage)
            lines += ["", f"[{stage}]", f"name = {json.dumps(component.name)}"]
            lines += [f"{key} = {_toml_value(value)}" for key, value in component.params]
        return "\n".join(lines) + "\n"

    def recognizer(self) -> Any:
        """The `ner` component (an `EntityRecognizer`)."""
        return self.ner.build("ner")


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise ConfigError("TOML has no null: leave the parameter out for its default")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)
