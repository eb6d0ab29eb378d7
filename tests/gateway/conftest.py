"""Workspaces for gateway tests: a small real catalog, imported through the real importer.

``workspace`` runs each test that uses it on the embedded SQLite default *and* on a
real PostgreSQL server; ``sqlite_workspace`` is SQLite only, for tests whose subject is
not the store.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gateway.catalog.importer import Kind, import_file
from gateway.config.settings import CONFIG_NAME
from gateway.workspace import Workspace
from parsers.gtin import calc_check_digit


def ean(body: str) -> str:
    """``body`` completed with its check digit."""
    return body + calc_check_digit(body)


COFFEE = ean("400638133393")  # 4006381333931
COFFEE_CASE = ean("1400638133393")  # a carton of 12
TEA_UPC = "036000291452"  # UPC-A
SUGAR = ean("301234500107")
CHEESE = ean("301234500119")
OLD = ean("301234500118")
JAM_STRAWBERRY = ean("301234500112")
JAM_APRICOT = ean("301234500113")
WINE = ean("301234500110")

GLN_C1 = "3098765000011"
GLN_C2 = "3098765000028"
GLN_S1 = "3012345000017"
GLN_S2 = "3012345000024"

CATALOG = {
    Kind.PRODUCTS: [
        "sku;name;unit;sell_multiple;active;barcode;pack_qty",
        f"COF-250;Ground coffee arabica 250 g;EA;1;1;{COFFEE};1",
        f"COF-250;;;;;{COFFEE_CASE};12",
        f"TEA-GRN;Green tea Sencha 100 g;EA;1;1;{TEA_UPC};1",
        f"SUG-1K;Caster sugar 1 kg;EA;10;1;{SUGAR};1",
        f"CHE-KG;Comte cheese per kg;KG;0.5;1;{CHEESE};1",
        f"OLD-1;Butter biscuits 200 g;EA;1;0;{OLD};1",
        f"JAM-STR;Strawberry jam 370 g;EA;1;1;{JAM_STRAWBERRY};1",
        f"JAM-APR;Apricot jam 370 g;EA;1;1;{JAM_APRICOT};1",
        f"WIN-BDX;Red wine Bordeaux 75 cl;EA;6;1;{WINE};1",
    ],
    Kind.CUSTOMERS: ["code;name;gln", f"C1;Corner Shop;{GLN_C1}", f"C2;Hotel Belle Vue;{GLN_C2}"],
    Kind.SITES: ["code;name;gln", f"S1;Lyon warehouse;{GLN_S1}", f"S2;Lille warehouse;{GLN_S2}"],
    Kind.ASSORTMENTS: ["customer;sku", "C2;COF-250", "C2;TEA-GRN", "C2;JAM-STR"],
    Kind.CUSTOMER_REFS: ["customer;customer_ref;sku", "C1;MY-0042;JAM-STR"],
}

CONFIG = """
[supplier]
name = "Test Supplier"
gln = "3012345000000"
edi_id = "3012345000000"
edi_qualifier = "14"

[partners.shop]
name = "Corner Shop"
grants = [{ customer = "C1", site = "S1" }]

[partners.hotel]
name = "Hotel Belle Vue"
language = "fr"
default_site = "S1"
grants = [{ customer = "C2", site = "S1" }, { customer = "C2", site = "S2" }]

[partners.multi]
name = "Buying group"
grants = [{ customer = "C1", site = "S1" }, { customer = "C2", site = "S2" }]

[partners.strict]
name = "Refuses a second order with the same number"
duplicate_policy = "refuse"
grants = [{ customer = "C1", site = "S1" }]

[partners.rounder]
name = "Rounding partner"
quantity_policy = "round_up"
auto_validate = true
grants = [{ customer = "C1", site = "S1" }]
"""


def build_workspace(root: Path, *, database: str | None = None, config: str = CONFIG) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(config)
    if database:
        text = f'[gateway]\ndatabase = "{database}"\n' + text
    (root / CONFIG_NAME).write_text(text, encoding="utf-8")
    ws = Workspace.open(root)
    ws.ensure_folders()
    md = root / "masterdata"
    md.mkdir(exist_ok=True)
    with ws.sessions.begin() as s:
        for kind, lines in CATALOG.items():
            path = md / f"{kind.value}.csv"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            report = import_file(s, kind, path)
            assert not report.errors, report.errors
    return ws


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def workspace(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = build_workspace(tmp_path / "ws", database=url)
    yield ws
    ws.close()


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = build_workspace(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def drop(tmp_path: Path) -> Callable[[Workspace, str, str, bytes], Path]:
    """Put a file in a partner's inbox as a finished upload would (old enough to be settled)."""
    import os
    import time

    def _drop(ws: Workspace, partner: str, name: str, data: bytes) -> Path:
        path = ws.inbox(partner) / name
        tmp = path.with_name(f".{name}.tmp")
        tmp.write_bytes(data)
        tmp.rename(path)
        past = time.time() - 10
        os.utime(path, (past, past))
        return path

    return _drop
