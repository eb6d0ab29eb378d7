"""850 → OrderDocument: header, parties, lines, identifiers, and bad values kept as issues."""

from __future__ import annotations

from decimal import Decimal

from parsers.document import IssueCode, PartyRole, SourceFormat
from parsers.x12 import (
    ID_QUALIFIERS,
    ElementErrorCode,
    SegmentErrorCode,
    SetAckCode,
    read,
)

from .builders import group, interchange, one_order, order_set


def test_beg_gives_purpose_type_number_and_date() -> None:
    [order] = read(one_order(po="4500012345")).documents
    assert order.format is SourceFormat.X12
    assert (order.function, order.order_type, order.order_number) == (
        "original",
        "SA",
        "4500012345",
    )
    assert str(order.order_date) == "2024-01-02"


def test_beg01_01_is_a_cancellation_and_05_a_replacement() -> None:
    cancel = one_order().replace(b"BEG*00*", b"BEG*01*")
    replace = one_order().replace(b"BEG*00*", b"BEG*05*")
    assert read(cancel).documents[0].function == "cancel"
    assert read(replace).documents[0].function == "replace"


def test_envelope_carries_what_replies_need() -> None:
    [order] = read(one_order()).documents
    e = order.envelope
    assert (e.sender_qualifier, e.sender_id, e.recipient_id) == ("ZZ", "BUYERCO", "SUPPLIERCO")
    assert (e.interchange_ref, e.group_ref, e.message_ref) == ("000000001", "1", "0001")
    assert (e.message_type, e.syntax, e.version) == ("850", "00401", "004010")
    assert e.application_sender == "BUYERCO"


def test_envelope_carries_the_interchange_delimiters_and_isa12() -> None:
    text = interchange(
        [group([order_set()], version="005010")],
        element="|",
        component="^",
        repetition="!",
        version="00501",
    )
    [order] = read(text.encode()).documents
    assert (order.envelope.service_string, order.envelope.syntax) == ("|^~!", "00501")


def test_service_string_has_no_repetition_character_when_isa11_is_u() -> None:
    [order] = read(one_order()).documents
    assert order.envelope.service_string == "*>~"


def test_header_cur_ref_dtm_and_n1_loops() -> None:
    extra = (
        ("CUR", "BY", "EUR"),
        ("REF", "DP", "038"),
        ("DTM", "002", "20240115"),
        ("DTM", "010", "20240110"),
        ("N1", "BY", "ACME STORES", "UL", "5412345000013"),
        ("REF", "ZZ", "inside the N1 loop"),
        ("N1", "ST", "ACME DC 4", "92", "DC4"),
        ("N1", "SE", "OUR COMPANY", "9", "0123456780001"),
        ("N1", "BT", "ACME AP", "91", "AP1"),
        ("N1", "SF", "WAREHOUSE", "1", "012345678"),
    )
    [order] = read(one_order(extra=extra)).documents
    assert order.currency == "EUR"
    assert order.references == {"DP": "038", "DTM010": "2024-01-10"}
    assert str(order.delivery_date) == "2024-01-15"
    roles = [(p.role, p.qualifier, p.id) for p in order.parties]
    assert roles == [
        (PartyRole.BUYER, "UL", "5412345000013"),
        (PartyRole.DELIVERY, "92", "DC4"),
        (PartyRole.SUPPLIER, "9", "0123456780001"),
        (PartyRole.INVOICEE, "91", "AP1"),
        (PartyRole.SHIP_FROM, "1", "012345678"),
    ]
    assert (order.customer, order.site) == ("5412345000013", "DC4")


def test_po1_fields_and_location() -> None:
    line = ("7", "12", "CA", "3.75", "PE", "EN", "5412345000020", "VP", "V-1", "IN", "B-9")
    [order] = read(one_order(lines=(line,))).documents
    [first] = order.lines
    assert (first.line_no, first.external_id) == (1, "7")
    assert (first.quantity, first.unit, first.unit_price) == (Decimal(12), "CA", Decimal("3.75"))
    assert (first.barcode, first.barcode_type) == ("5412345000020", "EN")
    assert (first.supplier_ref, first.customer_ref) == ("V-1", "B-9")
    assert first.columns == {"barcode": "PO107", "supplier_ref": "PO109", "customer_ref": "PO111"}
    assert (first.location.line, first.location.segment) == (5, "PO1")


def test_vendor_number_wins_over_sku_and_sku_fills_in_when_alone() -> None:
    both = ("1", "1", "EA", "", "", "SK", "SKU-1", "VN", "VEND-1")
    alone = ("2", "1", "EA", "", "", "SK", "SKU-2")
    [order] = read(one_order(lines=(both, alone))).documents
    assert [line.supplier_ref for line in order.lines] == ["VEND-1", "SKU-2"]


def test_qualifier_table_is_a_partner_setting() -> None:
    retailer = {**ID_QUALIFIERS, "supplier_ref": ("VN", "VP"), "customer_ref": ("SK",)}
    data = one_order(lines=(("1", "1", "EA", "", "", "SK", "SKU-1"),))
    [line] = read(data, id_qualifiers=retailer).documents[0].lines
    assert (line.supplier_ref, line.customer_ref) == (None, "SKU-1")


def test_pid_gives_the_name_and_line_dtm_the_requested_delivery() -> None:
    extra_lines = ("1", "2", "EA", "", "", "UP", "012345678905")
    data = one_order(lines=(extra_lines,)).replace(
        b"CTT*1", b"PID*F****BLUE WIDGET~\nDTM*002*20240120~\nNTE*GEN*fragile~\nCTT*1"
    )
    result = read(data.replace(b"SE*5*", b"SE*8*"))
    [line] = result.documents[0].lines
    assert (line.name, str(line.requested_delivery), line.comment) == (
        "BLUE WIDGET",
        "2024-01-20",
        "fragile",
    )


def test_notes_without_their_text_are_read_as_no_note() -> None:
    # A bare MSG or NTE (its text element left out) once stopped the whole file
    extra_lines = ("1", "2", "EA", "", "", "UP", "012345678905")
    data = one_order(lines=(extra_lines,)).replace(b"CTT*1", b"MSG~\nNTE*GEN~\nMSG*ok~\nCTT*1")
    result = read(data.replace(b"SE*5*", b"SE*8*"))
    [line] = result.documents[0].lines
    assert line.comment == "ok"
    assert not result.interchanges[0].groups[0].sets[0].segment_errors


def test_a_quantity_that_is_not_a_number_is_a_line_issue_and_an_ak4() -> None:
    result = read(one_order(lines=(("1", "1O", "EA"), ("2", "3", "EA")))).documents
    [order] = result
    bad, good = order.lines
    assert bad.quantity is None and bad.quantity_text == "1O"
    assert [(i.code, i.column) for i in bad.issues] == [(IssueCode.INVALID_QUANTITY, "PO102")]
    assert good.quantity == 3
    report = read(one_order(lines=(("1", "1O", "EA"),))).interchanges[0].groups[0].sets[0]
    assert report.ack_code is SetAckCode.ACCEPTED_WITH_ERRORS
    [segment_error] = report.segment_errors
    assert (segment_error.segment_id, segment_error.position_in_set) == ("PO1", 3)
    assert segment_error.code is SegmentErrorCode.SEGMENT_HAS_ELEMENT_ERRORS
    [element] = segment_error.elements
    assert (element.position, element.reference, element.code, element.value) == (
        2,
        "330",
        ElementErrorCode.INVALID_CHARACTER,
        "1O",
    )


def test_a_missing_quantity_is_a_line_issue() -> None:
    [line] = (
        read(one_order(lines=(("1", "", "EA", "", "", "UP", "012345678905"),))).documents[0].lines
    )
    assert [i.code for i in line.issues] == [IssueCode.MISSING_QUANTITY]


def test_a_barcode_with_letters_is_a_line_issue() -> None:
    [line] = read(one_order(lines=(("1", "1", "EA", "", "", "UP", "N/A"),))).documents[0].lines
    assert line.barcode is None
    assert [(i.code, i.column) for i in line.issues] == [(IssueCode.INVALID_VALUE, "PO107")]


def test_an_850_without_po_number_or_lines_is_rejected_with_the_right_codes() -> None:
    no_number = order_set(po="")
    no_lines = order_set("0002", lines=())
    result = read(interchange([group([no_number, no_lines])]).encode())
    first, second = result.sets()
    assert result.documents == []
    assert first.ack_code is SetAckCode.REJECTED
    assert first.segment_errors[0].elements[0].code is ElementErrorCode.MANDATORY_MISSING
    assert second.segment_errors[0].code is SegmentErrorCode.MANDATORY_SEGMENT_MISSING


def test_ctt_line_count_and_hash_total_are_checked() -> None:
    lines = (("1", "4", "EA"), ("2", "6", "EA"))
    good = one_order(lines=lines).replace(b"CTT*2", b"CTT*2*10")
    bad = one_order(lines=lines).replace(b"CTT*2", b"CTT*3*11")
    assert not any("CTT" in w for w in read(good).warnings)
    warnings = [w for w in read(bad).warnings if "CTT" in w]
    assert len(warnings) == 2
    assert "segment 7 CTT, column 'CTT01'" in warnings[0]
    assert "CTT02" in warnings[1]
