"""The generator's layout: one module per stage, imports running one way down the pipeline,
small modules and small functions (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "paysite"
# The stages in the order the data flows; a module may import only those before it.
STAGES = ("errors", "vocabulary", "serialise", "yamlfile", "schemas", "model", "readings",
          "worded_claims", "load", "claims", "text", "worded_verdicts", "answer", "ties", "pages",
          "svg", "charts", "structured", "render", "edition", "links", "write", "pipeline",
          "serve", "revisions", "affected", "diff", "changes")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40
FRONT_DOOR_LINES = 80


def module_name(path: Path, root: Path = PACKAGE) -> str:
    """paysite/charts/draw.py -> charts.draw; paysite/charts/__init__.py -> charts."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path = PACKAGE) -> set[str]:
    """The package modules one module imports, at its top or inside a function."""
    name = module_name(path, root).split(".")
    package = name if path.name == "__init__.py" else name[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            names = [target] if node.module else [f"{target}.{a.name}".strip(".")
                                                   for a in node.names]
            found.update(names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("paysite"):
            found.add(node.module.removeprefix("paysite").strip("."))
            found.update(f"{node.module}.{a.name}".removeprefix("paysite.")
                         for a in node.names if node.module == "paysite")
        elif isinstance(node, ast.Import):
            found.update(a.name.removeprefix("paysite").strip(".") for a in node.names
                         if a.name.split(".")[0] == "paysite")
    return {name for name in found if name}


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {name: {m for m in imported_modules(path) if m in modules}
            for name, path in modules.items()}


def stage(module: str) -> int:
    return STAGES.index(module.split(".")[0])


def test_every_module_belongs_to_a_stage():
    assert {name.split(".")[0] for name in import_graph()} - {""} == set(STAGES)


def test_imports_run_down_the_pipeline():
    upward = [(name, target) for name, targets in import_graph().items() for target in targets
              if name and stage(target) > stage(name)]
    assert upward == []


def test_import_graph_has_no_cycle():
    graph, done, path = import_graph(), set(), []

    def visit(name: str) -> None:
        assert name not in path, f"import cycle: {' -> '.join(path + [name])}"
        if name in done:
            return
        path.append(name)
        for target in sorted(graph[name]):
            visit(target)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert done == set(graph)


def test_the_import_check_sees_relative_absolute_and_lazy_imports(tmp_path):
    module = tmp_path / "paysite" / "charts" / "draw.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..svg import draw\nfrom .base import Table\n"
                      "import paysite.links\nfrom paysite.model import Chart\n"
                      "from paysite import write\n"
                      "def f():\n    from .. import pipeline\n", encoding="utf-8")
    assert imported_modules(module, tmp_path / "paysite") == {
        "svg", "charts.base", "links", "model", "write", "pipeline"}


def documented_imports() -> dict[str, set[str]]:
    """ARCHITECTURE.md's import list: `module <- a, b, c` (or `(nothing)`), one per line,
    a line that starts with spaces continuing the one before."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text.split("<!-- imports -->")[1].split("```")[1]
    listed, name = {}, None
    for line in block.strip().splitlines():
        if not line.startswith(" "):
            name, _, line = line.partition("<-")
            name = name.strip()
            listed[name] = set()
        listed[name].update(part.strip() for part in line.split(",")
                            if part.strip() not in ("", "(nothing)"))
    return listed


def import_list(graph: dict[str, set[str]]) -> str:
    """The import list as ARCHITECTURE.md writes it: modules in pipeline order."""
    def order(name: str) -> tuple:
        return stage(name), name.count("."), name
    return "\n".join(f"{name:<17}<- {', '.join(sorted(graph[name], key=order)) or '(nothing)'}"
                     for name in sorted(graph, key=order))


def test_architecture_lists_every_module_with_exactly_what_it_imports():
    actual = {name: targets for name, targets in import_graph().items() if name}
    assert documented_imports() == actual, (
        "ARCHITECTURE.md's import list differs from the code; the code's, one line a module "
        "(wrap long lines with a leading space):\n" + import_list(actual))


def test_architecture_tables_modules_in_the_order_imports_may_run():
    """ARCHITECTURE.md says a module imports only modules above it in its table of modules:
    the table lists the stages in the order the import check reads them."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = text.split("| module | stage | what it holds |")[1].split("\n\n")[0]
    assert tuple(re.findall(r"^\| `([a-z_]+)/?` \|", table, re.M)) == STAGES


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_modules_are_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


def test_build_py_is_only_the_front_door():
    assert len((ROOT / "build.py").read_text(encoding="utf-8").splitlines()) <= FRONT_DOOR_LINES


def long_functions(path: Path) -> list[str]:
    """Functions over the limit that carry no comment saying why they are long."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            body = lines[start - 1:node.end_lineno]
            if len(body) > MAX_FUNCTION_LINES and not any("# long:" in line for line in body):
                found.append(f"{path.name}:{node.lineno} {node.name} ({len(body)} lines)")
    return found


def test_functions_are_small():
    paths = sorted(PACKAGE.rglob("*.py")) + [ROOT / "build.py"]
    assert [problem for path in paths for problem in long_functions(path)] == []
