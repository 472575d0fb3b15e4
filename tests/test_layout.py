"""The package's layout is its architecture: layers import only downwards, and no two
modules are named alike.

Layers, bottom to top (a module may import its own layer and the ones it lists)::

    base                            top-level modules used by every layer: quantities (the
                                    figure parser) and any other module beside it
    datapackage                     descriptor, loading, validation
    analysis                        pure functions on tidy frames
    figures                         style and charts
    publish                         HTML report and workbook
    monthly                         station-month reports: beside the main line, it may use
                                    the Data Package and the parser (and publish may use it)
    cli, __init__, __main__         the entry points, which name every layer

Imports are read with :mod:`ast` (top-level and inside functions alike), so a lazy import
inside a function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sswanalysis"

#: layer -> the layers it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "datapackage": {"base"},
    "analysis": {"datapackage", "base"},
    "figures": {"analysis", "datapackage", "base"},
    "monthly": {"datapackage", "base"},
    "publish": {"figures", "analysis", "datapackage", "base", "monthly"},
    "entry": {"publish", "figures", "analysis", "datapackage", "base", "monthly"},
}
ENTRY_MODULES = {"cli", "__init__", "__main__"}
SUBPACKAGES = {"datapackage", "analysis", "figures", "publish", "monthly"}


def layer_of(module: str) -> str | None:
    """Layer of a dotted module name inside the package (``None`` outside it).

    >>> layer_of("sswanalysis.analysis.stats"), layer_of("sswanalysis.cli"), layer_of("pandas")
    ('analysis', 'entry', None)
    >>> layer_of("sswanalysis.quantities")
    'base'
    """
    parts = module.split(".")
    if parts[0] != "sswanalysis":
        return None
    if len(parts) == 1 or parts[1] in ENTRY_MODULES:
        return "entry"
    if parts[1] in SUBPACKAGES:
        return parts[1]
    return "base"  # quantities.py, data/ and any other top-level module


def module_name(path: Path, package: Path = PACKAGE) -> str:
    rel = path.relative_to(package.parent).with_suffix("")
    return ".".join(rel.parts)


def imported_modules(path: Path, package_dir: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module_name(path, package_dir).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            mod = ".".join([*base, node.module] if node.module else base)
            if mod == "sswanalysis":  # "from sswanalysis import analysis": the subpackage
                found += [(node.lineno, f"{mod}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, mod))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant):
                found.append((node.lineno, str(node.args[0].value)))
    # the CLI names modules in strings that it imports with importlib
    if path.name == "cli.py":
        text = path.read_text(encoding="utf-8")
        found += [(0, m) for m in re.findall(r'"(sswanalysis(?:\.\w+)+)"', text)]
    return found


def layering_faults(package: Path = PACKAGE) -> list[str]:
    faults = []
    for path in sorted(package.rglob("*.py")):
        own = layer_of(module_name(path, package))
        if own is None:
            continue
        for line, target in imported_modules(path, package):
            other = layer_of(target)
            if other is None or other == own or other in ALLOWED[own]:
                continue
            faults.append(f"{path.relative_to(package.parent)}:{line}: layer '{own}' imports "
                          f"{target} (layer '{other}'), which is above it")
    return faults


def test_no_module_imports_from_a_layer_above_it():
    assert layering_faults() == []


def test_the_layering_check_finds_an_upward_import(tmp_path):
    fake = tmp_path / "sswanalysis"
    (fake / "datapackage").mkdir(parents=True)
    (fake / "datapackage" / "loading.py").write_text(
        "def f():\n    from sswanalysis.analysis import coverage\n", encoding="utf-8")
    (fake / "analysis").mkdir()
    (fake / "analysis" / "stats.py").write_text("from ..figures import plots\n", encoding="utf-8")
    faults = layering_faults(fake)
    assert len(faults) == 2
    assert "analysis/stats.py:1: layer 'analysis' imports sswanalysis.figures" in faults[0]
    assert "datapackage/loading.py:2: layer 'datapackage' imports sswanalysis.analysis" in faults[1]


def test_every_module_belongs_to_a_known_layer():
    for path in PACKAGE.rglob("*.py"):
        layer = layer_of(module_name(path))
        assert layer in ALLOWED, f"{path}: not in a layer of the architecture"


def _alike(a: str, b: str) -> bool:
    """Names that differ only by a plural, a suffix or a prefix (report / reports / reportfiles)."""
    a, b = a.lower(), b.lower()
    return a.rstrip("s") == b.rstrip("s") or a.startswith(b) or b.startswith(a)


def test_no_two_modules_are_named_alike():
    stems = sorted({p.stem for p in PACKAGE.rglob("*.py") if not p.stem.startswith("__")}
                   | {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()})
    clashes = [(a, b) for a, b in itertools.combinations(stems, 2) if _alike(a, b)]
    assert clashes == []


@pytest.mark.parametrize(("a", "b"), [("report", "reports"), ("report", "reportfiles"),
                                      ("template", "templates")])
def test_alike_names_are_caught(a, b):
    assert _alike(a, b)


def test_modules_stay_small():
    # "about 500 lines". quantities.py is one grammar whose patterns belong together (its
    # command line is extract_command.py, the words its rules know lexicon.py).
    allowed = {"quantities.py": 800}
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    too_big = {p: n for p, n in sizes.items() if n > allowed.get(Path(p).name, 510)}
    assert too_big == {}
