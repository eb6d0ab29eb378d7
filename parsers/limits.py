"""How large a workbook may be before it is read: :func:`parsers.xlsx.check_bounds` holds
a workbook to them, and ``gateway.toml``'s ``max_sheet_*`` defaults are these.

A module of its own so that the configuration imports the numbers, not the XLSX reader and
its libraries (every command loads the configuration).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SheetLimits:
    """How large a workbook may be read: checked before calamine reads a cell."""

    #: Last row of any worksheet (its used range starts at A1 in calamine)
    rows: int = 50_000
    #: Last column of any worksheet (A = 1; Excel's own limit is 16,384)
    columns: int = 256
    #: Cells of a sheet's used range from A1 (last row × last column): what calamine
    #: allocates, 16 bytes each, and the reader then walks
    cells: int = 4_000_000
    #: Unpacked size of the shared strings (every text cell's text), in bytes
    shared_strings: int = 64_000_000


__all__ = ["SheetLimits"]
