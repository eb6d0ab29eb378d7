"""Workbooks written at the XML level, for what no spreadsheet program would save:
a cell at XFD1048576, a 250 MB shared string, a NaN in a number cell, a lying dimension.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook {NS} xmlns:r="{_REL}"><sheets>
<sheet name="Commande" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def inline(ref: str, text: str) -> str:
    """A text cell that carries its text (no shared string)."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def number(ref: str, value: str) -> str:
    """A number cell holding ``value`` as written (``NaN``, ``INF``, ``1E+400``…)."""
    return f'<c r="{ref}"><v>{value}</v></c>'


def order_rows(lines: Iterable[tuple[str, str]], start: int = 2) -> str:
    """A header row, then one row per (barcode, quantity) as written."""
    head = f'<row r="1">{inline("A1", "Code-barre")}{inline("B1", "Quantité")}</row>'
    rows = [head]
    for n, (barcode, quantity) in enumerate(lines, start=start):
        rows.append(f'<row r="{n}">{inline(f"A{n}", barcode)}{number(f"B{n}", quantity)}</row>')
    return "".join(rows)


def workbook(
    sheet_data: str,
    *,
    dimension: str | None = None,
    shared_strings: bytes | None = None,
) -> bytes:
    """An .xlsx whose only sheet holds ``sheet_data`` (the XML inside ``<sheetData>``)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{dim}<sheetData>'
    sheet += sheet_data + "</sheetData></worksheet>"
    strings = shared_strings or f'<sst {NS} count="0" uniqueCount="0"></sst>'.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/sharedStrings.xml", strings)
    return buffer.getvalue()


def one_huge_string(size: int) -> bytes:
    """Shared strings holding one string of ``size`` characters."""
    head = f'<sst {NS} count="1" uniqueCount="1"><si><t>'.encode()
    return head + b"A" * size + b"</t></si></sst>"
