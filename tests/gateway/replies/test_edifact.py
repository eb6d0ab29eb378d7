"""Our EDIFACT replies through the real pipeline, from ORDERS the tests write in every
directory, syntax level and service-character case: CONTRL and ORDRSP answer from the
envelope received."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.daemon.passes import process_external
from gateway.workspace import Workspace
from parsers import edifact
from tests.gateway.conftest import COFFEE, COFFEE_CASE, GLN_C1, GLN_S1
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    sqlite_lifecycle_ws_fixture,
)

DEFAULT_UNA = "UNA:+.? '"


def _orders(
    identifier: str = "ORDERS:D:96A:UN:EAN008",
    *,
    syntax: str = "UNOC:3",
    lines: tuple[str, ...] = (f"LIN+1++{COFFEE}:EN", "QTY+21:4"),
    delivery: str = f"NAD+DP+{GLN_S1}::9",
    sender: str = "5412345000013",
    extra: tuple[str, ...] = (),
) -> list[str]:
    body = [
        f"UNH+1+{identifier}",
        "BGM+220+PO-E9+9",
        "DTM+137:20250101:102",
        f"NAD+BY+{GLN_C1}::9",
        delivery,
        *extra,
        *lines,
        "UNS+S",
    ]
    return [
        f"UNB+{syntax}+{sender}:14+3012345000000:14+250101:1200+IC42",
        *body,
        f"UNT+{len(body) + 1}+1",
        "UNZ+1+IC42",
    ]


def _write(segments: list[str], una: str = DEFAULT_UNA, ending: str = "\n") -> bytes:
    """The segments with ``una``'s service characters (the data holds none of them)."""
    chars = edifact.parse_una(una)
    text = ending.join(
        s.replace("+", "\x01").replace(":", chars.component).replace("\x01", chars.element)
        + chars.terminator
        for s in segments
    )
    return (una + ending + text + ending).encode("latin-1")


def _send(ws: Workspace, data: bytes, partner: str = "edi"):  # noqa: ANN202
    src = ws.root / "incoming" / "po.edi"
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    return process_external(ws, partner, src)


def _reply(ws: Workspace, kind: str, partner: str = "edi") -> Path:
    [found] = [p for p in ws.outbox(partner).iterdir() if p.name.startswith(kind + "_")]
    return found


def _message(path: Path) -> edifact.MessageReport:
    [interchange] = edifact.read(path.read_bytes()).interchanges
    [message] = interchange.messages
    return message


@pytest.mark.parametrize(
    ("received", "ordrsp", "contrl"),
    [
        ("ORDERS:D:93A:UN:003", "ORDRSP:D:93A:UN", "CONTRL:D:3:UN"),
        ("ORDERS:D:96A:UN", "ORDRSP:D:96A:UN", "CONTRL:D:3:UN"),
        ("ORDERS:D:96A:UN:EAN008", "ORDRSP:D:96A:UN:EAN005", "CONTRL:D:3:UN:EAN002"),
        ("ORDERS:D:96B:UN:EAN008", "ORDRSP:D:96B:UN:EAN005", "CONTRL:D:3:UN:EAN002"),
        ("ORDERS:D:97A:UN:ED17A1", "ORDRSP:D:97A:UN", "CONTRL:D:3:UN"),
        ("ORDERS:D:01B:UN:EAN010", "ORDRSP:D:01B:UN:EAN007", "CONTRL:D:3:UN:EAN004"),
        ("ORDERS:D:03B:UN:EAN008", "ORDRSP:D:03B:UN:EAN007", "CONTRL:D:3:UN:EAN004"),
    ],
)
def test_replies_answer_in_the_directory_and_release_of_the_order(
    sqlite_lifecycle_ws: Workspace, received: str, ordrsp: str, contrl: str
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _write(_orders(received)))
    assert len(out.orders) == 1, out.reason
    assert _message(_reply(ws, "ORDRSP")).identifier == ordrsp
    assert _message(_reply(ws, "CONTRL")).identifier == contrl


def test_a_d01b_gtin_is_answered_with_the_2002_code(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _write(_orders("ORDERS:D:01B:UN:EAN010", lines=(f"LIN+1++{COFFEE}:SRV", "QTY+21:4"))))
    assert f"LIN+1+5+{COFFEE}:SRV'".encode() in _reply(ws, "ORDRSP").read_bytes()


@pytest.mark.parametrize("syntax", ["UNOA:2", "UNOB:3", "UNOC:3", "UNOW:4"])
def test_replies_keep_the_syntax_level_received(
    sqlite_lifecycle_ws: Workspace, syntax: str
) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _write(_orders(syntax=syntax)))
    for kind in ("ORDRSP", "CONTRL"):
        [report] = edifact.read(_reply(ws, kind).read_bytes()).interchanges
        assert f"{report.syntax_identifier}:{report.syntax_version}" == syntax, kind
        assert report.accepted


@pytest.mark.parametrize(
    "una", ["UNA:+.? '", "UNA:+,? '", "UNA:+.= '", "UNA:+.! '", "UNA:+.? #", "UNA|*.\\ ~"]
)
def test_replies_use_the_partners_service_characters(
    sqlite_lifecycle_ws: Workspace, una: str
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _write(_orders(), una))
    assert len(out.orders) == 1, out.reason
    for kind in ("ORDRSP", "CONTRL"):
        data = _reply(ws, kind).read_bytes()
        assert data.startswith(una.encode()), kind
        [report] = edifact.read(data).interchanges
        assert report.service_chars == edifact.parse_una(una) and report.accepted


def test_a_una_without_release_character_is_answered_with_nine_characters(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _write(_orders(syntax="UNOC:4"), "UNA:+. *'"))
    assert len(out.orders) == 1, out.reason
    data = _reply(ws, "ORDRSP").read_bytes()
    assert data.startswith(b"UNA:+. *'")
    assert edifact.read(data).interchanges[0].accepted


@pytest.mark.parametrize("ending", ["", "\n", "\r\n"])
def test_replies_write_the_partners_line_ending_once(
    sqlite_lifecycle_ws: Workspace, ending: str
) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _write(_orders(), ending=ending))
    text = _reply(ws, "ORDRSP").read_bytes().decode("latin-1")
    assert text.endswith("'" + ending) and text.count("'" + ending) == text.count("'")
    if ending:
        assert ending * 2 not in text


@pytest.mark.parametrize("code_list", ["9", "92", "91", "31B"])
def test_parties_are_answered_with_the_code_list_the_order_used(
    sqlite_lifecycle_ws: Workspace, code_list: str
) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _write(_orders(delivery=f"NAD+DP+STORE-12::{code_list}")))
    data = _reply(ws, "ORDRSP").read_bytes()
    assert f"NAD+DP+STORE-12::{code_list}'".encode() in data
    assert b"NAD+SU+3012345000000::9'" in data  # ours, from master data


def test_a_case_line_is_answered_in_cases(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _write(_orders(lines=(f"LIN+1++{COFFEE_CASE}:EN", "QTY+21:2"))))
    data = _reply(ws, "ORDRSP").read_bytes()
    assert f"LIN+1+5+{COFFEE_CASE}:EN'".encode() in data
    assert b"QTY+21:2'" in data and b"QTY+113:2'" in data  # 2 cases, not 24


def test_a_nul_byte_in_a_value_is_never_echoed(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    lines = (f"LIN+1++{COFFEE}:EN", "IMD+F++:::Caf\x00e moulu", "QTY+21:4")
    _send(ws, _write(_orders(lines=lines)))
    data = _reply(ws, "ORDRSP").read_bytes()
    assert b"\x00" not in data and b"IMD+F++:::Cafe moulu'" in data


def test_positions_in_messages_count_from_the_unh(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    lines = (f"LIN+1++{COFFEE}:EN", "QTY+21:x")
    _send(ws, _write(_orders(lines=lines)))
    data = _reply(ws, "ORDRSP").read_bytes()
    assert b"segment 6 (LIN)" in data  # UNH is 1; the UNA and UNB before it are not counted


def test_a_sender_not_allowed_is_answered_with_a_contrl_only(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _write(_orders(sender="5412345000099")))  # the id of partner "eancom"
    assert out.outcome == "failed"
    assert [p.name.split("_")[0] for p in ws.outbox("edi").iterdir()] == ["CONTRL"]
    data = _reply(ws, "CONTRL").read_bytes()
    assert b"UCI+IC42+5412345000099:14+3012345000000:14+4+23+UNB+2'" in data
    assert b"eancom" not in data and b"5412345000013" not in data  # nothing disclosed
    [report] = ws.reports_dir("edi").glob("REFUSED_*")
    assert "belongs to partner 'eancom'" in report.read_text()


def test_an_unreadable_edi_file_writes_no_text_to_the_edi_outbox(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, b"UNA:+.? +UNB+UNOC:3+X+")  # a UNA using '+' twice
    assert out.outcome == "failed"
    assert list(ws.outbox("edi").iterdir()) == []
    assert list(ws.reports_dir("edi").glob("REFUSED_*"))


def test_every_corpus_order_is_answered_in_its_own_directory(corpus, tmp_path) -> None:  # noqa: ANN001
    from tests.gateway.conftest import CONFIG, build_workspace

    files = sorted((corpus / "edifact-orders").iterdir())
    senders: set[str] = set()
    for f in files:
        try:
            senders |= {
                i.sender_id for i in edifact.read(f.read_bytes()).interchanges if i.sender_id
            }
        except Exception:  # noqa: BLE001 — unreadable files have no sender to allow
            continue
    config = CONFIG + (
        f'\n[partners.corpus]\nname = "Corpus"\nedi_ids = {sorted(senders)!r}\n'
        'respond_at = "intake"\ndefault_customer = "C1"\n'
        'grants = [{ customer = "C1", site = "S1" }]\n'
    )
    ws = build_workspace(tmp_path / "ws", config=config)
    try:
        answered = 0
        for f in files:
            before = set(ws.outbox("corpus").iterdir())
            out = process_external(ws, "corpus", f)
            if out.outcome != "processed":
                continue
            directories = {
                tuple(d.envelope.message_type.split(":")[1:3])
                for d in edifact.read(f.read_bytes()).documents
                if d.envelope.message_type
            }
            for reply in set(ws.outbox("corpus").iterdir()) - before:
                if reply.name.startswith("ORDRSP_"):
                    message = _message(reply)
                    assert (message.version, message.release) in directories, f.name
                    answered += 1
        assert answered >= 20
    finally:
        ws.close()
