"""One 850 Purchase Order transaction set → one :class:`OrderDocument`.

Mapping (X12 004010, which 003040…005010 files follow closely):

========  ===================================================================
BEG       01 purpose (00 original, 01 cancel, 04 change, 05 replace…) → ``function``;
          02 order type → ``order_type``; 03 PO number → ``order_number``;
          04 release → ``references["release"]``; 05 date → ``order_date``
CUR       02 → ``currency`` (header CUR only)
REF       header REF01/REF02 (or REF03) → ``references`` by qualifier
DTM       002 (delivery requested) → ``delivery_date`` / line ``requested_delivery``;
          other header qualifiers → ``references["DTM<qualifier>"]`` as ISO dates
N1        header N1 loops → ``parties``: BY buyer, ST delivery, SE/VN supplier,
          BT invoicee, SF ship-from, anything else OTHER; N103 qualifier (UL GLN,
          1 DUNS, 9 DUNS+4, 91 seller-assigned, 92 buyer-assigned) and N104 id kept
PO1       01 → ``external_id``; 02 quantity; 03 unit; 04 unit price; 06/07… id pairs
PID       05 description → ``name`` (several are joined)
NTE/MSG   → ``notes`` (header) or line ``comment``
CTT       01 line count and 02 quantity hash total are checked → warnings
========  ===================================================================

PO1 product-id qualifiers go to line fields by :data:`ID_QUALIFIERS`, in priority
order.  ``SK`` (stock keeping unit) says nothing about *whose* SKU it is: it fills
``supplier_ref`` only when no vendor number (VN/VP/VC) is present.  Retailers that
send their own SKU there can be mapped differently by passing another table.

A value that cannot be read (a quantity that is not a number, a bad date) becomes a
:class:`LineIssue` on the line and an AK3/AK4 entry on the set report – the set is
then "accepted with errors" and the line is kept for the gateway to reject.
A missing BEG, PO number or PO1 makes the set rejected and yields no order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from parsers.document import (
    Envelope,
    IssueCode,
    ItemId,
    LineChange,
    LineIssue,
    Location,
    OrderDocument,
    OrderLine,
    Party,
    PartyRole,
    SourceFormat,
    order_line_at,
)
from parsers.x12.codes import (
    PURPOSE_FUNCTION,
    ElementErrorCode,
    SegmentErrorCode,
    TransactionPurpose,
)
from parsers.x12.reports import ElementError, SegmentError, TransactionSetReport

#: Line field → PO1 product-id qualifiers (element 235) that fill it, best first.
ID_QUALIFIERS: Mapping[str, tuple[str, ...]] = {
    # UP: U.P.C. consumer package (12), EN: EAN (13), UK: GTIN-14 shipping container,
    # UA: U.P.C./EAN case code
    "barcode": ("UP", "EN", "UK", "UA"),
    # VN vendor's item number, VP vendor's part number, VC vendor's catalog number
    "supplier_ref": ("VN", "VP", "VC", "SK"),
    # BP buyer's part number, IN buyer's item number, CB buyer's catalog number
    "customer_ref": ("BP", "IN", "CB"),
    "manufacturer_ref": ("MG",),  # manufacturer's part number
}

PARTY_ROLES: Mapping[str, PartyRole] = {
    "BY": PartyRole.BUYER,
    "ST": PartyRole.DELIVERY,
    "SE": PartyRole.SUPPLIER,
    "VN": PartyRole.SUPPLIER,
    "BT": PartyRole.INVOICEE,
    "SF": PartyRole.SHIP_FROM,
}

_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}\Z")
_DELIVERY_REQUESTED = "002"
#: "PO101".."PO140", shared so 100,000 lines do not each build the same strings
_PO1_COLUMNS = [f"PO1{position:02d}" for position in range(41)]


def parse_date(text: str) -> date | None:
    """CCYYMMDD (004010+) or YYMMDD (003xxx); None when it is not a real date."""
    if not text.isdigit():
        return None
    try:
        if len(text) == 8:
            return date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if len(text) == 6:
            year = int(text[:2])
            return date(2000 + year if year < 50 else 1900 + year, int(text[2:4]), int(text[4:]))
    except ValueError:
        return None
    return None


def parse_number(text: str) -> Decimal | None:
    """An X12 ``R`` value (optional sign, optional decimal point, no exponent)."""
    if text.isascii() and text.isdigit():  # the common case, without the regex
        return Decimal(text)
    return Decimal(text) if _NUMBER.match(text) else None


#: Distinct PO102/PO104 texts remembered per set; beyond this, values are parsed each time
_NUMBER_CACHE_SIZE = 4096


def _cached_number(cache: dict[str, Decimal], text: str) -> Decimal | None:
    """``parse_number(text)``, remembered: Decimals are immutable, so lines may share one."""
    value = parse_number(text)
    if value is not None and len(cache) < _NUMBER_CACHE_SIZE:
        cache[text] = value
    return value


def _cached_quantity(cache: dict[str, tuple[Decimal, str]], raw: str) -> tuple[Decimal, str] | None:
    """The value and stripped text of a PO102, remembered; None when it is not a number."""
    text = raw.strip()
    value = parse_number(text) if text else None
    if value is None:
        return None
    entry = (value, text)
    if len(cache) < _NUMBER_CACHE_SIZE:
        cache[raw] = entry
    return entry


class _SetReader:
    """The state of reading one set: the current line, loop context, totals."""

    def __init__(
        self,
        report: TransactionSetReport,
        st_index: int,
        base: int,
        warnings: list[str],
        id_qualifiers: Mapping[str, tuple[str, ...]],
    ) -> None:
        self.report = report
        self.st_index = st_index
        self.base = base
        self.warnings = warnings
        self.id_qualifiers = id_qualifiers

    def error(
        self,
        index: int,
        segment_id: str,
        code: SegmentErrorCode,
        message: str,
        *elements: ElementError,
        column: str | None = None,
    ) -> None:
        self.report.segment_errors.append(
            SegmentError(
                segment_id=segment_id,
                position_in_set=index - self.st_index + 1,
                code=code,
                message=message,
                location=Location(line=self.base + index + 1, segment=segment_id, column=column),
                elements=list(elements),
            )
        )

    def element_error(
        self,
        index: int,
        segment_id: str,
        position: int,
        reference: str,
        code: ElementErrorCode,
        value: str | None,
        message: str,
    ) -> None:
        column = f"{segment_id}{position:02d}"
        self.error(
            index,
            segment_id,
            SegmentErrorCode.SEGMENT_HAS_ELEMENT_ERRORS,
            f"{column}: {message}",
            ElementError(position=position, code=code, reference=reference, value=value),
            column=column,
        )

    def value_error(
        self,
        index: int,
        line: OrderLine | None,
        issue: IssueCode,
        segment_id: str,
        position: int,
        reference: str,
        code: ElementErrorCode,
        value: str,
        message: str,
    ) -> None:
        """A value that cannot be read: an AK4 on the set, and an issue on its line if any."""
        self.element_error(index, segment_id, position, reference, code, value, message)
        if line is not None:
            column = f"{segment_id}{position:02d}"
            line.issues.append(LineIssue(code=issue, message=message, column=column, value=value))


def read_850(
    segments: list[str],
    start: int,
    end: int,
    base: int,
    separator: str,
    envelope: Envelope,
    report: TransactionSetReport,
    warnings: list[str],
    id_qualifiers: Mapping[str, tuple[str, ...]] = ID_QUALIFIERS,
    *,
    consume: bool = False,
    usual_lines: bool = True,
) -> OrderDocument | None:
    """Read the 850 whose ST is ``segments[start]`` and body ends before ``segments[end]``.

    Errors are added to ``report``; returns None when the set is rejected.  With
    ``consume``, each body segment is replaced by ``""`` once read, for a caller done
    with them: the lines are built from the split elements, so the segment texts are
    garbage, and freeing them as the lines grow keeps a 100,000-line set's peak 17 MB
    lower than holding both to the end.

    ``usual_lines=False`` reads every PO1 by :func:`_general_po1`: the reading the usual
    line's hot path is held to (the tests compare the two on whole interchanges).
    """
    ctx = _SetReader(report, start, base, warnings, id_qualifiers)
    doc = OrderDocument(
        format=SourceFormat.X12,
        envelope=envelope,
        location=Location(line=base + start + 1, segment="ST"),
    )
    lines = doc.lines
    line: OrderLine | None = None
    in_party_loop = False
    seen_beg = False
    quantity_hash = Decimal(0)
    ctt: tuple[int, list[str]] | None = None
    ranking = _ranking(id_qualifiers)
    offset = base + 1  # segments[index] is at file position offset + index
    # Orders repeat their units, quantities, prices and id layouts line after line:
    # each is read once per set, keyed by the raw element text.
    units: dict[str, str] = {}
    quantities: dict[str, tuple[Decimal, str]] = {}  # PO102 → (value, stripped text)
    prices: dict[str, Decimal] = {}  # PO104 → value
    plans: dict[tuple[str, ...], _IdPlan] = {}  # PO1 qualifier layout → how to read it
    # The last two-pair layout seen (PO1 size, raw PO106 and PO108) and its plan: a
    # partner repeats one layout, and comparing two elements costs a quarter of
    # building the key from a slice and looking it up.  Until one is seen, size 0
    # matches no PO1 and the plan is a stand-in (the empty layout's).
    pair_size, pair_q0, pair_q1 = 0, "", ""
    pair_plan = plans[()] = _IdPlan((), ranking)

    for index in range(start + 1, end):
        el = segments[index].split(separator)
        if consume:
            segments[index] = ""
        tag = el[0]
        size = len(el)
        if tag == "PO1":
            in_party_loop = False
            # The hot path (one PO1 per line item, nearly always the same layout): values
            # come from per-set caches keyed by the raw element text and the line is built
            # in one call.  Anything unusual – a bad or missing number, an empty preferred
            # id, a barcode that is not digits – is left to _general_po1, which reads the
            # line from scratch and reports it; the two agree on every usual line.
            line = None
            if size > 4 and usual_lines:
                quantity = quantities.get(el[2])
                if quantity is None:
                    quantity = _cached_quantity(quantities, el[2])
                raw_price = el[4]
                price = prices.get(raw_price) if raw_price else None
                if raw_price and price is None:
                    price = _cached_number(prices, raw_price)
                if size == pair_size and el[6] == pair_q0 and el[8] == pair_q1:
                    # The layout of the line before, in two pairs (UP + VN…): the same
                    # plan, found without building the key and the values' lists
                    plan = pair_plan
                    id_values = None
                    ids_present = bool(el[7] and el[9])
                else:
                    key = tuple(el[6 : size - 1 : 2]) if size > 7 else ()
                    try:
                        plan = plans[key]
                    except KeyError:
                        plan = plans[key] = _IdPlan(key, ranking)
                    if plan.two is not None:  # two pairs: PO106..PO109 (size 10 or 11)
                        pair_size, (pair_q0, pair_q1), pair_plan = size, key, plan
                    id_values = el[7::2]
                    ids_present = "" not in id_values and len(id_values) <= 20
                at_barcode, at_supplier, at_customer, at_maker = plan.positions
                barcode = el[at_barcode].strip() if at_barcode else ""
                supplier_ref = el[at_supplier].strip() if at_supplier else None
                customer_ref = el[at_customer].strip() if at_customer else None
                manufacturer_ref = el[at_maker].strip() if at_maker else None
                if (
                    quantity is not None
                    and ids_present
                    and (price is not None or not raw_price)
                    and (not at_barcode or (barcode.isdigit() and barcode.isascii()))
                    and (not at_supplier or supplier_ref)
                    and (not at_customer or customer_ref)
                    and (not at_maker or manufacturer_ref)
                ):
                    raw_unit = el[3]
                    unit = units.get(raw_unit) if raw_unit else None
                    if unit is None and raw_unit:
                        unit = units[raw_unit] = raw_unit.strip()
                    value, quantity_text = quantity
                    # By position, in order_line_at's order (keywords cost 0.7 µs a line)
                    line = order_line_at(
                        len(lines) + 1,  # line_no
                        offset + index,  # line
                        "PO1",  # segment
                        el[1].strip() or None,  # external_id
                        barcode or None,
                        plan.barcode_type,
                        supplier_ref,
                        customer_ref,
                        manufacturer_ref,
                        None,  # name
                        value,  # quantity
                        quantity_text,
                        unit,
                        price,  # unit_price
                        plan.columns,
                        index - start + 1,  # in_message
                        plan.item_ids(id_values)
                        if id_values is not None
                        else plan.pair_ids(el[7], el[9]),
                    )
                    lines.append(line)
                    quantity_hash += value
            if line is None:
                line = _general_po1(ctx, index, el, len(lines) + 1, ranking, units)
                line.location.in_message = index - start + 1
                lines.append(line)
                if line.quantity is not None:
                    quantity_hash += line.quantity
            continue
        if tag == "PID":
            description = el[5].strip() if size > 5 else ""
            if line is not None and description:
                line.name = f"{line.name} {description}" if line.name else description
            continue
        if tag == "DTM":
            qualifier = el[1].strip() if size > 1 else ""
            text = el[2].strip() if size > 2 else ""
            when = parse_date(text)
            if when is None:
                ctx.value_error(
                    index, line, IssueCode.INVALID_DATE, "DTM", 2, "373",
                    ElementErrorCode.INVALID_DATE, text, f"date {text!r} is not CCYYMMDD",
                )  # fmt: skip
            elif line is not None:
                if qualifier == _DELIVERY_REQUESTED:
                    line.requested_delivery = when
            elif qualifier == _DELIVERY_REQUESTED:
                doc.delivery_date = when
            else:
                doc.references.setdefault(f"DTM{qualifier}", when.isoformat())
            continue
        if tag == "BEG" or tag == "BCH":
            seen_beg = True
            _read_beg(ctx, index, el, doc, tag)
            continue
        if tag == "POC":
            # An 860 line: POC01 id, POC02 change type, POC03 quantity ordered (as it is
            # to be), POC04 quantity left, then the PO1 layout from the unit on
            in_party_loop = False
            size = len(el)
            po1 = ["PO1", el[1] if size > 1 else "", el[3] if size > 3 else "", *el[5:]]
            line = _general_po1(ctx, index, po1, len(lines) + 1, ranking, units)
            _as_poc(line, (el[2].strip() if size > 2 else ""), index - start + 1)
            lines.append(line)
            continue
        if tag == "N1":
            if line is not None:
                continue  # line-level parties (ship-to per line) are not modelled
            in_party_loop = True
            raw_role = el[1].strip() if size > 1 else ""
            doc.parties.append(
                Party(
                    role=PARTY_ROLES.get(raw_role, PartyRole.OTHER),
                    name=(el[2].strip() or None) if size > 2 else None,
                    qualifier=(el[3].strip() or None) if size > 3 else None,
                    id=(el[4].strip() or None) if size > 4 else None,
                    raw_role=raw_role or None,
                )
            )
            continue
        if tag == "REF":
            if line is None and not in_party_loop and size > 2:
                reference = el[2].strip() or (el[3].strip() if size > 3 else "")
                if reference:
                    doc.references.setdefault(el[1].strip(), reference)
            continue
        if tag == "CUR":
            if line is None and size > 2 and el[2].strip():
                doc.currency = el[2].strip()
            continue
        if tag in ("NTE", "MSG"):
            at = 2 if tag == "NTE" else 1  # NTE02 / MSG01: free-form text
            text = el[at].strip() if size > at else ""
            if text:
                if line is None:
                    doc.notes.append(text)
                else:
                    line.comment = f"{line.comment} {text}" if line.comment else text
            continue
        if tag == "CTT":
            ctt = (index, el)
            continue
        if not _SEGMENT_ID.match(tag):
            ctx.error(
                index,
                tag or "?",
                SegmentErrorCode.UNRECOGNIZED_SEGMENT_ID,
                f"{tag!r} is not a segment id",
            )

    if not seen_beg:
        head = "BCH" if report.set_id == "860" else "BEG"
        ctx.error(start + 1, head, SegmentErrorCode.MANDATORY_SEGMENT_MISSING, f"no {head} segment")
        report.rejected = True
    if not lines and report.set_id != "860":  # a cancelling 860 may name no line
        ctx.error(end, "PO1", SegmentErrorCode.MANDATORY_SEGMENT_MISSING, "no PO1 line item")
        report.rejected = True
    if ctt is not None:
        _check_totals(ctx, ctt, len(lines), quantity_hash)
    buyer = doc.party(PartyRole.BUYER)
    if buyer is not None:
        doc.customer = buyer.id or buyer.name
    delivery = doc.party(PartyRole.DELIVERY)
    if delivery is not None:
        doc.site = delivery.id or delivery.name
    return None if report.rejected else doc


def _general_po1(
    ctx: _SetReader,
    index: int,
    el: list[str],
    line_no: int,
    ranking: dict[str, tuple[str, int, str]],
    units: dict[str, str],
) -> OrderLine:
    """Read a PO1 the fast path declined, reporting every value that cannot be read.

    Issues are reported in a fixed order – quantity, price, identifiers – as a line
    read alone would report them.
    """
    size = len(el)
    quantity_text = el[2].strip() if size > 2 else ""
    quantity = parse_number(quantity_text) if quantity_text else None
    unit = None
    if size > 3 and el[3]:
        unit = el[3].strip()
        unit = units.setdefault(unit, unit)
    price_text = el[4].strip() if size > 4 and el[4] else None
    price = parse_number(price_text) if price_text is not None else None
    line = OrderLine(
        line_no=line_no,
        location=Location(line=ctx.base + index + 1, segment="PO1"),
        external_id=(el[1].strip() or None) if size > 1 else None,
        quantity=quantity,
        quantity_text=quantity_text or None,
        unit=unit,
        unit_price=price,
    )
    if quantity is None and quantity_text:
        ctx.value_error(
            index, line, IssueCode.INVALID_QUANTITY, "PO1", 2, "330",
            ElementErrorCode.INVALID_CHARACTER, quantity_text,
            f"quantity {quantity_text!r} is not a number",
        )  # fmt: skip
    elif quantity is None:
        line.issues.append(
            LineIssue(
                code=IssueCode.MISSING_QUANTITY, message="no quantity ordered", column="PO102"
            )
        )
    if price is None and price_text is not None:
        ctx.value_error(
            index, line, IssueCode.INVALID_VALUE, "PO1", 4, "212",
            ElementErrorCode.INVALID_CHARACTER, price_text,
            f"unit price {price_text!r} is not a number",
        )  # fmt: skip
    _product_ids(line, el, ranking)
    # As sent (values unstripped, the fast path's way): readers of them strip
    line.item_ids = [
        ItemId(el[p].strip(), el[p + 1], _column(p + 1)) for p in range(6, size - 1, 2) if el[p + 1]
    ]
    return line


#: POC02 (element 670) → what the line's change does
POC_CHANGES = {
    "AI": LineChange.ADD,
    "DI": LineChange.DELETE,
    "NC": LineChange.UNCHANGED,
}


def _as_poc(line: OrderLine, change_type: str, in_message: int) -> None:
    """A line read through the PO1 layout, relabelled as the POC it came from."""
    line.change = POC_CHANGES.get(change_type, LineChange.CHANGE)
    line.location.segment, line.location.in_message = "POC", in_message

    def poc(column: str) -> str:
        # PO101 is POC01, PO102 (quantity) POC03, PO103 on POC05 on (POC04 is left out)
        position = int(column[3:])
        shift = 0 if position < 2 else 1 if position == 2 else 2
        return f"POC{position + shift:02d}"

    line.columns = {k: poc(v) for k, v in line.columns.items()}
    line.item_ids = [ItemId(i.qualifier, i.value, poc(i.column)) for i in line.item_ids]
    for issue in line.issues:
        if issue.column and issue.column.startswith("PO1"):
            issue.column = poc(issue.column)


def _column(position: int) -> str:
    return _PO1_COLUMNS[position] if position < 41 else f"PO1{position}"


def _read_beg(
    ctx: _SetReader, index: int, el: list[str], doc: OrderDocument, tag: str = "BEG"
) -> None:
    """BEG of an 850, or BCH of an 860 (the same elements, with the change sequence
    number at BCH05 and the PO date after it)."""
    if tag == "BCH":
        doc.change_ref = (el[5].strip() or None) if len(el) > 5 else None
        el = el[:5] + el[6:7]
    size = len(el)
    purpose = el[1].strip() if size > 1 else ""
    try:
        doc.function = PURPOSE_FUNCTION[TransactionPurpose(purpose)]
    except ValueError:
        ctx.element_error(
            index, tag, 1, "353", ElementErrorCode.INVALID_CODE_VALUE, purpose,
            f"purpose code {purpose!r} is not one an order uses; read as original",
        )  # fmt: skip
    if tag == "BCH" and doc.function == "original":
        doc.function = "change"  # a change set is a change, whatever its purpose says
    doc.order_type = (el[2].strip() or None) if size > 2 else None
    number = el[3].strip() if size > 3 else ""
    if number:
        doc.order_number = number
    else:
        ctx.element_error(
            index, tag, 3, "324", ElementErrorCode.MANDATORY_MISSING, None,
            "no purchase order number",
        )  # fmt: skip
        ctx.report.rejected = True
    if size > 4 and el[4].strip():
        doc.references["release"] = el[4].strip()
    text = el[5].strip() if size > 5 else ""
    doc.order_date = parse_date(text)
    if doc.order_date is None:
        code = ElementErrorCode.INVALID_DATE if text else ElementErrorCode.MANDATORY_MISSING
        ctx.element_error(
            index, tag, 6 if tag == "BCH" else 5, "373", code, text or None,
            f"order date {text!r} is not CCYYMMDD",
        )  # fmt: skip


def _ranking(table: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, int, str]]:
    """Qualifier → (line field, priority, qualifier), so each PO1 pair is looked up once."""
    return {
        qualifier: (field_name, rank, qualifier)
        for field_name, qualifiers in table.items()
        for rank, qualifier in enumerate(qualifiers)
    }


_new_tuple = tuple.__new__
_ITEM_ID_TYPES = [ItemId] * 20  # map() stops at the shortest: enough for 20 pairs


class _IdPlan:
    """Which PO1 element fills which line field, for one layout of id qualifiers.

    A partner sends the same qualifiers in the same places on every line, so which
    pair fills which field is decided once per layout, the way :func:`_product_ids`
    decides it for one line (the best-ranked qualifier of each field).  ``columns``
    is shared by every line the fast path reads with this plan; it is read-only
    downstream.
    """

    __slots__ = ("barcode_type", "columns", "id_columns", "positions", "qualifiers", "two")

    def __init__(self, qualifiers: tuple[str, ...], ranking: dict[str, tuple[str, int, str]]):
        self.qualifiers = tuple(q.strip() for q in qualifiers)
        self.id_columns = tuple(_column(7 + 2 * k) for k in range(len(qualifiers)))
        #: Qualifier and column of each pair, for the usual two-pair layout (UP + VN…)
        self.two: tuple[str, str, str, str] | None = None
        if len(qualifiers) == 2:
            (q0, q1), (c0, c1) = self.qualifiers, self.id_columns
            self.two = (q0, c0, q1, c1)
        best: dict[str, tuple[int, str, int]] = {}
        for offset, qualifier in enumerate(qualifiers):
            hit = ranking.get(qualifier)
            if hit is None:
                continue
            field_name, rank, _ = hit
            if field_name not in best or rank < best[field_name][0]:
                best[field_name] = (rank, qualifier, 6 + 2 * offset + 1)
        #: element positions of barcode, supplier_ref, customer_ref, manufacturer_ref
        #: (0 when the layout has none: element 0 is the segment id, never a value)
        self.positions: tuple[int, int, int, int] = tuple(  # type: ignore[assignment]
            best[name][2] if name in best else 0
            for name in ("barcode", "supplier_ref", "customer_ref", "manufacturer_ref")
        )
        self.barcode_type = best["barcode"][1] if "barcode" in best else None
        self.columns = {
            name: _PO1_COLUMNS[position] if position < 41 else f"PO1{position}"
            for name, (_, _, position) in best.items()
        }

    def item_ids(self, values: list[str]) -> list[ItemId]:
        """Every id pair of the PO1 as sent (``values``: PO107, PO109…, none empty)."""
        # tuple.__new__ skips the NamedTuple's Python-level __new__: a third of the cost
        if self.two is not None and len(values) == 2:
            return self.pair_ids(values[0], values[1])
        pairs = zip(self.qualifiers, values, self.id_columns, strict=False)
        return list(map(_new_tuple, _ITEM_ID_TYPES, pairs))

    def pair_ids(self, value0: str, value1: str) -> list[ItemId]:
        """Both id pairs of a PO1 in this two-pair layout (PO107, PO109, neither empty)."""
        # Spelt out, the usual layout takes half the time of zip and map (0.4 µs)
        q0, c0, q1, c1 = self.two  # type: ignore[misc]
        return [_new_tuple(ItemId, (q0, value0, c0)), _new_tuple(ItemId, (q1, value1, c1))]


def _product_ids(line: OrderLine, el: list[str], ranking: dict[str, tuple[str, int, str]]) -> None:
    best: dict[str, tuple[int, str, str, int]] = {}
    for position in range(6, len(el) - 1, 2):
        hit = ranking.get(el[position])
        if hit is None:
            continue
        field_name, rank, qualifier = hit
        current = best.get(field_name)
        if current is None or rank < current[0]:
            value = el[position + 1].strip()
            if value:
                best[field_name] = (rank, qualifier, value, position + 1)
    for field_name, (_, qualifier, value, position) in best.items():
        column = _PO1_COLUMNS[position] if position < 41 else f"PO1{position}"
        if field_name == "barcode":
            digits = value if value.isdigit() else value.replace("-", "").replace(" ", "")
            if not (digits.isascii() and digits.isdigit()):
                line.issues.append(
                    LineIssue(
                        code=IssueCode.INVALID_VALUE,
                        message=f"{qualifier} barcode {value!r} is not digits",
                        column=column,
                        value=value,
                    )
                )
                continue
            line.barcode = digits
            line.barcode_type = qualifier
        else:
            setattr(line, field_name, value)
        line.columns[field_name] = column


def _check_totals(
    ctx: _SetReader, ctt: tuple[int, list[str]], line_count: int, quantity_hash: Decimal
) -> None:
    index, el = ctt
    where = f"segment {ctx.base + index + 1} CTT"
    declared = el[1].strip() if len(el) > 1 else ""
    if declared != str(line_count) and parse_number(declared) != line_count:
        ctx.warnings.append(
            f"{where}, column 'CTT01': says {declared!r} line items, the order has {line_count}"
        )
    hash_text = el[2].strip() if len(el) > 2 else ""
    if hash_text:
        declared_hash = parse_number(hash_text)
        if declared_hash is None or declared_hash != quantity_hash:
            ctx.warnings.append(
                f"{where}, column 'CTT02': hash total {hash_text!r} differs from the "
                f"sum of PO102 quantities ({quantity_hash})"
            )
