"""Shared by the lifecycle tests: a workspace with EDI partners, and orders made by intake."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from gateway.daemon.passes import process_external
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace
from tests.gateway.conftest import CONFIG, GLN_C1, GLN_S1, build_workspace

EDI_CONFIG = (
    CONFIG
    + """
[partners.edi]
name = "EANCOM buyer"
edi_ids = ["14:5412345000013"]
respond_at = "intake"
grants = [{ customer = "C1", site = "S1" }]

[partners.x12buyer]
name = "X12 buyer"
edi_ids = ["ZZ:NORTHWIND"]
respond_at = "intake"
grants = [{ customer = "C1", site = "S1" }]

[partners.eancom]
name = "EANCOM buyer answered once the supplier decided, told of shipments"
edi_ids = ["14:5412345000099"]
ship_notice = true
grants = [{ customer = "C1", site = "S1" }]

[partners.ansi]
name = "X12 buyer answered once the supplier decided, told of shipments"
edi_ids = ["ZZ:SOUTHWIND"]
ship_notice = true
grants = [{ customer = "C1", site = "S1" }]

[partners.replacer]
name = "Partner whose second file replaces the first"
duplicate_policy = "replace"
grants = [{ customer = "C1", site = "S1" }]
"""
)


@pytest.fixture(
    name="lifecycle_ws",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def lifecycle_ws_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    ws = build_workspace(tmp_path / "ws", database=url, config=EDI_CONFIG)
    yield ws
    ws.close()


@pytest.fixture(name="sqlite_lifecycle_ws")
def sqlite_lifecycle_ws_fixture(tmp_path: Path) -> Iterator[Workspace]:
    ws = build_workspace(tmp_path / "ws", config=EDI_CONFIG)
    yield ws
    ws.close()


def csv_order(number: str, lines: list[tuple[str, object]], customer: str | None = None) -> bytes:
    head = (
        "N° commande;Client;Code-barre;Quantité" if customer else "N° commande;Code-barre;Quantité"
    )
    rows = [head]
    for barcode, qty in lines:
        rows.append(";".join([number, *([customer] if customer else []), barcode, str(qty)]))
    return ("\n".join(rows) + "\n").encode("utf-8")


def xlsx_order(number: str, lines: list[tuple[str, object]]) -> bytes:
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["N° commande", "Code-barre", "Quantité commandée"])
    for barcode, qty in lines:
        sh.append([number, barcode, qty])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


#: Each order made here travels in an interchange of its own, as a translator numbers them
_interchange_numbers = itertools.count(1)


def edifact_order(
    number: str, barcode: str, qty: int, *, ref: str | None = None, sender: str = "5412345000013"
) -> bytes:
    ref = ref or f"IC{next(_interchange_numbers)}"
    segs = [
        f"UNB+UNOC:3+{sender}:14+3012345000000:14+250101:1200+{ref}'",
        "UNH+1+ORDERS:D:96A:UN:EAN008'",
        f"BGM+220+{number}+9'",
        "DTM+137:20250101:102'",
        f"NAD+BY+{GLN_C1}::9'",
        f"NAD+DP+{GLN_S1}::9'",
        f"LIN+1++{barcode}:EN'",
        f"QTY+21:{qty}:PCE'",
        "UNS+S'",
        "CNT+2:1'",
        "UNT+10+1'",
        f"UNZ+1+{ref}'",
    ]
    return ("\n".join(segs) + "\n").encode("latin-1")


def x12_order(
    number: str, barcode: str, qty: int, *, control: int | None = None, sender: str = "NORTHWIND"
) -> bytes:
    return x12_set(
        "850",
        [f"BEG*00*SA*{number}**20250101"],
        [f"PO1*1*{qty}*EA*4.10**EN*{barcode}"],
        sender=sender,
        control=control,
    )


def intake(ws: Workspace, partner: str, name: str, data: bytes) -> int:
    """Drop ``data`` through the real pipeline; the id of the one order it made."""
    src = ws.root / "incoming" / name
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    outcome = process_external(ws, partner, src)
    assert outcome.outcome == "processed", outcome.reason
    assert len(outcome.orders) == 1, outcome
    return outcome.orders[0].id


def outbox_files(ws: Workspace, partner: str, prefix: str) -> list[Path]:
    return sorted(p for p in ws.outbox(partner).iterdir() if p.name.startswith(prefix))


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def read_xlsx(path: Path, sheet: int = 0) -> list[dict[str, object]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def message_kinds(ws: Workspace, order_id: int) -> list[str]:
    from sqlalchemy import select

    with ws.sessions() as s:
        return list(
            s.scalars(
                select(OutgoingMessage.kind)
                .where(OutgoingMessage.order_id == order_id)
                .order_by(OutgoingMessage.id)
            )
        )


def edifact_message(
    message_type: str,
    head: list[str],
    lines: list[str],
    *,
    sender: str = "5412345000013",
    ref: str | None = None,
) -> bytes:
    """One interchange with one message: ``head`` after UNH, then ``lines`` and UNS/CNT.

    >>> b"UNH+1+ORDCHG:D:96A:UN:EAN005'" in edifact_message("ORDCHG:D:96A:UN:EAN005", [], [])
    True
    """
    ref = ref or f"IC{next(_interchange_numbers)}"
    body = [
        f"UNH+1+{message_type}",
        *head,
        f"NAD+BY+{GLN_C1}::9",
        f"NAD+DP+{GLN_S1}::9",
        *lines,
        "UNS+S",
    ]
    segs = [
        f"UNB+UNOC:3+{sender}:14+3012345000000:14+250101:1200+{ref}",
        *body,
        f"UNT+{len(body) + 1}+1",
        f"UNZ+1+{ref}",
    ]
    return ("'\n".join(segs) + "'\n").encode("latin-1")


def x12_set(
    set_id: str,
    head: list[str],
    lines: list[str],
    *,
    sender: str = "NORTHWIND",
    control: int | None = None,
    functional_id: str = "PO",
    version: str = "004010",
) -> bytes:
    """One interchange with one set: ``head`` after ST, parties, ``lines`` and CTT."""
    control = control or next(_interchange_numbers)
    st = [
        f"ST*{set_id}*0001",
        *head,
        f"N1*BY*Corner Shop*UL*{GLN_C1}",
        f"N1*ST*Lyon*UL*{GLN_S1}",
        *lines,
        f"CTT*{sum(1 for line in lines if line[:3] in ('PO1', 'POC'))}",
    ]
    st.append(f"SE*{len(st) + 1}*0001")
    segs = [
        f"ISA*00*          *00*          *ZZ*{sender:<15}*14*3012345000000  "
        f"*250101*1200*U*{version[:5]}*{control:09d}*0*P*>",
        f"GS*{functional_id}*{sender}*3012345000000*20250101*1200*{control}*X*{version}",
        *st,
        f"GE*1*{control}",
        f"IEA*1*{control:09d}",
    ]
    return ("~\n".join(segs) + "~\n").encode("utf-8")


def outbox_new(ws: Workspace, partner: str, before: set[Path]) -> list[Path]:
    """The partner's outbox files written since ``before`` was listed."""
    return sorted(p for p in ws.outbox(partner).iterdir() if p not in before)
