"""Tunables are not read from `storyline.settings` at call time, nor changed at run time.

The goal (issue 13): each component takes a frozen configuration whose defaults live in
`settings.py`, read once when the configuration is built; nothing assigns to `settings`. Three
ways of reading a tunable at call time are checked:

- `settings.X` inside a function body or a default argument (`SETTINGS_READS_ALLOWED`);
- `settings.X` inside a lambda, anywhere: `field(default_factory=lambda: settings.X)` reads the
  global each time an object is made (none allowed);
- a module-level alias `X = settings.X` (or one imported from the module that binds it) read
  inside a function body: the same global read under another name (none allowed). An alias
  used only at module level (to build a pattern, or as a configuration dataclass's or a
  component constructor's default) is not counted: that is the value read once where the
  configuration is built.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "storyline"

# Measured 2026-11-30 after the NER and clusterer moved behind storyline.config: 254 reads in
# 43 modules; 76 in 6 modules after the configuration sections, the fast profile and the
# module constants; none since the cleaner, briefs, claim matching, quotes and entity
# resolution took configurations.
SETTINGS_READS_ALLOWED: dict[str, int] = {}

# Measured 2026-11-30 (session 5): 84 call-time reads of 103 module-level aliases in 26
# modules; none since every component took a configuration section or parameter (session 6:
# [events], [similarity], the clusterer's parameters, [enrich.language], [enrich.dates],
# [ingest]; the parsers' own rules and process-wide caches became their modules' constants).

# Nothing assigns to settings: the `--fast` profile is a set of configuration overrides
# (`storyline.config.PROFILES`).
SETTINGS_WRITES_ALLOWED: set[str] = set()


def _is_settings_attribute(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "settings")


def _modules(package: Path) -> dict[str, ast.Module]:
    return {path.relative_to(package).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(package.rglob("*.py"))}


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def settings_reads_in_functions(package: Path = PACKAGE) -> Counter[str]:
    """Module (path under storyline/) → reads of `settings.X` inside its functions and lambdas
    (a function's default arguments included)."""
    reads: Counter[str] = Counter()
    for module, tree in _modules(package).items():
        for function in ast.walk(tree):
            if isinstance(function, _FUNCTIONS):
                count = sum(_is_settings_attribute(node) for node in ast.walk(function))
                # Nested functions are walked twice (once in their parent): count each once.
                nested = sum(_is_settings_attribute(node)
                             for inner in ast.walk(function) if inner is not function
                             and isinstance(inner, _FUNCTIONS)
                             for node in ast.walk(inner))
                reads[module] += count - nested
    return +reads


def settings_reads_in_lambdas(package: Path = PACKAGE) -> Counter[str]:
    """Module → reads of `settings.X` inside lambdas (`default_factory=lambda: settings.X`)."""
    return +Counter({module: sum(_is_settings_attribute(node) for function in ast.walk(tree)
                                 if isinstance(function, ast.Lambda)
                                 for node in ast.walk(function))
                     for module, tree in _modules(package).items()})


def _aliases(tree: ast.Module) -> set[str]:
    """Names a module binds at its top level to a setting (`X = settings.X`)."""
    return {target.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
            and node.value is not None and _is_settings_attribute(node.value)
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def settings_aliases_read_in_functions(package: Path = PACKAGE) -> Counter[str]:
    """Module → distinct setting aliases (its own, or imported from the module that binds
    them) read inside a function body; defaults and module-level uses do not count."""
    modules = _modules(package)
    bound = {module.removesuffix(".py").removesuffix("/__init__").replace("/", "."):
             _aliases(tree) for module, tree in modules.items()}
    read: Counter[str] = Counter()
    for module, tree in modules.items():
        names = set(_aliases(tree))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                source = bound.get(node.module.removeprefix("storyline."), set())
                names |= {alias.asname or alias.name for alias in node.names
                          if alias.name in source}
        used = {node.id for function in ast.walk(tree) if isinstance(function, _FUNCTIONS)
                for statement in (function.body if isinstance(function.body, list)
                                  else [function.body])
                for node in ast.walk(statement)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
                and node.id in names}
        read[module] = len(used)
    return +read


def settings_writes(package: Path = PACKAGE) -> set[str]:
    """Modules that assign to a settings attribute (`settings.X = …`, `setattr(settings, …)`)."""
    writers = set()
    for path in sorted(package.rglob("*.py")):
        if path.name == "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            assigned = isinstance(node, ast.Assign | ast.AugAssign) and any(
                _is_settings_attribute(target)
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target]))
            set_attribute = (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                             and node.func.id == "setattr" and node.args
                             and isinstance(node.args[0], ast.Name)
                             and node.args[0].id == "settings")
            if assigned or set_attribute:
                writers.add(path.relative_to(package).as_posix())
    return writers


def test_no_module_reads_more_settings_at_call_time_than_allowed() -> None:
    grown = {module: (count, SETTINGS_READS_ALLOWED.get(module, 0))
             for module, count in settings_reads_in_functions().items()
             if count > SETTINGS_READS_ALLOWED.get(module, 0)}
    assert grown == {}, (
        "settings read inside functions (module: (reads, allowed)); take the value from the "
        f"component's configuration instead: {grown}")


def test_no_lambda_reads_settings() -> None:
    assert settings_reads_in_lambdas() == {}, (
        "a lambda reads settings each time it runs; give the field a plain default")


def test_no_function_reads_a_module_level_settings_alias() -> None:
    assert settings_aliases_read_in_functions() == {}, (
        "module-level settings aliases read inside functions (module: aliases); take the value "
        "from the component's configuration (or its constructor parameter) instead")


def test_nothing_assigns_to_settings_at_run_time() -> None:
    assert settings_writes() <= SETTINGS_WRITES_ALLOWED


def test_the_checks_see_reads_and_writes(tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(
        "LIMIT = settings.A  # module level: read once, allowed\n"
        "def f(x=settings.B):\n"
        "    def g():\n"
        "        return settings.C\n"
        "    settings.D = 1\n"
        "    return g\n", encoding="utf-8")
    (tmp_path / "other.py").write_text("setattr(settings, 'E', 2)\n", encoding="utf-8")
    assert settings_reads_in_functions(tmp_path) == {"module.py": 3}
    assert settings_writes(tmp_path) == {"module.py", "other.py"}


def test_the_checks_see_lambdas_and_aliases(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text(
        "LIMIT = settings.LIMIT\n"
        "WIDTH: int = settings.WIDTH\n"
        "PATTERN = compile(LIMIT)  # module level: read once, not counted\n"
        "class Config:\n"
        "    depth: int = field(default_factory=lambda: settings.DEPTH)\n"
        "    width: int = WIDTH  # a configuration's default: not counted\n"
        "def cut(text, width=WIDTH):  # a default: not counted\n"
        "    return text[:LIMIT] + text[:LIMIT]\n", encoding="utf-8")
    (tmp_path / "user.py").write_text(
        "from storyline.config import WIDTH, PATTERN\n"
        "def pad(text):\n"
        "    return (lambda: text.ljust(WIDTH))()\n", encoding="utf-8")
    assert settings_reads_in_lambdas(tmp_path) == {"config.py": 1}
    assert settings_reads_in_functions(tmp_path) == {"config.py": 1}
    assert settings_aliases_read_in_functions(tmp_path) == {"config.py": 1, "user.py": 1}
