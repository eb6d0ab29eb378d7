"""EDIFACT data values: numbers with either decimal mark, and DTM dates by format code.

>>> parse_number("1,5")
Decimal('1.5')
>>> parse_dtm_date("2002080120020831", "718")
datetime.date(2002, 8, 1)
>>> parse_dtm_date("990503", "101")
datetime.date(1999, 5, 3)
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

_NUMERIC_CHARS = "0123456789.,-"

#: 2379 formats whose value starts with CCYYMMDD (periods: we take the start)
_CCYYMMDD_FORMATS = frozenset(
    {"102", "203", "204", "205", "303", "304", "718", "719", "720", "802"}
)
_YYMMDD_FORMATS = frozenset({"101", "201", "202", "301", "302", "717"})


def parse_number(text: str) -> Decimal | None:
    """The number in ``text``, or None when it is not an EDIFACT numeric value."""
    if text.isdigit() and text.isascii():
        return Decimal(text)
    # Only digits, one mark and a leading minus: Decimal alone would also take
    # "1_000", "1e3", "NaN", " 1" or non-ASCII digits.
    if not text or text.strip(_NUMERIC_CHARS) or text.count("-") > (text[0] == "-"):
        return None
    try:
        return Decimal(text.replace(",", ".") if "," in text else text)
    except InvalidOperation:
        return None


def parse_dtm_date(text: str, fmt: str) -> date | None:
    """The (first) date of a DTM value in format ``fmt`` (102 when absent), else None."""
    fmt = fmt or ("102" if len(text) == 8 else "203" if len(text) == 12 else "102")
    try:
        if fmt in _CCYYMMDD_FORMATS and len(text) >= 8 and text[:8].isdigit():
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        if fmt in _YYMMDD_FORMATS and len(text) >= 6 and text[:6].isdigit():
            yy = int(text[:2])
            # Pivot: two-digit years before 50 are this century.
            return date(2000 + yy if yy < 50 else 1900 + yy, int(text[2:4]), int(text[4:6]))
    except ValueError:
        return None
    return None


def format_number(value: Decimal, decimal_mark: str = ".") -> str:
    """``value`` as an EDIFACT numeric: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", decimal_mark)
