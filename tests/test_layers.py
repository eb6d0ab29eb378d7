"""The architecture as a test: imports point one way, and no module imports itself back.

``gateway/`` is layered (DESIGN.md, "Layout"; gateway/__init__.py draws it). A module may
import from its own package or from a package further down this list; peers on one
line may import each other as long as no cycle forms. ``parsers/`` imports nothing of
the gateway. Every import counts, at module level or inside a function: an import moved
into a function to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: Top to bottom; a package imports only from packages on later lines (or its own).
LAYERS: list[set[str]] = [
    {"__main__"},
    {"cli", "demo", "web"},
    {"daemon"},
    {"admin"},
    {"orders"},
    {"intake"},
    {"replies"},
    {"edi"},
    {"catalog"},
    {"rules"},
    {"config", "store", "workspace", "logs", "channels"},
    {"errors", "__init__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
#: Third-party or standard modules a layer must not touch (its reason in the comment)
FORBIDDEN = {
    "gateway.rules": {"sqlalchemy", "os", "shutil", "socket", "subprocess"},  # no I/O
    "gateway.channels": {"sqlalchemy", "parsers"},  # transport only
    "parsers": {"gateway", "sqlalchemy", "paramiko", "typer", "rich", "socket"},
}


def modules(root: str) -> dict[str, Path]:
    found = {}
    for path in sorted((REPO / root).rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


ALL = modules("gateway") | modules("parsers")


def imports(path: Path, name: str) -> Iterator[str]:
    """Every module ``path`` imports (``from X import Y`` counts as X.Y when that is a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            for a in node.names:
                yield f"{base}.{a.name}" if f"{base}.{a.name}" in ALL else base


def graph() -> dict[str, set[str]]:
    return {name: set(imports(path, name)) for name, path in ALL.items()}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_gateway_package_has_a_layer() -> None:
    unplaced = {layer_of(m) for m in ALL if m.startswith("gateway")} - set(RANK)
    assert not unplaced, f"add these packages to LAYERS: {sorted(unplaced)}"


def test_imports_point_down_the_layers() -> None:
    wrong = []
    for module, targets in graph().items():
        if not module.startswith("gateway."):
            continue
        for target in targets:
            if not target.startswith("gateway.") or layer_of(target) == layer_of(module):
                continue
            if RANK[layer_of(target)] < RANK[layer_of(module)]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the layer order:\n" + "\n".join(sorted(wrong))


@pytest.mark.parametrize("scope", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_it_must_not(scope: str) -> None:
    banned = FORBIDDEN[scope]
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph().items()
        if module == scope or module.startswith(scope + ".")
        for target in targets
        if target.split(".")[0] in banned or any(target.startswith(b + ".") for b in banned)
    ]
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    edges = {m: {t for t in ts if t in ALL and t != m} for m, ts in graph().items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == 1:
                return stack[stack.index(t) :] + [t]
            if t not in state and (cycle := visit(t)):
                return cycle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(edges):
        if m not in state and (cycle := visit(m)):
            pytest.fail("import cycle: " + " → ".join(cycle))
