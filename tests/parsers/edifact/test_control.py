"""Control checks: UNT/UNE/UNZ counts and references, missing trailers — reported, not raised."""

from __future__ import annotations

from parsers.edifact import SyntaxErrorCode, read

from .builders import interchange, orders_message

E = SyntaxErrorCode


def test_well_formed_interchange_has_no_errors():
    report = read(interchange(orders_message()).encode()).interchanges[0]
    assert report.accepted and report.all_errors == []
    assert report.messages[0].segment_count == 10


def test_wrong_unt_count_rejects_the_message_at_the_unt_position():
    message = orders_message()[:-1] + ["UNT+4+1"]
    result = read(interchange(message).encode())
    error = result.interchanges[0].messages[0].errors[0]
    assert (error.code, error.segment_tag, error.element) == (
        E.CONTROL_COUNT_DOES_NOT_MATCH,
        "UNT",
        1,
    )
    assert (error.position, error.message_position, error.message_ref) == (12, 10, "1")
    assert result.documents == [] and result.interchanges[0].accepted


def test_a_count_with_a_superscript_digit_is_an_invalid_value_not_a_crash():
    # "²" (Latin-1 0xB2) is a digit to str.isdigit, but not to int
    message = orders_message()[:-1] + ["UNT+1²+1"]
    result = read(interchange(message).encode("latin-1"))
    [error] = result.interchanges[0].messages[0].errors
    assert (error.code, error.segment_tag, error.element) == (E.INVALID_VALUE, "UNT", 1)
    assert "'1²' is not a number" in error.text


def test_unt_reference_differing_from_unh_is_code_28():
    message = orders_message("77")[:-1] + ["UNT+10+78"]
    error = read(interchange(message).encode()).interchanges[0].messages[0].errors[0]
    assert (error.code, error.element) == (E.REFERENCES_DO_NOT_MATCH, 2)
    assert "'78'" in error.text and "'77'" in error.text


def test_missing_unt_is_reported_when_the_next_message_starts():
    first = orders_message("A")[:-1]
    result = read(interchange(first, orders_message("B")).encode())
    a, b = result.interchanges[0].messages
    assert [(e.code, e.segment_tag) for e in a.errors] == [(E.MISSING, "UNT")]
    assert b.accepted and [d.envelope.message_ref for d in result.documents] == ["B"]


def test_unz_count_and_reference_are_checked():
    text = interchange(orders_message()).replace("UNZ+1+IC1", "UNZ+3+IC9")
    errors = read(text.encode()).interchanges[0].errors
    assert [(e.code, e.element, e.position) for e in errors] == [
        (E.CONTROL_COUNT_DOES_NOT_MATCH, 1, 13),
        (E.REFERENCES_DO_NOT_MATCH, 2, 13),
    ]


def test_missing_unz_rejects_the_interchange():
    result = read(interchange(orders_message(), unz=False).encode())
    report = result.interchanges[0]
    assert [(e.code, e.segment_tag) for e in report.errors] == [(E.MISSING, "UNZ")]
    assert result.documents == []


def test_trailer_errors_can_be_tolerated_as_warnings():
    text = interchange(orders_message()[:-1] + ["UNT+4+1"], unz=False)
    result = read(text.encode(), accept_trailer_errors=True)
    assert result.interchanges[0].all_errors == []
    assert len(result.documents) == 1
    assert any(
        "UNT says 4 segments, found 10" in w for w in result.interchanges[0].messages[0].warnings
    )
    assert any("UNZ missing" in w for w in result.warnings)


def test_une_count_and_reference_are_checked_on_the_group():
    text = interchange(["UNG+ORDERS+S+R+240105:1200+G1+UN+D:96A", *orders_message(), "UNE+2+G2"])
    group = read(text.encode()).interchanges[0].groups[0]
    assert [(e.code, e.segment_tag) for e in group.errors] == [
        (E.CONTROL_COUNT_DOES_NOT_MATCH, "UNE"),
        (E.REFERENCES_DO_NOT_MATCH, "UNE"),
    ]


def test_unz_counts_groups_when_groups_are_used():
    text = interchange(["UNG+ORDERS+S+R+240105:1200+G1+UN+D:96A", *orders_message(), "UNE+1+G1"])
    assert read(text.encode()).interchanges[0].accepted  # UNZ+1: one group


def test_segment_outside_any_message_is_code_33():
    text = interchange(orders_message()).replace("UNZ+1", "FTX+AAI+++stray'\nUNZ+1")
    error = read(text.encode()).interchanges[0].errors[0]
    assert (error.code, error.segment_tag, error.position) == (
        E.INVALID_OCCURRENCE_OUTSIDE_MESSAGE,
        "FTX",
        13,
    )


def test_garbage_segment_inside_a_message_is_located():
    message = orders_message()
    message.insert(4, "lin+x")
    message[-1] = "UNT+11+1"
    error = read(interchange(message).encode()).interchanges[0].messages[0].errors[0]
    assert (error.code, error.position, error.message_position) == (E.INVALID_VALUE, 7, 5)


def test_missing_unb_elements_are_code_13_with_element_positions():
    text = "UNB+UNOB+SENDER+RECEIVER+240101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+X'UNT+3+1'UNZ+1+1'"
    errors = read(text.encode()).interchanges[0].errors
    assert [(e.code, e.element, e.component) for e in errors] == [(E.MISSING, 1, 2)]


def test_duplicate_message_reference_is_code_26():
    result = read(interchange(orders_message("A"), orders_message("A")).encode())
    second = result.interchanges[0].messages[1]
    assert [e.code for e in second.errors] == [E.DUPLICATE_DETECTED]


def test_ack_request_and_test_indicator_are_read_from_unb():
    text = interchange(orders_message()).replace("+IC1'", "+IC1++ORDERS++1++1'", 1)
    report = read(text.encode()).interchanges[0]
    assert report.ack_requested and report.test and report.application_ref == "ORDERS"


def test_a_count_of_thousands_of_digits_is_a_mismatch_not_a_crash():
    huge = "9" * 5000
    message = orders_message()[:-1] + [f"UNT+{huge}+1"]
    text = interchange(message).replace("UNZ+1+IC1", f"UNZ+{huge}+IC1")
    report = read(text.encode()).interchanges[0]
    assert [e.code for e in report.errors] == [E.CONTROL_COUNT_DOES_NOT_MATCH]
    [error] = report.messages[0].errors
    assert error.code is E.CONTROL_COUNT_DOES_NOT_MATCH and len(error.text) < 100
