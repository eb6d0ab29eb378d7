"""The EDIFACT and X12 interchange reports answer the same questions by the same names."""

from __future__ import annotations

import pytest

from parsers import edifact, x12

from .edifact.builders import interchange as edifact_interchange
from .edifact.builders import orders_message
from .x12.builders import group, order_set
from .x12.builders import interchange as x12_interchange


def _edifact(*, broken: bool = False) -> edifact.EdifactReadResult:
    messages = [orders_message("1"), orders_message("2")]
    if broken:
        messages.append([m.replace("ORDERS", "INVOIC") for m in orders_message("3")])
    return edifact.read(edifact_interchange(*messages, ref="IC1").encode())


def _x12(*, broken: bool = False) -> x12.X12ReadResult:
    sets = [order_set("0001", po="PO-1"), order_set("0002", po="PO-2")]
    text = x12_interchange([group(sets)], iea_control="000000009" if broken else None)
    return x12.read(text.encode())


READERS = {"edifact": _edifact, "x12": _x12}


@pytest.mark.parametrize("codec", sorted(READERS))
def test_envelope_fields_have_the_same_names(codec: str) -> None:
    [ic] = READERS[codec]().interchanges
    expected = {
        "edifact": ("SENDER", "14", "RECEIVER", "14", "IC1"),
        "x12": ("BUYERCO", "ZZ", "SUPPLIERCO", "ZZ", "000000001"),
    }[codec]
    assert (
        ic.sender_id,
        ic.sender_qualifier,
        ic.recipient_id,
        ic.recipient_qualifier,
        ic.control_ref,
    ) == expected


@pytest.mark.parametrize("codec", sorted(READERS))
def test_an_interchange_lists_the_documents_read_from_it(codec: str) -> None:
    result = READERS[codec]()
    [ic] = result.interchanges
    assert len(ic.documents) == 2
    assert all(a is b for a, b in zip(ic.documents, result.documents, strict=True))


@pytest.mark.parametrize("codec", sorted(READERS))
def test_a_clean_read_has_no_problems(codec: str) -> None:
    assert READERS[codec]().problems() == []


@pytest.mark.parametrize("codec", sorted(READERS))
def test_problems_are_one_line_of_text_per_error(codec: str) -> None:
    problems = READERS[codec](broken=True).problems()
    assert len(problems) == 1
    assert {"edifact": "INVOIC", "x12": "IEA02"}[codec] in problems[0]


def test_edifact_documents_skip_messages_that_gave_no_order() -> None:
    [ic] = _edifact(broken=True).interchanges
    assert len(ic.messages) == 3
    assert [d.envelope.message_ref for d in ic.documents] == ["1", "2"]
