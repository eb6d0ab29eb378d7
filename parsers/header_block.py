"""The header block above an order table: ``N° de commande : HB-5540``, ``Site : LILLE``…

Order forms people make in Excel put the order's own fields above the table of lines,
as ``label : value`` in one cell or as a label and its value in neighbouring cells. The
rows above the table's header are read here, cell by cell:

* a cell ``label : value`` (or ``label: value``) whose label is one of
  :data:`parsers.columns.BLOCK_LABELS` (or the profile's ``labels``) gives that field;
* a cell holding a label alone (``N° de commande`` or ``N° de commande :``) takes its value
  from the next cell to its right that holds something (two cells at most);
* a ``label : value`` whose label is not a field (``Contact : Marie``) is kept as a note:
  it joins the order's comment, nothing is lost;
* any other text (a title, a company name, a label alone with nothing beside it) is
  listed as left aside — but for the lines of the gateway's own order form that are
  there for people (:data:`parsers.columns.QUIET_LABELS`).

>>> block = read_header_block(
...     [(1, ["BON DE COMMANDE", None]), (2, ["N° de commande : HB-5540", None]),
...      (3, ["Site de livraison", "LILLE"]), (4, ["Contact : Marie", None])],
...     TabularProfile(),
... )
>>> block.values[Field.ORDER_NUMBER][0], block.values[Field.SITE][0], block.notes
('HB-5540', 'LILLE', ['Contact : Marie'])
>>> [s.text for s in block.skipped]
['BON DE COMMANDE']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from parsers.cells import Cell, cell_text
from parsers.columns import (
    BLOCK_LABELS,
    QUIET_LABELS,
    Field,
    OwnNames,
    TabularProfile,
    normalise_header,
    own_names,
)
from parsers.document import Location, SkipKind, Skipped

#: How far right of a label its value may sit (an empty cell between them is common)
_VALUE_REACH = 2


@dataclass(slots=True, kw_only=True)
class HeaderBlock:
    """The fields found above a table, each with the cell it came from."""

    #: field → (the value: text, or the cell itself for dates; where it was)
    values: dict[Field, tuple[Cell, Location]] = field(default_factory=dict)
    #: ``label : value`` lines that are no field, kept for the order's comment
    notes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def text(self, fld: Field) -> str | None:
        found = self.values.get(fld)
        return cell_text(found[0]) if found else None


def _label_table(profile: TabularProfile) -> Mapping[str, Field]:
    return _labels_with(own_names(profile.labels))


# Built once per profile's labels, as its aliases are (:mod:`parsers.columns`).
@lru_cache(maxsize=64)
def _labels_with(own: OwnNames) -> Mapping[str, Field]:
    table = {
        normalise_header(label): fld for fld, labels in BLOCK_LABELS.items() for label in labels
    }
    for fld, labels in own:
        for label in labels:
            table[normalise_header(label)] = fld
    return MappingProxyType(table)


#: The quiet labels' keys
_QUIET = frozenset(normalise_header(label) for label in QUIET_LABELS)


def read_header_block(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    profile: TabularProfile,
    sheet: str | None = None,
) -> HeaderBlock:
    """The header block in ``rows`` (the rows above a table's header)."""
    labels = _label_table(profile)
    quiet = _QUIET
    block = HeaderBlock()
    for line, cells in rows:
        taken: set[int] = set()
        for index, cell in enumerate(cells):
            text = cell_text(cell)
            if index in taken or text is None:
                continue
            where = Location(line=line, sheet=sheet)
            label, colon, rest = text.partition(":")
            if normalise_header(label) in quiet:
                continue  # our own form's instructions
            fld = labels.get(normalise_header(label)) if label.strip() else None
            value: Cell = rest.strip() if colon else None
            if fld is not None and not value:
                # The value is in a cell to the right.
                for reach in range(index + 1, min(index + 1 + _VALUE_REACH, len(cells))):
                    if cell_text(cells[reach]) is not None:
                        value = cells[reach]
                        taken.add(reach)
                        break
            if fld is not None and value not in (None, ""):
                block.values.setdefault(fld, (value, where))
            elif fld is not None and colon:
                continue  # "N° de commande :" left blank: nothing to take, nothing lost
            elif colon and rest.strip() and label.strip():
                block.notes.append(text)
            else:
                block.skipped.append(Skipped(kind=SkipKind.TEXT_ABOVE, location=where, text=text))
    return block


__all__ = ["HeaderBlock", "read_header_block"]
