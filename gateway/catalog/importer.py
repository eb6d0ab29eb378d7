"""Master-data import: products, barcodes, customers, sites, grants, assortments, customer refs.

Idempotent: a re-import updates what changed and reports created / updated /
unchanged; rows absent from a file are left as they are. Bulk by design — rows go to a
staging table in one ``executemany``, and two set-based statements (insert the new,
update the changed) apply them, so a million products take seconds, not hours.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    and_,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from gateway.catalog.lookup import bump_catalog_version
from gateway.config.spelling import did_you_mean
from gateway.errors import Unreadable
from gateway.rules.products import name_key
from gateway.store.bulk import bulk_insert
from gateway.store.models import (
    AssortmentItem,
    Barcode,
    Customer,
    CustomerRef,
    Grant,
    Product,
    Site,
    table_of,
)
from parsers import csv as csv_format
from parsers import gtin
from parsers import xlsx as xlsx_format
from parsers.cells import cell_text
from parsers.columns import normalise_header
from parsers.errors import ParseError
from parsers.gc_pause import paused_gc

MAX_ERRORS_SHOWN = 50


class Kind(StrEnum):
    PRODUCTS = "products"
    BARCODES = "barcodes"
    CUSTOMERS = "customers"
    SITES = "sites"
    GRANTS = "grants"
    ASSORTMENTS = "assortments"
    CUSTOMER_REFS = "customer-refs"


#: canonical column → accepted headers (compared accent/case/punctuation-insensitively)
ALIASES: dict[str, tuple[str, ...]] = {
    "sku": (
        "sku",
        "reference",
        "ref",
        "référence",
        "reference fournisseur",
        "article",
        "code article",
    ),
    "name": (
        "name",
        "nom",
        "designation",
        "désignation",
        "libelle",
        "libellé",
        "description",
        "raison sociale",
    ),
    "unit": ("unit", "unité", "unite", "uom"),
    "sell_multiple": (
        "sell_multiple",
        "sell multiple",
        "multiple",
        "multiple de vente",
        "colisage",
        "pcb",
    ),
    "active": ("active", "actif", "enabled", "statut"),
    "barcode": ("barcode", "code-barre", "code barre", "ean", "gtin", "upc", "ean13"),
    "pack_qty": (
        "pack_qty",
        "pack qty",
        "pack",
        "qte par colis",
        "quantité par colis",
        "uvc par colis",
    ),
    "code": ("code", "code client", "code site", "customer code", "site code", "id"),
    "gln": ("gln", "ean lieu", "code gln", "iln"),
    "partner": ("partner", "partenaire"),
    "customer": ("customer", "client", "code client", "customer code"),
    "site": ("site", "code site", "dépôt", "depot", "site code"),
    "customer_ref": (
        "customer_ref",
        "customer ref",
        "réf client",
        "ref client",
        "référence client",
        "reference client",
        "votre référence",
    ),
}

REQUIRED: dict[Kind, tuple[str, ...]] = {
    Kind.PRODUCTS: ("sku", "name"),
    Kind.BARCODES: ("barcode", "sku"),
    Kind.CUSTOMERS: ("code", "name"),
    Kind.SITES: ("code", "name"),
    Kind.GRANTS: ("partner", "customer", "site"),
    Kind.ASSORTMENTS: ("customer", "sku"),
    Kind.CUSTOMER_REFS: ("customer", "customer_ref", "sku"),
}
OPTIONAL: dict[Kind, tuple[str, ...]] = {
    Kind.PRODUCTS: ("unit", "sell_multiple", "active", "barcode", "pack_qty"),
    Kind.BARCODES: ("pack_qty",),
    Kind.CUSTOMERS: ("gln",),
    Kind.SITES: ("gln",),
    Kind.GRANTS: (),
    Kind.ASSORTMENTS: (),
    Kind.CUSTOMER_REFS: (),
}


class ImportFailed(Unreadable):
    """The file cannot be imported at all (unreadable, required column missing)."""


@dataclass
class TableChange:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    kind: Kind
    rows: int = 0
    changes: dict[str, TableChange] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_SHOWN:
            self.errors.append(f"line {line}, column {column!r}: {message}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "rows": self.rows,
            "changes": {k: vars(v) for k, v in self.changes.items()},
            "errors": self.errors,
            "error_count": self.error_count,
        }


# --- reading ---------------------------------------------------------------------------
@dataclass
class Rows:
    """Column-oriented rows; ``lines`` holds the file line (or Excel row) of each."""

    columns: dict[str, list[str]]
    headers: dict[str, str]  # canonical → header as written
    lines: list[int]

    @property
    def count(self) -> int:
        return len(self.lines)


def read_rows(path: Path, kind: Kind) -> Rows:
    """The file's rows by canonical column, read with the order readers' own detection
    (encoding, delimiter, XLSX numbers as exact digits)."""
    data = path.read_bytes()
    try:
        if xlsx_format.recognise(data):
            table: list = xlsx_format.first_sheet_rows(data)
        else:
            table = csv_format.rows(data)
    except ParseError as exc:
        raise ImportFailed(f"{path.name}: {exc}") from None
    with paused_gc():
        table = [(n, r) for n, r in table if any(r)]  # blank rows carry nothing
        if not table:
            raise ImportFailed(f"{path.name}: the file holds no rows")
        (_, header), body = table[0], table[1:]
        return _canonical([cell_text(h) or "" for h in header], body, kind, path.name)


def _columns(body: list[tuple[int, list]], indexes: list[int]) -> list[list[str]]:
    """The cells of each wanted column as trimmed text (XLSX numbers as exact digits)."""
    rows = [r for _, r in body]
    width = max(indexes, default=-1) + 1
    if any(len(r) < width for r in rows):  # a short row: its missing cells are empty
        rows = [r if len(r) >= width else [*r, *[None] * (width - len(r))] for r in rows]
    transposed = list(zip(*rows, strict=False)) if rows else [()] * width
    return [
        [v.strip() if v.__class__ is str else (cell_text(v) or "") for v in transposed[i]]
        for i in indexes
    ]


def _canonical(header: list[str], body: list[tuple[int, list]], kind: Kind, name: str) -> Rows:
    wanted = REQUIRED[kind] + OPTIONAL[kind]
    by_key = {normalise_header(h): i for i, h in enumerate(header) if h}
    found: dict[str, int] = {}
    for canon in wanted:
        for alias in (canon, *ALIASES.get(canon, ())):
            if normalise_header(alias) in by_key:
                found[canon] = by_key[normalise_header(alias)]
                break
    missing = [c for c in REQUIRED[kind] if c not in found]
    if missing:
        raise ImportFailed(
            f"{name}: missing column(s) {', '.join(missing)} for {kind.value} "
            f"(expected headers {', '.join(REQUIRED[kind] + OPTIONAL[kind])}; "
            f"found {', '.join(h for h in header if h)})"
        )
    values = _columns(body, list(found.values()))
    return Rows(
        columns=dict(zip(found, values, strict=True)),
        headers={c: header[i] for c, i in found.items()},
        lines=[n for n, _ in body],
    )


# --- staging and applying ------------------------------------------------------------------
def upsert(
    conn: Connection,
    target: Table,
    keys: Sequence[str],
    values: Sequence[str],
    rows: list[tuple],
    *,
    update_only: Sequence[str] | None = None,
) -> TableChange:
    """Insert new rows and update changed ones of ``target``, keyed on ``keys``.

    ``update_only`` limits what an update may change to the columns the file really
    has: a column absent from the file keeps its stored value (new rows get defaults).
    """
    change = TableChange()
    if not rows:
        return change
    md = MetaData()
    cols = [*keys, *values]
    stage = Table(
        f"stage_{target.name}",
        md,
        *(Column(c, target.c[c].type) for c in cols),
        prefixes=["TEMPORARY"],
    )
    stage.drop(conn, checkfirst=True)
    stage.create(conn)
    bulk_insert(conn, stage, cols, rows)

    match = and_(*(target.c[k] == stage.c[k] for k in keys))
    changing = list(values if update_only is None else update_only)
    differs = (
        or_(*(target.c[v].is_distinct_from(stage.c[v]) for v in changing)) if changing else None
    )
    change.created = (
        conn.scalar(select(func.count()).select_from(stage).where(~exists().where(match))) or 0
    )
    if differs is not None:
        change.updated = (
            conn.scalar(select(func.count()).select_from(stage.join(target, match)).where(differs))
            or 0
        )
    change.unchanged = len(rows) - change.created - change.updated

    conn.execute(
        insert(target).from_select(
            cols, select(*(stage.c[c] for c in cols)).where(~exists().where(match))
        )
    )
    if differs is not None and change.updated:
        conn.execute(update(target).values({v: stage.c[v] for v in changing}).where(match, differs))
    stage.drop(conn)
    return change


_SMALL = {str(n): Decimal(n) for n in range(1000)}


def _decimal(text: str) -> Decimal:
    if (small := _SMALL.get(text)) is not None:
        return small
    value = Decimal(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    if not value.is_finite():
        raise InvalidOperation
    return value


_TRUE = {"1", "true", "yes", "y", "oui", "o", "actif", "active", "vrai", "x"}
_FALSE = {"0", "false", "no", "n", "non", "inactif", "inactive", "faux", ""}


def _bool(text: str) -> bool | None:
    t = text.strip().casefold()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    return None


def _code_map(session: Session, model: Any, field_name: str = "code") -> dict[str, int]:
    col = getattr(model, field_name)
    return {str(k).upper(): i for k, i in session.execute(select(col, model.id))}


def import_file(
    session: Session,
    kind: Kind,
    path: Path,
    *,
    progress: Callable[[str], None] | None = None,
    partners: Collection[str] = (),
) -> ImportReport:
    """Read ``path`` and apply it in one transaction of ``session`` (the caller commits).

    ``partners``: the partner ids of ``gateway.toml``; a grant row naming another is
    refused (a grant nobody can use is a typo waiting to surface at a customer).
    """
    rows = read_rows(path, kind)
    report = ImportReport(kind=kind, rows=rows.count)
    say = progress or (lambda _msg: None)
    say(f"read {rows.count:,} rows")
    _handler(kind, partners)(session, session.connection(), rows, report, say)
    # Every import bumps the master-data version: caches (fuzzy name index, grants) key on it.
    bump_catalog_version(session)
    return report


def _handler(kind: Kind, partners: Collection[str]) -> Callable[..., None]:
    if kind is Kind.GRANTS:
        return partial(_grants, partners=frozenset(partners))
    return _HANDLERS[kind]


def import_rows(
    session: Session,
    kind: Kind,
    rows: Sequence[dict[str, str]],
    *,
    partners: Collection[str] = (),
) -> ImportReport:
    """Apply ``rows`` (canonical column → value, e.g. one assortment row typed in a form)
    as :func:`import_file` applies a file's: the same checks (``partners`` as there), the
    same report, with the rows counted from line 1."""
    wanted = REQUIRED[kind] + OPTIONAL[kind]
    present = [c for c in wanted if any(c in r for r in rows)]
    missing = [c for c in REQUIRED[kind] if c not in present]
    if missing:
        raise ImportFailed(
            f"missing {', '.join(missing)} for {kind.value} (expected {', '.join(wanted)})"
        )
    table = Rows(
        columns={c: [(r.get(c) or "").strip() for r in rows] for c in present},
        headers={c: c for c in present},
        lines=list(range(1, len(rows) + 1)),
    )
    report = ImportReport(kind=kind, rows=table.count)
    _handler(kind, partners)(session, session.connection(), table, report, lambda _msg: None)
    bump_catalog_version(session)
    return report


def _products(session: Session, conn: Connection, rows: Rows, report: ImportReport, say) -> None:  # noqa: ANN001
    c, h, n = rows.columns, rows.headers, rows.count
    units = c.get("unit")
    mults = c.get("sell_multiple")
    actives = c.get("active")
    products: dict[str, tuple] = {}
    barcodes: list[tuple[int, str, str, str]] = []  # (line, barcode, sku, pack)
    for i in range(n):
        line = rows.lines[i]
        sku = c["sku"][i]
        if not sku:
            report.error(line, h["sku"], "empty reference (sku)")
            continue
        name = c["name"][i]
        mult = Decimal(1)
        if mults and mults[i]:
            try:
                mult = _decimal(mults[i])
                if mult <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                report.error(line, h["sell_multiple"], f"{mults[i]!r} is not a positive number")
                continue
        active = True
        if actives:
            parsed = _bool(actives[i]) if actives[i] else True
            if parsed is None:
                report.error(line, h["active"], f"{actives[i]!r} is not yes/no (1/0, oui/non)")
                continue
            active = parsed
        if sku in products and not name:
            pass  # a barcode-only continuation row for the same product
        else:
            unit = (units[i] if units and units[i] else "EA").upper()
            products[sku] = (sku, name, name_key(name), unit, mult, active)
        if "barcode" in c and c["barcode"][i]:
            pack = c["pack_qty"][i] if "pack_qty" in c else ""
            barcodes.append((line, c["barcode"][i], sku, pack))
    say(f"applying {len(products):,} products")
    present = ["name", "name_key"] + [
        col
        for col, key in (("unit", "unit"), ("sell_multiple", "sell_multiple"), ("active", "active"))
        if key in c
    ]
    report.changes["products"] = upsert(
        conn,
        table_of(Product),
        ["sku"],
        ["name", "name_key", "unit", "sell_multiple", "active"],
        list(products.values()),
        update_only=present,
    )
    if barcodes:
        say(f"applying {len(barcodes):,} barcodes")
        sku_ids = _code_map(session, Product, "sku")
        report.changes["barcodes"] = _apply_barcodes(conn, barcodes, sku_ids, h, report)


def _barcodes(session: Session, conn: Connection, rows: Rows, report: ImportReport, say) -> None:  # noqa: ANN001
    c, h = rows.columns, rows.headers
    packs = c.get("pack_qty")
    items = [
        (rows.lines[i], c["barcode"][i], c["sku"][i], packs[i] if packs else "")
        for i in range(rows.count)
    ]
    sku_ids = _code_map(session, Product, "sku")
    say(f"applying {len(items):,} barcodes")
    report.changes["barcodes"] = _apply_barcodes(conn, items, sku_ids, h, report)


def _apply_barcodes(
    conn: Connection,
    items: list[tuple[int, str, str, str]],
    sku_ids: dict[str, int],
    h: dict[str, str],
    report: ImportReport,
) -> TableChange:
    out: dict[str, tuple] = {}
    for line, code, sku, pack in items:
        try:
            valid = gtin.validate(code)
        except gtin.GtinError as exc:
            report.error(line, h["barcode"], f"{code!r}: {exc}")
            continue
        pid = sku_ids.get(sku.upper())
        if pid is None:
            report.error(line, h["sku"], f"unknown product {sku!r} for barcode {code}")
            continue
        qty = Decimal(1)
        if pack:
            try:
                qty = _decimal(pack)
                if qty <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                report.error(
                    line, h.get("pack_qty", "pack_qty"), f"{pack!r} is not a positive number"
                )
                continue
        key = valid.zfill(14)  # to_gtin14 without validating twice
        out[key] = (key, valid, pid, qty)
    return upsert(
        conn,
        table_of(Barcode),
        ["gtin14"],
        ["barcode", "product_id", "pack_qty"],
        list(out.values()),
    )


def _parties(model: Any, table_key: str):  # noqa: ANN202
    def handler(session: Session, conn: Connection, rows: Rows, report: ImportReport, say) -> None:  # noqa: ANN001
        c, h = rows.columns, rows.headers
        out: dict[str, tuple] = {}
        glns = c.get("gln")
        for i in range(rows.count):
            line = rows.lines[i]
            code = c["code"][i]
            if not code:
                report.error(line, h["code"], "empty code")
                continue
            written = glns[i] if glns and glns[i] else None
            gln = written
            if gln is not None:
                try:
                    gln = gtin.validate(gln)
                    if len(gln) != 13:
                        raise gtin.InvalidLength("a GLN has 13 digits")
                except gtin.GtinError as exc:
                    report.error(line, h["gln"], f"{written!r} is not a valid GLN: {exc}")
                    continue
            out[code] = (code, c["name"][i] or code, gln)
        report.changes[table_key] = upsert(
            conn,
            model.__table__,
            ["code"],
            ["name", "gln"],
            list(out.values()),
            update_only=["name", "gln"] if glns is not None else ["name"],
        )

    return handler


def _grants(
    session: Session,
    conn: Connection,
    rows: Rows,
    report: ImportReport,
    say,  # noqa: ANN001
    partners: frozenset[str] = frozenset(),
) -> None:
    c, h = rows.columns, rows.headers
    configured = ", ".join(sorted(partners)) or "none"
    customers, sites = _code_map(session, Customer), _code_map(session, Site)
    out: set[tuple[str, int, int]] = set()
    for i in range(rows.count):
        line = rows.lines[i]
        cid = customers.get(c["customer"][i].upper())
        sid = sites.get(c["site"][i].upper())
        partner = c["partner"][i]
        if not partner:
            report.error(line, h["partner"], "empty partner id")
        elif partner not in partners:
            report.error(
                line,
                h["partner"],
                f"unknown partner {partner!r} (configured in gateway.toml: {configured})"
                + did_you_mean(partner, partners),
            )
        elif cid is None:
            report.error(line, h["customer"], f"unknown customer {c['customer'][i]!r}")
        elif sid is None:
            report.error(line, h["site"], f"unknown site {c['site'][i]!r}")
        else:
            out.add((c["partner"][i], cid, sid))
    report.changes["grants"] = upsert(
        conn, table_of(Grant), ["partner", "customer_id", "site_id"], [], sorted(out)
    )


def _assortments(session: Session, conn: Connection, rows: Rows, report: ImportReport, say) -> None:  # noqa: ANN001
    c, h = rows.columns, rows.headers
    customers, skus = _code_map(session, Customer), _code_map(session, Product, "sku")
    out: set[tuple[int, int]] = set()
    for i in range(rows.count):
        line = rows.lines[i]
        cid = customers.get(c["customer"][i].upper())
        pid = skus.get(c["sku"][i].upper())
        if cid is None:
            report.error(line, h["customer"], f"unknown customer {c['customer'][i]!r}")
        elif pid is None:
            report.error(line, h["sku"], f"unknown product {c['sku'][i]!r}")
        else:
            out.add((cid, pid))
    report.changes["assortments"] = upsert(
        conn, table_of(AssortmentItem), ["customer_id", "product_id"], [], sorted(out)
    )
    with_assortment = {cid for cid, _ in out}
    if with_assortment:
        conn.execute(
            update(table_of(Customer))
            .where(Customer.__table__.c.id.in_(with_assortment))
            .values(has_assortment=True)
        )


def _customer_refs(
    session: Session, conn: Connection, rows: Rows, report: ImportReport, say
) -> None:  # noqa: ANN001
    c, h = rows.columns, rows.headers
    customers, skus = _code_map(session, Customer), _code_map(session, Product, "sku")
    out: dict[tuple[int, str], tuple] = {}
    for i in range(rows.count):
        line = rows.lines[i]
        cid = customers.get(c["customer"][i].upper())
        pid = skus.get(c["sku"][i].upper())
        ref = c["customer_ref"][i]
        if cid is None:
            report.error(line, h["customer"], f"unknown customer {c['customer'][i]!r}")
        elif not ref:
            report.error(line, h["customer_ref"], "empty customer reference")
        elif pid is None:
            report.error(line, h["sku"], f"unknown product {c['sku'][i]!r}")
        else:
            out[(cid, ref)] = (cid, ref, pid)
    report.changes["customer_refs"] = upsert(
        conn,
        table_of(CustomerRef),
        ["customer_id", "customer_ref"],
        ["product_id"],
        list(out.values()),
    )


_HANDLERS = {
    Kind.PRODUCTS: _products,
    Kind.BARCODES: _barcodes,
    Kind.CUSTOMERS: _parties(Customer, "customers"),
    Kind.SITES: _parties(Site, "sites"),
    Kind.GRANTS: _grants,
    Kind.ASSORTMENTS: _assortments,
    Kind.CUSTOMER_REFS: _customer_refs,
}
