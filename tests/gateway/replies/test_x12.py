"""Our X12 replies through the real pipeline, from 850s the tests write in every version,
delimiter and qualifier case: the 855 and 997 answer from the envelope received."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.daemon.passes import process_external
from gateway.orders.queries import list_orders
from gateway.workspace import Workspace
from parsers import x12
from tests.gateway.conftest import COFFEE, COFFEE_CASE, GLN_C1, TEA_UPC
from tests.gateway.lifecycle_support import (  # noqa: F401 — fixtures
    sqlite_lifecycle_ws_fixture,
    x12_set,
)

PO1 = f"PO1*1*4*EA*4.10**EN*{COFFEE}"


def _order(*lines: str, version: str = "004010", **kwargs: object) -> bytes:
    return x12_set(
        "850", ["BEG*00*SA*PO-V1**20250101"], list(lines or [PO1]), version=version, **kwargs
    )  # type: ignore[arg-type]


def _in_delimiters(data: bytes, element: str, terminator: str, ending: str) -> bytes:
    """The same interchange written with other delimiters (the data holds none of them)."""
    text = data.decode("utf-8").replace("~\n", "\0").replace("*", element)
    return text.replace("\0", terminator + ending).encode("latin-1")


def _send(ws: Workspace, data: bytes, name: str = "po.x12", partner: str = "x12buyer"):  # noqa: ANN202
    src = ws.root / "incoming" / name
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    out = process_external(ws, partner, src)
    assert out.outcome in ("processed", "failed"), out.reason
    return out


def _reply(ws: Workspace, kind: str, partner: str = "x12buyer") -> Path:
    [found] = [p for p in ws.outbox(partner).iterdir() if p.name.startswith(kind + "_")]
    return found


def _tokens(path: Path) -> dict[str, list[str]]:
    return {t.id: t.elements for t in x12.segments(path.read_bytes())}


@pytest.mark.parametrize(
    "version", ["003010", "003020", "003040", "003050", "004010", "004030", "005010"]
)
def test_855_and_997_answer_in_the_version_of_the_group_received(
    sqlite_lifecycle_ws: Workspace, version: str
) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _order(version=version))
    for kind in ("855", "997"):
        tokens = _tokens(_reply(ws, kind))
        assert (tokens["ISA"][12], tokens["GS"][8]) == (version[:5], version), kind
        assert len(tokens["GS"][4]) == (6 if version < "004" else 8)
    bak = _tokens(_reply(ws, "855"))["BAK"]
    assert len(bak[4]) == (6 if version < "004" else 8)


def test_the_group_version_wins_over_a_different_isa12(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    data = _order().replace(b"*U*00401*", b"*U*00300*")
    _send(ws, data)
    tokens = _tokens(_reply(ws, "855"))
    assert (tokens["ISA"][12], tokens["GS"][8], len(tokens["BAK"][4])) == ("00300", "004010", 8)


@pytest.mark.parametrize(
    ("element", "terminator", "ending"),
    [
        ("*", "~", "\n"),
        ("*", "~", "\r\n"),
        ("*", "~", ""),
        ("*", "\n", ""),
        ("~", "|", "\r\n"),
        ("\x1d", "\x1c", ""),
        ("\x7f", "\x15", "\r\n"),
    ],
)
def test_replies_use_the_partners_delimiters_and_line_ending_once(
    sqlite_lifecycle_ws: Workspace, element: str, terminator: str, ending: str
) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _in_delimiters(_order(), element, terminator, ending))
    assert len(out.orders) == 1, out.reason
    for kind in ("855", "997"):
        data = _reply(ws, kind).read_bytes()
        [report] = x12.read(data).interchanges
        d = report.delimiters
        assert (d.element, d.segment, d.line_ending) == (element, terminator, ending), kind
        assert report.errors == []
        assert (terminator + ending) * 2 not in data.decode("latin-1")  # no empty segment


def test_gs02_and_gs03_answer_the_850s_gs03_and_gs02(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    data = _order().replace(b"GS*PO*NORTHWIND*3012345000000*", b"GS*PO*NW-APP*SUP-APP*")
    _send(ws, data)
    for kind in ("855", "997"):
        assert _tokens(_reply(ws, kind))["GS"][2:4] == ["SUP-APP", "NW-APP"], kind


@pytest.mark.parametrize("qualifier", ["15", "92", "9", "ZZ"])
def test_the_ship_to_keeps_the_qualifier_the_850_used(
    sqlite_lifecycle_ws: Workspace, qualifier: str
) -> None:
    ws = sqlite_lifecycle_ws
    data = _order().replace(b"N1*ST*Lyon*UL*", f"N1*ST*Store 12*{qualifier}*".encode())
    _send(ws, data)
    [st] = [
        t.elements
        for t in x12.segments(_reply(ws, "855").read_bytes())
        if t.elements[:2] == ["N1", "ST"]
    ]
    assert st[2:4] == ["Store 12", qualifier]


def test_names_come_from_the_850_and_master_data_never_internal_codes(
    sqlite_lifecycle_ws: Workspace,
) -> None:
    ws = sqlite_lifecycle_ws
    data = _order().replace(b"N1*BY*Corner Shop*UL*", b"N1*BY**UL*")
    _send(ws, data)
    n1 = [t.elements for t in x12.segments(_reply(ws, "855").read_bytes()) if t.id == "N1"]
    assert ["N1", "BY", "Corner Shop", "UL", GLN_C1] in n1  # our customer's name, not "C1"
    assert ["N1", "SE", "Test Supplier", "UL", "3012345000000"] in n1  # not the site "S1"


def test_a_case_line_is_acknowledged_in_cases(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _order(f"PO1*1*2*CA*40**UK*{COFFEE_CASE}"))
    [order] = list_orders(ws)
    tokens = [t.elements for t in x12.segments(_reply(ws, "855").read_bytes())]
    assert ["PO1", "1", "2", "CA", "40", "", "UK", COFFEE_CASE, "VN", "COF-250"] in tokens
    assert ["ACK", "IA", "2", "CA"] in tokens  # 2 cases, not 24
    assert order["lines"][0]["quantity"] == 24  # in our unit inside


def test_a_rejected_line_echoes_the_ids_the_buyer_sent(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _order(PO1, "PO1*3*5*EA*2.2**VP*NOPE-999"))
    tokens = [t.elements for t in x12.segments(_reply(ws, "855").read_bytes())]
    assert ["PO1", "3", "5", "EA", "2.2", "", "VP", "NOPE-999"] in tokens
    assert ["ACK", "IR", "0", "EA"] in tokens


def test_an_isbn_id_the_catalog_holds_is_found(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _order(f"PO1*1*4*EA*4.10**IB*{COFFEE}", "PO1*2*1*EA***MG*TEA-GRN"))
    [summary] = out.orders
    assert (summary.accepted, summary.rejected) == (2, 0)


def test_text_is_folded_to_ascii(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    _send(ws, _order(PO1, "PID*F****Sel de Guérande".replace("Sel", "Thé vert Sencha")))
    data = _reply(ws, "855").read_bytes()
    assert data.isascii() and b"PID*F****The vert Sencha de Guerande~" in data


def test_a_sender_not_allowed_is_answered_with_a_ta1_only(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _order(sender="SOUTHWIND"))  # the id of partner "ansi"
    assert out.outcome == "failed"
    files = sorted(p.name.split("_")[0] for p in ws.outbox("x12buyer").iterdir())
    assert files == ["TA1"]
    ta1 = _tokens(_reply(ws, "TA1"))["TA1"]
    assert ta1[4:] == ["R", "006"]
    [report] = ws.reports_dir("x12buyer").glob("REFUSED_*")
    assert "belongs to partner 'ansi'" in report.read_text()
    assert b"ansi" not in _reply(ws, "TA1").read_bytes()


def test_an_invalid_isa12_gets_a_ta1_017_and_nothing_else(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    out = _send(ws, _order().replace(b"*U*00401*", b"*U*0040X*"))
    assert out.orders == []
    assert sorted(p.name.split("_")[0] for p in ws.outbox("x12buyer").iterdir()) == ["TA1"]
    tokens = _tokens(_reply(ws, "TA1"))
    assert tokens["TA1"][4:] == ["R", "017"] and tokens["ISA"][12] == "00401"


def test_an_alphanumeric_isa16_gets_a_ta1_027(sqlite_lifecycle_ws: Workspace) -> None:
    ws = sqlite_lifecycle_ws
    data = _order(f"PO1*1*40*EA*4.10**UP*{TEA_UPC}").replace(b"*P*>~", b"*P*0~")
    out = _send(ws, data)
    assert out.orders == []
    tokens = _tokens(_reply(ws, "TA1"))
    assert tokens["TA1"][4:] == ["R", "027"]
    assert b"00000" in _reply(ws, "TA1").read_bytes()  # zeros intact: ISA16 is ours now


def test_every_corpus_850_is_answered_in_its_own_group_version(corpus, tmp_path) -> None:  # noqa: ANN001
    from tests.gateway.conftest import CONFIG, build_workspace

    files = sorted((corpus / "x12-850").iterdir())
    senders = sorted({ic.sender_id for f in files for ic in x12.read(f.read_bytes()).interchanges})
    config = CONFIG + (
        f'\n[partners.corpus]\nname = "Corpus"\nedi_ids = {senders!r}\n'
        'respond_at = "intake"\ndefault_customer = "C1"\n'
        'grants = [{ customer = "C1", site = "S1" }]\n'
    )
    ws = build_workspace(tmp_path / "ws", config=config)
    try:
        answered = 0
        for f in files:
            received = x12.read(f.read_bytes())
            groups = {
                d.envelope.message_ref: (d.envelope.version, d.envelope.application_sender)
                for d in received.documents
            }
            before = set(ws.outbox("corpus").iterdir())
            process_external(ws, "corpus", f)
            for reply in set(ws.outbox("corpus").iterdir()) - before:
                if not reply.name.startswith("855_"):
                    continue
                [ic] = x12.read(reply.read_bytes()).interchanges
                [group] = ic.groups
                assert group.version in {v for v, _ in groups.values()}, f.name
                assert group.application_receiver in {s for _, s in groups.values()}, f.name
                answered += 1
        assert answered >= 10  # the corpus' well-formed POs each got theirs
    finally:
        ws.close()
