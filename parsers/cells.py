"""What one spreadsheet cell means: text, a number, a date, a barcode, a total label.

Readers hand cells over as Python values (CSV: text; XLSX: numbers, dates, text); these
functions read them the way a French or English spreadsheet user wrote them: decimal
comma or point, thousands separators, units after the number, Excel serial dates,
barcodes stored by Excel as numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from parsers import gtin

#: What a reader may hand over as one cell.

Cell = str | int | float | Decimal | date | datetime | time | timedelta | bool | None


def cell_text(value: Cell) -> str | None:
    """A cell as trimmed text; integral numbers without ``.0``; None when empty."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


_WORD = re.compile(r"[a-z0-9]+")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)")
UNIT_SUFFIX = re.compile(r"(.*?\d)\s*([^\W\d_][^\W\d_.]{0,14}\.?)", re.UNICODE)
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


def cell_number(value: Cell, decimal: str) -> Decimal | None:
    """A number cell or a number written as text; None when it is none (NaN and ±inf,
    which a workbook built by a program can hold, are no number of anything).

    >>> cell_number(float("nan"), "."), cell_number(float("-inf"), "."), cell_number(2.5, ".")
    (None, None, Decimal('2.5'))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
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


def cell_date(value: Cell, formats: Sequence[str], excel_serials: bool, cache: dict) -> date | None:
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
    text = cell_text(value)
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


def cell_barcode(value: Cell) -> tuple[str | None, bool]:
    """The barcode as digits, and whether it was mangled into scientific notation."""
    if value.__class__ is str:
        digits = value.strip()
        if gtin.is_plain(digits):
            return digits, False
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e18:
        return gtin.restore_leading_zeros(str(int(value))), False
    if isinstance(value, int) and not isinstance(value, bool):
        return gtin.restore_leading_zeros(str(value)), False
    text = cell_text(value)
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
