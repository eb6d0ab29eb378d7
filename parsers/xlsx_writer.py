"""Writing a workbook (.xlsx) of :class:`~parsers.sheets.Sheet` tables, part by part.

A 100,000-line acknowledgement is about 1.2 million cells. Through XlsxWriter each cell
was a few Python calls to store it and a few more to write it out (5–6 s for such an
acknowledgement, 4.5 s of it in the library whatever we did around it); here a sheet's
rows become their XML in one pass of string formatting, and the package is a zip of a
few fixed parts. What a person opening it sees is what the XlsxWriter workbook showed:
a bold, frozen, filtered header row (rows above it when the sheet has a preamble),
column widths fitted to the content, rejected rows in red and adjusted rows in amber, a
column to fill in set apart in yellow, numbers as numbers, dates with a date format,
and text a spreadsheet would take for a formula as a string cell with Excel's "quote
prefix" (see :func:`parsers.sheets.needs_neutralising`).

Strings are written inline in their cells (``t="inlineStr"``, as XlsxWriter's
``constant_memory`` mode does), so no shared-strings table is built; characters XML
cannot carry are written the way Excel escapes them (``_x0001_``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from parsers.cells import Cell
from parsers.columns import column_letter
from parsers.sheets import RowStyle, Sheet, needs_neutralising

_FILLS = {RowStyle.REJECTED: "F8CBAD", RowStyle.ADJUSTED: "FFE699"}
#: The fill of a column a person is asked to fill in
_HIGHLIGHT = "FFF2CC"
_HEADER_FILL = "D9E1F2"
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")
#: Characters XML 1.0 cannot hold (tab, line feed and carriage return it can)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATE_FORMAT, _DATETIME_FORMAT = 164, 165  # the first ids free for custom number formats
_NUMBER_FORMATS = {_DATE_FORMAT: "dd/mm/yyyy", _DATETIME_FORMAT: "dd/mm/yyyy hh:mm"}
#: The longest text a cell holds, in UTF-16 units (longer text is cut, as XlsxWriter did)
_MAX_TEXT = 32767
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 for every date after 1900-02-28


def write_table(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per :class:`Sheet`, ready for a person to read."""
    # A workbook holds at least one worksheet (XlsxWriter too added an empty one).
    sheets = sheets or [Sheet(title="Sheet1", headers=[])]
    styles = _Styles()
    titles: list[str] = []
    filters: list[str | None] = []
    used: set[str] = set()
    buffer = BytesIO()
    # Level 1: a 100,000-line sheet is tens of MB of repetitive XML; level 6 takes three
    # times as long for a file a quarter smaller.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, sheet in enumerate(sheets, start=1):
            titles.append(_sheet_title(sheet.title, used))
            head, chunks, tail, filtered = _worksheet(sheet, styles, selected=n == 1)
            filters.append(filtered)
            # Written piece by piece: the whole sheet as one text, then as bytes, would
            # hold it twice more.
            with z.open(f"xl/worksheets/sheet{n}.xml", "w") as part:
                part.write(head.encode())
                for chunk in chunks:
                    part.write(chunk)
                part.write(tail.encode())
        # The parts that name the sheets and the formats they use, now all known.
        z.writestr("[Content_Types].xml", _content_types(len(sheets)))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _workbook(titles, filters))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        z.writestr("xl/styles.xml", styles.xml())
    return buffer.getvalue()


#: Rows formatted, then encoded together
_ROWS_AT_ONCE = 5000


def _sheet_title(title: str, used: set[str]) -> str:
    base = _CONTROL.sub(" ", _INVALID_TITLE.sub(" ", title)).strip("'").strip()[:31] or "Sheet"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


class _Styles:
    """The workbook's cell formats (``cellXfs``), each made once, by what it shows."""

    def __init__(self) -> None:
        #: (bold header, fill, number format, quote prefix) → its index in cellXfs
        self.index: dict[tuple[bool, str | None, int, bool], int] = {(False, None, 0, False): 0}
        #: (style, fill) → the indices of text, quoted text, date and date-time cells
        self.rows: dict[tuple[RowStyle | None, str | None], tuple[int, int, int, int]] = {}

    def get(self, header: bool, fill: str | None, number_format: int, quoted: bool) -> int:
        key = (header, fill, number_format, quoted)
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def cells(self, style: RowStyle | None, fill: str | None) -> tuple[int, int, int, int]:
        """A data row's formats: text, quoted text, date, date-time."""
        key = (style, fill)
        if key not in self.rows:
            colour = _FILLS[style] if style is not None else fill
            self.rows[key] = (
                self.get(False, colour, 0, False),
                self.get(False, colour, 0, True),
                self.get(False, colour, _DATE_FORMAT, False),
                self.get(False, colour, _DATETIME_FORMAT, False),
            )
        return self.rows[key]

    def xml(self) -> str:
        fills = sorted({fill for _, fill, _, _ in self.index if fill})
        fill_ids = {fill: n for n, fill in enumerate(fills, start=2)}  # 0, 1: Excel's own
        xfs = []
        for header, fill, number_format, quoted in self.index:
            attrs = f'numFmtId="{number_format}" fontId="{int(header)}" '
            attrs += f'fillId="{fill_ids[fill] if fill else 0}" borderId="{int(header)}" xfId="0"'
            if number_format:
                attrs += ' applyNumberFormat="1"'
            if fill:
                attrs += ' applyFill="1"'
            if quoted:
                attrs += ' quotePrefix="1"'
            if header:
                attrs += ' applyFont="1" applyBorder="1" applyAlignment="1"'
                xfs.append(f'<xf {attrs}><alignment vertical="top" wrapText="1"/></xf>')
            else:
                xfs.append(f"<xf {attrs}/>")
        formats = "".join(
            f'<numFmt numFmtId="{n}" formatCode="{code}"/>' for n, code in _NUMBER_FORMATS.items()
        )
        solid = "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fill}"/>'
            '<bgColor indexed="64"/></patternFill></fill>'
            for fill in fills
        )
        return (
            _XML_HEAD + f'<styleSheet xmlns="{_MAIN_NS}">'
            f'<numFmts count="{len(_NUMBER_FORMATS)}">{formats}</numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
            f'<fills count="{2 + len(fills)}"><fill><patternFill patternType="none"/></fill>'
            f'<fill><patternFill patternType="gray125"/></fill>{solid}</fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>'
            "<diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
        )


def _worksheet(
    sheet: Sheet, styles: _Styles, *, selected: bool
) -> tuple[str, list[bytes], str, str | None]:
    """The worksheet's XML as what comes before its rows, its rows (in chunks of bytes),
    and what comes after; and the range its filter covers (None: no filter)."""
    width = max([len(sheet.headers), *map(len, sheet.preamble), *map(len, sheet.rows)], default=0)
    letters = [column_letter(c) for c in range(max(width, 1))]
    widths = [len(str(h)) for h in sheet.headers]
    rows: list[str] = []
    #: the rows so far, a few thousand at a time, as the bytes the sheet holds: as
    #: text, a row with one "—" takes two bytes a character
    chunks: list[bytes] = []
    plain = styles.cells(None, None)
    for r, values in enumerate(sheet.preamble, start=1):
        rows.append(_row(r, values, letters, plain, plain, None, None))
    top = len(sheet.preamble) + 1  # the header's row, counted from 1
    if sheet.headers:
        header = styles.get(True, _HEADER_FILL, 0, False)
        highlighted = styles.get(True, _HIGHLIGHT, 0, False)
        cells = "".join(
            f'<c r="{letters[c]}{top}" s="{highlighted if c == sheet.highlight else header}"'
            f' t="inlineStr"><is>{_text(str(h))}</is></c>'
            for c, h in enumerate(sheet.headers)
        )
        rows.append(f'<row r="{top}">{cells}</row>')
    highlight = sheet.highlight
    for i, values in enumerate(sheet.rows):
        style = sheet.style(i)
        formats = styles.cells(style, None)
        # A highlighted column of a plain row is filled; a styled row keeps its colour.
        marked = styles.cells(None, _HIGHLIGHT) if highlight is not None and style is None else None
        rows.append(_row(top + 1 + i, values, letters, formats, marked, highlight, widths))
        if len(rows) == _ROWS_AT_ONCE:
            chunks.append(_encoded(rows))
            rows.clear()
    if rows:
        chunks.append(_encoded(rows))
    last_row = top + len(sheet.rows) if sheet.headers or sheet.rows else len(sheet.preamble)
    extent = f"A1:{letters[max(width, 1) - 1]}{max(last_row, 1)}" if chunks else "A1"
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{_column_width(w)}" customWidth="1"/>'
        for c, w in enumerate(widths)
    )
    filtered = None
    if sheet.headers:
        last = letters[len(sheet.headers) - 1]
        filtered = f"A{top}:{last}{top + max(len(sheet.rows), 1)}"
    head = (
        _XML_HEAD + f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        f'<dimension ref="{extent}"/>'
        f'<sheetViews><sheetView{_SELECTED if selected else ""} workbookViewId="0">'
        f'<pane ySplit="{top}" topLeftCell="A{top + 1}" activePane="bottomLeft" state="frozen"/>'
        f'<selection pane="bottomLeft" activeCell="A{top + 1}" sqref="A{top + 1}"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )
    tail = (
        "</sheetData>"
        + (f'<autoFilter ref="{filtered}"/>' if filtered else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3"'
        ' footer="0.3"/></worksheet>'
    )
    return head, chunks, tail, filtered


def _encoded(rows: list[str]) -> bytes:
    # Text from partners may hold characters XML cannot (the markup holds none).
    return _CONTROL.sub(_excel_escape, "".join(rows)).encode()


def _row(
    r: int,
    values: Sequence[Cell],
    letters: list[str],
    formats: tuple[int, int, int, int],
    marked: tuple[int, int, int, int] | None,
    highlight: int | None,
    widths: list[int] | None,
) -> str:
    """One row's XML; ``widths`` (when given) grows to what each cell needs."""
    cells = []
    for c, value in enumerate(values):
        text, quoted, day, moment = marked if c == highlight and marked else formats
        if value.__class__ is str or not isinstance(value, (int, float, Decimal, date, type(None))):
            s = value if value.__class__ is str else str(value)
            need = max(map(len, s.splitlines()), default=0) if "\n" in s or "\r" in s else len(s)
            style = quoted if needs_neutralising(s) else text
            if len(s) > _MAX_TEXT // 2:  # below half the limit no text can reach it
                s = _within_limit(s)
            ref = f"{letters[c]}{r}"
            cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is>{_text(s)}</is></c>')
        elif value is None:
            if text:  # an empty cell of no style is none
                cells.append(f'<c r="{letters[c]}{r}" s="{text}"/>')
            need = 0
        elif value is True or value is False:
            cells.append(f'<c r="{letters[c]}{r}" s="{text}" t="b"><v>{int(value)}</v></c>')
            need = 5
        elif isinstance(value, int | float | Decimal):
            number = f"{float(value):.16G}"
            if "N" in number:  # NAN, INF: no number a cell holds; shown as the text it is
                cells.append(
                    f'<c r="{letters[c]}{r}" s="{text}" t="inlineStr"><is><t>{value}</t></is></c>'
                )
            else:
                cells.append(f'<c r="{letters[c]}{r}" s="{text}"><v>{number}</v></c>')
            need = len(str(value))
        elif isinstance(value, datetime):
            cells.append(f'<c r="{letters[c]}{r}" s="{moment}"><v>{_serial(value):.16G}</v></c>')
            need = 16
        else:
            cells.append(f'<c r="{letters[c]}{r}" s="{day}"><v>{_serial(value):.16G}</v></c>')
            need = 10
        if widths is not None:
            if c < len(widths):
                if need > widths[c]:
                    widths[c] = need
            else:
                widths.append(need)
    return f'<row r="{r}">{"".join(cells)}</row>'


def _text(s: str) -> str:
    """A string's ``<t>`` element, its spaces kept when they lead or trail."""
    # Most cells have nothing to escape: three scans cost less than three replacements.
    t = escape(s) if "&" in s or "<" in s or ">" in s else s
    if s.strip() == s:  # the same object when nothing is stripped: compared at once
        return f"<t>{t}</t>"
    return f'<t xml:space="preserve">{t}</t>'


def _within_limit(s: str) -> str:
    """``s`` cut to the :data:`_MAX_TEXT` UTF-16 units a cell holds (what Excel counts:
    a character past U+FFFF is two), never inside such a character."""
    units = s.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * _MAX_TEXT:
        return s
    cut = units[: 2 * _MAX_TEXT]
    if 0xD8 <= cut[-1] <= 0xDB:  # the first half of a pair: the character goes whole
        cut = cut[:-2]
    return cut.decode("utf-16-le", "surrogatepass")


def _serial(value: date) -> float:
    """Excel's serial day number (with the day's fraction) of a date or date-time."""
    moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    serial = delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
    # Excel counts a 29 February 1900 that never was: before 1 March 1900, one day less.
    return serial - 1 if serial < 61 else serial


def _column_width(chars: int) -> float:
    """The stored width of a column ``chars`` characters wide (between 6 and 60, plus
    a margin of 2), in Excel's units for its default font (7-pixel digits, 5 pixels of
    padding), as Excel itself stores it."""
    width = min(max(chars, 6), 60) + 2
    return int((width * 7 + 5) / 7 * 256) / 256


def _excel_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, sheets + 1)
    )
    return (
        _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(titles: list[str], filters: list[str | None]) -> str:
    sheets = "".join(
        f'<sheet name={_attr(t)} sheetId="{n}" r:id="rId{n}"/>'
        for n, t in enumerate(titles, start=1)
    )
    # Excel keeps a filter's range as this hidden name too, and repairs a file without it.
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"{escape(_quoted_title(titles[n]))}!{_absolute(f)}</definedName>"
        for n, f in enumerate(filters)
        if f
    )
    return (
        _XML_HEAD + f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{sheets}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + "</workbook>"
    )


def _workbook_rels(sheets: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    styles = f'<Relationship Id="rId{sheets + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/>'
    return _XML_HEAD + f'<Relationships xmlns="{_PACKAGE_REL_NS}">{rels}{styles}</Relationships>'


def _attr(value: str) -> str:
    return '"' + escape(value, {'"': "&quot;"}) + '"'


def _quoted_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _absolute(extent: str) -> str:
    """``A1:B3`` → ``$A$1:$B$3``."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref) for ref in extent.split(":"))


_SELECTED = ' tabSelected="1"'
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PACKAGE_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

__all__ = ["write_table"]
