"""EDIFACT and X12 files through the whole pipeline: who sent them, what comes back.

The suite's own EDI samples (tests/data/edi), and the shared conformance corpus
(../shared/corpus) when it is there, are run end to end: every file ends processed or
quarantined with a reason, never with an exception, and every interchange / group is
answered with a CONTRL / 997.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from gateway.daemon.passes import process_external
from gateway.orders.queries import list_orders
from parsers import edifact, x12
from tests.gateway.conftest import COFFEE, CONFIG, build_workspace
from tests.gateway.lifecycle_support import EDI_CONFIG, edifact_order, x12_order

TWO_EDI_PARTNERS = (
    EDI_CONFIG
    + """
[partners.other]
name = "Another EANCOM buyer"
edi_ids = ["5499999000009"]
grants = [{ customer = "C1", site = "S1" }]
"""
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ws(request, tmp_path):  # noqa: ANN001, ANN201
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    workspace = build_workspace(tmp_path / "ws", config=TWO_EDI_PARTNERS, database=url)
    yield workspace
    workspace.close()


def sent_to_partner(ws, partner: str, out) -> list[Path]:  # noqa: ANN001
    """The replies of ``out`` written to the partner's outbox (not the admin's reports)."""
    return [p for p in out.replies if p.parent == ws.outbox(partner)]


def admin_reports(ws, partner: str, out) -> list[Path]:  # noqa: ANN001
    return [p for p in out.replies if p.parent == ws.reports_dir(partner)]


def process(ws, partner: str, name: str, data: bytes, tmp_path: Path):  # noqa: ANN001, ANN201
    path = tmp_path / name
    path.write_bytes(data)
    return process_external(ws, partner, path)


def test_edifact_order_is_stored_and_answered_with_contrl_and_ordrsp(ws, tmp_path):
    out = process(ws, "edi", "po.edi", edifact_order("PO-E1", COFFEE, 4), tmp_path)
    assert out.outcome == "processed", out.reason
    [order] = list_orders(ws)
    assert (order["order_number"], order["customer"], order["status"]) == (
        "PO-E1",
        "C1",
        "pending_validation",
    )
    names = sorted(p.name for p in ws.outbox("edi").iterdir())
    assert [n.split("_")[0] for n in names] == ["CONTRL", "ORDRSP"]
    ordrsp = (ws.outbox("edi") / names[1]).read_bytes()
    result = edifact.read(ordrsp)
    assert result.interchanges[0].accepted
    assert b"RFF+ON:PO-E1'" in ordrsp and b"LIN+1+5+" in ordrsp


def test_file_claiming_another_partners_sender_id_is_refused(ws, tmp_path):
    out = process(ws, "other", "po.edi", edifact_order("PO-E2", COFFEE, 1), tmp_path)
    assert out.outcome == "failed"
    assert "belongs to partner 'edi'" in out.reason
    assert list_orders(ws) == []
    reason = next(ws.failed_dir("other").glob("*.reason.txt")).read_text()
    assert "5412345000013" in reason


def test_a_refused_sender_is_not_told_who_owns_the_id_nor_which_ids_pass(ws, tmp_path):
    process(ws, "other", "po.edi", edifact_order("PO-E3", COFFEE, 1), tmp_path)
    # answered only in EDI: a CONTRL rejecting the interchange for its sender (error 23)
    [notice] = [p.read_text("latin-1") for p in ws.outbox("other").iterdir()]
    assert "UCI+IC" in notice and "+4+23+UNB" in notice
    assert "'edi'" not in notice and "partner" not in notice  # whose id it is
    assert "5499999000009" not in notice  # which id would have passed
    assert "EANCOM buyer" not in notice
    # the admin learns both, in reports/
    [report] = ws.reports_dir("other").glob("REFUSED_*")
    assert "belongs to partner 'edi'" in report.read_text()


def test_x12_order_gets_997_and_855_in_the_partners_delimiters(ws, tmp_path):
    out = process(ws, "x12buyer", "po.x12", x12_order("PO-X1", COFFEE, 3), tmp_path)
    assert out.outcome == "processed", out.reason
    names = sorted(p.name for p in ws.outbox("x12buyer").iterdir())
    assert [n.split("_")[0] for n in names] == ["855", "997"]
    for name in names:
        result = x12.read((ws.outbox("x12buyer") / name).read_bytes())
        assert result.interchanges and not result.interchanges[0].errors


def test_x12_sender_asking_for_a_ta1_gets_one_beside_the_997(ws, tmp_path):
    asked = x12_order("PO-X2", COFFEE, 3, control=917)
    asked = asked.replace(b"*000000917*0*P*", b"*000000917*1*P*")
    out = process(ws, "x12buyer", "po.x12", asked, tmp_path)
    assert out.outcome == "processed", out.reason
    names = sorted(p.name.split("_")[0] for p in ws.outbox("x12buyer").iterdir())
    assert names == ["855", "997", "TA1"]
    [ta1] = ws.outbox("x12buyer").glob("TA1_*")
    assert b"TA1*000000917*250101*1200*A*000~" in ta1.read_bytes()


def test_x12_envelope_error_is_told_in_a_ta1_even_unasked(ws, tmp_path):
    wrong_trailer = x12_order("PO-X3", COFFEE, 3, control=917)
    wrong_trailer = wrong_trailer.replace(b"IEA*1*000000917", b"IEA*1*000000918")
    out = process(ws, "x12buyer", "po.x12", wrong_trailer, tmp_path)
    assert out.outcome == "processed", out.reason  # the order inside is fine
    [ta1] = ws.outbox("x12buyer").glob("TA1_*")
    assert b"TA1*000000917*250101*1200*E*001~" in ta1.read_bytes()
    assert [p.name for p in ws.outbox("x12buyer").glob("997_*")]


SHARED_ISA_ID = (
    CONFIG
    + """
[partners.east]
name = "Northwind East"
edi_ids = ["ZZ:NORTHWIND"]
application_ids = ["NW-EAST"]
grants = [{ customer = "C1", site = "S1" }]

[partners.west]
name = "Northwind West"
edi_ids = ["ZZ:NORTHWIND"]
application_ids = ["NW-WEST"]
grants = [{ customer = "C1", site = "S1" }]
"""
)


def _from_division(number: str, gs02: str) -> bytes:
    return x12_order(number, COFFEE, 2).replace(b"GS*PO*NORTHWIND*", f"GS*PO*{gs02}*".encode())


def test_divisions_sharing_an_isa_id_are_told_apart_by_gs02(tmp_path):
    ws = build_workspace(tmp_path / "ws", config=SHARED_ISA_ID)
    try:
        east = process(ws, "east", "east.x12", _from_division("PO-E", "NW-EAST"), tmp_path)
        assert east.outcome == "processed", east.reason
        posing = process(ws, "east", "west.x12", _from_division("PO-W", "NW-WEST"), tmp_path)
        assert posing.outcome == "failed"
        assert "GS02" in posing.reason and "belongs to partner 'west'" in posing.reason
        assert posing.reason.startswith("segment 2, GS: ")
        unknown = process(ws, "west", "odd.x12", _from_division("PO-O", "NW-NORTH"), tmp_path)
        assert unknown.outcome == "failed"
        assert "sends as NW-WEST only" in unknown.reason
        assert [o["order_number"] for o in list_orders(ws)] == ["PO-E"]
    finally:
        ws.close()


def test_without_application_ids_any_gs02_is_taken(ws, tmp_path):
    out = process(ws, "x12buyer", "po.x12", _from_division("PO-G", "ANYTHING"), tmp_path)
    assert out.outcome == "processed", out.reason


def test_what_the_reader_tolerated_is_logged_with_partner_and_file(ws, tmp_path, caplog):
    quirky = b"\xef\xbb\xbf  " + x12_order("PO-Q", COFFEE, 1)
    with caplog.at_level(logging.WARNING, logger="gateway.intake.pipeline"):
        out = process(ws, "x12buyer", "quirky.x12", quirky, tmp_path)
    assert out.outcome == "processed", out.reason
    remarks = [r for r in caplog.records if "read with a remark" in r.getMessage()]
    assert {r.getMessage().split(": ", 1)[1] for r in remarks} >= {
        "UTF-8 byte order mark before ISA ignored",
        "whitespace before the first ISA ignored",
    }
    assert all((r.partner, r.file) == ("x12buyer", "quirky.x12") for r in remarks)


def _never_answered(path: Path, tmp_path: Path) -> None:
    ws = _corpus_partner(tmp_path, [path])
    try:
        out = process_external(ws, "corpus", path)
        assert out.outcome == "processed"
        assert out.reason.startswith("acknowledgments only, not answered: ")
        assert out.replies == []
        assert list(ws.outbox("corpus").iterdir()) == []
        assert "archive" in out.moved_to.parts and "failed" not in out.moved_to.parts
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("x12-997", "997-asking-for-a-ta1.x12"),  # ISA14 = 1, still not answered
        ("x12-997", "997-rejecting-an-invoice.x12"),  # rejects one of "our" invoices
        ("edifact-contrl", "contrl-rejecting-two-interchanges.edi"),  # with a UNB error
    ],
)
def test_an_acknowledgment_sample_from_a_partner_is_never_answered(samples, tmp_path, folder, name):
    _never_answered(samples / folder / name, tmp_path)


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("x12-997", "bots-997_9.x12"),  # asks for a TA1 (ISA14 = 1), still not answered
        ("x12-997", "edifabric-997.txt"),  # rejects one of "our" invoices
        ("edifact-contrl", "edifabric-CONTRL.txt"),  # with a UNB error, still not answered
    ],
)
def test_an_acknowledgment_from_a_partner_is_never_answered(corpus, tmp_path, folder, name):
    _never_answered(corpus / folder / name, tmp_path)


def _acknowledgment_logged(path: Path, tmp_path: Path, caplog) -> logging.LogRecord:  # noqa: ANN001
    ws = _corpus_partner(tmp_path, [path])
    try:
        with caplog.at_level(logging.INFO, logger="gateway.edi.legacy"):
            process_external(ws, "corpus", path)
    finally:
        ws.close()
    [record] = [r for r in caplog.records if "acknowledgment received" in r.getMessage()]
    assert (record.partner, record.file) == ("corpus", path.name)
    return record


def test_a_partner_rejecting_what_we_sent_is_a_warning_for_an_admin_sample(
    samples, tmp_path, caplog
):
    path = samples / "x12-997" / "997-rejecting-an-invoice.x12"
    record = _acknowledgment_logged(path, tmp_path, caplog)
    assert record.levelno == logging.WARNING
    assert record.getMessage().endswith(
        "997 for our group 000000009 (IN): R; set 810 0002: R (5) — matches nothing we sent"
    )


def test_a_partner_rejecting_what_we_sent_is_a_warning_for_an_admin(corpus, tmp_path, caplog):
    record = _acknowledgment_logged(corpus / "x12-997" / "edifabric-997.txt", tmp_path, caplog)
    assert record.levelno == logging.WARNING
    assert record.getMessage().endswith(
        "997 for our group 000000001 (IN): R; set 810 ST02: R (5) — matches nothing we sent"
    )


def test_a_contrl_rejecting_our_interchange_is_logged_not_answered(ws, tmp_path, caplog):
    contrl = (
        b"UNB+UNOC:3+5412345000013:14+3012345000000:14+250101:1200+CX1'"
        b"UNH+1+CONTRL:D:3:UN'UCI+77+3012345000000:14+5412345000013:14+4+29'UNT+3+1'"
        b"UNZ+1+CX1'"
    )
    with caplog.at_level(logging.INFO, logger="gateway.edi.legacy"):
        out = process(ws, "edi", "contrl.edi", contrl, tmp_path)
    assert out.outcome == "processed" and out.replies == []
    said = "CONTRL for our interchange 77: rejected (error 29)"
    assert out.reason == f"acknowledgments only, not answered: {said}"
    [record] = [r for r in caplog.records if "acknowledgment received" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.getMessage().endswith(f"{said} — matches nothing we sent")


def test_997s_beside_an_order_get_no_997_but_the_order_does(ws, tmp_path):
    order = x12_order("PO-A", COFFEE, 2, control=917).decode()
    acks = (
        "GS*FA*NORTHWIND*3012345000000*20250101*1200*918*X*004010~\n"
        "ST*997*0001~\nAK1*PR*43~\nAK9*A*1*1*1~\nSE*4*0001~\nGE*1*918~\n"
    )
    both = order.replace("IEA*1*", acks + "IEA*2*").encode()
    out = process(ws, "x12buyer", "both.x12", both, tmp_path)
    assert out.outcome == "processed", out.reason
    names = sorted(p.name.split("_")[0] for p in ws.outbox("x12buyer").iterdir())
    assert names == ["855", "997"]
    [ack] = ws.outbox("x12buyer").glob("997_*")
    assert b"AK1*PO*917" in ack.read_bytes()


def test_control_numbers_are_never_reused_across_files(ws, tmp_path):
    refs = set()
    for n in range(3):
        process(ws, "edi", f"po{n}.edi", edifact_order(f"PO-C{n}", COFFEE, 1), tmp_path)
    for path in ws.outbox("edi").iterdir():
        refs.add(edifact.read(path.read_bytes()).interchanges[0].control_ref)
    assert len(refs) == 6  # 3 CONTRL + 3 ORDRSP, each with its own interchange reference


def test_three_interchanges_with_a_broken_middle_one(ws, tmp_path):
    good1 = edifact_order("PO-M1", COFFEE, 1)
    broken = edifact_order("PO-M2", COFFEE, 1).replace(b"UNT+", b"UNT+9")  # wrong count
    good3 = edifact_order("PO-M3", COFFEE, 1)
    out = process(ws, "edi", "three.edi", good1 + broken + good3, tmp_path)
    assert out.outcome == "processed"
    assert sorted(o["order_number"] for o in list_orders(ws)) == ["PO-M1", "PO-M3"]
    contrls = [p for p in ws.outbox("edi").iterdir() if p.name.startswith("CONTRL")]
    assert len(contrls) == 3
    # The middle message is rejected (action 4) with error 29: control count mismatch
    rejected = [p for p in contrls if b"UCM+1+ORDERS:D:96A:UN:EAN008+4+29" in p.read_bytes()]
    assert len(rejected) == 1


def _sender_ids(files: list[Path], reader) -> set[str]:  # noqa: ANN001
    ids: set[str] = set()
    for f in files:
        try:
            result = reader(f.read_bytes())
        except Exception:  # noqa: BLE001 — an unreadable file has no sender to allow
            continue
        for ic in result.interchanges:
            if ic.sender_id and ic.sender_id.strip():
                ids.add(ic.sender_id.strip())
    return ids


def _corpus_partner(tmp_path: Path, files: list[Path]):  # noqa: ANN202
    """A workspace whose partner "corpus" may send as every sender of ``files`` (samples
    or corpus files)."""
    ids = sorted(_sender_ids(files, x12.read) | _sender_ids(files, edifact.read))
    config = (
        CONFIG
        + f"""
[partners.corpus]
name = "Corpus senders"
edi_ids = {ids!r}
grants = [{{ customer = "C1", site = "S1" }}]
default_customer = "C1"
"""
    )
    return build_workspace(tmp_path / "ws", config=config)


def _every_file_ends_processed_or_quarantined(files: list[Path], tmp_path: Path) -> None:
    ws = _corpus_partner(tmp_path, files)
    try:
        for f in files:
            out = process_external(ws, "corpus", f)
            assert out.outcome in ("processed", "failed"), (f.name, out.outcome)
            if out.outcome == "failed":
                assert out.reason and "Traceback" not in out.reason
            else:
                acks = [p for p in out.replies if p.name.split("_")[0] in ("CONTRL", "997", "TA1")]
                assert acks, f"{f.name}: no syntax acknowledgement"
        orders = list_orders(ws, limit=1000)
        assert orders  # the well-formed files gave orders
    finally:
        ws.close()


@pytest.mark.parametrize("folder", ["edifact-orders", "x12-850"])
def test_every_sample_ends_processed_or_quarantined_with_an_answer(samples, tmp_path, folder):
    _every_file_ends_processed_or_quarantined(sorted((samples / folder).iterdir()), tmp_path)


@pytest.mark.parametrize("folder", ["edifact-orders", "x12-850"])
def test_every_corpus_file_ends_processed_or_quarantined_with_an_answer(corpus, tmp_path, folder):
    _every_file_ends_processed_or_quarantined(sorted((corpus / folder).iterdir()), tmp_path)


def _contrl_names_the_unt_error(path: Path, tmp_path: Path) -> bytes:
    ws = _corpus_partner(tmp_path, [path])
    try:
        out = process_external(ws, "corpus", path)
        [contrl] = [p for p in out.replies if p.name.startswith("CONTRL")]
        body = contrl.read_bytes()
        assert b"UCM+" in body
        parsed = edifact.read(body)
        assert parsed.interchanges[0].accepted  # our CONTRL is itself well-formed
        return body
    finally:
        ws.close()


def test_sample_broken_unt_count_gets_a_contrl_naming_the_error(samples, tmp_path):
    path = samples / "edifact-orders" / "group-with-wrong-unt-count.edi"
    body = _contrl_names_the_unt_error(path, tmp_path)
    assert b"UCM+1+ORDERS:D:96A:UN:EAN008+4+29" in body  # rejected: control count
    assert b"UCF+G1+" in body  # the group is answered too


def test_corpus_broken_unt_count_gets_a_contrl_naming_the_error(corpus, tmp_path):
    _contrl_names_the_unt_error(
        corpus / "edifact-orders" / "staedi-orders-with-group.edi", tmp_path
    )


def _refused_as_a_duplicate(first: Path, second: Path, tmp_path: Path) -> tuple[str, bytes]:
    ws = _corpus_partner(tmp_path, [first])
    try:
        taken = process_external(ws, "corpus", first)
        assert taken.outcome == "processed" and len(taken.orders) == 1
        again = process_external(ws, "corpus", second)
        assert again.outcome == "processed"  # archived with its reason, nothing lost
        assert again.orders == []
        assert again.reason.endswith(
            f"was already received in file {first.name!r} on {taken_at(ws, taken.inbound_id)}; "
            "it was not taken again"
        )
        # Only the interchange is answered: no 997 below it, no 855 for its order
        [ta1] = sent_to_partner(ws, "corpus", again)
        assert ta1.name.startswith("TA1_")
        assert [p.name.split("_")[0] for p in admin_reports(ws, "corpus", again)] == ["REFUSED"]
        assert len(list_orders(ws)) == 1
        return again.reason, ta1.read_bytes()
    finally:
        ws.close()


def test_the_same_interchange_in_other_bytes_is_refused_as_a_duplicate_sample(samples, tmp_path):
    """Our samples hold one purchase order twice: ``~`` then bare newlines as terminators."""
    folder = samples / "x12-850"
    reason, ta1 = _refused_as_a_duplicate(
        folder / "850-tilde-terminated.x12", folder / "850-newline-terminated.x12", tmp_path
    )
    assert reason.startswith("interchange 000003438 from 12:5412345000013 was already received")
    assert b"TA1*000003438*240312*1719*R*025\n" in ta1


def test_an_edifact_interchange_sent_twice_gets_a_contrl_with_error_26(ws, tmp_path):
    once = edifact_order("PO-D1", COFFEE, 2, ref="IC77")
    assert process(ws, "edi", "a.edi", once, tmp_path).outcome == "processed"
    again = process(ws, "edi", "b.edi", once.replace(b"\n", b"\r\n"), tmp_path)
    assert again.orders == [] and "interchange IC77 from 14:5412345000013" in again.reason
    [contrl] = sent_to_partner(ws, "edi", again)
    assert contrl.name.startswith("CONTRL_")
    assert b"UCI+IC77+5412345000013:14+3012345000000:14+4+26+UNB" in contrl.read_bytes()
    assert [o["order_number"] for o in list_orders(ws)] == ["PO-D1"]


def test_the_same_interchange_in_other_bytes_is_refused_as_a_duplicate(corpus, tmp_path):
    """The corpus holds one purchase order twice: ``~`` then bare newlines as terminators."""
    first, second = (corpus / "x12-850" / n for n in ("nodex12-850.edi", "nodex12-850_2.edi"))
    reason, ta1 = _refused_as_a_duplicate(first, second, tmp_path)
    assert reason.startswith("interchange 000003438 from 12:4405197800 was already received")
    assert b"TA1*000003438*101127*1719*R*025\n" in ta1


def taken_at(ws, inbound_id: int) -> str:  # noqa: ANN001
    from gateway.store.models import InboundFile

    with ws.read_sessions() as s:
        return f"{s.get(InboundFile, inbound_id).received_at:%Y-%m-%d %H:%M}"


@pytest.fixture
def addressed_ws(tmp_path):  # noqa: ANN001, ANN201
    config = TWO_EDI_PARTNERS.replace(
        'edi_qualifier = "14"\n', 'edi_qualifier = "14"\nreceiver_ids = ["14:3012345000000"]\n', 1
    )
    workspace = build_workspace(tmp_path / "ws", config=config)
    yield workspace
    workspace.close()


def test_an_x12_interchange_addressed_to_us_is_taken(addressed_ws, tmp_path):
    out = process(addressed_ws, "x12buyer", "po.x12", x12_order("PO-R1", COFFEE, 1), tmp_path)
    assert len(out.orders) == 1 and out.reason is None


def test_an_x12_interchange_addressed_to_someone_else_is_refused_with_a_ta1(addressed_ws, tmp_path):
    elsewhere = x12_order("PO-R2", COFFEE, 1, control=42).replace(
        b"*14*3012345000000  *", b"*ZZ*SISTERCO       *"
    )
    out = process(addressed_ws, "x12buyer", "po.x12", elsewhere, tmp_path)
    assert out.outcome == "processed" and out.orders == []
    assert out.reason == (
        "interchange 000000042 is addressed to ZZ:SISTERCO, not to us ([supplier] "
        "receiver_ids: 14:3012345000000); it was not taken"
    )
    [ta1] = sent_to_partner(addressed_ws, "x12buyer", out)
    assert ta1.name.startswith("TA1_")
    assert b"TA1*000000042*250101*1200*R*009" in ta1.read_bytes()
    assert list_orders(addressed_ws) == []


def test_an_edifact_interchange_addressed_to_someone_else_gets_a_contrl_with_error_7(
    addressed_ws, tmp_path
):
    elsewhere = edifact_order("PO-R3", COFFEE, 1, ref="IC9").replace(
        b"+3012345000000:14+", b"+4000000000009:14+"
    )
    out = process(addressed_ws, "edi", "po.edi", elsewhere, tmp_path)
    assert out.orders == [] and "addressed to 14:4000000000009" in out.reason
    [contrl] = sent_to_partner(addressed_ws, "edi", out)
    assert b"UCI+IC9+5412345000013:14+4000000000009:14+4+7+UNB" in contrl.read_bytes()


def test_a_file_of_many_interchanges_gets_every_reply_once_with_its_own_numbers(ws, tmp_path):
    data = b"".join(edifact_order(f"PO-N{n}", COFFEE, 1) for n in range(60))
    out = process(ws, "edi", "many.edi", data, tmp_path)
    assert out.outcome == "processed" and len(out.orders) == 60
    replies = sorted(ws.outbox("edi").iterdir())
    assert len(replies) == 120 == len({p.name for p in replies})
    assert not [p for p in replies if p.name.startswith(".")]  # no temporary left
    unbs = [p.read_bytes().split(b"UNB+", 1)[1].split(b"'")[0] for p in replies]
    refs = [unb.split(b"+")[4] for unb in unbs]  # UNB 0020, our interchange reference
    assert len(set(refs)) == 120  # every interchange we sent has its own reference
