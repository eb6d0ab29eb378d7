"""One family of errors for every format.

A :class:`ParseError` means the *file* cannot be read as orders (wrong format, bad
encoding, no header, broken envelope beyond recovery).  Problems confined to one line
are not errors: they are :class:`parsers.document.LineIssue` entries on that line, so
the rest of the file still goes through.

Every error says where (line/segment, column) and what was expected, so the gateway
can quote it verbatim in a reason file. An error a partner may read also carries a
``key`` and its ``params`` (the values its sentence needs): the gateway words it in the
partner's own language from those, never from the English text.

:class:`ProfileError` is not the sender's doing: the partner's mapping profile (our
configuration) cannot be applied, and the admin is the one to act.
"""

from __future__ import annotations


class ParseError(Exception):
    """The bytes cannot be read as orders. Carries where and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        segment: str | None = None,
        expected: str | None = None,
        found: str | None = None,
        sheet: str | None = None,
        key: str | None = None,
        params: dict[str, object] | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.segment = segment
        self.expected = expected
        self.found = found
        self.sheet = sheet
        #: The stable name of the problem, for its sentence in the partner's language
        self.key = key
        self.params = params or {}
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [f"sheet {self.sheet!r}"] if self.sheet else []
        if self.line is not None:
            where.append(f"{'segment' if self.segment else 'line'} {self.line}")
        if self.segment:
            where.append(self.segment)
        if self.column:
            where.append(f"column {self.column!r}")
        text = self.message
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.expected:
            text += f" (expected {self.expected}"
            text += f", found {self.found!r})" if self.found is not None else ")"
        return text


class UnrecognisedFormat(ParseError):
    """No reader recognises the bytes."""


class EmptyFile(ParseError):
    """The file holds no bytes, or no order data."""


class InvalidEncoding(ParseError):
    """The bytes do not decode in the detected or declared character set."""


class HeaderNotFound(ParseError):
    """No row of a spreadsheet looks like an order header."""


class InvalidStructure(ParseError):
    """Envelope or segment structure broken beyond recovery (EDI)."""


class TooLarge(ParseError):
    """The file is over one of the bounds set for its sender (rows, columns, lines…);
    refused before the expensive reading."""


class ProfileError(ParseError):
    """The partner's mapping profile cannot be applied (our configuration, not the file)."""
