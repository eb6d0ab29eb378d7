"""Shared by the admin's-loop tests: partners whose orders can be refused and then fixed,
EDI orders for any buyer, and master data imported row by row."""

from __future__ import annotations

import itertools
from pathlib import Path

from gateway.catalog.importer import Kind, import_file
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, GLN_C2, GLN_S1

LOOP_CONFIG = (
    CONFIG
    + """
[partners.ediC2]
name = "EANCOM buyer for the hotel"
respond_at = "intake"
edi_ids = ["14:5412345000013"]
grants = [{ customer = "C2", site = "S1" }]

[partners.x12C2]
name = "X12 buyer for the hotel"
respond_at = "intake"
edi_ids = ["ZZ:NORTHWIND"]
grants = [{ customer = "C2", site = "S1" }]

[partners.typo]
name = "A partner whose mapping profile name is mistyped"
mapping = "excel-frr"
grants = [{ customer = "C1", site = "S1" }]
"""
)

_numbers = itertools.count(7001)


def import_rows(ws: Workspace, kind: Kind, rows: list[str]) -> None:
    """Import master-data ``rows`` (the first is the header) through the real importer."""
    path = ws.root / "masterdata" / f"fix_{kind.value}_{next(_numbers)}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with ws.sessions.begin() as s:
        report = import_file(s, kind, path)
    assert not report.errors, report.errors


def edifact_order(number: str, lines: list[tuple[str, int]], *, buyer: str = GLN_C2) -> bytes:
    ref = f"IC{next(_numbers)}"
    segs = [
        f"UNB+UNOC:3+5412345000013:14+3012345000000:14+250101:1200+{ref}'",
        "UNH+1+ORDERS:D:96A:UN:EAN008'",
        f"BGM+220+{number}+9'",
        "DTM+137:20250101:102'",
        f"NAD+BY+{buyer}::9'",
        f"NAD+DP+{GLN_S1}::9'",
    ]
    for i, (barcode, qty) in enumerate(lines, 1):
        segs += [f"LIN+{i}++{barcode}:EN'", f"QTY+21:{qty}:PCE'"]
    segs += ["UNS+S'", f"CNT+2:{len(lines)}'"]
    segs += [f"UNT+{len(segs)}+1'", f"UNZ+1+{ref}'"]  # UNH to UNT: all but the UNB
    return ("\n".join(segs) + "\n").encode("latin-1")


def x12_order(number: str, lines: list[tuple[str, int]], *, buyer: str = GLN_C2) -> bytes:
    control = next(_numbers)
    st = [
        "ST*850*0001",
        f"BEG*00*SA*{number}**20250101",
        f"N1*BY*Hotel*UL*{buyer}",
        f"N1*ST*Lyon*UL*{GLN_S1}",
    ]
    for i, (barcode, qty) in enumerate(lines, 1):
        st.append(f"PO1*{i}*{qty}*EA*4.10**EN*{barcode}")
    st += [f"CTT*{len(lines)}"]
    st.append(f"SE*{len(st) + 1}*0001")
    segs = [
        "ISA*00*          *00*          *ZZ*NORTHWIND      *14*3012345000000  "
        f"*250101*1200*U*00401*{control:09d}*0*P*>",
        f"GS*PO*NORTHWIND*3012345000000*20250101*1200*{control}*X*004010",
        *st,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return ("~\n".join(segs) + "~\n").encode("ascii")


def outbox(ws: Workspace, partner: str) -> list[str]:
    folder = ws.outbox(partner)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def drop_file(ws: Workspace, partner: str, name: str, data: bytes) -> Path:
    src = ws.root / "incoming" / name
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    return src
