"""The house plan holds: every import points down the layers, and no modules import each other in a circle.

Layers, lowest first (README, "How it works"). A module may import from its own layer or any lower
one. Imports inside functions count too: a lazy import is still a dependency, and hiding a circle
behind one is how the old page map came to import the PDF writer that imported it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bookbuild"

# Top-level module or package of bookbuild -> its layer. A new one must be placed here.
LAYERS: dict[str, int] = {
    **dict.fromkeys(
        ["__init__", "model", "decisions", "errors", "config", "booktoml", "assets", "cache", "progress", "pages"], 1
    ),
    **dict.fromkeys(["typography", "structure", "breaks", "render", "readers"], 2),
    "transforms": 3,
    **dict.fromkeys(["writers", "verify"], 4),
    "pipeline": 5,
    **dict.fromkeys(
        ["inspect", "inspect_text", "review", "review_terminal", "review_page", "unreviewed", "checks", "shelf"], 6
    ),
    **dict.fromkeys(["cli", "__main__"], 7),
}


def module_name(path: Path) -> str:
    """``bookbuild/writers/pdf/parallel.py`` -> ``bookbuild.writers.pdf.parallel``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """The bookbuild modules ``path`` imports, anywhere in the file (``from P import m`` names P.m)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("bookbuild"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bookbuild"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found


def layer_of(module: str) -> int:
    """The layer of a dotted bookbuild module name."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    if top not in LAYERS:
        raise AssertionError(f"{module} has no layer: place '{top}' in LAYERS (and in README's plan)")
    return LAYERS[top]


def import_graph() -> dict[str, set[str]]:
    """Module -> the bookbuild modules it imports (itself and its parent packages left out)."""
    known = all_modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = {target for target in imported_modules(path, known) if target in known}
        graph[name] = {t for t in targets if t != name and not name.startswith(t + ".")}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_has_a_layer() -> None:
    for name in all_modules():
        layer_of(name)


def test_no_import_climbs_to_a_higher_layer() -> None:
    climbing = [
        f"{source} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
        for source, targets in import_graph().items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(source)
    ]
    assert climbing == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(import_graph()) == []


def test_readers_structure_and_verify_import_neither_transforms_nor_writers() -> None:
    graph = import_graph()
    offending = [
        f"{source} imports {target}"
        for source, targets in graph.items()
        if source.split(".")[1:2] in (["readers"], ["structure"], ["verify"])
        for target in targets
        if target.split(".")[1:2] in (["transforms"], ["writers"])
    ]
    assert offending == []


def test_the_epub_edition_never_imports_the_print_edition() -> None:
    graph = import_graph()
    offending = [
        f"{source} imports {target}"
        for source, targets in graph.items()
        if source.startswith("bookbuild.writers.epub")
        for target in targets
        if target.startswith("bookbuild.writers.pdf")
    ]
    assert offending == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_the_circle_finder_finds_circles(graph, expected) -> None:
    assert circles(graph) == expected


def test_the_layer_check_sees_an_import_inside_a_function(tmp_path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from bookbuild.cli import main\n    return main\n", encoding="utf-8")
    assert imported_modules(module, all_modules()) == {"bookbuild.cli"}
