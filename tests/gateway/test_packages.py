"""Each package says what it is for and where each of its rules lives, and exports a few
entry points — the tree a newcomer reads stays true."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import gateway

#: Packages whose docstring indexes their modules ("where each rule lives")
INDEXED = ["admin", "catalog", "channels", "cli", "config", "daemon", "edi", "intake", "orders",
           "replies", "rules", "store", "web"]  # fmt: skip


def submodules(package: str) -> list[str]:
    pkg = importlib.import_module(package)
    found = []
    for info in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}."):
        if not info.ispkg and ".migrations." not in info.name:
            found.append(info.name)
    return found


@pytest.mark.parametrize("name", INDEXED)
def test_a_package_docstring_names_every_module_it_holds(name: str) -> None:
    package = f"gateway.{name}"
    doc = importlib.import_module(package).__doc__ or ""
    missing = [m for m in submodules(package) if f":mod:`{m}`" not in doc]
    assert not missing, f"{package}'s docstring does not say what these are for: {missing}"


def test_every_gateway_package_lists_where_its_rules_live_in_its_docstring() -> None:
    top = [i.name for i in pkgutil.iter_modules(gateway.__path__) if i.ispkg]
    assert sorted(top) == sorted(INDEXED)


def isort_style(name: str) -> tuple[int, str]:
    """ruff's RUF022 order: CONSTANTS, then Classes, then functions."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


MODULES = sorted(
    i.name
    for i in pkgutil.walk_packages(gateway.__path__, prefix="gateway.")
    # importing __main__ runs the command line; migrations are Alembic's scripts
    if not i.name.endswith("__main__") and ".migrations" not in i.name
)


@pytest.mark.parametrize("name", MODULES)
def test_exported_names_are_sorted_and_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", []))
    assert exported == sorted(exported, key=isort_style), f"{name}.__all__ is not sorted"
    absent = [n for n in exported if not hasattr(module, n)]
    assert not absent, f"{name}.__all__ names what it does not define: {absent}"


def test_a_package_exports_its_entry_points() -> None:
    for name in INDEXED:
        package = importlib.import_module(f"gateway.{name}")
        if name in ("channels", "daemon", "store"):
            continue  # folders of modules, each used on its own
        assert getattr(package, "__all__", None), f"gateway.{name} exports nothing"
