"""GTIN (Global Trade Item Number): EAN-8, UPC-A (GTIN-12), EAN-13 and GTIN-14.

A GTIN is 8, 12, 13 or 14 digits; the last one is a check digit computed over the
others with weights 3 and 1 alternating from the right (the digit next to the check
digit weighs 3), then ``(10 - sum % 10) % 10``.  Because zeros on the left add nothing
to that sum, every GTIN can be left-padded with zeros to 14 digits without changing its
check digit: ``036000291452`` (UPC-A), ``0036000291452`` (EAN-13) and ``00036000291452``
(GTIN-14) name the same item.  :func:`to_gtin14` gives that common key.

More information: https://www.gs1.org/services/how-calculate-check-digit-manually

>>> validate('4006381333931')
'4006381333931'
>>> validate(' 4006 3813 3393 1 ')
'4006381333931'
>>> validate('4006381333932')
Traceback (most recent call last):
    ...
parsers.gtin.InvalidChecksum: the check digit of 4006381333932 should be 1, not 2
>>> validate('400638133393')
Traceback (most recent call last):
    ...
parsers.gtin.InvalidChecksum: the check digit of 400638133393 should be 0, not 3
>>> validate('12345')
Traceback (most recent call last):
    ...
parsers.gtin.InvalidLength: a GTIN has 8, 12, 13 or 14 digits, not 5
>>> calc_check_digit('400638133393')
'1'
>>> is_valid('96385074')
True
>>> to_gtin14('036000291452')
'00036000291452'

Spreadsheets lose leading zeros when a barcode is stored as a number; the check digit
tells whether the digits left over pad back to a real GTIN length:

>>> restore_leading_zeros('36000291452')
'036000291452'
>>> restore_leading_zeros('36000291453')
'36000291453'
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported by the batch check alone: every command imports gtin
    import numpy as np

#: Lengths a GTIN can have, shortest first.
GTIN_LENGTHS = (8, 12, 13, 14)
_LENGTHS = frozenset(GTIN_LENGTHS)

#: Characters people and spreadsheets put around the digits: spaces of every kind,
#: hyphens, and the apostrophe Excel users type to force text.
_NOISE = str.maketrans("", "", " \t\u00a0\u202f\u2009-'")


class GtinError(ValueError):
    """The text is not a valid GTIN. ``found`` and ``expected`` say what was wrong."""

    def __init__(self, message: str, *, found: str = "", expected: str = "") -> None:
        super().__init__(message)
        self.found = found
        self.expected = expected


class InvalidLength(GtinError):
    """The number of digits is not 8, 12, 13 or 14."""


class InvalidFormat(GtinError):
    """Something other than digits."""


class InvalidChecksum(GtinError):
    """The digits are fine but the check digit does not match."""


def compact(number: str) -> str:
    """The digits without spaces, hyphens or a leading apostrophe.

    >>> compact("'4006381 333931")
    '4006381333931'
    """
    return number.translate(_NOISE).strip()


def is_plain(code: str) -> bool:
    """Whether ``code`` is written as a GTIN is: ASCII digits of a GTIN length (its
    check digit not tested). Nearly every barcode a file gives is; the rest need
    :func:`compact` and the rules of :func:`validate`."""
    return len(code) in _LENGTHS and code.isdigit() and code.isascii()


def all_plain(codes: Collection[str], *, blanks: bool = False) -> bool:
    """Whether every code is :func:`is_plain` (empty ones too, with ``blanks``: a
    column's cells where none was given); vacuously true of no codes.

    Tested on the whole batch at once, in C: the set of their lengths, and their digits
    joined. A big order's column of 100,000 barcodes takes a few milliseconds, against
    0.05 s a code at a time.
    """
    lengths = set(map(len, codes))
    if blanks:
        lengths.discard(0)
    digits = "".join(codes)
    return lengths <= _LENGTHS and (not digits or (digits.isdigit() and digits.isascii()))


def calc_check_digit(body: str) -> str:
    """The check digit for ``body`` (a GTIN without its last digit).

    >>> calc_check_digit('629104150021')
    '3'
    """
    # Sums of ASCII codes in C, not a Python loop: catalogs import millions of barcodes.
    # Each digit's code is 48 + its value; the 48s are taken off at the end.
    raw = body.encode("ascii")
    tripled, single = raw[::-1][0::2], raw[::-1][1::2]
    total = 3 * (sum(tripled) - 48 * len(tripled)) + sum(single) - 48 * len(single)
    return str((10 - total % 10) % 10)


#: The GS1 weights of a GTIN-14's 13 body digits, left to right (3 next to the check digit)
_WEIGHTS = [3, 1] * 6 + [3]


def check_digits_match(codes: Sequence[str]) -> np.ndarray:
    """For codes already known to be ASCII digits of a GTIN length, whether each one's
    check digit is right — :func:`calc_check_digit` over a whole column at once (a big
    order's barcodes). Left-padding with zeros keeps the sum, so all go as GTIN-14.

    >>> check_digits_match(["4006381333931", "4006381333932", "96385074"]).tolist()
    [True, False, True]
    """
    import numpy as np

    if not codes:
        return np.zeros(0, dtype=bool)
    digits = np.frombuffer("".join(c.zfill(14) for c in codes).encode("ascii"), dtype=np.uint8)
    table = digits.reshape(-1, 14).astype(np.int64) - 48
    expected = (10 - (table[:, :13] @ np.array(_WEIGHTS, dtype=np.int64)) % 10) % 10
    return expected == table[:, 13]


def validate(number: str) -> str:
    """The compact GTIN, or a :class:`GtinError` saying what is wrong with it."""
    return _checked(compact(number), number, "a GTIN", GTIN_LENGTHS, "8, 12, 13 or 14", "")


def _checked(
    digits: str, number: str, what: str, lengths: tuple[int, ...], shown: str, name: str
) -> str:
    """``digits`` when they are all digits, of one of ``lengths``, with the right GS1
    check digit; else the :class:`GtinError` saying which is wrong."""
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidFormat(f"{what} has only digits, not {number!r}", found=number)
    if len(digits) not in lengths:
        raise InvalidLength(f"{what} has {shown} digits, not {len(digits)}", found=str(len(digits)))
    expected = calc_check_digit(digits[:-1])
    if digits[-1] != expected:
        raise InvalidChecksum(
            f"the check digit of {name}{digits} should be {expected}, not {digits[-1]}",
            found=digits[-1],
            expected=expected,
        )
    return digits


SSCC_LENGTH = 18


def validate_sscc(number: str) -> str:
    """The compact SSCC (Serial Shipping Container Code: 18 digits, the last one the
    same GS1 check digit as a GTIN's), or a :class:`GtinError` saying what is wrong.

    An ``(00)`` application identifier in front, as scanned from a label, is dropped.

    >>> validate_sscc("(00) 3 4012345 123456789 5")
    '340123451234567895'
    >>> validate_sscc("340123451234567894")
    Traceback (most recent call last):
        ...
    parsers.gtin.InvalidChecksum: the check digit of SSCC 340123451234567894 should be 5, not 4
    """
    text = number.strip()
    digits = compact(text[4:] if text.startswith("(00)") else text)
    return _checked(digits, number, "an SSCC", (SSCC_LENGTH,), str(SSCC_LENGTH), "SSCC ")


def is_valid(number: str) -> bool:
    """Whether ``number`` is a valid GTIN-8, -12, -13 or -14."""
    try:
        validate(number)
    except GtinError:
        return False
    return True


def to_gtin14(number: str) -> str:
    """The 14-digit form, the one key under which every length of the same GTIN matches.

    >>> to_gtin14('96385074')
    '00000096385074'
    """
    return validate(number).zfill(14)


def one_digit_away(number: str) -> list[str]:
    """The valid GTINs that differ from ``number`` in exactly one digit, check digit first.

    A mistyped digit breaks the check digit, and for each position there is exactly one
    other digit that mends it (the weights 1 and 3 are prime to 10), so a code of *n*
    digits has *n* neighbours: the catalog can say which of them it knows.

    >>> one_digit_away("4006381333932")[:2]
    ['4006381333931', '3006381333932']
    >>> len(one_digit_away("4006381333932")), all(map(is_valid, one_digit_away("4006381333932")))
    (13, True)
    >>> one_digit_away("12345"), one_digit_away("4006381333931")
    ([], [])
    """
    digits = compact(number)
    if not is_plain(digits):
        return []
    body, check = digits[:-1], digits[-1]
    if calc_check_digit(body) == check:
        return []
    found = [body + calc_check_digit(body)]
    for position in range(len(body)):
        for digit in "0123456789":
            if digit == body[position]:
                continue
            candidate = body[:position] + digit + body[position + 1 :]
            if calc_check_digit(candidate) == check:
                found.append(candidate + check)
                break
    return found


def restore_leading_zeros(digits: str) -> str:
    """Put back the zeros a spreadsheet dropped, where the check digit allows it.

    Zeros on the left do not change the check digit, so the check digit can only prove
    that the digits are *some* GTIN padded with zeros; what it cannot tell is how many
    zeros there were.  The answer is the shortest real GTIN length that holds them:
    7 digits pad to a GTIN-8, 9 to 11 digits to a UPC-A (GTIN-12).  Values that already
    have a GTIN length are returned as they are (a 12-digit value is a UPC-A; its
    EAN-13 spelling with one more zero is the same item, see :func:`to_gtin14`).
    Anything else, including a failing check digit, comes back unchanged for the
    caller to report.

    >>> restore_leading_zeros('9638507')
    '9638507'
    >>> restore_leading_zeros('1234565')
    '01234565'
    >>> restore_leading_zeros('4006381333931')
    '4006381333931'
    """
    if not (digits.isascii() and digits.isdigit()):
        return digits
    length = len(digits)
    if length == 7:
        target = 8
    elif 9 <= length <= 11:
        target = 12
    else:
        return digits
    padded = digits.zfill(target)
    return padded if is_valid(padded) else digits
