"""An ORDERS or ORDCHG message (UNH…UNT) read into an :class:`OrderDocument`.

Header: BGM (number, 1225 function), DTM 137 (order date) and 2/64/63 (delivery, in
that order of preference; a 718 period gives its start), NAD (parties, 3055 = 9 is a
GLN), RFF (references), CUX (currency), FTX (notes).  Detail: one line per LIN with its
item number, PIA (SA supplier, IN/BP buyer, MF manufacturer), IMD (name), QTY 21 (or
QTY 1 when no 21), PRI (AAA net, else AAB gross, per price basis), DTM 2/64/63, FTX.

An ORDCHG (the buyer's change) reads the same way, plus: its BGM number is the
change's own reference (``change_ref``), RFF+ON the order changed, and each LIN's
1229 says what to do with the line (1 add, 2 delete, 3 change, 4 no action).

Bad values stay on their line as :class:`LineIssue` entries; only a missing BGM
rejects the message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache

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
from parsers.edifact.reports import MessageReport, SyntaxErrorCode, SyntaxIssue
from parsers.edifact.service_chars import ServiceChars
from parsers.edifact.tokenizer import split_released
from parsers.edifact.values import parse_dtm_date, parse_number

#: BGM 1225 message function → OrderDocument.function
FUNCTIONS = {
    "9": "original",
    "5": "replace",
    "1": "cancel",
    "3": "cancel",
    "17": "cancel",
    "4": "change",
    "7": "duplicate",
    "31": "copy",
    "16": "proposal",
    "46": "provisional",
}

#: ORDCHG LIN 1229 (action request) → what the change does to the line
CHANGE_ACTIONS = {
    "1": LineChange.ADD,
    "2": LineChange.DELETE,
    "3": LineChange.CHANGE,
    "4": LineChange.UNCHANGED,
}

ROLES = {
    "BY": PartyRole.BUYER,
    "DP": PartyRole.DELIVERY,
    "ST": PartyRole.DELIVERY,
    "SU": PartyRole.SUPPLIER,
    "IV": PartyRole.INVOICEE,
    "UC": PartyRole.ULTIMATE_CONSIGNEE,
    "SF": PartyRole.SHIP_FROM,
}

#: DTM qualifiers meaning "deliver then"; lower rank wins
_DELIVERY_RANK = {"2": 0, "64": 1, "63": 2}
#: 7143 item number types that are GTINs (EN EAN, UP UPC, SRV/UK GS1 GTIN, IB ISBN)
_BARCODE_TYPES = frozenset({"EN", "UP", "SRV", "UK", "IB", "EU"})
_CUSTOMER_TYPES = frozenset({"IN", "BP"})
_REF_TYPES = frozenset({"SA", "IN", "BP", "MF"})
_HOT_TAGS = frozenset({"LIN", "PIA", "IMD", "QTY", "PRI"})
_PIA_COLUMNS = {k: f"PIA{k:02d}-1" for k in range(2, 7)}
_new_tuple = tuple.__new__


def _isbn10_to_gtin(isbn: str) -> str:
    body = "978" + isbn[:9]
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _barcode(code: str, kind: str) -> str:
    code = code.strip()
    if kind == "UP" and code.isdigit() and len(code) < 12:
        return code.zfill(12)  # UPC-A loses its leading zeros in numeric fields
    if kind == "IB" and len(code) == 10 and code[:9].isascii() and code[:9].isdigit():
        return _isbn10_to_gtin(code)
    return code


def _is_gtin_like(code: str) -> bool:
    return code.isdigit() and len(code) in (8, 12, 13, 14)


#: One item of :func:`line_groups`: a line's usual five segments read at once (LIN01,
#: LIN03's GTIN, PIA's SA reference, IMD's free text, QTY+21's quantity, PRI+AAA's price,
#: and ``""``), or any other segment (six ``""`` and the segment's text)
LineGroup = tuple[str, str, str, str, str, str, str]


@lru_cache(maxsize=8)
def _group_pattern(elem: str, comp: str, term: str) -> re.Pattern[str]:
    """A terminator, then LIN/PIA/IMD/QTY/PRI in the shapes ``build_order``'s pending
    path reads whole, else one segment whatever it holds.

    Each part of a group is as strict as that path or stricter: a segment shaped
    otherwise is left to the segment-by-segment reading, which gives it the same meaning
    as before.  Every character class stops at the separator that follows it, so the
    possessive quantifiers (``*+``) change no match; they only spare the engine its
    backtracking records.
    """
    v = _all_but(elem, comp, term)  # a component's character
    part = _all_but(elem, term)  # an element's character (components too)
    e, c, t = re.escape(elem), re.escape(comp), re.escape(term)
    return re.compile(
        f"{t}(?:LIN{e}({v}*+){e}{e}({v}++){c}EN{t}"
        f"PIA{e}{part}*+{e}({v}++){c}SA{t}"
        f"IMD{e}{part}*+{e}{part}*+{e}{v}*+{c}{v}*+{c}{v}*+{c}({v}*+){t}"
        f"QTY{e}21{c}([0-9]++){t}"
        f"PRI{e}AAA{c}([0-9]++(?:[.,][0-9]++)?)(?={t}|\\Z)"
        f"|({_all_but(term)}*+))"
    )


def _all_but(*chars: str) -> str:
    """``[^…]`` of ``chars`` written as the ranges between them: the same characters,
    but the engine tests a range set with one table look-up where it compares a negated
    one with each character in turn (the group pattern is 10 % faster)."""
    ranges, low = [], 0
    for code in sorted({ord(ch) for ch in chars}):
        if code > low:
            ranges.append(f"\\U{low:08x}-\\U{code - 1:08x}")
        low = code + 1
    if low <= sys.maxunicode:
        ranges.append(f"\\U{low:08x}-\\U{sys.maxunicode:08x}")
    return "[" + "".join(ranges) + "]"


def line_groups(texts: Iterable[str], chars: ServiceChars) -> Iterator[list[LineGroup]]:
    """The segments of ``texts`` (a fast-shape message, no release character; each
    piece starts with the terminator before its first segment) as :data:`LineGroup`
    items, each run of a line's usual five segments as one: the regular expression
    reads them and builds the tuples in C, several times cheaper than splitting each
    segment in Python."""
    pattern = _group_pattern(chars.element, chars.component, chars.terminator)
    for text in texts:
        # Every segment is matched from the terminator before it; a fast-shape segment
        # is never empty, so the last group is "" only in a group.
        yield pattern.findall(text)


def build_order(
    chunks: Iterable[list[str]] | Iterable[list[LineGroup]],
    first_position: int,
    chars: ServiceChars,
    message: MessageReport,
    envelope: Envelope,
    *,
    released: bool = True,
    changes: bool = False,
) -> OrderDocument:
    """The order in ``chunks`` (lists of consecutive segments, UNH first, as texts or as
    :data:`LineGroup` items from :func:`line_groups`).

    Problems go onto ``message`` and the lines.  ``released=False`` promises that no
    segment holds the release character (the tokenizer's fast shape).  Lines read
    wholly on the usual path share one ``columns`` dict per layout: treat it as read-only.
    """
    doc = OrderDocument(
        format=SourceFormat.EDIFACT,
        envelope=envelope,
        location=Location(line=first_position, segment="UNH"),
    )
    elem, comp = chars.element, chars.component
    rel = chars.release if released else ""
    lines = doc.lines
    line: OrderLine | None = None
    # Per-line facts that are not OrderLine fields live in locals: this loop runs once
    # per segment and is the reader's hot path.  A line whose LIN/PIA/IMD/QTY/PRI have
    # their usual shapes stays *pending* in the p_* locals and is built in one call when
    # the next LIN comes; the first segment the pending code does not cover turns it
    # into an OrderLine (``_materialise``) and the general code below reads on from there.
    qty21 = False  # a QTY+21 was read (it beats a QTY+1 fallback)
    price_rank = 9  # 0 = AAA net, 1 = AAB gross
    delivery_rank = 9  # see _DELIVERY_RANK
    unknown: list[str] = []
    header_rank = 9
    bgm_seen = False
    cnt_lines: str | None = None
    index = -1
    pending = False
    p_pos = 0
    p_ext = p_barcode = p_sref = p_name = p_qtext = None
    p_qty = p_price = None
    p_cols = ""  # columns set so far, in the order they were set (_COLUMNS letters)
    shared_columns: dict[str, dict[str, str]] = {}

    # Whole QTY+21 / PRI+AAA segments already read on the pending path, with what they
    # gave: orders repeat the same few quantities and prices, and a segment's text alone
    # decides how it reads, so each distinct one is split and converted once.  A line
    # group's values go in too, as the bare number (no segment starts with a digit).
    quantities: dict[str, tuple[str, Decimal]] = {}
    prices: dict[str, Decimal] = {}

    # A line read from a group is built at once, its columns shared by its layout; it
    # stays ``fresh`` until the next segment.  Another LIN leaves it as it is; any other
    # segment takes it back to pending, as if its five segments had come one by one, so
    # that whatever follows reads exactly as on that path.
    fresh: OrderLine | None = None
    named = shared_columns["BSNQP"] = _columns("BSNQP")  # a group's columns, name or none
    unnamed = shared_columns["BSQP"] = _columns("BSQP")
    ids_read = _new_tuple
    for chunk in chunks:
        for item in chunk:
            index += 1
            if isinstance(item, str):
                seg = item
            else:
                seg = item[6]
                if not seg:  # a line's usual five segments (LineGroup)
                    if pending:
                        pending = False
                        _materialise(
                            lines, p_pos, first_position, p_ext, p_barcode, p_sref, p_name,
                            p_qtext, p_qty, p_price, p_cols, shared_columns,
                        )  # fmt: skip
                    elif line is not None:
                        _finish_line(line, unknown)
                        line = None
                    ext, barcode, sref, name, text, price_text, _ = item
                    read_before = quantities.get(text)
                    if read_before is None:
                        read_before = quantities[text] = (text, Decimal(text))
                    price = prices.get(price_text)
                    if price is None:
                        price = parse_number(price_text)
                        assert price is not None  # the pattern takes only numbers
                        prices[price_text] = price
                    line_name: str | None = name.strip()
                    if line_name:
                        columns = named
                    else:
                        line_name, columns = None, unnamed
                    # By position, in order_line_at's order (keywords cost 0.7 µs a line)
                    fresh = order_line_at(
                        len(lines) + 1,  # line_no
                        first_position + index,  # line
                        "LIN",  # segment
                        ext or None,  # external_id
                        barcode,
                        "EN",  # barcode_type
                        sref,  # supplier_ref
                        None,  # customer_ref
                        None,  # manufacturer_ref
                        line_name,  # name
                        read_before[1],  # quantity
                        read_before[0],  # quantity_text: one string per distinct quantity
                        None,  # unit
                        price,  # unit_price
                        columns,
                        index + 1,  # in_message
                        [
                            ids_read(ItemId, ("EN", barcode, "LIN03")),
                            ids_read(ItemId, ("SA", sref, "PIA02")),
                        ],
                    )
                    lines.append(fresh)
                    index += 4
                    continue
            tag = seg[:3]
            if fresh is not None:
                if tag != "LIN":
                    # Back to pending: LIN, PIA, IMD, QTY, PRI as the branches below read them
                    lines.pop()
                    p_pos, p_ext = first_position + index - 5, fresh.external_id
                    p_barcode, p_sref, p_name = fresh.barcode, fresh.supplier_ref, fresh.name
                    p_qtext, p_qty, p_price = fresh.quantity_text, fresh.quantity, fresh.unit_price
                    p_cols = "BSNQP" if p_name else "BSQP"
                    qty21, price_rank, delivery_rank = True, 0, 9
                    pending = True
                fresh = None
            if tag == "LIN" and not changes and (not rel or rel not in seg):
                parts = seg.split(elem)
                n = len(parts)
                if pending:
                    _materialise(
                        lines, p_pos, first_position, p_ext, p_barcode, p_sref, p_name, p_qtext,
                        p_qty, p_price, p_cols, shared_columns,
                    )  # fmt: skip
                elif line is not None:
                    _finish_line(line, unknown)
                    line = None
                p_pos = first_position + index
                pending = True
                p_ext = parts[1] or None if n > 1 else None
                p_barcode = p_sref = p_name = p_qtext = p_qty = p_price = None
                p_cols = ""
                qty21, price_rank, delivery_rank = False, 9, 9
                if n > 3:
                    c212 = parts[3].split(comp)
                    if len(c212) == 2 and c212[1] == "EN" and c212[0]:
                        p_barcode, p_cols = c212[0], "B"
                    else:
                        line = _materialise(
                            lines,
                            p_pos,
                            first_position,
                            p_ext,
                            None,
                            None,
                            None,
                            None,
                            None,
                            None,
                            "",
                        )
                        pending, unknown = False, []
                        _item_number(line, c212, "LIN03", unknown)
                continue
            if pending:
                # Each branch either reads the segment whole (``continue``) or leaves it
                # untouched for the general code after _materialise.
                if tag == "QTY":
                    read_before = quantities.get(seg)
                    if read_before is not None and p_qtext is None:
                        p_qtext, p_qty = read_before
                        qty21 = True
                        p_cols += "Q"
                        continue
                    if not rel or rel not in seg:
                        parts = seg.split(elem)
                        if len(parts) < 2:
                            continue
                        c186 = parts[1].split(comp)
                        if c186[0] == "21":
                            if len(c186) == 2 and p_qtext is None:
                                text = c186[1]
                                if text.isdigit() and text.isascii():
                                    number = Decimal(text)
                                    quantities[seg] = (text, number)
                                    p_qtext, p_qty, qty21 = text, number, True
                                    p_cols += "Q"
                                    continue
                        elif c186[0] != "1" or qty21:
                            continue  # neither the ordered nor the fallback quantity
                elif tag == "PIA":
                    if not rel or rel not in seg:
                        parts = seg.split(elem)
                        n = len(parts)
                        if n < 3:
                            continue
                        if n == 3:
                            c212 = parts[2].split(comp)
                            if len(c212) == 2 and c212[1] == "SA" and c212[0] and not p_sref:
                                p_sref = c212[0]
                                p_cols += "S"
                                continue
                            # A second SA reference goes among the line's ids, which only
                            # the general code below keeps
                elif tag == "IMD":
                    if not rel or rel not in seg:
                        if p_name is not None:
                            continue
                        parts = seg.split(elem)
                        if len(parts) < 4:
                            continue
                        c273 = parts[3].split(comp)
                        text = c273[3].strip() if len(c273) > 3 else ""
                        if len(c273) > 4 and c273[4].strip():
                            text = f"{text} {c273[4].strip()}".strip()
                        if text:
                            p_name = text
                            p_cols += "N"
                        continue
                elif tag == "PRI":
                    if not price_rank:
                        continue  # nothing beats an AAA price
                    price_before = prices.get(seg)
                    if price_before is not None:
                        p_price, price_rank = price_before, 0
                        p_cols += "P"
                        continue
                    if not rel or rel not in seg:
                        parts = seg.split(elem)
                        if len(parts) < 2:
                            continue
                        c509 = parts[1].split(comp)
                        if c509[0] == "AAA" and len(c509) == 2 and p_price is None:
                            price = parse_number(c509[1])
                            if price is not None:
                                prices[seg] = price
                                p_price, price_rank = price, 0
                                p_cols += "P"
                                continue
                line = _materialise(
                    lines, p_pos, first_position, p_ext, p_barcode, p_sref, p_name, p_qtext,
                    p_qty, p_price, p_cols,
                )  # fmt: skip
                pending, unknown = False, []
            plain = not rel or rel not in seg
            if plain and tag in _HOT_TAGS and tag != "LIN":  # a plain LIN is here in ORDCHG
                parts = seg.split(elem)
                n = len(parts)
                if line is None:
                    continue
                elif tag == "QTY":
                    if n > 1:
                        c186 = parts[1].split(comp)
                        if c186[0] == "21":
                            qty21 = True
                            text = c186[1] if len(c186) == 2 else ""
                            if text.isdigit() and text.isascii() and line.quantity_text is None:
                                line.quantity_text, line.quantity = text, Decimal(text)
                                line.columns["quantity"] = "QTY01-2"
                            else:
                                _quantity(line, c186)
                        elif c186[0] == "1" and not qty21:
                            _quantity(line, c186)  # "discrete quantity": some order with it
                elif tag == "PIA":
                    for k in range(2, min(n, 7)):
                        c212 = parts[k].split(comp)
                        if len(c212) == 2 and c212[1] == "SA" and c212[0]:
                            line.item_ids.append(ItemId("SA", c212[0], _PIA_COLUMNS[k][:5]))
                            if line.supplier_ref is None:
                                line.supplier_ref = c212[0]
                                line.columns["supplier_ref"] = _PIA_COLUMNS[k]
                        else:
                            _item_number(line, c212, _PIA_COLUMNS[k][:5], unknown)
                elif tag == "IMD":
                    if n > 3 and line.name is None:
                        _name(line, parts[3].split(comp))
                elif n > 1:  # PRI
                    c509 = parts[1].split(comp)
                    if c509[0] == "AAA" and len(c509) == 2 and price_rank:
                        price = parse_number(c509[1])
                        if price is not None:
                            line.unit_price, price_rank = price, 0
                            line.columns["unit_price"] = "PRI01-2"
                            continue
                    price_rank = _price(line, c509, price_rank)
                continue

            if plain:
                els = [e.split(comp) for e in seg.split(elem)]
            else:
                els = split_released(seg, elem, comp, rel)
            n = len(els)
            if tag == "LIN":
                if line is not None:
                    _finish_line(line, unknown)
                line = OrderLine(
                    line_no=len(lines) + 1,
                    location=Location(
                        line=first_position + index, segment="LIN", in_message=index + 1
                    ),
                    external_id=els[1][0] or None if n > 1 else None,
                )
                lines.append(line)
                qty21, price_rank, delivery_rank, unknown = False, 9, 9, []
                if changes:
                    action = els[2][0] if n > 2 else ""
                    line.change = CHANGE_ACTIONS.get(action, LineChange.CHANGE)
                if n > 3:
                    _item_number(line, els[3], "LIN03", unknown)
            elif tag == "UNH" or tag == "UNT":
                continue
            elif tag in _HOT_TAGS:  # QTY, PIA, IMD, PRI: line data, ignored before any LIN
                if line is None:
                    continue
                if tag == "QTY":
                    if n > 1 and (els[1][0] == "21" or els[1][0] == "1" and not qty21):
                        qty21 = qty21 or els[1][0] == "21"
                        _quantity(line, els[1])
                elif tag == "PIA":
                    for k in range(2, min(n, 7)):
                        _item_number(line, els[k], _PIA_COLUMNS[k][:5], unknown)
                elif tag == "IMD":
                    if n > 3 and line.name is None:
                        _name(line, els[3])
                elif tag == "PRI":
                    if n > 1:
                        price_rank = _price(line, els[1], price_rank)
            elif tag == "DTM":
                if n < 2:
                    continue
                c507 = els[1]
                rank = _DELIVERY_RANK.get(c507[0], 9)
                if line is None:
                    if c507[0] == "137":
                        doc.order_date = _header_date(c507, message, first_position + index)
                    elif rank < header_rank:
                        found = _header_date(c507, message, first_position + index)
                        if found is not None:
                            doc.delivery_date, header_rank = found, rank
                elif rank < delivery_rank and _line_delivery(line, c507):
                    delivery_rank = rank
            elif tag == "FTX":
                text = _ftx_text(els)
                if not text:
                    continue
                if line is None:
                    doc.notes.append(text)
                else:
                    line.comment = f"{line.comment}\n{text}" if line.comment else text
            elif tag == "BGM":
                bgm_seen = True
                _bgm(doc, els, message)
            elif tag == "NAD":
                if line is None and n > 1:
                    _party(doc, els)
            elif tag == "RFF":
                if line is None and n > 1 and els[1][0]:
                    ref = els[1]
                    doc.references.setdefault(ref[0], ref[1] if len(ref) > 1 else "")
            elif tag == "CUX":
                if doc.currency is None and n > 1 and len(els[1]) > 1 and els[1][1]:
                    doc.currency = els[1][1]
            elif tag == "UNS":
                if line is not None:
                    _finish_line(line, unknown)
                    line = None
            elif tag == "CNT":
                if n > 1 and els[1][0] == "2" and len(els[1]) > 1:
                    cnt_lines = els[1][1]
    if pending:
        line, unknown = (
            _materialise(
                lines,
                p_pos,
                first_position,
                p_ext,
                p_barcode,
                p_sref,
                p_name,
                p_qtext,
                p_qty,
                p_price,
                p_cols,
            ),  # fmt: skip
            [],
        )
    if line is not None:
        _finish_line(line, unknown)

    if not bgm_seen:
        message.errors.append(
            SyntaxIssue(
                code=SyntaxErrorCode.MISSING,
                text="BGM (beginning of message) missing",
                position=first_position + 1,
                message_position=2,
                segment_tag="BGM",
                message_ref=message.ref,
            )
        )
    if not lines:
        message.warnings.append("the order has no line items (LIN)")
    elif cnt_lines is not None and cnt_lines != str(len(lines)):
        message.warnings.append(f"CNT+2 says {cnt_lines} line items, the message has {len(lines)}")
    if changes:
        # ORDCHG: BGM names the change, RFF+ON the order it changes
        doc.change_ref = doc.order_number
        doc.order_number = doc.references.get("ON") or doc.order_number
        if doc.function == "original":
            doc.function = "change"
    buyer = doc.party(PartyRole.BUYER)
    delivery = doc.party(PartyRole.DELIVERY)
    doc.customer = (buyer.id or buyer.name) if buyer else None
    doc.site = (delivery.id or delivery.name) if delivery else None
    return doc


#: The columns a pending line can set, one letter each (a string grows cheaper than a tuple)
_COLUMNS = {
    "B": ("barcode", "LIN03-1"),
    "S": ("supplier_ref", "PIA02-1"),
    "N": ("name", "IMD03-4"),
    "Q": ("quantity", "QTY01-2"),
    "P": ("unit_price", "PRI01-2"),
}


def _columns(cols: str) -> dict[str, str]:
    return dict(_COLUMNS[c] for c in cols)


def _materialise(
    lines: list[OrderLine],
    position: int,
    first_position: int,
    external_id: str | None,
    barcode: str | None,
    supplier_ref: str | None,
    name: str | None,
    quantity_text: str | None,
    quantity: Decimal | None,
    unit_price: Decimal | None,
    cols: str,
    ending: dict[str, dict[str, str]] | None = None,
) -> OrderLine:
    """The pending line as an OrderLine, appended to ``lines``.

    Without ``ending`` the general code reads on into the line: its ``columns`` are its
    own. With it (the layouts' shared columns) the line is complete, the next one begins:
    a line with a quantity and an identifier will not change, so it shares its layout's
    ``columns`` (read-only); any other is finished at once (its issues).
    """
    shared = None
    complete = quantity_text is not None and bool(barcode or supplier_ref or name)
    if ending is not None and complete:
        shared = ending.get(cols)
        if shared is None:
            shared = ending[cols] = _columns(cols)
    ids = []
    if barcode:
        ids.append(_new_tuple(ItemId, ("EN", barcode, "LIN03")))
    if supplier_ref:
        ids.append(_new_tuple(ItemId, ("SA", supplier_ref, "PIA02")))
    # By position, in order_line_at's order (keywords cost 0.7 µs a line)
    line = order_line_at(
        len(lines) + 1,  # line_no
        position,  # line
        "LIN",  # segment
        external_id,
        barcode,
        "EN" if barcode else None,  # barcode_type
        supplier_ref,
        None,  # customer_ref
        None,  # manufacturer_ref
        name,
        quantity,
        quantity_text,
        None,  # unit
        unit_price,
        _columns(cols) if shared is None else shared,
        position - first_position + 1,  # in_message
        ids,  # item_ids
    )
    lines.append(line)
    if ending is not None and not complete:
        _finish_line(line, [])
    return line


def _name(line: OrderLine, c273: list[str]) -> None:
    text = c273[3].strip() if len(c273) > 3 else ""
    if len(c273) > 4 and c273[4].strip():
        text = f"{text} {c273[4].strip()}".strip()
    if text:
        line.name = text
        line.columns["name"] = "IMD03-4"


def _bgm(doc: OrderDocument, els: list[list[str]], message: MessageReport) -> None:
    if len(els) > 2:
        doc.order_number = els[2][0] or None
    code = els[3][0] if len(els) > 3 else ""
    if code:
        function = FUNCTIONS.get(code)
        if function is None:
            message.warnings.append(f"BGM message function {code!r} unknown; read as original")
            function = "original"
        doc.function = function


def _party(doc: OrderDocument, els: list[list[str]]) -> None:
    raw_role = els[1][0]
    c082 = els[2] if len(els) > 2 else [""]
    party_id = c082[0].strip() or None
    agency = c082[2] if len(c082) > 2 and c082[2] else None
    name = None
    for k in (4, 3):  # C080 party name, else C058 name-and-address lines
        if len(els) > k:
            text = " ".join(t.strip() for t in els[k] if t.strip())
            if text:
                name = text
                break
    doc.parties.append(
        Party(
            role=ROLES.get(raw_role, PartyRole.OTHER),
            id=party_id,
            qualifier=agency,
            name=name,
            raw_role=raw_role,
        )
    )


def _item_number(line: OrderLine, c212: list[str], where: str, unknown: list[str]) -> None:
    code = c212[0].strip()
    if not code:
        return
    kind = c212[1] if len(c212) > 1 else ""
    line.item_ids.append(ItemId(kind, code, where))
    if kind == "SA":
        if line.supplier_ref is None:
            line.supplier_ref = code
            line.columns["supplier_ref"] = where + "-1"
    elif kind in _BARCODE_TYPES or (kind not in _REF_TYPES and _is_gtin_like(code)):
        if line.barcode is None:
            line.barcode = _barcode(code, kind) if kind in ("UP", "IB") else code
            line.barcode_type = kind or None
            line.columns["barcode"] = where + "-1"
    elif kind in _CUSTOMER_TYPES:
        if line.customer_ref is None:
            line.customer_ref = code
            line.columns["customer_ref"] = where + "-1"
    elif kind == "MF":
        if line.manufacturer_ref is None:
            line.manufacturer_ref = code
            line.columns["manufacturer_ref"] = where + "-1"
    else:
        unknown.append(f"{code}:{kind}" if kind else code)


def _quantity(line: OrderLine, c186: list[str]) -> None:
    text = c186[1] if len(c186) > 1 else ""
    line.quantity_text = text
    line.unit = c186[2] or None if len(c186) > 2 else None
    line.columns["quantity"] = "QTY01-2"
    number = parse_number(text)
    line.quantity = number
    # A later QTY+21 replaces a QTY+1 fallback, so forget the fallback's complaint.
    if line.issues:
        line.issues = [i for i in line.issues if i.code is not IssueCode.INVALID_QUANTITY]
    if number is None:
        line.issues.append(
            LineIssue(
                code=IssueCode.INVALID_QUANTITY if text else IssueCode.MISSING_QUANTITY,
                message=f"quantity {text!r} is not a number" if text else "QTY has no quantity",
                column="QTY01-2",
                value=text,
            )
        )


def _price(line: OrderLine, c509: list[str], best_rank: int) -> int:
    """Take this PRI when it beats the price read so far; the rank now held."""
    rank = 0 if c509[0] == "AAA" else 1 if c509[0] == "AAB" else 2
    if rank >= best_rank or len(c509) < 2 or not c509[1]:
        return best_rank
    price = parse_number(c509[1])
    if price is None:
        line.issues.append(
            LineIssue(
                code=IssueCode.INVALID_VALUE,
                message=f"price {c509[1]!r} is not a number",
                column="PRI01-2",
                value=c509[1],
            )
        )
        return best_rank
    if len(c509) > 4 and c509[4]:
        basis = parse_number(c509[4])  # 5284 unit price basis: the price is per N units
        if basis:
            price = price / basis
    line.unit_price = price
    line.columns["unit_price"] = "PRI01-2"
    return rank


def _line_delivery(line: OrderLine, c507: list[str]) -> bool:
    text = c507[1] if len(c507) > 1 else ""
    fmt = c507[2] if len(c507) > 2 else ""
    found = parse_dtm_date(text, fmt)
    if found is None:
        line.issues.append(
            LineIssue(
                code=IssueCode.INVALID_DATE,
                message=f"delivery date {text!r} is not a date in format {fmt or '102'}",
                column="DTM01-2",
                value=text,
            )
        )
        return False
    line.requested_delivery = found
    line.columns["requested_delivery"] = "DTM01-2"
    return True


def _header_date(c507: list[str], message: MessageReport, position: int) -> date | None:
    text = c507[1] if len(c507) > 1 else ""
    found = parse_dtm_date(text, c507[2] if len(c507) > 2 else "")
    if found is None:
        message.warnings.append(f"segment {position} DTM+{c507[0]}: {text!r} is not a date")
    return found


def _ftx_text(els: list[list[str]]) -> str:
    if len(els) > 4:
        text = " ".join(t.strip() for t in els[4] if t.strip())
        if text:
            return text
    if len(els) > 3 and els[3][0]:
        subject = els[1][0] if len(els) > 1 else ""
        return f"{subject} code {els[3][0]}".strip()
    return ""


def _finish_line(line: OrderLine, unknown: list[str]) -> None:
    if line.quantity_text is None:
        line.issues.append(
            LineIssue(
                code=IssueCode.MISSING_QUANTITY,
                message="no ordered quantity (QTY+21)",
                column="QTY01-2",
            )
        )
    if not (
        line.barcode
        or line.supplier_ref
        or line.customer_ref
        or line.manufacturer_ref
        or line.name
        or unknown  # item numbers of other kinds: the gateway tries each of them
    ):
        line.issues.append(
            LineIssue(
                code=IssueCode.MISSING_PRODUCT_ID,
                message="no barcode, article number or description",
                column="LIN03-1",
            )
        )
