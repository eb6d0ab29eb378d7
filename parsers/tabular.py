"""Spreadsheet-shaped orders, whatever the container: CSV and XLSX both end up here.

A reader turns its bytes into rows of cells, each tagged with its physical line (CSV)
or row number (XLSX); this module finds the header row, maps its columns to the
canonical :class:`Field` names through French and English aliases (and the partner's
:class:`TabularProfile`), and turns the rows into :class:`OrderDocument` objects.

Rules, in the order they apply:

* The header is the row among the first 20 that matches the most aliases and has at
  least a quantity column and one product column (barcode, supplier reference,
  customer reference or name), unless the profile fixes ``header_row``. When none has,
  the error names the missing column and the header that is probably it misspelt
  (``Qantité`` → ``Quantité``).
* Headers compare without accents, case, punctuation, bracketed notes and plural
  ``s``: ``Code-barres``, ``CODE BARRE`` and ``Code barre (EAN)`` are the same header.
* The rows above the header are its header block (:mod:`parsers.header_block`):
  ``N° de commande : HB-5540``, ``Site de livraison | LILLE``… give the order's number,
  customer, site, dates, comment and the buyer's reference, unless a column gives them.
* Blank rows are skipped; repeated header rows and total rows (``Total``, ``TOTAL TTC``,
  ``Sous-total``… with no barcode or reference) are skipped and listed; a row that is
  no line — text under or beside the table, with no product and no quantity, or a
  sentence where a product would be — is a note: it joins the order's comment
  (``OrderDocument.notes``), never a line. A row with a quantity and no product becomes
  a line carrying ``MISSING_PRODUCT_ID``.
* Rows are grouped into orders by the order-number column in first-appearance order; a
  row with an empty order number continues the order above it (rows before the first
  number join the table's first order).  Without an order-number column, the customer
  and site columns group the rows; a table that names no order joins its header
  block's order number, else the file's first order.  Several tables (the sheets of a
  workbook, :func:`read_tables`) make one file.
* A value that cannot be read (quantity, date, barcode in scientific notation) becomes a
  :class:`LineIssue` naming the column, the value and what was expected.  Nothing here
  raises for one bad cell.
* What was left aside (rows, columns not read, cells beside the table, a value in
  conflict with the order's) is listed in ``TableResult.skipped``, for the sender.

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
    QUIET_HEADERS,
    Field,
    HeaderMatch,
    TabularProfile,
    best_candidate,
    find_header,
    missing_fields,
    nearest_header,
    normalise_header,
)
from parsers.document import (
    IssueCode,
    LineIssue,
    Location,
    OrderDocument,
    OrderLine,
    SkipKind,
    Skipped,
    SourceFormat,
)
from parsers.errors import EmptyFile, HeaderNotFound
from parsers.header_block import HeaderBlock, read_header_block


@dataclass(slots=True, kw_only=True)
class TableSource:
    """One table to read: the rows of a CSV file, or of one worksheet."""

    rows: Sequence[tuple[int, Sequence[Cell]]]
    sheet: str | None = None
    header: HeaderMatch | None = None


@dataclass(slots=True, kw_only=True)
class TableResult:
    documents: list[OrderDocument]
    warnings: list[str]
    decimal: str
    #: The first table's header
    header: HeaderMatch
    skipped: list[Skipped] = field(default_factory=list)


#: An order's key: ("n", number) by its number, ("p", customer, site) by its parties
_Key = tuple[str | None, ...]
_FILE_ORDER: _Key = ("file",)
#: A row on its way to an order: (position in the file, the line or a note's text, the
#: row's texts by field, its order date, the header block of its table)
_Entry = tuple[int, "OrderLine | str", dict[str, str], "date | None", HeaderBlock]


@dataclass(slots=True)
class _Order:
    document: OrderDocument
    #: (position in the file, line): lines from several sheets end in file order
    lines: list[tuple[int, OrderLine]] = field(default_factory=list)
    delivery_dates: set[date] = field(default_factory=set)
    blocks: list[HeaderBlock] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


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
    return read_tables(
        [TableSource(rows=rows, sheet=sheet, header=header)],
        source_format=source_format,
        profile=profile,
        decimal_hint=decimal_hint,
        excel_serial_dates=excel_serial_dates,
    )


def read_tables(
    sources: Sequence[TableSource],
    *,
    source_format: SourceFormat,
    profile: TabularProfile | None = None,
    decimal_hint: str | None = None,
    excel_serial_dates: bool = False,
) -> TableResult:
    """The orders of several tables of one file (the sheets of a workbook), grouped as
    one: a line without an order number of its own joins its table's header block's
    order, else the file's."""
    profile = profile or TabularProfile()
    if not any(any(cell_text(c) for c in cells) for s in sources for _, cells in s.rows):
        raise EmptyFile("the file holds no rows", key="empty_file")
    orders = _Orders(source_format, profile, excel_serial_dates)
    first: HeaderMatch | None = None
    decimal = "."
    for source in sources:
        header = source.header or find_header(source.rows, profile)
        if header is None or not header.usable:
            raise _header_not_found(source.rows, profile, header, source.sheet)
        block = read_header_block(source.rows[: max(header.position, 0)], profile, source.sheet)
        reader = _TableReader(
            source.rows, header, profile, source_format, source.sheet, excel_serial_dates
        )
        found = reader(decimal_hint, orders, block)
        if first is None:
            first, decimal = header, reader.decimal
        if not found and len(sources) > 1:
            where = Location(line=header.line, sheet=source.sheet)
            orders.skipped.append(Skipped(kind=SkipKind.TABLE_WITHOUT_LINES, location=where))
    assert first is not None
    documents = orders.finish()
    if not documents:
        raise EmptyFile(
            "the header has no order line below it",
            line=first.line,
            sheet=sources[0].sheet,
            expected="at least one row with a product and a quantity below the header",
            key="no_order_lines",
        )
    return TableResult(
        documents=documents,
        warnings=[str(s) for s in orders.skipped],
        decimal=decimal,
        header=first,
        skipped=orders.skipped,
    )


def _header_not_found(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    profile: TabularProfile,
    found: HeaderMatch | None,
    sheet: str | None = None,
) -> HeaderNotFound:
    if found is None and profile.header_row is not None:
        return HeaderNotFound(
            f"the profile puts the header on line {profile.header_row}, which is past the end",
            line=profile.header_row,
            sheet=sheet,
            expected="a header with a quantity column and a barcode, reference or name column",
            key="header_row_past_end",
        )
    return missing_column(rows, profile, found, sheet)


def missing_column(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    profile: TabularProfile,
    found: HeaderMatch | None = None,
    sheet: str | None = None,
) -> HeaderNotFound:
    """What keeps the rows' most header-like row from being an order header: the missing
    column named, with the header that is probably it misspelt."""
    expected = "a header with a quantity column and a barcode, reference or name column"
    candidate = found or best_candidate(rows, profile)
    if candidate is None:
        return HeaderNotFound(
            f"no order header in the first {HEADER_SEARCH_ROWS} rows",
            sheet=sheet,
            expected=expected,
            key="no_header",
            params={"rows": HEADER_SEARCH_ROWS},
        )
    missing = missing_fields(candidate)
    wanted = missing[0] if missing else Field.QUANTITY
    nearest = nearest_header(candidate, wanted)
    what = "quantity" if wanted is Field.QUANTITY else "barcode, reference or name"
    message = f"the header row has no {what} column"
    if nearest:
        message += f" (is {nearest[0]!r} meant to be {nearest[1]!r}?)"
    found_text = ";".join(c for c in candidate.header_cells if c)[:200]
    return HeaderNotFound(
        message,
        line=candidate.line,
        sheet=sheet,
        expected=expected,
        found=found_text,
        key="missing_column",
        params={
            "missing": wanted.value,
            "written": nearest[0] if nearest else None,
            "meant": nearest[1] if nearest else None,
            "headers": found_text,
        },
    )


_SIMPLE_NUMBER = {",": re.compile(r"\d+(?:,\d+)?"), ".": re.compile(r"\d+(?:\.\d+)?")}


def simple_number(text: str, decimal: str) -> Decimal | None:
    """A plain ``12`` / ``12,5`` text (``decimal`` its mark) as a number, else None (the
    text then needs the general reading of :func:`parsers.cells.cell_number`).

    >>> simple_number("12,5", ","), simple_number("12.5", ","), simple_number("1 200", ".")
    (Decimal('12.5'), None, None)
    """
    return Decimal(text.replace(",", ".")) if _SIMPLE_NUMBER[decimal].fullmatch(text) else None


#: What reads as a sentence rather than an identifier: punctuation ending a clause
_SENTENCE = re.compile(r"[.!?]\s+[A-ZÀ-Ý]|[.!?]$|\s[:;]\s")
_PRODUCT_KEYS = ("barcode", "supplier_ref", "customer_ref", "name")


def _prose(text: str) -> bool:
    """Whether a cell reads like a sentence (a note), not a product id or a name.

    >>> _prose("Merci de livrer avant vendredi 10h. Contact : Marie"), _prose("Choc. noir 70 %")
    (True, False)
    """
    words = text.split()
    return len(words) >= 8 or (len(words) >= 4 and _SENTENCE.search(text) is not None)


class _Orders:
    """The orders of one file as its tables are read, by key in first-appearance order."""

    def __init__(self, source_format: SourceFormat, profile: TabularProfile, serials: bool):
        self.format = source_format
        self.profile = profile
        self.serials = serials
        self.orders: dict[_Key, _Order] = {}
        self.skipped: list[Skipped] = []
        #: rows of tables that named no order at all, for the file's first order
        self.file_pending: list[_Entry] = []
        self.position = 0
        self.block = HeaderBlock()
        self.default: _Key | None = None
        self.current: _Key | None = None
        self.pending: list[_Entry] = []
        self.first_of_table: _Key | None = None

    def start(self, block: HeaderBlock) -> None:
        """A new table begins, under ``block``."""
        self.block = block
        self.skipped.extend(block.skipped)
        number = block.text(Field.ORDER_NUMBER)
        self.default = ("n", number) if number else None
        self.current = None
        self.pending = []
        self.first_of_table = None
        self.table_keys: list[_Key] = []
        self.last_key: _Key | None = None
        self.notes: list[_Entry] = []

    def add(
        self, key: _Key | None, item: OrderLine | str, texts: dict[str, str], order_date
    ) -> None:
        """A line (or a note) of the current table, with its own key when it has one.

        A note between lines belongs to the order above it; notes after the table's last
        line (under the table) to every order of the table."""
        self.position += 1
        if isinstance(item, str):
            self.notes.append((self.position, item, texts, order_date, self.block))
            return
        above = self.current or self.default
        if key is not None:
            self.current = key
        else:
            key = self.current or self.default
        if self.notes:
            for note in self.notes:
                self._place(above or key, note)
            self.notes = []
        order = self.orders.get(key) if key is not None and key == self.last_key else None
        if (
            order is not None
            and order.blocks[-1] is self.block
            and self.first_of_table is not None
            and order_date is None
            and item.requested_delivery is None
            and "customer" not in texts
            and "site" not in texts
        ):
            # The common row: one more line of the order above it, nothing else to note.
            order.lines.append((self.position, item))
            return
        self._place(key, (self.position, item, texts, order_date, self.block))

    def _place(self, key: _Key | None, entry: _Entry) -> None:
        if key is None:
            self.pending.append(entry)
            return
        if key != self.last_key:  # a table's rows mostly follow one order
            self.last_key = key
            if key not in self.table_keys:
                self.table_keys.append(key)
        self._put(key, entry)

    def end(self) -> None:
        """The table is done: rows above its first order number join its first order;
        notes under it join each of its orders."""
        for entry in self.pending:
            if self.first_of_table is None:
                self.file_pending.append(entry)
            else:
                self._put(self.first_of_table, entry)
        for entry in self.notes:
            if not self.table_keys:
                self.file_pending.append(entry)
            for key in self.table_keys:
                self._put(key, entry)

    def _put(self, key: _Key, entry: _Entry) -> None:
        position, item, texts, order_date, block = entry
        order = self.orders.get(key)
        if order is None:
            document = OrderDocument(
                format=self.format, order_number=key[1] if key[0] == "n" else None
            )
            order = self.orders[key] = _Order(document=document)
        if self.first_of_table is None:
            self.first_of_table = key
        if not order.blocks or order.blocks[-1] is not block and block not in order.blocks:
            order.blocks.append(block)
        if isinstance(item, str):
            order.notes.append(item)
            return
        document = order.document
        for attr in ("customer", "site"):
            value = texts.get(attr)
            if value is None:
                continue
            current = getattr(document, attr)
            if current is None:
                setattr(document, attr, value)
            elif current != value:
                self.skipped.append(
                    Skipped(
                        kind=SkipKind.CONFLICTING_VALUE,
                        location=item.location,
                        field=attr,
                        text=value,
                        kept=current,
                    )
                )
        if document.order_date is None and order_date is not None:
            document.order_date = order_date
        if item.requested_delivery is not None:
            order.delivery_dates.add(item.requested_delivery)
        order.lines.append((position, item))

    def finish(self) -> list[OrderDocument]:
        if self.file_pending:
            key = next(iter(self.orders), _FILE_ORDER)
            for entry in self.file_pending:
                self._put(key, entry)
        return [self._document(order) for order in self.orders.values() if order.lines]

    def _document(self, order: _Order) -> OrderDocument:
        document = order.document
        order.lines.sort(key=operator.itemgetter(0))
        document.lines = [line for _, line in order.lines]
        for number, line in enumerate(document.lines, start=1):
            line.line_no = number
        first = document.lines[0].location
        document.location = Location(line=first.line, sheet=first.sheet)
        for block in order.blocks:
            self._apply(block, order)
        document.customer = document.customer or self.profile.defaults.customer
        document.site = document.site or self.profile.defaults.site
        if document.delivery_date is None and len(order.delivery_dates) == 1:
            document.delivery_date = next(iter(order.delivery_dates))
        document.notes.extend(note for note in order.notes if note not in document.notes)
        return document

    def _apply(self, block: HeaderBlock, order: _Order) -> None:
        """The block's fields, where the table did not give them (a column wins)."""
        document = order.document
        document.order_number = document.order_number or block.text(Field.ORDER_NUMBER)
        document.customer = document.customer or block.text(Field.CUSTOMER)
        document.site = document.site or block.text(Field.SITE)
        dates = ((Field.ORDER_DATE, "order_date"), (Field.DELIVERY_DATE, "delivery_date"))
        for fld, attr in dates:
            if getattr(document, attr) is not None or fld not in block.values:
                continue
            if attr == "delivery_date" and order.delivery_dates:
                continue  # the lines say when
            value, where = block.values[fld]
            try:
                found = cell_date(value, self.profile.date_formats, self.serials, {})
            except ValueError:
                self.skipped.append(
                    Skipped(kind=SkipKind.UNREAD_DATE, location=where, text=cell_text(value))
                )
                continue
            setattr(document, attr, found)
        reference = block.text(Field.BUYER_REFERENCE)
        if reference and "buyer_reference" not in document.references:
            document.references["buyer_reference"] = reference
        comment = block.text(Field.COMMENT)
        for note in ([comment] if comment else []) + block.notes:
            if note not in document.notes:
                document.notes.append(note)


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
        self.skipped: list[Skipped] = []
        self.date_cache: dict[str, date | None] = {}
        self.decimal = "."
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
        named = [i + 1 for i, text in enumerate(header.header_cells) if text]
        #: cells past the last header are beside the table
        self.width = max([*named, self.max_index + 1])

    def __call__(self, decimal_hint: str | None, orders: _Orders, block: HeaderBlock) -> int:
        """Read the rows into ``orders``; how many lines and notes the table held."""
        data = self.rows[self.header.position + 1 :]
        self.decimal = self.profile.decimal or guess_decimal(
            self._sample_numbers(data), decimal_hint
        )
        orders.start(block)
        self._unread_columns()
        by_number = self.group_keys == ("order_number",)
        group_keys = self.group_keys
        found = 0
        for line_no, cells in data:
            parsed = self._row(line_no, cells)
            if parsed is None:
                continue
            found += 1
            if parsed.__class__ is str:
                orders.add(None, parsed, {}, None)
                continue
            line, texts, order_date = parsed
            key: _Key | None
            if by_number:
                number = texts.get("order_number")
                key = ("n", number) if number else None
            else:
                parties = tuple(texts.get(k) for k in group_keys)
                key = ("p", *parties) if any(parties) else None
            orders.add(key, line, texts, order_date)
        orders.end()
        orders.skipped.extend(self.skipped)
        return found

    def _unread_columns(self) -> None:
        if self.header.line is None:
            return
        used = set(self.index.values())
        quiet = {normalise_header(h) for h in QUIET_HEADERS}
        for index, text in enumerate(self.header.header_cells):
            if text and index not in used and normalise_header(text) not in quiet:
                where = Location(line=self.header.line, sheet=self.sheet, column=text)
                self.skipped.append(Skipped(kind=SkipKind.UNREAD_COLUMN, location=where, text=text))

    def _sample_numbers(self, data) -> list[str]:
        indexes = [self.index[k] for k in ("quantity", "unit_price") if k in self.index]
        sample = []
        for _, cells in data[:2000]:
            for index in indexes:
                if index < len(cells) and isinstance(cells[index], str) and cells[index]:
                    sample.append(cells[index])
        return sample

    def _row(self, line_no: int, cells: Sequence[Cell]):
        """The line of one row with its texts by field and its order date; a note's text
        (a row that is no line: text under or beside the table); None to skip."""
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
            return self._note(cells)  # text only outside the table's columns
        elif self.repeated_header is not None and texts.get("quantity") == self.repeated_header:
            self._skip(SkipKind.REPEATED_HEADER, line_no)
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
                self._skip(SkipKind.TOTAL_ROW, line_no)
                return None
            if not name and "quantity" not in texts:
                return self._note(cells)
        if "quantity" not in texts:
            if self.profile.blank_quantity == "skip" or self.sheet == ORDER_FORM_SHEET:
                return None  # an order-form row the customer did not fill in
            named = [texts[k] for k in _PRODUCT_KEYS if k in texts]
            if all(_prose(text) for text in named):
                return self._note(cells)  # a sentence where a product would be: a note
        if len(cells) > self.width:
            self._beside(line_no, cells)
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
                    key="scientific_barcode",
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

    def _skip(self, kind: SkipKind, line_no: int, text: str | None = None) -> None:
        where = Location(line=line_no, sheet=self.sheet)
        self.skipped.append(Skipped(kind=kind, location=where, text=text))

    @staticmethod
    def _note(cells: Sequence[Cell]) -> str:
        return " ".join(t for c in cells if (t := cell_text(c)))

    def _beside(self, line_no: int, cells: Sequence[Cell]) -> None:
        for cell in cells[self.width :]:
            if (text := cell_text(cell)) is not None:
                self._skip(SkipKind.CELL_BESIDE, line_no, text)

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
        number = simple_number(text, self.decimal)
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
            where = Location(line=line_no, sheet=self.sheet, column=self.names["unit_price"])
            self.skipped.append(Skipped(kind=SkipKind.UNREAD_PRICE, location=where, text=text))
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
