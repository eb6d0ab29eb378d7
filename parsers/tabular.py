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

It also holds what the CSV and XLSX writers share: :func:`neutralise` against formula
injection, the :class:`Sheet` a report is made of, and the acknowledgement tables.
"""

from __future__ import annotations

import gc
import operator
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from parsers import gtin
from parsers.document import (
    IssueCode,
    LineIssue,
    Location,
    OrderDocument,
    OrderLine,
    OrderResponse,
    SourceFormat,
)
from parsers.errors import EmptyFile, HeaderNotFound

#: What a reader may hand over as one cell.
Cell = str | int | float | Decimal | date | datetime | time | timedelta | bool | None

HEADER_SEARCH_ROWS = 20


class Field(StrEnum):
    """The canonical columns of a spreadsheet order."""

    ORDER_NUMBER = "order_number"
    CUSTOMER = "customer"
    SITE = "site"
    ORDER_DATE = "order_date"
    DELIVERY_DATE = "delivery_date"
    BARCODE = "barcode"
    SUPPLIER_REF = "supplier_ref"
    CUSTOMER_REF = "customer_ref"
    NAME = "name"
    QUANTITY = "quantity"
    UNIT = "unit"
    UNIT_PRICE = "unit_price"
    COMMENT = "comment"


#: Columns that say which product is ordered; a header needs at least one.
PRODUCT_FIELDS = (Field.BARCODE, Field.SUPPLIER_REF, Field.CUSTOMER_REF, Field.NAME)

BUILTIN_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.ORDER_NUMBER: (
        "N° commande", "N° de commande", "No commande", "Numéro de commande",
        "Num commande", "Commande", "Bon de commande", "Référence commande", "PO",
        "PO number", "PO #", "Purchase order", "Purchase order number", "Order number",
        "Order no", "Order",
    ),
    Field.CUSTOMER: (
        "Client", "Code client", "N° client", "Customer", "Customer code",
        "Customer number", "Customer id", "Acheteur", "Buyer",
    ),
    Field.SITE: (
        "Site", "Code site", "Site de livraison", "Dépôt", "Entrepôt", "Magasin",
        "Livrer à", "Lieu de livraison", "Adresse de livraison", "Ship to",
        "Delivery site", "Store", "Warehouse",
    ),
    Field.ORDER_DATE: ("Date de commande", "Date commande", "Order date", "Date"),
    Field.DELIVERY_DATE: (
        "Date de livraison", "Date livraison", "Date de livraison souhaitée",
        "Date livraison souhaitée", "Livraison souhaitée", "Delivery date",
        "Requested delivery date", "Requested date", "Due date",
    ),
    Field.BARCODE: (
        "Code-barre", "Code barre", "Code EAN", "Code GTIN", "EAN", "EAN13", "EAN8",
        "GTIN", "GTIN13", "GTIN14", "UPC", "Gencod", "Gencode", "Barcode", "Bar code",
    ),
    Field.SUPPLIER_REF: (
        "Référence", "Ref", "Réf", "Référence fournisseur", "Réf fournisseur",
        "Référence article", "Article", "Code article", "N° article", "Code produit",
        "SKU", "Item", "Item number", "Item code", "Product code", "Part number",
        "Supplier ref", "Supplier reference", "Vendor part number",
    ),
    Field.CUSTOMER_REF: (
        "Réf. client", "Référence client", "Code article client", "Votre référence",
        "Vos réf", "Customer ref", "Customer reference", "Customer item",
        "Your reference", "Buyer item number",
    ),
    Field.NAME: (
        "Désignation", "Désignation article", "Nom", "Nom du produit", "Libellé",
        "Libellé article", "Produit", "Description", "Product", "Product name",
        "Item description", "Name",
    ),
    Field.QUANTITY: (
        "Quantité commandée", "Quantité", "Quantité à commander", "Qté", "Qté commandée",
        "Qté cde", "Nombre", "Quantity", "Qty", "Qty ordered", "Quantity ordered",
        "Ordered quantity", "Order quantity",
    ),
    Field.UNIT: ("Unité", "Unité de mesure", "Unit", "UOM", "Unit of measure"),
    Field.UNIT_PRICE: (
        "Prix unitaire", "Prix unitaire HT", "Prix", "Prix HT", "Prix net", "PU", "PU HT",
        "Unit price", "Price", "Net price",
    ),
    Field.COMMENT: (
        "Commentaire", "Remarque", "Observation", "Note", "Comment", "Remarks",
    ),
}  # fmt: skip

DEFAULT_DATE_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%Y%m%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


class PartyDefaults(BaseModel):
    """Customer and site to use when the file has no column for them."""

    model_config = ConfigDict(extra="forbid")
    customer: str | None = None
    site: str | None = None


class TabularProfile(BaseModel):
    """What a partner mapping (``mappings/*.toml``) says about its spreadsheets.

    ``columns`` fixes a field to a column by header name, by letter (``"C"``) or by
    1-based index (``3``); a header name wins over a letter when both could apply.
    ``sheet`` is an XLSX sheet name or 1-based index.  ``header_row`` is the 1-based
    line/row of the header (``0``: there is none, every field is fixed by letter/index).
    """

    model_config = ConfigDict(extra="forbid")

    aliases: dict[Field, list[str]] = PydanticField(default_factory=dict)
    columns: dict[Field, str | int] = PydanticField(default_factory=dict)
    defaults: PartyDefaults = PydanticField(default_factory=PartyDefaults)
    date_formats: list[str] = PydanticField(default_factory=lambda: list(DEFAULT_DATE_FORMATS))
    encoding: str | None = None
    delimiter: str | None = None
    decimal: Literal[",", "."] | None = None
    thousands: str | None = None
    sheet: str | int | None = None
    header_row: int | None = PydanticField(default=None, ge=0)
    #: A row naming a product but no quantity: an error ("reject", for typed orders) or
    #: "not ordered" ("skip", for order forms listing the whole assortment)
    blank_quantity: Literal["reject", "skip"] = "reject"


#: The sheet name of the gateway's own order forms: a blank quantity there means "not ordered"
ORDER_FORM_SHEET = "Formulaire de commande"


# --------------------------------------------------------------------------- headers

_BRACKETED = re.compile(r"[(\[][^)\]]*[)\]]")
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=4096)
def normalise_header(text: str) -> str:
    """The comparison key of a header: no accents, case, punctuation, notes or plural s.

    >>> normalise_header("Quantité commandée (UVC)") == normalise_header("QUANTITE COMMANDEES")
    True
    >>> normalise_header("N° commande") == normalise_header("No. commande")
    True
    """
    text = text.replace("°", "o").replace("º", "o")
    text = _BRACKETED.sub(" ", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(text)]
    return "".join(words)


def _alias_table(profile: TabularProfile) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for fld, names in BUILTIN_ALIASES.items():
        for name in names:
            table.setdefault(normalise_header(name), fld)
    # A partner's own names win over the built-ins.
    for fld, names in profile.aliases.items():
        for name in names:
            table[normalise_header(name)] = fld
    return table


def column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letter_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


@dataclass(slots=True, kw_only=True)
class HeaderMatch:
    """The header row found and which column holds each field."""

    position: int  # index into the rows handed over
    line: int | None  # physical line / Excel row; None when there is no header row
    columns: dict[Field, int]
    names: dict[Field, str]  # field → the header as written (or the column letter)
    header_cells: list[str]

    @property
    def usable(self) -> bool:
        return Field.QUANTITY in self.columns and any(f in self.columns for f in PRODUCT_FIELDS)


def _match_row(
    cells: Sequence[Cell], profile: TabularProfile, aliases: dict[str, Field]
) -> tuple[dict[Field, int], list[str]]:
    texts = [_text(c) or "" for c in cells]
    keys = [normalise_header(t) for t in texts]
    columns: dict[Field, int] = {}
    taken: set[int] = set()
    for fld, spec in profile.columns.items():
        index = _fixed_column(spec, keys)
        if index is not None:
            columns[fld] = index
            taken.add(index)
    for index, key in enumerate(keys):
        fld = aliases.get(key) if key else None
        if fld is not None and fld not in columns and index not in taken:
            columns[fld] = index
            taken.add(index)
    return columns, texts


def _fixed_column(spec: str | int, keys: list[str]) -> int | None:
    if isinstance(spec, int):
        return spec - 1 if spec >= 1 else None
    key = normalise_header(spec)
    if key and key in keys:
        return keys.index(key)
    spec = spec.strip()
    if spec.isdigit() and int(spec) >= 1:
        return int(spec) - 1
    if re.fullmatch(r"[A-Za-z]{1,3}", spec):
        return _letter_index(spec)
    return None


def _header_names(columns: dict[Field, int], texts: list[str]) -> dict[Field, str]:
    names = {}
    for fld, index in columns.items():
        text = texts[index].strip() if index < len(texts) else ""
        names[fld] = text or column_letter(index)
    return names


def find_header(
    rows: Sequence[tuple[int, Sequence[Cell]]], profile: TabularProfile | None = None
) -> HeaderMatch | None:
    """The header row of ``rows`` (see the module rules), or None when none qualifies."""
    profile = profile or TabularProfile()
    aliases = _alias_table(profile)
    if profile.header_row == 0:
        columns = {
            fld: index
            for fld, spec in profile.columns.items()
            if (index := _fixed_column(spec, [])) is not None
        }
        names = {fld: column_letter(i) for fld, i in columns.items()}
        return HeaderMatch(position=-1, line=None, columns=columns, names=names, header_cells=[])
    if profile.header_row is not None:
        for position, (line, cells) in enumerate(rows):
            if line == profile.header_row:
                columns, texts = _match_row(cells, profile, aliases)
                return HeaderMatch(
                    position=position,
                    line=line,
                    columns=columns,
                    names=_header_names(columns, texts),
                    header_cells=texts,
                )
        return None
    best: HeaderMatch | None = None
    for position, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(_text(c) for c in cells):
            continue
        columns, texts = _match_row(cells, profile, aliases)
        candidate = HeaderMatch(
            position=position,
            line=line,
            columns=columns,
            names=_header_names(columns, texts),
            header_cells=texts,
        )
        if candidate.usable and (best is None or len(columns) > len(best.columns)):
            best = candidate
    return best


# --------------------------------------------------------------------------- values


def _text(value: Cell) -> str | None:
    """A cell as trimmed text; integral numbers without ``.0``; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")
_UNIT_SUFFIX = re.compile(r"(.*?\d)\s*([^\W\d_][^\W\d_.]{0,14}\.?)", re.UNICODE)
_SCIENTIFIC = re.compile(r"[-+]?\d+([.,]\d+)?[eE][-+]?\d+")


def _grouped(text: str, sep: str) -> bool:
    """Whether ``sep`` is used as a thousands separator in ``text`` (1.234.567)."""
    return re.fullmatch(rf"[-+]?\d{{1,3}}(\{sep}\d{{3}})+", text) is not None


def parse_decimal(text: str, decimal: str = ".") -> Decimal | None:
    """A number written with ``decimal`` as the decimal mark, or None.

    Spaces of every kind and apostrophes are thousands separators; so is the other
    mark (``.`` when the decimal mark is ``,``) when it groups digits by three.  A lone
    other mark that does not group by three is read as a decimal mark after all, since
    ``2.5`` in a French file means two and a half.

    >>> parse_decimal("1 234,50", ",")
    Decimal('1234.50')
    >>> parse_decimal("1.500", ",")
    Decimal('1500')
    >>> parse_decimal("2.5", ",")
    Decimal('2.5')
    >>> parse_decimal("1,234.5", ".")
    Decimal('1234.5')
    >>> parse_decimal("douze", ",") is None
    True
    """
    t = text.translate(_SPACES)
    if t.isascii() and t.isdigit():
        return Decimal(t)
    other = "." if decimal == "," else ","
    has_decimal, has_other = decimal in t, other in t
    if has_decimal and has_other:
        # The mark that comes last is the decimal one; the other must group by three.
        dec, thousands = (decimal, other) if t.rfind(decimal) > t.rfind(other) else (other, decimal)
        whole, _, fraction = t.rpartition(dec)
        if not _grouped(whole, thousands) or not fraction.isdigit():
            return None
        t = whole.replace(thousands, "") + "." + fraction
    elif has_other:
        if _grouped(t, other):
            t = t.replace(other, "")
        elif t.count(other) == 1:
            t = t.replace(other, ".")
        else:
            return None
    elif has_decimal:
        if t.count(decimal) > 1:
            if not _grouped(t, decimal):
                return None
            t = t.replace(decimal, "")
        else:
            t = t.replace(decimal, ".")
    if not _PLAIN_NUMBER.fullmatch(t):
        return None
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _number(value: Cell, decimal: str) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        return parse_decimal(value.strip(), decimal)
    return None


def guess_decimal(values: Sequence[str], hint: str | None) -> str:
    """The decimal mark a file uses, voted by values whose mark cannot be a grouping."""
    votes = {",": 0, ".": 0}
    for value in values:
        t = value.translate(_SPACES)
        for mark in ",.":
            if t.count(mark) == 1 and "," in t and "." in t:
                if t.rfind(mark) > t.rfind("." if mark == "," else ","):
                    votes[mark] += 1
            elif t.count(mark) == 1 and not _grouped(t, mark):
                votes[mark] += 1
    if votes[","] != votes["."]:
        return "," if votes[","] > votes["."] else "."
    return hint or "."


def excel_serial_to_date(serial: float) -> date | None:
    """An Excel (1900 system) serial day number as a date; None outside 1900–9999."""
    if not 1 <= serial < 2958466:
        return None
    return date(1899, 12, 30) + timedelta(days=int(serial))


def _date(value: Cell, formats: Sequence[str], excel_serials: bool, cache: dict) -> date | None:
    """A cell as a date; raises ValueError when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and excel_serials:
        found = excel_serial_to_date(float(value))
        if found is None:
            raise ValueError(value)
        return found
    text = _text(value)
    if text is None:
        return None
    if text in cache:
        found = cache[text]
    else:
        found = None
        for fmt in formats:
            try:
                found = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        cache[text] = found
    if found is None:
        raise ValueError(text)
    return found


def _barcode(value: Cell) -> tuple[str | None, bool]:
    """The barcode as digits, and whether it was mangled into scientific notation."""
    if value.__class__ is str:
        text = value.strip()
        if len(text) in gtin.GTIN_LENGTHS and text.isdigit() and text.isascii():
            return text, False
    if isinstance(value, float) and value.is_integer():
        return gtin.restore_leading_zeros(str(int(value))), False
    if isinstance(value, int) and not isinstance(value, bool):
        return gtin.restore_leading_zeros(str(value)), False
    text = _text(value)
    if text is None:
        return None, False
    if text.startswith('="') and text.endswith('"'):  # Excel's ="0123" text trick
        text = text[2:-1]
    text = text.lstrip("'").translate(_SPACES)
    if _SCIENTIFIC.fullmatch(text):
        return text, True
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if text.isascii() and text.isdigit():
        text = gtin.restore_leading_zeros(text)
    return text or None, False


_TOTAL_FIRST = {"total", "totaux", "soustotal", "subtotal", "grandtotal", "montanttotal"}
_TOTAL_PAIRS = {("sou", "total"), ("sub", "total"), ("grand", "total"), ("montant", "total")}
_TOTAL_QUALIFIERS = {
    "ht", "ttc", "general", "commande", "order", "quantite", "qte", "qty", "quantity",
    "amount", "montant", "ligne", "line", "article", "net", "brut", "eur", "euro",
}  # fmt: skip


def is_total_label(text: str) -> bool:
    """Whether a cell reads like the label of a total row (``TOTAL TTC``, ``Sous-total``).

    >>> is_total_label("TOTAL TTC :"), is_total_label("Sous-total"), is_total_label("Total Wash 1L")
    (True, True, False)
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = _WORD.findall(plain.replace("-", ""))
    words = [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words]
    if not words:
        return False
    if words[0] in _TOTAL_FIRST:
        rest = words[1:]
    elif tuple(words[:2]) in _TOTAL_PAIRS:
        rest = words[2:]
    else:
        return False
    return all(w in _TOTAL_QUALIFIERS or w.isdigit() for w in rest)


# --------------------------------------------------------------------------- rows


@dataclass(slots=True, kw_only=True)
class TableResult:
    documents: list[OrderDocument]
    warnings: list[str]
    decimal: str
    header: HeaderMatch


@dataclass(slots=True)
class _Order:
    document: OrderDocument
    lines: list[OrderLine] = field(default_factory=list)
    delivery_dates: set[date] = field(default_factory=set)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a reader builds its objects.

    A 100,000-line file allocates half a million small containers, none of them in a
    reference cycle; with the collector running, its repeated passes over the growing
    heap took about as long as the parsing itself.  Reference counting still frees
    everything; the previous state is restored on exit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    if not any(any(_text(c) for c in cells) for _, cells in rows):
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
    first = next(((line, cells) for line, cells in rows if any(_text(c) for c in cells)), None)
    return HeaderNotFound(
        f"no order header in the first {HEADER_SEARCH_ROWS} rows",
        line=first[0] if first else None,
        expected=expected,
        found=";".join(t for c in first[1] if (t := _text(c)))[:200] if first else None,
    )


_SIMPLE_NUMBER = {",": re.compile(r"\d+(?:,\d+)?"), ".": re.compile(r"\d+(?:\.\d+)?")}
_NOT_CACHED = object()


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
            documents=documents, warnings=self.warnings, decimal=self.decimal, header=self.header
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
            if not any(_text(c) for c in cells):
                return None
        elif self.repeated_header is not None and texts.get("quantity") == self.repeated_header:
            return None  # the header repeated (multi-page exports)
        scientific = False
        barcode = None
        if "barcode" in texts:
            barcode, scientific = _barcode(cells[self.index["barcode"]])
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
                self.warnings.append(f"{self.where} {line_no}: total row skipped")
                return None
            if not name and "quantity" not in texts:
                self.warnings.append(
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
        if (quantity := cache.get(line.quantity_text)) is not None and self.all_text:
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
            line.requested_delivery = found or self._date("delivery_date", cells, texts, issues)
        order_date = None
        if "order_date" in texts:
            found = dates.get(texts["order_date"]) if self.all_text else None
            order_date = found or self._date("order_date", cells, texts, issues)
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
            if index < width and (text := _text(cells[index])) is not None:
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
        quantity = _number(raw, self.decimal)
        if quantity is None and isinstance(raw, str):
            # "12 pcs": a number then a unit word; the word fills an empty unit column.
            match = _UNIT_SUFFIX.fullmatch(text)
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
            price = _number(text.strip("€$£ \u00a0") if isinstance(raw, str) else raw, self.decimal)
        if price is None:
            self.warnings.append(
                f"{self.where} {line_no}, column {self.names['unit_price']!r}: unit price "
                f"{text!r} is not a number; ignored"
            )
        line.unit_price = price

    def _date(self, key: str, cells, texts: dict[str, str], issues: list[LineIssue]) -> date | None:
        text = texts[key]
        raw = cells[self.index[key]]
        if raw.__class__ is str:
            cached = self.date_cache.get(text, _NOT_CACHED)
            if cached is not _NOT_CACHED and cached is not None:
                return cached
        try:
            return _date(raw, self.profile.date_formats, self.excel_serials, self.date_cache)
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


# --------------------------------------------------------------------------- writing

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def needs_neutralising(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_PREFIXES)


def neutralise(value: Cell) -> Cell:
    """A value safe to put in a cell a person will open in a spreadsheet.

    Text that would start a formula gets a leading apostrophe, which Excel and
    LibreOffice display as text; numbers, dates and other text are left alone (a
    negative number is a number, not the text ``-5``).

    >>> neutralise("=1+2"), neutralise("-5"), neutralise(-5), neutralise("Pommes")
    ("'=1+2", "'-5", -5, 'Pommes')
    """
    if isinstance(value, str) and needs_neutralising(value):
        return "'" + value
    return value


class RowStyle(StrEnum):
    """How a report row is highlighted."""

    REJECTED = "rejected"
    ADJUSTED = "adjusted"


@dataclass(slots=True, kw_only=True)
class Sheet:
    """One table of a report: a title, a header row and data rows.

    ``styles`` holds one entry per row (None for a plain row).  CSV ignores styles and
    titles; XLSX writes each sheet as a worksheet.
    """

    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    styles: list[RowStyle | None] | None = None

    def style(self, index: int) -> RowStyle | None:
        return self.styles[index] if self.styles and index < len(self.styles) else None


_ACK_LABELS = {
    "fr": {
        "lines": "Lignes",
        "summary": "Synthèse",
        "line_headers": [
            "N° commande", "N° ligne", "Ligne du fichier", "Code-barre", "Référence",
            "Désignation", "Qté commandée", "Qté confirmée", "Statut", "Code motif", "Message",
        ],
        "summary_headers": [
            "N° commande", "Client", "Site", "Statut commande", "Réponse", "Lignes",
            "Acceptées", "Ajustées", "Refusées", "Motif",
        ],
        "accepted": "Acceptée",
        "adjusted": "Ajustée",
        "rejected": "Refusée",
        "kinds": {"accepted": "Acceptée", "changed": "Acceptée avec modifications",
                  "rejected": "Refusée", "status": "Changement de statut"},
        "statuses": {"received": "Reçue", "pending_validation": "En attente de validation",
                     "validated": "Validée", "in_preparation": "En préparation",
                     "shipped": "Expédiée", "delivered": "Livrée", "rejected": "Refusée",
                     "cancelled": "Annulée"},
    },
    "en": {
        "lines": "Lines",
        "summary": "Summary",
        "line_headers": [
            "Order number", "Line", "Source row", "Barcode", "SKU", "Name", "Ordered qty",
            "Confirmed qty", "Status", "Reason code", "Message",
        ],
        "summary_headers": [
            "Order number", "Customer", "Site", "Order status", "Response", "Lines",
            "Accepted", "Adjusted", "Rejected", "Reason",
        ],
        "accepted": "Accepted",
        "adjusted": "Adjusted",
        "rejected": "Rejected",
        "kinds": {"accepted": "Accepted", "changed": "Accepted with changes",
                  "rejected": "Rejected", "status": "Status change"},
        "statuses": {"received": "Received", "pending_validation": "Pending validation",
                     "validated": "Validated", "in_preparation": "In preparation",
                     "shipped": "Shipped", "delivered": "Delivered", "rejected": "Rejected",
                     "cancelled": "Cancelled"},
    },
}  # fmt: skip


def _labels(language: str) -> dict:
    return _ACK_LABELS.get(language[:2].lower(), _ACK_LABELS["en"])


def ack_lines_sheet(responses: Sequence[OrderResponse], language: str = "fr") -> Sheet:
    """One row per order line of every response: what was ordered and what we answer."""
    labels = _labels(language)
    sheet = Sheet(title=labels["lines"], headers=list(labels["line_headers"]), styles=[])
    for response in responses:
        for line in response.lines:
            sheet.rows.append(
                [
                    response.order_number,
                    line.line_no,
                    line.source_row,
                    line.barcode,
                    line.sku,
                    line.name,
                    line.ordered_quantity,
                    line.confirmed_quantity,
                    labels[line.status],  # a StrEnum member is its own value as a key
                    line.reason_code,
                    line.message,
                ]
            )
            sheet.styles.append(_ROW_STYLES.get(line.status))
    return sheet


_ROW_STYLES: dict[str, RowStyle] = {str(s): s for s in RowStyle}


def ack_summary_sheet(responses: Sequence[OrderResponse], language: str = "fr") -> Sheet:
    """One row per order: who it is for, its status and how its lines fared."""
    labels = _labels(language)
    sheet = Sheet(title=labels["summary"], headers=list(labels["summary_headers"]), styles=[])
    for response in responses:
        counts = {status: 0 for status in ("accepted", "adjusted", "rejected")}
        for line in response.lines:
            counts[line.status] += 1
        sheet.rows.append(
            [
                response.order_number,
                response.customer,
                response.site,
                labels["statuses"].get(response.order_status, response.order_status),
                labels["kinds"].get(response.kind, response.kind.value),
                len(response.lines),
                counts["accepted"],
                counts["adjusted"],
                counts["rejected"],
                response.reason,
            ]
        )
        kind = response.kind.value
        sheet.styles.append(
            RowStyle.REJECTED
            if kind == "rejected"
            else RowStyle.ADJUSTED
            if kind == "changed"
            else None
        )
    return sheet
