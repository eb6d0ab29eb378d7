"""Spreadsheet-shaped orders, whatever the container: CSV and XLSX both end up here.

A reader turns its bytes into rows of cells, each tagged with its physical line (CSV)
or row number (XLSX); this module finds the header row, maps its columns to the
canonical :class:`Field` names through French and English aliases (and the partner's
:class:`TabularProfile`), and turns the rows into :class:`OrderDocument` objects.

Rules, in the order they apply:

* The header is the row among the first 20 that matches the most aliases and has at
  least a quantity column and one product column (barcode, supplier reference,
  customer reference or name), unless the profile fixes ``header_row``.
* Headers compare without accents, case, punctuation, bracketed notes and plural
  ``s``: ``Code-barres``, ``CODE BARRE`` and ``Code barre (EAN)`` are the same header.
* Blank rows, repeated header rows and total rows (``Total``, ``TOTAL TTC``,
  ``Sous-total``… with no barcode or reference) are skipped; a row with neither a
  product nor a quantity is skipped with a warning; a row with a quantity and no
  product becomes a line carrying ``MISSING_PRODUCT_ID``.
* Rows are grouped into orders by the order-number column in first-appearance order; a
  row with an empty order number continues the order above it (rows before the first
  number join the first order).  Without an order-number column, the customer and site
  columns group the rows.
* A value that cannot be read (quantity, date, barcode in scientific notation) becomes a
  :class:`LineIssue` naming the column, the value and what was expected.  Nothing here
  raises for one bad cell.

Column mapping lives in :mod:`parsers.columns`, cell values in :mod:`parsers.cells`,
what writers share in :mod:`parsers.sheets`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from parsers.cells import (
    UNIT_SUFFIX,
    Cell,
    cell_barcode,
    cell_date,
    cell_number,
    cell_text,
    guess_decimal,
    is_total_label,
    parse_decimal,
)
from parsers.columns import (
    HEADER_SEARCH_ROWS,
    ORDER_FORM_SHEET,
    Field,
    HeaderMatch,
    TabularProfile,
    find_header,
)
from parsers.document import (
    IssueCode,
    LineIssue,
    Location,
    OrderDocument,
    OrderLine,
    SourceFormat,
)
from parsers.errors import EmptyFile, HeaderNotFound


@dataclass(slots=True, kw_only=True)
class TableResult:
    documents: list[OrderDocument]
    warnings: list[str]
    decimal: str
    header: HeaderMatch
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Order:
    document: OrderDocument
    lines: list[OrderLine] = field(default_factory=list)
    delivery_dates: set[date] = field(default_factory=set)


def read_table(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    *,
    source_format: SourceFormat,
    profile: TabularProfile | None = None,
    sheet: str | None = None,
    decimal_hint: str | None = None,
    excel_serial_dates: bool = False,
    header: HeaderMatch | None = None,
) -> TableResult:
    """Turn rows of cells (each with its physical line or row number) into orders.

    Raises :class:`HeaderNotFound` when no header qualifies and :class:`EmptyFile` when
    the header has no order line below it.
    """
    profile = profile or TabularProfile()
    if not any(any(cell_text(c) for c in cells) for _, cells in rows):
        raise EmptyFile("the file holds no rows")
    header = header or find_header(rows, profile)
    if header is None or not header.usable:
        raise _header_not_found(rows, profile, header)
    return _TableReader(rows, header, profile, source_format, sheet, excel_serial_dates)(
        decimal_hint
    )


def _header_not_found(
    rows: Sequence[tuple[int, Sequence[Cell]]], profile: TabularProfile, found: HeaderMatch | None
) -> HeaderNotFound:
    expected = "a header with a quantity column and a barcode, reference or name column"
    if found is not None:
        missing = "a quantity column" if Field.QUANTITY not in found.columns else None
        missing = missing or "a barcode, reference or name column"
        return HeaderNotFound(
            f"the header row has no {missing}",
            line=found.line,
            expected=expected,
            found=";".join(c for c in found.header_cells if c)[:200],
        )
    if profile.header_row is not None:
        return HeaderNotFound(
            f"the profile puts the header on line {profile.header_row}, which is past the end",
            line=profile.header_row,
            expected=expected,
        )
    first = next(((line, cells) for line, cells in rows if any(cell_text(c) for c in cells)), None)
    return HeaderNotFound(
        f"no order header in the first {HEADER_SEARCH_ROWS} rows",
        line=first[0] if first else None,
        expected=expected,
        found=";".join(t for c in first[1] if (t := cell_text(c)))[:200] if first else None,
    )


_SIMPLE_NUMBER = {",": re.compile(r"\d+(?:,\d+)?"), ".": re.compile(r"\d+(?:\.\d+)?")}


class _TableReader:
    """One pass over the data rows below a header.

    Written for speed (a 100,000-line CSV goes through here): fields are plain string
    keys, the common cell shapes (plain digits, ``12,5``) take a fast path, and a row
    builds one dict of the texts it holds, which becomes its ``columns`` record.
    """

    def __init__(self, rows, header, profile, source_format, sheet, excel_serial_dates):
        self.rows = rows
        self.header = header
        self.profile = profile
        self.format = source_format
        self.sheet = sheet
        self.excel_serials = excel_serial_dates
        self.warnings: list[str] = []
        #: Rows skipped as a matter of course (total rows…): said, but nothing to fix
        self.notes: list[str] = []
        self.date_cache: dict[str, date | None] = {}
        self.decimal = "."
        self.where = "row" if source_format is SourceFormat.XLSX else "line"
        ordered = sorted(header.columns.items(), key=lambda item: item[1])
        self.mapped = [(fld.value, index, header.names[fld]) for fld, index in ordered]
        self.index = {fld.value: index for fld, index in header.columns.items()}
        self.names = {fld.value: name for fld, name in header.names.items()}
        if Field.ORDER_NUMBER in header.columns:
            self.group_keys: tuple[str, ...] = ("order_number",)
        else:
            self.group_keys = tuple(k for k in ("customer", "site") if k in self.index)
        self.repeated_header = header.names[Field.QUANTITY] if header.line is not None else None
        self.all_text = source_format is SourceFormat.CSV
        self.keys = [key for key, _, _ in self.mapped]
        self.max_index = max(index for _, index, _ in self.mapped)
        getter = operator.itemgetter(*(index for _, index, _ in self.mapped))
        # itemgetter of one index returns the item itself, not a 1-tuple
        self.getter = getter if len(self.mapped) > 1 else (lambda cells: (getter(cells),))
        self.number_cache: dict[str, Decimal | None] = {}

    def __call__(self, decimal_hint: str | None) -> TableResult:
        data = self.rows[self.header.position + 1 :]
        self.decimal = self.profile.decimal or guess_decimal(
            self._sample_numbers(data), decimal_hint
        )
        self.simple_number = _SIMPLE_NUMBER[self.decimal]
        orders: dict[tuple, _Order] = {}
        leading: list[tuple[int, OrderLine, dict, date | None]] = []
        current: tuple | None = None
        group_keys = self.group_keys
        for line_no, cells in data:
            parsed = self._row(line_no, cells)
            if parsed is None:
                continue
            line, texts, order_date = parsed
            if len(group_keys) == 1:
                key = (texts.get(group_keys[0]),)
            else:
                key = tuple(texts.get(k) for k in group_keys)
            if any(key):
                current = key
            elif current is not None:
                key = current
            else:
                leading.append((line_no, line, texts, order_date))
                continue
            self._add(orders, key, line_no, line, texts, order_date)
        # Rows above the first order number belong to the first order.
        first_key = next(iter(orders), ())
        for line_no, line, texts, order_date in reversed(leading):
            self._add(orders, first_key, line_no, line, texts, order_date, prepend=True)
        if not orders:
            raise EmptyFile(
                "the header has no order line below it",
                line=self.header.line,
                expected="at least one row with a product and a quantity below the header",
            )
        documents = [self._finish(order) for order in orders.values()]
        return TableResult(
            documents=documents,
            warnings=self.warnings,
            decimal=self.decimal,
            header=self.header,
            notes=self.notes,
        )

    def _sample_numbers(self, data) -> list[str]:
        indexes = [self.index[k] for k in ("quantity", "unit_price") if k in self.index]
        sample = []
        for _, cells in data[:2000]:
            for index in indexes:
                if index < len(cells) and isinstance(cells[index], str) and cells[index]:
                    sample.append(cells[index])
        return sample

    def _add(self, orders, key, line_no, line, texts, order_date, prepend=False) -> None:
        order = orders.get(key)
        if order is None:
            document = OrderDocument(
                format=self.format,
                order_number=texts.get("order_number"),
                location=Location(line=line_no, sheet=self.sheet),
            )
            order = orders[key] = _Order(document=document)
        document = order.document
        for attr in ("customer", "site"):
            value = texts.get(attr)
            if value is None:
                continue
            current = getattr(document, attr)
            if current is None:
                setattr(document, attr, value)
            elif current != value:
                self.warnings.append(
                    f"{self.where} {line_no}: {attr} {value!r} differs from {current!r} "
                    f"given earlier for the same order; {current!r} is used"
                )
        if document.order_number is None and texts.get("order_number"):
            document.order_number = texts["order_number"]
        if document.order_date is None and order_date is not None:
            document.order_date = order_date
        if line.requested_delivery is not None:
            order.delivery_dates.add(line.requested_delivery)
        if prepend:
            order.lines.insert(0, line)
            document.location.line = line_no
        else:
            order.lines.append(line)

    def _finish(self, order: _Order) -> OrderDocument:
        document = order.document
        for number, line in enumerate(order.lines, start=1):
            line.line_no = number
        document.lines = order.lines
        document.customer = document.customer or self.profile.defaults.customer
        document.site = document.site or self.profile.defaults.site
        if len(order.delivery_dates) == 1:
            document.delivery_date = next(iter(order.delivery_dates))
        return document

    def _row(self, line_no: int, cells: Sequence[Cell]):
        """The line of one row with its texts by field and its order date; None to skip."""
        if self.all_text and len(cells) > self.max_index:
            # CSV: every cell is a string; one C-level fetch of the mapped cells.
            texts = {
                k: t for k, v in zip(self.keys, self.getter(cells), strict=True) if (t := v.strip())
            }
        else:
            texts = self._texts(cells)
        if not texts:
            if not any(cell_text(c) for c in cells):
                return None
        elif self.repeated_header is not None and texts.get("quantity") == self.repeated_header:
            return None  # the header repeated (multi-page exports)
        scientific = False
        barcode = None
        if "barcode" in texts:
            barcode, scientific = cell_barcode(cells[self.index["barcode"]])
        supplier_ref = texts.get("supplier_ref")
        customer_ref = texts.get("customer_ref")
        name = texts.get("name")
        first_id = barcode or supplier_ref or customer_ref
        if (
            not first_id
            or ("otal" in first_id or "OTAL" in first_id)
            and self._labels_total(barcode, supplier_ref, customer_ref)
        ):
            if any(isinstance(c, str) and is_total_label(c) for c in cells if c):
                self.notes.append(f"{self.where} {line_no}: total row skipped")
                return None
            if not name and "quantity" not in texts:
                self.notes.append(
                    f"{self.where} {line_no}: skipped, it has neither a product nor a quantity"
                )
                return None
        if "quantity" not in texts and (
            self.profile.blank_quantity == "skip" or self.sheet == ORDER_FORM_SHEET
        ):
            return None  # an order-form row the customer did not fill in
        issues: list[LineIssue] = []
        names = self.names
        line = OrderLine(
            line_no=0,
            location=Location(line=line_no, sheet=self.sheet),
            barcode=barcode,
            supplier_ref=supplier_ref,
            customer_ref=customer_ref,
            name=name,
            quantity_text=texts.get("quantity"),
            unit=texts.get("unit"),
            comment=texts.get("comment"),
            columns={key: names[key] for key in texts},
            issues=issues,
        )
        if scientific:
            column = names["barcode"]
            issues.append(
                LineIssue(
                    code=IssueCode.INVALID_VALUE,
                    column=column,
                    value=barcode,
                    message=(
                        f"barcode {barcode!r} in column {column!r} is in scientific notation: "
                        "Excel rounded it and its last digits are lost; format the column "
                        "as text in Excel (or keep the file as .xlsx) and send it again"
                    ),
                )
            )
        if not (barcode or supplier_ref or customer_ref or name):
            issues.append(
                LineIssue(
                    code=IssueCode.MISSING_PRODUCT_ID,
                    message="no barcode, reference or product name on this line",
                )
            )
        # Fast paths inlined (cached plain numbers and dates); the methods handle the rest.
        cache = self.number_cache
        quantity_text = line.quantity_text
        if (
            quantity_text is not None
            and (quantity := cache.get(quantity_text)) is not None
            and self.all_text
        ):
            line.quantity = quantity
        else:
            self._quantity(line, cells)
        if "unit_price" in texts:
            if (price := cache.get(texts["unit_price"])) is not None and self.all_text:
                line.unit_price = price
            else:
                self._unit_price(line, cells, texts["unit_price"], line_no)
        dates = self.date_cache
        if "delivery_date" in texts:
            found = dates.get(texts["delivery_date"]) if self.all_text else None
            line.requested_delivery = found or self._date_field(
                "delivery_date", cells, texts, issues
            )
        order_date = None
        if "order_date" in texts:
            found = dates.get(texts["order_date"]) if self.all_text else None
            order_date = found or self._date_field("order_date", cells, texts, issues)
        return line, texts, order_date

    @staticmethod
    def _labels_total(*identifiers: str | None) -> bool:
        """Whether every identifier present is really a total label (``Sous-total`` in EAN)."""
        present = [i for i in identifiers if i]
        # "otal" first: a cheap test that spares the full check on ordinary rows.
        return all("otal" in i or "OTAL" in i for i in present) and all(
            is_total_label(i) for i in present
        )

    def _texts(self, cells: Sequence[Cell]) -> dict[str, str]:
        width = len(cells)
        texts: dict[str, str] = {}
        for key, index, _ in self.mapped:
            if index < width and (text := cell_text(cells[index])) is not None:
                texts[key] = text
        return texts

    def _simple_number(self, text: str) -> Decimal | None:
        """Plain ``12`` / ``12,5`` texts, cached: a file repeats the same few quantities."""
        try:
            return self.number_cache[text]
        except KeyError:
            pass
        number = Decimal(text.replace(",", ".")) if self.simple_number.fullmatch(text) else None
        if len(self.number_cache) < 10_000:
            self.number_cache[text] = number
        return number

    def _quantity(self, line: OrderLine, cells: Sequence[Cell]) -> None:
        text = line.quantity_text
        column = self.names["quantity"]
        example = "12 or 12,5" if self.decimal == "," else "12 or 12.5"
        if text is None:
            line.issues.append(
                LineIssue(
                    code=IssueCode.MISSING_QUANTITY,
                    column=column,
                    message=f"no quantity in column {column!r} (expected a number like {example})",
                )
            )
            return
        raw = cells[self.index["quantity"]]
        if raw.__class__ is str and (quantity := self._simple_number(text)) is not None:
            line.quantity = quantity
            return
        quantity = cell_number(raw, self.decimal)
        if quantity is None and isinstance(raw, str):
            # "12 pcs": a number then a unit word; the word fills an empty unit column.
            match = UNIT_SUFFIX.fullmatch(text)
            if match:
                quantity = parse_decimal(match.group(1), self.decimal)
                if quantity is not None and line.unit is None:
                    line.unit = match.group(2)
        if quantity is None:
            line.issues.append(
                LineIssue(
                    code=IssueCode.INVALID_QUANTITY,
                    column=column,
                    value=text,
                    message=f"quantity {text!r} in column {column!r} is not a number "
                    f"(expected a number like {example})",
                )
            )
        line.quantity = quantity

    def _unit_price(self, line: OrderLine, cells: Sequence[Cell], text: str, line_no: int) -> None:
        raw = cells[self.index["unit_price"]]
        price = self._simple_number(text) if raw.__class__ is str else None
        if price is None:
            price = cell_number(
                text.strip("€$£ \u00a0") if isinstance(raw, str) else raw, self.decimal
            )
        if price is None:
            self.warnings.append(
                f"{self.where} {line_no}, column {self.names['unit_price']!r}: unit price "
                f"{text!r} is not a number; ignored"
            )
        line.unit_price = price

    def _date_field(
        self, key: str, cells, texts: dict[str, str], issues: list[LineIssue]
    ) -> date | None:
        text = texts[key]
        raw = cells[self.index[key]]
        if raw.__class__ is str:
            cached = self.date_cache.get(text)  # None: not read yet, or read as blank
            if cached is not None:
                return cached
        try:
            return cell_date(raw, self.profile.date_formats, self.excel_serials, self.date_cache)
        except ValueError:
            column = self.names[key]
            issues.append(
                LineIssue(
                    code=IssueCode.INVALID_DATE,
                    column=column,
                    value=text,
                    message=f"{key.replace('_', ' ')} {text!r} in column {column!r} is not a "
                    "date (expected a date like 31/12/2024 or 2024-12-31)",
                )
            )
            return None
