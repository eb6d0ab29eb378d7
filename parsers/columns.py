"""Which column holds which field: canonical fields, their French and English aliases,
the partner's profile, and finding the header row.

* The header is the row among the first 20 that matches the most aliases and has at
  least a quantity column and one product column (barcode, supplier reference,
  customer reference or name), unless the profile fixes ``header_row``.
* Headers compare without accents, case, punctuation, bracketed notes and plural
  ``s``: ``Code-barres``, ``CODE BARRE`` and ``Code barre (EAN)`` are the same header."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from parsers.cells import Cell, cell_text

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
    #: The buyer's own reference for the whole order (header block only, never a column)
    BUYER_REFERENCE = "buyer_reference"


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
    Field.UNIT: (
        "Unité", "Unité de mesure", "Unité de commande", "Unit", "UOM", "Unit of measure",
        "Order unit",
    ),
    Field.UNIT_PRICE: (
        "Prix unitaire", "Prix unitaire HT", "Prix", "Prix HT", "Prix net", "PU", "PU HT",
        "Unit price", "Price", "Net price",
    ),
    Field.COMMENT: (
        "Commentaire", "Remarque", "Observation", "Note", "Comment", "Remarks",
    ),
}  # fmt: skip

#: Labels of the header block above a table (``N° de commande : HB-5540``), by field.
#: Not the column aliases: above a table ``Votre référence`` is the buyer's reference for
#: the order, in a column it is the buyer's article number.
BLOCK_LABELS: dict[Field, tuple[str, ...]] = {
    Field.ORDER_NUMBER: (
        "N° de commande", "N° commande", "No commande", "Numéro de commande", "Commande",
        "Commande n°", "Bon de commande", "Bon de commande n°", "Order number", "Order no",
        "Order", "PO", "PO number", "Purchase order", "Purchase order number",
    ),
    Field.CUSTOMER: (
        "Client", "Code client", "N° client", "Nom du client", "Compte client", "Customer",
        "Customer code", "Customer number", "Account", "Buyer", "Acheteur",
    ),
    Field.SITE: (
        "Site", "Site de livraison", "Lieu de livraison", "Adresse de livraison", "Livrer à",
        "Livraison à", "Magasin", "Dépôt", "Entrepôt", "Delivery site", "Ship to",
        "Deliver to", "Store", "Warehouse",
    ),
    Field.ORDER_DATE: ("Date", "Date de commande", "Date commande", "Order date"),
    Field.DELIVERY_DATE: (
        "Date de livraison", "Date livraison", "Date de livraison souhaitée",
        "Livraison souhaitée", "Livraison souhaitée le", "Livraison le", "À livrer le",
        "Delivery date", "Requested delivery date", "Deliver by", "Delivery",
    ),
    Field.COMMENT: (
        "Commentaire", "Commentaires", "Remarque", "Remarques", "Observation",
        "Observations", "Note", "Notes", "Instructions", "Comment", "Comments", "Remarks",
    ),
    Field.BUYER_REFERENCE: (
        "Votre référence", "Vos références", "Réf. acheteur", "Référence acheteur",
        "Référence client", "Réf. client", "Your reference", "Buyer reference",
        "Customer reference", "Reference",
    ),
}  # fmt: skip

#: Headers of columns that are there for people and need not be read nor reported
#: (the sell multiple printed on the gateway's own order forms)
QUIET_HEADERS = ("Vendu par", "Multiple de vente", "Sold in multiples of", "Sold by")
#: Labels above a table whose lines are there for people only (the order form's
#: instructions): neither a field, nor a remark, nor something left aside
QUIET_LABELS = ("Mode d'emploi", "How to fill in")

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
    ``labels`` adds labels of the header block above the table (see
    :mod:`parsers.header_block`).
    ``sheet`` is an XLSX sheet name or 1-based index.  ``header_row`` is the 1-based
    line/row of the header (``0``: there is none, every field is fixed by letter/index).
    """

    model_config = ConfigDict(extra="forbid")

    aliases: dict[Field, list[str]] = PydanticField(default_factory=dict)
    #: More labels for the header block above the table (``Bon n°`` for the order number)
    labels: dict[Field, list[str]] = PydanticField(default_factory=dict)
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


#: A profile's own names for fields, as a key: what a table of names is cached by
OwnNames = tuple[tuple["Field", tuple[str, ...]], ...]


def own_names(names: dict[Field, list[str]]) -> OwnNames:
    """``names`` (a profile's aliases or labels) as a cache key."""
    return tuple((fld, tuple(these)) for fld, these in names.items())


def _alias_table(profile: TabularProfile) -> Mapping[str, Field]:
    return _aliases_with(own_names(profile.aliases))


# Every file of a partner asks for the same table: built once per profile's names (a few
# hundred built-in names normalised, a sixth of reading a small CSV file).
@lru_cache(maxsize=64)
def _aliases_with(own: OwnNames) -> Mapping[str, Field]:
    table: dict[str, Field] = {}
    for fld, names in BUILTIN_ALIASES.items():
        for name in names:
            table.setdefault(normalise_header(name), fld)
    # A partner's own names win over the built-ins.
    for own_field, names in own:
        for name in names:
            table[normalise_header(name)] = own_field
    return MappingProxyType(table)


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
    cells: Sequence[Cell], profile: TabularProfile, aliases: Mapping[str, Field]
) -> tuple[dict[Field, int], list[str]]:
    texts = [cell_text(c) or "" for c in cells]
    keys = [normalise_header(t) for t in texts]
    columns: dict[Field, int] = {}
    taken: set[int] = set()
    for fld, spec in profile.columns.items():
        index = _fixed_column(spec, keys)
        if index is not None:
            columns[fld] = index
            taken.add(index)
    for index, key in enumerate(keys):
        named = aliases.get(key) if key else None
        if named is not None and named not in columns and index not in taken:
            columns[named] = index
            taken.add(index)
    return columns, texts


def _fixed_column(spec: str | int, keys: list[str]) -> int | None:
    if isinstance(spec, int):
        return spec - 1 if spec >= 1 else None
    key = normalise_header(spec)
    if key and key in keys:
        return keys.index(key)
    spec = spec.strip()
    if spec.isascii() and spec.isdigit() and int(spec) >= 1:
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


def best_candidate(
    rows: Sequence[tuple[int, Sequence[Cell]]], profile: TabularProfile | None = None
) -> HeaderMatch | None:
    """The row among the first 20 that looks most like a header, usable or not: what to
    show when no header qualifies."""
    profile = profile or TabularProfile()
    aliases = _alias_table(profile)
    best: HeaderMatch | None = None
    for position, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if cell_text(c)) < 2:
            continue
        candidate = _header_at(position, line, cells, profile, aliases)
        if best is None or len(candidate.columns) > len(best.columns):
            best = candidate
    return best


def _header_at(
    position: int,
    line: int,
    cells: Sequence[Cell],
    profile: TabularProfile,
    aliases: Mapping[str, Field],
) -> HeaderMatch:
    """Row ``cells`` read as a header."""
    columns, texts = _match_row(cells, profile, aliases)
    return HeaderMatch(
        position=position,
        line=line,
        columns=columns,
        names=_header_names(columns, texts),
        header_cells=texts,
    )


def missing_fields(header: HeaderMatch) -> list[Field]:
    """What keeps ``header`` from being an order header: a quantity, a product column."""
    missing = [] if Field.QUANTITY in header.columns else [Field.QUANTITY]
    if not any(f in header.columns for f in PRODUCT_FIELDS):
        missing.append(Field.BARCODE)
    return missing


def nearest_header(header: HeaderMatch, wanted: Field) -> tuple[str, str] | None:
    """(the header as written, the alias it resembles) for a column that is probably
    ``wanted`` misspelt (``Qantité`` → ``Quantité``), among the cells no field took.

    >>> row = HeaderMatch(position=0, line=1, columns={Field.BARCODE: 0}, names={},
    ...                   header_cells=["Code-barre", "Qantité"])
    >>> nearest_header(row, Field.QUANTITY)
    ('Qantité', 'Quantité')
    """
    fields = PRODUCT_FIELDS if wanted in PRODUCT_FIELDS else (wanted,)
    taken = set(header.columns.values())
    best: tuple[float, str, str] | None = None
    for index, text in enumerate(header.header_cells):
        key = normalise_header(text) if text else ""
        if not key or index in taken:
            continue
        for fld in fields:
            for alias in BUILTIN_ALIASES[fld]:
                ratio = SequenceMatcher(None, key, normalise_header(alias)).ratio()
                if ratio >= 0.75 and (best is None or ratio > best[0]):
                    best = (ratio, text.strip(), alias)
    return (best[1], best[2]) if best else None


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
                return _header_at(position, line, cells, profile, aliases)
        return None
    best: HeaderMatch | None = None
    for position, (line, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(cell_text(c) for c in cells):
            continue
        candidate = _header_at(position, line, cells, profile, aliases)
        if candidate.usable and (best is None or len(candidate.columns) > len(best.columns)):
            best = candidate
    return best
