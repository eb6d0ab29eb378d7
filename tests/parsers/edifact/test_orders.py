"""ORDERS → OrderDocument: header, parties, lines, and bad values kept as line issues."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from parsers.document import IssueCode, ItemId, PartyRole, SourceFormat
from parsers.edifact import SyntaxErrorCode, read

from .builders import interchange, orders_message


def _order(*body: str):
    result = read(interchange(orders_message(body=list(body))).encode())
    assert result.documents, result.interchanges[0].all_errors
    return result.documents[0]


def test_header_fields_and_envelope():
    doc = _order(
        "BGM+220+PO-4711+9",
        "DTM+137:20240105:102",
        "DTM+2:202401201030:203",
        "RFF+CT:CONTRACT-9",
        "CUX+2:EUR:9",
        "FTX+AAI+++Deliver to gate 3:before noon",
        "LIN+1++4000862141404:EN",
        "QTY+21:1",
    )
    assert doc.format is SourceFormat.EDIFACT
    assert (doc.order_number, doc.function) == ("PO-4711", "original")
    assert (doc.order_date, doc.delivery_date) == (date(2024, 1, 5), date(2024, 1, 20))
    assert doc.references == {"CT": "CONTRACT-9"} and doc.currency == "EUR"
    assert doc.notes == ["Deliver to gate 3 before noon"]
    env = doc.envelope
    assert (env.sender_id, env.sender_qualifier, env.recipient_id) == ("SENDER", "14", "RECEIVER")
    assert (env.interchange_ref, env.message_ref) == ("IC1", "1")
    assert (env.message_type, env.syntax) == ("ORDERS:D:96A:UN:EAN008", "UNOC:3")


def test_each_order_carries_the_syntax_and_service_string_of_its_own_interchange():
    data = interchange(orders_message(), ref="IC1") + interchange(
        orders_message(), ref="IC2", una="UNA:+,? '", syntax="UNOA:2"
    )
    envelopes = [d.envelope for d in read(data.encode()).documents]
    assert [(e.interchange_ref, e.syntax, e.service_string) for e in envelopes] == [
        ("IC1", "UNOC:3", "UNA:+.? '"),
        ("IC2", "UNOA:2", "UNA:+,? '"),
    ]


def test_an_order_without_una_carries_the_default_service_string():
    [doc] = read(interchange(orders_message(), una=None, syntax="UNOB:4").encode()).documents
    assert (doc.envelope.syntax, doc.envelope.service_string) == ("UNOB:4", "UNA:+.? '")


@pytest.mark.parametrize(
    ("code", "function"), [("9", "original"), ("5", "replace"), ("1", "cancel"), ("3", "cancel")]
)
def test_bgm_message_function(code, function):
    assert (
        _order(f"BGM+220+PO-1+{code}", "LIN+1++4000862141404:EN", "QTY+21:1").function == function
    )


def test_delivery_prefers_dtm_2_then_64_then_63_and_takes_the_start_of_a_718_range():
    doc = _order("BGM+220+X+9", "DTM+63:20240130:102", "DTM+64:2024012020240125:718")
    assert doc.delivery_date == date(2024, 1, 20)


def test_parties_with_gln_agency_and_names():
    doc = _order(
        "BGM+220+X+9",
        "NAD+BY+5412345000013::9++Buyer Ltd",
        "NAD+DP+5412345000020::9",
        "NAD+SU+4012345000094::9",
        "NAD+IV+CUST-7::92",
        "NAD+UC+5412345000037::9",
        "NAD+SF+5412345000044::9",
        "NAD+ZZZ+X1",
    )
    roles = [(p.role, p.id, p.qualifier, p.raw_role) for p in doc.parties]
    assert roles == [
        (PartyRole.BUYER, "5412345000013", "9", "BY"),
        (PartyRole.DELIVERY, "5412345000020", "9", "DP"),
        (PartyRole.SUPPLIER, "4012345000094", "9", "SU"),
        (PartyRole.INVOICEE, "CUST-7", "92", "IV"),
        (PartyRole.ULTIMATE_CONSIGNEE, "5412345000037", "9", "UC"),
        (PartyRole.SHIP_FROM, "5412345000044", "9", "SF"),
        (PartyRole.OTHER, "X1", None, "ZZZ"),
    ]
    assert doc.parties[0].name == "Buyer Ltd"
    assert (doc.customer, doc.site) == ("5412345000013", "5412345000020")


def test_line_identifiers_name_quantity_price_and_delivery():
    doc = _order(
        "BGM+220+X+9",
        "LIN+10++4000862141404:EN",
        "PIA+5+ART-1:SA+B-99:IN+M-5:MF",
        "IMD+F++:::Butter 250 g:unsalted",
        "QTY+21:12:PCE",
        "PRI+AAA:2.50",
        "DTM+2:20240201:102",
        "FTX+ZZZ+++leave at dock",
    )
    line = doc.lines[0]
    assert (line.line_no, line.external_id) == (1, "10")
    assert (line.barcode, line.barcode_type) == ("4000862141404", "EN")
    ids = (line.supplier_ref, line.customer_ref, line.manufacturer_ref)
    assert ids == ("ART-1", "B-99", "M-5")
    assert line.name == "Butter 250 g unsalted"
    assert (line.quantity, line.quantity_text, line.unit) == (Decimal("12"), "12", "PCE")
    assert line.unit_price == Decimal("2.50")
    assert line.requested_delivery == date(2024, 2, 1)
    assert line.comment == "leave at dock"
    assert line.columns["supplier_ref"] == "PIA02-1" and line.columns["customer_ref"] == "PIA03-1"
    assert line.issues == []


@pytest.mark.parametrize(
    ("c212", "barcode", "kind"),
    [
        ("036000291452:UP", "036000291452", "UP"),
        ("36000291452:UP", "036000291452", "UP"),
        ("04012345000094:SRV", "04012345000094", "SRV"),
        ("0764569104:IB", "9780764569104", "IB"),
    ],
)
def test_barcode_types(c212, barcode, kind):
    line = _order("BGM+220+X+9", f"LIN+1++{c212}", "QTY+21:1").lines[0]
    assert (line.barcode, line.barcode_type) == (barcode, kind)


def test_an_isbn_with_a_superscript_digit_is_kept_as_written():
    line = _order("BGM+220+X+9", "LIN+1++²764569104:IB", "QTY+21:1").lines[0]
    assert (line.barcode, line.barcode_type) == ("²764569104", "IB")


def test_buyers_article_number_in_lin_is_the_customer_ref():
    line = _order("BGM+220+X+9", "LIN+1++10000029:IN", "QTY+21:13.000").lines[0]
    assert (line.customer_ref, line.barcode, line.quantity) == ("10000029", None, Decimal("13"))


def test_quantity_that_is_not_a_number_is_a_line_issue():
    doc = _order("BGM+220+X+9", "LIN+1++4000862141404:EN", "QTY+21:lots", "LIN+2++4012345000094:EN")
    first, second = doc.lines
    assert first.quantity is None and first.quantity_text == "lots"
    assert [(i.code, i.column, i.value) for i in first.issues] == [
        (IssueCode.INVALID_QUANTITY, "QTY01-2", "lots")
    ]
    assert [i.code for i in second.issues] == [IssueCode.MISSING_QUANTITY]


def test_qty_1_is_used_when_there_is_no_qty_21():
    line = _order("BGM+220+X+9", "LIN+1++0764569104:IB", "QTY+1:25").lines[0]
    assert line.quantity == 25 and line.issues == []


def test_price_per_basis_quantity_is_a_unit_price():
    doc = _order("BGM+220+X+9", "LIN+1++4000862141404:EN", "QTY+21:1", "PRI+AAB:25:CT:AAE:10:PCE")
    assert doc.lines[0].unit_price == Decimal("2.5")


def test_line_without_any_product_identifier_is_flagged():
    line = _order("BGM+220+X+9", "LIN+1", "QTY+21:1").lines[0]
    assert [i.code for i in line.issues] == [IssueCode.MISSING_PRODUCT_ID]


def test_an_item_number_of_another_kind_is_kept_for_the_gateway_to_try():
    line = _order("BGM+220+X+9", "LIN+1++XYZ:ZZ", "PIA+1+978-3-16:IB+M-7:MF", "QTY+21:1").lines[0]
    assert line.issues == []
    assert line.item_ids == [
        ItemId("ZZ", "XYZ", "LIN03"),
        ItemId("IB", "978-3-16", "PIA02"),
        ItemId("MF", "M-7", "PIA03"),
    ]


def test_missing_bgm_rejects_the_message():
    result = read(
        interchange(orders_message(body=["LIN+1++4000862141404:EN", "QTY+21:1"])).encode()
    )
    message = result.interchanges[0].messages[0]
    assert result.documents == [] and message.errors[0].code is SyntaxErrorCode.MISSING
    assert message.errors[0].segment_tag == "BGM"


def test_non_orders_message_is_reported_not_read():
    message = ["UNH+9+ORDRSP:D:96A:UN:EAN005", "BGM+231+R1+29", "UNT+3+9"]
    result = read(interchange(message).encode())
    report = result.interchanges[0].messages[0]
    assert result.documents == [] and report.type == "ORDRSP"
    assert report.errors[0].code is SyntaxErrorCode.NO_AGREEMENT


def test_each_message_becomes_its_own_order():
    result = read(interchange(orders_message("A"), orders_message("B")).encode())
    assert [d.envelope.message_ref for d in result.documents] == ["A", "B"]
    assert result.interchanges[0].messages[1].document is result.documents[1]
