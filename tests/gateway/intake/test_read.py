"""Which reader reads a file, within its partner's bounds: plain data in, typed errors out."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from gateway.config.mapping import MappingProfile
from gateway.config.settings import parse_config
from gateway.intake.read import read_file
from parsers.errors import TooLarge
from tests.gateway.conftest import COFFEE
from tests.gateway.lifecycle_support import EDI_CONFIG, edifact_order, x12_order
from tests.gateway.running import order
from tests.parsers.workbook_xml import order_rows, workbook

BOUNDED = """
[partners.edi]
name = "EANCOM buyer"
edi_ids = ["14:5412345000013", "ZZ:NORTHWIND"]
grants = [{ customer = "C1", site = "S1" }]
max_lines = 40
max_orders_per_file = 3
max_interchanges_per_file = 2
"""
CONFIG = parse_config(tomllib.loads(BOUNDED), Path("gateway.toml"))


def read(data: bytes, name: str):  # noqa: ANN201
    return read_file(data, name, "edi", CONFIG, MappingProfile())


def test_a_csv_of_more_lines_than_allowed_is_refused_before_it_is_parsed():
    with pytest.raises(TooLarge, match="41 lines, more than the 40 allowed"):
        read(order("PO-1", lines=40), "o.csv")


def test_a_csv_at_the_line_bound_is_read():
    assert len(read(order("PO-1", lines=39), "o.csv").documents) == 1


def test_a_file_of_more_orders_than_allowed_is_refused_before_any_is_resolved():
    rows = b"".join(f"PO-{n};{COFFEE};1\n".encode() for n in range(4))
    with pytest.raises(TooLarge, match="4 orders, more than the 3 allowed"):
        read(b"N\xc2\xb0 commande;Code-barre;Quantit\xc3\xa9\n" + rows, "o.csv")


def test_a_file_of_more_interchanges_than_allowed_is_refused():
    data = b"".join(edifact_order(f"PO-{n}", COFFEE, 1) for n in range(3))
    with pytest.raises(TooLarge, match="3 interchanges, more than the 2 allowed"):
        read(data, "o.edi")


def test_x12_interchanges_are_bounded_too():
    data = b"".join(x12_order(f"PO-{n}", COFFEE, 1, control=900 + n) for n in range(3))
    with pytest.raises(TooLarge, match="max_interchanges_per_file"):
        read(data, "o.x12")


def test_the_default_bounds_leave_room_for_ordinary_files():
    defaults = parse_config(tomllib.loads(EDI_CONFIG), Path("gateway.toml"))
    rows = b"".join(f"PO-{n % 20};{COFFEE};{1 + n % 9}\n".encode() for n in range(5_000))
    csv = b"N\xc2\xb0 commande;Code-barre;Quantit\xc3\xa9\n" + rows
    read_csv = read_file(csv, "o.csv", "shop", defaults, MappingProfile())
    assert len(read_csv.documents) == 20
    sheet = workbook(order_rows((COFFEE, "1") for _ in range(10_000)))
    [doc] = read_file(sheet, "o.xlsx", "shop", defaults, MappingProfile()).documents
    assert len(doc.lines) == 10_000
