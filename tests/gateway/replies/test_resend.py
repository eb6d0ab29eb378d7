"""Resending a reply: the same bytes under the same name, once asked; never a report."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.daemon.passes import process_external
from gateway.replies.resend import ResendRefused, UnknownMessage, resend_message
from gateway.store.models import OutgoingMessage
from gateway.workspace import Workspace
from tests.gateway.admin.support import drop_file
from tests.gateway.conftest import COFFEE, ean


def ack_of(ws: Workspace, kind: str = "ack") -> OutgoingMessage:
    data = f"N° commande;Code-barre;Quantité\nR-1;{COFFEE};1\nR-1;{ean('301234599990')};1\n"
    process_external(ws, "shop", drop_file(ws, "shop", "r.csv", data.encode()))
    with ws.read_sessions() as s:
        msg = s.scalar(select(OutgoingMessage).where(OutgoingMessage.kind == kind))
        assert msg is not None
        return msg


def test_a_lost_reply_is_written_again_with_the_same_name_and_bytes(workspace: Workspace) -> None:
    msg = ack_of(workspace)
    target = workspace.outbox("shop") / msg.filename
    target.unlink()
    report = resend_message(workspace, msg.id, actor="admin:marie")
    assert report.written and target.read_bytes() == msg.content


def test_a_reply_still_waiting_unread_is_left_as_it_is(workspace: Workspace) -> None:
    msg = ack_of(workspace)
    report = resend_message(workspace, msg.id, actor="admin:marie")
    assert not report.written and "still waiting" in report.message


def test_a_report_for_admins_is_not_resent(workspace: Workspace) -> None:
    msg = ack_of(workspace, "rejection_report")
    with pytest.raises(ResendRefused, match="report for admins"):
        resend_message(workspace, msg.id, actor="admin:marie")


def test_another_partners_reply_is_unknown_to_a_partner(workspace: Workspace) -> None:
    msg = ack_of(workspace)
    with pytest.raises(UnknownMessage):
        resend_message(workspace, msg.id, actor="partner:hotel", partner="hotel")
