"""No import cycle inside the `maillage` package, whether the import is at the top of a module
or inside a function (a lazy import hides a cycle, it does not remove it).

Each import from one of the package's modules to another is an edge; a cycle fails the test
with the modules in the order they import one another. The usual ways out: declare a task next
to the service it runs, move a read both sides need into a module of its own, or load a
pluggable class by its dotted path.
"""

import ast
import graphlib
import itertools
from pathlib import Path

import pytest

import maillage

PACKAGE_DIR = Path(maillage.__file__).parent


def modules_of(package_dir: Path) -> dict[str, Path]:
    """Dotted name → file, for every module of the package (migrations aside)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The module `name` is, or the one defining it (`a.b.func` → `a.b`), if in the package."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imported_modules(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `module` imports anywhere in its source."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a import b`: module `a.b` when it is one, else a name defined in `a`.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found.update(target for name in names if (target := _known(name, modules)))
    found.discard(module)
    return found


def import_graph(package_dir: Path) -> dict[str, set[str]]:
    modules = modules_of(package_dir)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def import_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle, as `[a, b, …, a]` where each module imports the next, or None."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return list(reversed(error.args[1]))
    return None


def test_no_import_cycle_inside_the_package():
    cycle = import_cycle(import_graph(PACKAGE_DIR))
    if cycle:
        pytest.fail("import cycle: " + " imports ".join(cycle))


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    package = tmp_path / "shop"
    (package / "orders").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "orders" / "__init__.py").write_text("")
    (package / "orders" / "services.py").write_text("from . import tasks\n")
    (package / "orders" / "tasks.py").write_text(
        "def run():\n    from shop.orders.services import pay\n"
    )
    (package / "orders" / "labels.py").write_text("from .services import pay\n")
    graph = import_graph(package)
    assert graph["shop.orders.services"] == {"shop.orders.tasks"}
    assert graph["shop.orders.labels"] == {"shop.orders.services"}
    cycle = import_cycle(graph)
    assert cycle is not None and set(cycle) == {"shop.orders.services", "shop.orders.tasks"}
    assert all(after in graph[before] for before, after in itertools.pairwise(cycle))


def test_a_package_importing_its_own_submodules_is_no_cycle(tmp_path):
    package = tmp_path / "rules"
    package.mkdir()
    (package / "__init__.py").write_text("from .plan import can_edit\nfrom .core import can\n")
    (package / "core.py").write_text("def can(): ...\n")
    (package / "plan.py").write_text("from .core import can\n\ndef can_edit(): ...\n")
    assert import_cycle(import_graph(package)) is None
