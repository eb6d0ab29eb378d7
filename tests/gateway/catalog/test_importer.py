"""Master-data import: canonical and French headers, CSV and XLSX, idempotent, errors located."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from gateway.catalog.importer import ImportFailed, Kind, import_file, import_rows
from gateway.store.models import Barcode, Customer, Grant, Product
from gateway.workspace import Workspace
from tests.gateway.conftest import COFFEE, ean


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def imported(ws, kind: Kind, path: Path):  # noqa: ANN001, ANN201
    with ws.sessions.begin() as s:
        return import_file(s, kind, path, partners=ws.config.partners)


def test_reimport_reports_created_updated_unchanged(workspace, tmp_path):
    f = write(
        tmp_path / "p.csv", "sku;name\nNEW-1;New thing\nCOF-250;Ground coffee arabica 250 g\n"
    )
    first = imported(workspace, Kind.PRODUCTS, f)
    assert vars(first.changes["products"]) == {"created": 1, "updated": 0, "unchanged": 1}
    again = imported(workspace, Kind.PRODUCTS, f)
    assert vars(again.changes["products"]) == {"created": 0, "updated": 0, "unchanged": 2}
    renamed = write(tmp_path / "p2.csv", "sku;name\nNEW-1;Renamed thing\n")
    third = imported(workspace, Kind.PRODUCTS, renamed)
    assert vars(third.changes["products"]) == {"created": 0, "updated": 1, "unchanged": 0}
    with workspace.sessions() as s:
        assert s.scalar(select(Product.name).where(Product.sku == "NEW-1")) == "Renamed thing"


def test_french_headers_in_cp1252_are_understood(workspace, tmp_path):
    text = "Référence;Désignation;Unité;Multiple de vente;Actif\nFR-1;Pâté de campagne;EA;6;oui\n"
    report = imported(workspace, Kind.PRODUCTS, write(tmp_path / "p.csv", text, "cp1252"))
    assert report.changes["products"].created == 1
    with workspace.sessions() as s:
        p = s.scalar(select(Product).where(Product.sku == "FR-1"))
        assert (p.name, p.sell_multiple, p.active) == ("Pâté de campagne", 6, True)


def test_barcodes_with_pack_quantity_and_invalid_ones_located(workspace, tmp_path):
    case = ean("1301234500107")
    text = f"barcode,sku,pack_qty\n{case},SUG-1K,10\n1234,SUG-1K,1\n{ean('400000000001')},NOPE,1\n"
    report = imported(workspace, Kind.BARCODES, write(tmp_path / "b.csv", text))
    assert report.changes["barcodes"].created == 1
    assert report.error_count == 2
    assert report.errors[0].startswith("line 3, column 'barcode'")
    assert "unknown product 'NOPE'" in report.errors[1]
    with workspace.sessions() as s:
        assert s.scalar(select(Barcode.pack_qty).where(Barcode.barcode == case)) == 10


def test_xlsx_master_data_with_numeric_barcodes(workspace, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["EAN", "SKU"])
    wb.active.append([int(ean("301234500999")), "COF-250"])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "b.xlsx"
    path.write_bytes(buf.getvalue())
    report = imported(workspace, Kind.BARCODES, path)
    assert report.changes["barcodes"].created == 1, report.errors


def test_missing_required_column_names_what_was_expected(workspace, tmp_path):
    with pytest.raises(ImportFailed, match="missing column.*name"):
        imported(workspace, Kind.PRODUCTS, write(tmp_path / "p.csv", "sku;price\nX;1\n"))


def test_grants_and_assortments_link_existing_codes(workspace, tmp_path):
    g = write(tmp_path / "g.csv", "partner;customer;site\nshop;C2;S2\nshop;C9;S1\n")
    report = imported(workspace, Kind.GRANTS, g)
    assert report.changes["grants"].created == 1
    assert "unknown customer 'C9'" in report.errors[0]
    a = write(tmp_path / "a.csv", "customer;sku\nC1;COF-250\n")
    imported(workspace, Kind.ASSORTMENTS, a)
    with workspace.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Grant)) == 1
        assert s.scalar(select(Customer.has_assortment).where(Customer.code == "C1")) is True


def test_a_grant_row_naming_an_unknown_partner_is_refused_with_the_nearest(workspace, tmp_path):
    g = write(tmp_path / "g.csv", "partner;customer;site\nshpo;C1;S1\nshop;C1;S1\n")
    report = imported(workspace, Kind.GRANTS, g)
    assert report.changes["grants"].created == 1
    assert report.errors == [
        "line 2, column 'partner': unknown partner 'shpo' (configured in gateway.toml: "
        "hotel, multi, rounder, shop, strict); did you mean 'shop'?"
    ]
    with workspace.sessions() as s:
        assert s.scalars(select(Grant.partner)).all() == ["shop"]


def test_invalid_gln_is_refused_with_its_line(workspace, tmp_path):
    f = write(tmp_path / "c.csv", f"code;name;gln\nC7;Seven;{COFFEE[:-1]}0\n")
    report = imported(workspace, Kind.CUSTOMERS, f)
    assert report.error_count == 1 and "line 2, column 'gln'" in report.errors[0]


def test_rows_typed_in_a_form_are_applied_like_a_files_rows(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        report = import_rows(s, Kind.ASSORTMENTS, [{"customer": "C2", "sku": "JAM-APR"}])
    assert report.changes["assortments"].created == 1 and not report.errors


def test_a_bad_row_typed_in_a_form_is_reported_with_its_column(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        report = import_rows(
            s,
            Kind.GRANTS,
            [{"partner": "shop", "customer": "C9", "site": "S1"}],
            partners=workspace.config.partners,
        )
    assert report.errors == ["line 1, column 'customer': unknown customer 'C9'"]


def test_a_grant_typed_in_a_form_for_an_unknown_partner_is_refused(workspace: Workspace) -> None:
    with workspace.sessions.begin() as s:
        report = import_rows(
            s,
            Kind.GRANTS,
            [{"partner": "shp", "customer": "C1", "site": "S1"}],
            partners=workspace.config.partners,
        )
    [error] = report.errors
    assert error.startswith("line 1, column 'partner': unknown partner 'shp'")
    assert "did you mean 'shop'" in error
